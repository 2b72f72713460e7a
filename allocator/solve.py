"""The one place that runs a solver: lexicographic (stage 1, then stage 2) solves of a built problem.

HiGHS runs in-process through highspy on arrays taken from the PuLP model (one hand-off, then stages and
what-if changes edit the same HiGHS model and warm-start). CBC runs through PuLP's bundled command-line
solver. Anything but a usable solution raises: ``InfeasibleError`` or ``SolverError``.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pulp

from models import SolveStatus, StageReport

from .errors import InfeasibleError, SolverError
from .formulation import BuiltProblem

logger = logging.getLogger(__name__)

SolverName = Literal["highs", "cbc"]
SOLVERS: tuple[str, ...] = ("highs", "cbc")
STAGE1_TOLERANCE = 1e-6
"""Slack on the stage-1 optimum held in stage 2 (absolute, plus the same relative), against round-off."""
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
        if self.time_limit is not None and self.time_limit <= 0:
            raise SolverError(f"time limit must be positive, got {self.time_limit}")
        if self.mip_gap is not None and not 0 <= self.mip_gap < 1:
            raise SolverError(f"MIP gap must be in [0, 1), got {self.mip_gap}")


@dataclass
class LexSolution:
    """Values of every variable after the last stage, and how each stage went."""

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


def _hold_rhs(z1: float) -> float:
    return z1 + STAGE1_TOLERANCE * (1.0 + abs(z1))


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
        self.hold_row: int | None = None

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

    def set_objective(self, expr: pulp.LpAffineExpression, maximize: bool) -> None:
        """Replace the objective with a PuLP expression over the model's columns."""
        import highspy

        cost = np.zeros(len(self.columns))
        for var, coef in expr.items():
            cost[self.col_index[var.name]] = coef
        self.h.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost)
        sense = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
        self.h.changeObjectiveSense(sense)

    def hold(self, expr: pulp.LpAffineExpression, upper: float) -> None:
        """Keep ``expr <= upper`` (the stage-1 optimum) as a row; reuse the row on later calls."""
        if self.hold_row is None:
            idx = np.array([self.col_index[v.name] for v in expr], dtype=np.int32)
            val = np.array([expr[v] for v in expr], dtype=float)
            self.h.addRow(-np.inf, upper, len(idx), idx, val)
            self.hold_row = self.h.getNumRow() - 1
        else:
            self.h.changeRowBounds(self.hold_row, -np.inf, upper)

    def add_row(self, expr: pulp.LpAffineExpression, lower: float, upper: float) -> int:
        """Append a row over the model's columns (e.g. a cap on extra money); returns its index."""
        idx = np.array([self.col_index[v.name] for v in expr], dtype=np.int32)
        val = np.array([expr[v] for v in expr], dtype=float)
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
        """Relax the stage-1 hold row (before re-solving stage 1 after a what-if change)."""
        if self.hold_row is not None:
            self.h.changeRowBounds(self.hold_row, -np.inf, np.inf)

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

    def release_integers(self) -> None:
        """Undo ``fix_integers``: original bounds and integrality."""
        import highspy

        idx = np.flatnonzero(self.integer).astype(np.int32)
        if len(idx):
            self.h.changeColsBounds(len(idx), idx, self.col_lower[idx], self.col_upper[idx])
            kinds = np.full(len(idx), int(highspy.HighsVarType.kInteger), dtype=np.uint8)
            self.h.changeColsIntegrality(len(idx), idx, kinds)

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


def _expr_value(model: HighsModel, expr: pulp.LpAffineExpression, values: np.ndarray) -> float:
    return float(sum(coef * values[model.col_index[var.name]] for var, coef in expr.items()))


