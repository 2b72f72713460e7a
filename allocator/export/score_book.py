"""The ranking sheet of a score workbook: one table per year and track (colleges, departments), best first.

It reads whatever columns scores.csv has: newer runs carry ``track``, ``rank``, ``points``, ``rating`` and
``execution_rate``; older ones only the composite, its parts and the grade, and are grouped by unit type.
"""

from __future__ import annotations

from typing import Any

from ..report.data import as_float, clean, records, sorted_years
from . import labels
from .context import Book
from .long_tables import cell
from .sheet import Col, SheetWriter

SHOWN = (
    "rank",
    "points",
    "rating",
    "held_to",
    "completion",
    "execution_rate",
    "unit_cost_score",
    "timeliness",
    "planned",
    "spending",
    "output_index",
    "cost_efficiency",
    "dea_efficiency",
    "composite",
    "grade",
    "award",
    "status",
)


def _track(book: Book, row: dict[str, Any], has_track: bool) -> str:
    if has_track:
        return str(clean(row.get("track")) or "")
    kind = (((book.run.scenario or {}).get("units") or {}).get(str(row["unit"])) or {}).get("type")
    return str(kind or "")


def _track_label(book: Book, track: str) -> str:
    words = {"college": book.say("学院", "Colleges"), "colleges": book.say("学院", "Colleges")}
    words.update({"department": book.say("职能部门", "Departments"), "departments": book.say("职能部门", "Departments")})
    return words.get(track, track)


def _order(row: dict[str, Any]) -> tuple[float, float, str]:
    rank = as_float(row.get("rank"))
    score = as_float(row.get("points"))
    if score is None:
        score = as_float(row.get("composite"))
    return (rank if rank is not None else float("inf"), -(score or 0.0), str(row["unit"]))


def ranking_sheet(book: Book, ws) -> None:
    """排名: one filterable table, by year and track (colleges first), best first within each."""
    frame = book.run.table("scores")
    rows = records(frame)
    has_track = "track" in frame.columns
    years = sorted_years(r["year"] for r in rows)
    shown = [c for c in SHOWN if c in frame.columns]
    w = SheetWriter(ws)
    w.title(book.say("绩效评价排名", "Performance ranking"))
    cols = [Col(book.say("年度", "Year"), "0"), Col(book.say("类别", "Track")), Col(book.say("单位", "Unit"))]
    cols += [Col(labels.header(c, book.lang), labels.number_format(c)) for c in shown]

    def key(r: dict[str, Any]) -> tuple:
        track = _track(book, r, has_track)
        return (int(r["year"]), track not in ("college", "colleges"), track, *_order(r))

    body = [
        [
            int(r["year"]),
            _track_label(book, _track(book, r, has_track)),
            book.names.unit(r["unit"]),
            *(cell(book, "scores", c, r) for c in shown),
        ]
        for r in sorted(rows, key=key)
    ]
    w.table(cols, body, main=True, freeze_cols=3)
    if not has_track:
        w.note(
            book.say(
                "名次为全校统一排名；本次运行没有分类（学院/职能部门）考核结果，按单位类别分组显示。",
                "Ranks are school-wide; this run has no separate tracks, so units are grouped by type.",
            )
        )
    if len(years) > 1:
        w.note(book.say("多个评价年度按年度分组。", "Several scored years are grouped by year."))
    w.finish()
