"""Revitalize the stock, expand the increment (盘活存量、拓展增量): floors, change caps and the missing-indicator earmark."""

from __future__ import annotations

import pulp

from .problem import BuiltProblem, add_row, money_bound, row_name


def add_stock_floor_constraints(bp: BuiltProblem) -> None:
    """Stock floors by grade (盘活存量: how much of a unit's money may be reclaimed a year).

    stock_floor[u,t]:  sum_i X[u,i,t] >= phi_u^(n+1) B'_u  in plan year n = 0, 1, ... (phi_u B'_u every year when
    floors apply to the base year).

    The sum runs over unit u's lines that are not being phased out (all pools and sources), and B'_u is their base
    less the idle money of lines with a low execution rate. phi_u is the floor of the unit's last grade (or a
    per-unit override from a score run). At most 1 - phi_u of a unit's money is reclaimed a year, compounding from
    its base and never from a year's lump, so a one-off investment does not ratchet the unit's later years; within
    the unit, money moves between its lines as their own rules allow. (Which pool pays what is the pool rule's.)
    """
    for u in bp.sets.units:
        lines, base = floor_lines(bp, u)
        if base <= 0:
            continue
        for n, t in enumerate(bp.sets.years):
            terms = [tv for line in lines for tv in bp.spend_terms(u, line.initiative, t)]
            add_row(bp, terms, pulp.LpConstraintGE, floor_amount(bp, u, n, base), row_name("stock_floor", u, t), "stock_floor")


def floor_lines(bp: BuiltProblem, unit: str) -> tuple[list, float]:
    """A unit's lines that count for its stock floor (those not being phased out) and their base B'_u (less idle money)."""
    lines = [bp.sets.lines[unit, i] for i in bp.sets.pairs_by_unit[unit]]
    lines = [line for line in lines if not line.phase_out]
    return lines, sum(line.base - line.idle for line in lines)


def floor_amount(bp: BuiltProblem, unit: str, n: int, base: float) -> float:
    """The stock floor of a unit in plan year n (0, 1, ...): phi_u^(n+1) B'_u, or phi_u B'_u on the base year's basis."""
    if base <= 0:
        return 0.0
    phi = bp.scenario.floor_of(unit)
    return (phi if bp.scenario.policy.floor_basis == "base_year" else phi ** (n + 1)) * base


def add_change_cap_constraints(bp: BuiltProblem) -> None:
    """Year-over-year change of a unit's recurrent money M[u,t] (all pools and sources; M[u,base] = its base).

    change_cap_up[u,t]:    M[u,t] - P[u,t] <= (1 + up) (M[u,t-1] - P[u,t-1]) + up_abs
    change_cap_down[u,t]:  M[u,t] - P[u,t] >= (1 - down) (M[u,t-1] - P[u,t-1])

    up, up_abs, down are the policy's change_cap, or policy.performance_money.change_caps of the unit's grade;
    P is the unit's performance money (0 without), which is left out of the cap.

    One-off money — initiatives marked ``one_off`` (by default the whole-unit ones: an institute, a
    journal, a landmark hire) and every set-up cost — is not part of a unit's running budget, so it is
    left out of M: hosting one neither uses up the unit's growth allowance nor forces it to keep that
    lump the year after.
    """
    policy = bp.scenario.policy
    grade_caps = policy.performance_money.change_caps
    inis = bp.scenario.initiatives
    for u in bp.sets.units:
        cap = grade_caps.get(bp.scenario.grade_of(u), policy.change_cap)
        if cap.up_share is None and cap.down_share is None:
            continue
        base = sum(v for i, v in bp.scenario.units[u].base.items() if not inis[i].is_one_off)
        for n, t in enumerate(bp.sets.years):
            now = bp.unit_terms(u, t, recurrent=True)
            prev_terms = bp.unit_terms(u, bp.sets.years[n - 1], recurrent=True) if n else []
            prev_const = base if n == 0 else 0.0
            # performance money is left out of the cap: M - P <= k (M_prev - P_prev) + abs
            perf_now = bp.performance.get((u, t), 0.0)
            perf_prev = bp.performance.get((u, bp.sets.years[n - 1]), 0.0) if n else 0.0
            if cap.up_share is not None:
                k = 1.0 + cap.up_share
                terms = now + [(v, -k * c) for v, c in prev_terms]
                rhs = k * prev_const + cap.up_abs + perf_now - k * perf_prev
                add_row(bp, terms, pulp.LpConstraintLE, rhs, row_name("change_cap_up", u, t), "change_cap_up")
            if cap.down_share is not None and (n or base > 0):
                k = 1.0 - cap.down_share
                terms = now + [(v, -k * c) for v, c in prev_terms]
                rhs = k * prev_const + perf_now - k * perf_prev
                add_row(bp, terms, pulp.LpConstraintGE, rhs, row_name("change_cap_down", u, t), "change_cap_down")


def _runners(bp: BuiltProblem, initiative: str) -> list[str]:
    """Every unit of the whole scenario that may run an initiative (also when only a block of units is built)."""
    from ..selectors import select_units

    return select_units(bp.scenario.initiatives[initiative].units, bp.scenario.units)


def _absorb(bp: BuiltProblem, initiative: str, year: int) -> float:
    """Most money an initiative can take in a year at all its units, from its capacities and funding limits."""
    ini = bp.scenario.initiatives[initiative]
    units = _runners(bp, initiative)
    money = money_bound(bp, year)
    per_unit = money if ini.max_funding is None else min(money, ini.max_funding)
    if ini.capacity is not None:
        per_unit = min(per_unit, ini.capacity * ini.unit_cost + ini.setup_cost)
    total = per_unit * len(units)
    for cap in (ini.total_capacity, ini.horizon_capacity):
        if cap is not None:
            total = min(total, cap * ini.unit_cost + ini.setup_cost * len(units))
    return min(total, money)


