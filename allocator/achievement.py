"""Achievement in native units: each goal's target, achieved value, shortfall and excess, and each priority level's summary.

An indicator brings its own goals (clear its first unit by the clear-by year if missing; reach each milestone;
reach the target by the target year); a scenario's goals table adds any others. Values come from the final
plan: indicator values from the recomputed trajectory (as in indicators.csv), goal expressions from the plan's
money (as published, to 0.01 万元: goals on money add up from allocation.csv), activity and indicator values.
"""

from __future__ import annotations

from collections.abc import Sequence

from models import GoalRow, LevelRow, StageReport

from .formulation import BuiltProblem
from .trajectory import Trajectory

MET_TOLERANCE = 1e-6
"""A penalized deviation up to 1e-6 x max(1, |target|) counts as met (solver round-off)."""

ZH_DIGITS = "一二三四五六七八九十"


def _row(goal: str, priority: int | None, sense: str, target: float, achieved: float, **info) -> GoalRow:
    under, over = max(0.0, target - achieved), max(0.0, achieved - target)
    tol = MET_TOLERANCE * max(1.0, abs(target))
    met = not ((sense != "at_most" and under > tol) or (sense != "at_least" and over > tol))
    return GoalRow.model_construct(
        goal=goal, priority=priority, sense=sense, target=target, achieved=achieved, under=under, over=over, met=met, **info
    )


def _indicator_goals(bp: BuiltProblem, traj: Trajectory) -> list[GoalRow]:
    sc, sets = bp.scenario, bp.sets
    zh = sc.language == "zh"
    u_pos = {u: n for n, u in enumerate(sets.units)}
    rows = []
    for k_idx, key in enumerate(sets.indicators):
        ind = sc.indicators[key]
        name = ind.name_zh if zh or not ind.name_en else ind.name_en
        units = sets.qualifying.get(key) or (None,)

        def value(year: int, unit: str | None, k_idx=k_idx) -> float:
            t_idx = sets.years.index(year)
            if unit is None:
                return float(traj.values[k_idx, t_idx])
            return float(traj.unit_values[k_idx, u_pos[unit], t_idx])

        info = {"name": name, "unit_label": ind.unit_label, "weight": ind.weight}
        for unit in units:
            suffix = "" if unit is None else f":{unit}"
            if key in sets.missing:
                year = ind.clear_year
                rows.append(
                    _row(
                        f"clear:{key}{suffix}",
                        sc.policy.missing_priority,
                        "at_least",
                        ind.clear_value,
                        value(year, unit),
                        kind="clear",
                        year=year,
                        **info,
                    )
                )
            for year, level in sorted(ind.milestones.items()):
                if level > 0 and year in sets.years:
                    rows.append(
                        _row(
                            f"milestone:{key}{suffix}:{year}",
                            sc.priority_of(key),
                            "at_least",
                            level,
                            value(year, unit),
                            kind="milestone",
                            year=year,
                            **info,
                        )
                    )
            rows.append(
                _row(
                    f"target:{key}{suffix}",
                    sc.priority_of(key),
                    "at_least",
                    ind.target,
                    value(ind.target_year, unit),
                    kind="target",
                    year=ind.target_year,
                    **info,
                )
            )
    return rows


def goal_rows(bp: BuiltProblem, values: dict[str, float], traj: Trajectory) -> list[GoalRow]:
    """Every goal of the plan with its achievement: indicators' own goals, then the goals table, by id."""
    sc = bp.scenario
    zh = sc.language == "zh"
    rows = _indicator_goals(bp, traj)
    for key in sorted(sc.goals):
        goal = sc.goals[key]
        achieved = sum(coef * values.get(var.name, 0.0) for var, coef in bp.goal_expr[key].items())
        rows.append(
            _row(
                key,
                None if goal.hard else goal.priority,
                goal.sense,
                goal.target,
                float(achieved),
                kind="hard" if goal.hard else "goal",
                name=goal.name_zh if zh or not goal.name_en else goal.name_en,
                unit_label=goal.unit_label,
                weight=goal.weight,
            )
        )
    return rows


def _amount(value: float, label: str) -> str:
    text = f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return f"{text} {label}".strip()


def _part(total: dict[str, float], several: bool, words: tuple[str, str, str, str], zh: bool) -> str:
    """One side's deviations summed by unit of measure: 'short by 600 万元' or 'short by a total of 3 门, 5 人'."""
    one_zh, many_zh, one_en, many_en = words
    word = (many_zh if several else one_zh) if zh else (many_en if several else one_en)
    return word + ("、" if zh else ", ").join(_amount(v, k) for k, v in total.items())


