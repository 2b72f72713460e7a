"""Line records given beside a scenario: ``--lock UNIT.INITIATIVE.YEAR=AMOUNT`` and ``--execution FILE_OR_DIR``.

Both become records of the scenario (its ``locks`` and ``execution`` tables) before validation, each remembering
where it came from, so an unknown line or a bad amount is reported against the option or the file's cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import DataError, OverrideError
from .tables import Provenance, Where

LOCK_FORM = "UNIT.INITIATIVE.YEAR=AMOUNT"
EXECUTION_FILE = "execution.csv"
SPENDING_FILE = "actual_spending.csv"


def parse_lock(text: str) -> dict[str, str]:
    """``mech.grad_joint_training.2022=40`` -> the fields of a lock record (cells as text; the schema validates them)."""
    line, sep, amount = text.partition("=")
    parts = line.strip().split(".")
    if not sep or len(parts) != 3 or not all(parts) or not amount.strip():
        raise OverrideError(f"--lock {text}: expected {LOCK_FORM}, e.g. mech.grad_joint_training.2022=40")
    unit, initiative, year = parts
    return {"unit": unit, "initiative": initiative, "year": year, "amount": amount.strip(), "reason": "--lock"}


def add_locks(data: dict[str, Any], prov: Provenance, locks: Sequence[str]) -> None:
    """Append ``--lock`` records after the scenario's own locks table."""
    records = data.setdefault("locks", [])
    for text in locks:
        fields = parse_lock(text)
        where = Where(f"--lock {text}")
        prov.record(("locks", len(records)), where)
        for col in fields:
            prov.record(("locks", len(records), col), where)
        records.append(fields)


def _execution_rows(path: Path, data: dict[str, Any]) -> tuple[str, list[tuple[int, dict[str, Any]]], dict[str, str | None]]:
    """(label, [(row, fields)]) from an execution table, or from score inputs' actual spending (planned = the base)."""
    from .io.records import read_rows

    if path.is_dir():
        for name in (EXECUTION_FILE, SPENDING_FILE):
            if (path / name).exists():
                return _execution_rows(path / name, data)
        raise DataError(f"--execution {path}: the folder has neither {EXECUTION_FILE} nor {SPENDING_FILE}")
    label, header, rows = read_rows(path)
    if {"planned", "actual"} <= set(header):
        need = ("unit", "initiative", "year", "planned", "actual")
        spending = False
    else:
        need = ("unit", "initiative", "year", "amount")
        spending = True
    missing = [c for c in need if c not in header]
    if missing:
        raise DataError(
            f"{label} row 1: missing column(s) {', '.join(missing)} (expected unit, initiative, year, planned, actual; "
            "or score inputs' unit, initiative, year, amount, with last year's base as planned)"
        )
    columns: dict[str, str | None] = {c: c for c in (*need, "note")}
    if spending:
        columns.update({"actual": "amount", "planned": None, "note": None})
    out = []
    for n, row in rows:
        fields = {c: row.get(c, "") for c in need if c != "amount"}
        if spending:
            base = data.get("units", {}).get(str(row.get("unit", "")), {}).get("base", {})
            fields["planned"] = base.get(str(row.get("initiative", "")), 0)
            fields["actual"] = row.get("amount", "")
            fields["note"] = f"actual from {label}; planned = the line's base allocation"
        elif "note" in row:
            fields["note"] = row["note"]
        out.append((n, fields))
    return label, out, columns


def replace_execution(data: dict[str, Any], prov: Provenance, path: str | Path) -> None:
    """Replace the scenario's execution table by the one ``--execution`` names (a file, or a folder with one)."""
    p = Path(path)
    if not p.exists():
        raise DataError(f"--execution {p}: no such file or folder")
    label, rows, columns = _execution_rows(p, data)
    data["execution"] = []
    for k in [key for key in prov.places if key and key[0] == "execution"]:
        del prov.places[k]
    for n, fields in rows:
        index = len(data["execution"])
        prov.record(("execution", index), Where(label, n))
        for col in fields:
            prov.record(("execution", index, col), Where(label, n, columns.get(col)))
        data["execution"].append(fields)
