"""Writing formatted tables into worksheets: number formats, widths from the formatted text, totals, print setup.

Every number keeps its exact value in the cell; the number format only rounds what is shown. Column
widths are measured on the text each cell shows under its format (CJK characters count two), so no
money cell can show ``###``. Text a user typed is never evaluated: cells are written as strings, and
text that a spreadsheet would read as a formula gets a leading apostrophe (CSV/Excel injection).
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..io.safe_text import neutralize

MONEY = "#,##0.00"
COUNT = "#,##0"
DECIMAL = "#,##0.0"
SCORE = "0.000"
INDEX = "0.0000"
PERCENT = "0.0%"
PERCENT2 = "0.00%"
YEAR = "0"
TINY = "0.00E+00"

HEADER_FILL = "DCE6F1"
TOTAL_FILL = "F2F2F2"
FILTER_ARROW = 2  # columns the autofilter button takes beside a header
MAX_TEXT_WIDTH = 60  # longer text wraps


@functools.cache
def _style(name: str):
    """One shared style object per kind (openpyxl interns styles; building one per cell is what costs)."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    return {
        "title": Font(bold=True, size=13),
        "heading": Font(bold=True, size=11),
        "note": Font(italic=True, color="595959"),
        "bold": Font(bold=True),
        "header_fill": PatternFill("solid", fgColor=HEADER_FILL),
        "total_fill": PatternFill("solid", fgColor=TOTAL_FILL),
        "header_align": Alignment(vertical="center", wrap_text=False),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "top": Border(top=Side(style="thin")),
    }[name]


def text_width(text: str) -> int:
    """Columns a text takes in a spreadsheet cell (full-width and CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def shown(value: Any, number_format: str | None) -> str:
    """The text a spreadsheet shows for ``value`` under ``number_format`` (the formats this module writes)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    v = float(value)
    if number_format in (None, "General"):
        return f"{v:.10g}" if isinstance(value, float) else str(value)
    if number_format == TINY:
        return f"{v:.2E}"
    if number_format.endswith("%"):
        decimals = len(number_format.split(".")[1]) - 1 if "." in number_format else 0
        return f"{v * 100:,.{decimals}f}%" if "," in number_format else f"{v * 100:.{decimals}f}%"
    decimals = len(number_format.split(".")[1]) if "." in number_format else 0
    return f"{v:,.{decimals}f}" if "," in number_format else f"{v:.{decimals}f}"


@dataclass(frozen=True)
class Col:
    """A column of a table: its heading, the number format of its numbers, and whether long text wraps."""

    header: str
    fmt: str | None = None
    wrap: bool = False


@dataclass(frozen=True)
class Fmt:
    """A value with its own number format, overriding its column's (a ratio row in a table of counts)."""

    value: Any
    fmt: str | None


