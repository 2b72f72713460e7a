"""Many small LPs at once: a revised primal simplex vectorised across DMUs.

The radial LPs of n DMUs share almost every column (the frame DMUs' data)
and differ only in a few own columns and the right-hand side. HiGHS pays a
fixed price per solve (model checks and set-up, ~0.1 ms here) that dominates
LPs with eight rows, so 10,000 of them one at a time cost seconds. Here the n
LPs advance together: each keeps its basis and basis inverse (``R x R``), and
one iteration is a handful of numpy operations over all of them; pricing the
shared columns is one ``(n x R) @ (R x p)`` product per block of LPs.

Each LP is ``min c'z  s.t.  [own_o | frame] z = rhs_o,  z >= 0`` with column
ids ``0..k-1`` for the own columns and ``k..k+p-1`` for the frame columns.
Entering column: most negative reduced cost (Dantzig), switching to Bland's
rule for an LP that stalls on degenerate pivots. Nothing is trusted as it
comes out: :meth:`BatchSimplex.certify` refactorises each final basis and
checks primal and dual feasibility over every column, and callers solve the
LPs that fail (or hit the iteration cap) with HiGHS instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

logger = logging.getLogger(__name__)

#: Reduced cost below which a column may enter.
ENTER_TOL = 1e-10
#: Smallest pivot element accepted in the ratio test (relative to the column's largest).
PIVOT_TOL = 1e-9
#: Certification: largest negative basic value and reduced cost accepted.
PRIMAL_TOL = 1e-9
DUAL_TOL = 1e-9
#: Refactorise the basis inverses this often (iterations).
REFACTOR_EVERY = 25
#: Degenerate pivots in a row after which an LP switches to Bland's rule.
STALL_LIMIT = 40
#: LPs priced per matrix product at most. Small on purpose: above ~256 rows
#: OpenBLAS starts threads, which on a busy 2-core machine is many times slower.
BLOCK = 128
#: Reduced costs computed per block at most (keeps the block in cache).
BLOCK_CELLS = 1 << 16


def block_rows(width: int) -> int:
    """LPs per pricing block when each has ``width`` columns to price."""
    return int(np.clip(BLOCK_CELLS // max(width, 1), 8, BLOCK))


OPTIMAL, UNBOUNDED, LIMIT, FAILED, NOT_RUN, BELOW = 0, 1, 2, 3, 4, 5


@dataclass(frozen=True)
class Certificate:
    """Checked final state of some LPs (rows follow the ``idx`` passed to ``certify``).

    Attributes:
        ok: True where the basis is primal and dual feasible (so optimal).
        basis: Column ids of each basis, ``a x R``.
        value: Basic variable values (negative noise clipped to 0), ``a x R``.
        dual: Row duals ``pi = c_B' B^-1``, ``a x R``.
        own_reduced: Reduced costs of the own columns, ``a x k``.
        objective: ``c_B' x_B``.
    """

    ok: np.ndarray
    basis: np.ndarray
    value: np.ndarray
    dual: np.ndarray
    own_reduced: np.ndarray
    objective: np.ndarray


class BatchSimplex:
    """n LPs with shared frame columns, solved together by a vectorised primal simplex.

    Args:
        frame: ``R x p`` columns shared by every LP.
        own: ``n x R x k`` columns of each LP's own.
        rhs: ``n x R`` right-hand sides.
        own_cost: Objective coefficients of the own columns (``k``).
        frame_cost: Objective coefficient of every frame column.
        blocked: Own columns that may never enter the basis (``k`` bools).
        max_iter: Iteration cap per call of :meth:`solve`.
    """

    def __init__(
        self,
        frame: np.ndarray,
        own: np.ndarray,
        rhs: np.ndarray,
        own_cost: np.ndarray,
        *,
        frame_cost: float = 0.0,
        blocked: np.ndarray | None = None,
        max_iter: int = 2000,
    ) -> None:
        self.n, self.rows, self.k = own.shape
        self.frame = np.ascontiguousarray(frame, dtype=float).reshape(self.rows, -1)
        self.own = own
        self.rhs = rhs
        self.own_cost = np.asarray(own_cost, dtype=float)
        self.frame_cost = float(frame_cost)
        self.blocked = np.zeros(self.k, bool) if blocked is None else np.asarray(blocked, bool)
        self.max_iter = max_iter
        self.basis = np.full((self.n, self.rows), -1, dtype=np.int64)
        self.binv = np.zeros((self.n, self.rows, self.rows))
        self.xb = np.zeros((self.n, self.rows))
        self.status = np.full(self.n, NOT_RUN, dtype=np.int8)

    @property
    def p(self) -> int:
        """Number of frame columns."""
        return self.frame.shape[1]

    def add_frame(self, cols: np.ndarray) -> None:
        """Append frame columns (``R x q``); every basis stays valid."""
        if cols.size:
            self.frame = np.ascontiguousarray(np.hstack([self.frame, cols]))

    # -- columns and costs ----------------------------------------------------------

    def _columns(self, ids: np.ndarray, own: np.ndarray) -> np.ndarray:
        """Columns ``ids`` (``a x c``) of LPs whose own columns are ``own``: ``a x R x c``."""
        a, c = ids.shape
        out = np.empty((a, self.rows, c))
        is_own = ids < self.k
        rr, cc = np.nonzero(is_own)
        out[rr, :, cc] = own[rr, :, ids[rr, cc]]
        rr, cc = np.nonzero(~is_own)
        out[rr, :, cc] = self.frame[:, ids[rr, cc] - self.k].T
        return out

    def _costs(self, ids: np.ndarray) -> np.ndarray:
        own_c = self.own_cost[np.minimum(ids, self.k - 1)]
        return np.where(ids < self.k, own_c, self.frame_cost)

    def _price_frame(self, dual: np.ndarray, basis: np.ndarray, bland: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Most negative frame reduced cost per LP (basic columns count as 0): (column id, value).

        Rows flagged in ``bland`` get the lowest-index column below ``-ENTER_TOL`` instead.
        """
        a = dual.shape[0]
        best = np.empty(a, dtype=np.int64)
        value = np.zeros(a)
        if self.p == 0:
            best[:] = self.k
            return best, value
        rows = block_rows(self.p)
        buf = np.empty((min(rows, a), self.p))
        for lo in range(0, a, rows):
            hi = min(a, lo + rows)
            d = buf[: hi - lo]
            np.matmul(dual[lo:hi], self.frame, out=d)
            np.subtract(self.frame_cost, d, out=d)
            rr, cc = np.nonzero(basis[lo:hi] >= self.k)
            d[rr, basis[lo:hi][rr, cc] - self.k] = 0.0
            j = np.argmin(d, axis=1)
            if bland is not None and bland[lo:hi].any():
                neg = d < -ENTER_TOL
                first = np.argmax(neg, axis=1)
                use = bland[lo:hi] & neg.any(axis=1)
                j = np.where(use, first, j)
            best[lo:hi] = j + self.k
            value[lo:hi] = d[np.arange(hi - lo), j]
        return best, value

    # -- starting -------------------------------------------------------------------

    def start(self, idx: np.ndarray, basis: np.ndarray) -> np.ndarray:
        """Install starting bases for LPs ``idx``; returns True where the basis is feasible.

        LPs whose basis is singular or primal infeasible are marked FAILED.
        """
        cols = self._columns(basis, self.own[idx])
        binv, good = _invert(cols)
        xb = np.einsum("ars,as->ar", binv, self.rhs[idx])
        good &= np.all(xb >= -PRIMAL_TOL, axis=1) & np.all(np.isfinite(xb), axis=1)
        self.basis[idx] = basis
        self.binv[idx] = binv
        self.xb[idx] = np.maximum(xb, 0.0)
        self.status[idx] = np.where(good, LIMIT, FAILED)
        return good

    # -- iterating ------------------------------------------------------------------

    def solve(self, idx: np.ndarray, stop_below: float | None = None) -> np.ndarray:
        """Iterate LPs ``idx`` (those not FAILED) to optimality; returns their statuses.

        With ``stop_below``, an LP stops (status BELOW, resumable) as soon as its
        objective, the value of a feasible point, is below that bound.
        """
        idx = np.asarray(idx, dtype=np.int64)
        w = _Work(self, idx[self.status[idx] != FAILED])
        work = it = 0
        while w.act.size and it < self.max_iter:
            it += 1
            work += w.act.size
            if it % REFACTOR_EVERY == 0:
                self._refactor(w)
            if stop_below is not None and w.act.size:
                self._store(w, np.einsum("ar,ar->a", self._costs(w.bas), w.xb) < stop_below, BELOW)
            if w.act.size:
                self._iterate(w)
        if w.act.size:
            self._store(w, np.ones(w.act.size, bool), LIMIT)
        logger.debug("batch of %d LPs, %d frame columns: %d iterations, %d LP-iterations", idx.size, self.p, it, work)
        return self.status[idx]

    def _iterate(self, w: _Work) -> None:
        """One simplex iteration of every LP in ``w``; optimal and unbounded ones leave it."""
        bland = w.stall >= STALL_LIMIT
        q, dq = self._entering(w, bland)
        done = dq >= -ENTER_TOL
        self._store(w, done, OPTIMAL)
        q, bland = q[~done], bland[~done]
        col = self._columns(q[:, None], w.own)[:, :, 0]
        alpha = np.einsum("ars,as->ar", w.bi, col)
        leave, step = _ratio_test(alpha, w.xb, w.bas, bland)
        unbounded = leave < 0
        self._store(w, unbounded, UNBOUNDED)
        keep = ~unbounded
        w.pivot(q[keep], alpha[keep], leave[keep], step[keep])

    def _refactor(self, w: _Work) -> None:
        """Fresh basis inverses and basic values (drops accumulated rounding)."""
        w.bi, good = _invert(self._columns(w.bas, w.own))
        w.xb = np.einsum("ars,as->ar", w.bi, w.rhs)
        good &= np.all(w.xb >= -PRIMAL_TOL, axis=1)
        np.maximum(w.xb, 0.0, out=w.xb)
        if not good.all():
            self._store(w, ~good, FAILED)

    def _entering(self, w: _Work, bland: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Entering column and its reduced cost per LP (Dantzig, or Bland where stalled)."""
        a = w.act.size
        dual = np.einsum("ar,ars->as", self._costs(w.bas), w.bi)
        d_own = self.own_cost - np.einsum("ar,ark->ak", dual, w.own)
        d_own[:, self.blocked] = np.inf
        rr, cc = np.nonzero(w.bas < self.k)
        d_own[rr, w.bas[rr, cc]] = 0.0
        q_own = np.argmin(d_own, axis=1)
        if bland.any():
            neg = d_own < -ENTER_TOL
            q_own = np.where(bland & neg.any(axis=1), np.argmax(neg, axis=1), q_own)
        v_own = d_own[np.arange(a), q_own]
        q_frame, v_frame = self._price_frame(dual, w.bas, bland)
        own_first = (v_own <= v_frame) | (bland & (v_own < -ENTER_TOL))
        return np.where(own_first, q_own, q_frame), np.where(own_first, v_own, v_frame)

    def _store(self, w: _Work, mask: np.ndarray, status: int) -> None:
        """Write LPs ``mask`` of the working set back with ``status`` and drop them from it."""
        if not mask.any():
            return
        act = w.act[mask]
        self.basis[act], self.binv[act], self.xb[act] = w.bas[mask], w.bi[mask], w.xb[mask]
        self.status[act] = status
        w.keep(~mask)

    def duals(self, idx: np.ndarray) -> np.ndarray:
        """Row duals ``c_B' B^-1`` of the current bases of ``idx``."""
        return np.einsum("ar,ars->as", self._costs(self.basis[idx]), self.binv[idx])

    def basic_values(self, idx: np.ndarray, col: int) -> np.ndarray:
        """Current value of own column ``col`` in LPs ``idx`` (0 where nonbasic)."""
        return np.where(self.basis[idx] == col, self.xb[idx], 0.0).sum(axis=1)

    # -- checking -------------------------------------------------------------------

    def certify(self, idx: np.ndarray) -> Certificate:
        """Refactorise the bases of ``idx`` and check primal and dual feasibility from scratch."""
        idx = np.asarray(idx, dtype=np.int64)
        bas, own, rhs = self.basis[idx], self.own[idx], self.rhs[idx]
        cols = self._columns(np.maximum(bas, 0), own)
        binv, ok = _invert(cols)
        xb = np.einsum("ars,as->ar", binv, rhs)
        resid = np.abs(np.einsum("ars,as->ar", cols, xb) - rhs).max(axis=1) if idx.size else np.zeros(0)
        ok &= (self.status[idx] == OPTIMAL) & np.all(xb >= -PRIMAL_TOL, axis=1)
        ok &= resid <= PRIMAL_TOL * (1.0 + np.abs(rhs).max(axis=1, initial=0.0))
        cost = self._costs(np.maximum(bas, 0))
        dual = np.einsum("ar,ars->as", cost, binv)
        if idx.size:  # the basic columns' reduced costs are 0 up to rounding
            ok &= np.abs(np.einsum("ar,arc->ac", dual, cols) - cost).max(axis=1) <= DUAL_TOL * (1.0 + np.abs(cost).max(axis=1))
        d_own = self.own_cost - np.einsum("ar,ark->ak", dual, own)
        check = np.where(self.blocked, np.inf, d_own)
        ok &= check.min(axis=1, initial=np.inf) >= -DUAL_TOL
        _, v_frame = self._price_frame(dual, np.maximum(bas, 0))
        ok &= v_frame >= -DUAL_TOL
        value = np.maximum(xb, 0.0)
        return Certificate(ok, bas, value, dual, d_own, np.einsum("ar,ar->a", cost, value))


class _Work:
    """The LPs still iterating in one :meth:`BatchSimplex.solve` call, packed together."""

    def __init__(self, lp: BatchSimplex, act: np.ndarray) -> None:
        self.act = act
        self.bas, self.bi, self.xb = lp.basis[act], lp.binv[act], lp.xb[act]
        self.own, self.rhs = lp.own[act], lp.rhs[act]
        self.stall = np.zeros(act.size, dtype=np.int64)

    def keep(self, mask: np.ndarray) -> None:
        """Keep only the LPs in ``mask``."""
        for name in ("act", "bas", "bi", "xb", "own", "rhs", "stall"):
            setattr(self, name, getattr(self, name)[mask])

    def pivot(self, q: np.ndarray, alpha: np.ndarray, leave: np.ndarray, step: np.ndarray) -> None:
        """Column ``q`` enters at row ``leave`` with ``step``; product-form update of ``B^-1``."""
        rows = np.arange(self.act.size)
        self.xb = self.xb - step[:, None] * alpha
        self.xb[rows, leave] = step
        np.maximum(self.xb, 0.0, out=self.xb)
        pivot_row = self.bi[rows, leave, :] / alpha[rows, leave][:, None]
        self.bi = self.bi - alpha[:, :, None] * pivot_row[:, None, :]
        self.bi[rows, leave, :] = pivot_row
        self.bas[rows, leave] = q
        self.stall = np.where(step > 1e-12, 0, self.stall + 1)


def _invert(mats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Batched inverse; singular matrices are flagged, not raised.

    A nearly singular basis gives an inaccurate inverse rather than an error;
    :meth:`BatchSimplex.certify` catches that through its residual checks.
    """
    good = np.ones(mats.shape[0], bool)
    if not mats.shape[0]:
        return mats.copy(), good
    try:
        inv = np.linalg.inv(mats)
    except np.linalg.LinAlgError:
        inv = np.zeros_like(mats)
        for i, a in enumerate(mats):
            try:
                inv[i] = np.linalg.inv(a)
            except np.linalg.LinAlgError:
                good[i] = False
    good &= np.all(np.isfinite(inv), axis=(1, 2))
    return inv, good


def _ratio_test(alpha: np.ndarray, xb: np.ndarray, basis: np.ndarray, bland: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Leaving row and step per LP (row -1 where the entering column is unbounded).

    Among tied minimum ratios: the largest pivot (stability), or under Bland's
    rule the basic column with the lowest id.
    """
    tol = PIVOT_TOL * np.maximum(1.0, np.abs(alpha).max(axis=1, keepdims=True))
    pos = alpha > tol
    ratio = np.where(pos, xb / np.where(pos, alpha, 1.0), np.inf)
    best = ratio.min(axis=1)
    tie = ratio <= (best * (1.0 + 1e-9) + 1e-12)[:, None]
    stable = np.argmax(np.where(tie, alpha, -np.inf), axis=1)
    lowest = np.argmin(np.where(tie, basis, np.iinfo(np.int64).max), axis=1)
    leave = np.where(bland, lowest, stable)
    leave = np.where(np.isfinite(best), leave, -1)
    return leave, np.where(np.isfinite(best), best, 0.0)
