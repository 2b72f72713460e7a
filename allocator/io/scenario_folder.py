"""Read a scenario folder: scenario.yaml (name, years, policy, named what-ifs, inline sections) and one CSV per table.

Table files must lie inside the scenario folder (``tables:`` cannot point at ``/etc/passwd`` or
``../secret.csv``) unless the environment variable ``ALLOCATOR_TABLE_ROOT`` names a folder that may hold them
too; a file outside is refused unread. A table that cannot be read at all is reported once: the rows of
other tables that refer to its records are counted in one line instead of each failing on its own.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..tables import SCALAR_FIELDS, TABLES, Provenance, TableSpec, Where, flatten, place_rows
from .scenario_types import INLINE_SECTIONS, YAML_KEYS, RawScenario
from .text import is_note_column, read_csv, read_text
from .yaml_safe import load_yaml

logger = logging.getLogger(__name__)

TABLE_ROOT_ENV = "ALLOCATOR_TABLE_ROOT"
"""Environment variable naming one more folder that scenario.yaml's ``tables:`` entries may point into."""


def header_problems(label: str, header: list[str], spec: TableSpec) -> tuple[list[str], bool]:
    """Problems of a table's header, and whether the table can still be read (all required columns present).

    Columns named like notes (``_x``, note, 备注, 说明) are ignored when the table has no such column.
    """
    problems = []
    unknown = [h for h in header if h and h not in spec.columns and not is_note_column(h)]
    if unknown:
        problems.append(
            f"{label} row 1: unknown column(s) {', '.join(unknown)} (expected: {', '.join(spec.columns)}; "
            "a column of remarks may be called note, 备注 or start with _)"
        )
    missing = [c for c in spec.required if c not in header]
    if missing:
        near = [h for h in unknown if any(_similar(h, m) for m in missing)]
        hint = f" (is {', '.join(near)} a misspelling?)" if near else ""
        problems.append(f"{label} row 1: missing required column(s) {', '.join(missing)}{hint}")
    return problems, not missing


def _similar(a: str, b: str) -> bool:
    """Two column names alike: equal ignoring case and separators, the same letters swapped, or mostly the same."""
    import difflib

    norm = lambda s: s.lower().replace("-", "_").replace(" ", "_")  # noqa: E731
    x, y = norm(a), norm(b)
    return x == y or sorted(x) == sorted(y) or difflib.SequenceMatcher(None, x, y).ratio() >= 0.75


def read_csv_rows(path: Path, spec: TableSpec) -> tuple[list[tuple[int, dict[str, str]]], list[str], bool]:
    """(line, {column: cell}) of one table CSV without blank cells; its problems; whether it could be read."""
    try:
        table = read_csv(path)
    except DataError as exc:
        return [], [str(exc)], False
    if not table.header:
        return [], [f"{path.name}: empty file (expected a header row: {', '.join(spec.columns)})"], False
    problems, readable = header_problems(path.name, table.header, spec)
    if not readable:
        return [], problems, False
    return table.records(frozenset(spec.columns)), problems, True


def _csv_where(name: str, lines: list[int]):
    """Names row ``n`` of the kept rows by its line in the file."""

    def where(n: int, column: str | None) -> Where:
        return Where(name, lines[n], column)

    return where


def _yaml_doc(path: Path) -> dict[str, Any]:
    doc = load_yaml(read_text(path), path.name) or {}
    if not isinstance(doc, dict):
        raise DataError(f"{path}: expected a mapping of scenario fields at the top level")
    unknown = sorted(set(doc) - YAML_KEYS, key=str)
    if unknown:
        raise DataError(f"{path}: unknown top-level key(s) {', '.join(map(str, unknown))} (expected: {', '.join(sorted(YAML_KEYS))})")
    return doc


def _allowed_roots(folder: Path) -> list[Path]:
    roots = [Path(os.path.realpath(folder))]
    extra = os.environ.get(TABLE_ROOT_ENV)
    if extra:
        roots.append(Path(os.path.realpath(extra)))
    return roots


def _table_files(doc: dict[str, Any], path: Path) -> dict[str, Path]:
    """Which CSV file holds each table: ``tables:`` entries, else ``<table>.csv`` beside scenario.yaml (inside the folder)."""
    tables = doc.get("tables") or {}
    if not isinstance(tables, dict):
        raise DataError(f"{path}: 'tables' must map table names to CSV files")
    bad = sorted(set(tables) - {t.name for t in TABLES})
    if bad:
        raise DataError(f"{path}: unknown table(s) {', '.join(bad)} under 'tables' (expected: {', '.join(t.name for t in TABLES)})")
    roots = _allowed_roots(path.parent)
    files = {}
    for spec in TABLES:
        given = tables.get(spec.name, f"{spec.name}.csv")
        if not isinstance(given, str) or not given.strip():
            raise DataError(f"{path.name}: tables.{spec.name} must be a CSV file name")
        file = path.parent / given
        real = Path(os.path.realpath(file))
        if not any(real == r or r in real.parents for r in roots):
            raise DataError(
                f"{path.name}: table {spec.name} is {given}, outside the scenario folder; "
                f"move the file into {path.parent} (or set {TABLE_ROOT_ENV} to a folder that may hold tables)"
            )
        files[spec.name] = file
    return files


def read_yaml_scenario(path: Path) -> RawScenario:
    """scenario.yaml with inline sections and/or one CSV per table beside it."""
    doc = _yaml_doc(path)
    prov = Provenance()
    data: dict[str, Any] = {k: doc[k] for k in (*SCALAR_FIELDS, *INLINE_SECTIONS) if k in doc}
    for dotted in flatten(data):
        prov.record(tuple(dotted.split(".")), Where(path.name, None, dotted))
    for key in SCALAR_FIELDS:
        prov.record((key,), Where(path.name, None, key))
    named = set(doc.get("tables") or {})
    files = _table_files(doc, path)
    problems: list[str] = []
    unreadable: set[str] = set()
    for spec in TABLES:
        file = files[spec.name]
        if not file.is_file():
            if spec.name in named or os.path.lexists(file):
                problems.append(f"{path.name}: table {spec.name} refers to {file.name}, which is not a file in {file.parent}")
        elif spec.name in doc:
            problems.append(f"{file.name}: table {spec.name} is given both inline in {path.name} and as a CSV; keep one")
        else:
            prov.record((spec.name,), Where(file.name))
            numbered, found, readable = read_csv_rows(file, spec)
            if not readable:
                unreadable.add(spec.name)
            rows = [row for _, row in numbered]
            where = _csv_where(file.name, [n for n, _ in numbered])
            problems += found + place_rows(spec, rows, data, prov, where, unreadable=unreadable)
    return RawScenario(data, prov, str(path), doc.get("overrides") or {}, doc.get("scenarios") or {}, problems)
