"""Workbooks for people: a run folder as one formatted, Chinese-first workbook, and the finance office's budget tables.

The workbook opens on a summary like the report's, then the tables a reader wants first (for a plan:
units × years and initiatives × years with 合计 rows and columns, and the indicator table; for a score:
the ranking), then every long table of the folder, and the technical manifest last.

Example::

    from allocator.export import export_run_workbook
    export_run_workbook("runs/base", "runs/base.xlsx", lang="zh")
"""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

from ..errors import RunFolderError
from ..io.atomic import atomic_write_bytes, ensure_new
from ..io.outputs import EXPORT, mark_workbook
from ..io.run_reader import extra_tables
from ..report.data import Names, TableSpec, load_run, read_table
from ..report.i18n import resolve_language
from ..tables import flatten
from .context import Book
from .long_tables import write_long_table
from .sheet import Col, SheetWriter

logger = logging.getLogger(__name__)

__all__ = ["export_run_workbook", "write_budget_tables", "open_book"]

FIRST = {
    "plan": ("allocation", "indicators", "unit_indicators", "budget", "marginals"),
    "clear": ("clear", "extra", "curve", "allocation", "indicators"),
    "score": ("awards", "dea", "next_floors", "malmquist"),
    "sweep": ("frontier", "allocation"),
    "compare": ("compare",),
    "risk": ("risk", "draws"),
}
"""Long tables in reading order per run kind; any other CSV of the folder follows them."""


def open_book(run_dir: str | Path, lang: str | None = None) -> Book:
    """Read a run folder for export: the report's checked tables plus every other CSV it holds."""
    run = load_run(run_dir)
    language = resolve_language(lang, run.language)
    tables: dict[str, Any] = dict(run.tables)
    folder = Path(run_dir)
    listed = run.manifest.get("files")
    if isinstance(listed, dict):  # the run's own tables, then those a later command added (tasks.csv); anything else is damage
        names = sorted(n for n in listed if n.endswith(".csv")) + extra_tables(folder, listed, strict=True)
    else:  # a run written before manifests listed their files
        names = sorted(p.name for p in folder.glob("*.csv"))
    for name in names:
        stem = name.removesuffix(".csv")
        if stem not in tables:
            frame = read_table(folder, TableSpec(stem, (), required=False))
            if frame is not None:
                tables[stem] = frame
    return Book(run=run, lang=language, names=Names((run.scenario, *run.related), language), tables=tables)


def export_run_workbook(run_dir: str | Path, out: str | Path, *, lang: str | None = None, force: bool = False) -> Path:
    """Write a run folder as one workbook (summary first, manifest last); refuses an existing file unless forced.

    Raises:
        RunFolderError: when ``run_dir`` is not a run folder or ``out`` exists and ``force`` is not set.
    """
    import openpyxl

    ensure_new(out, force=force, kind=EXPORT, inputs=(run_dir,))
    book = open_book(run_dir, lang)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    _front_sheets(book, wb)
    order = [t for t in FIRST.get(book.run.kind, ()) if t in book.tables]
    order += [t for t in book.tables if t not in order and t != "scores"]
    for table in order:
        frame = book.tables[table]
        if frame is None or frame.empty:
            continue
        write_long_table(book, wb.create_sheet(_unique(wb, book.sheet(table))), table, frame)
    _manifest_sheet(book, wb.create_sheet(_unique(wb, book.sheet("manifest"))))
    mark_workbook(wb, EXPORT)
    buf = io.BytesIO()
    wb.save(buf)
    logger.info("exported %s to %s (%s)", run_dir, out, book.lang)
    return atomic_write_bytes(out, buf.getvalue(), force=force, kind=EXPORT)


def _unique(wb, name: str) -> str:
    """A sheet name not yet used (spreadsheets compare sheet names without case)."""
    taken = {s.lower() for s in wb.sheetnames}
    candidate, n = name[:31], 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{name[:28]}({n})"
    return candidate


