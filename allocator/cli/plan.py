"""Scenario commands: validate, plan, show-scenario and convert."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from .common import clip, command_line, emit_json, format_value, out_options, pad, refuse_existing, say, scenario_options, solver_options

if TYPE_CHECKING:
    from ..request import ScenarioRequest


@click.command()
@scenario_options
@click.pass_context
def validate(
    ctx: click.Context,
    request: ScenarioRequest,
) -> None:
    """Check a scenario and report every problem with its file, row and column."""
    loaded = request.load()
    sc = loaded.scenario
    missing = [k for k, ind in sc.indicators.items() if ind.is_missing]
    say(
        ctx,
        f"ok: {sc.name}: {len(sc.indicators)} indicators ({len(missing)} missing), {len(sc.units)} units, "
        f"{len(sc.initiatives)} initiatives, {len(sc.sources)} restricted sources"
        + (f", {len(sc.goals)} goals" if sc.goals else "")
        + f", {sc.start_year}-{sc.end_year}",
        fg="green",
    )
    for ov in loaded.applied:
        say(ctx, f"  override {ov['path']}: {ov['old']!r} -> {ov['new']!r} ({ov['origin']})")
    emit_json(ctx, {"status": "ok", "scenario": sc.name, "input_sha256": loaded.input_sha256, "overrides": list(loaded.applied)})


@click.command()
@scenario_options
@solver_options
@out_options("plan")
@click.option("--no-marginals", is_flag=True, help="Skip marginal values (marginals.csv).")
@click.option("--performance", type=click.Path(), metavar="SCORE_RUN", help="Use the grades and next-year floors of a score run.")
@click.pass_context
def plan(
    ctx: click.Context,
    request: ScenarioRequest,
    solver: str,
    time_limit: float | None,
    out: str | None,
    force: bool,
    no_marginals: bool,
    performance: str | None,
) -> None:
    """Split the budget across units and initiatives, and write a run folder."""
    from ..pipeline import run_plan

    run = run_plan(
        request,
        out,
        solver=solver,
        time_limit=time_limit,
        force=force,
        marginals=not no_marginals,
        performance=performance,
        command=command_line(),
    )
    _print_plan_summary(ctx, run)
    emit_json(ctx, _plan_json(run))


@click.command("show-scenario")
@scenario_options
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
@click.pass_context
def show_scenario(ctx: click.Context, request: ScenarioRequest, fmt: str) -> None:
    """Print the merged, validated scenario (after named scenarios and overrides)."""
    import yaml

    sc = request.load().scenario
    data = sc.model_dump(mode="json")
    click.echo(
        json.dumps(data, ensure_ascii=False, indent=2) if fmt == "json" else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    )


@click.command()
@scenario_options
@click.option("--to", "target", required=True, type=click.Path(), help="A new folder, or a file ending in .xlsx.")
@click.option("--force", is_flag=True, help="Replace the target if it exists.")
@click.pass_context
def convert(
    ctx: click.Context,
    request: ScenarioRequest,
    target: str,
    force: bool,
) -> None:
    """Convert a scenario between the folder (YAML + CSV) and the one-workbook (.xlsx) forms."""
    from ..io.scenario_files import write_scenario_folder, write_scenario_workbook

    refuse_existing(target, force, "--to")
    sc = request.load().scenario
    inputs = (request.path, *request.override_files)
    if target.lower().endswith(".xlsx"):
        write_scenario_workbook(sc, target, force=force, inputs=inputs)
    else:
        write_scenario_folder(sc, target, force=force, inputs=inputs)
    say(ctx, f"wrote {target}", fg="green")


def _plan_json(run) -> dict[str, Any]:
    res = run.result
    return {
        "status": res.status.value,
        "run_folder": str(run.folder),
        "objective": {"stage1_shortfall": res.stage1_shortfall, "stage2_progress": res.stage2_progress},
        "stages": [s.model_dump(mode="json") for s in res.solver.stages],
        "levels": [lv.model_dump(mode="json") for lv in res.levels],
        "indicators": [
            {"indicator": r.indicator, "year": r.year, "value": r.value, "target": r.target, "met": r.met}
            for r in res.indicators
            if r.year == r.target_year
        ],
        "budget": [r.model_dump() for r in res.budget],
        "timings": run.manifest["timings"],
    }


def _print_money(ctx: click.Context, budget, currency: str) -> None:
    """Allocated money per pool and source by year, then allocated, available and unused totals.

    Amounts are the published ones (whole 0.01); totals are added in whole hundredths, so the rows shown
    add up exactly to the totals shown.
    """
    from ..rounding import from_quanta, to_quanta

    years = sorted({b.year for b in budget})
    keys = sorted({(b.pool, b.source) for b in budget}, key=lambda k: (k[0] != "stock", k[1]))
    cell = {(b.year, b.pool, b.source): b for b in budget}
    say(ctx, pad(f"money ({currency}) allocated", 44) + "".join(pad(str(y), 12, True) for y in years))
    sums = {y: [0, 0] for y in years}
    for pool, source in keys:
        cells = []
        for y in years:
            b = cell.get((y, pool, source))
            if b is None:
                cells.append(pad("-", 12, True))
                continue
            sums[y][0] += to_quanta(b.allocated)
            sums[y][1] += to_quanta(b.available)
            cells.append(pad(f"{b.allocated:,.2f}", 12, True))
        say(ctx, pad(f"{pool} ({source})", 44) + "".join(cells))
    totals = {"allocated": {y: a for y, (a, _) in sums.items()}, "available": {y: v for y, (_, v) in sums.items()}}
    totals["unused"] = {y: v - a for y, (a, v) in sums.items()}
    for label, by_year in totals.items():
        say(ctx, pad(label, 44) + "".join(pad(f"{from_quanta(by_year[y]):,.2f}", 12, True) for y in years))


def gap_words(stage) -> str:
    """How close a stage is proven to its optimum: '  (MIP gap 0 proven; limit 1e-06)'; blank for an LP."""
    if stage.gap_limit is None:
        return ""
    limit = "1e-6 absolute" if stage.gap_limit == 0 else f"{stage.gap_limit:g}"
    if stage.mip_gap is not None:
        return f"  (MIP gap {stage.mip_gap:.2g} proven; limit {limit})"
    if stage.status.value == "optimal":
        return f"  (MIP gap within {limit}; the solver reports no bound)"
    return "  (MIP gap unknown)"


def _print_plan_summary(ctx: click.Context, run) -> None:
    res, sc = run.result, run.loaded.scenario
    title = sc.title_zh if sc.language == "zh" and sc.title_zh else (sc.title_en or sc.name)
    total = sum(run.manifest["timings"].values())
    status_colour = "green" if res.status.value == "optimal" else "yellow"
    say(ctx, f"Plan {sc.name}: {title}")
    say(ctx, f"status: {res.status.value} ({res.solver.name}, {total:.2f} s)", fg=status_colour)
    if res.status.value != "optimal":
        say(ctx, "  the time limit stopped the solver: the plan is feasible but not proven optimal", fg="yellow")
    gaps = {s.name: gap_words(s) for s in res.solver.stages}
    say(ctx, f"stage 1  missing indicators not cleared by their year: {res.stage1_shortfall:.3f}{gaps.get('stage1', '')}")
    say(ctx, f"stage 2  weighted progress toward targets:            {res.stage2_progress:.6f}{gaps.get('stage2', '')}")
    for level in res.levels:
        say(ctx, f"  {level.words}", fg=None if level.met == level.goals else "yellow")
    say(ctx)
    say(ctx, pad("indicator", 34) + pad("year", 6) + pad("projected", 12, True) + pad("target", 12, True) + "  met")
    for r in res.indicators:
        if r.year != r.target_year:
            continue
        ind = sc.indicators[r.indicator]
        name = ind.name_zh if sc.language == "zh" else (ind.name_en or ind.name_zh)
        mark = "yes" if r.met else "NO"
        line = (
            pad(clip(name, 33), 34)
            + pad(str(r.year), 6)
            + pad(format_value(r.value, ind.unit_label, ind.kind), 12, True)
            + pad(format_value(r.target, ind.unit_label, ind.kind), 12, True)
            + f"  {mark}"
        )
        say(ctx, line, fg=None if r.met else "yellow")
    say(ctx)
    _print_money(ctx, res.budget, sc.currency)
    budget_marginals = sorted((m for m in res.marginals if m.family == "fund_limit"), key=lambda m: (m.value_stage1, -m.value_stage2))
    if budget_marginals:
        say(ctx)
        say(ctx, "marginal value of money (best first):")
        for m in budget_marginals[:3]:
            say(ctx, f"  {m.words}")
    for w in res.warnings:
        say(ctx, f"warning: {w}", fg="yellow")
    say(ctx)
    say(ctx, f"run folder: {run.folder}")
