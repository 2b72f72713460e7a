"""Any CSV table of a run folder as a sheet people can read: translated headings, names beside ids, words for codes."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from .. import vocabulary
from ..report.data import clean, records
from . import labels, sheet
from .context import Book
from .sheet import Col, Fmt, SheetWriter

METHOD_TAG = re.compile(r"\s*\[[^\]]*\]\s*$")
NAME_OF = {"unit": "unit_name", "initiative": "initiative_name", "indicator": "name"}
INDICATOR_VALUES = (
    "value",
    "output",
    "target",
    "milestone",
    "shortfall",
    "requirement",
    "base_value",
    "plan_value",
    "mean",
    "p05",
    "p50",
    "p95",
)
CODED = {
    "pool": "pool",
    "status": "status",
    "super_status": "status",
    "kind": "kind",
    "family": "family",
    "rts": "rts",
    "model": "model",
    "orientation": "orientation",
    "track": "unit_type",
    "held_to": "held_to",
    "part": "part",
    "sense": "sense",
    "rule": "reclaim_rule",
}
FLAGS = {"met": "met", "met_a": "met", "met_b": "met", "missing": "bool", "status_changed": "bool", "counted": "bool"}


def columns_of(book: Book, frame: pd.DataFrame) -> list[str]:
    """The table's columns with a name column before each id column that has none."""
    out: list[str] = []
    present = list(frame.columns)
    for column in present:
        name = NAME_OF.get(column)
        if name and name not in present and name not in out:
            out.append(name)
        elif name and name in present and name not in out:
            out.append(name)
        if column not in out:
            out.append(column)
    return out


def _name(book: Book, column: str, row: dict[str, Any]) -> str:
    if column == "unit_name":
        return book.names.unit(row.get("unit"), row.get("unit_name"))
    if column == "initiative_name":
        return book.names.initiative(row.get("initiative"), row.get("initiative_name"))
    return book.names.indicator(row.get("indicator"), row.get("name"))


SECTIONS = {
    "objective": ("目标函数", "objective"),
    "pool": ("资金池", "pool"),
    "source": ("资金来源", "source"),
    "year": ("年度", "year"),
    "unit": ("单位", "unit"),
    "initiative": ("举措", "initiative"),
    "indicator": ("指标", "indicator"),
    "unit_initiative": ("单位与举措", "unit and initiative"),
}
OBJECTIVES = {"stage1_shortfall": ("第一阶段差额", "stage 1 shortfall"), "stage2_progress": ("第二阶段加权进展", "stage 2 progress")}


def compare_label(book: Book, section: Any, key: Any) -> str:
    """An item of compare.csv in words: a unit's or initiative's name, a pool, a fund, an objective."""
    section, key = str(section), str(key)
    if section == "objective":
        return book.say(*OBJECTIVES[key]) if key in OBJECTIVES else key
    if section == "pool":
        return book.term("pool", key)
    if section == "source":
        pool, _, source = key.partition(":")
        return book.fund(pool, source or None)
    if section == "unit":
        return book.names.unit(key)
    if section == "initiative":
        return book.names.initiative(key)
    if section == "indicator":
        return book.names.indicator(key)
    if section == "unit_initiative":
        unit, _, ini = key.partition(":")
        return f"{book.names.unit(unit)} / {book.names.initiative(ini)}"
    return key


def compare_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """compare.csv in reading order: objectives, pools, sources, years in order, then units, initiatives, indicators."""
    order = {s: n for n, s in enumerate(("objective", "pool", "source", "year", "indicator", "unit", "initiative", "unit_initiative"))}
    keyed = frame.assign(_s=frame["section"].map(lambda s: order.get(str(s), 99)), _n=range(len(frame)))
    keyed["_y"] = [int(k) if str(s) == "year" and str(k).isdigit() else 0 for s, k in zip(frame["section"], frame["key"])]
    return keyed.sort_values(["_s", "_y", "_n"]).drop(columns=["_s", "_y", "_n"])


_MISSING = object()


def cell(book: Book, table: str, column: str, row: dict[str, Any]) -> Any:
    """One cell of a long table in words and numbers, with a per-row format for indicator values."""
    value = clean(row.get(column))
    if table == "compare":
        shown = _compare_cell(book, column, row, value)
        if shown is not _MISSING:
            return shown
    words = _words(book, column, row, value)
    if words is not _MISSING:
        return words
    if table == "goals" and column in ("target", "achieved", "under", "over"):
        return Fmt(value, sheet.PERCENT2 if str(row.get("unit_label") or "").strip() == "%" else sheet.DECIMAL)
    indicator = row.get("indicator")
    if indicator is not None and column in INDICATOR_VALUES:
        kind = book.indicator_info(indicator).get("kind")
        if table == "unit_indicators" and column == "value" and kind == "annual_rate":
            return None  # under 累计产出: a yearly count has no running sum (the CSV's value is the year's output)
        if table == "unit_indicators" and kind == "ratio":
            return Fmt(value, sheet.COUNT)  # a unit's part of a ratio is its numerator: persons
        return Fmt(value, book.indicator_format(indicator, row.get("kind"), row.get("unit_label")))
    return value


def _compare_cell(book: Book, column: str, row: dict[str, Any], value: Any) -> Any:
    """compare.csv's section and item in words; its a/b/delta as money, objectives or indicator values."""
    section = str(row.get("section"))
    if column == "section":
        return book.say(*SECTIONS[section]) if section in SECTIONS else value
    if column == "key":
        return compare_label(book, section, value)
    if column in ("a", "b", "delta"):
        if section == "indicator":
            return Fmt(value, book.indicator_format(row.get("key")))
        return Fmt(value, sheet.INDEX if section == "objective" else sheet.MONEY)
    return _MISSING


