"""CBC through PuLP's bundled command-line solver: the same levels and holds as the HiGHS path, for comparison."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import pulp

from models import SolveStatus, StageReport

from ..errors import SolverError
from ..formulation import BuiltProblem, Level
from .handoff import constraints_of
from .settings import AT_BOUND, COARSE_GAP, LexSolution, SolverSettings, gap_for, levels_of, skip_level

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
            skipped = skip_level(level, last)
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
        rows = constraints_of(problem)
        for name in [c for c in rows if c.startswith("hold__")]:
            rows.pop(name)
        for var, low, up in saved.values():
            var.lowBound, var.upBound = low, up
        problem.sense = sense
        if objective is not None:
            problem.setObjective(objective)
    status = SolveStatus.FEASIBLE if any(s.status == SolveStatus.FEASIBLE for s in stages) else SolveStatus.OPTIMAL
    return LexSolution(status, values, stages, "cbc", f"CBC (bundled with PuLP {pulp.__version__})")


def cbc_single(bp: BuiltProblem, settings: SolverSettings, stage: str) -> LexSolution:
    """One CBC solve of the problem's current objective."""
    report = _cbc_stage(bp.problem, stage, settings, settings.time_limit, warm=False)
    values = {v.name: float(v.varValue or 0.0) for v in bp.problem.variables()} if report.status.has_solution else {}
    return LexSolution(report.status, values, [report], "cbc", "CBC")