def _front_sheets(book: Book, wb) -> None:
    from . import plan_book, score_book

    kind = book.run.kind
    if kind == "score":
        score_book.ranking_sheet(book, wb.create_sheet(book.sheet("scores")))
        _summary_sheet(book, wb.create_sheet(book.sheet("summary")))
        return
    if kind in ("plan", "clear") and book.run.has("allocation"):
        plan_book.summary_sheet(book, wb.create_sheet(book.sheet("summary")))
        plan_book.units_by_year(book, wb.create_sheet(book.sheet("units_years")))
        plan_book.initiatives_by_year(book, wb.create_sheet(book.sheet("initiatives_years")))
        if book.run.has("indicators"):
            plan_book.indicator_table(book, wb.create_sheet(book.sheet("indicators_wide")))
        return
    _summary_sheet(book, wb.create_sheet(book.sheet("summary")))


def _summary_sheet(book: Book, ws) -> None:
    """Key facts of any run from its manifest: what ran, its status and its headline numbers."""
    from . import sheet

    m = book.run.manifest
    w = SheetWriter(ws, landscape=False)
    title = book.names.title()
    kind = {
        "score": book.say("绩效评价", "Performance scoring"),
        "sweep": book.say("预算敏感性分析", "Budget sweep"),
        "compare": book.say("方案对比", "Comparison of two plans"),
        "risk": book.say("目标达成风险", "Risk of missing targets"),
        "clear": book.say("缺项指标清零成本", "Cost to clear"),
    }.get(book.run.kind, book.run.kind)
    w.title(f"{title} — {kind}" if title else kind)
    facts: list[tuple[str, Any, str | None]] = []
    if m.get("status"):
        facts.append((book.say("状态", "Status"), book.term("status", m.get("status")), None))
    if book.run.kind == "compare":
        for side, zh, en in (("a", "方案A", "Run A"), ("b", "方案B", "Run B")):
            names = m.get("scenario_name") or {}
            named = (m.get("named_scenario") or {}) if isinstance(m.get("named_scenario"), dict) else {}
            label = " / ".join(str(x) for x in (names.get(side), named.get(side)) if x)
            facts.append((book.say(zh, en), label or str(m.get(f"run_{side}")), None))
    if m.get("incentive_pool") is not None:
        facts.append((book.say("每年奖励总额（万元）", "Incentive pool per year (万元)"), m["incentive_pool"], sheet.MONEY))
    for key, zh, en in (("command", "命令", "Command"), ("created", "生成时间", "Created")):
        if m.get(key):
            facts.append((book.say(zh, en), str(m[key]), None))
    if m.get("message"):
        facts.append((book.say("说明", "Message"), str(m["message"]), None))
    w.pairs(facts)
    w.finish()


def _manifest_sheet(book: Book, ws) -> None:
    """The manifest, flattened to key / value rows (the technical record of the run)."""
    skip = ("levels", "stages", "scoring_policy")
    flat = flatten({k: v for k, v in book.run.manifest.items() if k not in skip})
    rows = [[k, v if not isinstance(v, (list, dict)) else json.dumps(v, ensure_ascii=False)] for k, v in flat.items()]
    w = SheetWriter(ws)
    w.table([Col(book.say("项目", "Key")), Col(book.say("值", "Value"), wrap=True)], rows, main=True)
    w.finish()


def write_budget_tables(run_dir: str | Path, out: str | Path, *, lang: str | None = None, force: bool = False) -> Path:
    """The finance office's tables of a plan run: per-year 预算编制 and a 绩效目标表 per initiative.

    Raises:
        RunFolderError: when ``run_dir`` is not a plan run or ``out`` exists and ``force`` is not set.
    """
    from .budget_tables import budget_workbook

    ensure_new(out, force=force, kind=EXPORT, inputs=(run_dir,))
    book = open_book(run_dir, lang)
    if book.run.kind != "plan":
        raise RunFolderError(f"{run_dir}: a {book.run.kind} run; --budget-tables needs a plan run folder")
    data = budget_workbook(book)
    logger.info("wrote budget tables of %s to %s", run_dir, out)
    return atomic_write_bytes(out, data, force=force, kind=EXPORT)
