"""Run folders: every table, the resolved scenario and a manifest, written atomically into a new folder."""

from __future__ import annotations

import datetime as _dt
import json
import logging
import platform
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import RunFolderError
from .atomic import atomic_dir
from .outputs import MARK, RUN

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"
RESOLVED = "scenario.resolved.json"


def strict(obj: Any) -> Any:
    """A copy safe for strict JSON: NaN and infinities become null, numpy scalars plain numbers."""
    import math

    if isinstance(obj, dict):
        return {str(k): strict(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [strict(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, (str, bytes)):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def dumps(obj: Any, **kwargs: Any) -> str:
    """JSON text that every parser accepts (no NaN), Chinese kept readable."""
    return json.dumps(strict(obj), ensure_ascii=False, allow_nan=False, default=str, **kwargs)


def default_run_dir(kind: str, root: str | Path = "runs") -> Path:
    """A fresh folder name under ``runs/`` such as ``runs/plan-20261126-153000``."""
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path(root) / f"{kind}-{stamp}"
    candidate, n = base, 1
    while candidate.exists():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


def now_iso() -> str:
    """Current local time with offset, to the second."""
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


def environment() -> dict[str, str]:
    """Versions that can change a number: Python, the platform and the key libraries."""
    import numpy
    import pulp
    import pydantic

    from .. import __version__

    return {
        "allocator": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "pulp": pulp.__version__,
        "numpy": numpy.__version__,
        "pandas": pd.__version__,
        "pydantic": pydantic.VERSION,
    }


def table_facts(frame: pd.DataFrame) -> dict[str, Any]:
    """What a reader checks a table against: row count, columns, which are numeric or true/false, column sums."""
    import math

    numeric = [str(c) for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])]
    flags = [str(c) for c in frame.columns if pd.api.types.is_bool_dtype(frame[c])]
    sums = {}
    for c in numeric:
        values = [float(v) for v in frame[c].round(9) if v == v and math.isfinite(float(v))]
        sums[c] = math.fsum(values)
    return {"rows": len(frame), "columns": [str(c) for c in frame.columns], "numeric": numeric, "flags": flags, "sums": sums}


def write_run(
    out: str | Path,
    tables: Mapping[str, pd.DataFrame],
    manifest: dict[str, Any],
    *,
    resolved_json: str | None = None,
    extra_files: Mapping[str, bytes] | None = None,
    force: bool = False,
) -> Path:
    """Write ``<name>.csv`` for each table (UTF-8 with BOM), the resolved scenario and manifest.json, in one atomic step.

    The manifest gets the marker ``written_by`` (what ``--force`` may replace), the facts of every file (what a
    reader checks the folder against) and, when it has ``timings``, the seconds spent writing the tables; it
    is written last, inside the hidden folder, so the run appears complete or not at all.
    """
    started = time.perf_counter()
    files: dict[str, Any] = {}
    with atomic_dir(out, force=force, kind=RUN) as tmp:
        for name, frame in tables.items():
            # 9 decimals hide solver round-off (1e-9 万元 is a thousandth of a fen) without losing anything real
            frame = frame.round(9)
            frame.to_csv(tmp / f"{name}.csv", index=False, encoding="utf-8-sig")
            files[f"{name}.csv"] = table_facts(frame)
        if resolved_json is not None:
            (tmp / RESOLVED).write_text(resolved_json, encoding="utf-8")
            files[RESOLVED] = {}
        for name, data in (extra_files or {}).items():
            (tmp / name).write_bytes(data)
            files[name] = {}
        if isinstance(manifest.get("timings"), dict):
            manifest["timings"]["write"] = time.perf_counter() - started
        manifest.pop("written_by", None)
        manifest.pop("files", None)
        full = {"written_by": MARK, **manifest, "files": files}
        (tmp / MANIFEST).write_text(dumps(full, indent=2), encoding="utf-8")
    manifest.update(written_by=MARK, files=files)
    logger.info("wrote %s", out)
    return Path(out)


def read_manifest(run: str | Path) -> dict[str, Any]:
    """The manifest of a run folder."""
    p = Path(run) / MANIFEST
    if not p.exists():
        raise RunFolderError(f"{run}: not a run folder (no {MANIFEST})")
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RunFolderError(f"{p}: damaged manifest ({exc})") from None


def read_resolved(run: str | Path) -> str | None:
    """The resolved scenario JSON of a run folder, or None when it has none."""
    p = Path(run) / RESOLVED
    return p.read_text(encoding="utf-8") if p.exists() else None


def read_table(run: str | Path, name: str, required: tuple[str, ...] = ()) -> pd.DataFrame:
    """One CSV table of a run folder, checking the columns a caller relies on."""
    p = Path(run) / f"{name}.csv"
    if not p.exists():
        raise RunFolderError(f"{run}: run folder has no {name}.csv")
    frame = pd.read_csv(p, encoding="utf-8-sig")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise RunFolderError(f"{p}: missing column(s) {', '.join(missing)}")
    return frame
