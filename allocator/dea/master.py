"""A restricted-master LP: one HiGHS model whose reference columns grow by pricing.

Every DEA envelopment LP has the same shape: a few columns of its own (the
radial score, slacks, the Charnes-Cooper scale ``t``), a fixed set of rows,
and one intensity column ``lambda_j`` per reference DMU whose coefficients
depend only on that DMU's data. :class:`RestrictedMaster` keeps the whole pool
of reference columns in memory but puts only a subset of them into HiGHS.
After each solve it prices every pool column with the row duals,

    d_j = c_lambda - y' a_j ,

and adds the most negative ones until none is below ``-price_tol``. By LP
duality the restricted optimum is then optimal for the full pool, so the
answer equals the full formulation's while each LP carries only the columns
that matter (in the spirit of Dula's frame-first algorithms, the subset
converges to the extreme efficient DMUs and is shared by every DMU scored
after it). A restricted LP that is infeasible proves nothing about the full
one, so infeasibility is settled by a phase-I problem (minimise artificial
row violations) that is priced against the whole pool in the same way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from allocator.dea import _highs
from allocator.dea._highs import INF, INFEASIBLE, OPTIMAL, UNBOUNDED

logger = logging.getLogger(__name__)

#: Reduced cost below which a pool column is added to the restricted LP.
PRICE_TOL = 1e-9
#: Phase-I objective (sum of scaled row violations) above which the LP is infeasible.
FEAS_TOL = 1e-7
#: Intensities at or below this value are treated as zero (not peers).
LAMBDA_TOL = 1e-9


@dataclass(frozen=True)
class Outcome:
    """One solve of the restricted master.

    Attributes:
        status: ``"optimal"``, ``"infeasible"``, ``"unbounded"`` or ``"solver: ..."``.
        objective: Objective value (NaN unless optimal).
        own: Values of the template's own columns (NaN unless optimal).
        own_dual: Reduced costs of the own columns (NaN unless optimal).
        peers: Pool indices with intensity above ``LAMBDA_TOL``.
        weights: Their intensities.
    """

    status: str
    objective: float
    own: np.ndarray
    own_dual: np.ndarray
    peers: np.ndarray
    weights: np.ndarray

    @property
    def ok(self) -> bool:
        """True when the solve was optimal."""
        return self.status == OPTIMAL


def _failed(status: str, k: int) -> Outcome:
    nan = np.full(k, np.nan)
    return Outcome(status, np.nan, nan, nan, np.empty(0, dtype=np.int64), np.empty(0))


def seed_columns(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pick a few reference DMUs that are on the frontier under any returns to scale.

    The maximiser of each ratio ``y_r / x_i`` is CCR-efficient, and the
    largest producer of each output is on the BCC frontier; together they make
    a cheap starting set so that the first LPs are already feasible.

    Args:
        x: Scaled reference inputs, ``N x m``.
        y: Scaled reference outputs, ``N x s``.

    Returns:
        Sorted unique pool indices.
    """
    picks = [np.argmax(y, axis=0), np.argmin(x, axis=0)]
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(x.shape[1]):
            ratio = np.where(x[:, [i]] > 0, y / np.where(x[:, [i]] > 0, x[:, [i]], 1.0), 0.0)
            picks.append(np.argmax(ratio, axis=0))
        total = y.sum(axis=1) / np.maximum(x.sum(axis=1), 1e-300)
    picks.append(np.array([int(np.argmax(total))]))
    return np.unique(np.concatenate(picks).astype(np.int64))


