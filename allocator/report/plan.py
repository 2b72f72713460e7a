"""The plan report: summary, indicator trajectories, where the money goes, missing indicators, marginal values."""

from __future__ import annotations

import re
from typing import Any

import models

from ..extract import MET_TOLERANCE
from . import fmt
from .common import (
    Context,
    at_target_year,
    counts_note,
    indicator_formatter,
    indicator_groups,
    indicator_section_body,
    met_mark,
    money_sections,
    objective_cards,
    run_info,
    scenario_facts,
    targets_met,
)
from .data import as_bool, as_float, group_sum, records
from .html import (
    Cell,
    Column,
    Section,
    definition_list,
    esc,
    folded,
    intro,
    keyed,
    name_cell,
    num_cell,
    subsection,
    table,
    text_cell,
)


def sections(ctx: Context) -> list[Section]:
    """Every section of a plan report, in reading order."""
    run = ctx.run
    allocation = records(run.table("allocation"))
    indicators = records(run.table("indicators"))
    return [
        Section("summary", ctx.t("plan.summary"), summary(ctx, allocation, indicators)),
        Section("indicators", ctx.t("plan.indicators"), intro(ctx.t("plan.indicators_intro")) + indicator_section_body(ctx, indicators)),
        Section("money", ctx.t("plan.money"), money_sections(ctx, allocation)),
        Section("goals", ctx.t("plan.goals"), goals_body(ctx)),
        Section("missing", ctx.t("plan.missing"), missing_body(ctx, indicators)),
        Section("marginals", ctx.t("plan.marginals"), marginals_body(ctx)),
        *unit_output_sections(ctx),
        Section("run-info", ctx.t("run_info"), run_info(ctx)),
    ]


def summary(ctx: Context, allocation: list[dict[str, Any]], indicators: list[dict[str, Any]]) -> str:
    """Status and objectives, targets met, total money, money by pool (from budget.csv) and run facts."""
    met, judged = targets_met(indicator_groups(indicators))
    total = group_sum(allocation, (), "amount").get((), 0.0)
    headline = objective_cards(
        ctx,
        [
            (ctx.t("targets_met"), keyed("targets_met", met, f"{met}") + esc(f" / {judged}")),
            (ctx.t("total_allocated"), keyed("total:allocated", total, fmt.money(total))),
        ],
    )
    return (
        intro(ctx.t("plan.summary_intro"))
        + headline
        + subsection(ctx.t("money_by_pool"), pool_table(ctx))
        + definition_list(scenario_facts(ctx))
    )


def pool_table(ctx: Context) -> str:
    """Available, allocated and unused money per pool and source (budget.csv), by year, with pool totals."""
    budget = records(ctx.run.table("budget"))
    has_source = any(r.get("source") is not None for r in budget)
    has_unused = "unused" in ctx.run.table("budget").columns
    measures = ["available", "allocated", *(["unused"] if has_unused else [])]
    columns = [
        Column(ctx.t("col.year")),
        Column(ctx.t("col.pool")),
        *([Column(ctx.t("col.source"))] if has_source else []),
        *(Column(ctx.t(f"col.{m}"), True) for m in measures),
    ]
    rows = []
    for r in budget:
        key = f"budget:{fmt.year(r['year'])}:{fmt.raw(r['pool'])}:{fmt.raw(r.get('source'))}"
        rows.append(
            [
                text_cell(fmt.year(r["year"])),
                text_cell(ctx.pool(r["pool"])),
                *([text_cell(ctx.fund(r["pool"], r.get("source")))] if has_source else []),
                *(num_cell(f"{key}:{m}", r.get(m), fmt.money) for m in measures),
            ]
        )
    foot_rows = []
    for pool in dict.fromkeys(fmt.raw(r["pool"]) for r in budget):
        pool_rows = [r for r in budget if fmt.raw(r["pool"]) == pool]
        sums = {m: group_sum(pool_rows, (), m).get((), 0.0) for m in measures}
        foot_rows.append(
            [
                text_cell(ctx.t("total")),
                text_cell(ctx.pool(pool)),
                *([text_cell("")] if has_source else []),
                *(num_cell(f"pool:{pool}:{m}", sums[m], fmt.money) for m in measures),
            ]
        )
    return table(columns, rows + foot_rows)


