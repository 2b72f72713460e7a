"""Money buys activity: unit and set-up costs, diminishing-returns segments, funding limits and capacities."""

from __future__ import annotations

import pulp

from .problem import BuiltProblem, Terms, activity_bound, add_row, money_bound, row_name


def add_activity_cost_constraints(bp: BuiltProblem) -> None:
    """activity_cost[u,i,t]:  sum_f x[u,i,t,f] = (c_i/d_i) sum_{t-d_i < tau <= t} q[u,i,tau] + setup_i open[u,i,t] + paid[u,i,t].

    Money buys activity at the initiative's unit cost, paid in equal parts over its d_i pay years (a cohort's
    scholarship every year it is enrolled, a talent package's instalments); a first run at a unit also pays the
    set-up cost; paid[u,i,t] is the money committed to the line before the plan (``commitment`` rows).
    """
    years = bp.sets.years
    for u, i in bp.sets.pairs:
        ini = bp.scenario.initiatives[i]
        for t in years:
            cohorts = [tau for tau in years if t - ini.pay_years < tau <= t]
            terms = bp.spend_terms(u, i, t) + [(bp.activity[u, i, tau], -ini.yearly_cost) for tau in cohorts]
            if (u, i, t) in bp.opened:
                terms.append((bp.opened[u, i, t], -ini.setup_cost))
            if (u, i, t) in bp.paid:
                terms.append((bp.paid[u, i, t], -1.0))
            add_row(bp, terms, pulp.LpConstraintEQ, 0.0, row_name("activity_cost", u, i, t))


def add_segment_constraints(bp: BuiltProblem) -> None:
    """segment_split[u,i,t]:  q[u,i,t] = sum_j q[u,i,t,j],  0 <= q[u,i,t,j] <= width_j.

    Effective activity is sum_j eff_j q[u,i,t,j] with eff_1 >= eff_2 >= ... (concave), so the
    cheapest output always comes from the first segments.
    """
    for u, i in bp.sets.pairs:
        table = bp.scenario.initiatives[i].segment_table
        if len(table) == 1 and table[0][1] == 1.0:
            continue
        for t in bp.sets.years:
            terms: Terms = [(bp.activity[u, i, t], 1.0)]
            for j, (width, _) in enumerate(table):
                var = pulp.LpVariable(row_name("qseg", u, i, t, j + 1), lowBound=0, upBound=width)
                bp.segment[u, i, t, j] = var
                terms.append((var, -1.0))
            add_row(bp, terms, pulp.LpConstraintEQ, 0.0, row_name("segment_split", u, i, t))


def add_setup_variables_and_constraints(bp: BuiltProblem) -> None:
    """Lumpy set-up: open[u,i,t] in {0,1} where the unit does not run i yet (no base allocation).

    setup_once[u,i]:        sum_t open[u,i,t] <= 1
    setup_required[u,i,t]:  q[u,i,t] <= M_i,t * sum_{tau<=t} open[u,i,tau]
    """
    for u, i in bp.sets.pairs:
        ini = bp.scenario.initiatives[i]
        if ini.setup_cost <= 0 or bp.scenario.units[u].base.get(i, 0.0) > 0:
            continue
        for t in bp.sets.years:
            bp.opened[u, i, t] = pulp.LpVariable(row_name("open", u, i, t), cat=pulp.LpBinary)
        add_row(bp, [(bp.opened[u, i, t], 1.0) for t in bp.sets.years], pulp.LpConstraintLE, 1.0, row_name("setup_once", u, i))
        for t in bp.sets.years:
            big_m = activity_bound(bp, i, t)
            terms = [(bp.activity[u, i, t], 1.0)] + [(bp.opened[u, i, tau], -big_m) for tau in bp.sets.years if tau <= t]
            add_row(bp, terms, pulp.LpConstraintLE, 0.0, row_name("setup_required", u, i, t))


def add_funding_constraints(bp: BuiltProblem) -> None:
    """Per unit and year limits on an initiative's money.

    funding_max[u,i,t]:     sum_f x[u,i,t,f] <= max_i
    funding_min[u,i,t]:     sum_f x[u,i,t,f] >= min_i run[u,i,t]       (semi-continuous: 0 or at least min_i)
    funding_switch[u,i,t]:  sum_f x[u,i,t,f] <= M_t run[u,i,t],  run in {0,1}
    """
    for u, i in bp.sets.pairs:
        ini = bp.scenario.initiatives[i]
        for t in bp.sets.years:
            spend = bp.spend_terms(u, i, t)
            if ini.min_funding > 0:
                run = pulp.LpVariable(row_name("run", u, i, t), cat=pulp.LpBinary)
                bp.running[u, i, t] = run
                big_m = money_bound(bp, t)
                if ini.max_funding is not None:
                    big_m = min(big_m, ini.max_funding)
                add_row(bp, [*spend, (run, -ini.min_funding)], pulp.LpConstraintGE, 0.0, row_name("funding_min", u, i, t))
                add_row(bp, [*spend, (run, -big_m)], pulp.LpConstraintLE, 0.0, row_name("funding_switch", u, i, t))
            elif ini.max_funding is not None:
                add_row(bp, spend, pulp.LpConstraintLE, ini.max_funding, row_name("funding_max", u, i, t), "funding_max")


def add_capacity_constraints(bp: BuiltProblem) -> None:
    """total_capacity[i,t]:  sum_u q[u,i,t] <= cap_i;   horizon_capacity[i]:  sum_{u,t} q[u,i,t] <= H_i.

    (Capacity per unit and year is the upper bound of q[u,i,t].)
    """
    for i in bp.sets.initiatives:
        ini = bp.scenario.initiatives[i]
        units = bp.sets.pairs_by_initiative[i]
        if ini.total_capacity is not None:
            for t in bp.sets.years:
                terms = [(bp.activity[u, i, t], 1.0) for u in units]
                add_row(bp, terms, pulp.LpConstraintLE, ini.total_capacity, row_name("total_capacity", i, t))
        if ini.horizon_capacity is not None:
            terms = [(bp.activity[u, i, t], 1.0) for u in units for t in bp.sets.years]
            add_row(bp, terms, pulp.LpConstraintLE, ini.horizon_capacity, row_name("horizon_capacity", i))
