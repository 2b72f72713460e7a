"""The CCR/BCC envelopment LPs of every DMU over the frame, as one :class:`BatchSimplex`.

Rows (scaled data): the ``m`` inputs, the ``s`` outputs, and under VRS the
convexity row. Own columns of DMU ``o`` (``k = m + s + 2``):

    RAD        theta (input: -x_o in the input rows) or phi (output: -y_o in the output rows)
    S_X[i]     input slack  s_i^-  = +e_i
    S_Y[r]     output slack s_r^+  = -e_r
    SELF       DMU o's own intensity column (x_o; y_o; 1)

Frame columns are ``(x_j; y_j; 1)`` of the frame DMUs. ``SELF`` makes a
feasible start trivial (``lambda_o = 1`` with a radial value of 1) and does
not change any optimum: DMU o is in the data, so the full LP has that column
too. A *fixed* LP moves the radial column to the right-hand side at a given
value (phase two, returns to scale, the frame test): its matrix is then the
same for every DMU.
"""

from __future__ import annotations

import numpy as np

from allocator.dea.batch_simplex import BatchSimplex, Certificate
from allocator.dea.master import LAMBDA_TOL

#: An own column whose pivot on the radial row is at least this replaces RAD
#: without looking at the frame columns.
SWAP_PIVOT = 1e-3


