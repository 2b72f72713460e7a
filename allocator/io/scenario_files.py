"""Read and write scenarios: a folder (scenario.yaml + one CSV per table), one .xlsx workbook, or a resolved .json.

Readers return the scenario's nested form with the provenance of every cell; validation happens in
``allocator.loading`` so that errors can name the file, row and column.
"""

from __future__ import annotations

import csv
import io as _io
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from models import Scenario

from ..errors import DataError
from ..tables import SCALAR_FIELDS, TABLES, Provenance, TableSpec, Where, flatten, place_rows, scenario_rows, unflatten
from .atomic import atomic_dir, atomic_write_bytes, ensure_new
from .outputs import SCENARIO, SCENARIO_MARK, folder_digest, mark_workbook

logger = logging.getLogger(__name__)

SCENARIO_FILE = "scenario.yaml"
META_SHEETS = ("scenario", "policy", "overrides", "scenarios")
INFO_SHEETS = ("README", "说明")
INLINE_SECTIONS = ("policy", "indicators", "units", "initiatives", "budget", "sources", "goals")
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


def read_scenario_source(path: str | Path) -> RawScenario:
    """Read a scenario folder, scenario.yaml, .xlsx workbook or resolved .json."""
    p = Path(path)
    if not p.exists():
        raise DataError(f"{p}: no such file or folder (expected a scenario folder, scenario.yaml, .xlsx or .json)")
    if p.is_dir():
        yml = p / SCENARIO_FILE
        if not yml.exists():
            raise DataError(f"{p}: folder has no {SCENARIO_FILE}")
        return read_yaml_scenario(yml)
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_yaml_scenario(p)
    if suffix in (".xlsx", ".xlsm"):
        return read_workbook(p)
    if suffix == ".json":
        return read_json(p)
    raise DataError(f"{p}: unknown scenario format '{suffix}' (expected a folder, .yaml, .xlsx or .json)")


# ---------------------------------------------------------------------------------------------
# CSV folder + YAML
# ---------------------------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise DataError(f"{path}: not UTF-8 text (save the CSV as UTF-8)") from None
        logger.warning("%s is not UTF-8; read it as GB18030 (Excel's Chinese default)", path)
        return text


