"""HiGHS in process: one model per built problem, edited in place (objectives, bounds, holds) and warm-started.

``HighsModel`` gets the PuLP problem once, as arrays (``handoff``); rows and columns keep PuLP's names for
lookups. Every HiGHS solve of the package goes through ``HighsModel.run``.
"""

from __future__ import annotations

import logging
import math
import time
from operator import attrgetter

import numpy as np
import pulp

from models import SolveStatus, StageReport

from ..formulation import Level
from .handoff import ModelArrays, highs_lp, model_arrays
from .settings import AT_BOUND, MIP_OPTIONS, SolverSettings, gap_for

logger = logging.getLogger(__name__)
_hash = attrgetter("hash")


def _new_highs():
    """A HiGHS instance that prints nothing (the public wrapper prints a banner on stdout at construction)."""
    import highspy

    core = getattr(highspy, "_core", None)
    h = core._Highs() if core is not None and hasattr(core, "_Highs") else highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


def _dist_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:  # pragma: no cover
        return "?"


def highs_version() -> str:
    """Version string of the installed HiGHS."""
    h = _new_highs()
    return f"HiGHS {h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()} (highspy {_dist_version('highspy')})"


_HIGHS_STATUS = {
    "kOptimal": SolveStatus.OPTIMAL,
    "kInfeasible": SolveStatus.INFEASIBLE,
    "kUnbounded": SolveStatus.UNBOUNDED,
    "kUnboundedOrInfeasible": SolveStatus.INFEASIBLE,
}
_HIGHS_LIMITS = {"kTimeLimit", "kIterationLimit", "kInterrupt", "kSolutionLimit", "kObjectiveBound", "kObjectiveTarget"}


