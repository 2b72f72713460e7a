"""Read run folders back, checked against their manifest: a damaged folder is refused, never half-read.

The manifest lists every file the run wrote with its row count, columns, which columns are numbers or
true/false, and the sum of each number column. A table cut short, a number edited into text, a CSV that is
not part of the run or a manifest that is not a JSON object is a "damaged run folder" error naming the file.
Cells are read as text first, so ids such as ``NA``, ``null``, ``None`` or ``nan`` stay ids.
"""

from __future__ import annotations

import json
import logging
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import DataError, RunFolderError
from ..limits import MAX_TEXT_FILE_BYTES
from .text import parse_csv, read_text

logger = logging.getLogger(__name__)
_INT = re.compile(r"-?\d{1,18}")
MANIFEST = "manifest.json"
RESOLVED = "scenario.resolved.json"

TEXT_COLUMNS = frozenset(
    {
        "unit", "initiative", "indicator", "pool", "source", "key", "section", "constraint", "family", "fund", "peers",
        "grade", "status", "name", "unit_name", "initiative_name", "words", "explanation", "limited_by", "cleared",
        "method", "spent_on", "model", "orientation", "rts", "kind", "dimension", "unit_label", "integers", "id",
        "track", "rating", "part", "role", "role_name", "indicator_name", "goal", "sense", "priority",
    }
)  # fmt: skip
"""Columns that hold ids or words in every run kind: always text, whatever they look like."""


def damaged(path: Path, detail: str) -> RunFolderError:
    """The error for a run folder that was cut short or edited."""
    return RunFolderError(f"{path}: damaged run folder: {detail}")


