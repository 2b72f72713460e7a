"""Sequencing of whole jobs (load -> solve -> write a run folder); the CLI calls these and prints."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from models import PlanResult

from . import frames
from .io.atomic import ensure_new
from .io.run_folder import default_run_dir, environment, now_iso, update_manifest, write_run
from .loading import LoadedScenario, load
from .planning import plan
from .solve import SolverSettings

logger = logging.getLogger(__name__)


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


def plan_manifest(command: str, loaded: LoadedScenario, result: PlanResult, timings: dict[str, float]) -> dict[str, Any]:
    """Everything needed to trace a plan's numbers back to its input, solver and settings."""
    manifest = base_manifest("plan", command, loaded)
    manifest.update(
        {
            "solver": {"name": result.solver.name, "version": result.solver.version},
            "status": result.status.value,
            "objective": {"stage1_shortfall": result.stage1_shortfall, "stage2_progress": result.stage2_progress},
            "stages": [s.model_dump(mode="json") for s in result.solver.stages],
            "model": {"variables": result.solver.variables, "constraints": result.solver.constraints, "integer": result.solver.integer},
            "timings": timings,
            "warnings": list(result.warnings),
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
    }
    if result.marginals:
        tables["marginals"] = frames.marginal_frame(result)
    return tables


def run_plan(
    scenario_path: str | Path,
    out: str | Path | None = None,
    *,
    solver: str = "highs",
    time_limit: float | None = None,
    force: bool = False,
    sets: Sequence[str] = (),
    override_files: Sequence[str | Path] = (),
    scenario_name: str | None = None,
    marginals: bool = True,
    performance: str | Path | None = None,
    command: str = "allocator plan",
) -> JobRun:
    """Load, plan and write a run folder (refusing an existing folder before any work unless forced)."""
    folder = new_folder("plan", out, force)
    settings = SolverSettings(name=solver, time_limit=time_limit)  # type: ignore[arg-type]
    t0 = time.perf_counter()
    extra, perf_info = performance_overrides(performance) if performance is not None else ([], None)
    loaded = load(scenario_path, sets=sets, override_files=override_files, scenario_names=(scenario_name,) if scenario_name else (), extra=extra)
    t1 = time.perf_counter()
    result = plan(loaded.scenario, settings=settings, marginals=marginals)
    timings = {"load": t1 - t0, **result.timings}
    manifest = plan_manifest(command, loaded, result, timings)
    manifest["performance"] = perf_info
    tables = plan_tables(loaded, result)
    resolved = loaded.scenario.model_dump_json(indent=2)
    manifest["timings"]["write"] = 0.0
    t3 = time.perf_counter()
    write_run(folder, tables, manifest, resolved_json=resolved, force=force)
    manifest["timings"]["write"] = time.perf_counter() - t3
    # Record the write time too: rewrite only the manifest inside the finished folder (atomic rename).
    update_manifest(folder, manifest)
    logger.info("plan done in %.2f s", time.perf_counter() - t0)
    return JobRun(loaded, result, folder, manifest)


def base_manifest(kind: str, command: str, loaded: LoadedScenario) -> dict[str, Any]:
    """Fields every run manifest shares: what ran, on which input, with which versions."""
    env = environment()
    return {
        "kind": kind,
        "command": command,
        "scenario_path": str(loaded.path),
        "scenario_name": loaded.scenario.name,
        "named_scenario": loaded.named_scenario,
        "input_sha256": loaded.input_sha256,
        "allocator_version": env["allocator"],
        "overrides": list(loaded.applied),
        "environment": env,
        "created": now_iso(),
    }


def run_sweep(
    scenario_path: str | Path,
    out: str | Path | None,
    *,
    scope: str | None,
    levels: list[float],
    path: str | None = None,
    solver: str = "highs",
    time_limit: float | None = None,
    force: bool = False,
    sets: Sequence[str] = (),
    override_files: Sequence[str | Path] = (),
    scenario_name: str | None = None,
    warm: bool = True,
    integers: str = "free",
    progress=None,
    command: str = "allocator whatif sweep",
) -> JobRun:
    """Load, sweep a budget scope (or any path) over levels, and write frontier.csv and allocation.csv."""
    from .solve import highs_version
    from .sweep import sweep_budget, sweep_path

    folder = new_folder("sweep", out, force)
    settings = SolverSettings(name=solver, time_limit=time_limit)  # type: ignore[arg-type]
    t0 = time.perf_counter()
    loaded = load(scenario_path, sets=sets, override_files=override_files, scenario_names=(scenario_name,) if scenario_name else ())
    t1 = time.perf_counter()
    if path is not None:
        points = sweep_path(loaded.scenario, path, levels, settings, progress=progress)
    else:
        points = sweep_budget(
            loaded.scenario,
            levels,
            scope or "increment",
            settings,
            warm=warm,
            integers=integers,
            progress=progress,  # type: ignore[arg-type]
        )
    t2 = time.perf_counter()
    sc = loaded.scenario
    manifest = base_manifest("sweep", command, loaded)
    manifest.update(
        {
            "sweep": {
                "scope": scope,
                "path": path,
                "levels": list(levels),
                "integers": integers,
                "warm_start": warm and path is None and solver == "highs",
            },
            "solver": {"name": solver, "version": highs_version() if solver == "highs" else "CBC (PuLP)"},
            "status": "ok" if all(p.status in ("optimal", "time_limit_feasible") for p in points) else "some levels have no plan",
            "levels": [
                {"level": p.level, "status": p.status, "stage1_shortfall": p.stage1_shortfall, "stage2_progress": p.stage2_progress}
                for p in points
            ],
            "timings": {"load": t1 - t0, "sweep": t2 - t1},
        }
    )
    tables = {"frontier": frames.frontier_frame(points, sc), "allocation": frames.sweep_allocation_frame(points, sc)}
    t3 = time.perf_counter()
    write_run(folder, tables, manifest, resolved_json=sc.model_dump_json(indent=2), force=force)
    manifest["timings"]["write"] = time.perf_counter() - t3
    update_manifest(folder, manifest)
    return JobRun(loaded, points, folder, manifest)


def run_compare(
    run_a: str | Path, run_b: str | Path, out: str | Path | None = None, *, force: bool = False, command: str = "allocator compare"
) -> JobRun:
    """Compare two plan run folders and write compare.csv."""
    from .compare import compare_runs
    from .errors import RunFolderError
    from .io.run_folder import read_manifest, read_resolved, read_table

    folder = new_folder("compare", out, force)
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
        "input_sha256": {"a": ma.get("input_sha256"), "b": mb.get("input_sha256")},
        "objective": {"a": ma.get("objective"), "b": mb.get("objective")},
        "allocator_version": environment()["allocator"],
        "created": now_iso(),
    }
    # B's scenario travels with the comparison, so its names and language can be shown without run B's folder.
    resolved_json = read_resolved(run_b)
    write_run(folder, {"compare": table}, manifest, resolved_json=resolved_json, force=force)
    return JobRun(None, table, folder, manifest)


