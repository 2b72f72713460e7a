"""Indicator accounting: the value of each indicator per year from the output that lands in it."""

from __future__ import annotations

import pulp

from .problem import BuiltProblem, Terms, add_row, row_name
from .rolling import measured_values


def flow_terms(bp: BuiltProblem, indicator: str, year: int, unit: str | None = None) -> list[tuple[pulp.LpVariable, float, str]]:
    """Output of an indicator landing in ``year`` (from money in year - lag), all units or one unit: (var, coef, initiative)."""
    terms: list[tuple[pulp.LpVariable, float, str]] = []
    movers = bp.sets.initiatives_by_indicator.get(indicator, ())
    for i in movers:
        ini = bp.scenario.initiatives[i]
        eff = ini.effects[indicator]
        source_year = year - ini.lag
        if source_year < bp.sets.years[0]:
            continue
        units = bp.sets.pairs_by_initiative[i]
        if unit is not None:
            units = (unit,) if unit in units else ()
        for u in units:
            terms += [(v, c * eff.yield_per_unit, i) for v, c in bp.effective_terms(u, i, source_year)]
    return terms


def output_terms(bp: BuiltProblem, row: str, indicator: str, year: int, unit: str | None = None) -> Terms:
    """Minus the output landing in ``year``, as terms of an indicator_value row; records each yield coefficient."""
    out: Terms = []
    for var, coef, initiative in flow_terms(bp, indicator, year, unit):
        out.append((var, -coef))
        bp.yield_terms.append((row, var.name, initiative, indicator, -coef))
    return out


def add_indicator_value_constraints(bp: BuiltProblem) -> None:
    """indicator_value[k,t]: the value v[k,t] of each indicator by its kind (G[k,t] = output landing in t, e = exogenous).

    cumulative_new, breakthrough:  v[k,t] = v[k,t-1] + G[k,t] + e_k,           v[k,base] = b_k
    level:                         v[k,t] = (1-d_k) v[k,t-1] + G[k,t] + e_k
    ratio:                   D_k v[k,t] = (1-d_k) D_k v[k,t-1] + G[k,t] + e_k
    annual_rate:                   v[k,t] = G[k,t] + e_k
    per_unit_min (unit_value[k,u,t] for each qualifying u):  w[k,u,t] = w[k,u,t-1] + G[k,u,t] + e_k

    measured_value[k(,u),t] replaces the row in a past year t of a rolling re-plan where k's output was measured:
    the same recursion with G[k,t] + e_k replaced by the measured output m[k,t] (a constant; see ``rolling``).
    """
    measured = measured_values(bp)
    for k in bp.sets.indicators:
        ind = bp.scenario.indicators[k]
        if ind.kind == "per_unit_min":
            for u in bp.sets.qualifying[k]:
                for n, t in enumerate(bp.sets.years):
                    w = pulp.LpVariable(row_name("w", k, u, t))
                    bp.unit_value[k, u, t] = w
                    m = measured.get((k, u, t))
                    name = row_name("indicator_value" if m is None else "measured_value", k, u, t)
                    terms = [(w, 1.0)] + (output_terms(bp, name, k, t, u) if m is None else [])
                    rhs = (ind.exogenous if m is None else m) + (ind.baseline if n == 0 else 0.0)
                    if n:
                        terms.append((bp.unit_value[k, u, bp.sets.years[n - 1]], -1.0))
                    add_row(bp, terms, pulp.LpConstraintEQ, rhs, name)
            continue
        scale = ind.denominator if ind.kind == "ratio" else 1.0
        carry = {"cumulative_new": 1.0, "breakthrough": 1.0, "annual_rate": 0.0}.get(ind.kind, 1.0 - ind.decay)
        for n, t in enumerate(bp.sets.years):
            v = pulp.LpVariable(row_name("v", k, t))
            bp.value[k, t] = v
            m = measured.get((k, None, t))
            name = row_name("indicator_value" if m is None else "measured_value", k, t)
            terms = [(v, scale)] + (output_terms(bp, name, k, t) if m is None else [])
            rhs = ind.exogenous if m is None else m
            if n == 0:
                rhs += carry * scale * ind.baseline
            elif carry:
                terms.append((bp.value[k, bp.sets.years[n - 1]], -carry * scale))
            add_row(bp, terms, pulp.LpConstraintEQ, rhs, name)


def value_series(bp: BuiltProblem, indicator: str) -> list[tuple[str | None, dict[int, pulp.LpVariable]]]:
    """The value series an indicator is judged on: one overall, or one per qualifying unit."""
    if bp.scenario.indicators[indicator].kind == "per_unit_min":
        return [(u, {t: bp.unit_value[indicator, u, t] for t in bp.sets.years}) for u in bp.sets.qualifying[indicator]]
    return [(None, {t: bp.value[indicator, t] for t in bp.sets.years})]
