"""Resolve the small selector language used in spreadsheet cells to sets of unit or initiative ids.

Units: ``all``, ``colleges``, ``departments``, ``top_peak`` or unit ids.
Initiatives: ``all``, ``clause:<prefix>`` (e.g. ``clause:三(一)``), ``group:<name>`` or initiative ids.
"""

from __future__ import annotations

from collections.abc import Iterable

from models import Initiative, Unit

UNIT_WORDS = frozenset({"all", "colleges", "departments", "top_peak"})


def unit_token_matches(token: str, key: str, unit: Unit) -> bool:
    """Whether one selector token picks the given unit."""
    if token == "all":
        return True
    if token == "colleges":
        return unit.type == "college"
    if token == "departments":
        return unit.type == "department"
    if token == "top_peak":
        return unit.top_peak
    return token == key


def unknown_unit_tokens(tokens: Iterable[str], units: dict[str, Unit]) -> list[str]:
    """Tokens that are neither a selector word nor a known unit id."""
    return [t for t in tokens if t not in UNIT_WORDS and t not in units]


def select_units(tokens: Iterable[str], units: dict[str, Unit]) -> list[str]:
    """Sorted ids of the units a selector picks (unknown tokens pick nothing; checks report them)."""
    toks = tuple(tokens)
    return sorted(k for k, u in units.items() if any(unit_token_matches(t, k, u) for t in toks))


def initiative_token_matches(token: str, key: str, initiative: Initiative) -> bool:
    """Whether one selector token picks the given initiative."""
    if token == "all":
        return True
    if token.startswith("clause:"):
        return initiative.clause.startswith(token[len("clause:") :])
    if token.startswith("group:"):
        return initiative.group == token[len("group:") :]
    return token == key


def unknown_initiative_tokens(tokens: Iterable[str], initiatives: dict[str, Initiative]) -> list[str]:
    """Tokens that are not a selector form and not a known initiative id."""
    return [t for t in tokens if t != "all" and not t.startswith(("clause:", "group:")) and t not in initiatives]


def select_initiatives(tokens: Iterable[str], initiatives: dict[str, Initiative]) -> list[str]:
    """Sorted ids of the initiatives a selector picks."""
    toks = tuple(tokens)
    return sorted(k for k, i in initiatives.items() if any(initiative_token_matches(t, k, i) for t in toks))