# --- goals by priority --------------------------------------------------------------------------------


def goals_body(ctx: Context) -> str:
    """Each priority level's achievement in a sentence (from the manifest), then every goal's numbers (goals.csv)."""
    levels = ctx.run.manifest.get("levels") or []
    if not ctx.run.has("goals") and not levels:
        return intro(ctx.t("plan.no_goals"))
    lines = "".join(f"<li>{keyed('level:' + fmt.raw(lv.get('priority')), lv.get('final'), lv.get('words') or '')}</li>" for lv in levels)
    body = intro(ctx.t("plan.goals_intro")) + (f"<ul>{lines}</ul>" if lines else "")
    if not ctx.run.has("goals"):
        return body
    columns = [
        Column(ctx.t("col.goal")),
        Column(ctx.t("col.priority"), True),
        Column(ctx.t("col.sense")),
        Column(ctx.t("col.target"), True),
        Column(ctx.t("col.achieved"), True),
        Column(ctx.t("col.under"), True),
        Column(ctx.t("col.over"), True),
        Column(ctx.t("col.unit_label")),
        Column(ctx.t("col.met")),
    ]
    rows = []
    for r in records(ctx.run.table("goals")):
        key = f"goal:{fmt.raw(r['goal'])}"
        label = f"{r.get('name') or r['goal']}" + (f" ({fmt.year(r['year'])})" if r.get("kind") == "milestone" else "")
        rows.append(
            [
                name_cell(label, r["goal"]),
                text_cell(r.get("priority")),
                text_cell(ctx.t(f"sense.{r['sense']}") if r.get("sense") in ("at_least", "at_most", "exactly") else r.get("sense")),
                num_cell(f"{key}:target", r.get("target"), fmt.number),
                num_cell(f"{key}:achieved", r.get("achieved"), fmt.number),
                num_cell(f"{key}:under", r.get("under"), fmt.number),
                num_cell(f"{key}:over", r.get("over"), fmt.number),
                text_cell(r.get("unit_label")),
                met_mark(ctx, None, r.get("met")),
            ]
        )
    return body + folded(ctx.t("show_table"), table(columns, rows))


# --- missing indicators -------------------------------------------------------------------------------


def missing_body(ctx: Context, indicators: list[dict[str, Any]]) -> str:
    """Each missing indicator: its clear-by year and level, the first year the plan reaches it, and its value then."""
    groups = {k: g for k, g in indicator_groups(indicators).items() if as_bool(g[0].get("missing"))}
    if not groups:
        return intro(ctx.t("plan.no_missing"))
    columns = [
        Column(ctx.t("col.indicator")),
        Column(ctx.t("col.clear_by"), True),
        Column(ctx.t("col.clear_level"), True),
        Column(ctx.t("col.first_cleared"), True),
        Column(ctx.t("col.value_at_clear_by"), True),
        Column(ctx.t("col.target"), True),
        Column(ctx.t("col.met")),
    ]
    rows = [_missing_row(ctx, key, group) for key, group in groups.items()]
    return intro(ctx.t("plan.missing_intro")) + table(columns, rows)


def _missing_row(ctx: Context, key: str, group: list[dict[str, Any]]) -> list[Cell]:
    clear_by, level = clearing_rule(ctx, key, group)
    first_year = next((int(r["year"]) for r in group if _reaches(r.get("value"), level)), None)
    at_clear = next((r for r in group if clear_by is not None and int(r["year"]) == clear_by), None)
    target_row = at_target_year(group) or {}
    formatter = indicator_formatter(group[0].get("kind"), group[0].get("unit_label"))
    first_cell = (
        num_cell(f"missing:{key}:first_cleared", first_year, fmt.year)
        if first_year is not None
        else Cell(keyed(f"missing:{key}:first_cleared", None, ctx.t("not_reached"), cls="missed"))
    )
    return [
        name_cell(ctx.names.indicator(key, group[0].get("name")), key),
        num_cell(f"missing:{key}:clear_by", clear_by, fmt.year),
        num_cell(f"missing:{key}:clear_level", level, formatter),
        first_cell,
        num_cell(None, at_clear.get("value") if at_clear else None, formatter),
        num_cell(None, group[0].get("target"), formatter),
        met_mark(ctx, None, target_row.get("met")),
    ]


