"""Lines are first-class: each line's money changes smoothly and named tasks stay funded (盘活存量).

A line is one unit's money for one initiative. Phase-outs follow their schedule and lines that left money idle
last year give it back. L[u,i,t] is a line's recurrent money: all its money but a set-up cost; L[u,i,base] is its
base allocation. Change caps apply to lines of recurrent initiatives (one-off investments such as an institute are
bought whole and end); floors and phase-outs apply to every line.
"""

from __future__ import annotations

import pulp

from .problem import BuiltProblem, Terms, add_row, row_name


def _scaled(terms: Terms, k: float) -> Terms:
    return [(v, -k * c) for v, c in terms]


def add_line_constraints(bp: BuiltProblem) -> None:
    """Per line, with d, u, a its fall limit, rise cap and slack (policy ``lines``, overridden by the ``lines`` table).

    line_cap_down[u,i,t]:   L[t] >= (1 - d) L[t-1]            (first year: (1 - d)(b - idle), idle = money a
                            line with a low execution rate left unspent last year, reclaimed at once)
    line_cap_up[u,i,t]:     L[t] <= (1 + u) L[t-1] + a + g[t]  (first year: (1 + u) b + a + g)
    line_start[u,i]:        sum_t g[u,i,t] <= start_abs        (a new line's start allowance, once over the plan;
                            g = 0 for base lines)
    must_fund[u,i,t]:       L[t] >= floor                       (a line that carries out a named policy task)
    phase_out_floor[u,i,t]: L[t] >= s_n b  and  L[t] <= L[t-1]  (a phased-out line follows its schedule s)
    phase_out_end[u,i,t]:   L[t] <= 0                           (after its schedule the line has ended for good)

    With a fall limit a funded line never reaches zero, so no line goes on, off and on again.
    """
    years = bp.sets.years
    for (u, i), line in bp.sets.lines.items():
        now = {t: bp.line_terms(u, i, t) for t in years}
        if line.phase_out:
            _phase_out(bp, u, i, line, now)
            continue
        if line.floor > 0:
            for t in years:
                add_row(bp, now[t], pulp.LpConstraintGE, line.floor, row_name("must_fund", u, i, t), "must_fund")
        if not line.recurrent:
            continue
        if line.down is not None:
            _fall_limit(bp, u, i, line, now)
        if line.up is not None and not (line.is_new and line.start_abs is None):
            _rise_cap(bp, u, i, line, now)


def _fall_limit(bp: BuiltProblem, u: str, i: str, line, now: dict[int, Terms]) -> None:
    years = bp.sets.years
    if line.base > 0:
        rhs = (1.0 - line.down) * (line.base - line.idle)
        add_row(bp, now[years[0]], pulp.LpConstraintGE, rhs, row_name("line_cap_down", u, i, years[0]), "line_cap_down")
    for prev, t in zip(years, years[1:]):
        terms = now[t] + _scaled(now[prev], 1.0 - line.down)
        add_row(bp, terms, pulp.LpConstraintGE, 0.0, row_name("line_cap_down", u, i, t), "line_cap_down")


def _rise_cap(bp: BuiltProblem, u: str, i: str, line, now: dict[int, Terms]) -> None:
    years = bp.sets.years
    starts = {}
    if line.is_new and line.start_abs > 0:
        starts = {t: pulp.LpVariable(row_name("start", u, i, t), lowBound=0, upBound=line.start_abs) for t in years}
        terms = [(g, 1.0) for g in starts.values()]
        add_row(bp, terms, pulp.LpConstraintLE, line.start_abs, row_name("line_start", u, i), "line_start")
    k = 1.0 + line.up
    for n, t in enumerate(years):
        terms = list(now[t])
        rhs = line.up_abs
        if n == 0:
            rhs += k * line.base
        else:
            terms += _scaled(now[years[n - 1]], k)
        if t in starts:
            terms.append((starts[t], -1.0))
        add_row(bp, terms, pulp.LpConstraintLE, rhs, row_name("line_cap_up", u, i, t), "line_cap_up")


