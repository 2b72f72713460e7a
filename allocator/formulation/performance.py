"""Performance money (绩效资金): each unit spends its share on its own lines, on top of its protected stock."""

from __future__ import annotations

import pulp

from ..performance_money import follow_bounds, performance_amounts
from .problem import BuiltProblem, add_row, row_name
from .stock import floor_amount, floor_lines


def set_performance_money(bp: BuiltProblem) -> None:
    """Each unit's performance money per year, split before the solve (``allocator.performance_money``)."""
    bp.performance = performance_amounts(bp.scenario)


def add_performance_money_constraints(bp: BuiltProblem) -> None:
    """A unit receives its performance money on top of the stock it is guaranteed.

    performance_money[u,t]:  sum_i X[u,i,t] >= phi_u^(n+1) B'_u + P[u,t]   (for P[u,t] > 0)

    Same lines and money as stock_floor[u,t] (lines not being phased out, all pools and sources), whose right-hand
    side it raises by P[u,t]: the unit's performance money is spent on its own lines and is not taken by others
    to pay its protected stock. Sum_u P[u,t] is a share of the year's increment, so the rows fit the budget.
    """
    if not bp.performance:
        return
    for u in bp.sets.units:
        lines, base = floor_lines(bp, u)
        for n, t in enumerate(bp.sets.years):
            amount = bp.performance.get((u, t), 0.0)
            if amount <= 0:
                continue
            terms = [tv for line in lines for tv in bp.spend_terms(u, line.initiative, t)]
            name = row_name("performance_money", u, t)
            add_row(bp, terms, pulp.LpConstraintGE, floor_amount(bp, u, n, base) + amount, name, "performance_money")
            bp.row_constants[name, "lower"] = floor_amount(bp, u, n, base)
            bp.increment_share[name] = amount


def add_grade_follow_constraints(bp: BuiltProblem) -> None:
    """After the graded year, money follows grades relative to the plan before grades (its reference R).

    grade_keep[u,t]:  M[u,t] >= R[u,t] + P[u,t] - P0[u,t]   units of a grade that follows ``at_least`` (default A)
    grade_hold[u,t]:  M[u,t] <= R[u,t] + P[u,t] - P0[u,t]   units of a grade that follows ``at_most`` (default D)

    M[u,t] is all the unit's money (every line, pool and source), R[u,t] its money in the plan before grades
    (policy.performance_money.reference, set by plan --performance), P its performance money split by points x
    size and P0 the split by size alone. A well-graded unit keeps what it was planned and gains its extra
    performance money; a badly graded one gets no more than it was planned less what its grade cost it; the
    rest of the plan re-optimizes around them.
    """
    ungraded = performance_amounts(bp.scenario, by_points=False)
    for (u, t), (sense, money) in follow_bounds(bp.scenario).items():
        if u not in bp.sets.units:
            continue
        terms = bp.unit_terms(u, t)
        name = row_name("grade_keep" if sense == "at_least" else "grade_hold", u, t)
        add_row(bp, terms, pulp.LpConstraintGE if sense == "at_least" else pulp.LpConstraintLE, max(money, 0.0), name, name.split("__")[0])
        change = bp.performance.get((u, t), 0.0) - ungraded.get((u, t), 0.0)
        bp.row_constants[name, "lower" if sense == "at_least" else "upper"] = money - change
        bp.increment_share[name] = change
