"""The scoring report: ranking and grades, incentive awards, DEA peers and slacks per unit, next year's floors."""

from __future__ import annotations

from typing import Any

from models import DIMENSION_ZH

from . import charts, fmt
from .common import Context, grade_badge, run_info, scenario_facts
from .data import as_float, clean, records, sorted_years
from .html import (
    Cell,
    Column,
    Section,
    cards,
    definition_list,
    esc,
    figure,
    html_cell,
    intro,
    keyed,
    name_cell,
    num_cell,
    subsection,
    table,
    text_cell,
)

GRADE_COLORS = {"A": "#1d7a46", "B": "#1f5f9f", "C": "#e08a1e", "D": "#b3261e"}


def sections(ctx: Context) -> list[Section]:
    """Every section of a scoring report, in reading order."""
    scores = records(ctx.run.table("scores"))
    years = sorted_years(r["year"] for r in scores)
    out = [
        Section("summary", ctx.t("score.summary"), summary(ctx, years)),
        Section("ranking", ctx.t("score.ranking"), _per_year(ctx, years, scores, ranking_block)),
        Section("awards", ctx.t("score.awards"), _per_year(ctx, years, records(ctx.run.table("awards")), awards_block)),
        Section(
            "dea", ctx.t("score.dea"), intro(ctx.t("score.dea_intro")) + _per_year(ctx, years, records(ctx.run.table("dea")), dea_block)
        ),
    ]
    if ctx.run.has("malmquist"):
        out.append(Section("malmquist", ctx.t("score.malmquist"), malmquist_table(ctx)))
    if ctx.run.has("next_floors"):
        out.append(Section("floors", ctx.t("score.floors"), intro(ctx.t("score.floors_intro")) + floors_table(ctx)))
    out.append(Section("run-info", ctx.t("run_info"), run_info(ctx)))
    return out


def _per_year(ctx: Context, years: list[int], rows: list[dict[str, Any]], block) -> str:
    """One block per scored year (headed by the year only when there are several)."""
    parts = []
    for year in years:
        year_rows = [r for r in rows if as_float(r.get("year")) is not None and int(r["year"]) == year]
        body = block(ctx, year, year_rows)
        parts.append(subsection(str(year), body) if len(years) > 1 else body)
    return "".join(parts)


def _unit_label(ctx: Context, unit: Any) -> str:
    return ctx.names.unit(unit)


# --- summary ------------------------------------------------------------------------------------------


def summary(ctx: Context, years: list[int]) -> str:
    """Years scored, incentive pool, awards paid and left undistributed, DEA model, status and run facts."""
    m = ctx.run.manifest
    items = [
        (ctx.t("status"), keyed("status", m.get("status"), fmt.text(m.get("status")))),
        (ctx.t("score.years"), esc(", ".join(str(y) for y in years))),
    ]
    if m.get("incentive_pool") is not None:
        items.append((ctx.t("incentive_pool"), keyed("incentive_pool", m["incentive_pool"], fmt.money(m["incentive_pool"]))))
    if m.get("awards_total_fen") is not None:
        items.append((ctx.t("awards_total"), keyed("awards_total_fen", m["awards_total_fen"], fmt.yuan(m["awards_total_fen"]))))
    undistributed = m.get("undistributed_fen") or {}
    for year, fen in undistributed.items():
        label = ctx.t("undistributed") + (f" {year}" if len(undistributed) > 1 else "")
        items.append((label, keyed(f"undistributed_fen:{year}", fen, fmt.yuan(fen))))
    policy = m.get("scoring_policy") or {}
    facts = scenario_facts(ctx)
    if policy.get("dea_model"):
        facts.append((ctx.t("dea_model"), esc(f"{policy['dea_model']} / {policy.get('dea_orientation', '')}")))
    thresholds = policy.get("thresholds") or {}
    if thresholds:
        shown = ", ".join(f"{g} ≥ {fmt.number(v, 3)}" for g, v in thresholds.items())
        facts.append((ctx.t("thresholds"), esc(shown)))
    return cards(items) + definition_list(facts)


# --- ranking ------------------------------------------------------------------------------------------


