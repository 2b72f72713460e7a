"""Resolve the small selector language used in spreadsheet cells to sets of unit or initiative ids.

Units: ``all``, ``colleges``, ``departments``, ``top_peak``, ``university:<name>`` (a provincial plan's
university) or unit ids.
Initiatives: ``all``, ``clause:<prefix>`` (e.g. ``clause:三(一)``), ``group:<name>`` or initiative ids.
Years: ``all`` or years; funds: pools (``stock``, ``increment``) and sources (``school`` or source ids).
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
    if token.startswith("university:"):
        return unit.university == token[len("university:") :]
    return token == key


def unknown_unit_tokens(tokens: Iterable[str], units: dict[str, Unit]) -> list[str]:
    """Tokens that are neither a selector word nor a known unit id."""
    return [t for t in tokens if t not in UNIT_WORDS and not t.startswith("university:") and t not in units]


def select_units(tokens: Iterable[str], units: dict[str, Unit]) -> list[str]:
    """Sorted ids of the units a selector picks (unknown tokens pick nothing; checks report them)."""
    toks = tuple(tokens)
    ids = {t for t in toks if t in units and t not in UNIT_WORDS}
    words = [t for t in toks if t not in ids]
    if not words:  # plain unit ids: no pass over every unit (a province has a thousand)
        return sorted(ids)
    unis = {t[len("university:") :] for t in words if t.startswith("university:")}
    rest = [t for t in words if not t.startswith("university:")]
    if unis:
        ids |= {k for k, u in units.items() if u.university in unis}
    if rest:
        ids |= {k for k, u in units.items() if any(unit_token_matches(t, k, u) for t in rest)}
    return sorted(ids)


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


def select_years(tokens: Iterable[str], years: Iterable[int]) -> list[int]:
    """Planned years a selector picks: ``all`` (or no token) picks every year, else the years named."""
    toks = tuple(tokens)
    planned = list(years)
    if not toks or "all" in toks:
        return planned
    named = {int(t) for t in toks if t.isdigit()}
    return [y for y in planned if y in named]


def unknown_year_tokens(tokens: Iterable[str], years: Iterable[int]) -> list[str]:
    """Tokens that are neither ``all`` nor a planned year."""
    planned = {str(y) for y in years}
    return [t for t in tokens if t != "all" and t not in planned]


def fund_matches(pool: str, source: str, pools: Iterable[str], sources: Iterable[str]) -> bool:
    """Whether a fund (pool, source) is picked by pool and source selectors (no token or ``all`` picks every one)."""
    pool_toks, source_toks = tuple(pools), tuple(sources)
    pool_ok = not pool_toks or "all" in pool_toks or pool in pool_toks
    source_ok = not source_toks or "all" in source_toks or source in source_toks
    return pool_ok and source_ok
