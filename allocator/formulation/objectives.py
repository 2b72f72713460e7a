"""The level objectives: missing-indicator shortfalls, weighted normalized progress and goal deviations, by priority."""

from __future__ import annotations

import pulp

from .indicators import value_series
from .problem import BuiltProblem, Level, Terms, add_row, row_name


def missing_weights(bp: BuiltProblem) -> dict[str, float]:
    """Each missing indicator's weight at the clearing level, scaled so the weights average 1 (all 1 if all are 0)."""
    weights = {k: bp.scenario.indicators[k].weight for k in bp.sets.missing}
    mean = sum(weights.values()) / len(weights) if weights else 0.0
    if mean <= 0:
        return dict.fromkeys(weights, 1.0)
    return {k: w / mean for k, w in weights.items()}


def add_missing_shortfall_constraints(bp: BuiltProblem) -> None:
    """missing_shortfall[k(,u)]:  s1[k] >= clear_k - v[k, clear_by_k],  s1 >= 0, for missing k (per unit for per_unit_min).

    The clearing level minimizes Z1 = sum_k (w_k / mean w) (1/n_k) sum_series s1 / clear_k: the number of
    missing indicators not yet cleared by their clear-by years (a half-cleared one counts 0.5), each
    counted at its weight relative to the average weight of the missing indicators.
    """
    terms = bp.terms_at(bp.scenario.policy.missing_priority).missing
    factors = missing_weights(bp)
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
            terms.append((s1, factors[k] * (1.0 / (ind.clear_value * bp.sets.series_count(k)))))


def add_progress_constraints(bp: BuiltProblem) -> None:
    """Normalized progress toward each target, capped at 1, with a small credit beyond; counted at the indicator's priority.

    progress_cap[k(,u)]:        p[k] + e[k] <= (v[k,T_k] - o_k) / (target_k - o_k),   p <= 1, e >= 0
    milestone_cap[k(,u),m]:     pm[k,m]     <= (v[k,m] - o_k) / (milestone_m - o_k),  pm <= 1
    sustain_cap[k(,u),t]:       ps[k,t]     <= (v[k,t] - o_k) / (target_k - o_k),    ps <= 1, for each year t past the
                                policy's last year (--until): the target is held as a sustain target
    Z_p = (1/W_p) sum_{k at p} w_k (1/n_k) sum_series [(1-mu_k) mean(p, ps[k,t] ...) + mu_k mean_m pm + eps e]
    (o_k = baseline, or 0 when the target only sustains today's level; mu_k = milestone weight if k has milestones;
    W_p = total weight of the indicators at priority p.)
    """
    sustain = [t for t in bp.sets.years if bp.scenario.is_sustain(t)]
    policy = bp.scenario.policy
    priority = {k: bp.scenario.priority_of(k) for k in bp.sets.indicators}
    for k in bp.sets.indicators:
        bp.terms_at(priority[k]).progress_weight += bp.scenario.indicators[k].weight
    for k in bp.sets.indicators:
        ind = bp.scenario.indicators[k]
        if ind.weight <= 0:
            continue
        level = bp.terms_at(priority[k])
        terms: Terms = level.progress
        origin, span = ind.progress_origin, ind.progress_span
        milestones = {y: m for y, m in sorted(ind.milestones.items()) if m > 0 and y in bp.sets.years}
        mu = policy.milestone_weight if milestones else 0.0
        series = value_series(bp, k)
        scale = ind.weight / (level.progress_weight or 1.0) / bp.sets.series_count(k)
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
            judged = 1 + len(sustain)
            terms.append((p, scale * (1.0 - mu) / judged))
            for year in sustain:
                ps = pulp.LpVariable(row_name("ps", *ids, year), upBound=1.0)
                row = row_name("sustain_cap", *ids, year)
                add_row(bp, [(ps, 1.0), (values[year], -1.0 / span)], pulp.LpConstraintLE, -origin / span, row)
                terms.append((ps, scale * (1.0 - mu) / judged))
            level.credit.append((e, scale * policy.beyond_target_credit))
            for year, mval in milestones.items():
                pm = pulp.LpVariable(row_name("pm", *ids, year), upBound=1.0)
                m_origin = origin if mval > origin else 0.0  # a milestone at or below the baseline means: sustain it
                gap = mval - m_origin
                add_row(
                    bp, [(pm, 1.0), (values[year], -1.0 / gap)], pulp.LpConstraintLE, -m_origin / gap, row_name("milestone_cap", *ids, year)
                )
                terms.append((pm, scale * mu / len(milestones)))


def level_name(bp: BuiltProblem, priority: int) -> str:
    """Stage name of a priority: stage1 (missing indicators), stage2 (weighted progress) or level<p>."""
    policy = bp.scenario.policy
    if priority == policy.missing_priority:
        return "stage1"
    if priority == policy.progress_priority:
        return "stage2"
    return f"level{priority}"


def assemble_levels(bp: BuiltProblem) -> None:
    """One Level per priority, in order; stage1 and stage2 always exist (empty when nothing counts there).

    A level with weighted progress and no missing-indicator gaps is maximized: goal deviations enter it
    with a minus sign. Any other level is minimized; weighted progress enters it as its shortfall from 1.
    """
    policy = bp.scenario.policy
    bp.terms_at(policy.missing_priority)
    bp.terms_at(policy.progress_priority)
    bp.levels = []
    for priority in sorted(bp.level_terms):
        lt = bp.level_terms[priority]
        maximize = priority != policy.missing_priority and (bool(lt.progress) or priority == policy.progress_priority)
        if maximize:
            expr = pulp.LpAffineExpression(lt.progress + lt.credit + [(v, -c) for v, c in lt.penalties])
        else:
            gain = lt.progress + lt.credit
            constant = sum(c for _, c in lt.progress)
            expr = pulp.LpAffineExpression(lt.missing + lt.penalties + [(v, -c) for v, c in gain], constant=constant)
        bp.levels.append(Level(priority, level_name(bp, priority), expr, maximize=maximize, exact=priority == policy.missing_priority))
