"""The comparison report: objectives of both plans, what money moved (signed bars), indicators that changed status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import charts, fmt
from .common import Context, counts_note, indicator_formatter, met_mark, run_info, signed_cell
from .data import as_bool, as_float, records
from .html import (
    Column,
    Section,
    definition_list,
    esc,
    figure,
    folded,
    intro,
    num_cell,
    subsection,
    table,
    text_cell,
)

MONEY_SECTIONS = ("unit", "initiative", "pool", "source", "year")


def sections(ctx: Context) -> list[Section]:
    """Every section of a comparison report, in reading order."""
    rows = records(ctx.run.table("compare"))
    by_section: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_section.setdefault(str(r["section"]), []).append(r)
    return [
        Section("summary", ctx.t("compare.summary"), summary(ctx, by_section.get("objective", []))),
        Section("moved", ctx.t("compare.moved"), intro(ctx.t("compare.moved_intro")) + moved(ctx, by_section)),
        Section("status", ctx.t("compare.status"), indicators(ctx, by_section.get("indicator", []))),
        Section("run-info", ctx.t("run_info"), run_info(ctx)),
    ]


def run_label(ctx: Context, side: str) -> str:
    """A compared run as people know it: the scenario's name and the named scenarios applied; the folder after it, small."""
    m = ctx.run.manifest
    names = (m.get("scenario_name") or {}) if isinstance(m.get("scenario_name"), dict) else {}
    named = (m.get("named_scenario") or {}) if isinstance(m.get("named_scenario"), dict) else {}
    if side not in named:  # an older comparison: ask the run's own manifest, when it is still there
        named = {side: _named_in(m.get(f"run_{side}"))}
    scenario = names.get(side) or ""
    applied = named.get(side)
    if isinstance(applied, list):
        applied = " + ".join(str(a) for a in applied)
    label = f"{scenario}（{applied}）" if applied and ctx.t.lang == "zh" else (f"{scenario} ({applied})" if applied else scenario)
    folder = Path(str(m.get(f"run_{side}") or "")).name
    return f"{esc(label or folder)} <small><code>{esc(folder)}</code></small>"


def _named_in(run: Any) -> Any:
    try:
        return json.loads((Path(str(run)) / "manifest.json").read_text(encoding="utf-8")).get("named_scenario")
    except (OSError, ValueError, TypeError):
        return None


def summary(ctx: Context, objective_rows: list[dict[str, Any]]) -> str:
    """The two runs compared (by scenario name) and their objectives side by side."""
    m = ctx.run.manifest
    facts = [(ctx.t(side), run_label(ctx, side[-1])) for side in ("run_a", "run_b")]
    if m.get("command"):
        facts.append((ctx.t("command"), f"<code>{esc(m['command'])}</code>"))
    if m.get("created"):
        facts.append((ctx.t("created"), esc(m["created"])))
    labels = {"stage1_shortfall": ctx.t("stage1_shortfall"), "stage2_progress": ctx.t("stage2_progress")}
    columns = [Column(ctx.t("col.key")), Column(ctx.t("col.a"), True), Column(ctx.t("col.b"), True), Column(ctx.t("col.delta"), True)]
    four = lambda v: fmt.fixed(v, 4)  # noqa: E731 - a formatter, named for reuse in the row below
    body = [
        [
            text_cell(labels.get(str(r["key"]), r["key"])),
            *(num_cell(f"compare:objective:{r['key']}:{c}", r.get(c), four) for c in ("a", "b", "delta")),
        ]
        for r in objective_rows
    ]
    return definition_list(facts) + subsection(ctx.t("compare.objectives"), table(columns, body, sortable=False))


def _label(ctx: Context, section: str, key: Any) -> str:
    text = fmt.text(key)
    if section == "unit":
        return ctx.names.unit(text)
    if section == "initiative":
        return ctx.names.initiative(text)
    if section == "pool":
        return ctx.pool(text)
    if section == "source":
        pool, _, source = text.partition(":")
        return ctx.fund(pool, source or None)
    if section == "unit_initiative":
        unit, _, initiative = text.partition(":")
        return f"{ctx.names.unit(unit)} / {ctx.names.initiative(initiative)}"
    return text


