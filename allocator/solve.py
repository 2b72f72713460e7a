"""The one place that runs a solver: lexicographic solves, level by level, of a built problem.

Each priority level is optimized while every level before it is held at its optimum (docs/formulation.md,
"Solving"). HiGHS runs in-process through highspy on arrays taken from the PuLP model (one hand-off, then
levels and what-if changes edit the same HiGHS model and warm-start). CBC runs through PuLP's bundled
command-line solver. Anything but a usable solution raises: ``InfeasibleError`` or ``SolverError``.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pulp

from models import SolveStatus, StageReport

from .errors import InfeasibleError, OverrideError, SolverError
from .formulation import BuiltProblem, Level
from .limits import MAX_TIME_LIMIT

logger = logging.getLogger(__name__)

SolverName = Literal["highs", "cbc"]
SOLVERS: tuple[str, ...] = ("highs", "cbc")
HOLD_RETRY_RELATIVE = 1e-10
"""A level held by a row keeps z <= z* (minimized; z >= z* maximized) with z* read off the level's own plan, which
therefore satisfies the row (to round-off, within the solver's feasibility tolerance): integer-safe, and no slack
for later levels to take. Should a later level still come back infeasible (numerical trouble), the rows are
loosened by 1e-10 x max(1, |z*|), a tenth of the promised 1e-9, and that level is solved again once."""
LEAK_RELATIVE = 1e-9
"""After the last level each held level is recomputed from the final plan; it may be worse than its optimum by at
most 1e-9 x max(1, |z*|), else the plan is polished (see ``_polish``) and any remaining difference is reported."""
AT_BOUND = 1e-9
"""A level whose every counted variable lies within this of its best bound (deviations at 0, progress at its cap)
is held by fixing those variables there: exact, no row and no tolerance."""
POLISH_FEASIBILITY = 1e-10
"""Primal feasibility tolerance of the polishing re-solve (HiGHS's default is 1e-7, its smallest 1e-10)."""
FINE_GAP = 1e-6
"""Relative MIP gap of the weighted-progress stages of models up to ``FINE_GAP_COLUMNS`` columns."""
COARSE_GAP = 1e-4
"""Relative MIP gap above that size (HiGHS's default), where closing the last 1e-4 costs many times the solve."""
FINE_GAP_COLUMNS = 10_000
"""Size rule (measured, benchmarks/gap_bench.py): the bundled plan (5,106 columns) proves 0 gap at 1e-6 in the
time 1e-4 takes; a 25x25 synthetic plan (17,913) takes 1.7-3x as long and a 60x30 one (51,750) 7-8x."""


def gap_for(requested: float | None, columns: int) -> float:
    """The relative MIP gap a model is solved to: the one asked for, else by size (fine up to FINE_GAP_COLUMNS)."""
    if requested is not None:
        return float(requested)
    return FINE_GAP if columns <= FINE_GAP_COLUMNS else COARSE_GAP


@dataclass(frozen=True)
class SolverSettings:
    """Which solver to run and how long it may take."""

    name: SolverName = "highs"
    time_limit: float | None = None
    mip_gap: float | None = None
    """Relative MIP gap of stage 2 (weighted progress); None: by model size (``gap_for``). Stage 1 counts open
    gaps and is solved to 1e-6 absolute."""
    threads: int | None = None
    verbose: bool = False

    def __post_init__(self) -> None:
        if self.name not in SOLVERS:
            raise SolverError(f"unknown solver '{self.name}'; choose one of {', '.join(SOLVERS)}")
        if self.time_limit is not None and not (math.isfinite(self.time_limit) and 0 < self.time_limit <= MAX_TIME_LIMIT):
            raise OverrideError(f"--time-limit {self.time_limit}: a number of seconds above 0 and at most {MAX_TIME_LIMIT:,.0f}")
        if self.mip_gap is not None and not 0 <= self.mip_gap < 1:
            raise SolverError(f"MIP gap must be in [0, 1), got {self.mip_gap}")


@dataclass
class LexSolution:
    """Values of every variable after the last level, and how each level (stage) went."""

    status: SolveStatus
    values: dict[str, float]
    stages: list[StageReport] = field(default_factory=list)
    solver: str = ""
    version: str = ""

    def objective(self, stage: str) -> float:
        """Objective value of a named stage."""
        return next(s.objective for s in self.stages if s.name == stage)


MIP_OPTIONS = {
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_root_reduced_cost": False,
    "mip_heuristic_run_feasibility_jump": False,
    "mip_allow_restart": False,
    "mip_allow_cut_separation_at_nodes": False,
}
"""HiGHS MIP settings for our models: few lumpy integers in a large LP, so sub-MIP heuristics and restarts
cost more than they find (measured: the bundled plan 0.27 s instead of 0.81 s, a 60x30 synthetic one 4.5 s
instead of 4.7 s; see benchmarks/solver_bench.py). Every solve is warm-started with a known plan anyway."""


def levels_of(source: BuiltProblem | Sequence[Level]) -> list[Level]:
    """The levels of a built problem (or a list of levels as given)."""
    return list(source.levels) if isinstance(source, BuiltProblem) else list(source)


def leak_allowed(optimum: float) -> float:
    """How much worse than its optimum a held level may end: 1e-9 relative (absolute below 1)."""
    return LEAK_RELATIVE * max(1.0, abs(optimum))


# ---------------------------------------------------------------------------------------------
# HiGHS, in process
# ---------------------------------------------------------------------------------------------


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

    def __init__(self, problem: pulp.LpProblem, settings: SolverSettings):
        import highspy

        self.settings = settings
        self.columns = problem.variables()
        self.col_index = {v.name: n for n, v in enumerate(self.columns)}
        self.row_names = list(problem.constraints)
        self.row_index = {name: n for n, name in enumerate(self.row_names)}
        self.integer = np.array([v.cat == pulp.LpInteger for v in self.columns])
        self.gap = gap_for(settings.mip_gap, len(self.columns))
        self.h = _new_highs()
        self._configure()
        lp = self._arrays(problem, highspy)
        self.row_lower = np.array(lp.row_lower_, dtype=float)
        self.row_upper = np.array(lp.row_upper_, dtype=float)
        self.col_lower = np.array(lp.col_lower_, dtype=float)
        self.col_upper = np.array(lp.col_upper_, dtype=float)
        self.h.passModel(lp)
        self.hold_rows: dict[str, int] = {}
        """Row holding each level's optimum (by level name), added on first use and reused."""
        self.hold_bounds: dict[str, tuple[np.ndarray, np.ndarray, tuple[float, float]]] = {}
        """(columns, coefficients, (lower, upper)) of each active hold row."""
        self.fixed: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        """(columns, values) fixed at their best bound to hold a level (by level name)."""
        self.integers_fixed = False
        self._arrays_cache: dict[int, tuple[pulp.LpAffineExpression, np.ndarray, np.ndarray]] = {}

    def _configure(self) -> None:
        s = self.settings
        self.h.setOptionValue("output_flag", bool(s.verbose))
        self.h.setOptionValue("mip_rel_gap", self.gap)
        for option, value in MIP_OPTIONS.items():
            self.h.setOptionValue(option, value)
        if s.threads:
            self.h.setOptionValue("threads", int(s.threads))

    def _arrays(self, problem: pulp.LpProblem, highspy):
        n_col, n_row = len(self.columns), len(self.row_names)
        col_rows: list[list[int]] = [[] for _ in range(n_col)]
        col_vals: list[list[float]] = [[] for _ in range(n_col)]
        row_lo = np.full(n_row, -np.inf)
        row_hi = np.full(n_row, np.inf)
        for r, con in enumerate(problem.constraints.values()):
            for var, coef in con.items():
                if coef:
                    c = self.col_index[var.name]
                    col_rows[c].append(r)
                    col_vals[c].append(coef)
            rhs = -con.constant
            if con.sense == pulp.LpConstraintEQ:
                row_lo[r] = row_hi[r] = rhs
            elif con.sense == pulp.LpConstraintLE:
                row_hi[r] = rhs
            else:
                row_lo[r] = rhs
        starts = np.zeros(n_col + 1, dtype=np.int32)
        starts[1:] = np.cumsum([len(x) for x in col_rows])
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n_col, n_row
        lp.col_cost_ = np.zeros(n_col)
        lp.col_lower_ = np.array([-np.inf if v.lowBound is None else v.lowBound for v in self.columns], dtype=float)
        lp.col_upper_ = np.array([np.inf if v.upBound is None else v.upBound for v in self.columns], dtype=float)
        lp.row_lower_, lp.row_upper_ = row_lo, row_hi
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = starts
        lp.a_matrix_.index_ = np.array([r for rows in col_rows for r in rows], dtype=np.int32)
        lp.a_matrix_.value_ = np.array([v for vals in col_vals for v in vals], dtype=float)
        if self.integer.any():
            lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in self.integer]
        return lp

    def expr_arrays(self, expr: pulp.LpAffineExpression) -> tuple[np.ndarray, np.ndarray]:
        """(column indices, coefficients) of a PuLP expression over the model's columns, cached per expression."""
        hit = self._arrays_cache.get(id(expr))
        if hit is None or hit[0] is not expr:
            idx = np.array([self.col_index[v.name] for v in expr], dtype=np.int32)
            val = np.array([expr[v] for v in expr], dtype=float)
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

        Where every variable the level counts sits at its best bound (all deviations 0, all progress at its
        cap), those variables are fixed there: exact. Otherwise a row keeps the level's value within
        ``slack`` (relative) of the value read off ``values``: the level's own plan, which therefore satisfies it.
        """
        idx, val = self.expr_arrays(level.objective)
        best = self._best_bounds(idx, val, level.maximize)
        if len(idx) and np.all(np.isfinite(best)) and np.all(np.abs(values[idx] - best) <= AT_BOUND):
            self.h.changeColsBounds(len(idx), idx, best, best)
            self.fixed[level.name] = (idx, best)
            return "fixed"
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


def _skip(level: Level, last: bool) -> StageReport | None:
    """The report of a level with nothing to optimize (not solved unless it is the last: a plan is still needed)."""
    if last or len(level.objective):
        return None
    return StageReport(
        name=level.name,
        objective=float(level.objective.constant),
        status=SolveStatus.OPTIMAL,
        seconds=0.0,
        priority=level.priority,
        sense=level.sense,
    )


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(deadline - time.perf_counter(), 1e-3)


def lexicographic_highs(
    model: HighsModel,
    levels: BuiltProblem | Sequence[Level],
    time_limit: float | None = None,
    later_start: np.ndarray | None = None,
    start: np.ndarray | None = None,
) -> LexSolution:
    """Optimize each level in turn, holding every level before it at its optimum (``HighsModel.hold_level``).

    ``start`` is offered to the first level solved; ``later_start`` (e.g. the previous point's plan in a
    sweep) to each later level when it keeps every held optimum, so a looser budget never reports a worse
    plan than a tighter one did. A later level always starts from a known feasible plan (the previous
    level's at worst), so when the time limit stops it before it finds one, that plan is kept, marked
    time_limit_feasible. Starts are offered after the objective is set: changing costs discards a start.
    After the last level every held level is recomputed from the final plan (``leak`` in its report).
    """
    levels = levels_of(levels)
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    model.release_hold()
    stages: list[StageReport] = []
    held: list[tuple[Level, int]] = []
    values: np.ndarray | None = None
    for n, level in enumerate(levels):
        last = n == len(levels) - 1
        skipped = _skip(level, last)
        if skipped is not None:
            stages.append(skipped)
            continue
        model.set_objective(level.objective, level.maximize)
        offer = values if values is not None else (start if start is not None else later_start)
        if values is not None and later_start is not None and model.holds_satisfied(later_start):
            offer = later_start
        if offer is not None:
            model.warm_start(offer)
        limit = time_limit if values is None else _remaining(deadline)
        report, found = model.run(level.name, limit, exact=level.exact)
        if report.status == SolveStatus.INFEASIBLE and model.hold_bounds:
            logger.warning("level %s infeasible with earlier levels held exactly; loosening by %g", level.name, HOLD_RETRY_RELATIVE)
            model.loosen_holds(HOLD_RETRY_RELATIVE)
            if offer is not None:
                model.warm_start(offer)
            report, found = model.run(level.name, _remaining(deadline), exact=level.exact)
        report = report.model_copy(update={"priority": level.priority, "sense": level.sense})
        if found is None and report.status == SolveStatus.NO_SOLUTION and values is not None and offer is not None:
            # the previous level's plan (or the offered start) keeps every hold: report it rather than nothing
            found = offer
            report = report.model_copy(update={"status": SolveStatus.FEASIBLE, "objective": model.expr_value(level.objective, offer)})
        if found is None:
            stages.append(report)
            return LexSolution(report.status, {}, stages)
        values = found
        if not last:
            report = report.model_copy(update={"hold": model.hold_level(level, values)})
            held.append((level, len(stages)))
        stages.append(report)
    assert values is not None  # the last level is always solved
    values = _verify(model, levels[-1], held, stages, values)
    status = SolveStatus.FEASIBLE if any(s.status == SolveStatus.FEASIBLE for s in stages) else SolveStatus.OPTIMAL
    return LexSolution(status, model.named(values), stages, "highs", highs_version())


def _leaks(model: HighsModel, held: list[tuple[Level, int]], stages: list[StageReport], values: np.ndarray) -> list[float]:
    """How much worse than its optimum each held level is in a plan (positive = worse)."""
    out = []
    for level, k in held:
        final = model.expr_value(level.objective, values)
        diff = final - stages[k].objective
        out.append(-diff if level.maximize else diff)
    return out


def _verify(model: HighsModel, last: Level, held: list[tuple[Level, int]], stages: list[StageReport], values: np.ndarray) -> np.ndarray:
    """Recompute every held level from the final plan; polish once if one leaked beyond LEAK_RELATIVE; record the leaks."""
    leaks = _leaks(model, held, stages, values)
    if any(leak > leak_allowed(stages[k].objective) for leak, (_, k) in zip(leaks, held)):
        polished = _polish(model, last, values)
        if polished is not None:
            again = _leaks(model, held, stages, polished)
            if max(again) < max(leaks):
                values, leaks = polished, again
                stages[-1] = stages[-1].model_copy(update={"objective": model.expr_value(last.objective, values)})
        for leak, (level, k) in zip(leaks, held):
            if leak > leak_allowed(stages[k].objective):
                logger.warning("level %s ends %.3g worse than its optimum %.12g", level.name, leak, stages[k].objective)
    for leak, (level, k) in zip(leaks, held):
        stages[k] = stages[k].model_copy(update={"final": model.expr_value(level.objective, values), "leak": leak})
    return values


def _polish(model: HighsModel, last: Level, values: np.ndarray) -> np.ndarray | None:
    """Re-solve the last level as an LP around the plan (integers fixed) at a 1e-10 primal feasibility tolerance.

    Hold rows are met to HiGHS's feasibility tolerance (1e-7 by default); the re-solve tightens that to
    its smallest setting, so a row-held level ends where it was held.
    """
    fix = bool(model.integer.any()) and not model.integers_fixed
    if fix:
        model.fix_integers(values)
    default = 1e-7
    model.h.setOptionValue("primal_feasibility_tolerance", POLISH_FEASIBILITY)
    try:
        model.set_objective(last.objective, last.maximize)
        _, found = model.run(f"{last.name}_polish", None, exact=last.exact)
    finally:
        model.h.setOptionValue("primal_feasibility_tolerance", default)
        if fix:
            model.release_integers()
    return found


# ---------------------------------------------------------------------------------------------
# CBC, through PuLP
# ---------------------------------------------------------------------------------------------


CBC_OPTIONS = ["preprocess off", "heur off"]
"""CBC's integer preprocessing cut off the optimum of the bundled scenario (0.939 or 0.955 reported as
optimal against HiGHS's proven 0.956, whose plan satisfies every row); without it CBC agrees. With the line
rules of issue 9, CBC's primal heuristics led it to declare 0.951969 optimal where HiGHS proves 0.951993 (a plan
satisfying every row to 1e-12); with them off it finds 0.951993, in less time (9 s against 25 s)."""


def _cbc(settings: SolverSettings, time_limit: float | None, warm: bool = False, gap: float = COARSE_GAP):
    return pulp.PULP_CBC_CMD(
        msg=settings.verbose,
        timeLimit=time_limit,
        gapRel=gap,
        threads=settings.threads,
        warmStart=warm,
        options=list(CBC_OPTIONS),
    )


def _cbc_status(problem: pulp.LpProblem) -> SolveStatus:
    if problem.status == pulp.LpStatusOptimal:
        return SolveStatus.FEASIBLE if problem.sol_status == pulp.LpSolutionIntegerFeasible else SolveStatus.OPTIMAL
    if problem.status == pulp.LpStatusInfeasible:
        return SolveStatus.INFEASIBLE
    if problem.status == pulp.LpStatusUnbounded:
        return SolveStatus.UNBOUNDED
    if problem.status == pulp.LpStatusUndefined:
        return SolveStatus.INFEASIBLE
    return SolveStatus.NO_SOLUTION if problem.sol_status == pulp.LpSolutionNoSolutionFound else SolveStatus.ERROR


def _cbc_stage(problem: pulp.LpProblem, stage: str, settings: SolverSettings, limit: float | None, warm: bool) -> StageReport:
    """One CBC solve. PuLP reads back no bound, so ``mip_gap`` stays None; an optimal MIP is within ``gap_limit``."""
    variables = problem.variables()
    gap = gap_for(settings.mip_gap, len(variables))
    start = time.perf_counter()
    try:
        problem.solve(_cbc(settings, limit, warm, gap))
    except pulp.PulpSolverError as exc:  # the CBC binary is missing or crashed
        raise SolverError(f"CBC failed in {stage}: {exc}") from exc
    status = _cbc_status(problem)
    obj = pulp.value(problem.objective) if status.has_solution else math.nan
    integer = any(v.cat == pulp.LpInteger for v in variables)
    return StageReport(
        name=stage, objective=float(obj or 0.0), status=status, seconds=time.perf_counter() - start, gap_limit=gap if integer else None
    )


def _cbc_hold(problem: pulp.LpProblem, level: Level, saved: dict[str, tuple]) -> str:
    """Hold a level solved by CBC: fix its variables at their best bound, or add a row (see HighsModel.hold_level)."""
    best = {}
    for var, coef in level.objective.items():
        bound = var.upBound if (coef > 0) == level.maximize else var.lowBound
        if bound is None or abs((var.varValue or 0.0) - bound) > AT_BOUND:
            break
        best[var] = bound
    else:
        if best:
            for var, bound in best.items():
                saved.setdefault(var.name, (var, var.lowBound, var.upBound))
                var.lowBound = var.upBound = bound
            return "fixed"
    z = sum(coef * (var.varValue or 0.0) for var, coef in level.objective.items())
    expr = level.objective - level.objective.constant
    sense, rhs = (pulp.LpConstraintGE, z) if level.maximize else (pulp.LpConstraintLE, z)
    problem.addConstraint(pulp.LpConstraint(expr, sense, f"hold__{level.name}", rhs))
    return "row"


def lexicographic_cbc(
    source: BuiltProblem | pulp.LpProblem, settings: SolverSettings, levels: Sequence[Level] | None = None
) -> LexSolution:
    """The same levels with CBC; the problem's objective, bounds and rows are restored afterwards."""
    problem = source.problem if isinstance(source, BuiltProblem) else source
    levels = levels_of(source if levels is None else levels)
    stages: list[StageReport] = []
    held: list[tuple[Level, int]] = []
    saved: dict[str, tuple] = {}
    objective, sense = problem.objective, problem.sense
    deadline = None if settings.time_limit is None else time.perf_counter() + settings.time_limit
    try:
        for n, level in enumerate(levels):
            last = n == len(levels) - 1
            skipped = _skip(level, last)
            if skipped is not None:
                stages.append(skipped)
                continue
            problem.sense = pulp.LpMaximize if level.maximize else pulp.LpMinimize
            problem.setObjective(level.objective)
            limit = settings.time_limit if not held else (None if deadline is None else max(deadline - time.perf_counter(), 1.0))
            report = _cbc_stage(problem, level.name, settings, limit, warm=bool(held)).model_copy(
                update={"priority": level.priority, "sense": level.sense}
            )
            if not report.status.has_solution:
                stages.append(report)
                return LexSolution(report.status, {}, stages)
            if not last:
                report = report.model_copy(update={"hold": _cbc_hold(problem, level, saved)})
                held.append((level, len(stages)))
            stages.append(report)
        values = {v.name: float(v.varValue or 0.0) for v in problem.variables()}
        for level, k in held:
            final = float(pulp.value(level.objective))
            diff = final - stages[k].objective
            stages[k] = stages[k].model_copy(update={"final": final, "leak": -diff if level.maximize else diff})
    finally:
        for name in [c for c in problem.constraints if c.startswith("hold__")]:
            problem.constraints.pop(name)
        for var, low, up in saved.values():
            var.lowBound, var.upBound = low, up
        problem.sense = sense
        if objective is not None:
            problem.setObjective(objective)
    status = SolveStatus.FEASIBLE if any(s.status == SolveStatus.FEASIBLE for s in stages) else SolveStatus.OPTIMAL
    return LexSolution(status, values, stages, "cbc", f"CBC (bundled with PuLP {pulp.__version__})")


def solve_single(bp: BuiltProblem, settings: SolverSettings, maximize: bool = False) -> LexSolution:
    """One-stage solve of the problem's current objective (used by the elastic explanation)."""
    if settings.name == "highs":
        model = HighsModel(bp.problem, settings)
        model.set_objective(bp.problem.objective, maximize=maximize)
        report, values = model.run("elastic", settings.time_limit)
        named = model.named(values) if values is not None else {}
        return LexSolution(report.status, named, [report], "highs", highs_version())
    report = _cbc_stage(bp.problem, "elastic", settings, settings.time_limit, warm=False)
    values = {v.name: float(v.varValue or 0.0) for v in bp.problem.variables()} if report.status.has_solution else {}
    return LexSolution(report.status, values, [report], "cbc", "CBC")


def solve(bp: BuiltProblem, settings: SolverSettings | None = None) -> LexSolution:
    """Solve every level with the chosen solver; raise unless a usable (optimal or time-limited feasible) plan exists."""
    return solve_levels(bp.problem, bp.levels, settings, bp.scenario.name)


def solve_levels(problem: pulp.LpProblem, levels: Sequence[Level], settings: SolverSettings | None = None, name: str = "") -> LexSolution:
    """Lexicographic solve of any PuLP problem by levels (the plan's, or a goal program's); raises without a usable plan."""
    settings = settings or SolverSettings()
    if settings.name == "highs":
        try:
            model = HighsModel(problem, settings)
        except ImportError as exc:  # pragma: no cover - highspy is a hard dependency
            raise SolverError("HiGHS is not installed (pip install highspy)") from exc
        solution = lexicographic_highs(model, levels, settings.time_limit)
    else:
        solution = lexicographic_cbc(problem, settings, levels)
    raise_for_status(solution, name or problem.name, settings.name)
    return solution


def raise_for_status(solution: LexSolution, scenario: str, solver: str) -> None:
    """Turn a solve without a usable plan into the matching error."""
    status = solution.status
    if status.has_solution:
        return
    stage = solution.stages[-1].name if solution.stages else "?"
    if status in (SolveStatus.INFEASIBLE, SolveStatus.UNBOUNDED):
        raise InfeasibleError(f"scenario '{scenario}' is {status.value} ({solver}, {stage})", status=status.value)
    if status == SolveStatus.NO_SOLUTION:
        raise SolverError(f"scenario '{scenario}': {solver} hit the time limit in {stage} before finding any feasible plan")
    raise SolverError(f"scenario '{scenario}': {solver} stopped with an error in {stage}")


# ---------------------------------------------------------------------------------------------
# An LP given as arrays (the master problem of a decomposition)
# ---------------------------------------------------------------------------------------------


@dataclass
class ArraySolution:
    """Outcome of an LP (or small MILP) given as arrays: status, objective, column values and row duals."""

    status: SolveStatus
    objective: float
    columns: np.ndarray
    row_duals: np.ndarray


def solve_arrays(
    cost: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    matrix: tuple[np.ndarray, np.ndarray, np.ndarray],
    *,
    integer: np.ndarray | None = None,
    time_limit: float | None = None,
) -> ArraySolution:
    """Minimize ``cost @ x`` subject to ``row_lower <= A x <= row_upper`` and column bounds, with HiGHS.

    ``matrix`` is A in compressed columns (start, index, value). Row duals follow HiGHS's convention for a
    minimization: the reduced cost of a column is ``cost - A^T duals``.
    """
    import highspy

    start, index, value = matrix
    n_col, n_row = len(cost), len(row_lower)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_col, n_row
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_, lp.col_upper_ = np.asarray(col_lower, dtype=float), np.asarray(col_upper, dtype=float)
    lp.row_lower_, lp.row_upper_ = np.asarray(row_lower, dtype=float), np.asarray(row_upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.asarray(start, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(value, dtype=float)
    if integer is not None and integer.any():
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in integer]
    h = _new_highs()
    h.setOptionValue("time_limit", float(time_limit) if time_limit else math.inf)
    h.setOptionValue("mip_rel_gap", 1e-9)
    h.passModel(lp)
    h.run()
    raw = h.getModelStatus()
    name = getattr(raw, "name", str(raw).split(".")[-1])
    status = _HIGHS_STATUS.get(name, SolveStatus.ERROR)
    if name in _HIGHS_LIMITS:
        status = SolveStatus.FEASIBLE if getattr(h.getInfo(), "primal_solution_status", 0) == 2 else SolveStatus.NO_SOLUTION
    sol = h.getSolution()
    ok = status.has_solution
    return ArraySolution(
        status,
        float(h.getObjectiveValue()) if ok else math.nan,
        np.array(sol.col_value) if ok else np.zeros(n_col),
        np.array(sol.row_dual) if ok and sol.dual_valid else np.zeros(n_row),
    )
