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

import numpy as np
import pandas as pd

from .atomic import atomic_dir
from .outputs import MARK, RUN
from .run_reader import MANIFEST, RESOLVED, TEXT_COLUMNS, read_manifest, read_resolved, read_table
from .safe_text import neutralize_frame

logger = logging.getLogger(__name__)

__all__ = ["MANIFEST", "RESOLVED", "dumps", "read_manifest", "read_resolved", "read_table", "strict", "write_run"]


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


def _filled(value: Any) -> bool:
    return value is not None and value == value and not (isinstance(value, str) and not value.strip())


def _is_number_column(series: pd.Series, name: str) -> bool:
    """Numbers, or money published as exact decimal text ("50.00"); never an id or word column."""
    if _is_flag_column(series):
        return False
    if pd.api.types.is_numeric_dtype(series):
        return True
    if name in TEXT_COLUMNS:
        return False
    filled = [v for v in series if _filled(v)]
    if not filled or not all(isinstance(v, str) for v in filled):
        return False
    try:
        [float(v) for v in filled]
    except ValueError:
        return False
    return True


def _is_flag_column(series: pd.Series) -> bool:
    """True/false cells, some perhaps blank (``met`` of an indicator without a target): read back as flags, not text."""
    if pd.api.types.is_bool_dtype(series):
        return True
    filled = [v for v in series if _filled(v)]
    return bool(filled) and all(isinstance(v, (bool, np.bool_)) for v in filled)


def table_facts(frame: pd.DataFrame) -> dict[str, Any]:
    """What a reader checks a table against: row count, columns, which are numeric or true/false, column sums."""
    import math

    numeric = [str(c) for c in frame.columns if _is_number_column(frame[c], str(c))]
    flags = [str(c) for c in frame.columns if _is_flag_column(frame[c])]
    sums = {}
    for c in numeric:
        values = [float(v) for v in frame[c] if _filled(v) and math.isfinite(float(v))]
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
            frame = neutralize_frame(frame.round(9))  # names such as =HYPERLINK(...) stay text in Excel
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
