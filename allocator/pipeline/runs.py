"""What every job shares: its result record, the new run folder it writes, and the manifest fields common to all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import frames
from ..io.atomic import ensure_new
from ..io.outputs import input_paths
from ..io.run_folder import default_run_dir, environment, now_iso, write_run
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


def new_folder(kind: str, out: str | Path | None, force: bool, inputs: Sequence[Any] = ()) -> Path:
    """The run folder to write: ``out``, or a fresh ``runs/<kind>-<time>``; refused early if it may not be written.

    ``inputs`` are the files and folders the job reads: the output may never be one of them or hold one.
    """
    folder = Path(out) if out is not None else default_run_dir(kind)
    ensure_new(folder, force=force, inputs=input_paths(*inputs))
    return folder


def request_inputs(request: Any) -> tuple[Any, ...]:
    """The files a scenario request (or a plain scenario path) reads: the scenario and its override files."""
    from ..request import ScenarioRequest

    req = ScenarioRequest.of(request)
    return (req.path, *req.override_files)


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
    """Write the run folder (money columns as published: two decimals) in one atomic step.

    write_run records how long writing took in ``timings["write"]`` before the folder appears.
    """
    write_run(folder, frames.published(tables), manifest, resolved_json=loaded.scenario.model_dump_json(indent=2), force=force)