def clearing_rule(ctx: Context, key: str, group: list[dict[str, Any]]) -> tuple[int | None, float | None]:
    """(clear-by year, clearing level) of a missing indicator, as the model defines them.

    The resolved scenario is validated back into :class:`models.Indicator` so that its defaults (clear by
    the target year; the first unit, or the target for a breakthrough) are the ones the plan used.
    """
    definition = None
    for sc in (ctx.run.scenario, *ctx.run.related):
        entry = ((sc or {}).get("indicators") or {}).get(key)
        if entry:
            definition = entry
            break
    if definition is not None:
        try:
            ind = models.Indicator.model_validate(definition)
            return ind.clear_year, ind.clear_value
        except ValueError:
            pass
    target_year = as_float(group[0].get("target_year"))
    return (int(target_year) if target_year is not None else None), as_float(group[0].get("target"))


def _reaches(value: Any, level: float | None) -> bool:
    number = as_float(value)
    if number is None or level is None:
        return False
    return number >= level - MET_TOLERANCE * max(1.0, abs(level))


# --- marginal values ----------------------------------------------------------------------------------


TOP_MARGINALS = 10  # capacities shown open; the rest are folded
CAPACITY_FAMILIES = ("capacity", "total_capacity", "horizon_capacity")
METHOD_TAG = re.compile(r"\s*\[[^\]]*\]\s*$")


def marginals_body(ctx: Context) -> str:
    """What one more unit of each limit is worth: money first (per 100 万元), capacities second, other rules folded.

    Every row stays keyed with its exact stage values; the per-100 figure is the stage-2 value × 10,000
    (percentage points per 100 万元).
    """
    if not ctx.run.has("marginals"):
        return intro(ctx.t("plan.no_marginals"))
    rows = sorted(records(ctx.run.table("marginals")), key=_marginal_weight)
    money = [r for r in rows if r.get("family") == "fund_limit"]
    capacity = [r for r in rows if r.get("family") in CAPACITY_FAMILIES]
    other = [r for r in rows if r.get("family") != "fund_limit" and r.get("family") not in CAPACITY_FAMILIES]
    parts = [intro(ctx.t("plan.marginals_intro"))]
    if money:
        parts.append(subsection(ctx.t("plan.marginals_money"), _money_table(ctx, money)))
    if capacity:
        shown = _rule_table(ctx, capacity[:TOP_MARGINALS])
        if len(capacity) > TOP_MARGINALS:
            shown += folded(ctx.t("plan.marginals_more", n=len(capacity) - TOP_MARGINALS), _rule_table(ctx, capacity[TOP_MARGINALS:]))
        parts.append(subsection(ctx.t("plan.marginals_capacity"), shown))
    if other:
        parts.append(folded(ctx.t("plan.marginals_other", n=len(other)), _rule_table(ctx, other)))
    return "".join(parts)


def _marginal_weight(row: dict[str, Any]) -> tuple[float, float]:
    """Sort key: largest stage-1 value first, then largest stage-2 value (by size, gains and losses alike)."""
    return (-abs(as_float(row.get("value_stage1")) or 0.0), -abs(as_float(row.get("value_stage2")) or 0.0))


