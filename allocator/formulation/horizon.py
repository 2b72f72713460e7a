"""Horizon end: the last year still feeds the pipeline of the next plan (terminal-year pipeline requirement)."""

from __future__ import annotations

import pulp

from .problem import BuiltProblem, Terms, add_row, row_name


def pipeline_initiatives(bp: BuiltProblem) -> tuple[str, ...]:
    """Initiatives with a lead time (lag > 0): their output from money in the last year lands after the horizon."""
    inis = bp.scenario.initiatives
    return tuple(i for i in bp.sets.initiatives if inis[i].lag > 0)


def add_pipeline_constraints(bp: BuiltProblem) -> None:
    """pipeline_floor[t_n]:  sum_{i in P} X[i,t_n] >= rho / (n - 1) * sum_{t < t_n} sum_{i in P} X[i,t].

    Output of money spent in the last year lands after the horizon, so the plan's objective sees no value in it
    and would starve every lagged initiative in that year. P is the initiatives with a lead time and rho the
    policy's ``pipeline_share``: the last year gives them at least rho times their yearly average of the years
    before, so the pipeline keeps feeding the next plan (an item bought once, such as an institute, counts in the
    average; the money then goes to lagged initiatives that can still take it).
    """
    rho = bp.scenario.policy.pipeline_share
    years = bp.sets.years
    pipe = pipeline_initiatives(bp)
    if rho <= 0 or len(years) < 2 or not pipe:
        return
    last = years[-1]
    terms: Terms = []
    for i in pipe:
        for u in bp.sets.pairs_by_initiative[i]:
            terms += bp.spend_terms(u, i, last)
            for t in years[:-1]:
                terms += [(v, -rho / (len(years) - 1) * c) for v, c in bp.spend_terms(u, i, t)]
    add_row(bp, terms, pulp.LpConstraintGE, 0.0, row_name("pipeline_floor", last), "pipeline_floor")