def run_clear(
    scenario_path: str | Path,
    out: str | Path | None,
    *,
    indicators: Sequence[str] = (),
    all_missing: bool = False,
    by: int | None = None,
    pool: str = "increment",
    keep_others: bool = False,
    force: bool = False,
    time_limit: float | None = None,
    sets: Sequence[str] = (),
    override_files: Sequence[str | Path] = (),
    scenario_name: str | None = None,
    progress=None,
    command: str = "allocator whatif clear",
) -> JobRun:
    """Least extra money to clear indicators (and, for all missing ones, the cost-to-clear curve)."""
    from .clearing import cost_to_clear, cost_to_clear_curve
    from .errors import InfeasibleError, OverrideError

    folder = new_folder("clear", out, force)
    t0 = time.perf_counter()
    loaded = load(scenario_path, sets=sets, override_files=override_files, scenario_names=(scenario_name,) if scenario_name else ())
    sc = loaded.scenario
    keys = list(indicators)
    if all_missing:
        keys = sorted(k for k, ind in sc.indicators.items() if ind.is_missing)
        if not keys:
            raise OverrideError("--all-missing: the scenario has no missing indicators")
    if not keys:
        raise OverrideError("name an indicator with --indicator KEY, or use --all-missing")
    settings = SolverSettings(time_limit=time_limit)
    t1 = time.perf_counter()
    unreachable = None
    try:
        result = cost_to_clear(sc, keys, by=by, pool=pool, keep_others=keep_others, settings=settings)
    except InfeasibleError as exc:
        if not all_missing:
            raise
        result, unreachable = None, str(exc)  # all together is out of reach: the curve still says how far money goes
    curve = cost_to_clear_curve(sc, by=by, pool=pool, settings=settings, progress=progress) if all_missing else None
    t2 = time.perf_counter()
    tables = frames.clear_tables(result, sc, keys, by, pool)
    if curve is not None:
        tables["curve"] = frames.curve_frame(curve, sc)
    manifest = base_manifest("clear", command, loaded)
    manifest.update(
        {
            "question": {"indicators": keys, "by": by, "pool": pool, "keep_others": keep_others, "all_missing": all_missing},
            "extra_total": result.extra_total if result else None,
            "extra_by_year": result.extra_by_year if result else None,
            "objective": {"stage1_shortfall": result.stage1_shortfall, "stage2_progress": result.stage2_progress} if result else None,
            "status": "optimal" if result else "unreachable",
            "message": unreachable,
            "timings": {"load": t1 - t0, "solve": t2 - t1},
        }
    )
    write_run(folder, tables, manifest, resolved_json=sc.model_dump_json(indent=2), force=force)
    return JobRun(loaded, result, folder, manifest, extra=curve)


