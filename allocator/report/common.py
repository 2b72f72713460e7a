"""Pieces several report kinds share: the rendering context, status marks, money and indicator sections.

A plan and a cost-to-clear run both carry an allocation and an indicator trajectory, so the sections
that show them are written once here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from . import charts, fmt
from .data import Names, Run, as_bool, as_float, clean, group_sum, sorted_years
from .html import (
    Cell,
    Column,
    cards,
    definition_list,
    esc,
    figure,
    folded,
    html_cell,
    keyed,
    name_cell,
    num_cell,
    subsection,
    table,
    text_cell,
)
from .i18n import Translator


@dataclass(frozen=True)
class Context:
    """What every section builder needs: the run, the report's language and display names."""

    run: Run
    t: Translator
    names: Names

    def pool(self, pool: Any) -> str:
        """A pool's display name (存量/增量 or stock/increment; other pools as written)."""
        return self.t.label("pool", fmt.text(pool))

    def term(self, group: str, value: Any) -> str:
        """A coded value (status, family, rts, ...) in the report's language; a dash when blank."""
        from .. import vocabulary

        text = vocabulary.term(group, clean(value), self.t.lang)
        return text or fmt.DASH

    def fund(self, pool: Any, source: Any) -> str:
        """资金来源 of a money row: 学校存量经费 / 学校增量经费, or a restricted source's name (never its key)."""
        from .. import vocabulary

        source = clean(source)
        return vocabulary.pool_source_name(clean(pool), None if source in (None, "school") else source, self._scenario(), self.t.lang)

    def fund_key(self, fund: Any) -> str:
        """A fund as marginals.csv names it (``school_stock``, ``discipline_fund``) in words."""
        from .. import vocabulary

        return vocabulary.fund_name(clean(fund), self._scenario(), self.t.lang)

    def _scenario(self) -> dict[str, Any]:
        merged: dict[str, Any] = {"sources": {}}
        for sc in (*self.run.related, self.run.scenario):
            merged["sources"].update((sc or {}).get("sources") or {})
        return merged


# --- marks --------------------------------------------------------------------------------------------


def met_mark(ctx: Context, key: str | None, value: Any) -> Cell:
    """A met/missed cell (✓/✗ with words), keyed with the file's True/False."""
    flag = as_bool(value)
    if flag is None:
        return Cell(keyed(key, None, fmt.DASH) if key else esc(fmt.DASH))
    word = ctx.t("met.true") if flag else ctx.t("met.false")
    shown = ("✓ " if flag else "✗ ") + word
    inner = keyed(key, flag, shown, cls="met" if flag else "missed") if key else esc(shown)
    return Cell(inner, sort="1" if flag else "0")


def yes_no(ctx: Context, value: Any) -> str:
    """是/否 or yes/no for a True/False cell, a dash when blank."""
    flag = as_bool(value)
    return fmt.DASH if flag is None else ctx.t("yes" if flag else "no")


def grade_badge(key: str | None, grade: Any) -> str:
    """A coloured grade letter, keyed when ``key`` is given."""
    letter = fmt.text(grade)
    if key:
        return keyed(key, clean(grade), letter, cls=f"grade grade-{letter}")
    return f'<span class="grade grade-{esc(letter)}">{esc(letter)}</span>'


def indicator_formatter(kind: Any, unit_label: Any = None) -> Callable[[Any], str]:
    """Ratios (e.g. foreign-faculty share) as percentages, counts of whole things rounded, other values as numbers."""
    from ..vocabulary import is_count

    if fmt.text(kind) == "ratio":
        return lambda v: fmt.percent(v, 2)
    if is_count(clean(unit_label), clean(kind)):
        return fmt.count
    return fmt.number


def counts_note(ctx: Context) -> str:
    """The note under tables whose counts are rounded for display."""
    from .html import intro

    return intro(ctx.t("counts_note"))


def indicator_ticks(kind: Any) -> Callable[[Any], str]:
    """Axis tick labels for an indicator: short percentages for ratios, plain numbers otherwise."""
    return fmt.axis_percent if fmt.text(kind) == "ratio" else fmt.number


# --- run facts ----------------------------------------------------------------------------------------


