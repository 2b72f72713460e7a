"""The sheets a plan (or cost-to-clear) workbook opens with: a summary like the report's, then wide tables.

Wide tables put units or initiatives down and years across, with 合计 rows and columns; every total is a
correctly rounded sum (``math.fsum``) of the run's allocation rows, so it equals budget.csv.
"""

from __future__ import annotations

import math
from typing import Any

from ..report.data import as_bool, as_float, clean, group_sum, records, sorted_years
from . import sheet
from .context import Book
from .sheet import Col, Fmt, SheetWriter

POOL_ORDER = ("stock", "increment")


def _total(values: list[float]) -> float:
    return math.fsum(values)


def summary_sheet(book: Book, ws) -> None:
    """Status and objectives, targets met, money by source and year, targets missed, what money is worth."""
    run = book.run
    w = SheetWriter(ws, landscape=False)
    title = book.names.title()
    kind = book.say("预算分配方案", "Budget plan") if run.kind == "plan" else book.say("缺项指标清零成本", "Cost to clear")
    w.title(f"{title} — {kind}" if title else kind)
    allocation = records(run.table("allocation"))
    indicators = records(run.table("indicators"))
    judged = [r for r in indicators if as_float(r.get("target_year")) is not None and int(r["year"]) == int(r["target_year"])]
    facts = _facts(book, allocation, judged)
    w.pairs(facts)
    if run.has("budget"):
        _money_by_source(book, w)
    elif allocation:
        _money_by_pool(book, w, allocation)
    _missed(book, w, judged)
    if run.has("marginals"):
        _money_marginals(book, w)
    w.finish()


def _facts(book: Book, allocation: list[dict[str, Any]], judged: list[dict[str, Any]]) -> list[tuple[str, Any, str | None]]:
    """Status, objectives, extra money (cost to clear), targets met, total money and what ran."""
    run, m = book.run, book.run.manifest
    facts: list[tuple[str, Any, str | None]] = [(book.say("状态", "Status"), book.term("status", m.get("status")), None)]
    objective = m.get("objective") or {}
    for key, zh, en in (
        ("stage1_shortfall", "第一阶段差额（缺项未清零）", "Stage 1 shortfall"),
        ("stage2_progress", "第二阶段加权进展", "Stage 2 progress"),
    ):
        if key in objective:
            facts.append((book.say(zh, en), as_float(objective[key]), sheet.INDEX))
    if run.kind == "clear":
        facts.append((book.say("所需追加资金（万元）", "Extra money needed (万元)"), as_float(m.get("extra_total")), sheet.MONEY))
    if judged:
        met = sum(1 for r in judged if as_bool(r.get("met")))
        facts.append((book.say("按期达成的目标", "Targets met"), f"{met} / {len(judged)}", None))
    facts.append((book.say("分配总额（万元）", "Total allocated (万元)"), group_sum(allocation, (), "amount").get((), 0.0), sheet.MONEY))
    if m.get("named_scenario"):
        named = m["named_scenario"]
        facts.append((book.say("命名情景", "Named scenario"), ", ".join(named) if isinstance(named, list) else named, None))
    for key, zh, en in (("command", "命令", "Command"), ("created", "生成时间", "Created")):
        if m.get(key):
            facts.append((book.say(zh, en), str(m[key]), None))
    return facts


def _source_rows(book: Book, budget: list[dict[str, Any]]) -> list[tuple[str, str]]:
    keys = list(dict.fromkeys((str(r["pool"]), str(r["source"])) for r in budget))
    return sorted(keys, key=lambda k: (POOL_ORDER.index(k[0]) if k[0] in POOL_ORDER else 9, k[1] != "school"))


def _money_by_source(book: Book, w: SheetWriter) -> None:
    budget = records(book.run.table("budget"))
    for r in budget:
        r["source"] = str(clean(r.get("source")) or "school")
    years = sorted_years(r["year"] for r in budget)
    keys = _source_rows(book, budget)
    for measure, zh, en in (
        ("allocated", "已分配资金（万元）", "Money allocated (万元)"),
        ("available", "可用资金（万元）", "Money available (万元)"),
    ):
        sums = group_sum(budget, ("pool", "source", "year"), measure)
        w.heading(book.say(zh, en))
        cols = [Col(book.say("资金池", "Pool")), Col(book.say("资金来源", "Source"))]
        cols += [Col(str(y), sheet.MONEY) for y in years] + [Col(book.say("合计", "Total"), sheet.MONEY)]
        body = []
        for pool, source in keys:
            cells = [sums.get((pool, source, y), 0.0) for y in years]
            body.append([book.term("pool", pool), book.fund(pool, source), *cells, _total(cells)])
        year_totals = [group_sum([r for r in budget if int(r["year"]) == y], (), measure).get((), 0.0) for y in years]
        w.table(cols, body, totals=[[book.say("合计", "Total"), "", *year_totals, _total(year_totals)]])
    unused = [r for r in budget if (as_float(r.get("unused")) or 0.0) > 0.005]
    if unused:
        w.note(
            book.say("未使用的资金：", "Money left unused: ")
            + "; ".join(f"{int(r['year'])} {book.fund(r['pool'], clean(r.get('source')))} {as_float(r['unused']):,.2f}" for r in unused)
        )


