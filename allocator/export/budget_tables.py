"""预算编制: per year, each unit's lines (项目) by 资金来源 and 经济分类, with 小计 and 合计, that add up exactly.

Amounts are published in 万元 with two decimals (steps of 0.01 万元, 100 元), as budgets are. Within each
year and funding source the line amounts are rounded to that step by largest remainders, so the lines
add up exactly to the source's total, which is budget.csv's allocated amount rounded to the step; every
subtotal and total is a sum of published cells. When the plan's amounts are already on the step (as
published plans are) this changes nothing, and the totals equal budget.csv to the fen.
"""

from __future__ import annotations

import io

from . import sheet
from .budget_lines import Fund, Line, economic_class, ordered, published, to_wan
from .context import Book
from .performance_targets import targets_sheet
from .sheet import Col, SheetWriter


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
    units = ordered(book, "units", {u for u, _ in lines})
    initiatives = (book.run.scenario or {}).get("initiatives") or {}
    body, emphasis = [], []
    for unit in units:
        mine = ordered(book, "initiatives", {i for u, i in lines if u == unit})
        sub = [0] * len(funds)
        for ini in mine:
            cells = [steps[f].get((unit, ini), 0) for f in funds]
            sub = [a + b for a, b in zip(sub, cells)]
            clause = (initiatives.get(ini) or {}).get("clause") or ""
            body.append(
                [
                    book.names.unit(unit),
                    book.names.initiative(ini),
                    clause,
                    economic_class(book, ini),
                    *map(to_wan, cells),
                    to_wan(sum(cells)),
                ]
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
    _byeconomic_class(book, w, funds, heads, steps)
    w.finish()


def _byeconomic_class(book: Book, w: SheetWriter, funds: list[Fund], heads: list[str], steps: dict[Fund, dict[Line, int]]) -> None:
    """Totals by 经济分类 and 资金来源 (travel abroad, meetings and training are controlled separately)."""
    classes: dict[str, list[int]] = {}
    for j, f in enumerate(funds):
        for (_, ini), amount in steps[f].items():
            classes.setdefault(economic_class(book, ini), [0] * len(funds))[j] += amount
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
                classes.setdefault(economic_class(book, ini), [0] * len(years))[j] += amount
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