def level_words(
    priority: int,
    under: dict[str, float],
    over: dict[str, float],
    unmet: int,
    language: str,
    milestone_under: dict[str, float] | None = None,
    milestones_unmet: int = 0,
) -> str:
    """A level's achievement in one line: 第二优先级: 未达成 600 万元 (or Priority 2: short by 600 万元).

    Deviations are summed by unit of measure; with several goals unmet the line says how many. Milestones
    (a year's step on the way to a target) are summed on their own after the targets and goals: a shortfall
    at a milestone and one at the target are often the same people or money counted in two years, so one
    total of both would overstate what is missing.
    """
    zh = language == "zh"
    head = (f"第{ZH_DIGITS[priority - 1] if priority <= 10 else priority}优先级" if zh else f"Priority {priority}") + ": "
    milestone_under = milestone_under or {}
    if not under and not over and not milestone_under:
        return head + ("全部达成" if zh else "every goal met")
    several = unmet > 1
    parts = []
    if under:
        parts.append(_part(under, several, ("未达成 ", "共差 ", "short by ", "short by a total of "), zh))
    if over:
        parts.append(_part(over, several, ("超出 ", "共超出 ", "over by ", "over by a total of "), zh))
    count = (f"{unmet} 项目标未达成，" if zh else f"{unmet} goals unmet; ") if several else ""
    text = count + ("；" if zh else "; ").join(parts)
    if milestone_under:
        many = milestones_unmet > 1
        lead = (f"{milestones_unmet} 个阶段目标未达成，" if zh else f"{milestones_unmet} milestones unmet, ") if many else ""
        words = ("阶段目标未达成 ", "共差 ", "milestone short by ", "short by a total of ")
        milestones = lead + _part(milestone_under, many, words, zh)
        text = f"{text}；{milestones}" if zh and text else f"{text}; {milestones}" if text else milestones
    return head + text


def _label(row: GoalRow, bp: BuiltProblem) -> str:
    """Unit of measure a deviation is summed in (ratios and goals in %: percentage points)."""
    key = row.goal.split(":")[1] if row.kind in ("clear", "target", "milestone") else None
    if row.unit_label == "%" or (key is not None and bp.scenario.indicators[key].kind == "ratio"):
        return "个百分点" if bp.scenario.language == "zh" else "percentage points"
    return row.unit_label


def level_rows(bp: BuiltProblem, goals: Sequence[GoalRow], stages: Sequence[StageReport]) -> list[LevelRow]:
    """Each priority level: its optimum and hold (from the solve) and its unmet goals summed by unit of measure."""
    by_name = {s.name: s for s in stages}
    out = []
    for level in bp.levels:
        stage = by_name.get(level.name)
        counted = [g for g in goals if g.priority == level.priority and g.weight > 0]
        under: dict[str, float] = {}
        over: dict[str, float] = {}
        milestone_under: dict[str, float] = {}
        for g in counted:
            label = _label(g, bp)
            scale = 100.0 if label in ("个百分点", "percentage points") else 1.0
            tol = MET_TOLERANCE * max(1.0, abs(g.target))
            short = milestone_under if g.kind == "milestone" else under  # milestones on their own (see level_words)
            if g.sense != "at_most" and g.under > tol:
                short[label] = short.get(label, 0.0) + scale * g.under
            if g.sense != "at_least" and g.over > tol:
                over[label] = over.get(label, 0.0) + scale * g.over
        objective = stage.objective if stage is not None else 0.0
        final = stage.final if stage is not None and stage.final is not None else objective
        out.append(
            LevelRow.model_construct(
                priority=level.priority,
                name=level.name,
                sense=level.sense,
                objective=objective,
                final=final,
                leak=(stage.leak or 0.0) if stage is not None else 0.0,
                hold=stage.hold if stage is not None else None,
                goals=len(counted),
                met=sum(g.met for g in counted),
                under=under,
                over=over,
                milestone_under=milestone_under,
                words=level_words(
                    level.priority,
                    under,
                    over,
                    sum(not g.met for g in counted if g.kind != "milestone"),
                    bp.scenario.language,
                    milestone_under,
                    sum(not g.met for g in counted if g.kind == "milestone"),
                ),
            )
        )
    return out