def read_manifest(run: str | Path) -> dict[str, Any]:
    """The manifest of a run folder, checked: a JSON object whose listed files exist, with no stray CSV beside them."""
    folder = Path(run)
    p = folder / MANIFEST
    if not folder.is_dir():
        raise RunFolderError(f"{run}: no such run folder")
    if not p.is_file():
        raise RunFolderError(f"{run}: not a run folder (no {MANIFEST})")
    if p.stat().st_size > MAX_TEXT_FILE_BYTES:
        raise damaged(p, f"{MANIFEST} is larger than any run writes")
    try:
        manifest = json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise damaged(p, f"{MANIFEST} is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict):
        raise damaged(p, f"{MANIFEST} is not a JSON object")
    files = manifest.get("files")
    if files is not None:  # older runs did not list their files: their tables are still checked cell by cell
        _check_listed(folder, files)
    return manifest


def _check_listed(folder: Path, files: Any) -> None:
    """Every file the manifest lists exists, and no CSV beside them is unlisted."""
    p = folder / MANIFEST
    if not isinstance(files, dict) or not all(isinstance(v, dict) for v in files.values()):
        raise damaged(p, f"{MANIFEST}: 'files' is not a mapping of file facts")
    for name in files:
        if not (folder / name).is_file():
            raise damaged(folder / name, f"{name} is listed in {MANIFEST} but missing")
    for extra in extra_tables(folder, files, strict=True):
        logger.debug("%s: %s was added by a later command (tasks, dea or split)", folder, extra)


def extra_tables(folder: Path, files: dict[str, Any], *, strict: bool = False) -> list[str]:
    """CSV files beside a run's own that a later command wrote there (``allocator tasks`` writes RUN/tasks.csv).

    With ``strict``, any other CSV is a damaged-run-folder error: it would be read as part of the run.
    """
    from .outputs import TABLE, written_kind

    out = []
    for extra in sorted(q.name for q in folder.glob("*.csv")):
        if extra in files:
            continue
        if written_kind(folder / extra)[0] == TABLE:
            out.append(extra)
        elif strict:
            raise damaged(folder / extra, f"{extra} is not one of the files the run wrote")
    return out


def read_resolved(run: str | Path) -> str | None:
    """The resolved scenario JSON of a run folder, or None when it has none."""
    p = Path(run) / RESOLVED
    if not p.exists():
        return None
    try:
        return read_text(p)
    except DataError as exc:
        raise damaged(p, str(exc)) from None


def _numbers(p: Path, column: str, cells: list[str], lines: list[int]) -> list[float]:
    out = []
    for line, cell in zip(lines, cells):
        text = cell.strip()
        if not text:
            out.append(math.nan)
            continue
        try:
            out.append(float(text))
        except ValueError:
            raise damaged(p, f"line {line}, column {column}: '{text[:40]}' is not a number") from None
    return out


def _flags(p: Path, column: str, cells: list[str], lines: list[int]) -> list[Any]:
    out: list[Any] = []
    for line, cell in zip(lines, cells):
        text = cell.strip()
        if text in ("True", "False"):
            out.append(text == "True")
        elif not text:
            out.append(math.nan)
        else:
            raise damaged(p, f"line {line}, column {column}: '{text[:40]}' is not True or False")
    return out


def _infer(column: str, cells: list[str]) -> str:
    """Kind of a column of a run written before manifests recorded it: text, number or flag."""
    if column in TEXT_COLUMNS:
        return "text"
    filled = [c.strip() for c in cells if c.strip()]
    if filled and all(c in ("True", "False") for c in filled):
        return "flag"
    try:
        [float(c) for c in filled]
    except ValueError:
        return "text"
    return "number"


def _column(values: list[Any], kind: str, cells: list[str]) -> pd.Series:
    series = pd.Series(values, dtype=object)
    if kind == "number":
        if cells and all(_INT.fullmatch(c.strip()) for c in cells):  # as pandas reads them: 2021 an int, 30.0 a float
            return pd.Series([int(c) for c in cells], dtype="int64")
        return pd.Series(values, dtype=float)
    if kind == "flag" and all(isinstance(v, bool) for v in values):
        return series.astype(bool)
    return series


def read_table(run: str | Path, name: str, required: tuple[str, ...] = (), *, optional: bool = False) -> pd.DataFrame | None:
    """One CSV table of a run folder, checked against the manifest; ids as text.

    Raises:
        RunFolderError: the table is missing (None instead when ``optional``), lacks a ``required`` column, or
            the folder is damaged (row count, columns, a cell or a column sum differs from what the run wrote).
    """
    folder = Path(run)
    manifest = read_manifest(folder)
    p = folder / f"{name}.csv"
    if not p.is_file():
        if optional:
            return None
        raise RunFolderError(f"{run}: run folder has no {name}.csv")
    try:
        table = parse_csv(read_text(p), p.name, keep_blank=True)
    except DataError as exc:
        raise damaged(p, str(exc)) from None
    facts = (manifest.get("files") or {}).get(p.name)
    frame = _frame(p, table.header, table.rows, facts)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise RunFolderError(f"{p}: missing column(s) {', '.join(missing)}")
    return frame


def _frame(p: Path, header: list[str], rows: list[tuple[int, list[str]]], facts: dict[str, Any] | None) -> pd.DataFrame:
    lines = [line for line, _ in rows]
    cells = {h: [r[j] for _, r in rows] for j, h in enumerate(header)}
    if facts is not None:
        wrote = list(facts.get("columns", header))
        if list(header) != wrote:
            missing = [c for c in wrote if c not in header]
            extra = [c for c in header if c not in wrote]
            detail = (
                f"missing column(s) {', '.join(missing)}"
                if missing
                else f"column(s) {', '.join(extra)} the run did not write"
                if extra
                else "columns in another order than the run wrote them"
            )
            raise damaged(p, detail)
        if len(rows) != facts.get("rows", len(rows)):
            raise damaged(p, f"{len(rows)} rows, but the run wrote {facts['rows']} (the file was cut short or edited)")
    numeric = set(facts.get("numeric", ())) if facts else None
    flags = set(facts.get("flags", ())) if facts else None
    data = {}
    for h in header:
        if facts is not None:
            kind = "number" if h in numeric else "flag" if h in flags else "text"
        else:
            kind = _infer(h, cells[h])
        values: list[Any] = cells[h]
        if kind == "number":
            values = _numbers(p, h, cells[h], lines)
            expected = (facts or {}).get("sums", {}).get(h)
            if expected is not None:
                total = math.fsum(v for v in values if math.isfinite(v))
                if not math.isclose(total, expected, rel_tol=1e-9, abs_tol=1e-6):
                    raise damaged(p, f"column {h} adds up to {total:.9g}, but the run wrote {expected:.9g} (a value was edited)")
        elif kind == "flag":
            values = _flags(p, h, cells[h], lines)
        else:
            values = [c if c != "" else math.nan for c in cells[h]]
        data[h] = _column(values, kind, cells[h])
    return pd.DataFrame(data, columns=header) if rows else pd.DataFrame({h: pd.Series(dtype=object) for h in header})