class RadialFamily:
    """Builds the radial LPs of all DMUs of ``(xs, ys)`` (their own reference set).

    Args:
        xs: Scaled inputs, ``n x m``.
        ys: Scaled outputs, ``n x s``.
        orientation: ``"input"`` or ``"output"``.
        vrs: Add the convexity row (BCC).
        free_convexity: CRS written with the convexity row kept but freed by two
            own columns ``SIGMA = (+e, -e)``: the same LP as CCR, whose feasible
            bases include every BCC basis (a warm start for CCR from BCC).
    """

    def __init__(self, xs: np.ndarray, ys: np.ndarray, *, orientation: str, vrs: bool, free_convexity: bool = False) -> None:
        n, m = xs.shape
        s = ys.shape[1]
        if vrs and free_convexity:
            raise ValueError("free_convexity is a CRS model")
        self.n, self.m, self.s, self.vrs = n, m, s, vrs
        self.input = orientation == "input"
        self.conv_row = vrs or free_convexity
        self.rows = m + s + int(self.conv_row)
        self.k = m + s + 2 + 2 * int(free_convexity)
        self.rad, self.self_col = 0, m + s + 1
        self.slacks = np.arange(1, m + s + 1)
        data = [xs.T, ys.T] + ([np.ones((1, n))] if self.conv_row else [])
        self.data = np.ascontiguousarray(np.vstack(data))
        own = np.zeros((n, self.rows, self.k))
        if self.input:
            own[:, :m, self.rad] = -xs
        else:
            own[:, m : m + s, self.rad] = -ys
        own[:, np.arange(m), 1 + np.arange(m)] = 1.0
        own[:, m + np.arange(s), 1 + m + np.arange(s)] = -1.0
        own[:, :, self.self_col] = self.data.T
        if free_convexity:
            own[:, -1, m + s + 2] = 1.0
            own[:, -1, m + s + 3] = -1.0
        self.own = own
        self.xs, self.ys = xs, ys
        self.first_slack_x = np.argmax(xs, axis=1)
        self.first_slack_y = np.argmax(ys, axis=1)

    # -- right-hand sides -----------------------------------------------------------

    def rhs(self, radial: np.ndarray | None = None) -> np.ndarray:
        """Right-hand sides; with ``radial`` given, the radial column moved there at that value."""
        b = np.zeros((self.n, self.rows))
        m, s = self.m, self.s
        if self.input:
            b[:, m : m + s] = self.ys
        else:
            b[:, :m] = self.xs
        if self.conv_row:
            b[:, -1] = 1.0
        if radial is not None:
            b = b - radial[:, None] * self.own[:, :, self.rad]
        return b

    # -- LPs ------------------------------------------------------------------------

    def phase_one(self, frame: np.ndarray) -> BatchSimplex:
        """Phase one, min theta or max phi (as min -phi), over ``frame`` plus SELF."""
        cost = np.zeros(self.k)
        cost[self.rad] = 1.0 if self.input else -1.0
        return BatchSimplex(self.data[:, frame], self.own, self.rhs(), cost)

    def fixed(self, frame: np.ndarray, radial: np.ndarray, own_cost: np.ndarray, frame_cost: float) -> BatchSimplex:
        """The LP with the radial value fixed at ``radial`` (the RAD column blocked)."""
        blocked = np.zeros(self.k, bool)
        blocked[self.rad] = True
        return BatchSimplex(self.data[:, frame], self.own, self.rhs(radial), own_cost, frame_cost=frame_cost, blocked=blocked)

    def slack_cost(self) -> np.ndarray:
        """Phase two: maximise the sum of (scaled) slacks."""
        cost = np.zeros(self.k)
        cost[self.slacks] = -1.0
        return cost

    def lambda_cost(self, sign: float) -> np.ndarray:
        """Own costs for minimising ``sign * sum(lambda)`` (SELF is an intensity too)."""
        cost = np.zeros(self.k)
        cost[self.self_col] = sign
        return cost

    # -- starting bases -------------------------------------------------------------

    def phase_one_basis(self, idx: np.ndarray) -> np.ndarray:
        """RAD = 1 and SELF = 1 basic, plus slacks: feasible for every DMU (see module doc).

        One input row (the DMU's largest input) is left to RAD (input) or SELF
        (output, CCR), and one output row (largest output) to SELF (input, CCR)
        or RAD (output), so the basis is square and nonsingular.
        """
        drop_x = np.zeros((idx.size, self.m), bool)
        drop_y = np.zeros((idx.size, self.s), bool)
        rows = np.arange(idx.size)
        if self.input or not self.conv_row:
            drop_x[rows, self.first_slack_x[idx]] = True
        if not self.input or not self.conv_row:
            drop_y[rows, self.first_slack_y[idx]] = True
        return self._with_slacks(idx, [self.rad, self.self_col], np.hstack([drop_x, drop_y]))

    def self_basis(self, idx: np.ndarray) -> np.ndarray:
        """SELF = 1 basic plus slacks: feasible for the fixed LP at radial value 1."""
        drop = np.zeros((idx.size, self.m + self.s), bool)
        if not self.conv_row:
            drop[np.arange(idx.size), self.first_slack_x[idx]] = True
        return self._with_slacks(idx, [self.self_col], drop)

    def _with_slacks(self, idx: np.ndarray, lead: list[int], drop: np.ndarray) -> np.ndarray:
        slack_ids = np.broadcast_to(self.slacks, drop.shape)
        kept = slack_ids[~drop].reshape(idx.size, -1)
        return np.hstack([np.tile(lead, (idx.size, 1)), kept]).astype(np.int64)

    def swap_out_radial(self, lp: BatchSimplex, idx: np.ndarray) -> np.ndarray:
        """Bases of ``idx`` in ``lp`` with RAD replaced by the best-pivoting nonbasic column.

        Replacing the basic radial column by any column with a nonzero entry in
        RAD's row of ``B^-1`` keeps the basis square and nonsingular, and the
        current point (with the radial value moved to the right-hand side and
        the new column at 0) stays its basic solution.
        """
        basis = lp.basis[idx].copy()
        pos = np.argmax(basis == self.rad, axis=1)
        has = basis[np.arange(idx.size), pos] == self.rad
        row = lp.binv[idx, pos, :]
        own_piv = np.einsum("ar,ark->ak", row, self.own[idx])
        own_piv[:, self.rad] = 0.0
        rr, cc = np.nonzero(basis < self.k)
        own_piv[rr, basis[rr, cc]] = 0.0
        best = np.argmax(np.abs(own_piv), axis=1)
        weak = np.flatnonzero(np.abs(own_piv[np.arange(idx.size), best]) < SWAP_PIVOT)
        if weak.size and lp.p:
            frame_piv = row[weak] @ lp.frame
            rr, cc = np.nonzero(basis[weak] >= self.k)
            frame_piv[rr, basis[weak][rr, cc] - self.k] = 0.0
            j = np.argmax(np.abs(frame_piv), axis=1)
            better = np.abs(frame_piv[np.arange(weak.size), j]) > np.abs(own_piv[weak, best[weak]])
            best[weak[better]] = j[better] + self.k
        basis[np.arange(idx.size)[has], pos[has]] = best[has]
        return basis

    # -- reading answers ------------------------------------------------------------

    def values(self, cert: Certificate, cols: np.ndarray) -> np.ndarray:
        """Values of own columns ``cols`` per LP (0 where nonbasic), ``a x len(cols)``."""
        out = np.zeros((cert.basis.shape[0], cols.size))
        for j, c in enumerate(cols):
            hit = cert.basis == c
            out[:, j] = np.where(hit, cert.value, 0.0).sum(axis=1)
        return out

    def intensities(self, cert: Certificate, idx: np.ndarray, frame: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Per LP: reference DMU indices with lambda > ``LAMBDA_TOL`` (ascending) and their lambdas.

        A nonsingular basis cannot hold two copies of one column, so each DMU
        appears at most once (SELF and DMU o's frame column are the same column).
        """
        b, v = cert.basis, cert.value
        who = np.where(b == self.self_col, idx[:, None], frame[np.clip(b - self.k, 0, frame.size - 1)])
        lam = ((b >= self.k) | (b == self.self_col)) & (v > LAMBDA_TOL)
        who = np.where(lam, who, np.iinfo(np.int64).max)
        order = np.argsort(who, axis=1, kind="stable")
        who = np.take_along_axis(who, order, axis=1)
        w = np.take_along_axis(np.where(lam, v, 0.0), order, axis=1)
        count = lam.sum(axis=1)
        peers = [who[a, :c].astype(np.int64) for a, c in enumerate(count.tolist())]
        weights = [w[a, :c] for a, c in enumerate(count.tolist())]
        return peers, weights