def moved(ctx: Context, by_section: dict[str, list[dict[str, Any]]]) -> str:
    """Signed bars and a/b/change tables by unit, initiative, pool, source and year; unit × initiative folded."""
    parts = []
    for section in MONEY_SECTIONS:
        rows = by_section.get(section)
        if rows:
            parts.append(subsection(ctx.t(f"by.{section}"), money_block(ctx, section, rows, chart=True)))
    detail = by_section.get("unit_initiative")
    if detail:
        parts.append(folded(ctx.t("by.unit_initiative"), money_block(ctx, "unit_initiative", detail, chart=False)))
    return "".join(parts)


def money_block(ctx: Context, section: str, rows: list[dict[str, Any]], *, chart: bool) -> str:
    """One dimension of the money moved: years in order, any other dimension by change (largest gain first)."""
    if section == "year":
        ordered = sorted(rows, key=lambda r: as_float(r.get("key")) or 0.0)
    else:
        ordered = sorted(rows, key=lambda r: -(as_float(r.get("delta")) or 0.0))
    svg = ""
    if chart and any(as_float(r.get("delta")) for r in rows):  # a chart of zeros says nothing
        moved = [r for r in ordered if as_float(r.get("delta"))]  # unchanged rows stay in the table only
        items = [(_label(ctx, section, r["key"]), as_float(r.get("delta")) or 0.0) for r in moved]
        svg = figure(
            charts.bar_chart(f"{ctx.t('compare.moved')} — {ctx.t(f'by.{section}')}", items, formatter=fmt.signed_money, signed=True)
        )
    columns = [Column(ctx.t("col.key")), Column(ctx.t("col.a"), True), Column(ctx.t("col.b"), True), Column(ctx.t("col.delta"), True)]
    body = []
    for r in ordered:
        key = f"compare:{section}:{fmt.raw(r['key'])}"
        body.append(
            [
                text_cell(_label(ctx, section, r["key"])),
                num_cell(f"{key}:a", r.get("a"), fmt.money),
                num_cell(f"{key}:b", r.get("b"), fmt.money),
                signed_cell(f"{key}:delta", r.get("delta")),
            ]
        )
    return svg + table(columns, body)


def indicators(ctx: Context, rows: list[dict[str, Any]]) -> str:
    """Indicators whose met/missed status differs between the runs first, then every indicator (folded)."""
    changed = [r for r in rows if as_bool(r.get("status_changed"))]
    head = _indicator_table(ctx, changed) if changed else intro(ctx.t("compare.no_status"))
    rest = [r for r in rows if not as_bool(r.get("status_changed"))]
    tail = folded(ctx.t("compare.indicators"), _indicator_table(ctx, rest)) if rest else ""
    return head + tail


def _indicator_table(ctx: Context, rows: list[dict[str, Any]]) -> str:
    columns = [
        Column(ctx.t("col.indicator")),
        Column(ctx.t("col.a"), True),
        Column(ctx.t("col.b"), True),
        Column(ctx.t("col.delta"), True),
        Column(ctx.t("col.met_a")),
        Column(ctx.t("col.met_b")),
    ]
    body = []
    for r in rows:
        key = f"compare:indicator:{fmt.raw(r['key'])}"
        cls = "changed" if as_bool(r.get("status_changed")) else ""
        kind = ctx.names.indicator_field(r["key"], "kind")
        formatter = indicator_formatter(kind, ctx.names.indicator_field(r["key"], "unit_label"))
        change = (lambda v: fmt.signed_percent(v, 2)) if kind == "ratio" else fmt.signed_number
        body.append(
            [
                text_cell(ctx.names.indicator(r["key"]), cls=cls),
                num_cell(f"{key}:a", r.get("a"), formatter),
                num_cell(f"{key}:b", r.get("b"), formatter),
                num_cell(f"{key}:delta", r.get("delta"), change),
                met_mark(ctx, f"{key}:met_a", r.get("met_a")),
                met_mark(ctx, f"{key}:met_b", r.get("met_b")),
            ]
        )
    return table(columns, body) + counts_note(ctx)