def _money_by_pool(book: Book, w: SheetWriter, allocation: list[dict[str, Any]]) -> None:
    years = sorted_years(r["year"] for r in allocation)
    sums = group_sum(allocation, ("pool", "year"), "amount")
    pools = sorted({str(r["pool"]) for r in allocation}, key=lambda p: POOL_ORDER.index(p) if p in POOL_ORDER else 9)
    w.heading(book.say("已分配资金（万元）", "Money allocated (万元)"))
    cols = [Col(book.say("资金池", "Pool"))] + [Col(str(y), sheet.MONEY) for y in years] + [Col(book.say("合计", "Total"), sheet.MONEY)]
    body = [[book.term("pool", p), *(c := [sums.get((p, y), 0.0) for y in years]), _total(c)] for p in pools]
    totals = [group_sum([r for r in allocation if int(r["year"]) == y], (), "amount").get((), 0.0) for y in years]
    w.table(cols, body, totals=[[book.say("合计", "Total"), *totals, _total(totals)]])


def _missed(book: Book, w: SheetWriter, judged: list[dict[str, Any]]) -> None:
    if not judged:
        return
    missed = [r for r in judged if as_bool(r.get("met")) is False]
    w.heading(book.say("未按期达成的目标", "Targets missed"))
    if not missed:
        w.note(book.say("全部目标按期达成。", "Every target is met by its year."))
        return
    cols = [
        Col(book.say("指标", "Indicator")),
        Col(book.say("目标年份", "Target year"), sheet.YEAR),
        Col(book.say("目标值", "Target")),
        Col(book.say("预计值", "Projected")),
        Col(book.say("计量单位", "Unit of measure")),
    ]
    body = []
    for r in missed:
        f = book.indicator_format(r["indicator"], r.get("kind"), r.get("unit_label"))
        body.append(
            [
                book.names.indicator(r["indicator"], r.get("name")),
                r["year"],
                Fmt(r.get("target"), f),
                Fmt(r.get("value"), f),
                r.get("unit_label"),
            ]
        )
    w.table(cols, body)


def money_marginals(book: Book) -> list[dict[str, Any]]:
    """Budget rows of marginals.csv, most valuable first (stage 1 first, then stage 2)."""
    rows = [r for r in records(book.run.table("marginals")) if r.get("family") == "fund_limit"]
    return sorted(rows, key=lambda r: (-abs(as_float(r.get("value_stage1")) or 0.0), -(as_float(r.get("value_stage2")) or 0.0)))


def per_100(value: Any) -> float | None:
    """Percentage points of weighted progress that 100 万元 more buy (the marginal per 万元 × 100 × 100)."""
    v = as_float(value)
    return None if v is None else v * 100 * 100


def _money_marginals(book: Book, w: SheetWriter) -> None:
    rows = money_marginals(book)
    if not rows:
        return
    w.heading(
        book.say("资金的边际价值：每增加100万元约提高加权进展的百分点", "What 100 万元 more is worth (percentage points of progress)")
    )
    cols = [
        Col(book.say("资金", "Fund")),
        Col(book.say("年度", "Year"), sheet.YEAR),
        Col(book.say("每100万元约x个百分点", "Points per 100 万元"), "0.000"),
    ]
    w.table(cols, [[book.fund_key(r.get("fund")), r.get("year"), per_100(r.get("value_stage2"))] for r in rows])


# --- wide tables --------------------------------------------------------------------------------------


def _ordered(book: Book, section: str, present: list[str]) -> list[str]:
    order = list(((book.run.scenario or {}).get(section) or {}).keys())
    return [k for k in order if k in present or section == "units"] + [k for k in present if k not in order]


