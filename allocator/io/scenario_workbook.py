"""Read a scenario workbook: one sheet per table plus key/value sheets ``scenario`` and ``policy``.

The file is opened through :mod:`allocator.io.safe_excel` (size, zip and used-range checks; formulas
without a saved value and merged cells refused), so a sheet is read exactly as Excel shows it or not at all.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..tables import SCALAR_FIELDS, TABLES, Provenance, TableSpec, Where, place_rows, unflatten
from .safe_excel import SafeWorkbook, open_workbook
from .scenario_folder import header_problems
from .scenario_types import INFO_SHEETS, META_SHEETS, RawScenario

logger = logging.getLogger(__name__)

ID_COLUMNS = ("key", "unit", "initiative", "indicator", "source", "goal", "units", "initiatives", "years", "sources")


def cell_value(value: Any) -> Any:
    """A workbook cell as the tables expect it: text stripped, whole floats as ints."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _key_values(book: SafeWorkbook, sheet: str) -> list[tuple[int, str, Any]]:
    """(row, key, value) of a key/value sheet; blank keys and values skipped, JSON lists/dicts parsed."""
    out = []
    for n, cells in book.rows(sheet)[1]:
        key = cell_value(cells[0])
        value = cell_value(cells[1]) if len(cells) > 1 else None
        if key in (None, "") or value in (None, ""):
            continue
        if isinstance(value, str) and value[:1] in "[{":
            try:
                value = json.loads(value)
            except (json.JSONDecodeError, RecursionError):
                pass
        out.append((n, str(key), value))
    return out


def _read_meta_sheets(book: SafeWorkbook, name: str, data: dict[str, Any], prov: Provenance, problems: list[str]) -> None:
    """The ``scenario`` (top-level fields) and ``policy`` (dotted keys) sheets."""
    if "scenario" not in book.sheetnames:
        problems.append(f"{name}: missing sheet 'scenario' (key/value rows: {', '.join(SCALAR_FIELDS)})")
    for meta in ("scenario", "policy"):
        if meta not in book.sheetnames:
            continue
        if book.rows(meta)[0][:2] != ["key", "value"]:
            problems.append(f"{name} sheet {meta} row 1: expected columns key, value")
            continue
        flat: dict[str, Any] = {}
        for n, key, value in _key_values(book, meta):
            if key in flat:
                problems.append(f"{name} sheet {meta} row {n}: key {key} is given twice; keep one")
            flat[key] = value
            loc = tuple(key.split(".")) if meta == "scenario" else ("policy", *key.split("."))
            prov.record(loc, Where(name, n, "value", meta))
        if meta == "policy":
            data["policy"] = unflatten(flat)
            continue
        bad = sorted(set(flat) - set(SCALAR_FIELDS))
        if bad:
            problems.append(f"{name} sheet scenario: unknown key(s) {', '.join(bad)} (expected: {', '.join(SCALAR_FIELDS)})")
        data.update({k: v for k, v in flat.items() if k in SCALAR_FIELDS})


def _read_named_overrides(book: SafeWorkbook) -> tuple[dict[str, Any], dict[str, Any]]:
    """The optional ``overrides`` (override, path, value) and ``scenarios`` (scenario, item) sheets."""
    overrides: dict[str, Any] = {}
    scenarios: dict[str, Any] = {}
    if "overrides" in book.sheetnames:
        for _, cells in book.rows("overrides")[1]:
            name, p, value = (cell_value(c) for c in (cells + [None] * 3)[:3])
            overrides.setdefault(str(name), {})[str(p)] = value
    if "scenarios" in book.sheetnames:
        for _, cells in book.rows("scenarios")[1]:
            name, item = (cell_value(c) for c in (cells + [None] * 2)[:2])
            scenarios.setdefault(str(name), []).append(item)
    return overrides, scenarios


def _read_table_sheet(
    book: SafeWorkbook, spec: TableSpec, name: str, data: dict[str, Any], prov: Provenance, unreadable: set[str]
) -> list[str]:
    """One table sheet into the nested scenario; returns the problems found."""
    header, body = book.rows(spec.name)
    if not header:
        return [f"{name} sheet {spec.name}: empty sheet (expected a header row: {', '.join(spec.columns)})"]
    dup = sorted({h for h in header if h and header.count(h) > 1})
    problems, readable = header_problems(f"{name} sheet {spec.name}", header, spec)
    if dup:
        problems.append(f"{name} sheet {spec.name} row 1: column name(s) {', '.join(dup)} appear more than once")
        readable = False
    if not readable:
        unreadable.add(spec.name)
        return problems
    rows, numbers = [], []
    nameless: dict[int, int] = {}
    for n, cells in body:
        row = {}
        for j, (h, c) in enumerate(zip(header, cells), start=1):
            v = cell_value(c)
            if v in (None, ""):
                continue
            if not h:
                nameless.setdefault(j, n)
            elif h in spec.columns:
                row[h] = str(v) if h in ID_COLUMNS and isinstance(v, (int, float)) else v  # ids are text even if typed as numbers
        rows.append(row)
        numbers.append(n)
    for j, n in nameless.items():
        problems.append(f"{name} sheet {spec.name} row 1: column {j} has values (e.g. on row {n}) but no name in the header")
    return problems + place_rows(spec, rows, data, prov, lambda i, col: Where(name, numbers[i], col, spec.name), unreadable=unreadable)


def read_workbook(path: Path) -> RawScenario:
    """One sheet per table, plus key/value sheets ``scenario`` and ``policy`` (and optional overrides)."""
    book = open_workbook(path)
    try:
        known = {t.name for t in TABLES} | set(META_SHEETS) | set(INFO_SHEETS)
        unknown = [s for s in book.sheetnames if s not in known]
        if unknown:
            raise DataError(f"{path.name}: unknown sheet(s) {', '.join(unknown)} (expected: {', '.join(sorted(known))})")
        data: dict[str, Any] = {}
        prov = Provenance()
        problems: list[str] = []
        _read_meta_sheets(book, path.name, data, prov, problems)
        overrides, scenarios = _read_named_overrides(book)
        unreadable: set[str] = set()
        for spec in TABLES:
            if spec.name in book.sheetnames:
                prov.record((spec.name,), Where(path.name, None, None, spec.name))
                problems += _read_table_sheet(book, spec, path.name, data, prov, unreadable)
    finally:
        book.close()
    return RawScenario(data, prov, str(path), overrides, scenarios, problems)
