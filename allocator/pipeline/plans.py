"""Plan jobs: load, plan and write a run folder; carry a score run's grades into a plan; compare two plan runs."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models import PlanResult

from .. import frames
from ..io.run_folder import environment, now_iso, write_run
from ..loading import LoadedScenario
from ..performance_money import describe_rule, performance_frame
from ..planning import plan
from ..request import ScenarioRequest
from ..solve import SolverSettings
from .performance import reference_overrides
from .runs import JobRun, base_manifest, new_folder, request_inputs, write_timed

logger = logging.getLogger(__name__)


def plan_manifest(command: str, loaded: LoadedScenario, result: PlanResult, timings: dict[str, float]) -> dict[str, Any]:
    """Everything needed to trace a plan's numbers back to its input, solver and settings."""
    manifest = base_manifest("plan", command, loaded)
    manifest.update(
        {
            "solver": {"name": result.solver.name, "version": result.solver.version},
            "status": result.status.value,
            "objective": {"stage1_shortfall": result.stage1_shortfall, "stage2_progress": result.stage2_progress},
            "stages": [s.model_dump(mode="json") for s in result.solver.stages],
            "levels": [lv.model_dump(mode="json") for lv in result.levels],
            "model": {"variables": result.solver.variables, "constraints": result.solver.constraints, "integer": result.solver.integer},
            "timings": timings,
            "warnings": list(result.warnings),
            "rounding": dict(result.rounding),
        }
    )
    return manifest


def plan_tables(loaded: LoadedScenario, result: PlanResult) -> dict[str, Any]:
    """The CSV tables of a plan run folder."""
    sc = loaded.scenario
    tables = {
        "allocation": frames.allocation_frame(result, sc),
        "indicators": frames.indicator_frame(result, sc),
        "unit_indicators": frames.unit_indicator_frame(result),
        "budget": frames.budget_frame(result),
        "goals": frames.goal_frame(result),
        "reclaim": frames.reclaim_frame(result, sc),
    }
    if result.marginals:
        tables["marginals"] = frames.marginal_frame(result)
    if sc.policy.performance_money.share > 0:
        tables["performance_money"] = performance_frame(sc)
    from ..rolling import add_status

    add_status(sc, tables)
    return tables


