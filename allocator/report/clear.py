"""The cost-to-clear report: extra money to clear missing indicators, by year, the curve, and the plan spending it."""

from __future__ import annotations

from typing import Any

from . import charts, fmt
from .common import (
    Context,
    indicator_formatter,
    indicator_section_body,
    met_mark,
    money_sections,
    objective_cards,
    run_info,
    scenario_facts,
    yes_no,
)
from .data import as_float, records
from .html import Column, Section, definition_list, esc, figure, intro, keyed, name_cell, num_cell, subsection, table, text_cell


def sections(ctx: Context) -> list[Section]:
    """Sections of a cost-to-clear report: the answer, extra money by year, the curve, the plan that spends it."""
    out = [
        Section("summary", ctx.t("clear.summary"), clear_summary(ctx)),
        Section("clear", ctx.t("clear.indicators"), clear_table(ctx)),
        Section("extra", ctx.t("clear.extra"), extra_block(ctx)),
    ]
    if ctx.run.has("curve"):
        out.append(Section("curve", ctx.t("clear.curve"), intro(ctx.t("clear.curve_intro")) + curve_block(ctx)))
    plan_parts = []
    if ctx.run.has("indicators"):
        trajectory = indicator_section_body(ctx, records(ctx.run.table("indicators")))
        plan_parts.append(subsection(ctx.t("plan.indicators"), trajectory))
    if ctx.run.has("allocation"):
        plan_parts.append(money_sections(ctx, records(ctx.run.table("allocation"))))
    if plan_parts:
        out.append(Section("plan", ctx.t("clear.plan"), "".join(plan_parts)))
    out.append(Section("run-info", ctx.t("run_info"), run_info(ctx)))
    return out


def clear_summary(ctx: Context) -> str:
    """Extra money needed (manifest), status and objectives, the question asked, and why it cannot be answered."""
    m = ctx.run.manifest
    extra = [(ctx.t("extra_total"), keyed("extra_total", m.get("extra_total"), fmt.money(m.get("extra_total"))))]
    facts = [*question_facts(ctx, m.get("question") or {}), *scenario_facts(ctx)]
    return objective_cards(ctx, extra) + reasons_block(ctx) + definition_list(facts)


def reasons_block(ctx: Context) -> str:
    """Why the indicators cannot be reached together, one rule each, with the changes that would do (manifest reasons)."""
    reasons = [r for r in ctx.run.manifest.get("reasons") or [] if isinstance(r, dict)]
    if not reasons:
        return ""
    items = "".join(f"<li>{esc(r.get(ctx.t.lang) or r.get('en') or '')}</li>" for r in reasons)
    return f'<div class="sub"><h3>{esc(ctx.t("clear.why"))}</h3><ul class="reasons">{items}</ul></div>'


def _formatter(ctx: Context, key: Any):
    return indicator_formatter(ctx.names.indicator_field(key, "kind"), ctx.names.indicator_field(key, "unit_label"))


def question_facts(ctx: Context, question: dict[str, Any]) -> list[tuple[str, str]]:
    """The question asked, in words: which indicators, by when, from which pool, others kept or not."""
    if not question:
        return []
    separator = "、" if ctx.t.lang == "zh" else ", "
    names = separator.join(ctx.names.indicator(k) for k in question.get("indicators") or [])
    by = question.get("by")
    facts = [
        (ctx.t("clear.q_indicators"), esc(names or fmt.DASH)),
        (ctx.t("clear.q_by"), esc(fmt.year(by) if by is not None else ctx.t("clear.q_by_default"))),
    ]
    if question.get("pool"):
        facts.append((ctx.t("clear.q_pool"), esc(ctx.pool(question["pool"]))))
    if "keep_others" in question:
        facts.append((ctx.t("clear.q_keep_others"), esc(yes_no(ctx, question["keep_others"]))))
    return facts


def clear_table(ctx: Context) -> str:
    """Each indicator to clear: by when, the requirement, its value without and with the extra money."""
    columns = [
        Column(ctx.t("col.indicator")),
        Column(ctx.t("col.year"), True),
        Column(ctx.t("col.requirement"), True),
        Column(ctx.t("col.base_value"), True),
        Column(ctx.t("col.value"), True),
        Column(ctx.t("col.met")),
        Column(ctx.t("col.extra_total"), True),
        Column(ctx.t("col.pool")),
    ]
    body = []
    for r in records(ctx.run.table("clear")):
        key = f"clear:{r['indicator']}"
        formatter = _formatter(ctx, r["indicator"])
        body.append(
            [
                name_cell(ctx.names.indicator(r["indicator"], r.get("name")), r["indicator"]),
                num_cell(None, r.get("year"), fmt.year),
                num_cell(f"{key}:requirement", r.get("requirement"), formatter),
                num_cell(f"{key}:base_value", r.get("base_value"), formatter),
                num_cell(f"{key}:value", r.get("value"), formatter),
                met_mark(ctx, f"{key}:met", r.get("met")),
                num_cell(f"{key}:extra_total", r.get("extra_total"), fmt.money),
                text_cell(ctx.pool(r.get("pool")) if r.get("pool") else None),
            ]
        )
    return table(columns, body)