def lexicographic_highs(
    model: HighsModel,
    bp: BuiltProblem,
    time_limit: float | None = None,
    stage2_start: np.ndarray | None = None,
    start: np.ndarray | None = None,
) -> LexSolution:
    """Stage 1 (minimize missing-indicator shortfall), then stage 2 (maximize progress holding stage 1).

    ``start`` is offered to stage 1; ``stage2_start`` (e.g. the previous level's plan in a sweep) to
    stage 2 when it keeps the stage-1 optimum, so a looser budget never reports a worse plan than a
    tighter one did. Stage 2 always starts from a known feasible plan (stage 1's at worst), so when the
    time limit stops it before it finds a better one, that plan is returned, marked time_limit_feasible.
    Starts are offered after the objective is set: changing costs discards a start HiGHS holds.
    """
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    stages: list[StageReport] = []
    fallback = None
    if len(bp.stage1):
        model.release_hold()
        model.set_objective(bp.stage1, maximize=False)
        if start is not None:
            model.warm_start(start)
        report, values = model.run("stage1", time_limit, exact=True)
        stages.append(report)
        if values is None:
            return LexSolution(report.status, {}, stages)
        hold = _hold_rhs(report.objective)
        model.hold(bp.stage1, hold)
        fallback = values
        if stage2_start is not None and _expr_value(model, bp.stage1, stage2_start) <= hold:
            fallback = stage2_start
    else:
        fallback = stage2_start if stage2_start is not None else start
        stages.append(StageReport(name="stage1", objective=0.0, status=SolveStatus.OPTIMAL, seconds=0.0))
    model.set_objective(bp.stage2, maximize=True)
    if fallback is not None:
        model.warm_start(fallback)
    remaining = None if deadline is None else max(deadline - time.perf_counter(), 1e-3)
    report, values2 = model.run("stage2", remaining)
    if values2 is None and report.status == SolveStatus.NO_SOLUTION and fallback is not None and len(bp.stage1):
        # the stage-1 plan (or the offered start) is feasible for stage 2: report it rather than nothing
        objective = _expr_value(model, bp.stage2, fallback)
        report = report.model_copy(update={"status": SolveStatus.FEASIBLE, "objective": objective})
        values2 = fallback
    stages.append(report)
    if values2 is None:
        return LexSolution(report.status, {}, stages)
    status = SolveStatus.FEASIBLE if any(s.status == SolveStatus.FEASIBLE for s in stages) else SolveStatus.OPTIMAL
    return LexSolution(status, model.named(values2), stages, "highs", highs_version())


# ---------------------------------------------------------------------------------------------
# CBC, through PuLP
# ---------------------------------------------------------------------------------------------


CBC_OPTIONS = ["preprocess off"]
"""CBC's integer preprocessing cut off the optimum of the bundled scenario (0.939 or 0.955 reported as
optimal against HiGHS's proven 0.956, whose plan satisfies every row); without it CBC agrees."""


def _cbc(settings: SolverSettings, time_limit: float | None, warm: bool = False, gap: float = COARSE_GAP):
    return pulp.PULP_CBC_CMD(
        msg=settings.verbose, timeLimit=time_limit, gapRel=gap, threads=settings.threads, warmStart=warm,
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


def lexicographic_cbc(bp: BuiltProblem, settings: SolverSettings) -> LexSolution:
    """The same two stages with CBC; the problem's objective and rows are restored afterwards."""
    problem = bp.problem
    stages: list[StageReport] = []
    hold_name = "stage1_hold"
    deadline = None if settings.time_limit is None else time.perf_counter() + settings.time_limit
    try:
        if len(bp.stage1):
            problem.sense = pulp.LpMinimize
            problem.setObjective(bp.stage1)
            report = _cbc_stage(problem, "stage1", settings, settings.time_limit, warm=False)
            stages.append(report)
            if not report.status.has_solution:
                return LexSolution(report.status, {}, stages)
            problem.addConstraint(pulp.LpConstraint(bp.stage1, pulp.LpConstraintLE, hold_name, _hold_rhs(report.objective)))
        else:
            stages.append(StageReport(name="stage1", objective=0.0, status=SolveStatus.OPTIMAL, seconds=0.0))
        problem.sense = pulp.LpMaximize
        problem.setObjective(bp.stage2)
        remaining = None if deadline is None else max(deadline - time.perf_counter(), 1.0)
        report = _cbc_stage(problem, "stage2", settings, remaining, warm=len(bp.stage1) > 0)
        stages.append(report)
        if not report.status.has_solution:
            return LexSolution(report.status, {}, stages)
        values = {v.name: float(v.varValue or 0.0) for v in problem.variables()}
    finally:
        problem.constraints.pop(hold_name, None)
        problem.sense = pulp.LpMinimize
        problem.setObjective(bp.stage1)
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
    """Solve both stages with the chosen solver; raise unless a usable (optimal or time-limited feasible) plan exists."""
    settings = settings or SolverSettings()
    if settings.name == "highs":
        try:
            model = HighsModel(bp.problem, settings)
        except ImportError as exc:  # pragma: no cover - highspy is a hard dependency
            raise SolverError("HiGHS is not installed (pip install highspy)") from exc
        solution = lexicographic_highs(model, bp, settings.time_limit)
    else:
        solution = lexicographic_cbc(bp, settings)
    raise_for_status(solution, bp.scenario.name, settings.name)
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
