"""Who answers for each indicator: the ``departments`` (责任部门) column resolved to unit ids, the first named leading (牵头单位).

The column holds what the policy text names: unit ids or Chinese names, separated by ``;``, ``,``, ``、`` or
spaces. A name matches a unit by id, by its full Chinese or English name, or by either part of a name written
with a bracket (``人事处(人才工作办公室)`` answers to 人事处 and to 人才工作办公室) or joined with ``、``; full-width
and half-width forms are the same. A name that matches no unit, or several, is an input error.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from models import Scenario, Unit

_SPLIT = re.compile(r"[;,、，；\s]+")
_BRACKET = re.compile(r"^(.*?)[(（](.*?)[)）]\s*$")


@dataclass(frozen=True)
class Responsibility:
    """Lead (牵头单位) and supporting units (配合单位) of each indicator."""

    lead: dict[str, str] = field(default_factory=dict)
    support: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def role(self, unit: str, indicator: str) -> str:
        """lead, support, or '' for a unit not named on the indicator."""
        if self.lead.get(indicator) == unit:
            return "lead"
        return "support" if unit in self.support.get(indicator, ()) else ""

    def led_by(self, unit: str) -> tuple[str, ...]:
        """Indicators the unit leads, sorted."""
        return tuple(sorted(k for k, u in self.lead.items() if u == unit))

    def supported_by(self, unit: str) -> tuple[str, ...]:
        """Indicators the unit supports (named, but not first), sorted."""
        return tuple(sorted(k for k, us in self.support.items() if unit in us))


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _aliases(key: str, unit: Unit) -> tuple[set[str], set[str]]:
    """(exact names, derived names) a unit answers to."""
    exact = {_norm(key), _norm(unit.name_zh)} | ({_norm(unit.name_en)} if unit.name_en else set())
    derived: set[str] = set()
    for name in (unit.name_zh, unit.name_en):
        text = unicodedata.normalize("NFKC", name or "")
        m = _BRACKET.match(text)
        parts = [m.group(1), m.group(2)] if m else [text]
        for part in parts:
            derived |= {_norm(p) for p in re.split(r"[、,，]", part) if p.strip()}
    return exact, derived - exact


def name_index(sc: Scenario) -> dict[str, tuple[str, ...]]:
    """Normalized name -> the unit ids it can mean (exact names first; a derived name only where no exact one exists)."""
    exact: dict[str, set[str]] = defaultdict(set)
    derived: dict[str, set[str]] = defaultdict(set)
    for key, unit in sc.units.items():
        e, d = _aliases(key, unit)
        for name in e:
            exact[name].add(key)
        for name in d:
            derived[name].add(key)
    out = {name: tuple(sorted(ids)) for name, ids in derived.items()}
    out.update({name: tuple(sorted(ids)) for name, ids in exact.items()})
    return out


def names_of(cell: tuple[str, ...] | str) -> list[str]:
    """The names written in a departments cell, in order."""
    tokens = [cell] if isinstance(cell, str) else list(cell)
    return [t for token in tokens for t in _SPLIT.split(unicodedata.normalize("NFKC", token)) if t]


def resolve(sc: Scenario) -> tuple[Responsibility, dict[str, list[str]]]:
    """The responsibility of every indicator, and per indicator the names that matched no unit or several."""
    index = name_index(sc)
    lead: dict[str, str] = {}
    support: dict[str, tuple[str, ...]] = {}
    problems: dict[str, list[str]] = {}
    for key, ind in sc.indicators.items():
        ids: list[str] = []
        for name in names_of(ind.departments):
            hits = index.get(_norm(name), ())
            if len(hits) != 1:
                what = "matches no unit id or name" if not hits else f"could be any of {', '.join(hits)}"
                problems.setdefault(key, []).append(f"'{name}' {what}")
            elif hits[0] not in ids:
                ids.append(hits[0])
        if ids:
            lead[key] = ids[0]
            support[key] = tuple(ids[1:])
    return Responsibility(lead, support), problems


def responsibility(sc: Scenario) -> Responsibility:
    """Lead and supporting units of every indicator (names that match no unit are reported by the scenario checks)."""
    return resolve(sc)[0]
