"""The annex of the scoring report: DEA efficiency per track (peers, slacks, explanations) and the Malmquist index."""

from __future__ import annotations

from typing import Any

from models import DIMENSION_ZH

from . import fmt
from .common import Context
from .data import as_float, clean, records
from .html import Cell, Column, definition_list, esc, keyed, name_cell, num_cell, subsection, table, text_cell

TRACK_TITLES = {"college": ("学院", "Colleges"), "department": ("职能部门", "Functional departments")}


def track_title(ctx: Context, track: str) -> str:
    """学院 / 职能部门 (or Colleges / Functional departments)."""
    return TRACK_TITLES[track][0 if ctx.t.lang == "zh" else 1]


def _unit_label(ctx: Context, unit: Any) -> str:
    return ctx.names.unit(unit)


# --- DEA ----------------------------------------------------------------------------------------------


def dea_block(ctx: Context, year: int, rows: list[dict[str, Any]]) -> str:
    """Per track, one card per unit: efficiency, super-efficiency, returns to scale, named peers, slacks and the explanation."""
    out = []
    for track in ("college", "department"):
        found = [r for r in rows if fmt.text(r.get("track")) in (track, fmt.DASH)]
        if not found:
            continue
        ordered = sorted(found, key=lambda r: -(as_float(r.get("efficiency")) or 0.0))
        cards_html = f'<div class="card-grid">{"".join(_dea_card(ctx, year, r) for r in ordered)}</div>'
        out.append(subsection(track_title(ctx, track), cards_html))
    return "".join(out)


def _dea_card(ctx: Context, year: int, r: dict[str, Any]) -> str:
    unit = r["unit"]
    key = f"dea:{unit}:{year}"
    facts = [
        (ctx.t(f"col.{c}"), keyed(f"{key}:{c}", r.get(c), fmt.fixed(r.get(c), 3))) for c in ("efficiency", "super_efficiency") if c in r
    ]
    if r.get("rts") is not None:
        facts.append((ctx.t("col.rts"), esc(ctx.term("rts", r["rts"]))))
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
                text_cell(ctx.term("status", r.get("status"))),
            ]
        )
    return table(columns, body)
