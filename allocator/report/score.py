"""The scoring report: the 100-point ranking per track with ratings, each unit's parts in native units.

Then budget execution and unit costs, awards and next year's floors; DEA is an annex (``score_annex``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import charts, fmt
from .common import Context, grade_badge, run_info, scenario_facts
from .data import as_bool, as_float, records, sorted_years
from .html import (
    Cell,
    Column,
    Section,
    cards,
    definition_list,
    esc,
    figure,
    folded,
    html_cell,
    intro,
    keyed,
    name_cell,
    num_cell,
    subsection,
    table,
    text_cell,
)
from .score_annex import dea_block, malmquist_table
from .score_words import WORDS

GRADE_COLORS = {"A": "#1d7a46", "B": "#1f5f9f", "C": "#e08a1e", "D": "#b3261e"}
TRACKS = ("college", "department")
PARTS = ("completion", "execution", "unit_cost", "timeliness", "dea", "landmark")


def _t(ctx: Context, key: str) -> str:
    """This report's own words, else the shared ones."""
    if key in WORDS:
        return WORDS[key][0 if ctx.t.lang == "zh" else 1]
    return ctx.t(key)


def sections(ctx: Context) -> list[Section]:
    """Every section of a scoring report, in reading order: ranking first, DEA last."""
    scores = records(ctx.run.table("scores"))
    years = sorted_years(r["year"] for r in scores)
    out = [
        Section("summary", ctx.t("score.summary"), summary(ctx, years)),
        Section("ranking", _t(ctx, "ranking"), intro(_t(ctx, "ranking_intro")) + _per_year(ctx, years, scores, ranking_block)),
    ]
    if ctx.run.has("parts"):
        parts = records(ctx.run.table("parts"))
        out.append(Section("parts", _t(ctx, "parts"), intro(_t(ctx, "parts_intro")) + _per_year(ctx, years, parts, parts_block, scores)))
    out.append(Section("execution", _t(ctx, "execution"), intro(_t(ctx, "execution_intro")) + execution_body(ctx, years, scores)))
    if ctx.run.has("unit_costs"):
        out.append(Section("unit-costs", _t(ctx, "unit_costs"), intro(_t(ctx, "unit_costs_intro")) + unit_cost_table(ctx)))
    out.append(Section("awards", ctx.t("score.awards"), _per_year(ctx, years, records(ctx.run.table("awards")), awards_block)))
    if ctx.run.has("next_floors"):
        out.append(Section("floors", ctx.t("score.floors"), intro(ctx.t("score.floors_intro")) + floors_table(ctx)))
    if ctx.run.has("dea"):
        weighted = (as_float(((ctx.run.manifest.get("scoring_policy") or {}).get("weights") or {}).get("dea")) or 0) > 0
        body = intro(_t(ctx, "dea_intro")) + _per_year(ctx, years, records(ctx.run.table("dea")), dea_block)
        out.append(Section("dea", _t(ctx, "annex_weighted" if weighted else "annex"), body))
    if ctx.run.has("malmquist"):
        out.append(Section("malmquist", ctx.t("score.malmquist"), malmquist_table(ctx)))
    out.append(Section("run-info", ctx.t("run_info"), run_info(ctx)))
    return out


def _per_year(ctx: Context, years: list[int], rows: list[dict[str, Any]], block, *extra) -> str:
    """One block per scored year (headed by the year only when there are several)."""
    parts = []
    for year in years:
        year_rows = [r for r in rows if as_float(r.get("year")) is not None and int(r["year"]) == year]
        body = block(ctx, year, year_rows, *extra)
        parts.append(subsection(str(year), body) if len(years) > 1 else body)
    return "".join(parts)


def _unit_label(ctx: Context, unit: Any) -> str:
    return ctx.names.unit(unit)


