"""Read and write scenarios: a folder (scenario.yaml + one CSV per table), one .xlsx workbook, or a resolved .json.

Readers return the scenario's nested form with the provenance of every cell; validation happens in
``allocator.loading`` so that errors can name the file, row and column.
"""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path
from typing import Any

import yaml

from models import Scenario

from ..errors import DataError
from ..tables import SCALAR_FIELDS, TABLES, Provenance, Where, flatten, scenario_rows
from .atomic import atomic_dir, atomic_write_bytes, ensure_new
from .outputs import SCENARIO, SCENARIO_MARK, folder_digest
from .scenario_folder import read_csv_rows, read_yaml_scenario
from .scenario_types import INFO_SHEETS, INLINE_SECTIONS, META_SHEETS, SCENARIO_FILE, YAML_KEYS, RawScenario
from .scenario_workbook import read_workbook
from .text import read_text

logger = logging.getLogger(__name__)

__all__ = [
    "INFO_SHEETS",
    "INLINE_SECTIONS",
    "META_SHEETS",
    "SCENARIO_FILE",
    "YAML_KEYS",
    "RawScenario",
    "csv_bytes",
    "read_csv_rows",
    "read_json",
    "read_scenario_source",
    "read_workbook",
    "read_yaml_scenario",
    "write_scenario_folder",
    "write_scenario_workbook",
]


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


def read_json(path: Path) -> RawScenario:
    """A resolved scenario written by a run (scenario.resolved.json)."""
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid JSON: {exc}") from None
    except RecursionError:
        raise DataError(f"{path}: nested too deeply to be a scenario") from None
    if not isinstance(data, dict):
        raise DataError(f"{path}: expected a JSON object")
    prov = Provenance()
    for dotted in flatten(data):
        prov.record(tuple(dotted.split(".")), Where(path.name, None, dotted))
    return RawScenario(data, prov, str(path))


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


def write_scenario_folder(
    sc: Scenario,
    folder: str | Path,
    *,
    force: bool = False,
    named: dict[str, Any] | None = None,
    overrides: dict[str, Any] | None = None,
    inputs: tuple[Any, ...] = (),
) -> Path:
    """Write a scenario as scenario.yaml (with its named scenarios) + one CSV per table, atomically.

    scenario.yaml starts with a comment holding the digest of the folder's files, so ``--force`` can tell a
    scenario this tool wrote and nobody edited since (which it may replace) from one a person filled in.
    """
    ensure_new(folder, force=force, kind=SCENARIO, inputs=inputs)
    rows = scenario_rows(sc)
    doc = scenario_yaml_doc(sc)
    if overrides:
        doc["overrides"] = overrides
    if named:
        doc["scenarios"] = named
    with atomic_dir(folder, force=force, kind=SCENARIO) as tmp:
        text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
        (tmp / SCENARIO_FILE).write_text(text, encoding="utf-8")
        for spec in TABLES:
            if rows[spec.name] or spec.name in ("indicators", "units", "initiatives", "effects", "budget"):
                (tmp / f"{spec.name}.csv").write_bytes(csv_bytes(spec.columns, rows[spec.name]))
        digest = folder_digest(tmp, SCENARIO_FILE)
        (tmp / SCENARIO_FILE).write_text(f"{SCENARIO_MARK}{digest}\n{text}", encoding="utf-8")
    return Path(folder)


def write_scenario_workbook(
    sc: Scenario,
    path: str | Path,
    *,
    force: bool = False,
    named: dict[str, Any] | None = None,
    overrides: dict[str, Any] | None = None,
    inputs: tuple[Any, ...] = (),
) -> Path:
    """Write a scenario as one workbook with the template's README, drop-downs and widths, and its named scenarios.

    The workbook carries the digest of its content (a custom property), so ``--force`` can replace it only while unedited.
    """
    from .template import scenario_bytes

    ensure_new(path, force=force, kind=SCENARIO, inputs=inputs)
    return atomic_write_bytes(path, scenario_bytes(sc, named=named, overrides=overrides), force=force, kind=SCENARIO)
