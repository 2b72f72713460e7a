"""预算编制: per year, each unit's lines (项目) by 资金来源 and 经济分类, with 小计 and 合计, that add up exactly.

Amounts are published in 万元 with two decimals (steps of 0.01 万元, 100 元), as budgets are. Within each
year and funding source the line amounts are rounded to that step by largest remainders, so the lines
add up exactly to the source's total, which is budget.csv's allocated amount rounded to the step; every
subtotal and total is a sum of published cells. When the plan's amounts are already on the step (as
published plans are) this changes nothing, and the totals equal budget.csv to the fen.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from typing import Any

from models.economic import economic_class_label

from ..report.data import as_float, clean, records, sorted_years
from . import sheet
from .context import Book
from .sheet import Col, SheetWriter

Line = tuple[str, str]  # (unit, initiative)
Fund = tuple[str, str]  # (pool, source)
POOL_ORDER = ("stock", "increment")


STEP = 100
"""Published steps per 万元: amounts in 万元 with two decimals."""


def to_steps(amounts: Mapping[Any, float], total: float | None = None) -> dict[Any, int]:
    """Amounts in 万元 as whole steps of 0.01 万元 adding up exactly to ``total`` rounded to the step.

    Largest remainders: each amount is floored, then the steps still missing go one by one to the
    amounts with the largest remainders (ties to the first key), so no amount moves by a whole step.
    """
    exact = {k: max(0.0, v) * STEP for k, v in amounts.items()}
    goal = round((math.fsum(amounts.values()) if total is None else total) * STEP)
    floors = {k: math.floor(v + 1e-9) for k, v in exact.items()}
    left = goal - sum(floors.values())
    remainder = {k: exact[k] - floors[k] for k in exact}
    if left >= 0:
        for k in sorted(exact, key=lambda k: -remainder[k])[:left]:
            floors[k] += 1
    else:  # the total is below the floors (the plan's amounts exceed its budget row by rounding)
        for k in sorted((k for k in exact if floors[k] > 0), key=lambda k: remainder[k])[:-left]:
            floors[k] -= 1
    return floors


def to_wan(steps: int) -> float:
    """Whole steps back to 万元 (two decimals)."""
    return steps / STEP


def published(book: Book) -> tuple[list[int], list[Fund], dict[int, dict[Fund, dict[Line, int]]]]:
    """Years, funds in order, and each year's published steps per fund and line (totals = budget.csv allocated)."""
    allocation = records(book.run.table("allocation"))
    budget = records(book.run.table("budget"))
    years = sorted_years(r["year"] for r in allocation)
    funds = list(dict.fromkeys((str(r["pool"]), str(clean(r.get("source")) or "school")) for r in [*budget, *allocation]))
    funds.sort(key=lambda f: (POOL_ORDER.index(f[0]) if f[0] in POOL_ORDER else 9, f[1] != "school", f[1]))
    allocated = {(int(r["year"]), str(r["pool"]), str(clean(r.get("source")) or "school")): as_float(r.get("allocated")) for r in budget}
    out: dict[int, dict[Fund, dict[Line, int]]] = {}
    for year in years:
        out[year] = {}
        for fund in funds:
            parts: dict[Line, list[float]] = {}
            for r in allocation:
                if int(r["year"]) == year and (str(r["pool"]), str(clean(r.get("source")) or "school")) == fund:
                    parts.setdefault((str(r["unit"]), str(r["initiative"])), []).append(as_float(r["amount"]) or 0.0)
            sums = {line: math.fsum(v) for line, v in parts.items()}
            out[year][fund] = to_steps(sums, allocated.get((year, *fund)))
    return years, funds, out


def _order(book: Book, section: str, present: set[str]) -> list[str]:
    listed = list(((book.run.scenario or {}).get(section) or {}).keys())
    return [k for k in listed if k in present] + sorted(present - set(listed))


def _class(book: Book, initiative: str) -> str:
    entry = ((book.run.scenario or {}).get("initiatives") or {}).get(initiative) or {}
    return economic_class_label(entry.get("economic_class"))


