"""Performance jobs: score units' actual outputs against money and targets; the task decomposition they are scored on."""

from __future__ import annotations

import time
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from models import Scenario

from ..io.atomic import ensure_new
from ..io.outputs import TABLE, input_paths
from ..io.run_folder import write_run
from ..io.safe_text import frame_csv_bytes
from ..request import ScenarioRequest
from .runs import JobRun, base_manifest, new_folder, request_inputs


def score_frames(result) -> dict[str, pd.DataFrame]:
    """The CSV tables of a score run folder (execution, DEA and Malmquist only when computed)."""
    tables = {
        "scores": pd.DataFrame([s.model_dump() for s in result.scores]),
        "parts": pd.DataFrame([p.model_dump() for p in result.parts]),
        "unit_costs": pd.DataFrame(
            [c.model_dump() for c in result.unit_costs],
            columns=["unit", "indicator", "year", "spending", "output", "unit_cost", "standard", "ratio", "counted", "explanation"],
        ),
        "awards": pd.DataFrame([{**a.model_dump(), "award_fen": result.award_fen[a.unit, a.year]} for a in result.awards]),
        "next_floors": pd.DataFrame([f.model_dump() for f in result.next_floors]),
    }
    if result.execution:
        tables["execution"] = pd.DataFrame([e.model_dump() for e in result.execution])
    if not result.dea.empty:
        tables["dea"] = result.dea
    if result.malmquist is not None and not result.malmquist.empty:
        tables["malmquist"] = result.malmquist
    return tables


def run_score(
    request: ScenarioRequest | str | Path,
    out: str | Path | None = None,
    *,
    actuals: str | Path,
    spending: str | Path,
    plan_run: str | Path | None = None,
    targets: str | Path | None = None,
    planned: str | Path | None = None,
    standards: str | Path | None = None,
    force: bool = False,
    command: str = "allocator score",
) -> JobRun:
    """Score units' outputs and spending against their tasks and plan; write scores, parts, unit costs, awards, floors."""
    from ..errors import OverrideError
    from ..io.plan_run import read_plan_run, score_tables
    from ..io.records import read_rows
    from ..scoring import Table, score_units, validate_inputs

    if (plan_run is None) == (targets is None):
        raise OverrideError("give the units' targets with exactly one of --plan RUN or --targets FILE")
    if plan_run is not None and planned is not None:
        raise OverrideError("--planned FILE goes with --targets FILE; with --plan RUN the plan's own money is the budget")
    folder = new_folder("score", out, force, inputs=(*request_inputs(request), actuals, spending, plan_run, targets, planned, standards))
    t0 = time.perf_counter()
    loaded = ScenarioRequest.of(request).load()
    sc = loaded.scenario
    outputs_t = Table(*read_rows(actuals, "actuals"))
    spending_t = Table(*read_rows(spending, "spending"))
    stock: dict[str, dict[int, float]] = {}
    plan_manifest_ = None
    planned_t = Table(*read_rows(planned, "planned")) if planned is not None else None
    if plan_run is not None:
        plan = read_plan_run(plan_run, "--plan")
        targets_t, planned_t, stock = score_tables(plan)
        plan_manifest_ = plan.manifest
    else:
        targets_t = Table(*read_rows(targets, "targets"))
    standards_t = Table(*read_rows(standards, "standards")) if standards is not None else None
    inputs = validate_inputs(sc, outputs_t, spending_t, targets_t, planned_t, standards_t)
    last = inputs.years[-1]
    basis = {u: by_year[last] for u, by_year in stock.items() if last in by_year}
    t1 = time.perf_counter()
    result = score_units(sc, inputs, basis)
    t2 = time.perf_counter()
    manifest = base_manifest("score", command, loaded)
    policy = sc.policy.scoring
    manifest.update(
        {
            "inputs": {
                "actuals": str(actuals),
                "spending": str(spending),
                "plan_run": str(plan_run) if plan_run else None,
                "plan_input_sha256": plan_manifest_.get("input_sha256") if plan_manifest_ else None,
                "targets": str(targets) if targets else None,
                "planned": str(planned) if planned else None,
                "standards": str(standards) if standards else None,
            },
            "years": list(inputs.years),
            "scoring_policy": policy.model_dump(mode="json"),
            "incentive_pool": policy.incentive_pool,  # per year, shared between the tracks
            "track_pools": {t: policy.incentive_pool * s for t, s in policy.track_shares.items()},
            "awards_total_fen": sum(result.award_fen.values()),  # all years together
            "awards_fen_by_year": {y: sum(f for (_, yy), f in result.award_fen.items() if yy == y) for y in inputs.years},
            "undistributed_fen": result.undistributed_fen,
            "status": "ok",
            "warnings": list(result.warnings),
            "timings": {"load": t1 - t0, "score": t2 - t1},
        }
    )
    write_run(folder, score_frames(result), manifest, resolved_json=sc.model_dump_json(indent=2), force=force)
    return JobRun(loaded, result, folder, manifest)


class TasksRun(NamedTuple):
    """A written task decomposition: the file, its rows, and the scenario the plan was made for (its names, its language)."""

    path: Path
    frame: pd.DataFrame
    scenario: Scenario


def run_tasks(plan_run: str | Path, out: str | Path | None = None, *, force: bool = False) -> TasksRun:
    """Write the task decomposition (任务分解表) of a plan run: RUN/tasks.csv unless ``out`` names another file."""
    from ..io.atomic import atomic_write_bytes
    from ..io.plan_run import read_plan_run, tasks_frame

    path = Path(out) if out is not None else Path(plan_run) / "tasks.csv"
    ensure_new(path, force=force, kind=TABLE, inputs=input_paths(plan_run))
    plan = read_plan_run(plan_run)
    frame = tasks_frame(plan)
    atomic_write_bytes(path, frame_csv_bytes(frame.round(6)), force=force, kind=TABLE)
    return TasksRun(path, frame, plan.scenario)
