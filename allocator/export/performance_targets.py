"""绩效目标表: for each funded initiative (项目), its money by year and source and its output indicators' yearly targets.

The yearly targets are the plan's own projected values of the indicators the initiative moves (from
indicators.csv): what the plan commits the school to, year by year. The time indicator is the
initiative's lead time and the cost indicator its unit cost, both from the scenario.
"""

from __future__ import annotations

from typing import Any

from ..report.data import as_float, records
from . import sheet
from .budget_lines import Fund, Line, economic_class, ordered, to_wan
from .context import Book
from .sheet import Col, Fmt, SheetWriter


def targets_sheet(book: Book, ws, years: list[int], funds: list[Fund], steps: dict[int, dict[Fund, dict[Line, int]]]) -> None:
    """One block per funded initiative: facts, money by source and year, output/time/cost indicators by year."""
    w = SheetWriter(ws)
    w.title(book.say("项目绩效目标表", "Performance targets by project"))
    initiatives = (book.run.scenario or {}).get("initiatives") or {}
    funded = {i for y in years for f in funds for (_, i), amount in steps[y][f].items() if amount}
    values: dict[tuple[str, int], dict[str, Any]] = {
        (str(r["indicator"]), int(r["year"])): r for r in records(book.run.table("indicators"))
    }
    breaks = []
    for n, ini in enumerate(ordered(book, "initiatives", funded), start=1):
        if n > 1:
            breaks.append(w.row)
            w.row += 1
        entry = initiatives.get(ini) or {}
        _facts(book, w, n, ini, entry, years, funds, steps)
        _money(book, w, ini, years, funds, steps)
        _indicators(book, w, ini, entry, years, values)
    from openpyxl.worksheet.pagebreak import Break

    for row in breaks:
        ws.row_breaks.append(Break(id=row - 1))
    w.note(
        book.say(
            "产出指标的年度目标为本方案中该指标的全校预计值（indicators.csv）；多个项目共同推动同一指标时，各项目表中列出的是同一全校目标。",
            "Yearly output targets are the plan's projected school-wide values of each indicator (indicators.csv); "
            "where several projects move one indicator, each lists the same school-wide target.",
        )
    )
    w.finish()


def _facts(book: Book, w: SheetWriter, n: int, ini: str, entry: dict[str, Any], years, funds, steps) -> None:
    units = sorted({u for y in years for f in funds for (u, i), amount in steps[y][f].items() if i == ini and amount})
    w.heading(book.say(f"{n}. {book.names.initiative(ini)}（{ini}）", f"{n}. {book.names.initiative(ini)} ({ini})"))
    w.pairs(
        [
            (book.say("政策条款", "Clause"), entry.get("clause") or "", None),
            (book.say("经济分类", "Economic class"), economic_class(book, ini), None),
            (book.say("实施单位", "Units running it"), "、".join(book.names.unit(u) for u in units), None),
        ]
    )


def _money(book: Book, w: SheetWriter, ini: str, years, funds, steps) -> None:
    cols = [
        Col(book.say("资金来源（万元）", "Source (万元)")),
        *(Col(str(y), sheet.MONEY) for y in years),
        Col(book.say("合计", "Total"), sheet.MONEY),
    ]
    body = []
    for f in funds:
        cells = [sum(a for (_, i), a in steps[y][f].items() if i == ini) for y in years]
        if sum(cells):
            body.append([book.fund(f[0], None if f[1] == "school" else f[1]), *map(to_wan, cells), to_wan(sum(cells))])
    year_totals = [sum(sum(a for (_, i), a in steps[y][f].items() if i == ini) for f in funds) for y in years]
    w.table(cols, body, totals=[[book.say("合计", "Total"), *map(to_wan, year_totals), to_wan(sum(year_totals))]])


def _indicators(book: Book, w: SheetWriter, ini: str, entry: dict[str, Any], years, values) -> None:
    cols = [
        Col(book.say("一级指标", "Level 1")),
        Col(book.say("二级指标", "Level 2")),
        Col(book.say("三级指标", "Indicator")),
        Col(book.say("计量单位", "Unit of measure")),
        *(Col(str(y)) for y in years),
        Col(book.say("目标值（目标年份）", "Target (year)")),
    ]
    body = []
    for key in entry.get("effects") or {}:
        info = book.indicator_info(key)
        f = book.indicator_format(key)
        target = Fmt(info.get("target"), f)
        row = [book.say("产出指标", "Output"), book.say("数量指标", "Quantity"), book.names.indicator(key), info.get("unit_label") or ""]
        row += [Fmt(values[(key, y)].get("value"), f) if (key, y) in values else None for y in years]
        row.append(target)
        body.append(row)
    lag = int(as_float(entry.get("lag")) or 0)
    label = entry.get("activity_label") or book.say("单位", "unit")
    body.append(
        [
            book.say("产出指标", "Output"),
            book.say("时效指标", "Timeliness"),
            book.say("建设周期（投入到产出）", "Lead time (money to output)"),
            book.say("年", "years"),
        ]
        + [lag] * len(years)
        + [lag]
    )
    cost = as_float(entry.get("unit_cost"))
    body.append(
        [
            book.say("产出指标", "Output"),
            book.say("成本指标", "Cost"),
            book.say("单位成本", "Unit cost"),
            f"{book.say('万元', '万元')}/{label}",
        ]
        + [Fmt(cost, sheet.MONEY)] * len(years)
        + [Fmt(cost, sheet.MONEY)]
    )
    w.table(cols, body)