def add_missing_reserve_constraints(bp: BuiltProblem) -> None:
    """The earmark for missing indicators (分步清零缺项指标): a floor that ends as each missing indicator is secured.

    missing_reserve[k(,u),t]:  sum_{i in I_miss} sum_u (X[u,i,t] - b_ui) + z[t] >= F[t] (1 - S[k(,u),t-1] / clear_k)
                               (one row missing_reserve[t] in the first year, when nothing is secured yet)
    earmark_release[t]:        z[t] <= P

    F[t] = min(r A_inc,t, M_t): a share r of the year's increment (all increment funds) goes to the growth of lines
    of initiatives that move a missing indicator (M_t: what they can take in t). S[k,t-1] is the output of k the
    money spent before t has bought, wherever its lead time lands it: once it reaches the clear level the row asks
    nothing, so the earmark ends when every missing indicator is secured (endogenously; ``missing_reserve_until``
    may end it earlier), and a gap half secured by divisible money asks half. It is a floor, so it never leaves
    money idle; P, the price of the cheapest whole item when every such initiative is lumpy, lets it be missed by
    less than one whole item (it cannot force an unaffordable purchase).
    """
    share = bp.scenario.policy.missing_reserve_share
    if share <= 0 or not bp.sets.missing:
        return
    until = bp.scenario.policy.missing_reserve_until
    inc = [f for f in bp.sets.funds if f.pool == "increment"]
    years = bp.sets.years
    movers = sorted(bp.sets.initiatives_for_missing)
    lump = _smallest_lump(bp, movers)
    pairs = [(u, i) for i in movers for u in bp.sets.pairs_by_initiative[i]]
    base = sum(bp.scenario.units[u].base.get(i, 0.0) for i in movers for u in _runners(bp, i))  # the whole scenario's
    for n, t in enumerate(years):
        if until is not None and t > until:
            continue
        cap = sum(_absorb(bp, i, t) for i in movers)
        wanted = share * sum(bp.sets.available(f, t) for f in inc)
        floor = min(wanted, cap)
        bp.earmark_share[t] = share if wanted < cap else 0.0
        release = pulp.LpVariable(row_name("release", t), lowBound=0, upBound=lump)
        terms = [(release, 1.0)] + [tv for u, i in pairs for tv in bp.spend_terms(u, i, t)]
        if ("increment", t) in bp.extra and bp.earmark_share[t]:
            terms.append((bp.extra["increment", t], -bp.earmark_share[t]))  # extra increment is earmarked alike
        if n == 0:  # every missing indicator is open (baseline 0): one row says it
            add_row(bp, terms, pulp.LpConstraintGE, floor + base, row_name("missing_reserve", t), "missing_reserve")
            continue
        for k in bp.sets.missing:
            add_row(
                bp,
                terms + _secured_terms(bp, k, n, floor),
                pulp.LpConstraintGE,
                floor + base,
                row_name("missing_reserve", k, t),
                "missing_reserve",
            )


def _secured_terms(bp: BuiltProblem, k: str, n: int, floor: float) -> list:
    """The secured part of a missing indicator's earmark: F S[k,t-1] / clear_k over the school.

    For a per-unit indicator, F times the mean over its qualifying units of their secured shares
    s[k,u,t] <= min(1, S[k,u,t-1] / clear_k) (rows earmark_secured[k,u,t]).
    """
    years = bp.sets.years
    clear = bp.scenario.indicators[k].clear_value
    movers = bp.sets.initiatives_by_indicator[k]
    if bp.scenario.indicators[k].kind != "per_unit_min":
        return [
            (v, c * floor / clear)
            for tau in years[:n]
            for i in movers
            for u in bp.sets.pairs_by_initiative[i]
            for v, c in _scaled_effective(bp, u, i, tau, k)
        ]
    out = []
    count = bp.sets.series_count(k)
    for u in bp.sets.qualifying[k]:
        share = pulp.LpVariable(row_name("secured", k, u, years[n]), lowBound=0, upBound=1)
        output = [
            (v, -c / clear)
            for tau in years[:n]
            for i in movers
            if u in bp.sets.pairs_by_initiative[i]
            for v, c in _scaled_effective(bp, u, i, tau, k)
        ]
        add_row(bp, [(share, 1.0), *output], pulp.LpConstraintLE, 0.0, row_name("earmark_secured", k, u, years[n]))
        out.append((share, floor / count))
    return out


def _smallest_lump(bp: BuiltProblem, movers) -> float:
    """Price of the cheapest whole item among the initiatives (0 when one of them is divisible)."""
    inis = bp.scenario.initiatives
    prices = []
    for i in movers:
        ini = inis[i]
        if not ini.is_lumpy:
            return 0.0
        prices.append(max(ini.yearly_cost if ini.integer else 0.0, ini.min_funding) + ini.setup_cost)
    return min(prices, default=0.0)


def _series(bp: BuiltProblem, k: str) -> list[tuple[str | None, str | None]]:
    if bp.scenario.indicators[k].kind == "per_unit_min":
        return [(u, u) for u in bp.sets.qualifying[k]]
    return [(None, None)]


def _scaled_effective(bp: BuiltProblem, unit: str, initiative: str, year: int, k: str):
    y = bp.scenario.initiatives[initiative].effects[k].yield_per_unit
    return [(v, c * y) for v, c in bp.effective_terms(unit, initiative, year)]