def scenario_facts(ctx: Context) -> list[tuple[str, str]]:
    """Scenario name, command, creation time and any overrides, as (label, HTML) pairs."""
    m = ctx.run.manifest
    facts = []
    title = ctx.names.title()
    if title or m.get("scenario_name"):
        facts.append((ctx.t("scenario"), esc(title or m.get("scenario_name"))))
    if m.get("command"):
        facts.append((ctx.t("command"), f"<code>{esc(m['command'])}</code>"))
    if m.get("created"):
        facts.append((ctx.t("created"), esc(m["created"])))
    overrides = m.get("overrides") or []
    if overrides:
        items = [
            f"<code>{esc(o.get('origin') or o.get('path'))}</code>" if isinstance(o, dict) else f"<code>{esc(o)}</code>" for o in overrides
        ]
        facts.append((ctx.t("overrides"), "<br>".join(items)))
    warnings = m.get("warnings") or []
    if warnings:
        facts.append((ctx.t("warnings"), "<br>".join(esc(w) for w in warnings)))
    return facts


def run_info(ctx: Context) -> str:
    """Where the numbers came from: folder, input hash, solver, versions and timings."""
    m = ctx.run.manifest
    facts = [(ctx.t("run_folder"), f"<code>{esc(ctx.run.path.name)}</code>")]
    sha = m.get("input_sha256")
    if sha:
        text = json.dumps(sha, ensure_ascii=False) if isinstance(sha, dict) else str(sha)
        facts.append((ctx.t("input_sha"), f"<code>{esc(text)}</code>"))
    solver = m.get("solver")
    if isinstance(solver, dict):
        facts.append((ctx.t("solver"), esc(solver.get("version") or solver.get("name"))))
    env = m.get("environment")
    if isinstance(env, dict) and env:
        facts.append((ctx.t("versions"), esc(", ".join(f"{k} {v}" for k, v in env.items()))))
    timings = m.get("timings")
    if isinstance(timings, dict) and timings:
        shown = ", ".join(f"{k} {fmt.fixed(v, 3)}" for k, v in timings.items() if as_float(v) is not None)
        facts.append((ctx.t("timings"), esc(shown)))
    return definition_list(facts)


def status_card(ctx: Context) -> tuple[str, str]:
    """The run's status from its manifest in words, keyed ``status`` with its code, as a (label, HTML) card."""
    status = ctx.run.manifest.get("status")
    return ctx.t("status"), keyed("status", status, ctx.term("status", status))


def objective_cards(ctx: Context, extra: Sequence[tuple[str, str]] = ()) -> str:
    """Status and the two stage objectives from the manifest, keyed."""
    objective = ctx.run.manifest.get("objective") or {}
    items = [status_card(ctx)]
    for name in ("stage1_shortfall", "stage2_progress"):
        if name in objective:
            items.append((ctx.t(name), keyed(name, objective[name], fmt.fixed(objective[name], 4))))
    return cards([*items, *extra])


# --- money --------------------------------------------------------------------------------------------

POOL_ORDER = ("stock", "increment")


def pool_order(pool: str) -> tuple[int, str]:
    """Sort key putting the stock pool first, then the increment, then any other pool by name."""
    return (POOL_ORDER.index(pool) if pool in POOL_ORDER else len(POOL_ORDER), pool)


def money_sections(ctx: Context, allocation: list[dict[str, Any]]) -> str:
    """Money by year and pool, by unit and by initiative (charts and sortable tables), and every row folded."""
    if not allocation:
        return f"<p>{esc(ctx.t('chart_empty'))}</p>"
    years = sorted_years(r["year"] for r in allocation)
    pools = sorted(dict.fromkeys(fmt.text(r["pool"]) for r in allocation), key=pool_order)
    parts = [subsection(ctx.t("money_by_year_pool"), _year_pool_block(ctx, allocation, years, pools))]
    for dim in ("unit", "initiative"):
        parts.append(subsection(ctx.t(f"money_by_{dim}"), _by_dimension_block(ctx, allocation, dim, years, pools)))
    parts.append(folded(ctx.t("allocation_rows"), allocation_table(ctx, allocation)))
    return "".join(parts)


