"""Read a flat table (CSV, or one sheet of a workbook) as numbered rows of cells, for record validation."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ..errors import DataError
from .text import read_csv

logger = logging.getLogger(__name__)


def split_sheet(path: str | Path) -> tuple[Path, str | None]:
    """``book.xlsx#sheet`` -> (book.xlsx, sheet)."""
    text = str(path)
    if "#" in text:
        file, sheet = text.rsplit("#", 1)
        return Path(file), sheet or None
    return Path(text), None


def read_rows(path: str | Path, default_sheet: str | None = None) -> tuple[str, list[str], list[tuple[int, dict[str, Any]]]]:
    """(label, header, [(spreadsheet row, {column: cell})]) of a CSV file or a workbook sheet; blank cells dropped.

    The label names the file (and sheet) in error messages; row numbers count the header as row 1. A CSV is
    read strictly (every row exactly one cell per column, quotes closed, header names unique), cells as text.
    """
    file, sheet = split_sheet(path)
    if not file.exists():
        raise DataError(f"{file}: no such file")
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_sheet(file, sheet or default_sheet)
    table = read_csv(file)
    if not table.header:
        raise DataError(f"{file.name}: empty file")
    return file.name, table.header, table.records()


def _read_sheet(file: Path, sheet: str | None) -> tuple[str, list[str], list[tuple[int, dict[str, Any]]]]:
    from .safe_excel import open_workbook

    book = open_workbook(file)
    try:
        if sheet is None:
            if len(book.sheetnames) != 1:
                raise DataError(f"{file.name}: several sheets; name one as {file.name}#SHEET (sheets: {', '.join(book.sheetnames)})")
            sheet = book.sheetnames[0]
        if sheet not in book.sheetnames:
            raise DataError(f"{file.name}: no sheet '{sheet}' (sheets: {', '.join(book.sheetnames)})")
        label = f"{file.name} sheet {sheet}"
        header, body = book.rows(sheet)
    finally:
        book.close()
    return label, header, _sheet_records(label, header, _without_example(file, sheet, label, body))


def _without_example(file: Path, sheet: str, label: str, body: list[tuple[int, list[Any]]]) -> list[tuple[int, list[Any]]]:
    """The rows of a sheet less the template's example row when it is still as written (typed over, it is data).

    A score template's example row uses real ids, so read as data it would score made-up numbers.
    """
    from .outputs import example_row_digest, example_rows

    digest = example_rows(file).get(sheet)
    if digest is None:
        return body
    kept = [(n, cells) for n, cells in body if not (n == 2 and example_row_digest(sheet, cells) == digest)]
    if len(kept) < len(body):
        logger.warning("%s row 2: the template's example row, left as written, is skipped", label)
    return kept


def _sheet_records(label: str, header: list[str], body: list[tuple[int, list[Any]]]) -> list[tuple[int, dict[str, Any]]]:
    if not header:
        raise DataError(f"{label}: empty sheet")
    dup = sorted({h for h in header if h and header.count(h) > 1})
    if dup:
        raise DataError(f"{label} row 1: column name(s) {', '.join(dup)} appear more than once; each column needs its own name")
    rows = []
    for n, cells in body:
        row = {}
        for j, (h, c) in enumerate(zip(header, cells), start=1):
            if c is None or (isinstance(c, str) and not c.strip()):
                continue
            if not h:
                raise DataError(f"{label} row {n}: column {j} has a value but no name in the header")
            row[h] = c.strip() if isinstance(c, str) else c
        if row:
            rows.append((n, row))
    return rows