def run_plan(
    request: ScenarioRequest | str | Path,
    out: str | Path | None = None,
    *,
    solver: str = "highs",
    time_limit: float | None = None,
    force: bool = False,
    marginals: bool = True,
    performance: str | Path | None = None,
    command: str = "allocator plan",
    scheduler: str | None = None,
    decompose: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> JobRun:
    """Load, plan and write a run folder (refusing an existing folder before any work unless forced).

    ``run_plan("scenarios/zjut-2021-2025", out="runs/base")``; for edits pass a ScenarioRequest.
    With ``scheduler`` (a Dask scheduler's address) the marginal-value confirmations run on its workers.
    With ``decompose`` (a column of the units table) the plan is solved by decomposition over the groups
    of that column, as tasks on the scheduler's workers or a local cluster (``allocator.decompose``);
    marginal values are then not computed (they need the whole model).
    """
    from contextlib import nullcontext

    from ..distributed import Cluster

    request = ScenarioRequest.of(request)
    folder = new_folder("plan", out, force, inputs=(*request_inputs(request), performance))
    if decompose is not None and solver != "highs":
        from ..errors import OverrideError

        raise OverrideError("--decompose solves its blocks with HiGHS; use it with --solver highs")
    with Cluster(scheduler).reach() if scheduler or decompose else nullcontext() as cluster:
        job = _Job(folder, solver, time_limit, force, marginals and decompose is None, command, cluster, decompose, progress)
        return _plan_job(request, performance, job)


@dataclass(frozen=True)
class _Job:
    folder: Path
    solver: str
    time_limit: float | None
    force: bool
    marginals: bool
    command: str
    cluster: Any
    decompose: str | None
    progress: Callable[[str], None] | None


def _plan_job(request: ScenarioRequest, performance: str | Path | None, job: _Job) -> JobRun:
    folder, force, command = job.folder, job.force, job.command
    settings = SolverSettings(name=job.solver, time_limit=job.time_limit)  # type: ignore[arg-type]
    t0 = time.perf_counter()
    perf_info = None
    if performance is not None:
        from .past import performance_past

        extra, perf_info = performance_overrides(performance)
        extra += reference_overrides(performance, request, settings)  # the plan before grades
        request = performance_past(performance, request.with_extra(extra), request, perf_info, settings)
    loaded = request.load()
    t1 = time.perf_counter()
    decomposition = None
    if job.decompose is not None:
        from ..decompose import plan_decomposed

        result, decomposition = plan_decomposed(loaded.scenario, job.decompose, cluster=job.cluster, progress=job.progress)
    else:
        result = plan(loaded.scenario, settings=settings, marginals=job.marginals, cluster=job.cluster)
    timings = {"load": t1 - t0, **result.timings}
    manifest = plan_manifest(command, loaded, result, timings)
    manifest["performance"] = perf_info
    from ..rolling import manifest_entry

    manifest["rolling"] = manifest_entry(loaded.scenario)
    if loaded.scenario.policy.performance_money.share > 0:
        manifest["performance_money"] = describe_rule(loaded.scenario)
    if decomposition is not None:
        manifest["decomposition"] = decomposition
    write_timed(folder, plan_tables(loaded, result), manifest, loaded, force)
    logger.info("plan done in %.2f s", time.perf_counter() - t0)
    return JobRun(loaded, result, folder, manifest)


def performance_overrides(score_run: str | Path) -> tuple[list, dict[str, Any]]:
    """Overrides that carry a score run's grades and next-year floors into a plan."""
    from ..errors import RunFolderError
    from ..io.run_folder import read_manifest, read_table
    from ..overrides import Override
    from .performance import points_overrides

    manifest = read_manifest(score_run)
    if manifest.get("kind") != "score":
        raise RunFolderError(f"{score_run}: a {manifest.get('kind')} run; --performance needs a score run folder")
    floors = read_table(score_run, "next_floors", ("unit", "grade", "floor_share"))
    origin = f"--performance {score_run}"
    out = []
    for r in floors.itertuples(index=False):
        out.append(Override(("units", str(r.unit), "grade"), "=", str(r.grade), origin))
        out.append(Override(("policy", "unit_floor_overrides", str(r.unit)), "=", float(r.floor_share), origin))
    out += points_overrides(score_run, origin)  # the points split the performance money of later years
    info = {"run": str(score_run), "input_sha256": manifest.get("input_sha256"), "years": manifest.get("years"), "units": len(floors)}
    return out, info


def run_compare(
    run_a: str | Path, run_b: str | Path, out: str | Path | None = None, *, force: bool = False, command: str = "allocator compare"
) -> JobRun:
    """Compare two plan run folders and write compare.csv."""
    from ..compare import compare_runs, published_compare
    from ..errors import RunFolderError
    from ..io.run_folder import read_manifest, read_resolved, read_table

    folder = new_folder("compare", out, force, inputs=(run_a, run_b))
    ma, mb = read_manifest(run_a), read_manifest(run_b)
    for run, m in ((run_a, ma), (run_b, mb)):
        if m.get("kind") != "plan":
            raise RunFolderError(f"{run}: a {m.get('kind', 'unknown')} run; compare needs two plan run folders")
    need_alloc = ("unit", "initiative", "year", "pool", "amount", "source")
    need_ind = ("indicator", "year", "value", "target_year", "met")
    table = compare_runs(
        read_table(run_a, "allocation", need_alloc),
        read_table(run_b, "allocation", need_alloc),
        read_table(run_a, "indicators", need_ind),
        read_table(run_b, "indicators", need_ind),
        ma.get("objective", {}),
        mb.get("objective", {}),
    )
    manifest = {
        "kind": "compare",
        "command": command,
        "run_a": str(Path(run_a).resolve()),
        "run_b": str(Path(run_b).resolve()),
        "scenario_name": {"a": ma.get("scenario_name"), "b": mb.get("scenario_name")},
        "named_scenario": {"a": ma.get("named_scenario"), "b": mb.get("named_scenario")},
        "input_sha256": {"a": ma.get("input_sha256"), "b": mb.get("input_sha256")},
        "objective": {"a": ma.get("objective"), "b": mb.get("objective")},
        "allocator_version": environment()["allocator"],
        "created": now_iso(),
    }
    # B's scenario travels with the comparison, so its names and language can be shown without run B's folder.
    resolved_json = read_resolved(run_b)
    write_run(folder, {"compare": published_compare(table)}, manifest, resolved_json=resolved_json, force=force)
    return JobRun(None, table, folder, manifest)
