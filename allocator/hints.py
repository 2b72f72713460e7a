"""Validation errors in words a person can act on: what was typed, why it is not accepted, what to type instead.

pydantic says "String should match pattern '^[A-Za-z]...'" or "unable to parse string as a number"; a
planning office needs "an id starts with a letter ..." and "write 1230, without the thousands separator".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Any

from .tables import TABLE_BY_NAME, Provenance, Where

_NUMBER_ERRORS = {"float_parsing", "int_parsing", "float_type", "int_type", "int_from_float"}
_BOOL_ERRORS = {"bool_parsing", "bool_type"}
_SEGMENT = re.compile(r"^segment (\d+):")
YES_NO = {"是": "true", "否": "false", "对": "true", "错": "false", "有": "true", "无": "false", "√": "true", "×": "false"}


def number_hint(text: str) -> str | None:
    """What to type instead of a number written the way people write it (5%, 1,230, full-width digits)."""
    t = text.strip()
    folded = unicodedata.normalize("NFKC", t)
    if folded != t and _is_number(folded):
        return f"type the digits as {folded} (half-width, not full-width)"
    if t.endswith(("%", "％")) and _is_number(folded[:-1]):
        return f"write {t} as {float(folded[:-1]) / 100:g} (shares and ratios are fractions; money is a plain number)"
    if re.fullmatch(r"-?\d{1,3}([,，]\d{3})+(\.\d+)?", t):
        return f"write {re.sub('[,，]', '', t)}, without the thousands separator"
    if re.search(r"\d", t) and re.search(r"[万元亿人个门]", t):
        return "write only the number; the unit of money and counts is set by the scenario"
    return None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def bool_hint(text: str) -> str | None:
    """What to type instead of a yes/no written in Chinese."""
    t = text.strip()
    if t in YES_NO:
        return f"write {YES_NO[t]} for {t} (true/false, yes/no or 1/0)"
    return "write true or false"


def explain(err: dict[str, Any]) -> str:
    """The message of one pydantic error, rewritten where a plainer one helps; a hint appended where one applies."""
    msg = err["msg"].removeprefix("Value error, ")
    kind = err["type"]
    got = err.get("input")
    if kind == "extra_forbidden":
        return f"unknown field '{err['loc'][-1]}'"
    if kind == "string_pattern_mismatch" and "[A-Za-z]" in str((err.get("ctx") or {}).get("pattern", "")):
        return (
            f"'{got}' is not an id: an id starts with a letter and has only letters, digits and single underscores "
            "(not at the end), e.g. college_a or kunpeng2"
        )
    if kind == "missing" and len(err["loc"]) == 1 and err["loc"][0] in TABLE_BY_NAME:
        return f"table {err['loc'][0]} has no rows; it needs at least one"
    hint = None
    if isinstance(got, str) and kind in _NUMBER_ERRORS:
        hint = number_hint(got)
    elif isinstance(got, str) and kind in _BOOL_ERRORS:
        hint = bool_hint(got)
    shown = "" if isinstance(got, (dict, list)) or got is None or kind == "missing" else f" (got {got!r})"
    return f"{msg}{shown}" + (f"; {hint}" if hint else "")


def place(err: dict[str, Any], loc: tuple[Any, ...], prov: Provenance) -> Where | None:
    """Where the error belongs: the key column for a bad id, the segment's own row for a segment error."""
    where = prov.find(loc)
    if where is None:
        return None
    if "[key]" in err["loc"] and len(loc) == 2 and where.row is not None and where.column is None:
        return replace(where, column="key")  # a bad id of a keyed table is its key cell
    m = _SEGMENT.match(err["msg"].removeprefix("Value error, "))
    if m and loc and loc[-1] == "segments":
        return prov.find((*loc, int(m.group(1)) - 1)) or where
    return where
