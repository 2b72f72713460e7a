"""Revitalize the stock, expand the increment (盘活存量、拓展增量): floors, change caps and the missing-indicator earmark."""

from __future__ import annotations

import pulp

from .problem import BuiltProblem, add_row, row_name


def add_stock_floor_constraints(bp: BuiltProblem) -> None:
    """stock_floor[u,t]:  S[u,t] >= phi_u S[u,t-1]  (or phi_u S[u,base] when floors apply to the base year).

    S[u,t] is unit u's money from stock funds in year t, S[u,base] its base allocation; phi_u is the floor
    of its last grade (or a per-unit override from a score run). This is 盘活存量: at most 1 - phi_u of a
    unit's stock is reclaimed in a year.
    """
    policy = bp.scenario.policy
    for u in bp.sets.units:
        base = bp.scenario.units[u].base_total
        if base <= 0:
            continue
        phi = bp.scenario.floor_of(u)
        for n, t in enumerate(bp.sets.years):
            terms = bp.unit_terms(u, t, "stock")
            rhs = 0.0
            if n == 0 or policy.floor_basis == "base_year":
                rhs = phi * base
            else:
                terms += [(v, -phi * c) for v, c in bp.unit_terms(u, bp.sets.years[n - 1], "stock")]
            add_row(bp, terms, pulp.LpConstraintGE, rhs, row_name("stock_floor", u, t), "stock_floor")


def add_change_cap_constraints(bp: BuiltProblem) -> None:
    """Year-over-year change of a unit's recurrent money M[u,t] (all pools and sources; M[u,base] = its base).

    change_cap_up[u,t]:    M[u,t] <= (1 + up) M[u,t-1] + up_abs
    change_cap_down[u,t]:  M[u,t] >= (1 - down) M[u,t-1]

    One-off money — initiatives marked ``one_off`` (by default the whole-unit ones: an institute, a
    journal, a landmark hire) and every set-up cost — is not part of a unit's running budget, so it is
    left out of M: hosting one neither uses up the unit's growth allowance nor forces it to keep that
    lump the year after.
    """
    cap = bp.scenario.policy.change_cap
    if cap.up_share is None and cap.down_share is None:
        return
    inis = bp.scenario.initiatives
    for u in bp.sets.units:
        base = sum(v for i, v in bp.scenario.units[u].base.items() if not inis[i].is_one_off)
        for n, t in enumerate(bp.sets.years):
            now = bp.unit_terms(u, t, recurrent=True)
            prev_terms = bp.unit_terms(u, bp.sets.years[n - 1], recurrent=True) if n else []
            prev_const = base if n == 0 else 0.0
            if cap.up_share is not None:
                k = 1.0 + cap.up_share
                terms = now + [(v, -k * c) for v, c in prev_terms]
                add_row(bp, terms, pulp.LpConstraintLE, k * prev_const + cap.up_abs, row_name("change_cap_up", u, t), "change_cap_up")
            if cap.down_share is not None and (n or base > 0):
                k = 1.0 - cap.down_share
                terms = now + [(v, -k * c) for v, c in prev_terms]
                add_row(bp, terms, pulp.LpConstraintGE, k * prev_const, row_name("change_cap_down", u, t), "change_cap_down")


def add_missing_reserve_constraints(bp: BuiltProblem) -> None:
    """missing_reserve[t]:  sum_{i moves no missing indicator} x[u,i,t,f in increment] <= (1 - r) sum_{f in increment} A_f,t.

    Only in years up to the policy's ``missing_reserve_until`` (default: the last clear-by year of a
    missing indicator): once every gap is due, the earmark ends.

    A share r of each year's increment is earmarked for initiatives that move missing indicators: the
    rest of the plan may use at most 1 - r of it. Earmarked money those initiatives cannot absorb stays
    unallocated (reported as unused): the earmark alone never makes a scenario infeasible, and more
    increment never makes the plan worse (it can still conflict with rules that force increment money
    into other initiatives, such as a restricted source's minimum share).
    """
    share = bp.scenario.policy.missing_reserve_share
    if share <= 0 or not bp.sets.missing:
        return
    until = bp.scenario.policy.missing_reserve_until
    if until is None:
        until = max(bp.scenario.indicators[k].clear_year for k in bp.sets.missing)
    inc = [f for f in bp.sets.funds if f.pool == "increment"]
    for t in bp.sets.years:
        if t > until:
            continue
        terms = [
            (bp.money[u, i, t, f.key], 1.0)
            for f in inc
            for (u, i) in bp.sets.pairs
            if i not in bp.sets.initiatives_for_missing and (u, i) in f.eligible
        ]
        rhs = (1.0 - share) * sum(bp.sets.available(f, t) for f in inc)
        if ("increment", t) in bp.extra:
            terms.append((bp.extra["increment", t], -(1.0 - share)))
        add_row(bp, terms, pulp.LpConstraintLE, rhs, row_name("missing_reserve", t), "missing_reserve")