class HighsModel:
    """A PuLP problem handed to HiGHS once, as arrays; rows and columns keep PuLP's names for lookups."""

    def __init__(self, problem: pulp.LpProblem | None, settings: SolverSettings, *, arrays: ModelArrays | None = None):
        arrays = arrays if arrays is not None else model_arrays(problem)
        self.source = problem
        """The PuLP problem handed off (None for a twin made from arrays alone)."""
        self.settings = settings
        self.arrays = arrays
        self.columns = arrays.columns
        self.col_index = arrays.col_index
        self._col_of_hash = {v.hash: n for n, v in enumerate(self.columns)}
        self.row_names = arrays.row_names
        self.row_index = {name: n for n, name in enumerate(self.row_names)}
        self.integer = arrays.integer
        self.gap = gap_for(settings.mip_gap, len(self.columns))
        self.row_lower = arrays.row_lower.copy()
        self.row_upper = arrays.row_upper.copy()
        self.col_lower = arrays.col_lower.copy()
        self.col_upper = arrays.col_upper.copy()
        self.h = _new_highs()
        self._configure()
        self.h.passModel(highs_lp(arrays))
        self.hold_rows: dict[str, int] = {}
        """Row holding each level's optimum (by level name), added on first use and reused."""
        self.hold_bounds: dict[str, tuple[np.ndarray, np.ndarray, tuple[float, float]]] = {}
        """(columns, coefficients, (lower, upper)) of each active hold row."""
        self.fixed: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        """(columns, values) fixed at their best bound to hold a level (by level name)."""
        self.integers_fixed = False
        self._arrays_cache: dict[int, tuple[pulp.LpAffineExpression, np.ndarray, np.ndarray]] = {}

    def twin(self) -> HighsModel:
        """A second HiGHS model of the same problem as handed off (no holds, no basis), sharing the arrays."""
        twin = HighsModel(None, self.settings, arrays=self.arrays)
        twin.source = self.source
        return twin

    def _configure(self) -> None:
        s = self.settings
        self.h.setOptionValue("output_flag", bool(s.verbose))
        self.h.setOptionValue("mip_rel_gap", self.gap)
        for option, value in MIP_OPTIONS.items():
            self.h.setOptionValue(option, value)
        if s.threads:
            self.h.setOptionValue("threads", int(s.threads))

    def expr_arrays(self, expr: pulp.LpAffineExpression) -> tuple[np.ndarray, np.ndarray]:
        """(column indices, coefficients) of a PuLP expression over the model's columns, cached per expression."""
        hit = self._arrays_cache.get(id(expr))
        if hit is None or hit[0] is not expr:
            idx = np.fromiter(map(self._col_of_hash.__getitem__, map(_hash, expr)), dtype=np.int32, count=len(expr))
            val = np.fromiter(expr.values(), dtype=float, count=len(expr))
            hit = (expr, idx, val)
            self._arrays_cache[id(expr)] = hit
        return hit[1], hit[2]

    def expr_value(self, expr: pulp.LpAffineExpression, values: np.ndarray) -> float:
        """Value of an expression (with its constant) at column values."""
        idx, val = self.expr_arrays(expr)
        return float(np.dot(values[idx], val)) + float(expr.constant)

    def set_objective(self, expr: pulp.LpAffineExpression, maximize: bool) -> None:
        """Replace the objective with a PuLP expression over the model's columns (its constant as the offset)."""
        import highspy

        idx, val = self.expr_arrays(expr)
        cost = np.zeros(len(self.columns))
        cost[idx] = val
        self.h.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost)
        self.h.changeObjectiveOffset(float(expr.constant))
        sense = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
        self.h.changeObjectiveSense(sense)

    def _best_bounds(self, idx: np.ndarray, val: np.ndarray, maximize: bool) -> np.ndarray:
        """The bound each counted column would take at the best value of the level (may be infinite)."""
        up = (val > 0) == maximize
        return np.where(up, self.col_upper[idx], self.col_lower[idx])

    def hold_level(self, level: Level, values: np.ndarray, slack: float = 0.0) -> str:
        """Keep a solved level at its optimum while later levels are solved; returns how ("fixed" or "row").

        Holding a level again (at another point) replaces its earlier hold, of either kind.

        Where every variable the level counts sits at its best bound (all deviations 0, all progress at its
        cap), those variables are fixed there: exact. Otherwise a row keeps the level's value within
        ``slack`` (relative) of the value read off ``values``: the level's own plan, which therefore satisfies it.
        """
        idx, val = self.expr_arrays(level.objective)
        best = self._best_bounds(idx, val, level.maximize)
        if len(idx) and np.all(np.isfinite(best)) and np.all(np.abs(values[idx] - best) <= AT_BOUND):
            if level.name in self.hold_bounds:  # held by a row before (a re-hold at another point): free the row
                self.h.changeRowBounds(self.hold_rows[level.name], -np.inf, np.inf)
                del self.hold_bounds[level.name]
            self.h.changeColsBounds(len(idx), idx, best, best)
            self.fixed[level.name] = (idx, best)
            return "fixed"
        if level.name in self.fixed:  # fixed before: give the columns their bounds back
            del self.fixed[level.name]
            self.h.changeColsBounds(len(idx), idx, self.col_lower[idx], self.col_upper[idx])
        z = float(np.dot(values[idx], val))
        room = slack * max(1.0, abs(z))
        bounds = (z - room, np.inf) if level.maximize else (-np.inf, z + room)
        row = self.hold_rows.get(level.name)
        if row is None:
            self.h.addRow(bounds[0], bounds[1], len(idx), idx, val)
            self.hold_rows[level.name] = row = self.h.getNumRow() - 1
        else:
            self.h.changeRowBounds(row, *bounds)
        self.hold_bounds[level.name] = (idx, val, bounds)
        return "row"

    def loosen_holds(self, relative: float) -> None:
        """Widen every hold row by ``relative`` x max(1, |bound|) (a retry after numerical trouble)."""
        for name, (idx, val, (lower, upper)) in list(self.hold_bounds.items()):
            if np.isfinite(lower):
                bounds = (lower - relative * max(1.0, abs(lower)), upper)
            else:
                bounds = (lower, upper + relative * max(1.0, abs(upper)))
            self.h.changeRowBounds(self.hold_rows[name], *bounds)
            self.hold_bounds[name] = (idx, val, bounds)

    def holds_satisfied(self, values: np.ndarray) -> bool:
        """Whether a plan keeps every level held so far (e.g. a start offered to the next level)."""
        for idx, fixed in self.fixed.values():
            if np.any(np.abs(values[idx] - fixed) > AT_BOUND):
                return False
        for idx, val, (lower, upper) in self.hold_bounds.values():
            act = float(np.dot(values[idx], val))
            if act < lower - 1e-9 * max(1.0, abs(lower)) or act > upper + 1e-9 * max(1.0, abs(upper)):
                return False
        return True

    def holds_snapshot(self) -> tuple[dict, dict]:
        """The current holds (rows and fixed columns), to put back after a what-if re-solve."""
        return dict(self.hold_bounds), dict(self.fixed)

    def restore_holds(self, snapshot: tuple[dict, dict]) -> None:
        """Put back holds taken with ``holds_snapshot``, releasing any taken since."""
        self.release_hold()
        rows, cols = snapshot
        for name, (idx, val, bounds) in rows.items():
            self.h.changeRowBounds(self.hold_rows[name], *bounds)
            self.hold_bounds[name] = (idx, val, bounds)
        for name, (idx, value) in cols.items():
            self.h.changeColsBounds(len(idx), idx, value, value)
            self.fixed[name] = (idx, value)

    def add_row(self, expr: pulp.LpAffineExpression, lower: float, upper: float) -> int:
        """Append a row over the model's columns (e.g. a cap on extra money); returns its index."""
        idx, val = self.expr_arrays(expr)
        self.h.addRow(lower, upper, len(idx), idx, val)
        return self.h.getNumRow() - 1

    def set_row_bounds_at(self, row: int, lower: float, upper: float) -> None:
        """Change the bounds of a row by index (rows added with ``add_row``)."""
        self.h.changeRowBounds(row, lower, upper)

    def set_coefficients(self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> None:
        """Change matrix entries in place (e.g. drawn yields), keeping the rest of the model and its basis."""
        change = self.h.changeCoeff
        for r, c, v in zip(rows.tolist(), cols.tolist(), values.tolist()):
            change(r, c, v)

    def release_hold(self) -> None:
        """Undo every hold (before re-solving from the first level after a what-if change)."""
        for name in self.hold_bounds:
            self.h.changeRowBounds(self.hold_rows[name], -np.inf, np.inf)
        for idx, _ in self.fixed.values():
            self.h.changeColsBounds(len(idx), idx, self.col_lower[idx], self.col_upper[idx])
        self.hold_bounds, self.fixed = {}, {}

    def set_row_upper(self, name: str, upper: float) -> None:
        """Change a row's upper bound (a budget right-hand side) by name."""
        r = self.row_index[name]
        self.row_upper[r] = upper
        self.h.changeRowBounds(r, self.row_lower[r], upper)

    def set_row_bounds(self, name: str, lower: float, upper: float) -> None:
        """Change both bounds of a row by name."""
        r = self.row_index[name]
        self.row_lower[r], self.row_upper[r] = lower, upper
        self.h.changeRowBounds(r, lower, upper)

    def set_row_lower(self, name: str, lower: float) -> None:
        """Change a row's lower bound by name."""
        r = self.row_index[name]
        self.row_lower[r] = lower
        self.h.changeRowBounds(r, lower, self.row_upper[r])

    def set_column_bounds(self, name: str, lower: float, upper: float) -> None:
        """Change both bounds of a column by name."""
        c = self.col_index[name]
        self.col_lower[c], self.col_upper[c] = lower, upper
        self.h.changeColBounds(c, lower, upper)

    def forget_basis(self) -> None:
        """Drop the basis and solution, so the next LP is solved from scratch with presolve.

        After an objective change the old basis is a poor start and HiGHS skips presolve when it has one: the
        stage-2 relaxation at 100 units took 30.6 s warm from stage 1's basis and ~1 s cold.
        """
        self.h.clearSolver()

    def fix_integers(self, values: np.ndarray) -> None:
        """Fix every integer column at its (rounded) value, turning the MILP into the LP around a solution."""
        idx = np.flatnonzero(self.integer).astype(np.int32)
        if len(idx):
            fixed = np.round(values[idx])
            self.h.changeColsBounds(len(idx), idx, fixed, fixed)
            self.h.changeColsIntegrality(len(idx), idx, np.zeros(len(idx), dtype=np.uint8))
            self.integers_fixed = True

    def relax_integers(self) -> None:
        """Treat every integer column as continuous within its bounds (the LP relaxation)."""
        idx = np.flatnonzero(self.integer).astype(np.int32)
        if len(idx):
            self.h.changeColsBounds(len(idx), idx, self.col_lower[idx], self.col_upper[idx])
            self.h.changeColsIntegrality(len(idx), idx, np.zeros(len(idx), dtype=np.uint8))

    def release_integers(self) -> None:
        """Undo ``fix_integers``: original bounds and integrality."""
        import highspy

        idx = np.flatnonzero(self.integer).astype(np.int32)
        if len(idx):
            self.h.changeColsBounds(len(idx), idx, self.col_lower[idx], self.col_upper[idx])
            kinds = np.full(len(idx), int(highspy.HighsVarType.kInteger), dtype=np.uint8)
            self.h.changeColsIntegrality(len(idx), idx, kinds)
            self.integers_fixed = False

    def row_values(self) -> np.ndarray:
        """Row activities (left-hand sides) after a solve."""
        return np.array(self.h.getSolution().row_value)

    def col_duals(self) -> np.ndarray:
        """Reduced costs after an LP solve."""
        return np.array(self.h.getSolution().col_dual)

    def values_array(self, named: dict[str, float]) -> np.ndarray:
        """Column values from a name -> value mapping (missing names read 0)."""
        return np.array([named.get(v.name, 0.0) for v in self.columns])

    def run(self, stage: str, time_limit: float | None, *, exact: bool = False) -> tuple[StageReport, np.ndarray | None]:
        """Solve the current model; the report says how it ended, values are None without a solution.

        ``exact`` asks for a MIP gap of 1e-6 absolute (for stage 1, whose objective counts open gaps); other
        stages stop at the model's relative gap (``self.gap``), with an absolute gap a tenth of it (at most
        1e-6) so HiGHS's default absolute 1e-6 does not stop a near-1 objective short of a 1e-6 relative gap.
        """
        limit = 0.0 if exact else self.gap
        self.h.setOptionValue("time_limit", float(time_limit) if time_limit else math.inf)
        self.h.setOptionValue("mip_rel_gap", limit)
        self.h.setOptionValue("mip_abs_gap", 1e-6 if exact else min(1e-6, 0.1 * limit))
        start = time.perf_counter()
        self.h.run()
        seconds = time.perf_counter() - start
        raw = self.h.getModelStatus()
        name = getattr(raw, "name", str(raw).split(".")[-1])
        info = self.h.getInfo()
        has_primal = getattr(info, "primal_solution_status", 0) == 2
        if name in _HIGHS_STATUS:
            status = _HIGHS_STATUS[name]
        elif name in _HIGHS_LIMITS:
            status = SolveStatus.FEASIBLE if has_primal else SolveStatus.NO_SOLUTION
        else:
            status = SolveStatus.ERROR
        values = np.array(self.h.getSolution().col_value) if status.has_solution else None
        gap = float(info.mip_gap) if self.integer.any() and status.has_solution else None
        objective = float(self.h.getObjectiveValue()) if status.has_solution else math.nan
        report = StageReport(
            name=stage, objective=objective, status=status, seconds=seconds, mip_gap=gap, gap_limit=limit if self.integer.any() else None
        )
        logger.debug("stage %s: %s objective %.6g in %.3f s", stage, status.value, objective, seconds)
        return report, values

    def warm_start(self, values: np.ndarray) -> None:
        """Offer a known feasible point to the MIP solver (the previous stage's or level's solution)."""
        if self.integer.any():
            import highspy

            sol = highspy.HighsSolution()
            sol.col_value = list(values)
            sol.value_valid = True
            self.h.setSolution(sol)

    def named(self, values: np.ndarray) -> dict[str, float]:
        """Column values keyed by variable name."""
        return {v.name: float(values[n]) for n, v in enumerate(self.columns)}

    def row_duals(self) -> dict[str, float]:
        """Dual values of the named rows after an LP solve (HiGHS sign convention, objective sense as set)."""
        duals = self.h.getSolution().row_dual
        return {name: float(duals[n]) for n, name in enumerate(self.row_names)}
