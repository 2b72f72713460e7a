"""Cost-to-clear rows: requirements to reach, gaps and trajectories to keep, and the extra-money objective."""

from __future__ import annotations

import pulp

from .indicators import value_series
from .problem import BuiltProblem, Terms, add_row, row_name


def add_clear_requirement_constraints(bp: BuiltProblem, requirements: dict[str, tuple[int, float]], switchable: bool = False) -> None:
    """Cost-to-clear: clear_requirement[k(,u)]:  v[k,y_k] >= L_k  (or >= L_k c_k with c_k in {0,1} "k is cleared").

    ``requirements`` maps an indicator to (year, level). With ``switchable`` each indicator gets a binary
    c_k (row ``cleared_count`` then asks for at least n of them), for the cost-to-clear curve.
    """
    for k, (year, level) in sorted(requirements.items()):
        c = None
        if switchable:
            c = pulp.LpVariable(row_name("cleared", k), cat=pulp.LpBinary)
            bp.cleared[k] = c
        for unit, values in value_series(bp, k):
            ids = (k,) if unit is None else (k, unit)
            terms: Terms = [(values[year], 1.0)]
            rhs = level
            if c is not None:
                terms.append((c, -level))
                rhs = 0.0
            add_row(bp, terms, pulp.LpConstraintGE, rhs, row_name("clear_requirement", *ids))
    if switchable:
        add_row(bp, [(c, 1.0) for c in bp.cleared.values()], pulp.LpConstraintGE, 0.0, row_name("cleared_count", "all"))


def add_stage1_keep_constraints(bp: BuiltProblem, limits: dict[tuple[str, ...], float]) -> None:
    """Cost-to-clear: stage1_keep[k(,u)]:  s1[k(,u)] <= (its value in the base plan): no other gap may reopen."""
    for ids, limit in sorted(limits.items()):
        var = bp.shortfall.get(ids)
        if var is not None:
            add_row(bp, [(var, 1.0)], pulp.LpConstraintLE, limit + 1e-7 * (1 + abs(limit)), row_name("stage1_keep", *ids))


def add_keep_value_constraints(bp: BuiltProblem, floors: dict[tuple[str, int], float]) -> None:
    """Cost-to-clear with --keep-others: keep_value[k(,u),t]:  v[k,t] >= F[k,t] (the base plan's value, up to the target)."""
    for (k, year), level in sorted(floors.items()):
        for unit, values in value_series(bp, k):
            ids = (k, year) if unit is None else (k, unit, year)
            add_row(bp, [(values[year], 1.0)], pulp.LpConstraintGE, level, row_name("keep_value", *ids))


def extra_money_expression(bp: BuiltProblem) -> pulp.LpAffineExpression:
    """Total extra money over all years and pools (the cost-to-clear objective)."""
    return pulp.LpAffineExpression([(v, 1.0) for v in bp.extra.values()])
