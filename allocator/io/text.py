"""Text inputs read strictly: the encoding, and CSV tables whose every row has exactly the header's cells.

A CSV that would be misread is refused with its file and line: a row with more or fewer cells than the
header, a quote that never closes, a header cell that is blank (while its column has values) or repeated, a
cell longer than the limit. Ids stay text: nothing here turns ``NA`` or ``null`` into a missing value.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError
from ..limits import MAX_CELL_CHARS, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS, MAX_TEXT_FILE_BYTES

logger = logging.getLogger(__name__)

NOTE_COLUMNS = frozenset({"note", "notes", "备注", "说明", "注释"})
"""Column names people use for remarks; a table without such a column ignores them (as any ``_name`` column)."""


def is_note_column(name: str) -> bool:
    """A column of remarks that a table without it ignores: ``_anything``, note, 备注, 说明."""
    return name.startswith("_") or name.strip().lower() in NOTE_COLUMNS


def _gb2312_share(text: str) -> float:
    """Share of the CJK characters of ``text`` that are in GB2312 (near 1 for real simplified Chinese)."""
    cjk = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not cjk:
        return 1.0
    common = 0
    for ch in cjk:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(cjk)


def _strict(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def decode(raw: bytes, label: str) -> str:
    """Text of a file: UTF-8 (with or without BOM) or UTF-16 with BOM; else GB18030 or Big5, whichever fits.

    A Big5 file decodes as GB18030 too, as nonsense full of rare characters: the choice goes to GB18030 only
    when its characters are the common simplified ones, and a warning names the encoding used.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(raw, "utf-16")
        if text is not None:
            return text
    text = _strict(raw, "utf-8-sig")
    if text is not None:
        return text
    gb, big5 = _strict(raw, "gb18030"), _strict(raw, "big5")
    if gb is not None and (big5 is None or _gb2312_share(gb) >= 0.95):
        logger.warning("%s is not UTF-8; read it as GB18030 (simplified Chinese, Excel's default); save it as UTF-8 to be sure", label)
        return gb
    if big5 is not None:
        logger.warning("%s is not UTF-8; read it as Big5 (traditional Chinese); save it as UTF-8 to be sure", label)
        return big5
    raise DataError(f"{label}: not UTF-8 text, nor GB18030 or Big5 Chinese (save the file as UTF-8)")


def read_text(path: Path, label: str | None = None) -> str:
    """A text input file, size-checked and decoded (see :func:`decode`)."""
    label = label or path.name
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_FILE_BYTES:
            raise DataError(f"{label}: {size:,} bytes; text inputs are limited to {MAX_TEXT_FILE_BYTES:,}")
        raw = path.read_bytes()
    except IsADirectoryError:
        raise DataError(f"{label}: is a folder, not a file") from None
    except OSError as exc:
        raise DataError(f"{label}: cannot read ({exc.strerror or exc})") from None
    return decode(raw, label)


@dataclass(frozen=True)
class CsvTable:
    """A CSV read strictly: the header and the numbered rows (file line, cells), blank rows left out."""

    label: str
    header: list[str]
    rows: list[tuple[int, list[str]]]

    def records(self, keep: frozenset[str] | None = None) -> list[tuple[int, dict[str, str]]]:
        """Rows as {column: cell} without blank cells or nameless columns (and, given ``keep``, only those columns)."""
        out = []
        for line, cells in self.rows:
            row = {h: c.strip() for h, c in zip(self.header, cells) if h and c.strip() and (keep is None or h in keep)}
            if row:
                out.append((line, row))
        return out


def _header(cells: list[str], label: str) -> list[str]:
    header = [h.strip() for h in cells]
    if len(header) > MAX_TABLE_COLUMNS:
        raise DataError(f"{label} line 1: {len(header)} columns; tables are limited to {MAX_TABLE_COLUMNS}")
    dup = sorted({h for h in header if h and header.count(h) > 1})
    if dup:
        raise DataError(f"{label} line 1: column name(s) {', '.join(dup)} appear more than once; each column needs its own name")
    return header


def parse_csv(text: str, label: str, *, keep_blank: bool = False) -> CsvTable:
    """Parse CSV text strictly (see the module docstring); DataError naming the file and line otherwise.

    Rows of empty cells are left out unless ``keep_blank`` (a run folder's tables keep them: they were written).
    """
    reader = csv.reader(io.StringIO(text), strict=True)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    start = 1
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise DataError(_csv_error(label, start, str(exc))) from None
        if header is None:
            header = _header(cells, label)
            continue
        if not any(c.strip() for c in cells) and not (keep_blank and len(cells) == len(header)):
            continue  # blank rows and rows of empty cells, which Excel and editors leave behind
        _check_row(cells, header, label, start)
        rows.append((reader.line_num, cells))
        if len(rows) > MAX_TABLE_ROWS:
            raise DataError(f"{label}: more than {MAX_TABLE_ROWS:,} rows; tables are limited to that")
    if header is None:
        return CsvTable(label, [], [])
    for j, h in enumerate(header):
        if not h and any(cells[j].strip() for _, cells in rows):
            line = next(line for line, cells in rows if cells[j].strip())
            raise DataError(f"{label} line 1: column {j + 1} has values (e.g. on line {line}) but no name in the header")
    return CsvTable(label, header, rows)


def _check_row(cells: list[str], header: list[str], label: str, line: int) -> None:
    if len(cells) != len(header):
        raise DataError(
            f"{label} line {line}: {len(cells)} cells but the header has {len(header)}; "
            "every row needs exactly one cell per column (a comma inside a value needs quotes)"
        )
    for j, c in enumerate(cells):
        if len(c) > MAX_CELL_CHARS:
            raise DataError(f"{label} line {line}, column {header[j] or j + 1}: {len(c):,} characters; the limit is {MAX_CELL_CHARS:,}")


def _csv_error(label: str, line: int, error: str) -> str:
    if "unexpected end of data" in error or "EOF" in error:
        return f'{label} line {line}: a quoted cell that starts here is never closed (a " is missing)'
    if "field larger than field limit" in error:
        return f"{label} line {line}: a cell longer than {MAX_CELL_CHARS:,} characters"
    if "expected after" in error:
        return f'{label} line {line}: text after a closing quote; inside a quoted cell write a quote as ""'
    if "NUL" in error or "null byte" in error:
        return f"{label} line {line}: contains a NUL byte; this is not a text CSV file"
    return f"{label} line {line}: not valid CSV ({error})"


def read_csv(path: Path, label: str | None = None) -> CsvTable:
    """Read and parse a CSV file strictly."""
    label = label or path.name
    return parse_csv(read_text(path, label), label)