def add_run_constraints(bp: BuiltProblem) -> None:
    """One run per line of whole one-off items (integer, no horizon capacity: a programme, a base, a membership).

    line_on[u,i,t]:       on[t] <= q[u,i,t] <= kappa_i on[t]   (on in {0,1}; when kappa_i = 1, on is q itself)
    line_run[u,i,r,s,t]:  on[r] - on[s] + on[t] <= 1             for every r < s < t (the base year counts: on = 1 there
                          when the line has base money)

    Recurrent lines get the same continuity from their fall limit; these lines buy whole items, so once a unit stops
    buying them it does not start again within the plan (no on-off-on).
    """
    for (u, i), line in bp.sets.lines.items():
        ini = bp.scenario.initiatives[i]
        if line.recurrent or not ini.integer or ini.capacity is None or ini.horizon_capacity is not None:
            continue
        if line.base > 0 and len(bp.sets.pairs_by_initiative[i]) == 1:
            continue  # the initiative's only line, kept funded every year by initiative_continuity
        _one_run(bp, u, i, line.base > 0, _on_variables(bp, u, i, ini.capacity))


def _on_variables(bp: BuiltProblem, u: str, i: str, capacity: float) -> list:
    """Whether the line buys anything in each year: its activity itself when at most one a year, else a binary."""
    years = bp.sets.years
    if capacity == 1:
        return [bp.activity[u, i, t] for t in years]
    on = [pulp.LpVariable(row_name("on", u, i, t), cat=pulp.LpBinary) for t in years]
    for t, var in zip(years, on):
        q = bp.activity[u, i, t]
        add_row(bp, [(var, 1.0), (q, -1.0)], pulp.LpConstraintLE, 0.0, row_name("line_on", u, i, t, "min"))
        add_row(bp, [(q, 1.0), (var, -capacity)], pulp.LpConstraintLE, 0.0, row_name("line_on", u, i, t, "max"))
    return on


def _one_run(bp: BuiltProblem, u: str, i: str, on_in_base: bool, on: list) -> None:
    """line_run rows: no year off between two years on (the base year is on when the line has base money)."""
    years = bp.sets.years
    for a in range(-1, len(years)):
        if a < 0 and not on_in_base:
            continue
        for b in range(a + 1, len(years)):
            for c in range(b + 1, len(years)):
                terms = [(on[b], -1.0), (on[c], 1.0)] + ([(on[a], 1.0)] if a >= 0 else [])
                first = years[a] if a >= 0 else bp.scenario.base_year
                rhs = 1.0 if a >= 0 else 0.0
                add_row(bp, terms, pulp.LpConstraintLE, rhs, row_name("line_run", u, i, first, years[b], years[c]))


def add_initiative_continuity_constraints(bp: BuiltProblem) -> None:
    """initiative_continuity[i,t]:  sum_u X[u,i,t] >= min(B_i, c_i / d_i)  for a one-off initiative with base money B_i.

    Recurrent initiatives with base money stay funded through their lines' fall limits; an initiative of whole
    one-off items that the school already funds (e.g. one English-taught programme a year) keeps buying at least
    one item a year, unless every one of its base lines is marked to phase out.
    """
    from ..line_rules import resolve_lines
    from ..selectors import select_units

    for i in bp.sets.initiatives:
        ini = bp.scenario.initiatives[i]
        lines = [bp.sets.lines[u, i] for u in bp.sets.pairs_by_initiative[i]]
        # decided on the whole scenario's lines, so a block of units builds the same row (with its terms only)
        every = resolve_lines(bp.scenario, [(u, i) for u in select_units(ini.units, bp.scenario.units)]).values()
        base = sum(line.base for line in every)
        if not ini.is_one_off or base <= 0 or all(line.phase_out for line in every if line.base > 0):
            continue
        floor = min(base, ini.yearly_cost + ini.setup_cost)
        for t in bp.sets.years:
            terms = [tv for line in lines if not line.phase_out for tv in bp.spend_terms(line.unit, i, t)]
            add_row(bp, terms, pulp.LpConstraintGE, floor, row_name("initiative_continuity", i, t), "initiative_continuity")


def _phase_out(bp: BuiltProblem, u: str, i: str, line, now_terms: dict[int, Terms]) -> None:
    years = bp.sets.years
    for n, t in enumerate(years):
        share = line.schedule_share(n)
        if share is None:
            add_row(bp, now_terms[t], pulp.LpConstraintLE, 0.0, row_name("phase_out_end", u, i, t), "phase_out_end")
            continue
        if share > 0:
            add_row(bp, now_terms[t], pulp.LpConstraintGE, share * line.base, row_name("phase_out_floor", u, i, t), "phase_out_floor")
        # a line being phased out never grows
        if n == 0:
            add_row(bp, now_terms[t], pulp.LpConstraintLE, line.base, row_name("line_cap_up", u, i, t), "line_cap_up")
        else:
            terms = now_terms[t] + _scaled(now_terms[years[n - 1]], 1.0)
            add_row(bp, terms, pulp.LpConstraintLE, 0.0, row_name("line_cap_up", u, i, t), "line_cap_up")
