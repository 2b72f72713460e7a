"""The task decomposition (任务分解表) of a plan: who delivers how much of each indicator each year, with the money attached.

For every indicator and year the school's target is the output the plan expects: every unit's planned output
plus, carried by the lead unit (牵头单位, the first named in ``departments``), what the indicator gains without
this budget (its ``exogenous`` flow, when positive). Targets are whole numbers rounded consistently:

* over the years, the school's running total is rounded half up and each year's target is the step between
  two rounded running totals, so the yearly targets add up to the rounded total of the plan;
* within a year, the target is shared among the units by largest remainder on what each unit still owes
  (its exact running total less the whole targets it was already given), so no unit drifts from its plan.

Money: each line's money (unit x initiative x year, all pools and sources) is attached to the indicators its
initiative feeds, in proportion to the weighted progress one 万元 buys on each (weight x yield / span, the
stage-2 value of the plan), published like allocation.csv at 0.01 万元 and shared by largest remainder
(``rounding.apportion``), so every line's parts add up to its published money and the rows to the plan's;
a line that feeds no indicator is attached to indicator ''. The money of a year is the budget of that year
(an initiative with a lead time delivers later).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from models import Scenario, TaskRow

from .responsibility import responsibility
from .rounding import CENT, apportion, from_quanta, to_quanta

ROLE_ORDER = {"lead": 0, "support": 1, "department": 2, "college": 3, "school": 4}

Line = tuple[str, str, int, float]
"""(unit, initiative, year, amount) of one allocation row."""
Output = tuple[str, str, int, float]
"""(unit, indicator, year, output) of one unit_indicators row."""


def whole_split(total: int, quotas: dict[str, float]) -> dict[str, int]:
    """Whole numbers adding up to ``total``, each the floor or ceiling of its quota where possible (largest remainder).

    Negative quotas count as 0; ties go to the id first in alphabetical order. Targets (persons, items) are
    shared with it; money is shared by ``rounding.apportion``, the rule every published amount follows.
    """
    q = {u: max(v, 0.0) for u, v in quotas.items()}
    out = {u: math.floor(v + 1e-9) for u, v in q.items()}
    left = total - sum(out.values())
    order = sorted(q, key=lambda u: (-(q[u] - out[u]), u))
    if left and not order:
        raise ValueError(f"cannot share {total} among no one")
    while left > 0:
        for u in order[:left]:
            out[u] += 1
        left = total - sum(out.values())
    while left < 0:
        for u in reversed(order):
            if left < 0 and out[u] > 0:
                out[u] -= 1
                left += 1
    return out


def _round_half_up(x: float) -> int:
    return math.floor(x + 0.5 + 1e-9)


def _planned_outputs(sc: Scenario, outputs: Iterable[Output]) -> dict[str, dict[int, dict[str, float]]]:
    """Exact planned output (indicator -> year -> unit), with the lead carrying the flow that needs no money."""
    resp = responsibility(sc)
    exact: dict[str, dict[int, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for unit, k, year, value in outputs:
        if value > 1e-9:
            exact[k][year][unit] = exact[k][year].get(unit, 0.0) + value
    for k, ind in sc.indicators.items():
        e = max(ind.exogenous, 0.0)
        if e <= 0:
            continue
        carriers = sorted(u for u in ind.qualifying if u in sc.units) if ind.kind == "per_unit_min" else [resp.lead.get(k, "")]
        for year in sc.years:
            for u in carriers:
                exact[k][year][u] = exact[k][year].get(u, 0.0) + e
    return exact


def whole_targets(years: list[int], exact: dict[int, dict[str, float]]) -> dict[int, dict[str, int]]:
    """Whole yearly targets per unit of one indicator (see the module's rounding rule)."""
    running: dict[str, float] = defaultdict(float)
    given: dict[str, int] = defaultdict(int)
    school_done = 0
    out: dict[int, dict[str, int]] = {}
    for year in years:
        for u, v in exact.get(year, {}).items():
            running[u] += v
        total = _round_half_up(sum(running.values())) - school_done
        school_done += total
        split = whole_split(total, {u: running[u] - given[u] for u in running}) if running else {}
        for u, n in split.items():
            given[u] += n
        out[year] = split
    return out


def _shares(sc: Scenario, initiative: str) -> dict[str, float]:
    """How a line's money is attached to its initiative's indicators: weighted progress per 万元 on each."""
    ini = sc.indicators
    effects = sc.initiatives[initiative].effects
    value = {}
    for k, eff in effects.items():
        ind = ini[k]
        per = eff.yield_per_unit / (ind.denominator if ind.kind == "ratio" and ind.denominator else 1.0)
        value[k] = ind.weight * per / ind.progress_span
    total = sum(value.values())
    if total <= 0:
        return {k: 1 / len(effects) for k in effects} if effects else {"": 1.0}
    return {k: v / total for k, v in value.items()}


def attached_money(sc: Scenario, lines: Iterable[Line], quantum: float = CENT) -> dict[tuple[str, int, str], int]:
    """(indicator, year, unit) -> money in whole quanta (0.01 万元): every line's money shared among the indicators it feeds.

    A line's money is first taken to whole quanta (allocation.csv's are already), then shared by largest
    remainder, so the parts of each line add up to it exactly.
    """
    per_line: dict[tuple[str, str, int], float] = defaultdict(float)
    for unit, initiative, year, amount in lines:
        per_line[unit, initiative, year] += amount
    out: dict[tuple[str, int, str], int] = defaultdict(int)
    for (unit, initiative, year), amount in sorted(per_line.items()):
        total = to_quanta(amount, quantum)
        if total == 0:
            continue
        shares = _shares(sc, initiative)
        keys = sorted(shares)
        for k, part in zip(keys, apportion([total * shares[k] for k in keys], total, keys=keys)):
            if part:
                out[k, year, unit] += part
    return dict(out)


def _role(sc: Scenario, unit: str, k: str, resp) -> str:
    if not unit:
        return "school"
    role = resp.role(unit, k) if k else ""
    return role or sc.units[unit].type


def decompose(sc: Scenario, lines: Iterable[Line], outputs: Iterable[Output]) -> list[TaskRow]:
    """The task decomposition of a plan: one row per indicator, year and unit with a target, money or the lead."""
    resp = responsibility(sc)
    exact = _planned_outputs(sc, outputs)
    money = attached_money(sc, lines)
    targets = {k: whole_targets(sc.years, exact.get(k, {})) for k in sc.indicators}
    rows = []
    order = {k: n for n, k in enumerate(sc.indicators)} | {"": len(sc.indicators)}
    for k in order:
        for year in sc.years:
            whole = targets.get(k, {}).get(year, {})
            units = set(whole) | set(exact.get(k, {}).get(year, {})) | {u for (kk, y, u) in money if kk == k and y == year}
            if units and k in resp.lead:
                units.add(resp.lead[k])
            school = sum(whole.values())
            for u in units:
                rows.append(
                    TaskRow(
                        indicator=k,
                        year=year,
                        unit=u,
                        role=_role(sc, u, k, resp),
                        target=whole.get(u, 0),
                        planned_output=exact.get(k, {}).get(year, {}).get(u, 0.0),
                        money=from_quanta(money.get((k, year, u), 0)),
                        school_target=school,
                    )
                )
    return sorted(rows, key=lambda r: (order[r.indicator], r.year, ROLE_ORDER[r.role], r.unit))
