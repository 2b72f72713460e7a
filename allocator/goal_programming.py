"""Goal programming on plain tables: the same lexicographic engine as the plan, on any goals, terms and variables.

``solve_goal_program(read_goal_tables(GOALS, TERMS, VARS))`` gives each variable's value, each goal's
achieved value with its shortfall and excess, and each level's weighted deviation. Hard goals that cannot
all hold raise ``InfeasibleError`` naming which of them must give and by how much (an elastic re-solve).
"""

from __future__ import annotations

import logging

from models import GoalMode, GoalProgram, GoalProgramResult, ProgramGoalResult, ProgramLevelResult

from .errors import InfeasibleError
from .formulation.goal_program import build_goal_program
from .solve import LexSolution, SolverSettings, solve_levels

logger = logging.getLogger(__name__)

ZERO = 1e-9
"""Values within this of an integer are written as that integer (solver round-off); the same for deviations and 0."""


def _clean(value: float) -> float:
    nearest = round(value)
    return float(nearest) if abs(value - nearest) <= ZERO * max(1.0, abs(value)) else value


def explain_hard_goals(program: GoalProgram, settings: SolverSettings | None = None) -> tuple[str, ...]:
    """Which hard goals must give, and by how much, for the rest to hold (least total violation)."""
    built = build_goal_program(program, elastic=True)
    try:
        sol = solve_levels(built.problem, built.levels, settings or SolverSettings(), "the hard goals, relaxed")
    except InfeasibleError:
        return ("even with every hard goal relaxed there is no solution: check the variables' bounds and integrality",)
    lines = []
    for name, (goal, side) in sorted(built.elastic.items(), key=lambda kv: -sol.values.get(kv[0], 0.0)):
        amount = sol.values.get(name, 0.0)
        if amount > ZERO:
            row = next(g for g in program.goals if g.goal == goal and g.hard)
            rule = {"at_least": ">=", "at_most": "<=", "exactly": "="}[row.sense]
            where = f"{program.source} row {row.row}: " if row.row else ""
            lines.append(
                f"hard goal '{goal}' ({where}{rule} {row.target:g}) must give: {'short' if side == 'under' else 'over'} by {amount:.6g}"
            )
    return tuple(lines) or ("no single hard goal must give; the conflict lies in integrality or bounds",)


def _result(program: GoalProgram, mode: GoalMode, built, sol: LexSolution) -> GoalProgramResult:
    values = {name: _clean(sol.values.get(var.name, 0.0)) for name, var in built.variables.items()}
    goals = []
    for g in program.goals:
        achieved = _clean(sum(c * values[v] for v, c in program.terms.get(g.goal, ())))
        under, over = _clean(max(0.0, g.target - achieved)), _clean(max(0.0, achieved - g.target))
        goals.append(
            ProgramGoalResult(
                goal=g.goal,
                priority=g.priority,
                target=g.target,
                achieved=achieved,
                under=under,
                over=over,
                under_weight=g.under_weight,
                over_weight=g.over_weight,
            )
        )
    stages = {s.name: s for s in sol.stages}
    levels = []
    for p in program.priorities:
        rows = [r for r in goals if r.priority == p]
        stage = stages.get(f"level{p}") if mode == "lexicographic" else None
        levels.append(
            ProgramLevelResult(
                priority=p,
                achievement=_clean(sum(r.under_weight * r.under + r.over_weight * r.over for r in rows)),
                optimum=_clean(stage.objective) if stage is not None else None,
                hold=stage.hold if stage is not None else None,
                leak=stage.leak if stage is not None else None,
            )
        )
    return GoalProgramResult(
        mode=mode, status=sol.status.value, variables=values, goals=tuple(goals), levels=tuple(levels), solver=sol.version or sol.solver
    )


def solve_goal_program(program: GoalProgram, mode: GoalMode = "lexicographic", settings: SolverSettings | None = None) -> GoalProgramResult:
    """Solve a goal program level by level (or all levels weighted together) and report in the tables' own names."""
    settings = settings or SolverSettings()
    built = build_goal_program(program, mode)
    try:
        sol = solve_levels(built.problem, built.levels, settings, "goal program")
    except InfeasibleError as exc:
        if exc.status != "infeasible":
            raise
        explanation = explain_hard_goals(program, settings)
        lines = "\n".join(f"  - {line}" for line in explanation)
        raise InfeasibleError(f"the hard goals cannot all hold together:\n{lines}", status=exc.status, explanation=explanation) from None
    logger.info("goal program: %s, %d levels", sol.status.value, len(built.levels))
    return _result(program, mode, built, sol)
