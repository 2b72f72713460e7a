"""Goals: the expression of each goal, its deviation row and the penalty it adds at its priority level."""

from __future__ import annotations

import pulp

from models import Goal, GoalTerm

from ..selectors import fund_matches, select_initiatives, select_units, select_years
from .problem import BuiltProblem, Terms, add_row, row_name


def term_variables(bp: BuiltProblem, term: GoalTerm) -> Terms:
    """The variables one goal term sums, with its coefficient (no variable: an empty list)."""
    sc, sets = bp.scenario, bp.sets
    c = term.coefficient
    if term.kind == "indicator":
        key = term.indicator or ""
        year = term.year if term.year is not None else sc.indicators[key].target_year
        if sc.indicators[key].kind == "per_unit_min":
            units = select_units(term.units or ("all",), sc.units)
            return [(bp.unit_value[key, u, year], c) for u in sets.qualifying[key] if u in units]
        return [(bp.value[key, year], c)]
    units = set(select_units(term.units or ("all",), sc.units))
    initiatives = set(select_initiatives(term.initiatives or ("all",), sc.initiatives))
    years = set(select_years(term.years, sets.years))
    if term.kind == "activity":
        return [(var, c) for (u, i, t), var in bp.activity.items() if u in units and i in initiatives and t in years]
    # the school's money is one variable per line (``school``): the checks refuse a term that picks only one of its pools
    funds = {f.key if f.restricted else f.source for f in sets.funds if fund_matches(f.pool, f.source, term.pools, term.sources)}
    return [(var, c) for (u, i, t, f), var in bp.money.items() if f in funds and u in units and i in initiatives and t in years]


def goal_expression(bp: BuiltProblem, goal: Goal) -> pulp.LpAffineExpression:
    """Sum of a goal's terms (a variable named by several terms gets the sum of their coefficients)."""
    return pulp.LpAffineExpression([pair for term in goal.terms for pair in term_variables(bp, term)])


def add_goal_deviation_constraints(bp: BuiltProblem) -> None:
    """goal_deviation[g]: the expression E_g against its target, with a deviation for each side the sense penalizes.

    at_least:  E_g + under_g >= tau_g        at_most:  E_g - over_g <= tau_g        exactly:  E_g + under_g - over_g = tau_g
    under, over >= 0; priority p_g's level adds w_g (under_g + over_g) / s_g, s_g = |tau_g| (relative) or 1 (native).
    goal_hard[g] (a hard goal):  E_g >= tau_g, <= tau_g or = tau_g by its sense, with no deviation.
    """
    for key in sorted(bp.scenario.goals):
        goal = bp.scenario.goals[key]
        expr = goal_expression(bp, goal)
        bp.goal_expr[key] = expr
        terms: Terms = list(expr.items())
        if goal.hard:
            _add_hard_goal(bp, key, goal, terms)
            continue
        penalties = bp.terms_at(goal.priority or 0).penalties
        for side, wanted, sign in (("under", goal.penalizes_under, 1.0), ("over", goal.penalizes_over, -1.0)):
            if not wanted:
                continue
            dev = pulp.LpVariable(row_name(side, key), lowBound=0)
            bp.deviation[key, side] = dev
            terms.append((dev, sign))
            penalties.append((dev, goal.weight / goal.divisor))
        sense = {"at_least": pulp.LpConstraintGE, "at_most": pulp.LpConstraintLE, "exactly": pulp.LpConstraintEQ}[goal.sense]
        add_row(bp, terms, sense, goal.target, row_name("goal_deviation", key))


def _add_hard_goal(bp: BuiltProblem, key: str, goal: Goal, terms: Terms) -> None:
    if goal.sense != "exactly":
        sense = pulp.LpConstraintGE if goal.sense == "at_least" else pulp.LpConstraintLE
        add_row(bp, terms, sense, goal.target, row_name("goal_hard", key), family="goal_hard")
    elif bp.elastic_mode:  # an equality breaks two ways: explain it as a floor and a ceiling
        add_row(bp, terms, pulp.LpConstraintGE, goal.target, row_name("goal_hard", key, "under"), family="goal_hard")
        add_row(bp, terms, pulp.LpConstraintLE, goal.target, row_name("goal_hard", key, "over"), family="goal_hard")
    else:
        add_row(bp, terms, pulp.LpConstraintEQ, goal.target, row_name("goal_hard", key), family="goal_hard")
