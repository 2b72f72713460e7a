"""A goal program on plain tables as a PuLP problem with one level per priority (or one weighted level).

Rows and variables are named by position (``goal_deviation__3``, ``x__2``): the tables' names may hold any
character, and the mapping back to them is kept on the built program.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulp

from models import GoalMode, GoalProgram

from .problem import Level, row_name


@dataclass
class BuiltGoalProgram:
    """The PuLP problem of a goal program, its levels and the handles that map back to the tables' names."""

    program: GoalProgram
    problem: pulp.LpProblem
    levels: list[Level]
    variables: dict[str, pulp.LpVariable] = field(default_factory=dict)
    expressions: dict[str, pulp.LpAffineExpression] = field(default_factory=dict)
    under: dict[str, pulp.LpVariable] = field(default_factory=dict)
    over: dict[str, pulp.LpVariable] = field(default_factory=dict)
    elastic: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Elastic mode: slack variable name -> (goal, "under" | "over") of the hard goal it breaks."""
    slacks: list[pulp.LpVariable] = field(default_factory=list)


def build_goal_program(program: GoalProgram, mode: GoalMode = "lexicographic", *, elastic: bool = False) -> BuiltGoalProgram:
    """Variables, goal rows and levels of a goal program.

    goal_deviation[g]:  sum_j a_gj x_j + under_g - over_g = target_g   (under, over >= 0), for goals with a soft row
    goal_hard[g]:       sum_j a_gj x_j >= / <= / = target_g             (by which weights of its hard row are positive)
    level p (lexicographic): min sum over rows at p of (under_weight under_g + over_weight over_g); weighted: one level
    summing every priority's. With ``elastic`` the hard rows get priced slacks and the objective is their sum.
    """
    bp = BuiltGoalProgram(program, pulp.LpProblem("goal_program", pulp.LpMinimize), [])
    for n, (name, spec) in enumerate(sorted(program.variables.items())):
        cat = pulp.LpInteger if spec.integer else pulp.LpContinuous
        bp.variables[name] = pulp.LpVariable(row_name("x", n), lowBound=spec.lower, upBound=spec.upper, cat=cat)
    goals = list(dict.fromkeys(g.goal for g in program.goals))
    for n, goal in enumerate(goals):
        expr = pulp.LpAffineExpression([(bp.variables[v], c) for v, c in program.terms.get(goal, ())])
        bp.expressions[goal] = expr
        rows = [g for g in program.goals if g.goal == goal]
        target = rows[0].target
        if any(not g.hard for g in rows):
            bp.under[goal] = pulp.LpVariable(row_name("under", n), lowBound=0)
            bp.over[goal] = pulp.LpVariable(row_name("over", n), lowBound=0)
            bp.problem += (expr + bp.under[goal] - bp.over[goal] == target, row_name("goal_deviation", n))
        for hard in (g for g in rows if g.hard):
            _add_hard_row(bp, goal, n, expr, hard.sense, target, elastic)
    penalties = {p: _penalty(bp, p) for p in program.priorities}
    if elastic:
        bp.levels = [Level(1, "elastic", pulp.LpAffineExpression([(v, 1.0) for v in bp.slacks]), exact=True)]
    elif mode == "weighted":
        total = pulp.LpAffineExpression()
        for expr in penalties.values():
            total += expr
        bp.levels = [Level(min(penalties, default=1), "weighted", total, exact=True)]
    else:
        bp.levels = [Level(p, f"level{p}", expr, exact=True) for p, expr in penalties.items()]
    if not bp.levels:  # hard goals only: find any point that keeps them
        bp.levels = [Level(1, "feasibility", pulp.LpAffineExpression(), exact=True)]
    bp.problem.setObjective(bp.levels[0].objective)
    return bp


def _penalty(bp: BuiltGoalProgram, priority: int) -> pulp.LpAffineExpression:
    terms = []
    for g in bp.program.goals:
        if g.priority == priority:
            terms += [(bp.under[g.goal], g.under_weight), (bp.over[g.goal], g.over_weight)]
    return pulp.LpAffineExpression([(v, w) for v, w in terms if w > 0])


def _add_hard_row(bp: BuiltGoalProgram, goal: str, n: int, expr, sense: str, target: float, elastic: bool) -> None:
    """goal_hard[g]; in elastic mode each side it guards gets a slack that may break it."""
    row = expr.copy()
    if elastic:
        for side, sign, wanted in (("under", 1.0, sense != "at_most"), ("over", -1.0, sense != "at_least")):
            if wanted:
                slack = pulp.LpVariable(row_name("elastic", side, n), lowBound=0)
                bp.elastic[slack.name] = (goal, side)
                bp.slacks.append(slack)
                row += sign * slack
    relation = {"at_least": row >= target, "at_most": row <= target, "exactly": row == target}[sense]
    bp.problem += (relation, row_name("goal_hard", n))