def run_risk(
    scenario_path: str | Path,
    out: str | Path | None,
    *,
    draws: int = 500,
    yield_cv: float = 0.2,
    seed: int = 0,
    resolve: bool = False,
    workers: int | None = None,
    integers: str = "fixed",
    force: bool = False,
    time_limit: float | None = None,
    sets: Sequence[str] = (),
    override_files: Sequence[str | Path] = (),
    scenario_name: str | None = None,
    progress=None,
    command: str = "allocator whatif risk",
) -> JobRun:
    """Probability each target is met under uncertain yields; writes risk.csv and draws.csv."""
    from .errors import OverrideError
    from .risk import assess_risk

    if draws < 1:
        raise OverrideError(f"--draws {draws}: need at least one draw")
    if yield_cv < 0:
        raise OverrideError(f"--yield-cv {yield_cv}: must not be negative")
    folder = new_folder("risk", out, force)
    t0 = time.perf_counter()
    loaded = load(scenario_path, sets=sets, override_files=override_files, scenario_names=(scenario_name,) if scenario_name else ())
    t1 = time.perf_counter()
    result = assess_risk(
        loaded.scenario,
        draws=draws,
        yield_cv=yield_cv,
        seed=seed,
        resolve=resolve,
        workers=workers,
        settings=SolverSettings(time_limit=time_limit),
        progress=progress,
        integers=integers,
    )
    t2 = time.perf_counter()
    manifest = base_manifest("risk", command, loaded)
    manifest.update(
        {
            "risk": {
                "integers": integers if resolve else None,
                "draws": draws,
                "yield_cv": yield_cv,
                "seed": seed,
                "resolve": resolve,
                "workers": workers,
                "distribution": "lognormal, mean 1, independent per effect and draw; whole-unit initiatives not drawn",
            },
            "status": "ok",
            "timings": {"load": t1 - t0, "draws": t2 - t1},
        }
    )
    sc = loaded.scenario
    write_run(
        folder,
        {"risk": frames.risk_frame(result, sc), "draws": frames.draws_frame(result)},
        manifest,
        resolved_json=sc.model_dump_json(indent=2),
        force=force,
    )
    return JobRun(loaded, result, folder, manifest)


def _plan_targets(plan_run: str | Path) -> tuple[Any, dict[str, dict[int, float]], dict[str, Any]]:
    """Targets (a Table) from a plan run's unit_indicators.csv, and its planned stock per unit and year."""
    from .io.run_folder import read_manifest, read_table
    from .scoring import Table

    manifest = read_manifest(plan_run)
    if manifest.get("kind") != "plan":
        from .errors import RunFolderError

        raise RunFolderError(f"{plan_run}: a {manifest.get('kind')} run; --plan needs a plan run folder")
    ui = read_table(plan_run, "unit_indicators", ("unit", "indicator", "year", "output"))
    rows = [
        (n + 2, {"unit": r.unit, "indicator": r.indicator, "year": int(r.year), "target": float(r.output)})
        for n, r in enumerate(ui.itertuples(index=False))
    ]
    table = Table(f"{Path(plan_run).name}/unit_indicators.csv", ["unit", "indicator", "year", "target"], rows)
    alloc = read_table(plan_run, "allocation", ("unit", "year", "pool", "amount"))
    stock: dict[str, dict[int, float]] = {}
    for r in alloc[alloc["pool"] == "stock"].itertuples(index=False):
        stock.setdefault(r.unit, {}).setdefault(int(r.year), 0.0)
        stock[r.unit][int(r.year)] += float(r.amount)
    return table, stock, manifest