def _year_pool_block(ctx: Context, allocation: list[dict[str, Any]], years: list[int], pools: list[str]) -> str:
    sums = group_sum(allocation, ("year", "pool"), "amount")
    series = [(ctx.pool(p), [sums.get((y, p), 0.0) for y in years]) for p in pools]
    chart = charts.stacked_columns(ctx.t("money_by_year_pool"), [str(y) for y in years], series)
    totals = group_sum(allocation, ("year",), "amount")
    columns = [Column(ctx.t("col.year")), *(Column(ctx.pool(p), True) for p in pools), Column(ctx.t("total"), True)]
    rows = [
        [
            text_cell(y),
            *(num_cell(f"year:{y}:{p}:amount", sums.get((y, p), 0.0), fmt.money) for p in pools),
            num_cell(f"year:{y}:amount", totals.get((y,), 0.0), fmt.money),
        ]
        for y in years
    ]
    return figure(chart) + table(columns, rows)


def _by_dimension_block(ctx: Context, allocation: list[dict[str, Any]], dim: str, years: list[int], pools: list[str]) -> str:
    """Chart and table of money per unit (or initiative): total, per year and per pool."""
    name_of = ctx.names.unit if dim == "unit" else ctx.names.initiative
    name_col = f"{dim}_name"
    fallback = {clean(r[dim]): r.get(name_col) for r in allocation}
    totals = group_sum(allocation, (dim,), "amount")
    by_year = group_sum(allocation, (dim, "year"), "amount")
    by_pool = group_sum(allocation, (dim, "pool"), "amount")
    order = sorted(totals, key=lambda k: -totals[k])
    chart = charts.bar_chart(ctx.t(f"money_by_{dim}"), [(name_of(k[0], fallback.get(k[0])), totals[k]) for k in order])
    columns = [
        Column(ctx.t(f"col.{dim}")),
        *(Column(str(y), True) for y in years),
        *(Column(ctx.pool(p), True) for p in pools),
        Column(ctx.t("total"), True),
    ]
    rows = []
    for (key,) in order:
        rows.append(
            [
                name_cell(name_of(key, fallback.get(key)), key),
                *(num_cell(f"{dim}:{key}:{y}:amount", by_year.get((key, y), 0.0), fmt.money) for y in years),
                *(num_cell(f"{dim}:{key}:pool:{p}:amount", by_pool.get((key, p), 0.0), fmt.money) for p in pools),
                num_cell(f"{dim}:{key}:amount", totals[(key,)], fmt.money),
            ]
        )
    return figure(chart) + table(columns, rows)


def allocation_table(ctx: Context, allocation: list[dict[str, Any]], *, key_prefix: str = "allocation") -> str:
    """Every allocation row as written, keyed by unit, initiative, year, pool and source."""
    columns = [
        Column(ctx.t("col.unit")),
        Column(ctx.t("col.initiative")),
        Column(ctx.t("col.year")),
        Column(ctx.t("col.pool")),
        Column(ctx.t("col.source")),
        Column(ctx.t("col.amount"), True),
    ]
    rows = []
    for r in allocation:
        key = ":".join(fmt.raw(r.get(c)) for c in ("unit", "initiative", "year", "pool", "source"))
        rows.append(
            [
                name_cell(ctx.names.unit(r["unit"], r.get("unit_name")), r["unit"]),
                name_cell(ctx.names.initiative(r["initiative"], r.get("initiative_name")), r["initiative"]),
                text_cell(fmt.year(r["year"])),
                text_cell(ctx.pool(r["pool"])),
                text_cell(ctx.fund(r["pool"], r.get("source"))),
                num_cell(f"{key_prefix}:{key}", r["amount"], fmt.money),
            ]
        )
    return table(columns, rows)


# --- indicators ---------------------------------------------------------------------------------------


