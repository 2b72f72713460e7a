"""What-if jobs: a budget (or any value) sweep, the least extra money to clear indicators, and risk under uncertain yields."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .. import frames
from ..io.run_folder import write_run
from ..request import ScenarioRequest
from ..solve import SolverSettings
from .runs import JobRun, base_manifest, new_folder, request_inputs, write_timed


def run_sweep(
    request: ScenarioRequest | str | Path,
    out: str | Path | None = None,
    *,
    scope: str | None,
    levels: list[float],
    path: str | None = None,
    solver: str = "highs",
    time_limit: float | None = None,
    force: bool = False,
    warm: bool = True,
    integers: str = "free",
    gap: float | None = None,
    progress: Callable[[Any], None] | None = None,
    command: str = "allocator whatif sweep",
    scheduler: str | None = None,
) -> JobRun:
    """Load, sweep a budget scope (or any path) over levels, and write frontier.csv and allocation.csv.

    Warm budget sweeps run their level chains in threads here, or as Dask tasks on ``scheduler``'s workers.
    ``gap`` is the relative gap every level is proved to (default: the plan's, by model size).
    """
    from ..distributed import Cluster
    from ..solve import highs_version
    from ..sweep import sweep_budget, sweep_path

    folder = new_folder("sweep", out, force, inputs=request_inputs(request))
    settings = SolverSettings(name=solver, time_limit=time_limit, mip_gap=gap)  # type: ignore[arg-type]
    with Cluster(scheduler) as cluster:
        cluster.reach()
        t0 = time.perf_counter()
        loaded = ScenarioRequest.of(request).load()
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
                cluster=cluster,
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
                "gap": gap,
                "warm_start": warm and path is None and solver == "highs",
            },
            "solver": {"name": solver, "version": highs_version() if solver == "highs" else "CBC (PuLP)"},
            "status": "ok" if all(p.status in ("optimal", "time_limit_feasible") for p in points) else "some levels have no plan",
            "levels": [
                {
                    "level": p.level,
                    "status": p.status,
                    "stage1_shortfall": p.stage1_shortfall,
                    "stage2_progress": p.stage2_progress,
                    "proof": p.proof,
                    "gap": p.gap,
                }
                for p in points
            ],
            "timings": {"load": t1 - t0, "sweep": t2 - t1},
        }
    )
    tables = {"frontier": frames.frontier_frame(points, sc), "allocation": frames.sweep_allocation_frame(points, sc)}
    write_timed(folder, tables, manifest, loaded, force)
    return JobRun(loaded, points, folder, manifest)


def run_clear(
    request: ScenarioRequest | str | Path,
    out: str | Path | None = None,
    *,
    indicators: Sequence[str] = (),
    all_missing: bool = False,
    by: int | None = None,
    pool: str = "increment",
    keep_others: bool = False,
    force: bool = False,
    time_limit: float | None = None,
    progress: Callable[[Any], None] | None = None,
    command: str = "allocator whatif clear",
    scheduler: str | None = None,
) -> JobRun:
    """Least extra money to clear indicators (and, for all missing ones, the cost-to-clear curve).

    The curve's points run on a Dask cluster: ``scheduler`` (an address), else a local one of this machine's cores.
    """
    from ..clearing import cost_to_clear, cost_to_clear_curve
    from ..distributed import Cluster
    from ..errors import InfeasibleError, OverrideError

    folder = new_folder("clear", out, force, inputs=request_inputs(request))
    with Cluster(scheduler) as cluster:
        if all_missing:
            cluster.reach()  # an unreachable scheduler fails before any solve
        t0 = time.perf_counter()
        loaded = ScenarioRequest.of(request).load()
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
        unreachable, reasons = None, []
        try:
            result = cost_to_clear(sc, keys, by=by, pool=pool, keep_others=keep_others, settings=settings)
        except InfeasibleError as exc:
            obstacles = _why_unreachable(request, sc, keys, by, pool, keep_others, settings)
            reasons = [o.as_dict() for o in obstacles]
            detail = "\n".join(f"  - {o.words('en')}" for o in obstacles)
            if not all_missing:
                error = InfeasibleError(f"{exc}:\n{detail}", status=getattr(exc, "status", "infeasible"))
                raise error.in_words({"zh": _unreachable_zh(sc, keys, pool, obstacles)}, sc.language) from None
            result, unreachable = None, f"{exc}:\n{detail}"  # all together is out of reach: the curve still says how far money goes
        curve = None
        if all_missing:
            curve = cost_to_clear_curve(sc, by=by, pool=pool, settings=settings, progress=progress, cluster=cluster)
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
            "reasons": reasons,
            "timings": {"load": t1 - t0, "solve": t2 - t1},
        }
    )
    write_run(folder, frames.published(tables), manifest, resolved_json=sc.model_dump_json(indent=2), force=force)
    return JobRun(loaded, result, folder, manifest, extra=curve)


def _unreachable_zh(sc, keys, pool, obstacles) -> str:
    """The unreachable message in Chinese: the indicators by name, each binding rule in Chinese."""
    from ..reach import zh_name
    from ..vocabulary import term

    names = "、".join(f"“{zh_name(sc, k)}”" for k in keys)
    head = f"{names}在所问年份之前无论追加多少{term('pool', pool, 'zh')}资金都无法达到"
    return head + "：\n" + "\n".join(f"  - {o.words('zh')}" for o in obstacles)


def _why_unreachable(request, sc, keys, by, pool, keep_others, settings):
    """The binding rule for each indicator that cannot be reached (structural checks first, then money rules)."""
    from ..clearing import cost_to_clear, requirement_for
    from ..errors import InfeasibleError
    from ..io.scenario_files import read_scenario_source
    from ..reach import explain_unreachable

    try:
        raw = read_scenario_source(ScenarioRequest.of(request).path)
        named, overrides = raw.scenarios, raw.overrides
    except Exception:  # a resolved .json or an unreadable source: suggestions without named scenarios
        named, overrides = {}, {}

    def reachable(scenario, keep, money_pool) -> bool:
        try:
            cost_to_clear(scenario, keys, by=by, pool=money_pool, keep_others=keep, settings=settings)
            return True
        except InfeasibleError:
            return False

    requirements = {k: requirement_for(sc, k, by) for k in keys}
    return explain_unreachable(sc, requirements, reachable, keep_others=keep_others, pool=pool, named=named, overrides=overrides)


def run_risk(
    request: ScenarioRequest | str | Path,
    out: str | Path | None = None,
    *,
    draws: int = 500,
    yield_cv: float = 0.2,
    seed: int = 0,
    resolve: bool = False,
    workers: int | None = None,
    integers: str = "fixed",
    force: bool = False,
    time_limit: float | None = None,
    progress: Callable[[int], None] | None = None,
    command: str = "allocator whatif risk",
    scheduler: str | None = None,
) -> JobRun:
    """Probability each target is met under uncertain yields; writes risk.csv and draws.csv.

    With ``resolve`` the re-solves run on a Dask cluster: ``scheduler`` (an address), else a local one of
    ``workers`` processes (all cores by default).
    """
    from ..distributed import Cluster
    from ..risk import assess_risk, check_risk_options

    check_risk_options(draws, yield_cv)  # before any work
    folder = new_folder("risk", out, force, inputs=request_inputs(request))
    t0 = time.perf_counter()
    with Cluster(scheduler, workers) as cluster:
        if resolve:
            cluster.reach()
        loaded = ScenarioRequest.of(request).load()
        t1 = time.perf_counter()
        result = assess_risk(
            loaded.scenario,
            draws=draws,
            yield_cv=yield_cv,
            seed=seed,
            resolve=resolve,
            settings=SolverSettings(time_limit=time_limit),
            progress=progress,
            integers=integers,
            cluster=cluster,
        )
        where = cluster.describe() if resolve else None
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
                "ran_on": where,
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
