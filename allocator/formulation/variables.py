"""Decision variables: money per fund, activity per unit and initiative, and extra money when costing."""

from __future__ import annotations

import pulp

from models import DEFAULT_SOURCE

from .problem import BuiltProblem, extra_money_limit, row_name


def add_money_variables(bp: BuiltProblem) -> None:
    """x[u,i,t,f] >= 0: money of source f to unit u for initiative i in year t, only where f may fund (u,i).

    The school's own money is one variable per line and year (f = school); which of its pools pays it is the
    pool rule's business (``allocator.pools``), and y[t] >= 0 is how much of it the year's increment pays in all.
    """
    school = DEFAULT_SOURCE
    for u, i in bp.sets.pairs:
        for t in bp.sets.years:
            bp.money[u, i, t, school] = pulp.LpVariable(row_name("x", u, i, t, school), lowBound=0)
    for t in bp.sets.years:
        bp.pool_use[t] = pulp.LpVariable(row_name("y", "school_increment", t), lowBound=0)
    for f in bp.sets.funds:
        if not f.restricted:
            continue
        for u, i in bp.sets.pairs:
            if (u, i) not in f.eligible:
                continue
            for t in bp.sets.years:
                bp.money[u, i, t, f.key] = pulp.LpVariable(row_name("x", u, i, t, f.key), lowBound=0)


def add_activity_variables(bp: BuiltProblem) -> None:
    """q[u,i,t] >= 0 activity units (integer for whole-unit initiatives), bounded by capacity per unit and year.

    In a past year of a rolling re-plan q is what the locked (actual) money bought: continuous and unbounded, since
    92% of an item's price spent is 0.92 of the item, and a unit that spent past its capacity did so.
    """
    for u, i in bp.sets.pairs:
        ini = bp.scenario.initiatives[i]
        cat = pulp.LpInteger if ini.integer else pulp.LpContinuous
        for t in bp.sets.years:
            if bp.scenario.is_past(t):
                bp.activity[u, i, t] = pulp.LpVariable(row_name("q", u, i, t), lowBound=0)
                continue
            bp.activity[u, i, t] = pulp.LpVariable(row_name("q", u, i, t), lowBound=0, upBound=ini.capacity, cat=cat)


def add_extra_money_variables(bp: BuiltProblem) -> None:
    """Cost-to-clear only: extra[p,t] >= 0, new school money of pool p in year t (p = increment, or both pools for total)."""
    if bp.extra_pool is None:
        return
    pools = ("increment",) if bp.extra_pool == "increment" else ("stock", "increment")
    for p in pools:
        for t in bp.sets.years:
            bp.extra[p, t] = pulp.LpVariable(row_name("extra", p, t), lowBound=0, upBound=extra_money_limit(bp))
