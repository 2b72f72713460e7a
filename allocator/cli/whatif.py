"""allocator whatif: budget sweeps, the cost to clear missing indicators, and risk under uncertain yields."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    say,
    scenario_options,
    solver_options,
    state,
    words,
)
from .values import GAP, SECONDS, YIELD_CV

if TYPE_CHECKING:
    from ..request import ScenarioRequest


@click.group()
def whatif() -> None:
    """What-if questions: budget frontiers, cost to clear missing indicators, risk."""


@whatif.command()
@scenario_options
@solver_options
@click.option("--increment", "inc_range", metavar="START:STOP:STEP", help="Scale every increment fund over these levels (1 = as given).")
@click.option("--stock", "stock_range", metavar="START:STOP:STEP", help="Scale every stock fund over these levels.")
@click.option("--total", "total_range", metavar="START:STOP:STEP", help="Scale every fund over these levels.")
@click.option("--param", "param", metavar="PATH=START:STOP:STEP", help="Set any scenario path to each value (rebuilds per level).")
@click.option("--cold", is_flag=True, help="Rebuild and solve each level from scratch (for comparison).")
@click.option(
    "--integers",
    type=click.Choice(["free", "fixed"]),
    default="free",
    show_default=True,
    help="Re-decide lumpy (whole-unit) items at every level, or hold the base plan's where they still fit (fast).",
)
@click.option(
    "--gap",
    type=GAP,
    metavar="G",
    help="Relative gap every level is proved to (default: the plan's, 1e-6 or 1e-4 above 10,000 columns); "
    "frontier.csv says how each level was proved and to what gap.",
)
@out_options("sweep")
@cluster_options
@click.pass_context
def sweep(
    ctx: click.Context,
    request: ScenarioRequest,
    solver: str,
    time_limit: float | None,
    inc_range: str | None,
    stock_range: str | None,
    total_range: str | None,
    param: str | None,
    cold: bool,
    integers: str,
    gap: float | None,
    out: str | None,
    force: bool,
    scheduler: str | None,
) -> None:
    """Solve at many budget levels and write frontier.csv (which targets slip first as money falls)."""
    from ..errors import OverrideError
    from ..pipeline import run_sweep
    from ..sweep import parse_range

    chosen = [(n, v) for n, v in (("increment", inc_range), ("stock", stock_range), ("total", total_range), ("param", param)) if v]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --increment, --stock, --total or --param")
    scope, text = chosen[0]
    path = None
    if scope == "param":
        if "=" not in text:
            raise OverrideError(f"--param {text}: expected PATH=START:STOP:STEP")
        path, text = text.split("=", 1)
    levels = parse_range(text, f"--{scope}", budget=scope != "param")
    if scope != "param" and min(levels) < 0:
        raise OverrideError(f"--{scope} {text}: a sweep range cannot reach a negative budget ({min(levels):g})")
    bar = Progress(ctx, len(levels), "sweeping")
    try:
        run = run_sweep(
            request,
            out,
            scope=None if path else scope,
            levels=levels,
            path=path,
            solver=solver,
            time_limit=time_limit,
            force=force,
            warm=not cold,
            integers=integers,
            gap=gap,
            progress=bar.step,
            command=command_line(),
            scheduler=scheduler,
        )
    finally:
        bar.close()
    _print_frontier(ctx, run)
    emit_json(ctx, {"run_folder": str(run.folder), "levels": run.manifest["levels"], "timings": run.manifest["timings"]})


@whatif.command()
@scenario_options
@click.option("--indicator", "indicators", multiple=True, metavar="KEY", help="Indicator to clear (repeatable: all together).")
@click.option("--all-missing", is_flag=True, help="Every missing indicator together, plus the cost-to-clear curve.")
@click.option("--by", type=int, metavar="YEAR", help="Year to reach it by (default: its clear-by or target year).")
@click.option(
    "--pool",
    type=click.Choice(["increment", "total"]),
    default="increment",
    show_default=True,
    help="Where the extra money may go: the increment only, or either school pool.",
)
@click.option("--keep-others", is_flag=True, help="No other indicator may fall below its base-plan value.")
@click.option("--time-limit", type=SECONDS, metavar="S", help="Stop each solve after S seconds.")
@out_options("clear")
@cluster_options
@click.pass_context
def clear(
    ctx: click.Context,
    request: ScenarioRequest,
    indicators: tuple[str, ...],
    all_missing: bool,
    by: int | None,
    pool: str,
    keep_others: bool,
    time_limit: float | None,
    out: str | None,
    force: bool,
    scheduler: str | None,
) -> None:
    """Least extra money that reaches an indicator's target (a missing one's first unit) by a year."""
    from ..pipeline import run_clear

    if indicators and all_missing:
        raise click.UsageError("give --indicator or --all-missing, not both")
    bar = Progress(ctx, None, "cost-to-clear curve")  # one step per point; their number is known only after loading
    try:
        run = run_clear(
            request,
            out,
            indicators=indicators,
            all_missing=all_missing,
            by=by,
            pool=pool,
            keep_others=keep_others,
            force=force,
            time_limit=time_limit,
            progress=bar.step,
            command=command_line(),
            scheduler=scheduler,
        )
    finally:
        bar.close()
    sc, res = run.loaded.scenario, run.result
    w = words(ctx, sc.language)
    if res is not None:
        _print_clear(ctx, sc, res, pool, w)
    if run.extra is not None:
        say(
            ctx,
            w(
                "清零成本曲线（至少清零 k 个缺项指标所需的最少追加资金；列出该方案实际清零的指标，k=0 即原方案）：",
                "cost-to-clear curve (least extra money for at least k missing indicators cleared; each row names "
                "every one its plan clears, k=0 being the base plan's):",
            ),
        )
        for p in run.extra:
            money = w.term("status", "unreachable") if p.status not in ("optimal", "time_limit_feasible") else f"{p.extra_total:,.2f}"
            cleared = w("、", ", ").join(w.name(sc.indicators[k], k) for k in p.cleared)
            say(ctx, f"  k={p.k:<3} {pad(money, 14, True)}  {cleared}")
    for reason in run.manifest.get("reasons") or []:
        say(ctx, "  " + reason[w.lang], fg="yellow")
    say(ctx, w(f"运行文件夹：{run.folder}", f"run folder: {run.folder}"))
    summary = {
        "run_folder": str(run.folder),
        "status": run.manifest["status"],
        "extra_total": run.manifest["extra_total"],
        "extra_by_year": run.manifest["extra_by_year"],
    }
    if run.extra is not None:
        summary["curve"] = [{"k": p.k, "status": p.status, "extra_total": p.extra_total, "cleared": list(p.cleared)} for p in run.extra]
    if res is None:
        from ..errors import InfeasibleError

        state(ctx).json_extra = summary  # under --json the error carries the run's summary
        raise InfeasibleError(f"{run.manifest['message']}\n(the cost-to-clear curve shows how many can be cleared, and for how much)")
    emit_json(ctx, summary)


def _print_clear(ctx: click.Context, sc, res, pool: str, w: Words) -> None:
    names = w("、", ", ").join(w.name(sc.indicators[k], k) for k in res.indicators)
    years = w("，", ", ").join(f"{y}: {v:,.2f}" for y, v in res.extra_by_year.items() if v > 0) or w("无", "none")
    say(ctx, w(f"清零：{names}", f"Clearing {names}"))
    for k in res.indicators:
        year, level = res.requirements[k]
        base, value = res.base_values[k], res.values[k]
        say(
            ctx,
            w(
                f"  {w.name(sc.indicators[k], k)}：{year}年达到{level:g}（原方案：{base:.4g}；追加资金后：{value:.4g}）",
                f"  {w.name(sc.indicators[k], k)}: reach {level:g} by {year} (base plan: {base:.4g}; with the extra money: {value:.4g})",
            ),
        )
    pool_word = w.term("pool", pool)
    say(
        ctx,
        w(
            f"最少追加{pool_word}资金：{res.extra_total:,.2f} {sc.currency}（{years}）",
            f"least extra {pool} money: {res.extra_total:,.2f} {sc.currency}  ({years})",
        ),
        fg="green",
    )
    say(
        ctx,
        w(
            f"追加后的方案：第一阶段 {res.stage1_shortfall:.3f}，第二阶段 {res.stage2_progress:.4f}",
            f"plan with it: stage 1 {res.stage1_shortfall:.3f}, stage 2 {res.stage2_progress:.4f}",
        ),
    )


@whatif.command()
@scenario_options
@click.option("--draws", default=500, show_default=True, type=click.IntRange(min=1), help="Number of yield draws.")
@click.option("--yield-cv", default=0.2, show_default=True, type=YIELD_CV, help="Coefficient of variation of each yield.")
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed (same seed, same answer).")
@click.option("--resolve", is_flag=True, help="Re-optimize the plan for each draw instead of evaluating the fixed plan.")
@click.option("--workers", type=click.IntRange(min=1), help="Local worker processes for --resolve (default: all cores).")
@click.option(
    "--integers",
    type=click.Choice(["fixed", "free"]),
    default="fixed",
    show_default=True,
    help="With --resolve: keep the plan's lumpy commitments (fast) or re-decide them per draw.",
)
@click.option("--time-limit", type=SECONDS, metavar="S", help="Stop each solve after S seconds.")
@out_options("risk")
@cluster_options
@click.pass_context
def risk(
    ctx: click.Context,
    request: ScenarioRequest,
    draws: int,
    yield_cv: float,
    seed: int,
    resolve: bool,
    workers: int | None,
    integers: str,
    time_limit: float | None,
    out: str | None,
    force: bool,
    scheduler: str | None,
) -> None:
    """Probability each target is met by its year when effect yields are uncertain."""
    from ..pipeline import run_risk

    if workers is not None and scheduler:
        raise click.UsageError(f"--workers sizes the local cluster; give it or --scheduler/ALLOCATOR_SCHEDULER ({scheduler}), not both")
    bar = Progress(ctx, draws, "draws")
    try:
        run = run_risk(
            request,
            out,
            draws=draws,
            yield_cv=yield_cv,
            seed=seed,
            resolve=resolve,
            workers=workers,
            integers=integers,
            force=force,
            time_limit=time_limit,
            progress=bar.advance,
            command=command_line(),
            scheduler=scheduler,
        )
    finally:
        bar.close()
    sc, res = run.loaded.scenario, run.result
    w = words(ctx, sc.language)
    mode = w("每次重新优化", "re-optimized per draw") if resolve else w("方案固定", "plan fixed")
    seconds = run.manifest["timings"]["draws"]
    say(
        ctx,
        w(
            f"{sc.name} 的达成风险：{draws}次模拟，产出变异系数{yield_cv:g}，随机种子{seed}（{mode}，{seconds:.2f} 秒）",
            f"Risk for {sc.name}: {draws} draws, yield cv {yield_cv:g}, seed {seed} ({mode}, {seconds:.2f} s)",
        ),
    )
    say(
        ctx,
        pad(w("指标", "indicator"), 34)
        + pad(w("目标值", "target"), 12, True)
        + pad(w("方案值", "plan"), 12, True)
        + pad(w("达成概率", "P(met)"), 10, True)
        + pad("5%-95%", 24, True),
    )
    for k in sorted(res.indicators, key=lambda k: res.probability[k]):
        ind = sc.indicators[k]
        spread = f"{format_value(res.p05[k], '', ind.kind)}-{format_value(res.p95[k], '', ind.kind)}"
        say(
            ctx,
            pad(clip(w.name(ind, k), 33), 34)
            + pad(format_value(ind.target, "", ind.kind), 12, True)
            + pad(format_value(res.plan_values[k], "", ind.kind), 12, True)
            + pad(f"{res.probability[k]:.1%}", 10, True)
            + pad(spread, 24, True),
        )
    say(ctx, w(f"运行文件夹：{run.folder}", f"run folder: {run.folder}"))
    emit_json(ctx, {"run_folder": str(run.folder), "probability": res.probability})


def _print_frontier(ctx: click.Context, run) -> None:
    sc = run.loaded.scenario
    w = words(ctx, sc.language)
    seconds = run.manifest["timings"]["sweep"]
    say(
        ctx,
        w(
            f"{sc.name} 的预算前沿（{len(run.result)}个水平，{seconds:.2f} 秒）",
            f"Frontier of {sc.name} ({len(run.result)} levels, {seconds:.2f} s)",
        ),
    )
    say(
        ctx,
        pad(w("水平", "level"), 8, True)
        + pad(w(f"预算（{sc.currency}）", f"budget ({sc.currency})"), 18, True)
        + pad(w("状态", "status"), 14, True)
        + pad(w("第一阶段", "stage 1"), 10, True)
        + pad(w("第二阶段", "stage 2"), 10, True)
        + pad(w("达成", "met"), 6, True)
        + w("  新未达成", "  newly unmet"),
    )
    previous: set[str] = set()
    for p in sorted(run.result, key=lambda p: -p.level):
        unmet = {k for k, m in p.met.items() if not m}
        newly = sorted(unmet - previous) if previous or p is not max(run.result, key=lambda q: q.level) else sorted(unmet)
        names = w("、", ", ").join(w.name(sc.indicators[k], k) for k in newly)
        say(
            ctx,
            pad(f"{p.level:g}", 8, True)
            + pad(f"{p.budget:,.0f}", 18, True)
            + pad(clip(w.term("status", p.status), 13), 14, True)
            + pad(f"{p.stage1_shortfall:.3f}", 10, True)
            + pad(f"{p.stage2_progress:.4f}", 10, True)
            + pad(str(sum(p.met.values())), 6, True)
            + "  "
            + clip(names, 60),
        )
        previous = unmet
    say(ctx, w(f"运行文件夹：{run.folder}", f"run folder: {run.folder}"))


# ---------------------------------------------------------------------------------------------
# summaries
# ---------------------------------------------------------------------------------------------
