"""The stage objectives: missing-indicator shortfalls (stage 1) and weighted normalized progress (stage 2)."""

from __future__ import annotations

import pulp

from .indicators import value_series
from .problem import BuiltProblem, Terms, add_row, row_name


def add_missing_shortfall_constraints(bp: BuiltProblem) -> None:
    """missing_shortfall[k(,u)]:  s1[k] >= clear_k - v[k, clear_by_k],  s1 >= 0, for missing k (per unit for per_unit_min).

    Stage 1 minimizes Z1 = sum_k (1/n_k) sum_series s1 / clear_k: the number of missing indicators not yet
    cleared by their clear-by years (a half-cleared one counts 0.5).
    """
    terms: Terms = []
    for k in bp.sets.missing:
        ind = bp.scenario.indicators[k]
        series = value_series(bp, k)
        for unit, values in series:
            ids = (k,) if unit is None else (k, unit)
            s1 = pulp.LpVariable(row_name("s1", *ids), lowBound=0)
            bp.shortfall[ids] = s1
            add_row(
                bp, [(s1, 1.0), (values[ind.clear_year], 1.0)], pulp.LpConstraintGE, ind.clear_value, row_name("missing_shortfall", *ids)
            )
            terms.append((s1, 1.0 / (ind.clear_value * len(series))))
    bp.stage1 = pulp.LpAffineExpression(terms)


def add_progress_constraints(bp: BuiltProblem) -> None:
    """Normalized progress toward each target, capped at 1, with a small credit beyond (stage 2).

    progress_cap[k(,u)]:        p[k] + e[k] <= (v[k,T_k] - o_k) / (target_k - o_k),   p <= 1, e >= 0
    milestone_cap[k(,u),m]:     pm[k,m]     <= (v[k,m] - o_k) / (milestone_m - o_k),  pm <= 1
    Z2 = (1/W) sum_k w_k (1/n_k) sum_series [(1-mu_k) p + mu_k mean_m pm + eps e]
    (o_k = baseline, or 0 when the target only sustains today's level; mu_k = milestone weight if k has milestones.)
    """
    policy = bp.scenario.policy
    total_weight = sum(bp.scenario.indicators[k].weight for k in bp.sets.indicators) or 1.0
    terms: Terms = []
    for k in bp.sets.indicators:
        ind = bp.scenario.indicators[k]
        if ind.weight <= 0:
            continue
        origin, span = ind.progress_origin, ind.progress_span
        milestones = {y: m for y, m in sorted(ind.milestones.items()) if m > 0 and y in bp.sets.years}
        mu = policy.milestone_weight if milestones else 0.0
        series = value_series(bp, k)
        scale = ind.weight / total_weight / len(series)
        for unit, values in series:
            ids = (k,) if unit is None else (k, unit)
            p = pulp.LpVariable(row_name("p", *ids), upBound=1.0)
            e = pulp.LpVariable(row_name("e", *ids), lowBound=0)
            bp.progress[ids] = p
            add_row(
                bp,
                [(p, 1.0), (e, 1.0), (values[ind.target_year], -1.0 / span)],
                pulp.LpConstraintLE,
                -origin / span,
                row_name("progress_cap", *ids),
            )
            terms += [(p, scale * (1.0 - mu)), (e, scale * policy.beyond_target_credit)]
            for year, mval in milestones.items():
                pm = pulp.LpVariable(row_name("pm", *ids, year), upBound=1.0)
                m_origin = origin if mval > origin else 0.0  # a milestone at or below the baseline means: sustain it
                gap = mval - m_origin
                add_row(
                    bp, [(pm, 1.0), (values[year], -1.0 / gap)], pulp.LpConstraintLE, -m_origin / gap, row_name("milestone_cap", *ids, year)
                )
                terms.append((pm, scale * mu / len(milestones)))
    bp.stage2 = pulp.LpAffineExpression(terms)