class RestrictedMaster:
    """A HiGHS LP over own columns plus a priced subset of a pool of reference columns.

    Column order inside HiGHS: own columns, then two artificial columns per row
    (``+e_r`` and ``-e_r``, fixed at zero except in phase I), then the pool
    columns in the order they were added.

    Args:
        pool: ``R x N`` coefficients of every reference DMU's intensity column.
        row_lower: Lower row bounds (length ``R``).
        row_upper: Upper row bounds.
        own_matrix: ``R x k`` coefficients of the own columns (entries that change
            per DMU may be placeholders; they are overwritten with ``set_coeffs``).
        own_cost: Objective coefficients of the own columns.
        own_lower: Lower bounds of the own columns.
        own_upper: Upper bounds of the own columns.
        seed: Pool indices to put in the LP from the start.
        batch: How many violating pool columns to add per pricing round at most.
    """

    def __init__(
        self,
        *,
        pool: np.ndarray,
        row_lower: np.ndarray,
        row_upper: np.ndarray,
        own_matrix: np.ndarray,
        own_cost: np.ndarray,
        own_lower: np.ndarray,
        own_upper: np.ndarray,
        seed: np.ndarray,
        batch: int = 16,
    ) -> None:
        self.pool = np.ascontiguousarray(pool, dtype=float)
        self.n_rows, self.n_pool = self.pool.shape
        self.k = own_matrix.shape[1]
        self.batch = batch
        self.lambda_cost = 0.0
        self.own_cost = np.array(own_cost, dtype=float)
        self.h = _highs.new_highs()
        self._art0 = self.k
        self._lam0 = self.k + 2 * self.n_rows
        self.members: list[int] = []
        self.col_of = np.full(self.n_pool, -1, dtype=np.int64)
        self.h.addRows(
            self.n_rows,
            np.asarray(row_lower, float),
            np.asarray(row_upper, float),
            0,
            np.zeros(0, np.int32),
            np.zeros(0, np.int32),
            np.zeros(0),
        )
        self._add_block(np.asarray(own_matrix, float), self.own_cost, np.asarray(own_lower, float), np.asarray(own_upper, float))
        eye = np.eye(self.n_rows)
        zeros = np.zeros(2 * self.n_rows)
        self._add_block(np.hstack([eye, -eye]), zeros, zeros, zeros)
        self.add_pool_columns(np.asarray(seed, dtype=np.int64))

    # -- building -----------------------------------------------------------------

    def _add_block(self, block: np.ndarray, cost: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        """Append dense columns ``block`` (R x c) to HiGHS as sparse columns."""
        mask = block != 0.0
        counts = mask.sum(axis=0)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int32)
        rows, cols = np.nonzero(mask.T)
        values = block.T[rows, cols]
        self.h.addCols(
            block.shape[1],
            cost,
            lower,
            upper,
            int(counts.sum()),
            starts,
            cols.astype(np.int32),
            values.astype(float),
        )

    def add_pool_columns(self, idx: np.ndarray) -> None:
        """Put pool columns ``idx`` (not yet in the LP) into HiGHS at the current lambda cost."""
        idx = idx[self.col_of[idx] < 0]
        if idx.size == 0:
            return
        first = self._lam0 + len(self.members)
        self.col_of[idx] = first + np.arange(idx.size)
        self.members.extend(idx.tolist())
        c = idx.size
        self._add_block(self.pool[:, idx], np.full(c, self.lambda_cost), np.zeros(c), np.full(c, INF))

    # -- per-DMU changes ----------------------------------------------------------

    def set_coeffs(self, rows: np.ndarray, own_col: int, values: np.ndarray) -> None:
        """Set the coefficients of own column ``own_col`` in ``rows``."""
        change = self.h.changeCoeff
        for r, v in zip(rows.tolist(), values.tolist()):
            change(r, own_col, v)

    def set_entries(self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> None:
        """Set coefficients at ``(rows[i], cols[i])`` (own columns only)."""
        change = self.h.changeCoeff
        for r, c, v in zip(rows.tolist(), cols.tolist(), values.tolist()):
            change(r, c, v)

    def set_row_bounds(self, rows: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        """Set the bounds of ``rows``."""
        self.h.changeRowsBounds(rows.size, rows.astype(np.int32), lower.astype(float), upper.astype(float))

    def set_own_cost(self, cols: np.ndarray, cost: np.ndarray) -> None:
        """Set objective coefficients of own columns."""
        self.own_cost[cols] = cost
        self.h.changeColsCost(cols.size, cols.astype(np.int32), np.asarray(cost, float))

    def set_own_bounds(self, cols: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        """Set bounds of own columns."""
        self.h.changeColsBounds(cols.size, cols.astype(np.int32), np.asarray(lower, float), np.asarray(upper, float))

    def set_lambda_cost(self, cost: float) -> None:
        """Give every intensity column (present and future) the objective coefficient ``cost``."""
        if cost == self.lambda_cost:
            return
        self.lambda_cost = cost
        n = len(self.members)
        if n:
            cols = np.arange(self._lam0, self._lam0 + n, dtype=np.int32)
            self.h.changeColsCost(n, cols, np.full(n, cost))

    # -- solving ------------------------------------------------------------------

    def solve(self, exclude: int | None = None, *, primal: bool = False) -> Outcome:
        """Solve to optimality over the whole pool (except ``exclude``) by pricing.

        Args:
            exclude: Pool index barred from the reference set (super-efficiency).
            primal: Use primal simplex (for re-solves after an objective change,
                where the previous basis is still primal feasible).

        Returns:
            The outcome; intensities are reported by pool index.
        """
        col = -1 if exclude is None else int(self.col_of[exclude])
        if col >= 0:
            self.h.changeColBounds(col, 0.0, 0.0)
        if primal:
            self.h.setOptionValue("simplex_strategy", 4)
        try:
            return self._solve(exclude)
        finally:
            if primal:
                self.h.setOptionValue("simplex_strategy", 1)
            if col >= 0:
                self.h.changeColBounds(col, 0.0, INF)

    def _solve(self, exclude: int | None) -> Outcome:
        phase_ones = 0
        for _ in range(self.n_pool + 2):
            model_status = _highs.run(self.h)
            if _highs.is_optimal(model_status):
                sol = self.h.getSolution()
                if self._price(np.asarray(sol.row_dual), self.lambda_cost, exclude):
                    continue
                return self._outcome(sol)
            if _highs.is_unbounded(model_status):
                return _failed(UNBOUNDED, self.k)
            if _highs.is_infeasible_or_unknown(model_status):
                phase_ones += 1
                if not self._phase_one(exclude):
                    return _failed(INFEASIBLE, self.k)
                if phase_ones > 2:
                    # Phase I keeps finding a feasible point HiGHS then rejects:
                    # the LP is feasible only within tolerances.
                    return _failed("solver: numerically borderline feasibility", self.k)
                continue
            # Numerical trouble after many modifications: one cold retry.
            self.h.clearSolver()
            model_status = _highs.run(self.h)
            if not _highs.is_optimal(model_status):
                return _failed(_highs.status_name(self.h, model_status), self.k)
        return _failed("solver: pricing did not converge", self.k)  # pragma: no cover

    def _price(self, row_dual: np.ndarray, lambda_cost: float, exclude: int | None) -> bool:
        """Add the most violating pool columns; return False when none prices out."""
        d = lambda_cost - row_dual @ self.pool
        d[self.col_of >= 0] = 0.0
        if exclude is not None:
            d[exclude] = 0.0
        viol = np.flatnonzero(d < -PRICE_TOL)
        if viol.size == 0:
            return False
        if viol.size > self.batch:
            viol = viol[np.argpartition(d[viol], self.batch)[: self.batch]]
        self.add_pool_columns(viol)
        return True

    def _phase_one(self, exclude: int | None) -> bool:
        """Minimise row violations over the whole pool; True when the LP is feasible."""
        n_art = 2 * self.n_rows
        art = np.arange(self._art0, self._art0 + n_art, dtype=np.int32)
        own = np.arange(self.k, dtype=np.int32)
        saved_cost, saved_lambda = self.own_cost.copy(), self.lambda_cost
        self.h.changeColsCost(self.k, own, np.zeros(self.k))
        self.set_lambda_cost(0.0)
        self.h.changeColsBounds(n_art, art, np.zeros(n_art), np.full(n_art, INF))
        self.h.changeColsCost(n_art, art, np.ones(n_art))
        try:
            for _ in range(self.n_pool + 2):
                model_status = _highs.run(self.h)
                if not _highs.is_optimal(model_status):
                    logger.warning("phase I ended %s", _highs.status_name(self.h, model_status))
                    return False
                sol = self.h.getSolution()
                if not self._price(np.asarray(sol.row_dual), 0.0, exclude):
                    break
            violation = float(self.h.getInfo().objective_function_value)
        finally:
            self.h.changeColsCost(n_art, art, np.zeros(n_art))
            self.h.changeColsBounds(n_art, art, np.zeros(n_art), np.zeros(n_art))
            self.h.changeColsCost(self.k, own, saved_cost)
            self.own_cost = saved_cost
            self.set_lambda_cost(saved_lambda)
        return violation <= FEAS_TOL

    def _outcome(self, sol: object) -> Outcome:
        values = np.asarray(sol.col_value)  # type: ignore[attr-defined]
        lam = values[self._lam0 :]
        hit = np.flatnonzero(lam > LAMBDA_TOL)
        members = np.asarray(self.members, dtype=np.int64)
        return Outcome(
            OPTIMAL,
            float(self.h.getInfo().objective_function_value),
            values[: self.k].copy(),
            np.asarray(sol.col_dual)[: self.k].copy(),  # type: ignore[attr-defined]
            members[hit],
            lam[hit].copy(),
        )
