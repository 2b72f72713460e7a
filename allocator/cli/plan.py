"""Scenario commands: validate, plan, show-scenario and convert."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from .common import (
    Progress,
    Words,
    clip,
    cluster_options,
    command_line,
    emit_json,
    format_value,
    out_options,
    pad,
    refuse_existing,
    say,
    scenario_options,
    solver_options,
    words,
)
from .line_options import ROLLING_OPTIONS

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
    w = words(ctx, sc.language)
    say(
        ctx,
        w(
            f"通过：{sc.name}：{len(sc.indicators)}个指标（{len(missing)}个缺项）、{len(sc.units)}个单位、{len(sc.initiatives)}项举措、"
            f"{len(sc.sources)}项限定用途资金" + (f"、{len(sc.goals)}个目标" if sc.goals else "") + f"，{sc.start_year}-{sc.end_year}年",
            f"ok: {sc.name}: {len(sc.indicators)} indicators ({len(missing)} missing), {len(sc.units)} units, "
            f"{len(sc.initiatives)} initiatives, {len(sc.sources)} restricted sources"
            + (f", {len(sc.goals)} goals" if sc.goals else "")
            + f", {sc.start_year}-{sc.end_year}",
        ),
        fg="green",
    )
    for ov in loaded.applied:
        say(
            ctx,
            w(
                f"  修改 {ov['path']}：{ov['old']!r} -> {ov['new']!r}（{ov['origin']}）",
                f"  override {ov['path']}: {ov['old']!r} -> {ov['new']!r} ({ov['origin']})",
            ),
        )
    emit_json(ctx, {"status": "ok", "scenario": sc.name, "input_sha256": loaded.input_sha256, "overrides": list(loaded.applied)})


@click.command()
@scenario_options
@solver_options
@out_options("plan")
@click.option("--no-marginals", is_flag=True, help="Skip marginal values (marginals.csv).")
@click.option("--performance", type=click.Path(), metavar="SCORE_RUN", help="Use the grades and next-year floors of a score run.")
@click.option(
    "--decompose",
    metavar="COLUMN",
    help="Solve by decomposition over the groups of units that share a value of this units-table column "
    "(e.g. university): one task per group, a master pricing the shared budget rows (docs/scale.md).",
)
@cluster_options
@ROLLING_OPTIONS[0]
@ROLLING_OPTIONS[1]
@ROLLING_OPTIONS[2]
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
    decompose: str | None,
    scheduler: str | None,
    actuals_dir: str | None,
    from_year: int | None,
    until_year: int | None,
) -> None:
    """Split the budget across units and initiatives, and write a run folder.

    With --actuals DIR --from YEAR the years before YEAR are locked to what was spent and measured, and YEAR..end
    is re-planned (a rolling re-plan or mid-term review); --until extends the horizon past the policy's last year.
    """
    from ..pipeline import run_plan
    from ..rolling import RollingRequest

    rolling = RollingRequest(actuals=actuals_dir, from_year=from_year, until=until_year)
    if rolling.active:
        request = request.with_rolling(rolling)

    bar = Progress(ctx, None, "decomposition rounds") if decompose else None
    try:
        run = _run(ctx, run_plan, request, out, solver, time_limit, force, no_marginals, performance, scheduler, decompose, bar)
    finally:
        if bar is not None:
            bar.close()
    _print_plan_summary(ctx, run)
    if decompose:
        _print_decomposition(ctx, run.manifest["decomposition"], run.manifest["timings"])
    payload = _plan_json(run)
    if decompose:
        payload["decomposition"] = run.manifest["decomposition"]
    emit_json(ctx, payload)


def _run(ctx, run_plan, request, out, solver, time_limit, force, no_marginals, performance, scheduler, decompose, bar):
    return run_plan(
        request,
        out,
        solver=solver,
        time_limit=time_limit,
        force=force,
        marginals=not no_marginals,
        performance=performance,
        command=command_line(),
        scheduler=scheduler,
        decompose=decompose,
        progress=bar.step if bar is not None else None,
    )


def _print_decomposition(ctx: click.Context, info: dict[str, Any], timings: dict[str, float]) -> None:
    s1, s2 = info["stage1"], info["stage2"]
    say(ctx)
    say(
        ctx,
        f"decomposition by {info['column']}: {info['groups']} groups, {info['linking_rows']} shared rows, "
        f"{info['proposals']} proposals, on {info['ran_on']}",
    )
    say(ctx, f"  stage 1 shortfall {s1['value']:.6g}, bound {s1['bound']:.6g} (gap {s1['gap']:.3g})")
    say(ctx, f"  stage 2 progress  {s2['value']:.6g}, bound {s2['bound']:.6g} (gap {100 * s2['gap']:.3g}%)", fg="green")
    t = info["timings"]
    say(ctx, f"  blocks {t['blocks']:.1f} s, column generation {t['column_generation']:.1f} s, final plans {t['final']:.1f} s")


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
    from ..conversion import convert_scenario

    refuse_existing(target, force, "--to")
    path, named = convert_scenario(request, target, force=force, inputs=(request.path, *request.override_files))
    say(ctx, f"wrote {path}" + (f" (named scenarios: {', '.join(named)})" if named else ""), fg="green")


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


def money_lines(budget, currency: str, w: Words, scenario: dict) -> list[str]:
    """Allocated money per pool and source by year, then allocated, available and unused totals.

    Amounts are the published ones (whole 0.01); totals are added in whole hundredths, so the rows shown
    add up exactly to the totals shown.
    """
    from ..rounding import from_quanta, to_quanta
    from ..vocabulary import pool_source_name

    years = sorted({b.year for b in budget})
    keys = sorted({(b.pool, b.source) for b in budget}, key=lambda k: (k[0] != "stock", k[1] != "school", k[1]))
    cell = {(b.year, b.pool, b.source): b for b in budget}
    out = [pad(w(f"已分配资金（{currency}）", f"money ({currency}) allocated"), 44) + "".join(pad(str(y), 12, True) for y in years)]
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
        fund = pool_source_name(pool, source, scenario, w.lang)
        label = f"{w.term('pool', pool)}（{fund}）" if w.zh else f"{pool} ({fund})"
        out.append(pad(clip(label, 43), 44) + "".join(cells))
    totals = {
        w("已分配合计", "allocated"): {y: a for y, (a, _) in sums.items()},
        w("可用合计", "available"): {y: v for y, (_, v) in sums.items()},
        w("未使用", "unused"): {y: v - a for y, (a, v) in sums.items()},
    }
    for label, by_year in totals.items():
        out.append(pad(label, 44) + "".join(pad(f"{from_quanta(by_year[y]):,.2f}", 12, True) for y in years))
    return out


def gap_words(stage, w: Words | None = None) -> str:
    """How close a stage is proven to its optimum: '  (MIP gap 0 proven; limit 1e-06)'; blank for an LP."""
    w = w or Words("en")
    if stage.gap_limit is None:
        return ""
    limit = w("绝对值 1e-6", "1e-6 absolute") if stage.gap_limit == 0 else f"{stage.gap_limit:g}"
    if stage.mip_gap is not None:
        return w(f"（已证明 MIP 间隙 {stage.mip_gap:.2g}；上限 {limit}）", f"  (MIP gap {stage.mip_gap:.2g} proven; limit {limit})")
    if stage.status.value == "optimal":
        return w(f"（MIP 间隙在 {limit} 以内；求解器未给出界）", f"  (MIP gap within {limit}; the solver reports no bound)")
    return w("（MIP 间隙未知）", "  (MIP gap unknown)")


def _print_plan_summary(ctx: click.Context, run) -> None:
    for text, colour in plan_summary(run, words(ctx, run.loaded.scenario.language)):
        say(ctx, text, fg=colour)


def plan_summary(run, w: Words) -> list[tuple[str, str | None]]:
    """The plan's console summary as (line, colour) pairs: status, objectives, targets, money, what money is worth."""
    from ..vocabulary import fund_name, money_marginal

    res, sc = run.result, run.loaded.scenario
    data = sc.model_dump(mode="json")
    title = (sc.title_zh or sc.title_en or sc.name) if w.zh else (sc.title_en or sc.title_zh or sc.name)
    total = sum(run.manifest["timings"].values())
    status = w.term("status", res.status.value)
    out: list[tuple[str, str | None]] = [(w(f"方案 {sc.name}：{title}", f"Plan {sc.name}: {title}"), None)]
    out.append(
        (
            w(f"状态：{status}（{res.solver.name}，{total:.1f} 秒）", f"status: {status} ({res.solver.name}, {total:.1f} s)"),
            "green" if res.status.value == "optimal" else "yellow",
        )
    )
    if res.status.value != "optimal" and "decomposition" in run.manifest:
        out.append(
            (
                w(
                    "  分解求解的方案满足全部规则；与最优的差距见下方的界与差距",
                    "  a decomposed plan keeps every rule; how close it is to the optimum is the gap below",
                ),
                "yellow",
            )
        )
    elif res.status.value != "optimal":
        out.append(
            (
                w(
                    "  求解达到时间上限：方案可行，但未证明最优",
                    "  the time limit stopped the solver: the plan is feasible but not proven optimal",
                ),
                "yellow",
            )
        )
    gaps = {s.name: gap_words(s, w) for s in res.solver.stages}
    stage1, stage2 = f"{res.stage1_shortfall:.3f}{gaps.get('stage1', '')}", f"{res.stage2_progress:.6f}{gaps.get('stage2', '')}"
    out.append(
        (w(f"第一阶段  缺项指标未按期清零的差额：{stage1}", f"stage 1  missing indicators not cleared by their year: {stage1}"), None)
    )
    out.append(
        (w(f"第二阶段  各目标的加权进展：        {stage2}", f"stage 2  weighted progress toward targets:            {stage2}"), None)
    )
    for level in res.levels:
        out.append((f"  {level.words}", None if level.met == level.goals else "yellow"))
    out.append(("", None))
    heading = pad(w("指标", "indicator"), 34) + pad(w("年份", "year"), 6) + pad(w("预计值", "projected"), 12, True)
    out.append((heading + pad(w("目标值", "target"), 12, True) + w("  达成", "  met"), None))
    for r in res.indicators:
        if r.year != r.target_year:
            continue
        ind = sc.indicators[r.indicator]
        line = (
            pad(clip(w.name(ind, r.indicator), 33), 34)
            + pad(str(r.year), 6)
            + pad(format_value(r.value, ind.unit_label, ind.kind), 12, True)
            + pad(format_value(r.target, ind.unit_label, ind.kind), 12, True)
            + "  "
            + (w("是", "yes") if r.met else w("否", "NO"))
        )
        out.append((line, None if r.met else "yellow"))
    out.append(("", None))
    out += [(line, None) for line in money_lines(res.budget, sc.currency, w, data)]
    rule = run.manifest.get("performance_money")
    if rule:
        out.append(
            (w(f"绩效资金（performance_money.csv）：{rule['rule_zh']}", f"performance money (performance_money.csv): {rule['rule']}"), None)
        )
    budget_marginals = sorted((m for m in res.marginals if m.family == "fund_limit"), key=lambda m: (m.value_stage1, -m.value_stage2))
    if budget_marginals:
        out.append(("", None))
        out.append((w("资金的边际价值（最高的三项）：", "marginal value of money (best first):"), None))
        for m in budget_marginals[:3]:
            fund = fund_name(m.fund, data, w.lang)
            out.append(("  " + money_marginal(fund, m.year, m.value_stage1, m.value_stage2, w.lang, sc.currency), None))
    for warning in res.warnings:
        out.append((w(f"警告：{warning}", f"warning: {warning}"), "yellow"))
    out.append(("", None))
    out.append((w(f"运行文件夹：{run.folder}", f"run folder: {run.folder}"), None))
    return out
