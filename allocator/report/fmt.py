"""Number formatting for the report: money in 万元 with thousands separators, ratios as percentages.

Formatting only rounds for display. The exact value a number was formatted from travels with it in a
``data-value`` attribute (see :func:`allocator.report.html.keyed`), so a reader or a test can always
recover what the run's file says.
"""

from __future__ import annotations

import math
from typing import Any

from .data import as_float, clean

DASH = "—"


def raw(value: Any) -> str:
    """The exact text of a value for a ``data-value`` attribute: shortest round-tripping form for floats."""
    value = clean(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _is_number(value: Any) -> float | None:
    number = as_float(value)
    return None if number is None or math.isinf(number) else number


def money(value: Any, digits: int = 2) -> str:
    """万元 amount: ``1,234.50``; a dash when blank."""
    number = _is_number(value)
    if number is None:
        return DASH
    text = f"{number:,.{digits}f}"
    return "0.00" if text in ("-0.00", "-0") else text


def signed_money(value: Any, digits: int = 2) -> str:
    """Signed 万元 change: ``+12.00`` / ``−3.50`` (a true minus sign); ``0.00`` for no change."""
    number = _is_number(value)
    if number is None:
        return DASH
    text = money(abs(number), digits)
    if text.strip("0.,") == "":
        return text
    return ("+" if number > 0 else "−") + text


def signed_number(value: Any, digits: int = 2) -> str:
    """Signed change of a quantity: ``+3.88`` / ``−1``; ``0`` for no change."""
    num = _is_number(value)
    if num is None:
        return DASH
    text = number(abs(num), digits)
    if text == "0":
        return text
    return ("+" if num > 0 else "−") + text


def signed_percent(value: Any, digits: int = 1) -> str:
    """A signed change of a ratio in percent: ``-0.0026`` -> ``−0.26%``; ``0.00%`` for no change."""
    num = _is_number(value)
    if num is None:
        return DASH
    text = percent(abs(num), digits)
    if text.strip("0.%") == "":
        return text
    return ("+" if num > 0 else "−") + text


def yuan(fen: Any) -> str:
    """An integer amount of fen shown in yuan to the fen: ``42,997.66``."""
    number = _is_number(fen)
    if number is None:
        return DASH
    cents = int(round(number))
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{part:02d}"


def number(value: Any, digits: int = 2) -> str:
    """A general quantity: thousands separators, at most ``digits`` decimals, trailing zeros dropped."""
    num = _is_number(value)
    if num is None:
        return DASH
    text = f"{num:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def count(value: Any) -> str:
    """A count of whole things (persons, institutes) rounded for display: ``1,491.5`` -> ``1,492``, ``0.6`` -> ``1``."""
    num = _is_number(value)
    if num is None:
        return DASH
    whole = math.floor(abs(num) + 0.5) * (1 if num >= 0 else -1)
    return f"{whole:,d}"


def fixed(value: Any, digits: int = 3) -> str:
    """A score or index with a fixed number of decimals: ``0.728`` -> ``0.7280`` at 4 digits."""
    num = _is_number(value)
    if num is None:
        return DASH
    text = f"{num:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def significant(value: Any, digits: int = 3) -> str:
    """A small or large rate to ``digits`` significant figures, never in exponent form: ``0.000273``, ``1,250``."""
    num = _is_number(value)
    if num is None:
        return DASH
    if num == 0:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(num))))
    return f"{num:,.{decimals}f}"


def percent(value: Any, digits: int = 1) -> str:
    """A ratio as a percentage: ``0.46`` -> ``46.0%``."""
    num = _is_number(value)
    if num is None:
        return DASH
    text = f"{num * 100:,.{digits}f}"
    return ("0." + "0" * digits if text.startswith("-") and float(text.replace(",", "")) == 0 else text) + "%"


def axis_percent(value: Any) -> str:
    """A ratio as a short percentage for axis ticks: ``0.05`` -> ``5%``, ``0.025`` -> ``2.5%``."""
    num = _is_number(value)
    if num is None:
        return DASH
    return number(num * 100, 2) + "%"


def year(value: Any) -> str:
    """A year without separators or decimals."""
    num = _is_number(value)
    return DASH if num is None else str(int(num))


def text(value: Any) -> str:
    """A text cell, or a dash when blank (not escaped: the HTML layer escapes)."""
    value = clean(value)
    return DASH if value in (None, "") else str(value)