def run_score(
    scenario_path: str | Path,
    out: str | Path | None,
    *,
    actuals: str | Path,
    spending: str | Path,
    plan_run: str | Path | None = None,
    targets: str | Path | None = None,
    force: bool = False,
    sets: Sequence[str] = (),
    override_files: Sequence[str | Path] = (),
    scenario_name: str | None = None,
    command: str = "allocator score",
) -> JobRun:
    """Score units' actual outputs against their money and targets; write scores, DEA, awards and next floors."""
    from .errors import OverrideError
    from .io.records import read_rows
    from .scoring import Table, score_units, validate_inputs

    if (plan_run is None) == (targets is None):
        raise OverrideError("give the units' targets with exactly one of --plan RUN or --targets FILE")
    folder = new_folder("score", out, force)
    t0 = time.perf_counter()
    loaded = load(scenario_path, sets=sets, override_files=override_files, scenario_names=(scenario_name,) if scenario_name else ())
    sc = loaded.scenario
    outputs_t = Table(*read_rows(actuals, "actuals"))
    spending_t = Table(*read_rows(spending, "spending"))
    stock: dict[str, dict[int, float]] = {}
    plan_manifest_ = None
    if plan_run is not None:
        targets_t, stock, plan_manifest_ = _plan_targets(plan_run)
    else:
        targets_t = Table(*read_rows(targets, "targets"))
    inputs = validate_inputs(sc, outputs_t, spending_t, targets_t)
    last = inputs.years[-1]
    basis = {u: by_year[last] for u, by_year in stock.items() if last in by_year}
    t1 = time.perf_counter()
    result = score_units(sc, inputs, basis)
    t2 = time.perf_counter()
    tables = {
        "scores": pd.DataFrame([s.model_dump() for s in result.scores]),
        "dea": result.dea,
        "awards": pd.DataFrame([{**a.model_dump(), "award_fen": result.award_fen[a.unit, a.year]} for a in result.awards]),
        "next_floors": pd.DataFrame([f.model_dump() for f in result.next_floors]),
    }
    if result.malmquist is not None and not result.malmquist.empty:
        tables["malmquist"] = result.malmquist
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
            },
            "years": list(inputs.years),
            "scoring_policy": policy.model_dump(mode="json"),
            "incentive_pool": policy.incentive_pool,  # per year
            "awards_total_fen": sum(result.award_fen.values()),  # all years together
            "awards_fen_by_year": {y: sum(f for (_, yy), f in result.award_fen.items() if yy == y) for y in inputs.years},
            "undistributed_fen": result.undistributed_fen,
            "status": "ok",
            "warnings": list(result.warnings),
            "timings": {"load": t1 - t0, "score": t2 - t1},
        }
    )
    write_run(folder, tables, manifest, resolved_json=sc.model_dump_json(indent=2), force=force)
    return JobRun(loaded, result, folder, manifest)


def performance_overrides(score_run: str | Path) -> tuple[list, dict[str, Any]]:
    """Overrides that carry a score run's grades and next-year floors into a plan."""
    from .errors import RunFolderError
    from .io.run_folder import read_manifest, read_table
    from .overrides import Override

    manifest = read_manifest(score_run)
    if manifest.get("kind") != "score":
        raise RunFolderError(f"{score_run}: a {manifest.get('kind')} run; --performance needs a score run folder")
    floors = read_table(score_run, "next_floors", ("unit", "grade", "floor_share"))
    origin = f"--performance {score_run}"
    out = []
    for r in floors.itertuples(index=False):
        out.append(Override(("units", str(r.unit), "grade"), "=", str(r.grade), origin))
        out.append(Override(("policy", "unit_floor_overrides", str(r.unit)), "=", float(r.floor_share), origin))
    info = {"run": str(score_run), "input_sha256": manifest.get("input_sha256"), "years": manifest.get("years"), "units": len(floors)}
    return out, info


def run_dea(
    data: str | Path,
    *,
    id_col: str,
    inputs: list[str],
    outputs: list[str],
    model: str,
    orientation: str,
    super_efficiency: bool = False,
    out: str | Path | None = None,
    force: bool = False,
):
    """DEA on a CSV/xlsx table; writes the result CSV atomically when ``out`` is given."""
    from .dea import dea_table
    from .io.atomic import atomic_write_bytes
    from .io.records import read_rows

    label, header, rows = read_rows(data)
    if out is not None:
        ensure_new(out, force=force)
    frame = pd.DataFrame([r for _, r in rows], columns=[h for h in header if h])
    result = dea_table(
        frame,
        id_col=id_col,
        inputs=inputs,
        outputs=outputs,
        model=model,
        orientation=orientation,
        super_efficiency=super_efficiency,
        source=label,
    )
    if out is not None:
        atomic_write_bytes(out, result.round(9).to_csv(index=False).encode("utf-8-sig"), force=force)
    return result
