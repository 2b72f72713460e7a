"""The sweep report: the frontier (progress against budget, where targets slip) and targets met by level."""

from __future__ import annotations

from typing import Any

from . import charts, fmt
from .common import Context, indicator_formatter, run_info, scenario_facts, status_card
from .data import as_bool, as_float, clean, group_sum, records
from .html import (
    Column,
    Section,
    cards,
    definition_list,
    esc,
    figure,
    intro,
    keyed,
    name_cell,
    num_cell,
    subsection,
    table,
    text_cell,
)


def sections(ctx: Context) -> list[Section]:
    """Sections of a sweep report: summary, the frontier chart, targets met by level, money by level."""
    frontier = records(ctx.run.table("frontier"))
    indicators = indicator_columns(ctx.run.table("frontier").columns)
    out = [
        Section("summary", ctx.t("sweep.summary"), sweep_summary(ctx, frontier)),
        Section(
            "frontier",
            ctx.t("sweep.frontier_path" if _is_path_sweep(ctx) else "sweep.frontier"),
            intro(ctx.t("sweep.frontier_intro")) + frontier_chart(ctx, frontier),
        ),
        Section("targets", ctx.t("sweep.targets"), frontier_table(ctx, frontier) + targets_by_level(ctx, frontier, indicators)),
    ]
    if ctx.run.has("allocation"):
        out.append(Section("money", ctx.t("sweep.money"), sweep_money(ctx)))
    out.append(Section("run-info", ctx.t("run_info"), run_info(ctx)))
    return out


def indicator_columns(columns: Any) -> list[str]:
    """Indicator keys of a frontier table: each ``K`` that has a ``K_met`` column beside it."""
    names = list(columns)
    return [c for c in names if f"{c}_met" in names]


def sweep_summary(ctx: Context, frontier: list[dict[str, Any]]) -> str:
    """What was varied, over how many levels, and the run facts."""
    spec = ctx.run.manifest.get("sweep") or {}
    scope = spec.get("path") or spec.get("scope") or fmt.DASH
    items = [
        status_card(ctx),
        (ctx.t("sweep.scope"), esc(scope)),
        (ctx.t("sweep.levels"), keyed("levels", len(frontier), str(len(frontier)))),
    ]
    return cards(items) + definition_list(scenario_facts(ctx))


def _is_path_sweep(ctx: Context) -> bool:
    """Whether the sweep varied a scenario path (e.g. a target) rather than a budget scope."""
    return bool((ctx.run.manifest.get("sweep") or {}).get("path"))


def _x_axis(ctx: Context, frontier: list[dict[str, Any]]) -> tuple[str, str]:
    """Plot a budget sweep against its budget; a sweep of any other path against the swept value itself."""
    if not _is_path_sweep(ctx) and frontier and all(as_float(r.get("budget")) is not None for r in frontier):
        return "budget", ctx.t("axis.budget")
    return "level", ctx.t("axis.level")


def slipping_levels(points: list[dict[str, Any]]) -> list[int]:
    """Indices (in the given x order) of levels meeting fewer targets than a neighbouring level.

    For a budget sweep this marks the budget below which a target slips; for a sweep of any other
    value, the values at which the count of targets met drops.
    """
    met = [as_float(r.get("targets_met")) for r in points]
    flagged = []
    for i, here in enumerate(met):
        neighbours = [met[j] for j in (i - 1, i + 1) if 0 <= j < len(met) and met[j] is not None]
        if here is not None and any(here < n for n in neighbours):
            flagged.append(i)
    return flagged


def frontier_chart(ctx: Context, frontier: list[dict[str, Any]]) -> str:
    """Stage-2 progress against budget, each point noted with targets met, slipping levels flagged."""
    x_col, x_label = _x_axis(ctx, frontier)
    solved = [r for r in frontier if as_float(r.get(x_col)) is not None and as_float(r.get("stage2_progress")) is not None]
    solved.sort(key=lambda r: as_float(r[x_col]) or 0.0)
    points = [(as_float(r[x_col]) or 0.0, as_float(r["stage2_progress"]) or 0.0) for r in solved]
    notes = _change_notes(ctx, solved)
    x_format = fmt.money if x_col == "budget" else fmt.number
    if not points:
        return intro(ctx.t("chart_empty"))
    if charts.is_flat([v for _, v in points]):
        return intro(ctx.t("sweep.flat", value=fmt.fixed(points[0][1], 4)))
    chart = charts.xy_chart(
        ctx.t("sweep.frontier"),
        points,
        x_label=x_label,
        y_label=ctx.t("axis.progress"),
        x_format=x_format,
        y_format=lambda v: fmt.fixed(v, 3),
        flagged=slipping_levels(solved),
        flag_label=ctx.t("targets_slip"),
        point_notes=notes,
    )
    return figure(chart)


