"""Performance jobs: score units' actual outputs against money and targets; DEA on any table."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pandas as pd

from ..io.atomic import ensure_new
from ..io.run_folder import write_run
from ..request import ScenarioRequest
from .runs import JobRun, base_manifest, new_folder


def _plan_targets(plan_run: str | Path) -> tuple[Any, dict[str, dict[int, float]], dict[str, Any]]:
    """Targets (a Table) from a plan run's unit_indicators.csv, and its planned stock per unit and year."""
    from ..io.run_folder import read_manifest, read_table
    from ..scoring import Table

    manifest = read_manifest(plan_run)
    if manifest.get("kind") != "plan":
        from ..errors import RunFolderError

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
    request: ScenarioRequest | str | Path,
    out: str | Path | None = None,
    *,
    actuals: str | Path,
    spending: str | Path,
    plan_run: str | Path | None = None,
    targets: str | Path | None = None,
    force: bool = False,
    command: str = "allocator score",
) -> JobRun:
    """Score units' actual outputs against their money and targets; write scores, DEA, awards and next floors."""
    from ..errors import OverrideError
    from ..io.records import read_rows
    from ..scoring import Table, score_units, validate_inputs

    if (plan_run is None) == (targets is None):
        raise OverrideError("give the units' targets with exactly one of --plan RUN or --targets FILE")
    folder = new_folder("score", out, force)
    t0 = time.perf_counter()
    loaded = ScenarioRequest.of(request).load()
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
    from ..dea import dea_table
    from ..io.atomic import atomic_write_bytes
    from ..io.records import read_rows

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
