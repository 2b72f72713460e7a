"""Read workbooks without being misled or swamped.

Before openpyxl sees a file: its size, its zip directory (part count, uncompressed size, compression ratio)
and whether it is an encrypted or old-format file. Each sheet is scanned as a stream first for its used
range (cells with a value, not formatting), formulas without a saved value, error values and merged cells;
then only the used range is read. Every refusal names the file, sheet and cell.
"""

from __future__ import annotations

import logging
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..limits import (
    MAX_CELL_CHARS,
    MAX_COMPRESSION_RATIO,
    MAX_TABLE_COLUMNS,
    MAX_TABLE_ROWS,
    MAX_WORKBOOK_BYTES,
    MAX_WORKBOOK_PARTS,
    MAX_WORKBOOK_UNCOMPRESSED,
)

logger = logging.getLogger(__name__)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_REF = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def column_letter(n: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def check_workbook_file(path: Path) -> None:
    """Refuse a file that is too large, encrypted, not a zip, or a zip bomb, before any parsing."""
    size = path.stat().st_size
    if size > MAX_WORKBOOK_BYTES:
        raise DataError(f"{path.name}: {size:,} bytes; workbooks are limited to {MAX_WORKBOOK_BYTES:,} bytes")
    with open(path, "rb") as fh:
        magic = fh.read(8)
    if magic == OLE_MAGIC:
        raise DataError(
            f"{path.name}: an encrypted (password-protected) workbook or an old .xls file; "
            "remove the password, or save it as .xlsx (Excel Workbook), and try again"
        )
    if not magic.startswith(b"PK"):
        raise DataError(f"{path.name}: not an .xlsx workbook (save it from Excel as 'Excel Workbook (.xlsx)')")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError) as exc:
        raise DataError(f"{path.name}: damaged .xlsx file ({exc})") from None
    if len(infos) > MAX_WORKBOOK_PARTS:
        raise DataError(f"{path.name}: {len(infos):,} parts inside the workbook; the limit is {MAX_WORKBOOK_PARTS:,}")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1_000_000 and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise DataError(
                f"{path.name}: part {info.filename} expands {info.file_size // max(info.compress_size, 1):,} times "
                f"(limit {MAX_COMPRESSION_RATIO}); not a workbook a spreadsheet program writes"
            )
    if total > MAX_WORKBOOK_UNCOMPRESSED:
        raise DataError(f"{path.name}: {total:,} bytes uncompressed; workbooks are limited to {MAX_WORKBOOK_UNCOMPRESSED:,}")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part, from xl/workbook.xml and its relationships."""
    book = "xl/workbook.xml"
    rels_path = "xl/_rels/workbook.xml.rels"
    rels = {}
    for el in ET.fromstring(zf.read(rels_path)).iter():
        if _local(el.tag) == "Relationship":
            target = el.get("Target", "")
            rels[el.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    parts = {}
    for el in ET.fromstring(zf.read(book)).iter():
        if _local(el.tag) == "sheet":
            parts[el.get("name", "")] = rels.get(el.get(f"{{{_R_NS}}}id"), "")
    return parts


@dataclass
class SheetScan:
    """What a stream over a sheet's XML found: the used range and the cells that would be misread."""

    rows: int = 0
    columns: int = 0
    problems: list[str] = field(default_factory=list)


def scan_sheet(zf: zipfile.ZipFile, part: str, label: str) -> SheetScan:
    """Stream a sheet's XML: used range of cells with a value; formulas without value, errors, merged cells.

    Raises DataError as soon as a cell with a value lies beyond the row or column limit.
    """
    scan = SheetScan()
    row_no, col_no = 0, 0
    with zf.open(part) as src:
        for _event, el in ET.iterparse(src, events=("end",)):
            tag = _local(el.tag)
            if tag == "c":
                ref = _REF.match(el.get("r") or "")
                row, col = (int(ref.group(2)), _column_number(ref.group(1))) if ref else (row_no, col_no + 1)
                col_no = col
                _scan_cell(el, row, col, label, scan)
                el.clear()
            elif tag == "row":
                row_no = int(el.get("r") or row_no + 1)
                col_no = 0
                el.clear()
            elif tag == "mergeCell":
                scan.problems.append(f"{label}: merged cells {el.get('ref')}: unmerge them and type the value in every cell it applies to")
    return scan