def read_csv_rows(path: Path, spec: TableSpec) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """(line, {column: cell}) of one table CSV without blank cells or blank rows; problems for bad headers.

    Lines count as a spreadsheet shows them (the header is row 1); empty rows and rows of empty cells
    (which Excel and editors leave behind) are skipped but keep the numbering of the rows after them.
    """
    text = _read_text(path)
    reader = csv.reader(_io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return [], [f"{path.name}: empty file (expected a header row: {', '.join(spec.columns)})"]
    problems = []
    unknown = [h for h in header if h and h not in spec.columns]
    if unknown:
        problems.append(f"{path.name} row 1: unknown column(s) {', '.join(unknown)} (expected: {', '.join(spec.columns)})")
    dup = sorted({h for h in header if h and header.count(h) > 1})
    if dup:
        problems.append(f"{path.name} row 1: duplicate column(s) {', '.join(dup)}")
    missing = [c for c in spec.required if c not in header]
    if missing:
        problems.append(f"{path.name} row 1: missing required column(s) {', '.join(missing)}")
    if problems:
        return [], problems
    rows = []
    for cells in reader:
        row = {h: c.strip() for h, c in zip(header, cells) if h and c.strip()}
        if row:
            rows.append((reader.line_num, row))
    return rows, []


def _csv_where(name: str, lines: list[int]):
    """Names row ``n`` of the kept rows by its line in the file."""

    def where(n: int, column: str | None) -> Where:
        return Where(name, lines[n], column)

    return where


def _yaml_doc(path: Path) -> dict[str, Any]:
    try:
        doc = yaml.safe_load(_read_text(path)) or {}
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise DataError(f"{path}: expected a mapping of scenario fields at the top level")
    unknown = sorted(set(doc) - YAML_KEYS, key=str)
    if unknown:
        raise DataError(f"{path}: unknown top-level key(s) {', '.join(map(str, unknown))} (expected: {', '.join(sorted(YAML_KEYS))})")
    return doc


def _table_files(doc: dict[str, Any], path: Path) -> dict[str, Path]:
    """Which CSV file holds each table: ``tables:`` entries, else ``<table>.csv`` beside scenario.yaml."""
    tables = doc.get("tables") or {}
    if not isinstance(tables, dict):
        raise DataError(f"{path}: 'tables' must map table names to CSV files")
    bad = sorted(set(tables) - {t.name for t in TABLES})
    if bad:
        raise DataError(f"{path}: unknown table(s) {', '.join(bad)} under 'tables' (expected: {', '.join(t.name for t in TABLES)})")
    return {spec.name: path.parent / str(tables.get(spec.name, f"{spec.name}.csv")) for spec in TABLES}


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
    for spec in TABLES:
        file = files[spec.name]
        if not file.exists():
            if spec.name in named:
                problems.append(f"{path.name}: table {spec.name} refers to missing file {file.name}")
        elif spec.name in doc:
            problems.append(f"{file.name}: table {spec.name} is given both inline in {path.name} and as a CSV; keep one")
        else:
            numbered, header_problems = read_csv_rows(file, spec)
            rows = [row for _, row in numbered]
            problems += header_problems + place_rows(spec, rows, data, prov, _csv_where(file.name, [n for n, _ in numbered]))
    return RawScenario(data, prov, str(path), doc.get("overrides") or {}, doc.get("scenarios") or {}, problems)


def read_json(path: Path) -> RawScenario:
    """A resolved scenario written by a run (scenario.resolved.json)."""
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise DataError(f"{path}: expected a JSON object")
    prov = Provenance()
    for dotted in flatten(data):
        prov.record(tuple(dotted.split(".")), Where(path.name, None, dotted))
    return RawScenario(data, prov, str(path))


# ---------------------------------------------------------------------------------------------
# Excel workbook
# ---------------------------------------------------------------------------------------------


def _sheet_rows(ws) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    rows = ws.iter_rows(values_only=True)
    try:
        header = [("" if h is None else str(h).strip()) for h in next(rows)]
    except StopIteration:
        return [], []
    body = []
    for n, cells in enumerate(rows, start=2):
        if cells is None or all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        body.append((n, list(cells)))
    return header, body


def _cell_value(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _key_values(ws) -> list[tuple[int, str, Any]]:
    """(row, key, value) of a key/value sheet; blank keys and values skipped, JSON lists/dicts parsed."""
    out = []
    for n, cells in _sheet_rows(ws)[1]:
        key = _cell_value(cells[0])
        value = _cell_value(cells[1]) if len(cells) > 1 else None
        if key in (None, "") or value in (None, ""):
            continue
        if isinstance(value, str) and value[:1] in "[{":
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                pass
        out.append((n, str(key), value))
    return out


def _read_meta_sheets(wb, name: str, data: dict[str, Any], prov: Provenance, problems: list[str]) -> None:
    """The ``scenario`` (top-level fields) and ``policy`` (dotted keys) sheets."""
    if "scenario" not in wb.sheetnames:
        problems.append(f"{name}: missing sheet 'scenario' (key/value rows: {', '.join(SCALAR_FIELDS)})")
    for meta in ("scenario", "policy"):
        if meta not in wb.sheetnames:
            continue
        if _sheet_rows(wb[meta])[0][:2] != ["key", "value"]:
            problems.append(f"{name} sheet {meta} row 1: expected columns key, value")
            continue
        flat = {}
        for n, key, value in _key_values(wb[meta]):
            flat[key] = value
            loc = tuple(key.split(".")) if meta == "scenario" else ("policy", *key.split("."))
            prov.record(loc, Where(name, n, "value", meta))
        if meta == "policy":
            data["policy"] = unflatten(flat)
            continue
        bad = sorted(set(flat) - set(SCALAR_FIELDS))
        if bad:
            problems.append(f"{name} sheet scenario: unknown key(s) {', '.join(bad)} (expected: {', '.join(SCALAR_FIELDS)})")
        data.update({k: v for k, v in flat.items() if k in SCALAR_FIELDS})


def _read_named_overrides(wb) -> tuple[dict[str, Any], dict[str, Any]]:
    """The optional ``overrides`` (override, path, value) and ``scenarios`` (scenario, item) sheets."""
    overrides: dict[str, Any] = {}
    scenarios: dict[str, Any] = {}
    if "overrides" in wb.sheetnames:
        for _, cells in _sheet_rows(wb["overrides"])[1]:
            name, p, value = (_cell_value(c) for c in (cells + [None] * 3)[:3])
            overrides.setdefault(str(name), {})[str(p)] = value
    if "scenarios" in wb.sheetnames:
        for _, cells in _sheet_rows(wb["scenarios"])[1]:
            name, item = (_cell_value(c) for c in (cells + [None] * 2)[:2])
            scenarios.setdefault(str(name), []).append(item)
    return overrides, scenarios


ID_COLUMNS = ("key", "unit", "initiative", "indicator", "source", "goal", "units", "initiatives", "years", "sources")


def _read_table_sheet(ws, spec: TableSpec, name: str, data: dict[str, Any], prov: Provenance) -> list[str]:
    """One table sheet into the nested scenario; returns the problems found."""
    header, body = _sheet_rows(ws)
    unknown_cols = [h for h in header if h and h not in spec.columns]
    missing = [c for c in spec.required if c not in header]
    problems = []
    if unknown_cols:
        problems.append(
            f"{name} sheet {spec.name} row 1: unknown column(s) {', '.join(unknown_cols)} (expected: {', '.join(spec.columns)})"
        )
    if missing:
        problems.append(f"{name} sheet {spec.name} row 1: missing required column(s) {', '.join(missing)}")
    if problems:
        return problems
    rows, numbers = [], []
    for n, cells in body:
        row = {}
        for h, c in zip(header, cells):
            v = _cell_value(c)
            if h and v not in (None, ""):
                row[h] = str(v) if h in ID_COLUMNS and isinstance(v, (int, float)) else v  # ids are text even if typed as numbers
        rows.append(row)
        numbers.append(n)
    return place_rows(spec, rows, data, prov, lambda i, col: Where(name, numbers[i], col, spec.name))


def read_workbook(path: Path) -> RawScenario:
    """One sheet per table, plus key/value sheets ``scenario`` and ``policy`` (and optional overrides)."""
    try:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a damaged or non-xlsx file
        raise DataError(f"{path}: cannot open as an Excel workbook ({exc})") from None
    known = {t.name for t in TABLES} | set(META_SHEETS) | set(INFO_SHEETS)
    unknown = [s for s in wb.sheetnames if s not in known]
    if unknown:
        raise DataError(f"{path.name}: unknown sheet(s) {', '.join(unknown)} (expected: {', '.join(sorted(known))})")
    data: dict[str, Any] = {}
    prov = Provenance()
    problems: list[str] = []
    _read_meta_sheets(wb, path.name, data, prov, problems)
    overrides, scenarios = _read_named_overrides(wb)
    for spec in TABLES:
        if spec.name in wb.sheetnames:
            problems += _read_table_sheet(wb[spec.name], spec, path.name, data, prov)
    wb.close()
    return RawScenario(data, prov, str(path), overrides, scenarios, problems)


# ---------------------------------------------------------------------------------------------
# writers
# ---------------------------------------------------------------------------------------------


def csv_bytes(columns: tuple[str, ...] | list[str], rows: list[dict[str, Any]]) -> bytes:
    """CSV text in UTF-8 with BOM (so Excel on Windows shows Chinese), with the given column order."""
    import io as _io

    buf = _io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def scenario_yaml_doc(sc: Scenario) -> dict[str, Any]:
    """The scalar fields and policy of a scenario, as written to scenario.yaml."""
    data = sc.model_dump(mode="json")
    doc = {k: data[k] for k in SCALAR_FIELDS}
    doc["policy"] = data["policy"]
    return doc


def write_scenario_folder(sc: Scenario, folder: str | Path, *, force: bool = False, inputs: tuple[Any, ...] = ()) -> Path:
    """Write a scenario as scenario.yaml + one CSV per table (atomically; refuses to overwrite unless forced).

    scenario.yaml starts with a comment holding the digest of the folder's files, so ``--force`` can tell a
    scenario this tool wrote and nobody edited since (which it may replace) from one a person filled in.
    """
    ensure_new(folder, force=force, kind=SCENARIO, inputs=inputs)
    rows = scenario_rows(sc)
    with atomic_dir(folder, force=force, kind=SCENARIO) as tmp:
        text = yaml.safe_dump(scenario_yaml_doc(sc), allow_unicode=True, sort_keys=False)
        (tmp / SCENARIO_FILE).write_text(text, encoding="utf-8")
        for spec in TABLES:
            if rows[spec.name] or spec.name in ("indicators", "units", "initiatives", "effects", "budget"):
                (tmp / f"{spec.name}.csv").write_bytes(csv_bytes(spec.columns, rows[spec.name]))
        digest = folder_digest(tmp, SCENARIO_FILE)
        (tmp / SCENARIO_FILE).write_text(f"{SCENARIO_MARK}{digest}\n{text}", encoding="utf-8")
    return Path(folder)


def write_scenario_workbook(sc: Scenario, path: str | Path, *, force: bool = False, inputs: tuple[Any, ...] = ()) -> Path:
    """Write a scenario as one workbook: sheets scenario, policy and one per table (marked with its digest)."""
    import io as _io

    import openpyxl

    ensure_new(path, force=force, kind=SCENARIO, inputs=inputs)
    rows = scenario_rows(sc)
    doc = scenario_yaml_doc(sc)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "scenario"
    ws.append(["key", "value"])
    for k in SCALAR_FIELDS:
        ws.append([k, doc[k]])
    ws = wb.create_sheet("policy")
    ws.append(["key", "value"])
    for k, v in flatten(doc["policy"]).items():
        if v in ({}, [], None):
            continue
        ws.append([k, json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v])
    for spec in TABLES:
        ws = wb.create_sheet(spec.name)
        ws.append(list(spec.columns))
        for row in rows[spec.name]:
            ws.append([row.get(c, "") for c in spec.columns])
    mark_workbook(wb, SCENARIO)
    buf = _io.BytesIO()
    wb.save(buf)
    return atomic_write_bytes(path, buf.getvalue(), force=force, kind=SCENARIO)