def extra_block(ctx: Context) -> str:
    """Extra money by year (and pool) as bars and a table; a sentence when there is none or no answer."""
    rows = records(ctx.run.table("extra"))
    if not rows:
        return intro(ctx.t("clear.no_extra_unreachable"))
    if not any(as_float(r.get("extra")) for r in rows):
        return intro(ctx.t("clear.no_extra_needed"))
    items = [(f"{fmt.year(r['year'])} {ctx.pool(r['pool'])}", as_float(r.get("extra")) or 0.0) for r in rows]
    chart = figure(charts.bar_chart(ctx.t("clear.extra"), items)) if any(v for _, v in items) else ""
    columns = [Column(ctx.t("col.year"), True), Column(ctx.t("col.pool")), Column(ctx.t("col.extra"), True)]
    body = [
        [
            num_cell(None, r["year"], fmt.year),
            text_cell(ctx.pool(r["pool"])),
            num_cell(f"extra:{fmt.year(r['year'])}:{r['pool']}", r.get("extra"), fmt.money),
        ]
        for r in rows
    ]
    return chart + table(columns, body)


def curve_block(ctx: Context) -> str:
    """The cost-to-clear curve: least extra money (step line) against how many indicators are cleared."""
    frame = ctx.run.table("curve")
    rows = records(frame)
    ok = [r for r in rows if as_float(r.get("k")) is not None and as_float(r.get("extra_total")) is not None]
    notes = [_cleared_names(ctx, r.get("cleared")) for r in ok]
    points = [(as_float(r["k"]) or 0.0, as_float(r["extra_total"]) or 0.0) for r in ok]
    if charts.is_flat([v for _, v in points]):
        shown = intro(_flat_curve(ctx, points, [r for r in rows if r not in ok]))
    else:
        shown = figure(_curve_chart(ctx, points, notes))
    year_cols = [c for c in frame.columns if str(c).startswith("extra_") and c != "extra_total"]
    columns = [
        Column(ctx.t("col.k"), True),
        Column(ctx.t("col.status")),
        Column(ctx.t("col.cleared")),
        Column(ctx.t("col.extra_total"), True),
        *(Column(c.removeprefix("extra_"), True) for c in year_cols),
    ]
    body = [
        [
            num_cell(None, r["k"], fmt.number),
            text_cell(ctx.term("status", r.get("status"))),
            text_cell(_cleared_names(ctx, r.get("cleared")) or None),
            num_cell(f"curve:{fmt.raw(r['k'])}:extra_total", r.get("extra_total"), fmt.money),
            *(num_cell(f"curve:{fmt.raw(r['k'])}:{c}", r.get(c), fmt.money) for c in year_cols),
        ]
        for r in rows
    ]
    return shown + table(columns, body)


def _cleared_names(ctx: Context, cleared: Any) -> str:
    """``a; b`` of curve.csv as the indicators' names."""
    if not cleared:
        return ""
    separator = "、" if ctx.t.lang == "zh" else ", "
    return separator.join(ctx.names.indicator(k.strip()) for k in str(cleared).split(";") if k.strip())


def _flat_curve(ctx: Context, points: list[tuple[float, float]], unreachable: list[dict[str, Any]]) -> str:
    """The curve in words when its money never changes: up to which k it costs that much, and which k are out of reach."""
    ks = [int(k) for k, _ in points]
    text = ctx.t("clear.flat_curve", first=min(ks), last=max(ks), money=fmt.money(points[0][1]))
    if unreachable:
        text += ctx.t("clear.flat_unreachable", ks="、".join(fmt.number(r.get("k")) for r in unreachable))
    return text


def _curve_chart(ctx: Context, points: list[tuple[float, float]], notes: list[str]) -> str:
    return charts.xy_chart(
        ctx.t("clear.curve"),
        points,
        x_label=ctx.t("axis.k"),
        y_label=ctx.t("axis.extra"),
        x_format=fmt.number,
        y_format=fmt.money,
        point_notes=notes,
        step=True,
    )