def ranking_block(ctx: Context, year: int, rows: list[dict[str, Any]]) -> str:
    """Composite scores as bars coloured by grade, the grade count, and the full sortable score table."""
    ranked = sorted(rows, key=lambda r: (as_float(r.get("rank")) or float("inf"), str(r["unit"])))
    chart = charts.bar_chart(
        f"{ctx.t('col.composite')} {year}",
        [(_unit_label(ctx, r["unit"]), as_float(r.get("composite")) or 0.0) for r in ranked],
        formatter=lambda v: fmt.fixed(v, 3),
        colors=[GRADE_COLORS.get(fmt.text(r.get("grade")), charts.PALETTE[0]) for r in ranked],
    )
    columns = [
        Column(ctx.t("col.rank"), True),
        Column(ctx.t("col.unit")),
        Column(ctx.t("col.spending"), True),
        Column(ctx.t("col.completion"), True),
        Column(ctx.t("col.output_index"), True),
        Column(ctx.t("col.cost_efficiency"), True),
        Column(ctx.t("col.dea_efficiency"), True),
        Column(ctx.t("col.composite"), True),
        Column(ctx.t("col.grade")),
        Column(ctx.t("col.award"), True),
        Column(ctx.t("col.status")),
    ]
    body = []
    for r in ranked:
        key = f"score:{r['unit']}:{year}"
        body.append(
            [
                num_cell(f"{key}:rank", r.get("rank"), fmt.number),
                name_cell(_unit_label(ctx, r["unit"]), r["unit"]),
                num_cell(f"{key}:spending", r.get("spending"), fmt.money),
                num_cell(f"{key}:completion", r.get("completion"), fmt.percent),
                num_cell(f"{key}:output_index", r.get("output_index"), lambda v: fmt.fixed(v, 3)),
                num_cell(f"{key}:cost_efficiency", r.get("cost_efficiency"), lambda v: fmt.fixed(v, 3)),
                num_cell(f"{key}:dea_efficiency", r.get("dea_efficiency"), lambda v: fmt.fixed(v, 3)),
                num_cell(f"{key}:composite", r.get("composite"), lambda v: fmt.fixed(v, 3)),
                html_cell(grade_badge(f"grade:{r['unit']}:{year}", r.get("grade")), fmt.text(r.get("grade"))),
                num_cell(f"award:{r['unit']}:{year}", r.get("award"), fmt.money),
                text_cell(r.get("status")),
            ]
        )
    return figure(chart) + _grade_counts(ctx, year, ranked) + table(columns, body)


def _grade_counts(ctx: Context, year: int, rows: list[dict[str, Any]]) -> str:
    counts: dict[str, int] = {}
    for r in rows:
        grade = fmt.text(r.get("grade"))
        counts[grade] = counts.get(grade, 0) + 1
    items = [f"{grade_badge(None, g)} × {keyed(f'grade_count:{year}:{g}', n, str(n))}" for g, n in sorted(counts.items())]
    return f'<p class="legend">{esc(ctx.t("grade_counts"))}: {" ".join(items)}</p>'


# --- awards -------------------------------------------------------------------------------------------


def awards_block(ctx: Context, year: int, rows: list[dict[str, Any]]) -> str:
    """Awards as bars and a table: composite, merit over the threshold, award in 万元 and in yuan, limits."""
    ordered = sorted(rows, key=lambda r: -(as_float(r.get("award")) or 0.0))
    chart = charts.bar_chart(
        f"{ctx.t('col.award')} {year}", [(_unit_label(ctx, r["unit"]), as_float(r.get("award")) or 0.0) for r in ordered]
    )
    has_grade = any(r.get("grade") is not None for r in rows)
    columns = [
        Column(ctx.t("col.unit")),
        Column(ctx.t("col.composite"), True),
        *([Column(ctx.t("col.grade"))] if has_grade else []),
        Column(ctx.t("col.merit"), True),
        Column(ctx.t("col.award"), True),
        Column(ctx.t("col.award_yuan"), True),
        Column(ctx.t("col.limited_by")),
    ]
    body = []
    for r in ordered:
        unit = r["unit"]
        body.append(
            [
                name_cell(_unit_label(ctx, unit), unit),
                num_cell(None, r.get("composite"), lambda v: fmt.fixed(v, 3)),
                *([html_cell(grade_badge(None, r.get("grade")), fmt.text(r.get("grade")))] if has_grade else []),
                num_cell(f"merit:{unit}:{year}", r.get("merit"), lambda v: fmt.fixed(v, 3)),
                num_cell(f"award:{unit}:{year}", r.get("award"), fmt.money),
                num_cell(f"award_fen:{unit}:{year}", r.get("award_fen"), fmt.yuan),
                text_cell(r.get("limited_by")),
            ]
        )
    return figure(chart) + table(columns, body)


# --- DEA ----------------------------------------------------------------------------------------------


def dea_block(ctx: Context, year: int, rows: list[dict[str, Any]]) -> str:
    """One card per unit: efficiency, super-efficiency, returns to scale, named peers, slacks and the explanation."""
    ordered = sorted(rows, key=lambda r: -(as_float(r.get("efficiency")) or 0.0))
    return f'<div class="card-grid">{"".join(_dea_card(ctx, year, r) for r in ordered)}</div>'


def _dea_card(ctx: Context, year: int, r: dict[str, Any]) -> str:
    unit = r["unit"]
    key = f"dea:{unit}:{year}"
    facts = [
        (ctx.t(f"col.{c}"), keyed(f"{key}:{c}", r.get(c), fmt.fixed(r.get(c), 3))) for c in ("efficiency", "super_efficiency") if c in r
    ]
    if r.get("rts") is not None:
        facts.append((ctx.t("col.rts"), esc(r["rts"])))
    facts.append((ctx.t("col.peers"), _peers(ctx, r.get("peers"))))
    facts.append((ctx.t("col.explanation"), esc(fmt.text(r.get("explanation")))))
    title = f"{_unit_label(ctx, unit)} ({unit})"
    return f'<div class="unit-card"><h4>{esc(title)}</h4>{definition_list(facts)}{_slack_table(ctx, key, r)}</div>'