def year_sheet(book: Book, ws, year: int, funds: list[Fund], steps: dict[Fund, dict[Line, int]]) -> None:
    """One year's 预算编制表: unit and 项目 rows by 资金来源, 小计 per unit, 合计; then totals by 经济分类."""
    w = SheetWriter(ws)
    w.title(book.say(f"{year}年国际化经费预算编制表（单位：万元）", f"Budget compilation {year} (万元)"))
    heads = [book.fund(pool, None if src == "school" else src) for pool, src in funds]
    cols = [
        Col(book.say("单位", "Unit")),
        Col(book.say("项目（举措）", "Project (initiative)")),
        Col(book.say("政策条款", "Clause")),
        Col(book.say("经济分类", "Economic class")),
        *(Col(h, sheet.MONEY) for h in heads),
        Col(book.say("合计", "Total"), sheet.MONEY),
    ]
    lines = {line for by_line in steps.values() for line, f in by_line.items() if f}
    units = _order(book, "units", {u for u, _ in lines})
    initiatives = (book.run.scenario or {}).get("initiatives") or {}
    body, emphasis = [], []
    for unit in units:
        mine = _order(book, "initiatives", {i for u, i in lines if u == unit})
        sub = [0] * len(funds)
        for ini in mine:
            cells = [steps[f].get((unit, ini), 0) for f in funds]
            sub = [a + b for a, b in zip(sub, cells)]
            clause = (initiatives.get(ini) or {}).get("clause") or ""
            body.append(
                [book.names.unit(unit), book.names.initiative(ini), clause, _class(book, ini), *map(to_wan, cells), to_wan(sum(cells))]
            )
            emphasis.append(False)
        body.append([book.names.unit(unit), book.say("小计", "Subtotal"), "", "", *map(to_wan, sub), to_wan(sum(sub))])
        emphasis.append(True)
    totals = [sum(steps[f].values()) for f in funds]
    w.table(
        cols,
        body,
        totals=[[book.say("合计", "Total"), "", "", "", *map(to_wan, totals), to_wan(sum(totals))]],
        main=True,
        freeze_cols=2,
        emphasis=emphasis,
    )
    w.filter = None  # subtotal rows sit among the lines
    _by_class(book, w, funds, heads, steps)
    w.finish()


def _by_class(book: Book, w: SheetWriter, funds: list[Fund], heads: list[str], steps: dict[Fund, dict[Line, int]]) -> None:
    """Totals by 经济分类 and 资金来源 (travel abroad, meetings and training are controlled separately)."""
    classes: dict[str, list[int]] = {}
    for j, f in enumerate(funds):
        for (_, ini), amount in steps[f].items():
            classes.setdefault(_class(book, ini), [0] * len(funds))[j] += amount
    w.heading(book.say("按经济分类汇总（万元）", "By economic class (万元)"))
    cols = [Col(book.say("经济分类", "Economic class")), *(Col(h, sheet.MONEY) for h in heads), Col(book.say("合计", "Total"), sheet.MONEY)]
    body = [[name, *map(to_wan, cells), to_wan(sum(cells))] for name, cells in sorted(classes.items()) if sum(cells)]
    totals = [sum(steps[f].values()) for f in funds]
    w.table(cols, body, totals=[[book.say("合计", "Total"), *map(to_wan, totals), to_wan(sum(totals))]])


def overview_sheet(book: Book, ws, years: list[int], funds: list[Fund], steps: dict[int, dict[Fund, dict[Line, int]]]) -> None:
    """预算总表: each 资金来源 by year, then each 经济分类 by year, with 合计 rows and columns."""
    w = SheetWriter(ws)
    w.title(book.say("国际化经费预算总表（单位：万元）", "Budget overview (万元)"))
    cols = [Col(book.say("资金来源", "Source")), *(Col(str(y), sheet.MONEY) for y in years), Col(book.say("合计", "Total"), sheet.MONEY)]
    body = []
    for f in funds:
        cells = [sum(steps[y][f].values()) for y in years]
        body.append([book.fund(f[0], None if f[1] == "school" else f[1]), *map(to_wan, cells), to_wan(sum(cells))])
    year_totals = [sum(sum(steps[y][f].values()) for f in funds) for y in years]
    w.table(cols, body, totals=[[book.say("合计", "Total"), *map(to_wan, year_totals), to_wan(sum(year_totals))]], main=True, freeze_cols=1)
    w.heading(book.say("按经济分类（万元）", "By economic class (万元)"))
    classes: dict[str, list[int]] = {}
    for j, y in enumerate(years):
        for f in funds:
            for (_, ini), amount in steps[y][f].items():
                classes.setdefault(_class(book, ini), [0] * len(years))[j] += amount
    cols[0] = Col(book.say("经济分类", "Economic class"))
    rows = [[name, *map(to_wan, cells), to_wan(sum(cells))] for name, cells in sorted(classes.items()) if sum(cells)]
    w.table(cols, rows, totals=[[book.say("合计", "Total"), *map(to_wan, year_totals), to_wan(sum(year_totals))]])
    w.note(
        book.say(
            "金额以万元为单位保留两位小数；同一年度、同一资金来源内按最大余数法分配尾差，各行之和等于该资金来源的分配总额。",
            "Amounts in 万元 with two decimals; within a year and source the rounding remainders go to the largest "
            "remainders, so the lines add up exactly to the source's total.",
        )
    )
    w.finish()


def budget_workbook(book: Book) -> bytes:
    """The whole budget-tables workbook: overview, one 预算编制 sheet per year, and the 绩效目标表."""
    import openpyxl

    from .performance_targets import targets_sheet

    years, funds, steps = published(book)
    wb = openpyxl.Workbook()
    overview_sheet(book, wb.active, years, funds, steps)
    wb.active.title = book.say("预算总表", "Overview")
    for year in years:
        year_sheet(book, wb.create_sheet(book.say(f"{year}年预算", f"Budget {year}")), year, funds, steps[year])
    targets_sheet(book, wb.create_sheet(book.say("绩效目标表", "Performance targets")), years, funds, steps)
    from ..io.outputs import EXPORT, mark_workbook

    mark_workbook(wb, EXPORT)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