def _tracks(rows: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Rows grouped by track, colleges first; a track with no rows is left out."""
    out = []
    for track in TRACKS:
        found = [r for r in rows if fmt.text(r.get("track")) == track]
        if found:
            out.append((track, found))
    return out


def _by_rank(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (as_float(r.get("rank")) or float("inf"), str(r["unit"])))


def _points(v: Any) -> str:
    """Points to one decimal, halves rounded up as people round them (86.25 -> 86.3)."""
    x = as_float(v)
    if x is None:
        return fmt.DASH
    return str(Decimal(repr(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


# --- summary ------------------------------------------------------------------------------------------


def summary(ctx: Context, years: list[int]) -> str:
    """Years scored, the pool and its split by track, awards paid and left, the parts' weights, rating lines."""
    m = ctx.run.manifest
    items = [
        (ctx.t("status"), keyed("status", m.get("status"), ctx.term("status", m.get("status")))),
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
    facts = []
    weights = policy.get("weights") or {}
    if weights:
        shown = " · ".join(f"{_t(ctx, f'part.{p}')} {fmt.number(w, 0)}" for p, w in weights.items())
        facts.append((_t(ctx, "weights"), keyed("weights", weights, shown)))
    thresholds = policy.get("thresholds") or {}
    if thresholds:
        names = {"A": "优", "B": "良", "C": "中", "D": "差"}
        shown = ", ".join(f"{names.get(g, g)} ({g}) ≥ {fmt.number(v, 0)}" for g, v in thresholds.items())
        facts.append((_t(ctx, "ratings"), esc(shown)))
    if policy.get("landmark_bonus") is not None:
        facts.append((_t(ctx, "landmark_bonus"), esc(fmt.number(policy["landmark_bonus"], 1))))
    pools = m.get("track_pools") or {}
    if pools:
        facts.append((_t(ctx, "track_pools"), esc(", ".join(f"{_t(ctx, f'track.{t}')} {fmt.money(v)}" for t, v in pools.items()))))
    if policy.get("dea_model"):
        shown = f"{ctx.term('model', policy['dea_model'])} / {ctx.term('orientation', policy.get('dea_orientation'))}"
        facts.append((ctx.t("dea_model"), esc(shown)))
    return cards(items) + definition_list(facts + scenario_facts(ctx))


# --- ranking ------------------------------------------------------------------------------------------


def ranking_block(ctx: Context, year: int, rows: list[dict[str, Any]]) -> str:
    """Per track: points as bars coloured by rating, the rating count, and the sortable score table."""
    return "".join(subsection(_t(ctx, f"track.{track}"), _track_ranking(ctx, year, found)) for track, found in _tracks(rows))


def _track_ranking(ctx: Context, year: int, rows: list[dict[str, Any]]) -> str:
    ranked = _by_rank(rows)
    chart = charts.bar_chart(
        f"{_t(ctx, 'col.points')} {year}",
        [(_unit_label(ctx, r["unit"]), as_float(r.get("points")) or 0.0) for r in ranked],
        formatter=_points,
        domain=(0.0, 100.0),
        colors=[GRADE_COLORS.get(fmt.text(r.get("grade")), charts.PALETTE[0]) for r in ranked],
    )
    columns = [
        Column(ctx.t("col.rank"), True),
        Column(ctx.t("col.unit")),
        Column(_t(ctx, "col.points"), True),
        Column(_t(ctx, "col.rating")),
        Column(ctx.t("col.completion"), True),
        Column(_t(ctx, "col.execution_rate"), True),
        Column(_t(ctx, "col.unit_cost_score"), True),
        Column(_t(ctx, "col.timeliness"), True),
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
                num_cell(f"{key}:points", r.get("points"), _points),
                _rating_cell(r, year),
                num_cell(f"{key}:completion", r.get("completion"), fmt.percent),
                num_cell(f"{key}:execution_rate", r.get("execution_rate"), fmt.percent),
                num_cell(f"{key}:unit_cost_score", r.get("unit_cost_score"), fmt.percent),
                num_cell(f"{key}:timeliness", r.get("timeliness"), fmt.percent),
                num_cell(f"award:{r['unit']}:{year}", r.get("award"), fmt.money),
                text_cell(ctx.term("status", r.get("status"))),
            ]
        )
    return figure(chart) + _rating_counts(ctx, year, ranked) + table(columns, body)


def _rating_cell(r: dict[str, Any], year: int) -> Cell:
    """优 (A): the rating in words and its grade id as a badge keyed grade:UNIT:YEAR."""
    badge = grade_badge(f"grade:{r['unit']}:{year}", r.get("grade"))
    return html_cell(f"{esc(fmt.text(r.get('rating')))} {badge}", fmt.text(r.get("grade")))


def _rating_counts(ctx: Context, year: int, rows: list[dict[str, Any]]) -> str:
    counts: dict[str, int] = {}
    for r in rows:
        grade = fmt.text(r.get("grade"))
        counts[grade] = counts.get(grade, 0) + 1
    track = fmt.text(rows[0].get("track")) if rows else ""
    items = [f"{grade_badge(None, g)} × {keyed(f'grade_count:{year}:{track}:{g}', n, str(n))}" for g, n in sorted(counts.items())]
    return f'<p class="legend">{esc(_t(ctx, "rating_counts"))}: {" ".join(items)}</p>'


# --- parts --------------------------------------------------------------------------------------------


def parts_block(ctx: Context, year: int, rows: list[dict[str, Any]], scores: list[dict[str, Any]]) -> str:
    """Per track, one card per unit in rank order: each part's points, what it was worth and why."""
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_unit.setdefault(str(r["unit"]), []).append(r)
    year_scores = [s for s in scores if as_float(s.get("year")) is not None and int(s["year"]) == year]
    out = []
    for track, found in _tracks(year_scores):
        cards_html = "".join(_part_card(ctx, year, s, by_unit.get(str(s["unit"]), [])) for s in _by_rank(found))
        out.append(subsection(_t(ctx, f"track.{track}"), f'<div class="card-grid">{cards_html}</div>'))
    return "".join(out)


def _lines_cell(text: Any) -> Cell:
    """A part's reasons, one item (indicator) to a line."""
    items = [x for x in fmt.text(text).split("; ") if x]
    return html_cell("<br>".join(esc(x) for x in items), fmt.text(text))


def _part_card(ctx: Context, year: int, s: dict[str, Any], parts: list[dict[str, Any]]) -> str:
    unit = s["unit"]
    rank = fmt.text(s.get("rank"))
    points = as_float(s.get("points"))
    head = f"{rank}. {_unit_label(ctx, unit)} — " + (
        f"{_points(points)}{_t(ctx, 'points_unit')} {fmt.text(s.get('rating'))}" if points is not None else fmt.DASH
    )
    columns = [
        Column(_t(ctx, "col.part")),
        Column(_t(ctx, "col.part_points"), True),
        Column(_t(ctx, "col.max_points"), True),
        Column(_t(ctx, "col.why")),
    ]
    body = []
    for p in sorted(parts, key=lambda p: PARTS.index(p["part"]) if p["part"] in PARTS else len(PARTS)):
        key = f"part:{unit}:{year}:{p['part']}"
        applies = (as_float(p.get("max_points")) or 0) > 0
        body.append(
            [
                text_cell(_t(ctx, f"part.{p['part']}") if f"part.{p['part']}" in WORDS else p["part"]),
                num_cell(f"{key}:points", p.get("points"), _points) if applies else text_cell(fmt.DASH),
                num_cell(f"{key}:max_points", p.get("max_points"), _points) if applies else text_cell(fmt.DASH),
                _lines_cell(p.get("explanation")),
            ]
        )
    basis = fmt.text(s.get("explanation")).split(" | ")[0] if fmt.text(s.get("track")) == "department" else ""
    lead = f'<p class="legend">{esc(basis)}</p>' if basis and basis != fmt.DASH else ""
    return f'<div class="unit-card"><h4>{esc(head)}</h4>{lead}{table(columns, body, sortable=False)}</div>'


# --- execution and unit costs --------------------------------------------------------------------------


def execution_body(ctx: Context, years: list[int], scores: list[dict[str, Any]]) -> str:
    """预算执行率 per unit (planned, spent, rate) and, folded, per line."""
    columns = [
        Column(ctx.t("col.unit")),
        *([Column(ctx.t("col.year"), True)] if len(years) > 1 else []),
        Column(_t(ctx, "col.planned"), True),
        Column(ctx.t("col.spending"), True),
        Column(_t(ctx, "col.execution_rate"), True),
    ]
    body = []
    for r in sorted(
        scores,
        key=lambda r: (int(r["year"]), TRACKS.index(fmt.text(r.get("track"))) if fmt.text(r.get("track")) in TRACKS else 9, str(r["unit"])),
    ):
        key = f"execution:{r['unit']}:{int(r['year'])}"
        body.append(
            [
                name_cell(_unit_label(ctx, r["unit"]), r["unit"]),
                *([num_cell(None, r["year"], fmt.year)] if len(years) > 1 else []),
                num_cell(f"{key}:planned", r.get("planned"), fmt.money),
                num_cell(f"{key}:spending", r.get("spending"), fmt.money),
                num_cell(f"{key}:rate", r.get("execution_rate"), fmt.percent),
            ]
        )
    html = table(columns, body)
    if ctx.run.has("execution"):
        line_cols = [
            Column(ctx.t("col.unit")),
            Column(ctx.t("col.initiative")),
            Column(ctx.t("col.year"), True),
            Column(_t(ctx, "col.planned"), True),
            Column(ctx.t("col.spending"), True),
            Column(_t(ctx, "col.execution_rate"), True),
        ]
        lines = [
            [
                name_cell(_unit_label(ctx, r["unit"]), r["unit"]),
                name_cell(ctx.names.initiative(r["initiative"]), r["initiative"]),
                num_cell(None, r["year"], fmt.year),
                num_cell(None, r.get("planned"), fmt.money),
                num_cell(None, r.get("spending"), fmt.money),
                num_cell(f"line_execution:{r['unit']}:{r['initiative']}:{int(r['year'])}", r.get("execution_rate"), fmt.percent),
            ]
            for r in records(ctx.run.table("execution"))
        ]
        html += folded(_t(ctx, "lines"), table(line_cols, lines))
    return html


def unit_cost_table(ctx: Context) -> str:
    """unit_costs.csv: spending, output, unit cost, standard and their ratio per unit, indicator and year."""
    columns = [
        Column(ctx.t("col.unit")),
        Column(_t(ctx, "col.indicator")),
        Column(ctx.t("col.year"), True),
        Column(ctx.t("col.spending"), True),
        Column(_t(ctx, "col.output"), True),
        Column(_t(ctx, "col.unit_cost"), True),
        Column(_t(ctx, "col.standard"), True),
        Column(_t(ctx, "col.ratio"), True),
        Column(_t(ctx, "col.counted")),
    ]
    body = []
    for r in records(ctx.run.table("unit_costs")):
        key = f"unit_cost:{r['unit']}:{r['indicator']}:{int(r['year'])}"
        ratio = as_float(r.get("ratio"))
        body.append(
            [
                name_cell(_unit_label(ctx, r["unit"]), r["unit"]),
                name_cell(ctx.names.indicator(r["indicator"]), r["indicator"]),
                num_cell(None, r["year"], fmt.year),
                num_cell(f"{key}:spending", r.get("spending"), fmt.money),
                num_cell(f"{key}:output", r.get("output"), fmt.number),
                num_cell(f"{key}:unit_cost", r.get("unit_cost"), fmt.money),
                num_cell(f"{key}:standard", r.get("standard"), fmt.money),
                num_cell(
                    f"{key}:ratio", r.get("ratio"), lambda v: fmt.fixed(v, 2), cls="missed" if ratio is not None and ratio > 1 else ""
                ),
                text_cell(ctx.t("yes") if as_bool(r.get("counted")) else ctx.t("no")),
            ]
        )
    return table(columns, body)


# --- awards -------------------------------------------------------------------------------------------


def awards_block(ctx: Context, year: int, rows: list[dict[str, Any]]) -> str:
    """Awards as bars and a table: points, merit over the threshold, award in 万元 and in yuan, limits."""
    ordered = sorted(rows, key=lambda r: -(as_float(r.get("award")) or 0.0))
    chart = charts.bar_chart(
        f"{ctx.t('col.award')} {year}", [(_unit_label(ctx, r["unit"]), as_float(r.get("award")) or 0.0) for r in ordered]
    )
    columns = [
        Column(ctx.t("col.unit")),
        Column(_t(ctx, "col.points"), True),
        Column(ctx.t("col.grade")),
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
                num_cell(None, r.get("points"), _points),
                html_cell(grade_badge(None, r.get("grade")), fmt.text(r.get("grade"))),
                num_cell(f"merit:{unit}:{year}", r.get("merit"), _points),
                num_cell(f"award:{unit}:{year}", r.get("award"), fmt.money),
                num_cell(f"award_fen:{unit}:{year}", r.get("award_fen"), fmt.yuan),
                text_cell(ctx.term("limit", r.get("limited_by")) if r.get("limited_by") else None),
            ]
        )
    return figure(chart) + table(columns, body)


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