def units_by_year(book: Book, ws) -> None:
    """单位×年度: every unit of the scenario down, years across, subtotals by unit type, 合计 row and column."""
    allocation = records(book.run.table("allocation"))
    years = sorted_years(r["year"] for r in allocation)
    sums = group_sum(allocation, ("unit", "year"), "amount")
    units = _ordered(book, "units", list(dict.fromkeys(str(r["unit"]) for r in allocation)))
    info = (book.run.scenario or {}).get("units") or {}
    w = SheetWriter(ws)
    w.title(book.say("各单位各年度经费（万元）", "Money by unit and year (万元)"))
    cols = [Col(book.say("单位", "Unit")), Col(book.say("类别", "Type"))]
    cols += [Col(str(y), sheet.MONEY) for y in years] + [Col(book.say("合计", "Total"), sheet.MONEY)]
    body, by_type = [], {}
    for u in units:
        cells = [sums.get((u, y), 0.0) for y in years]
        kind = (info.get(u) or {}).get("type")
        by_type.setdefault(kind, []).append(cells)
        body.append([book.names.unit(u), book.term("unit_type", kind) if kind else "", *cells, _total(cells)])
    totals = []
    if len(by_type) > 1:
        for kind, rows in by_type.items():
            col_sums = [_total([r[j] for r in rows]) for j in range(len(years))]
            label = book.say(f"{book.term('unit_type', kind)}小计", f"Subtotal {book.term('unit_type', kind)}") if kind else ""
            totals.append([label, "", *col_sums, _total(col_sums)])
    year_totals = [group_sum([r for r in allocation if int(r["year"]) == y], (), "amount").get((), 0.0) for y in years]
    totals.append([book.say("合计", "Total"), "", *year_totals, _total(year_totals)])
    w.table(cols, body, totals=totals, main=True, freeze_cols=1)
    w.finish()


def initiatives_by_year(book: Book, ws) -> None:
    """项目×年度: initiatives down with their clause and economic class, years across, 合计 row and column."""
    allocation = records(book.run.table("allocation"))
    years = sorted_years(r["year"] for r in allocation)
    sums = group_sum(allocation, ("initiative", "year"), "amount")
    present = list(dict.fromkeys(str(r["initiative"]) for r in allocation))
    info = (book.run.scenario or {}).get("initiatives") or {}
    w = SheetWriter(ws)
    w.title(book.say("各项目（举措）各年度经费（万元）", "Money by initiative and year (万元)"))
    cols = [Col(book.say("项目（举措）", "Initiative")), Col(book.say("政策条款", "Clause")), Col(book.say("经济分类", "Economic class"))]
    cols += [Col(str(y), sheet.MONEY) for y in years] + [Col(book.say("合计", "Total"), sheet.MONEY)]
    body = []
    for i in _ordered(book, "initiatives", present):
        cells = [sums.get((i, y), 0.0) for y in years]
        entry = info.get(i) or {}
        from models.economic import economic_class_label

        body.append(
            [book.names.initiative(i), entry.get("clause") or "", economic_class_label(entry.get("economic_class")), *cells, _total(cells)]
        )
    year_totals = [group_sum([r for r in allocation if int(r["year"]) == y], (), "amount").get((), 0.0) for y in years]
    w.table(cols, body, totals=[[book.say("合计", "Total"), "", "", *year_totals, _total(year_totals)]], main=True, freeze_cols=1)
    w.finish()


def indicator_table(book: Book, ws) -> None:
    """指标: each indicator's target, its projected value by year, whether it is met and by how much it falls short."""
    rows = records(book.run.table("indicators"))
    years = sorted_years(r["year"] for r in rows)
    groups: dict[str, dict[int, dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(str(r["indicator"]), {})[int(r["year"])] = r
    w = SheetWriter(ws)
    w.title(book.say("指标预计值与目标", "Indicators: projected values against targets"))
    cols = [
        Col(book.say("指标", "Indicator")),
        Col(book.say("计量单位", "Unit of measure")),
        Col(book.say("缺项", "Missing")),
        Col(book.say("目标年份", "Target year"), sheet.YEAR),
        Col(book.say("目标值", "Target")),
        *(Col(str(y)) for y in years),
        Col(book.say("是否达成", "Met")),
        Col(book.say("差额", "Shortfall")),
    ]
    body = []
    for key, by_year in groups.items():
        first = next(iter(by_year.values()))
        f = book.indicator_format(key, first.get("kind"), first.get("unit_label"))
        target_year = as_float(first.get("target_year"))
        at = by_year.get(int(target_year)) if target_year is not None else None
        body.append(
            [
                book.names.indicator(key, first.get("name")),
                first.get("unit_label") or "",
                book.flag(first.get("missing")),
                target_year,
                Fmt(first.get("target"), f),
                *(Fmt(by_year[y].get("value"), f) if y in by_year else None for y in years),
                book.flag(at.get("met"), "met") if at else "",
                Fmt(at.get("shortfall"), f) if at else None,
            ]
        )
    w.table(cols, body, main=True, freeze_cols=1)
    w.note(book.count_note())
    w.finish()
