"""The tabular form of a scenario: which tables exist, their columns, and how rows map into the nested scenario.

Pure functions between rows (lists of dicts of cell strings) and the scenario's nested dict form; the same
specs drive the CSV folder, the Excel workbook and the input template, so the three cannot drift apart.
Every value placed into the nested dict records where it came from (file, row, column) so a validation
error can name the cell.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from models import Scenario

from .table_specs import LIST_TABLES, SCALAR_FIELDS, TABLE_BY_NAME, TABLES, Loc, TableSpec  # noqa: F401 (read through this module)


@dataclass(frozen=True)
class Where:
    """Where a value came from: a file (and sheet), a spreadsheet row number and a column, or an override."""

    file: str
    row: int | None = None
    column: str | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        place = self.file if self.sheet is None else f"{self.file} sheet {self.sheet}"
        if self.row is not None:
            place += f" row {self.row}"
        if self.column is not None:
            place += f", column {self.column}"
        return place


@dataclass
class Provenance:
    """Map from a location in the nested scenario to where its value was read."""

    places: dict[Loc, Where] = field(default_factory=dict)

    def record(self, loc: tuple[Any, ...], where: Where) -> None:
        """Remember where the value at ``loc`` came from."""
        self.places[tuple(str(p) for p in loc)] = where

    def find(self, loc: tuple[Any, ...]) -> Where | None:
        """The most specific recorded place for a location (longest recorded prefix)."""
        key = tuple(str(p) for p in loc)
        for n in range(len(key), 0, -1):
            hit = self.places.get(key[:n])
            if hit is not None:
                return hit
        return None


# ---------------------------------------------------------------------------------------------
# rows -> nested dict
# ---------------------------------------------------------------------------------------------


def _deep_set(data: dict, loc: Loc, values: dict[str, Any]) -> dict:
    node = data
    for part in loc:
        node = node.setdefault(part, {})
    return node


def _year_problem(value: Any) -> str | None:
    """Why a year cell is not a year (None when it is one), so the year column, not a money column, is blamed."""
    text = str(value).strip()
    folded = unicodedata.normalize("NFKC", text)
    if folded != text:  # Python reads full-width digits as numbers; the tables would then key the year by them
        return f"year '{text}' is not written in plain digits: type it as {folded} (half-width, not full-width)"
    try:
        number = float(text)
    except ValueError:
        return f"year '{text}' is not a number (write the year as 2023)"
    if not number.is_integer():
        return f"year '{text}' is not a whole number"
    return None


def _place(spec: TableSpec, row: dict[str, Any], data: dict, prov: Provenance, where: Callable[[str | None], Where]) -> None:
    """Put one checked row into the nested dict, recording where each value came from."""
    loc, fields = spec.place(row)
    if spec.name in LIST_TABLES or spec.listed:
        node = _deep_set(data, loc[:-1], {})
        segs = node.setdefault(loc[-1], [])
        if not segs:  # errors about the list as a whole name its own table (segments.csv), not its parent's
            prov.record(loc, where(None))
        prov.record((*loc, len(segs)), where(None))
        for col in fields:
            prov.record((*loc, len(segs), col), where(col))
        segs.append(dict(fields))
        return
    node = _deep_set(data, loc, fields)
    prov.record(loc, where(None))
    for col, value in fields.items():
        if isinstance(value, dict):
            sub = node.setdefault(col, {})
            for k, v in value.items():
                if v == "":
                    continue
                sub[k] = v
                prov.record((*loc, col, k), where(col))
        else:
            node[col] = value
            prov.record((*loc, col), where(col if col in row else None))
    if spec.name in ("milestones", "base_allocations", "source_amounts"):
        for k in fields:
            prov.record((*loc, k), where(spec.columns[-1]))


def _row_problem(
    spec: TableSpec, row: dict[str, Any], n: int, where: Callable[[int, str | None], Where], seen: dict[tuple[str, ...], int]
) -> str | None:
    """What is wrong with one row on its own (a required cell missing, a bad year, a duplicate id), or None."""
    missing = [c for c in spec.required if c not in row]
    if missing:
        return f"{where(n, missing[0])}: required value missing (table {spec.name} needs {', '.join(missing)})"
    if "year" in row and (why := _year_problem(row["year"])):
        return f"{where(n, 'year')}: {why}"
    if spec.unique:
        ident = tuple(str(row[c]) for c in spec.unique)
        if ident in seen:
            return f"{where(n, spec.unique[0])}: duplicate {'/'.join(spec.unique)} {'/'.join(ident)} (first on row {seen[ident]})"
        seen[ident] = where(n, None).row or n
    return None


def place_rows(
    spec: TableSpec,
    rows: list[dict[str, str]],
    data: dict,
    prov: Provenance,
    where: Callable[[int, str | None], Where],
    *,
    unreadable: set[str] | frozenset[str] = frozenset(),
) -> list[str]:
    """Put a table's rows into the nested dict; returns problems found on the way (unknown columns, duplicates).

    ``rows`` hold cell strings with blank cells already removed; ``where(n, column)`` names row ``n``'s cell.
    Rows that refer to a table in ``unreadable`` (one whose error is reported already) are not checked; one
    line counts them instead of one error each.
    """
    problems: list[str] = []
    seen: dict[tuple[str, ...], int] = {}
    skipped: dict[str, int] = {}
    for n, row in enumerate(rows):
        problem = _row_problem(spec, row, n, where, seen)
        if problem:
            problems.append(problem)
            continue
        blocked = [sec for sec, _ in spec.parents if sec in unreadable]
        if blocked:
            skipped[blocked[0]] = skipped.get(blocked[0], 0) + 1
            continue
        dangling = [(sec, col) for sec, col in spec.parents if row[col] not in data.get(sec, {})]
        if dangling:
            sec, col = dangling[0]
            problems.append(f"{where(n, col)}: unknown {sec[:-1]} '{row[col]}' (not in the {sec} table)")
            continue
        _place(spec, row, data, prov, lambda column, n=n: where(n, column))
    for sec, count in skipped.items():
        problems.append(f"{where(0, None).file}: {count} row(s) refer to {sec}, whose table could not be read (see above); not checked")
    return problems


# ---------------------------------------------------------------------------------------------
# Scenario -> rows (for writing folders, workbooks and templates)
# ---------------------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (tuple, list)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def scenario_rows(sc: Scenario) -> dict[str, list[dict[str, Any]]]:
    """Every table of a scenario as rows of plain values, ids sorted as written."""
    data = sc.model_dump(mode="python")
    out: dict[str, list[dict[str, Any]]] = {t.name: [] for t in TABLES}
    for key, ind in data["indicators"].items():
        out["indicators"].append({"key": key, **{c: _cell(ind[c]) for c in TABLE_BY_NAME["indicators"].columns[1:]}})
        for year, value in sorted(ind["milestones"].items()):
            out["milestones"].append({"indicator": key, "year": year, "value": value})
    for key, unit in data["units"].items():
        out["units"].append({"key": key, **{c: _cell(unit[c]) for c in TABLE_BY_NAME["units"].columns[1:]}})
        for ini, amount in unit["base"].items():
            out["base_allocations"].append({"unit": key, "initiative": ini, "amount": amount})
    for key, ini in data["initiatives"].items():
        out["initiatives"].append({"key": key, **{c: _cell(ini[c]) for c in TABLE_BY_NAME["initiatives"].columns[1:]}})
        for seg in ini["segments"]:
            out["segments"].append({"initiative": key, "width": _cell(seg["width"]), "efficiency": seg["efficiency"]})
        for ind, eff in ini["effects"].items():
            out["effects"].append({"initiative": key, "indicator": ind, "yield_per_unit": eff["yield_per_unit"], "note": eff["note"]})
    for year in sorted(data["budget"]["stock"]):
        out["budget"].append({"year": year, "stock": data["budget"]["stock"][year], "increment": data["budget"]["increment"][year]})
    for key, src in data["sources"].items():
        out["sources"].append({"key": key, **{c: _cell(src[c]) for c in TABLE_BY_NAME["sources"].columns[1:]}})
        for year, amount in sorted(src["amount"].items()):
            out["source_amounts"].append({"source": key, "year": year, "amount": amount})
    out["goals"], out["goal_terms"] = _goal_rows(data["goals"])
    out.update(_listed_rows(data))
    return out


def _goal_rows(goals: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of the goals and goal_terms tables."""
    rows, terms = [], []
    for key, goal in goals.items():
        rows.append({"key": key, **{c: _cell(goal[c]) for c in TABLE_BY_NAME["goals"].columns[1:]}})
        for term in goal["terms"]:
            terms.append({"goal": key, **{c: _cell(term[c]) for c in TABLE_BY_NAME["goal_terms"].columns[1:]}})
    return rows, terms


def _listed_rows(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The tables whose rows are records of a list (lines, commitments, locks, execution), in order."""
    return {spec.name: [{c: _cell(r[c]) for c in spec.columns} for r in data[spec.name]] for spec in TABLES if spec.listed}


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dict -> {"a.b.c": value} (lists and scalars are leaves)."""
    if not isinstance(data, dict) or not data:
        return {prefix: data} if prefix else {}
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        out.update(flatten(value, path))
    return out


def unflatten(flat: dict[str, Any]) -> dict[str, Any]:
    """{"a.b.c": value} -> nested dict."""
    out: dict[str, Any] = {}
    for path, value in flat.items():
        node = out
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out
