"""Lexicographic solves with HiGHS: each level optimized while every level before it is held at its optimum.

docs/formulation.md, "Solving". After the last level every held level is recomputed from the final plan
(its ``leak``); a plan that leaked beyond ``LEAK_RELATIVE`` is polished once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

import numpy as np
import pulp

from models import SolveStatus, StageReport

from ..errors import SolverError
from ..formulation import BuiltProblem, Level
from .cbc import cbc_single, lexicographic_cbc
from .highs import HighsModel, highs_version
from .incumbent import relaxation_first
from .settings import (
    HOLD_RETRY_RELATIVE,
    POLISH_FEASIBILITY,
    LexSolution,
    SolverSettings,
    leak_allowed,
    levels_of,
    raise_for_status,
    skip_level,
)

logger = logging.getLogger(__name__)


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
        skipped = skip_level(level, last)
        if skipped is not None:
            stages.append(skipped)
            continue
        model.set_objective(level.objective, level.maximize)
        offer = values if values is not None else (start if start is not None else later_start)
        if values is not None and later_start is not None and model.holds_satisfied(later_start):
            offer = later_start
        report, found, known = _solve_level(model, level, offer, deadline)
        report = report.model_copy(update={"priority": level.priority, "sense": level.sense})
        if found is None and report.status == SolveStatus.NO_SOLUTION and known is not None and (values is not None or known is not offer):
            # the previous level's plan (or a repaired or offered plan) keeps every hold: report it rather than nothing
            found = known
            report = report.model_copy(update={"status": SolveStatus.FEASIBLE, "objective": model.expr_value(level.objective, known)})
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


def _solve_level(
    model: HighsModel, level: Level, offer: np.ndarray | None, deadline: float | None
) -> tuple[StageReport, np.ndarray | None, np.ndarray | None]:
    """One level on the model as it stands (objective set, earlier levels held); also the best plan known before.

    The LP relaxation and a rounding repair come first: where they meet the MILP is not needed, else the repaired
    plan (or the offer, if better) starts it. A level that comes back infeasible with hold rows is solved again
    with the rows loosened by HOLD_RETRY_RELATIVE.
    """
    report, found = None, None
    integer = bool(model.integer.any()) and not model.integers_fixed
    if integer and model.settings.relaxation_first:
        report, found = relaxation_first(model, level, [offer] if offer is not None else [], _remaining(deadline))
    known = found if found is not None else offer
    if report is None:
        if found is None and offer is not None:
            model.warm_start(offer)
        report, found = model.run(level.name, _remaining(deadline), exact=level.exact)
        if integer:
            report = report.model_copy(update={"proof": "milp"})
    if report.status == SolveStatus.INFEASIBLE and model.hold_bounds:
        logger.warning("level %s infeasible with earlier levels held exactly; loosening by %g", level.name, HOLD_RETRY_RELATIVE)
        model.loosen_holds(HOLD_RETRY_RELATIVE)
        if known is not None:
            model.warm_start(known)
        report, found = model.run(level.name, _remaining(deadline), exact=level.exact)
        if integer:
            report = report.model_copy(update={"proof": "milp"})
    return report, found, known


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


def solve_single(bp: BuiltProblem, settings: SolverSettings, maximize: bool = False) -> LexSolution:
    """One-stage solve of the problem's current objective (used by the elastic explanation)."""
    if settings.name == "highs":
        model = HighsModel(bp.problem, settings)
        model.set_objective(bp.problem.objective, maximize=maximize)
        report, values = model.run("elastic", settings.time_limit)
        named = model.named(values) if values is not None else {}
        return LexSolution(report.status, named, [report], "highs", highs_version())
    return cbc_single(bp, settings, "elastic")


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
        solution.model = model
    else:
        solution = lexicographic_cbc(problem, settings, levels)
    raise_for_status(solution, name or problem.name, settings.name)
    return solution
