"""What the plan takes off each base line, year by year, and why (盘活存量): the rows of reclaim.csv."""

from __future__ import annotations

from collections import defaultdict

from models import ReclaimRow

from .formulation import BuiltProblem
from .rounding import from_quanta, to_quanta

MIN_RECLAIM = 1e-6
"""Cuts smaller than this (万元) are noise, not reclaim (published amounts are whole 0.01 万元)."""


def _wan(value: float) -> str:
    """Money as reclaim.csv publishes it (whole 0.01 万元), without trailing zeros: 4.72, 2.5, 3."""
    return f"{from_quanta(to_quanta(value)):.12g}"


def _reason(bp: BuiltProblem, line, year: int, cut: float, zh: bool) -> tuple[str, str]:
    """The rule behind a cut and the reason in words; an execution cut states the amount ``reclaimed`` publishes.

    Idle money is what a low execution rate lets go at once; the plan's cut may be more (the fall limit then
    applies to the money spent) or less (the plan keeps part of the idle money for outputs), so the words give
    the cut and the idle money apart, and their difference, in the published 0.01 万元.
    """
    policy = bp.scenario.policy.lines
    if line.phase_out:
        why = line.reason or ("按计划退出" if zh else "phased out")
        return "phase_out", (f"按计划退出({why})" if zh else f"phase-out on schedule ({why})")
    if line.flagged and year == bp.sets.years[0]:
        rate, below = line.execution.rate, policy.reclaim_below
        idle_q, cut_q = to_quanta(line.idle), to_quanta(cut)
        idle, total, rest = _wan(line.idle), _wan(cut), _wan(from_quanta(abs(cut_q - idle_q)))
        if zh:
            head = f"上年预算执行率{rate:.0%}低于{below:.0%}: 本年调减{total}万元"
            if cut_q > idle_q:
                return "execution", f"{head}（闲置资金{idle}万元当年收回，另按年降幅调减{rest}万元）"
            if cut_q < idle_q:
                return "execution", f"{head}（闲置资金{idle}万元可当年收回，方案保留其中{rest}万元）"
            return "execution", f"{head}（闲置资金{idle}万元当年收回）"
        head = f"last year's execution rate {rate:.0%} is below {below:.0%}: {total} taken off this year"
        if cut_q > idle_q:
            return "execution", f"{head} (its idle {idle} at once, {rest} more within the fall limit)"
        if cut_q < idle_q:
            return "execution", f"{head} (its idle {idle} may go at once; the plan keeps {rest} of it)"
        return "execution", f"{head} (its idle {idle}, at once)"
    limit = f"{line.down:.0%}" if line.down is not None else ("不限" if zh else "none")
    if zh:
        return "gradual", f"盘活存量: 逐年调减(本线年降幅上限{limit}, 单位存量保底)"
    return "gradual", f"gradual reclaim (line fall limit {limit}, unit stock floor)"


def reclaim_rows(bp: BuiltProblem, allocation) -> list[ReclaimRow]:
    """One row per base line and year whose published money fell from the year before (the base year's is its base)."""
    zh = bp.scenario.language == "zh"
    total: dict[tuple[str, str, int], float] = defaultdict(float)
    for row in allocation:
        total[row.unit, row.initiative, row.year] += row.amount
    rows = []
    for (u, i), line in sorted(bp.sets.lines.items()):
        if line.base <= 0:
            continue
        exe = line.execution
        previous = line.base
        for t in bp.sets.years:
            now = total.get((u, i, t), 0.0)
            cut = round(previous - now, 6)
            if cut > MIN_RECLAIM:
                rule, reason = _reason(bp, line, t, cut, zh)
                rows.append(
                    ReclaimRow.model_construct(
                        unit=u,
                        initiative=i,
                        year=t,
                        base=line.base,
                        planned=exe.planned if exe is not None else None,
                        actual=exe.actual if exe is not None else None,
                        execution_rate=exe.rate if exe is not None else None,
                        previous=previous,
                        amount=now,
                        reclaimed=cut,
                        rule=rule,
                        reason=reason,
                    )
                )
            previous = now
    return rows
