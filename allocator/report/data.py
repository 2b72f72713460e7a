"""Read a run folder into plain Python: its manifest, its resolved scenario and its CSV tables.

The report shows numbers exactly as the run wrote them, so this module only reads and checks; the one
kind of arithmetic the report does (adding money rows into totals) lives in :func:`group_sum`, which
adds whole hundredths of 万元 (money is published to 0.01), so the totals shown are exactly the sums of
the rows shown. Allocation tables of runs written before money was published are rounded on reading by
the plan's own rule (``frames.publish_allocation``).
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import RunFolderError
from ..frames import publish_allocation
from ..io.run_reader import MANIFEST, RESOLVED, read_manifest
from ..io.run_reader import read_table as read_run_table
from ..rounding import from_quanta, to_quanta

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TableSpec:
    """A CSV table a report kind reads: whether the run must have it and the columns the report relies on."""

    name: str
    columns: tuple[str, ...]
    required: bool = True


KIND_TABLES: Mapping[str, tuple[TableSpec, ...]] = {
    "plan": (
        TableSpec("allocation", ("unit", "initiative", "year", "pool", "amount")),
        TableSpec("indicators", ("indicator", "year", "value", "target", "target_year", "met", "missing")),
        TableSpec("budget", ("year", "pool", "available", "allocated")),
        TableSpec("marginals", ("constraint", "value_stage1", "value_stage2", "words"), required=False),
        TableSpec("unit_indicators", ("unit", "indicator", "year", "output", "value"), required=False),
        TableSpec("goals", ("goal", "priority", "sense", "target", "achieved", "under", "over"), required=False),
    ),
    "score": (
        TableSpec("scores", ("unit", "year", "track", "rank", "points", "rating", "grade", "execution_rate", "spending", "award")),
        TableSpec("parts", ("unit", "year", "track", "part", "max_points", "score", "points", "explanation"), required=False),
        TableSpec("unit_costs", ("unit", "indicator", "year", "spending", "output", "unit_cost", "standard", "ratio"), required=False),
        TableSpec("execution", ("unit", "initiative", "year", "planned", "spending", "execution_rate"), required=False),
        TableSpec("dea", ("unit", "year", "efficiency", "peers", "explanation"), required=False),
        TableSpec("awards", ("unit", "year", "points", "merit", "award", "award_fen")),
        TableSpec("next_floors", ("unit", "grade", "floor_share", "stock_basis", "floor_amount", "may_reclaim"), required=False),
        TableSpec("malmquist", ("unit", "from_year", "to_year", "malmquist", "efficiency_change", "technical_change"), required=False),
    ),
    "sweep": (
        TableSpec("frontier", ("level", "status", "stage1_shortfall", "stage2_progress", "targets_met")),
        TableSpec("allocation", ("level", "initiative", "amount"), required=False),
    ),
    "clear": (
        TableSpec("clear", ("indicator", "year", "requirement", "value", "met", "extra_total")),
        TableSpec("extra", ("year", "pool", "extra")),
        TableSpec("curve", ("k", "status", "extra_total", "cleared"), required=False),
        TableSpec("allocation", ("unit", "initiative", "year", "pool", "amount"), required=False),
        TableSpec("indicators", ("indicator", "year", "value", "target", "target_year", "met", "missing"), required=False),
    ),
    "compare": (TableSpec("compare", ("section", "key", "a", "b", "delta", "met_a", "met_b", "status_changed")),),
    "risk": (TableSpec("risk", ("indicator", "target", "target_year", "plan_value", "probability", "p05", "p50", "p95")),),
}

KINDS = tuple(KIND_TABLES)


@dataclass(frozen=True)
class Run:
    """One run folder, read: what the report needs and nothing it would have to recompute.

    Attributes:
        path: the folder.
        kind: ``manifest["kind"]`` (plan, score, sweep, compare, clear or risk).
        manifest: the parsed manifest.
        scenario: the resolved scenario as plain JSON, or None when the run has none (compare runs).
        tables: each CSV table that exists, by name (``allocation`` for ``allocation.csv``).
        related: resolved scenarios of runs this one refers to (a comparison's two plans), for names only.
    """

    path: Path
    kind: str
    manifest: dict[str, Any]
    scenario: dict[str, Any] | None
    tables: dict[str, pd.DataFrame]
    related: tuple[dict[str, Any], ...] = field(default=())

    def has(self, name: str) -> bool:
        """Whether the run has a non-empty table ``name``."""
        return name in self.tables and not self.tables[name].empty

    def table(self, name: str) -> pd.DataFrame:
        """The table ``name``; an empty frame for an optional table the run does not have."""
        return self.tables.get(name, pd.DataFrame())

    @property
    def language(self) -> str | None:
        """The scenario's language (``zh``/``en``), falling back to that of a related run."""
        for sc in (self.scenario, *self.related):
            if sc and sc.get("language"):
                return str(sc["language"])
        return None


def load_run(run_dir: str | Path) -> Run:
    """Read a run folder and check it has every table and column its kind's report needs.

    Raises:
        RunFolderError: if the folder is missing, is not a run folder, has an unknown kind, or lacks a
            required file or column.
    """
    path = Path(run_dir)
    if not path.is_dir():
        raise RunFolderError(f"{path}: no such run folder")
    manifest = read_manifest(path)
    kind = manifest.get("kind")
    if kind not in KIND_TABLES:
        raise RunFolderError(f"{path / MANIFEST}: unknown run kind {kind!r}; a report can be made for {', '.join(KINDS)}")
    scenario = None
    if (path / RESOLVED).exists():
        scenario = _read_json(path / RESOLVED, what="resolved scenario")
    elif kind != "compare":
        raise RunFolderError(f"{path}: run folder has no {RESOLVED}")
    tables = {}
    for spec in KIND_TABLES[kind]:
        table = read_table(path, spec)
        if table is not None:
            tables[spec.name] = publish_allocation(table) if spec.name == "allocation" else table
    related = _related_scenarios(path, manifest) if kind == "compare" else ()
    logger.debug("read %s run %s: tables %s", kind, path, sorted(tables))
    return Run(path, kind, manifest, scenario, tables, related)


def read_table(folder: Path, spec: TableSpec) -> pd.DataFrame | None:
    """Read ``<name>.csv`` checked against the run's manifest, ids as strings; None for a missing optional table.

    Raises:
        RunFolderError: if a required table or any relied-on column is missing, or the folder is damaged.
    """
    return read_run_table(folder, spec.name, spec.columns, optional=not spec.required)


def _read_json(p: Path, *, what: str) -> dict[str, Any]:
    """A JSON object from ``p``; a damaged file is a RunFolderError naming it."""
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RunFolderError(f"{p}: damaged {what} ({exc})") from None
    if not isinstance(data, dict):
        raise RunFolderError(f"{p}: damaged {what} (not a JSON object)")
    return data


def _related_scenarios(path: Path, manifest: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
    """Resolved scenarios of a comparison's two runs, where they can still be found (names and language only)."""
    found = []
    for key in ("run_a", "run_b"):
        ref = manifest.get(key)
        if not ref:
            continue
        for candidate in (Path(ref), path.parent / ref, path / ref):
            resolved = candidate / RESOLVED
            if resolved.is_file():
                try:
                    found.append(_read_json(resolved, what="resolved scenario"))
                except RunFolderError as exc:
                    logger.warning("ignoring %s", exc)
                break
    return tuple(found)


# --- plain values -------------------------------------------------------------------------------------


def clean(value: Any) -> Any:
    """A cell as plain Python: None for blank/NaN, int/float/bool/str otherwise (numpy scalars unwrapped)."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def as_float(value: Any) -> float | None:
    """A numeric cell as float, or None when blank or not a number."""
    value = clean(value)
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def as_bool(value: Any) -> bool | None:
    """A True/False cell (as written by pandas) as bool, or None when blank."""
    value = clean(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "1.0"):
        return True
    if text in ("false", "0", "0.0"):
        return False
    return None


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a frame as plain dicts (blank cells as None)."""
    return [{k: clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


def group_sum(rows: Iterable[Mapping[str, Any]], by: tuple[str, ...], value: str) -> dict[tuple[Any, ...], float]:
    """Sums of the money column ``value`` per distinct ``by`` tuple, in first-seen order, added in whole hundredths.

    Each cell counts as its published 0.01 万元 (``rounding.to_quanta``) and the integers are added, so
    the total is exactly the sum of the rows as shown, whatever the order, and a spreadsheet or a test
    adding the same CSV cells as decimals gets the same number.
    """
    parts: dict[tuple[Any, ...], int] = {}
    for row in rows:
        amount = as_float(row.get(value))
        if amount is None:
            continue
        key = tuple(clean(row.get(c)) for c in by)
        parts[key] = parts.get(key, 0) + to_quanta(amount)
    return {k: from_quanta(v) for k, v in parts.items()}


def sorted_years(values: Iterable[Any]) -> list[int]:
    """Distinct years as sorted ints."""
    return sorted({int(v) for v in values if as_float(v) is not None})


# --- names --------------------------------------------------------------------------------------------


class Names:
    """Display names of units, initiatives and indicators in the report's language.

    Looks first in the run's resolved scenario (then those of related runs), in the report's language,
    then the other language, then a name column of the CSV row, then the id itself, so a label is never
    blank.
    """

    def __init__(self, scenarios: Iterable[dict[str, Any] | None], lang: str):
        self._scenarios = [s for s in scenarios if s]
        self._order = ("name_zh", "name_en") if lang == "zh" else ("name_en", "name_zh")
        self.lang = lang

    def _lookup(self, section: str, key: str) -> str | None:
        for sc in self._scenarios:
            entry = (sc.get(section) or {}).get(key)
            if isinstance(entry, Mapping):
                for field_name in self._order:
                    name = entry.get(field_name)
                    if name:
                        return str(name)
        return None

    def _name(self, section: str, key: Any, fallback: Any) -> str:
        """A name by id; a blank id (a fund row of marginals.csv has no unit) has a blank name, never 'None'."""
        text = _text(key)
        if text is None:
            return _text(fallback) or ""
        return self._lookup(section, text) or _text(fallback) or text

    def unit(self, key: Any, fallback: Any = None) -> str:
        """Name of unit ``key``."""
        return self._name("units", key, fallback)

    def initiative(self, key: Any, fallback: Any = None) -> str:
        """Name of initiative ``key``."""
        return self._name("initiatives", key, fallback)

    def indicator(self, key: Any, fallback: Any = None) -> str:
        """Name of indicator ``key``."""
        return self._name("indicators", key, fallback)

    def indicator_field(self, key: Any, field_name: str) -> Any:
        """One field of an indicator's definition (e.g. ``clear_by``), or None when unknown."""
        for sc in self._scenarios:
            entry = (sc.get("indicators") or {}).get(str(key))
            if isinstance(entry, Mapping) and field_name in entry:
                return entry[field_name]
        return None

    def title(self) -> str:
        """The scenario's title in the report's language, else its name."""
        for sc in self._scenarios:
            for field_name in (f"title_{self.lang}", "title_zh", "title_en", "name"):
                if sc.get(field_name):
                    return str(sc[field_name])
        return ""


def _text(value: Any) -> str | None:
    value = clean(value)
    return str(value) if value not in (None, "") else None
