"""The risk report: how likely each target is met, and each indicator's 5–95% range, under uncertain yields."""

from __future__ import annotations

from typing import Any

from . import charts, fmt
from .common import Context, indicator_formatter, run_info, scenario_facts, status_card, yes_no
from .data import as_float, records
from .html import Column, Section, cards, definition_list, esc, figure, intro, keyed, name_cell, num_cell, table, text_cell


def sections(ctx: Context) -> list[Section]:
    """Sections of a risk report: the simulation, the probability of each target, and the 5–95% ranges."""
    rows = records(ctx.run.table("risk"))
    return [
        Section("summary", ctx.t("risk.summary"), risk_summary(ctx)),
        Section("probability", ctx.t("risk.probability"), probability_block(ctx, rows)),
        Section("ranges", ctx.t("risk.ranges"), intro(ctx.t("risk.ranges_intro")) + ranges_block(ctx, rows)),
        Section("run-info", ctx.t("run_info"), run_info(ctx)),
    ]


def risk_summary(ctx: Context) -> str:
    """Number of draws, yield spread, seed and method, from the manifest."""
    spec = ctx.run.manifest.get("risk") or {}
    items = [status_card(ctx)]
    if spec.get("draws") is not None:
        items.append((ctx.t("risk.draws"), keyed("draws", spec["draws"], fmt.number(spec["draws"]))))
    if spec.get("yield_cv") is not None:
        items.append((ctx.t("risk.cv"), keyed("yield_cv", spec["yield_cv"], fmt.percent(spec["yield_cv"]))))
    facts = scenario_facts(ctx)
    if "seed" in spec:
        facts.append((ctx.t("risk.seed"), esc(spec["seed"])))
    if "resolve" in spec:
        facts.append((ctx.t("risk.resolve"), esc(yes_no(ctx, spec["resolve"]))))
    if spec.get("distribution"):
        facts.append((ctx.t("risk.distribution"), esc(spec["distribution"])))
    return cards(items) + definition_list(facts)


def probability_block(ctx: Context, rows: list[dict[str, Any]]) -> str:
    """Probability each target is met, as bars on a 0–100% scale."""
    items = [(ctx.names.indicator(r["indicator"], r.get("name")), as_float(r.get("probability")) or 0.0) for r in rows]
    chart = charts.bar_chart(ctx.t("risk.probability"), items, formatter=fmt.percent, domain=(0.0, 1.0))
    return figure(chart)


def ranges_block(ctx: Context, rows: list[dict[str, Any]]) -> str:
    """The 5–95% range chart and the full table of the simulated distribution."""
    shown = [r for r in rows if all(as_float(r.get(c)) is not None for c in ("p05", "p50", "p95"))]
    chart = charts.range_chart(
        ctx.t("risk.ranges"),
        [
            charts.RangeRow(
                ctx.names.indicator(r["indicator"], r.get("name")),
                float(r["p05"]),
                float(r["p50"]),
                float(r["p95"]),
                as_float(r.get("target")),
                as_float(r.get("plan_value")),
                indicator_formatter(ctx.names.indicator_field(r["indicator"], "kind")),
            )
            for r in shown
        ],
        words=(ctx.t("risk.ranges"), ctx.t("col.p50"), ctx.t("col.target"), ctx.t("col.plan_value")),
    )
    measures = ("target", "plan_value", "mean", "p05", "p50", "p95")
    has_clear = any(as_float(r.get("clear_probability")) is not None for r in rows)
    columns = [
        Column(ctx.t("col.indicator")),
        Column(ctx.t("col.target_year"), True),
        *(Column(ctx.t(f"col.{m}"), True) for m in measures),
        Column(ctx.t("col.probability"), True),
        Column(ctx.t("col.std_error"), True),
        Column(ctx.t("col.missing")),
        *([Column(ctx.t("col.clear_probability"), True)] if has_clear else []),
    ]
    body = []
    for r in rows:
        key = f"risk:{r['indicator']}"
        formatter = indicator_formatter(ctx.names.indicator_field(r["indicator"], "kind"))
        body.append(
            [
                name_cell(ctx.names.indicator(r["indicator"], r.get("name")), r["indicator"]),
                num_cell(None, r.get("target_year"), fmt.year),
                *(num_cell(f"{key}:{m}", r.get(m), formatter) for m in measures),
                num_cell(f"{key}:probability", r.get("probability"), fmt.percent),
                num_cell(f"{key}:std_error", r.get("std_error"), lambda v: fmt.percent(v, 2)),
                text_cell(yes_no(ctx, r.get("missing"))),
                *([num_cell(f"{key}:clear_probability", r.get("clear_probability"), fmt.percent)] if has_clear else []),
            ]
        )
    return figure(chart) + table(columns, body)
