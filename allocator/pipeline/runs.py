"""What every job shares: its result record, the new run folder it writes, and the manifest fields common to all."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import frames
from ..io.atomic import ensure_new
from ..io.run_folder import default_run_dir, environment, now_iso, update_manifest, write_run
from ..loading import LoadedScenario


@dataclass(frozen=True)
class JobRun:
    """A finished job: the scenario it ran on, its result, the run folder and the manifest written there.

    ``result`` is the job's own result (a PlanResult, frontier points, a ClearResult, ...); ``extra``
    holds a second product where a job has one (the cost-to-clear curve).
    """

    loaded: LoadedScenario | None
    result: Any
    folder: Path
    manifest: dict[str, Any]
    extra: Any = None


def new_folder(kind: str, out: str | Path | None, force: bool) -> Path:
    """The run folder to write: ``out``, or a fresh ``runs/<kind>-<time>``; refused early if it exists."""
    folder = Path(out) if out is not None else default_run_dir(kind)
    ensure_new(folder, force=force)
    return folder


def base_manifest(kind: str, command: str, loaded: LoadedScenario) -> dict[str, Any]:
    """Fields every run manifest shares: what ran, on which input, with which versions."""
    env = environment()
    return {
        "kind": kind,
        "command": command,
        "scenario_path": str(loaded.path),
        "scenario_name": loaded.scenario.name,
        "named_scenario": loaded.named_scenario,
        "named_scenarios": list(loaded.named_scenarios),
        "input_sha256": loaded.input_sha256,
        "allocator_version": env["allocator"],
        "overrides": list(loaded.applied),
        "environment": env,
        "created": now_iso(),
    }


def write_timed(folder: Path, tables: dict[str, Any], manifest: dict[str, Any], loaded: LoadedScenario, force: bool) -> None:
    """Write the run folder (money columns as published: two decimals), then record how long writing took.

    The time is recorded by rewriting only the manifest, atomically.
    """
    manifest["timings"]["write"] = 0.0
    t0 = time.perf_counter()
    write_run(folder, frames.published(tables), manifest, resolved_json=loaded.scenario.model_dump_json(indent=2), force=force)
    manifest["timings"]["write"] = time.perf_counter() - t0
    update_manifest(folder, manifest)