def _money_table(ctx: Context, rows: list[dict[str, Any]]) -> str:
    """Each fund and year: percentage points of weighted progress per 100 万元 more, and the exact stage values."""
    from ..vocabulary import money_marginal

    columns = [
        Column(ctx.t("col.fund")),
        Column(ctx.t("col.year"), True),
        Column(ctx.t("col.per_100"), True),
        Column(ctx.t("col.words")),
        Column(ctx.t("col.value_stage1"), True),
        Column(ctx.t("col.value_stage2"), True),
    ]
    body = []
    for r in rows:
        key = f"marginal:{fmt.raw(r['constraint'])}"
        fund = ctx.fund_key(r.get("fund"))
        s1, s2 = as_float(r.get("value_stage1")) or 0.0, as_float(r.get("value_stage2")) or 0.0
        body.append(
            [
                text_cell(fund),
                num_cell(None, r.get("year"), fmt.year),
                num_cell(None, s2 * 10_000, lambda v: fmt.significant(v, 3)),
                text_cell(money_marginal(fund, fmt.year(r.get("year")), s1, s2, ctx.t.lang), cls="wide"),
                num_cell(f"{key}:value_stage1", r.get("value_stage1"), fmt.significant),
                num_cell(f"{key}:value_stage2", r.get("value_stage2"), fmt.significant),
            ]
        )
    return table(columns, body)


def _rule_table(ctx: Context, rows: list[dict[str, Any]]) -> str:
    columns = [
        Column(ctx.t("col.words")),
        Column(ctx.t("col.family")),
        Column(ctx.t("col.year"), True),
        Column(ctx.t("col.value_stage1"), True),
        Column(ctx.t("col.value_stage2"), True),
    ]
    return table(columns, [_marginal_row(ctx, r) for r in rows])


def _marginal_row(ctx: Context, r: dict[str, Any]) -> list[Cell]:
    key = f"marginal:{fmt.raw(r['constraint'])}"
    words = METHOD_TAG.sub("", str(r.get("words") or r["constraint"]))  # the method tag is for the CSV's readers
    return [
        text_cell(words, cls="wide"),
        text_cell(ctx.term("family", r.get("family"))),
        num_cell(None, r.get("year"), fmt.year),
        num_cell(f"{key}:value_stage1", r.get("value_stage1"), fmt.significant),
        num_cell(f"{key}:value_stage2", r.get("value_stage2"), fmt.significant),
    ]


# --- per-unit outputs ---------------------------------------------------------------------------------


def unit_output_sections(ctx: Context) -> list[Section]:
    """Each unit's planned output per indicator and year (its assigned target), in the indicator's own unit.

    A yearly indicator (annual_rate) shows what the unit delivers in that year only: its running sum
    would count the same Confucius Institutes five times. For ratios the unit's part is the numerator.
    """
    if not ctx.run.has("unit_indicators"):
        return []
    rows = records(ctx.run.table("unit_indicators"))
    info = {str(r["indicator"]): r for r in records(ctx.run.table("indicators"))}
    columns = [
        Column(ctx.t("col.unit")),
        Column(ctx.t("col.indicator")),
        Column(ctx.t("col.unit_label")),
        Column(ctx.t("col.year"), True),
        Column(ctx.t("col.output"), True),
        Column(ctx.t("col.cumulative"), True),
    ]
    body = []
    for r in rows:
        ind = info.get(str(r["indicator"])) or {}
        kind = ind.get("kind") or ctx.names.indicator_field(r["indicator"], "kind")
        label = ind.get("unit_label") or ctx.names.indicator_field(r["indicator"], "unit_label")
        yearly = kind == "annual_rate"
        shown_label = ctx.t("numerator") if kind == "ratio" else label
        formatter = fmt.count if kind == "ratio" else indicator_formatter(kind, label)
        key = f"unit_indicator:{r['unit']}:{r['indicator']}:{fmt.year(r['year'])}"
        body.append(
            [
                name_cell(ctx.names.unit(r["unit"]), r["unit"]),
                name_cell(ctx.names.indicator(r["indicator"]), r["indicator"]),
                text_cell(shown_label),
                num_cell(None, r["year"], fmt.year),
                num_cell(f"{key}:output", r.get("output"), formatter),
                Cell(esc(fmt.DASH)) if yearly else num_cell(f"{key}:value", r.get("value"), formatter),
            ]
        )
    note = intro(ctx.t("plan.unit_outputs_intro"))
    return [
        Section("unit-outputs", ctx.t("plan.unit_outputs"), note + folded(ctx.t("show_table"), table(columns, body) + counts_note(ctx)))
    ]