def plain(value: Any) -> Any:
    """A cell value as openpyxl takes it: numpy scalars unwrapped, NaN as blank, text neutralized."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return neutralize(value) if isinstance(value, str) else value


class SheetWriter:
    """Writes titled blocks and tables down one worksheet, measuring every column as it goes.

    Call :meth:`finish` last: it sets the widths, the frozen panes, the filter and the A4 print setup.
    """

    def __init__(self, ws, *, landscape: bool = True):
        self.ws = ws
        self.row = 1
        self.widths: dict[int, int] = {}
        self.wrap_cols: set[int] = set()
        self.landscape = landscape
        self.freeze: str | None = None
        self.filter: str | None = None
        self.title_rows: str | None = None

    # --- text ---------------------------------------------------------------------------------------

    def title(self, text: str) -> None:
        """A bold heading line (not counted in column widths: it may run across the columns)."""
        cell = self.ws.cell(row=self.row, column=1, value=plain(text))
        cell.font = _style("title")
        cell.data_type = "s"
        self.row += 1

    def heading(self, text: str) -> None:
        """A bold sub-heading, with a blank line before it unless at the top."""
        if self.row > 1:
            self.row += 1
        cell = self.ws.cell(row=self.row, column=1, value=plain(text))
        cell.font = _style("heading")
        cell.data_type = "s"
        self.row += 1

    def note(self, text: str) -> None:
        """An explanatory line in grey italics (runs across the columns)."""
        cell = self.ws.cell(row=self.row, column=1, value=plain(text))
        cell.font = _style("note")
        cell.data_type = "s"
        self.row += 1

    def pairs(self, items: Sequence[tuple[str, Any, str | None]]) -> None:
        """Label / value lines (a key-facts block); each value with its own number format."""
        for label, value, fmt in items:
            key = self.ws.cell(row=self.row, column=1, value=plain(label))
            key.font = _style("bold")
            key.data_type = "s"
            self._measure(1, label, None)
            long_text = isinstance(value, str) and len(value) > MAX_TEXT_WIDTH
            if long_text:
                self.wrap_cols.add(2)
            self._put(self.row, 2, value, fmt, wrap=long_text)
            self.row += 1

    # --- tables -------------------------------------------------------------------------------------

    def table(
        self,
        columns: Sequence[Col],
        rows: Iterable[Sequence[Any]],
        *,
        totals: Sequence[Sequence[Any]] = (),
        main: bool = False,
        freeze_cols: int = 0,
        emphasis: Sequence[bool] = (),
    ) -> tuple[int, int]:
        """A header row, the body and bold total rows; returns (header row, last body row).

        ``main`` marks the sheet's principal table: its header is frozen (with ``freeze_cols`` name
        columns), filtered and repeated on every printed page. ``emphasis`` marks body rows (subtotals)
        shown bold and shaded.
        """
        header_row = self.row
        fill = _style("header_fill")
        for j, col in enumerate(columns, start=1):
            cell = self.ws.cell(row=header_row, column=j, value=plain(col.header))
            cell.font = _style("bold")
            cell.fill = fill
            cell.data_type = "s"
            cell.alignment = _style("header_align")
            self._measure(j, col.header, None, extra=FILTER_ARROW if main else 0, header=True)
            if col.wrap:
                self.wrap_cols.add(j)
        self.row += 1
        total_fill = _style("total_fill")
        for n, values in enumerate(rows):
            strong = n < len(emphasis) and emphasis[n]
            for j, (col, value) in enumerate(zip(columns, values), start=1):
                cell = self._put(self.row, j, value, col.fmt, wrap=col.wrap)
                if strong:
                    cell.font = _style("bold")
                    cell.fill = total_fill
            self.row += 1
        last = self.row - 1
        top = _style("top")
        for values in totals:
            for j, (col, value) in enumerate(zip(columns, values), start=1):
                cell = self._put(self.row, j, value, col.fmt)
                cell.font = _style("bold")
                cell.border = top
                cell.fill = total_fill
            self.row += 1
        if main:
            from openpyxl.utils import get_column_letter

            self.freeze = f"{get_column_letter(freeze_cols + 1)}{header_row + 1}"
            self.filter = f"A{header_row}:{get_column_letter(len(columns))}{max(last, header_row)}"
            self.title_rows = f"{header_row}:{header_row}"
        return header_row, last

    def _put(self, row: int, column: int, value: Any, fmt: str | None, *, wrap: bool = False):
        if isinstance(value, Fmt):
            value, fmt = value.value, value.fmt
        value = plain(value)
        cell = self.ws.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text
            if wrap:
                cell.alignment = _style("wrap")
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and fmt:
            cell.number_format = fmt
        self._measure(column, value, fmt if isinstance(value, (int, float)) else None)
        return cell

    def _measure(self, column: int, value: Any, fmt: str | None, *, extra: int = 0, header: bool = False) -> None:
        width = text_width(shown(value, fmt)) + extra
        if header:
            width = math.ceil(width * 1.1)  # bold
        self.widths[column] = max(self.widths.get(column, 0), width)

    # --- finishing ----------------------------------------------------------------------------------

    def finish(self) -> None:
        """Widths from the measured text, frozen header, filter, and A4 fit-to-width print setup."""
        from openpyxl.utils import get_column_letter

        for column, width in self.widths.items():
            letter = get_column_letter(column)
            limit = MAX_TEXT_WIDTH if column in self.wrap_cols else 10_000
            self.ws.column_dimensions[letter].width = min(max(width + 2, 6), limit)
        if self.freeze:
            self.ws.freeze_panes = self.freeze
        if self.filter:
            self.ws.auto_filter.ref = self.filter
        print_setup(self.ws, landscape=self.landscape, title_rows=self.title_rows)


def print_setup(ws, *, landscape: bool = True, title_rows: str | None = None) -> None:
    """A4, landscape by default, fitted to one page wide (as many pages tall as needed), header repeated."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if title_rows:
        ws.print_title_rows = title_rows