def _peers(ctx: Context, peers: Any) -> str:
    """``A:1.000; C:0.500`` as named peers with their weights."""
    text = clean(peers)
    if not text:
        return esc(fmt.DASH)
    out = []
    for part in str(text).split(";"):
        part = part.strip()
        if not part:
            continue
        peer, _, weight = part.rpartition(":")
        if not peer:
            peer, weight = weight, ""
        out.append(esc(f"{ctx.names.unit(peer)} ({weight})" if weight else ctx.names.unit(peer)))
    return ", ".join(out)


def measures(row: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, name) of each DEA input and output in a dea.csv row, from its ``input_*``/``output_*`` columns."""
    found = []
    for column in row:
        for prefix in ("input_", "output_"):
            if column.startswith(prefix):
                found.append((prefix[:-1], column[len(prefix) :]))
    return found


def measure_label(ctx: Context, kind: str, name: str) -> str:
    """A DEA input or output in words: money or faculty in; a policy dimension (七个"有") or an indicator out."""
    if kind == "input":
        label = ctx.t(f"measure.{name}") if ctx.t.knows(f"measure.{name}") else name
    elif name in DIMENSION_ZH:
        label = DIMENSION_ZH[name] if ctx.t.lang == "zh" else name.replace("_", " ")
    else:
        label = ctx.names.indicator(name)
    return f"{ctx.t(f'measure.{kind}')}: {label}"


def _slack_table(ctx: Context, key: str, r: dict[str, Any]) -> str:
    found = measures(r)
    if not found:
        return ""
    columns = [
        Column(ctx.t("col.measure")),
        Column(ctx.t("col.actual"), True),
        Column(ctx.t("col.slack"), True),
        Column(ctx.t("col.dea_target"), True),
    ]
    body: list[list[Cell]] = []
    for kind, name in found:
        slack = as_float(r.get(f"slack_{name}"))
        body.append(
            [
                name_cell(measure_label(ctx, kind, name), f"{kind}_{name}"),
                num_cell(f"{key}:{kind}_{name}", r.get(f"{kind}_{name}"), lambda v: fmt.number(v, 3)),
                num_cell(f"{key}:slack_{name}", r.get(f"slack_{name}"), lambda v: fmt.number(v, 3), cls="missed" if slack else ""),
                num_cell(f"{key}:target_{name}", r.get(f"target_{name}"), lambda v: fmt.number(v, 3)),
            ]
        )
    return table(columns, body, sortable=False)


# --- Malmquist and floors -----------------------------------------------------------------------------


def malmquist_table(ctx: Context) -> str:
    """Productivity change between scored years: Malmquist index, efficiency change and technical change."""
    columns = [
        Column(ctx.t("col.unit")),
        Column(ctx.t("col.from_year"), True),
        Column(ctx.t("col.to_year"), True),
        Column(ctx.t("col.malmquist"), True),
        Column(ctx.t("col.efficiency_change"), True),
        Column(ctx.t("col.technical_change"), True),
        Column(ctx.t("col.status")),
    ]
    body = []
    for r in records(ctx.run.table("malmquist")):
        key = f"malmquist:{r['unit']}:{fmt.year(r['from_year'])}:{fmt.year(r['to_year'])}"
        body.append(
            [
                name_cell(_unit_label(ctx, r["unit"]), r["unit"]),
                num_cell(None, r["from_year"], fmt.year),
                num_cell(None, r["to_year"], fmt.year),
                *(
                    num_cell(f"{key}:{c}", r.get(c), lambda v: fmt.fixed(v, 3))
                    for c in ("malmquist", "efficiency_change", "technical_change")
                ),
                text_cell(r.get("status")),
            ]
        )
    return table(columns, body)


def floors_table(ctx: Context) -> str:
    """Next year's stock floor per unit: grade, share kept, basis, floor and what may be reclaimed."""
    columns = [
        Column(ctx.t("col.unit")),
        Column(ctx.t("col.grade")),
        Column(ctx.t("col.floor_share"), True),
        Column(ctx.t("col.stock_basis"), True),
        Column(ctx.t("col.floor_amount"), True),
        Column(ctx.t("col.may_reclaim"), True),
    ]
    body = []
    for r in records(ctx.run.table("next_floors")):
        key = f"floor:{r['unit']}"
        body.append(
            [
                name_cell(_unit_label(ctx, r["unit"]), r["unit"]),
                html_cell(grade_badge(None, r.get("grade")), fmt.text(r.get("grade"))),
                num_cell(f"{key}:floor_share", r.get("floor_share"), fmt.percent),
                num_cell(f"{key}:stock_basis", r.get("stock_basis"), fmt.money),
                num_cell(f"{key}:floor_amount", r.get("floor_amount"), fmt.money),
                num_cell(f"{key}:may_reclaim", r.get("may_reclaim"), fmt.money),
            ]
        )
    return table(columns, body)
