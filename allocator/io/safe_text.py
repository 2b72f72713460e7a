"""Hostile text made harmless on the way out: formula-like cells in CSV and Excel, control characters on a terminal.

A name such as ``=HYPERLINK(...)``, ``+cmd|...`` or ``@SUM(...)`` would run as a formula when a run folder's
CSV (written with a BOM so Excel opens it) or an exported workbook is opened: such cells get a leading
apostrophe. A name carrying terminal escape sequences would recolour, retitle or clear the console: they
are removed from everything printed.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported only where a frame is written (the CLI imports this module at start)
    import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-\s*\d[\d,]*(\.\d*)?([eE][-+]?\d+)?%?")
_ESCAPE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula (a lone ``-`` or a negative number is not one)."""
    if not text.startswith(FORMULA_START):
        return False
    if text.startswith("-"):
        return len(text) > 1 and not _NUMBER.fullmatch(text)
    return True


def neutralize(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe; everything else is unchanged."""
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value


def neutralize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) cannot become formulas."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    out = frame.copy()
    for column in out.columns:
        if not is_numeric_dtype(out[column]) and not is_bool_dtype(out[column]):  # object or str columns
            out[column] = out[column].map(neutralize)
    out.columns = [neutralize(str(c)) for c in out.columns]
    return out


def frame_csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as CSV for Excel: UTF-8 with BOM, formula-like text neutralized."""
    return neutralize_frame(frame).to_csv(index=False).encode("utf-8-sig")


def printable(text: str) -> str:
    """``text`` without terminal escape sequences and control characters (newlines and tabs kept)."""
    return _CONTROL.sub("", _ESCAPE.sub("", text))


class PrintableFormatter(logging.Formatter):
    """A log formatter whose lines cannot carry terminal escape sequences from the data they mention."""

    def format(self, record: logging.LogRecord) -> str:
        """The formatted record with control characters removed."""
        return printable(super().format(record))
