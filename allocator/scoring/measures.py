"""Completion and cost-efficiency: two plain measures of a unit's year, before DEA."""

from __future__ import annotations

import statistics
from collections import defaultdict

from models import Scenario

from .inputs import ScoringInputs

UnitYear = tuple[str, int]


def spending_by_unit(inputs: ScoringInputs) -> dict[UnitYear, float]:
    """Total money each unit spent in each year."""
    out: dict[UnitYear, float] = defaultdict(float)
    for r in inputs.spending:
        out[r.unit, r.year] += r.amount
    return dict(out)


def matched_spending(sc: Scenario, inputs: ScoringInputs) -> dict[UnitYear, float]:
    """Money whose output is due in each year: spending in year y - lag on an initiative with lead time lag.

    A unit that put this year's money into an initiative with a lead time (a joint institute, a journal)
    is not charged for it until the year its output is due, so it is not marked inefficient for investing.
    """
    lag = {k: ini.lag for k, ini in sc.initiatives.items()}
    years = set(inputs.years)
    out: dict[UnitYear, float] = defaultdict(float)
    for r in inputs.spending:
        due = r.year + lag[r.initiative]
        if due in years:
            out[r.unit, due] += r.amount
    return dict(out)


def completion(sc: Scenario, inputs: ScoringInputs) -> dict[UnitYear, float | None]:
    """Weighted mean of min(actual / target, cap) over the indicators a unit was assigned (None without any).

    completion[u,y] = sum_k w_k min(a[u,k,y] / t[u,k,y], cap) / sum_k w_k   over k with t[u,k,y] > 0
    """
    cap = sc.policy.scoring.completion_cap
    actual = {(r.unit, r.indicator, r.year): r.value for r in inputs.outputs}
    num: dict[UnitYear, float] = defaultdict(float)
    den: dict[UnitYear, float] = defaultdict(float)
    for t in inputs.targets:
        w = sc.indicators[t.indicator].weight
        if t.target <= 0 or w <= 0:
            continue
        ratio = min(actual.get((t.unit, t.indicator, t.year), 0.0) / t.target, cap)
        num[t.unit, t.year] += w * ratio
        den[t.unit, t.year] += w
    units = set(spending_by_unit(inputs)) | {(r.unit, r.year) for r in inputs.outputs} | {(t.unit, t.year) for t in inputs.targets}
    return {uy: (num[uy] / den[uy] if den.get(uy) else None) for uy in sorted(units)}


def normalized_outputs(sc: Scenario, inputs: ScoringInputs) -> dict[tuple[str, str, int], float]:
    """Each unit's output as a share of the school's total of that indicator that year (unit-free)."""
    totals: dict[tuple[str, int], float] = defaultdict(float)
    for r in inputs.outputs:
        totals[r.indicator, r.year] += r.value
    return {(r.unit, r.indicator, r.year): r.value / totals[r.indicator, r.year] for r in inputs.outputs if totals[r.indicator, r.year] > 0}


def reference_totals(inputs: ScoringInputs) -> dict[str, float]:
    """Per indicator, the school total in the first year it is non-zero: one fixed yardstick for every year.

    With one yardstick, outputs stay comparable across years (the Malmquist index needs that).
    """
    totals: dict[tuple[str, int], float] = defaultdict(float)
    for r in inputs.outputs:
        totals[r.indicator, r.year] += r.value
    out: dict[str, float] = {}
    for (k, _y), total in sorted(totals.items(), key=lambda kv: kv[0][1]):
        if total > 0 and k not in out:
            out[k] = total
    return out


def scaled_outputs(inputs: ScoringInputs) -> dict[tuple[str, str, int], float]:
    """Each output over its indicator's fixed yardstick (``reference_totals``)."""
    ref = reference_totals(inputs)
    return {(r.unit, r.indicator, r.year): r.value / ref[r.indicator] for r in inputs.outputs if r.indicator in ref}


def output_index(sc: Scenario, inputs: ScoringInputs) -> dict[UnitYear, float]:
    """Weighted share of the school's output: sum_k w_k a[u,k,y]/A[k,y] / sum_k w_k over indicators produced that year."""
    shares = normalized_outputs(sc, inputs)
    produced: dict[int, set[str]] = defaultdict(set)
    for _, k, y in shares:
        produced[y].add(k)
    weight = {y: sum(sc.indicators[k].weight for k in ks) or 1.0 for y, ks in produced.items()}
    out: dict[UnitYear, float] = defaultdict(float)
    for (u, k, y), share in shares.items():
        out[u, y] += sc.indicators[k].weight * share / weight[y]
    for uy in spending_by_unit(inputs):
        out.setdefault(uy, 0.0)
    return dict(out)


def cost_efficiency(sc: Scenario, inputs: ScoringInputs) -> dict[UnitYear, tuple[float | None, float | None]]:
    """(output index per 万元 relative to the school median, that ratio mapped to [0, 1]) per unit and year.

    Money is the money whose output is due that year (``matched_spending``).

    score = min(ratio, cap) / cap, so the median unit earns 1/cap and units at cap x the median earn 1.
    """
    cap = sc.policy.scoring.cost_efficiency_cap
    index = output_index(sc, inputs)
    spend = matched_spending(sc, inputs)
    per_money = {uy: index.get(uy, 0.0) / s for uy, s in spend.items() if s > 0}
    out: dict[UnitYear, tuple[float | None, float | None]] = {}
    for year in sorted({y for (_, y) in per_money}):
        values = [v for (u, y), v in per_money.items() if y == year]
        median = statistics.median(values) if values else 0.0
        for (u, y), v in per_money.items():
            if y != year:
                continue
            if median <= 0:
                out[u, y] = (None, None)
                continue
            ratio = v / median
            out[u, y] = (ratio, min(ratio, cap) / cap)
    return out