def _scan_cell(el: Any, row: int, col: int, label: str, scan: SheetScan) -> None:
    kids = {_local(k.tag): k for k in el}
    v = kids.get("v")
    # <v/> is no value, except for a formula whose saved result is the empty text (t="str")
    has_value = "is" in kids or (v is not None and (bool(v.text) or el.get("t") == "str"))
    ref = f"{column_letter(col)}{row}"
    if "f" in kids and not has_value:
        scan.problems.append(f"{label}, cell {ref}: formula without a saved value: open and save the workbook in Excel, or type the number")
    if el.get("t") == "e":
        shown = kids["v"].text if "v" in kids else "an error"
        scan.problems.append(f"{label}, cell {ref}: the cell shows {shown}; fix the formula or type the value")
    if not (has_value or "f" in kids):
        return
    if row > MAX_TABLE_ROWS + 1 or col > MAX_TABLE_COLUMNS:
        raise DataError(
            f"{label}: cell {ref} has a value beyond the limit of {MAX_TABLE_ROWS:,} rows and {MAX_TABLE_COLUMNS} columns "
            f"({column_letter(MAX_TABLE_COLUMNS)}); delete it or move the table"
        )
    scan.rows = max(scan.rows, row)
    scan.columns = max(scan.columns, col)


class SafeWorkbook:
    """A checked workbook: its sheet names, and each sheet's used range as rows of values."""

    def __init__(self, path: str | Path):
        import openpyxl

        self.path = Path(path)
        check_workbook_file(self.path)
        try:
            self._zip = zipfile.ZipFile(self.path)
            self._parts = _sheet_parts(self._zip)
            self.wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except DataError:
            raise
        except Exception as exc:  # openpyxl and the XML parser raise several kinds for a damaged file
            raise DataError(f"{self.path.name}: cannot open as an Excel workbook ({type(exc).__name__}: {exc})") from None

    @property
    def sheetnames(self) -> list[str]:
        """Sheet names in workbook order."""
        return list(self.wb.sheetnames)

    def values(self, sheet: str) -> list[tuple[int, list[Any]]]:
        """[(spreadsheet row, cells)] of a sheet's used range, header row included, blank rows left out."""
        label = f"{self.path.name} sheet {sheet}"
        part = self._parts.get(sheet)
        if not part or part not in self._zip.namelist():
            raise DataError(f"{label}: the sheet's data is missing from the file (damaged workbook)")
        try:
            scan = scan_sheet(self._zip, part, label)
        except DataError:
            raise
        except (ET.ParseError, zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as exc:
            raise DataError(f"{label}: damaged sheet ({type(exc).__name__}: {exc})") from None
        if scan.problems:
            more = f"\n(and {len(scan.problems) - 5} more)" if len(scan.problems) > 5 else ""
            raise DataError("\n".join(scan.problems[:5]) + more)
        if scan.rows == 0:
            return []
        try:
            return self._read_used_range(sheet, label, scan)
        except DataError:
            raise
        except Exception as exc:  # openpyxl on a damaged part: a bad shared-string index, a malformed number, ...
            raise DataError(f"{label}: damaged sheet ({type(exc).__name__}: {exc})") from None

    def _read_used_range(self, sheet: str, label: str, scan: SheetScan) -> list[tuple[int, list[Any]]]:
        out = []
        it = self.wb[sheet].iter_rows(min_row=1, max_row=scan.rows, max_col=scan.columns, values_only=True)
        for n, cells in enumerate(it, start=1):
            if cells is None or all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            for j, c in enumerate(cells, start=1):
                if isinstance(c, str) and len(c) > MAX_CELL_CHARS:
                    raise DataError(f"{label}, cell {column_letter(j)}{n}: {len(c):,} characters; the limit is {MAX_CELL_CHARS:,}")
            out.append((n, list(cells)))
        return out

    def rows(self, sheet: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
        """(header, [(spreadsheet row, cells)]) of a sheet: row 1 is the header, blank rows are left out."""
        values = self.values(sheet)
        if not values or values[0][0] != 1:
            return [], values
        header = [("" if h is None else str(h).strip()) for h in values[0][1]]
        return header, values[1:]

    def close(self) -> None:
        """Release the file."""
        self.wb.close()
        self._zip.close()


def open_workbook(path: str | Path) -> SafeWorkbook:
    """A checked workbook (see :class:`SafeWorkbook`); bad files are DataErrors naming the file."""
    return SafeWorkbook(path)
