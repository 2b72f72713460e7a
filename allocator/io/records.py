"""Read a flat table (CSV, or one sheet of a workbook) as numbered rows of cells, for record validation."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ..errors import DataError
from .scenario_files import _read_text


def split_sheet(path: str | Path) -> tuple[Path, str | None]:
    """``book.xlsx#sheet`` -> (book.xlsx, sheet)."""
    text = str(path)
    if "#" in text:
        file, sheet = text.rsplit("#", 1)
        return Path(file), sheet or None
    return Path(text), None


def read_rows(path: str | Path, default_sheet: str | None = None) -> tuple[str, list[str], list[tuple[int, dict[str, Any]]]]:
    """(label, header, [(spreadsheet row, {column: cell})]) of a CSV file or a workbook sheet; blank cells dropped.

    The label names the file (and sheet) in error messages; row numbers count the header as row 1.
    """
    file, sheet = split_sheet(path)
    if not file.exists():
        raise DataError(f"{file}: no such file")
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_sheet(file, sheet or default_sheet)
    text = _read_text(file)
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise DataError(f"{file.name}: empty file") from None
    rows = []
    for cells in reader:
        row = {h: c.strip() for h, c in zip(header, cells) if h and c.strip()}
        if row:
            rows.append((reader.line_num, row))
    return file.name, header, rows


def _read_sheet(file: Path, sheet: str | None) -> tuple[str, list[str], list[tuple[int, dict[str, Any]]]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # several kinds for a damaged file
        raise DataError(f"{file}: cannot open as an Excel workbook ({exc})") from None
    if sheet is None:
        if len(wb.sheetnames) != 1:
            raise DataError(f"{file.name}: several sheets; name one as {file.name}#SHEET (sheets: {', '.join(wb.sheetnames)})")
        sheet = wb.sheetnames[0]
    if sheet not in wb.sheetnames:
        raise DataError(f"{file.name}: no sheet '{sheet}' (sheets: {', '.join(wb.sheetnames)})")
    it = wb[sheet].iter_rows(values_only=True)
    try:
        header = [("" if h is None else str(h).strip()) for h in next(it)]
    except StopIteration:
        raise DataError(f"{file.name} sheet {sheet}: empty sheet") from None
    rows = []
    for n, cells in enumerate(it, start=2):
        row = {}
        for h, c in zip(header, cells):
            if h and c is not None and not (isinstance(c, str) and not c.strip()):
                row[h] = c.strip() if isinstance(c, str) else c
        if row:
            rows.append((n, row))
    wb.close()
    return f"{file.name} sheet {sheet}", header, rows
