"""Which rows link the groups, and who owns each shared column: read from the built blocks, not assumed.

A row that has terms of two or more blocks (a shared fund's limit, the increment earmark, a capacity
over all units, a province-wide indicator's value) links them: the master prices it. A shared column
(an indicator's value, progress, shortfall) whose rows reach one block only belongs to that block: a
university's own indicator is solved inside its block. Shared columns whose rows reach several blocks
(a province-wide indicator) stay in the master, with the rows that hold only them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from models import Scenario

from ..errors import DataError, InfeasibleError
from .block import BlockReport, BlockSetup, ColumnInfo, RowInfo


@dataclass(frozen=True)
class Structure:
    """The master's rows and columns and, per block, what it keeps, owns and prices."""

    linking: tuple[str, ...]
    link_lower: np.ndarray
    link_upper: np.ndarray
    link_y: dict[str, tuple[tuple[str, float], ...]]
    master_rows: tuple[str, ...]
    master_lower: np.ndarray
    master_upper: np.ndarray
    master_y: dict[str, tuple[tuple[str, float], ...]]
    columns: dict[str, ColumnInfo]
    setups: tuple[BlockSetup, ...]


def groups_of(scenario: Scenario, column: str) -> dict[str, tuple[str, ...]]:
    """Units by their value in one column of the units table (e.g. ``university``), groups and units sorted."""
    from ..tables import TABLE_BY_NAME

    columns = TABLE_BY_NAME["units"].columns
    if column not in columns:
        raise DataError(f"--decompose {column}: not a column of the units table (units.csv); its columns are {', '.join(columns)}")
    out: dict[str, list[str]] = {}
    for key in sorted(scenario.units):
        value = key if column == "key" else getattr(scenario.units[key], column)
        out.setdefault(str(value), []).append(key)
    others = set(scenario.indicators) | set(scenario.initiatives) | set(scenario.sources) | {"school_stock", "school_increment"}
    clash = sorted(set(scenario.units) & others)
    if clash:
        raise DataError(
            f"--decompose: unit id(s) {', '.join(clash)} are also indicator, initiative or source ids; "
            "a decomposition tells a unit's rows by the ids in their names, so rename them"
        )
    return {g: tuple(units) for g, units in sorted(out.items())}


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, a: str) -> str:
        self.parent.setdefault(a, a)
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def join(self, names: list[str]) -> None:
        roots = [self.find(n) for n in names]
        for r in roots[1:]:
            self.parent[r] = roots[0]


def _collect(reports: list[BlockReport]):
    """Every reported row (first report wins), the blocks with terms in each, and the shared columns."""
    rows: dict[str, RowInfo] = {}
    anchors: dict[str, set[int]] = {}
    nonneg: dict[str, bool] = {}
    columns: dict[str, ColumnInfo] = {}
    for b, rep in enumerate(reports):
        for k, v in rep.columns.items():
            columns.setdefault(k, v)
        for name, info in rep.rows.items():
            rows.setdefault(name, info)
            if info.private:
                anchors.setdefault(name, set()).add(b)
                nonneg[name] = nonneg.get(name, True) and info.nonneg
    return rows, anchors, nonneg, columns


def _owners(rows: dict[str, RowInfo], anchors: dict[str, set[int]], columns: dict[str, ColumnInfo]) -> dict[str, int | None]:
    """The block that owns each shared column (the only block its rows reach), or None for the master."""
    union = _Union()
    for info in rows.values():
        if info.shared:
            union.join([c for c, _ in info.shared])
    reach: dict[str, set[int]] = {}
    for name, info in rows.items():
        if info.shared:
            reach.setdefault(union.find(info.shared[0][0]), set()).update(anchors.get(name, ()))
    out: dict[str, int | None] = {}
    for c in columns:
        blocks = reach.get(union.find(c), set())
        out[c] = next(iter(blocks)) if len(blocks) == 1 else None
    return out


def _place(name: str, info: RowInfo, where: set[int], owner: dict[str, int | None]) -> tuple[str, int | None]:
    """Where a row goes: ("block", b), ("linking", None), ("master", None) or ("empty", None)."""
    owners = {owner.get(c) for c, _ in info.shared}
    if info.shared and None not in owners:
        return "block", next(iter(owners))
    if info.shared:
        return ("linking", None) if where else ("master", None)
    if len(where) >= 2:
        return "linking", None
    if where:
        return "block", next(iter(where))
    if not info.lower - 1e-9 <= 0.0 <= info.upper + 1e-9:
        raise InfeasibleError(f"row {name} has no terms and cannot hold (0 is outside [{info.lower:g}, {info.upper:g}])")
    return "empty", None


def classify(job: str, groups: list[tuple[str, ...]], reports: list[BlockReport]) -> Structure:
    """Split rows into block rows, linking rows and master rows; give each shared column an owner."""
    rows, anchors, nonneg, columns = _collect(reports)
    owner = _owners(rows, anchors, columns)
    owned_rows: list[set[str]] = [set() for _ in groups]
    owned_cols: list[set[str]] = [set() for _ in groups]
    for c, b in owner.items():
        if b is not None:
            owned_cols[b].add(c)
    linking, master_rows = [], []
    for name in sorted(rows):
        kind, b = _place(name, rows[name], anchors.get(name, set()), owner)
        if kind == "block":
            owned_rows[b].add(name)  # type: ignore[index]
        elif kind == "linking":
            linking.append(name)
        elif kind == "master":
            master_rows.append(name)
    master_cols = {c: info for c, info in columns.items() if owner[c] is None}
    integer = sorted(c for c, info in master_cols.items() if info.integer)
    if integer:
        raise DataError(f"--decompose: whole-unit decisions shared by several groups ({', '.join(integer[:5])}) cannot be decomposed")
    # a row over non-negative terms with an upper bound holds for each block's part alone: kept there too
    relaxed = frozenset(n for n in linking if not rows[n].shared and math.isfinite(rows[n].upper) and nonneg.get(n, True))
    setups = tuple(
        BlockSetup(job, b, units, tuple(linking), frozenset(owned_rows[b]), frozenset(owned_cols[b]), relaxed)
        for b, units in enumerate(groups)
    )

    def terms(names: list[str]) -> dict[str, tuple[tuple[str, float], ...]]:
        return {n: tuple((c, v) for c, v in rows[n].shared if c in master_cols) for n in names}

    return Structure(
        tuple(linking),
        np.array([rows[n].lower for n in linking]),
        np.array([rows[n].upper for n in linking]),
        terms(linking),
        tuple(master_rows),
        np.array([rows[n].lower for n in master_rows]),
        np.array([rows[n].upper for n in master_rows]),
        terms(master_rows),
        master_cols,
        setups,
    )
