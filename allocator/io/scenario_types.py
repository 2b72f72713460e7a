"""What every scenario reader returns: the nested form as read, where each value came from, named what-ifs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..tables import SCALAR_FIELDS, Provenance

SCENARIO_FILE = "scenario.yaml"
META_SHEETS = ("scenario", "policy", "overrides", "scenarios")
INFO_SHEETS = ("README", "说明")
INLINE_SECTIONS = (
    "policy",
    "indicators",
    "units",
    "initiatives",
    "budget",
    "sources",
    "goals",
    "lines",
    "commitments",
    "locks",
    "execution",
)
"""Sections scenario.yaml may give inline (small scenarios in one file); the same as the nested scenario."""
YAML_KEYS = set(SCALAR_FIELDS) | set(INLINE_SECTIONS) | {"tables", "overrides", "scenarios"}


@dataclass
class RawScenario:
    """A scenario's nested form as read, with where each value came from and its named overrides."""

    data: dict[str, Any]
    provenance: Provenance
    origin: str
    overrides: dict[str, Any] = field(default_factory=dict)
    scenarios: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