def _peers(book: Book, row: dict[str, Any], value: Any) -> Any:
    if not isinstance(value, str):
        return value
    parts = [p.strip().rpartition(":") for p in value.split(";") if p.strip()]
    return "; ".join(f"{book.names.unit(u)}({w})" if u else book.names.unit(w) for u, _, w in parts)


WORDS = {
    "peers": _peers,
    "source": lambda book, row, value: book.fund(row.get("pool"), value) if "pool" in row else book.fund_key(value),
    "fund": lambda book, row, value: book.fund_key(value) if value else "",
    "dimension": lambda book, row, value: book.dimension(value),
    "grade": lambda book, row, value: "" if value in (None, "-") else value,
    "method": lambda book, row, value: vocabulary.method_words(value, book.lang),
    "spent_on": lambda book, row, value: vocabulary.spent_on_words(value, book.lang),
    "words": lambda book, row, value: METHOD_TAG.sub("", value) if isinstance(value, str) else value,
    "integers": lambda book, row, value: {"free": book.say("重新决定", "free"), "fixed": book.say("固定", "fixed")}.get(value, value),
}
"""Columns shown in words, by how: names of peers and funds, translated methods, a grade without its dash."""


def _words(book: Book, column: str, row: dict[str, Any], value: Any) -> Any:
    """Names for ids and words for coded values; ``_MISSING`` when the column is neither."""
    if column in ("unit_name", "initiative_name") or (column == "name" and "indicator" in row):
        return _name(book, column, row)
    if column == "kind" and "goal" in row:
        return book.term("goal_kind", value) if value is not None else ""
    if column in CODED:
        return book.term(CODED[column], value) if value is not None else ""
    if column in FLAGS:
        return book.flag(value, FLAGS[column])
    if column in WORDS:
        return WORDS[column](book, row, value)
    return _MISSING


TABLE_HEADINGS = {
    ("unit_indicators", "value"): ("累计产出", "Cumulative output"),
    ("reclaim", "planned"): ("上年预算（万元）", "Planned last year (万元)"),
    ("reclaim", "actual"): ("上年实际支出（万元）", "Spent last year (万元)"),
    ("reclaim", "execution_rate"): ("上年预算执行率", "Execution rate last year"),
    ("reclaim", "amount"): ("本年金额（万元）", "This year (万元)"),
}
"""Headings a column takes in one table only, where its general heading would mislead."""


def heading(book: Book, table: str, column: str) -> str:
    """A column heading; indicator columns of a frontier or of risk draws show the indicator's name."""
    if (table, column) in TABLE_HEADINGS:
        return book.say(*TABLE_HEADINGS[table, column])
    if column in labels.COLUMNS or column.startswith("extra_"):
        return book.header(column)
    measure = _measure(book, column)
    if measure:
        return measure
    base = column[:-4] if column.endswith("_met") else column
    if book.indicator_info(base):
        name = book.names.indicator(base)
        return f"{name}{book.say('（达成）', ' (met)')}" if column.endswith("_met") else name
    return column


DEA_PREFIXES = {"input_": ("投入", "input"), "output_": ("产出", "output"), "slack_": ("松弛", "slack"), "target_": ("目标", "target")}


def _measure(book: Book, column: str) -> str | None:
    """``input_money``, ``slack_people_scale``, ... of dea.csv as 投入：资金 / 松弛：国际师生有规模."""
    for prefix, words in DEA_PREFIXES.items():
        if column.startswith(prefix):
            name = column[len(prefix) :]
            if name == "money":
                what = book.say("资金（万元）", "money (万元)")
            elif name == "full_time_faculty":
                what = book.say("专任教师", "full-time faculty")
            elif book.indicator_info(name):
                what = book.names.indicator(name)
            else:
                what = book.dimension(name)
            return f"{book.say(*words)}{book.say('：', ': ')}{what}"
    return None


def column_format(book: Book, table: str, column: str) -> str | None:
    """The default number format of a column (indicator columns of a frontier by the indicator's kind)."""
    if column in labels.COLUMNS or column.startswith("extra_"):
        return labels.number_format(column)
    if table == "dea" and _measure(book, column):
        return sheet.SCORE
    if book.indicator_info(column):
        return book.indicator_format(column)
    return None


def write_long_table(book: Book, ws, table: str, frame: pd.DataFrame, *, title: str | None = None) -> None:
    """A whole CSV table on its own sheet: heading row frozen and filtered, names beside ids, words for codes."""
    w = SheetWriter(ws)
    if title:
        w.title(title)
    if table == "compare":
        frame = compare_rows(frame)
    cols = columns_of(book, frame)
    rows = records(frame)
    for r in rows:
        for column in cols:
            r.setdefault(column, None)
    spec = [
        Col(
            heading(book, table, c),
            column_format(book, table, c),
            wrap=c in ("words", "explanation", "spent_on", "method", "peers", "cleared", "note"),
        )
        for c in cols
    ]
    body = []
    for r in rows:
        out = []
        for c in cols:
            v = cell(book, table, c, r)
            if isinstance(v, bool):
                v = book.flag(v)
            out.append(v)
        body.append(out)
    w.table(spec, body, main=True, freeze_cols=1 if cols and cols[0].endswith("name") else 0)
    if any(c in INDICATOR_VALUES for c in cols):
        w.note(book.count_note())
    w.finish()
