"""One cell of a plain table read as a number or an id, with the reason when it is not one (the table commands share it).

``allocator split``, ``allocator dea`` and ``allocator goals`` read cells the same way: a blank is a blank
(None, NaN, spaces); a number is finite and within ``MAX_MAGNITUDE``; ids are stripped text, each once. What
a cell must be beyond that (not negative, a weight, a bound) is the caller's rule, said in its own words.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from ..limits import MAX_MAGNITUDE


def is_blank(value: Any) -> bool:
    """Whether a cell is empty: None, NaN (pandas' blank) or only spaces."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN and pandas' NA are the values not equal to themselves
    except (TypeError, ValueError):  # pandas' NA refuses to be a bool: it is a blank
        return True


def parse_number(value: Any, *, thousands: bool = False) -> float:
    """A cell as a finite float within ``MAX_MAGNITUDE``; ``ValueError`` saying why not, naming the value.

    ``thousands``: text may carry thousands separators (``1,200.5``).
    """
    try:
        text = str(value).replace(",", "") if thousands and isinstance(value, str) else value
        number = float(text)
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    if abs(number) > MAX_MAGNITUDE:
        raise ValueError(f"{number:g} is beyond the limit of {MAX_MAGNITUDE:,.0f}")
    return number


def check_ids(values: Iterable[Any], rows: Sequence[int], column: str, source: str, problems: list[str]) -> list[str]:
    """Each cell of an id column as stripped text; an empty or repeated id adds a problem naming its row (and the first)."""
    ids: list[str] = []
    first: dict[str, int] = {}
    for row, value in zip(rows, values):
        text = "" if is_blank(value) else str(value).strip()
        ids.append(text)
        where = f"{source}, row {row}, column {column!r}"
        if not text:
            problems.append(f"{where}: empty id")
        elif text in first:
            problems.append(f"{where}: duplicate id {text!r} (first at row {first[text]})")
        else:
            first[text] = row
    return ids
