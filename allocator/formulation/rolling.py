"""A rolling re-plan: past years' money is what was spent (lock rows), their rules no longer bind, outputs are measured.

Years before ``rolling.from_year`` are past. Their money is fixed by ``lock`` rows (the scenario's locks, which the
loader fills from the actual spending, or from the plan a score was made against; a line with no spending is locked
at 0), so the rules that choose a year's money are released for those years: a fact cannot break a rule. The rows
that link a past year to a later one (change caps and line caps of the first re-planned year, cohorts still being
paid, lead times, set-ups, horizon capacities, the earmark's secured output) stay, so the re-plan starts from what
was actually spent. See docs/formulation.md, "Rolling re-plan".
"""

from __future__ import annotations

import math

import pulp

from models import DEFAULT_SOURCE

from .commitments import past_spending
from .problem import BuiltProblem, add_row, fund_by_key, row_name

RELEASED: dict[str, int] = {
    "activity_cost": -1,
    "fund_limit": -1,
    "source_share_max": -1,
    "source_share_min": -1,
    "stock_floor": -1,
    "performance_money": -1,
    "grade_keep": -1,
    "grade_hold": -1,
    "change_cap_up": -1,
    "change_cap_down": -1,
    "missing_reserve": -1,
    "funding_max": -1,
    "funding_min": -1,
    "funding_switch": -1,
    "total_capacity": -1,
    "must_fund": -1,
    "line_cap_up": -1,
    "line_cap_down": -1,
    "initiative_continuity": -1,
    "phase_out_floor": -1,
    "phase_out_end": -1,
    "line_on": -2,
    "line_run": -1,
}
"""Row families released in a past year -> position of the year among the row name's ids (``line_run``'s last year:
a run wholly in the past is history)."""


def add_past_year_locks(bp: BuiltProblem) -> None:
    """Zero locks of a past year: what the locks table does not fix was not spent.

    lock[u,i,t] = 0 for every line of a past year t that no lock names; lock[u,i,t,f] = 0 for each source f of a
    line whose locks name sources (a plan's money, source by source) that none of them names.

    (The locks of the spending itself are the scenario's locks, built by ``add_lock_constraints``.)
    """
    sc = bp.scenario
    past = [t for t in bp.sets.years if sc.is_past(t)]
    if not past:
        return
    whole = {(k.unit, k.initiative, k.year) for k in sc.locks if k.source is None}
    by_source = {(k.unit, k.initiative, k.year, k.source) for k in sc.locks if k.source is not None}
    split = {key[:3] for key in by_source}
    for (u, i, t, f), var in sorted(bp.money.items()):
        if not sc.is_past(t) or (u, i, t) in whole:
            continue
        if (u, i, t) in split:
            if (u, i, t, f) not in by_source:
                add_row(bp, [(var, 1.0)], pulp.LpConstraintEQ, 0.0, row_name("lock", u, i, t, f), "lock")
        elif f == DEFAULT_SOURCE:
            add_row(bp, bp.spend_terms(u, i, t), pulp.LpConstraintEQ, 0.0, row_name("lock", u, i, t), "lock")


def fix_past_activity(bp: BuiltProblem) -> None:
    """Past activity read off the spending: q[u,i,t] and open[u,i,t] fixed for a past year t (``activity_cost`` released).

    In year order, a line's spending X first pays its commitment (paid = min(C, X)), then, on a line that opens
    that year (no base, a set-up cost, not opened before, some money spent), its set-up (open = 1, even when less than
    s was spent: the line exists); the rest buys activity at the yearly cost c/d after the cohorts of earlier past years still
    being paid: q = max(0, (X - paid - s open) d / c - sum of those cohorts), at most the line's capacity and what
    is left of the initiative's horizon capacity; for an initiative of whole items, the nearest whole number.
    Money beyond that is spent without buying more (overspending).
    Fixed, these cannot be re-read by the optimizer to free later money (a smaller past cohort owes less).
    """
    sc = bp.scenario
    past = [t for t in bp.sets.years if sc.is_past(t)]
    if not past:
        return
    spent = past_spending(bp)
    used: dict[str, float] = {}
    for u, i in bp.sets.pairs:
        ini = sc.initiatives[i]
        bought: dict[int, float] = {}
        opened = False
        for t in past:
            money = spent.get((u, i, t), 0.0)
            money -= min(bp.sets.commitments.get((u, i, t), 0.0), money)
            share = 0.0
            if (u, i, t) in bp.opened:
                if not opened and money > 0:
                    share, opened = 1.0, True
                    money = max(0.0, money - ini.setup_cost)
                var = bp.opened[u, i, t]
                var.cat, var.lowBound, var.upBound = pulp.LpContinuous, share, share
            owed = sum(bought[tau] for tau in bought if t - ini.pay_years < tau < t)
            q = max(0.0, money / ini.yearly_cost - owed)
            if ini.integer:  # whole items: 92.8% of an item's price spent is the item, bought cheaper
                q = float(math.floor(q + 0.5))
            if ini.capacity is not None:
                q = min(q, ini.capacity)
            if ini.horizon_capacity is not None:
                q = min(q, max(0.0, ini.horizon_capacity - used.get(i, 0.0)))
                used[i] = used.get(i, 0.0) + q
            bought[t] = q
            bp.activity[u, i, t].lowBound = bp.activity[u, i, t].upBound = q


def release_past_year_rows(bp: BuiltProblem) -> None:
    """Drop the rows of RELEASED families that belong to a past year (and their elastic slacks and fund-row handles)."""
    sc = bp.scenario
    if sc.rolling is None or sc.rolling.from_year is None:
        return
    for name in list(bp.problem.constraints):
        family, *ids = name.split("__")
        at = RELEASED.get(family)
        if at is None or len(ids) < -at:
            continue
        try:
            year = int(ids[at])
        except ValueError:
            continue
        if family == "fund_limit" and fund_by_key(bp.sets, ids[0]).restricted:
            continue  # a restricted source cannot have paid more than it had: the school paid the rest
        if sc.is_past(year):
            del bp.problem.constraints[name]
            for key in (name, row_name(name, "above")):
                bp.elastic.pop(key, None)
    for key, name in list(bp.fund_rows.items()):
        if name not in bp.problem.constraints:
            del bp.fund_rows[key]


def measured_values(bp: BuiltProblem) -> dict[tuple[str, str | None, int], float]:
    """(indicator, unit or None, year) -> measured output of a past year.

    The school's sum (unit None), or per qualifying unit of a per-unit indicator (0 for one that reported nothing);
    only indicator-years with a measured record appear.
    """
    sc = bp.scenario
    if sc.rolling is None:
        return {}
    out: dict[tuple[str, str | None, int], float] = {}
    for m in sc.rolling.measured:
        if sc.indicators[m.indicator].kind == "per_unit_min":
            for u in bp.sets.qualifying[m.indicator]:
                out.setdefault((m.indicator, u, m.year), 0.0)
        per_unit = sc.indicators[m.indicator].kind == "per_unit_min"
        key = (m.indicator, m.unit if per_unit else None, m.year)
        out[key] = out.get(key, 0.0) + m.value
    return out