def _change_notes(ctx: Context, solved: list[dict[str, Any]]) -> list[str]:
    """'Targets met N' at the first level and wherever the count changes; blank elsewhere (less clutter)."""
    notes, last = [], None
    for r in solved:
        met = as_float(r.get("targets_met"))
        notes.append(f"{ctx.t('col.targets_met')} {fmt.number(met)}" if met != last else "")
        last = met
    return notes


def frontier_table(ctx: Context, frontier: list[dict[str, Any]]) -> str:
    """Each level: budget, status, both objectives, missing indicators cleared and targets met."""
    columns = [
        Column(ctx.t("col.level"), True),
        Column(ctx.t("col.budget"), True),
        Column(ctx.t("col.status")),
        Column(ctx.t("stage1_shortfall"), True),
        Column(ctx.t("stage2_progress"), True),
        Column(ctx.t("col.missing_cleared"), True),
        Column(ctx.t("col.targets_met"), True),
    ]
    body = []
    for r in frontier:
        key = f"frontier:{fmt.raw(r['level'])}"
        body.append(
            [
                num_cell(None, r["level"], lambda v: fmt.number(v, 4)),
                num_cell(f"{key}:budget", r.get("budget"), fmt.money),
                text_cell(ctx.term("status", r.get("status"))),
                num_cell(f"{key}:stage1_shortfall", r.get("stage1_shortfall"), lambda v: fmt.fixed(v, 4)),
                num_cell(f"{key}:stage2_progress", r.get("stage2_progress"), lambda v: fmt.fixed(v, 4)),
                num_cell(f"{key}:missing_cleared", r.get("missing_cleared"), fmt.number),
                num_cell(f"{key}:targets_met", r.get("targets_met"), fmt.number),
            ]
        )
    return table(columns, body)


def targets_by_level(ctx: Context, frontier: list[dict[str, Any]], indicators: list[str]) -> str:
    """Indicators down, levels across: each indicator's value at its target year, green if met, red if not."""
    if not indicators:
        return ""
    columns = [Column(ctx.t("col.indicator")), *(Column(fmt.number(r["level"], 4), True) for r in frontier)]
    body = []
    for k in indicators:
        formatter = indicator_formatter(ctx.names.indicator_field(k, "kind"), ctx.names.indicator_field(k, "unit_label"))
        cells = [name_cell(ctx.names.indicator(k), k)]
        for r in frontier:
            met = as_bool(r.get(f"{k}_met"))
            mark = "" if met is None else ("met" if met else "missed")
            cells.append(num_cell(f"frontier:{fmt.raw(r['level'])}:{k}", r.get(k), formatter, cls=mark))
        body.append(cells)
    return subsection(ctx.t("sweep.by_indicator"), intro(ctx.t("sweep.by_indicator_intro")) + table(columns, body))


def sweep_money(ctx: Context) -> str:
    """Money per initiative (rows) at each level (columns), summed from the sweep's allocation rows."""
    rows = records(ctx.run.table("allocation"))
    sums = group_sum(rows, ("level", "initiative"), "amount")
    totals = group_sum(rows, ("level",), "amount")
    levels = list(dict.fromkeys(clean(r["level"]) for r in rows))
    initiatives = list(dict.fromkeys(clean(r["initiative"]) for r in rows))
    names = {clean(r["initiative"]): r.get("initiative_name") for r in rows}
    columns = [Column(ctx.t("col.initiative")), *(Column(fmt.number(level, 4), True) for level in levels)]
    body = [
        [
            name_cell(ctx.names.initiative(i, names.get(i)), i),
            *(num_cell(f"sweep_money:{fmt.raw(level)}:{i}", sums.get((level, i), 0.0), fmt.money) for level in levels),
        ]
        for i in initiatives
    ]
    foot = [
        text_cell(ctx.t("total")),
        *(num_cell(f"sweep_money:{fmt.raw(level)}:total", totals.get((level,), 0.0), fmt.money) for level in levels),
    ]
    return table(columns, body, foot=foot)