def indicator_groups(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Indicator rows grouped by indicator, in file order, each sorted by year."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(str(r["indicator"]), []).append(r)
    return {k: sorted(v, key=lambda r: int(r["year"])) for k, v in groups.items()}


def at_target_year(group: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The row of an indicator's target year (where met and shortfall are recorded)."""
    target_year = as_float(group[0].get("target_year"))
    for r in group:
        if target_year is not None and int(r["year"]) == int(target_year):
            return r
    return None


def targets_met(groups: dict[str, list[dict[str, Any]]]) -> tuple[int, int]:
    """(met, judged): indicators whose target-year row says met, out of those with a target-year row."""
    flags = [as_bool(row.get("met")) for row in (at_target_year(g) for g in groups.values()) if row]
    judged = [f for f in flags if f is not None]
    return sum(judged), len(judged)


def indicator_section_body(ctx: Context, rows: list[dict[str, Any]]) -> str:
    """Small-multiple trajectory charts and the indicator-by-year table."""
    groups = indicator_groups(rows)
    if not groups:
        return f"<p>{esc(ctx.t('chart_empty'))}</p>"
    words = (ctx.t("col.value"), ctx.t("col.target"), ctx.t("col.milestone"))
    figures = []
    for key, group in groups.items():
        first = group[0]
        formatter = indicator_formatter(first.get("kind"), first.get("unit_label"))
        target_row = at_target_year(group)
        points = [(int(r["year"]), as_float(r["value"]) or 0.0) for r in group if as_float(r["value"]) is not None]
        target = as_float(first.get("target"))
        name = ctx.names.indicator(key, first.get("name"))
        if points and charts.is_flat([v for _, v in points] + ([target] if target is not None else [])):
            figures.append(_flat_card(ctx, name, points, target, formatter))  # a flat line would say nothing
            continue
        chart = charts.trajectory_chart(
            name,
            points,
            target=target,
            target_year=_int(first.get("target_year")),
            milestones=[(int(r["year"]), float(r["milestone"])) for r in group if as_float(r.get("milestone")) is not None],
            formatter=formatter,
            tick_format=indicator_ticks(first.get("kind")),
            met=as_bool(target_row.get("met")) if target_row else None,
            labels=words,
        )
        figures.append(figure(chart))
    return f'<div class="multiples">{"".join(figures)}</div>' + indicator_table(ctx, groups)


def _flat_card(ctx: Context, name: str, points: list[tuple[int, float]], target: float | None, formatter) -> str:
    """An indicator that stays at one value (at its target): a sentence in the grid of charts."""
    first, last = points[0][0], points[-1][0]
    text = ctx.t("flat_series", first=first, last=last, value=formatter(points[0][1]))
    if target is not None:
        text += ctx.t("flat_target", target=formatter(target))
    return f'<figure class="flat"><h4>{esc(name)}</h4><p>{esc(text)}</p></figure>'


def indicator_table(ctx: Context, groups: dict[str, list[dict[str, Any]]]) -> str:
    """Indicators by year (values keyed ``indicator:K:YEAR:value``), with target, target year and met."""
    years = sorted_years(r["year"] for g in groups.values() for r in g)
    columns = [
        Column(ctx.t("col.indicator")),
        Column(ctx.t("col.unit_label")),
        *(Column(str(y), True) for y in years),
        Column(ctx.t("col.target"), True),
        Column(ctx.t("col.target_year"), True),
        Column(ctx.t("col.shortfall"), True),
        Column(ctx.t("col.met")),
    ]
    body = []
    for key, group in groups.items():
        first = group[0]
        formatter = indicator_formatter(first.get("kind"), first.get("unit_label"))
        by_year = {int(r["year"]): r for r in group}
        target_row = at_target_year(group) or {}
        body.append(
            [
                name_cell(ctx.names.indicator(key, first.get("name")), key),
                text_cell(first.get("unit_label")),
                *(
                    num_cell(f"indicator:{key}:{y}:value", by_year[y]["value"], formatter) if y in by_year else Cell(esc(fmt.DASH))
                    for y in years
                ),
                num_cell(f"indicator:{key}:target", first.get("target"), formatter),
                num_cell(None, first.get("target_year"), fmt.year),
                num_cell(f"indicator:{key}:shortfall", target_row.get("shortfall"), formatter),
                met_mark(ctx, f"indicator:{key}:met", target_row.get("met")),
            ]
        )
    return table(columns, body) + counts_note(ctx)


def _int(value: Any) -> int | None:
    number = as_float(value)
    return None if number is None else int(number)


def signed_cell(key: str | None, value: Any) -> Cell:
    """A signed money change, coloured by sign."""
    number = as_float(value)
    cls = "pos" if number and number > 0 else ("neg" if number and number < 0 else "")
    shown = fmt.signed_money(value)
    inner = keyed(key, value, shown, cls=cls or None) if key else esc(shown)
    return html_cell(inner, fmt.raw(value), numeric=True)
