"""allocator score: each unit in 100 points against its tasks and plan, ranked per track."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .common import Words, clip, command_line, emit_json, out_options, pad, say, scenario_options, words

if TYPE_CHECKING:
    from ..request import ScenarioRequest


@click.command()
@scenario_options
@click.option(
    "--actuals",
    required=True,
    type=click.Path(),
    metavar="FILE",
    help="Actual outputs: unit, indicator, year, value (CSV or book.xlsx#sheet).",
)
@click.option("--spending", required=True, type=click.Path(), metavar="FILE", help="Actual spending: unit, initiative, year, amount.")
@click.option(
    "--plan", "plan_run", type=click.Path(), metavar="RUN", help="Plan run: its task decomposition is the targets, its money the budget."
)
@click.option("--targets", type=click.Path(), metavar="FILE", help="Targets table: unit, indicator, year, target.")
@click.option(
    "--planned", type=click.Path(), metavar="FILE", help="With --targets: planned money per line (unit, initiative, year, amount)."
)
@click.option(
    "--standards", type=click.Path(), metavar="FILE", help="Standard costs replacing the unit costs: indicator, [unit,] standard."
)
@out_options("score")
@click.pass_context
def score(
    ctx: click.Context,
    request: ScenarioRequest,
    actuals: str,
    spending: str,
    plan_run: str | None,
    targets: str | None,
    planned: str | None,
    standards: str | None,
    out: str | None,
    force: bool,
) -> None:
    """Score each unit in 100 points (completion, 预算执行率, unit cost, timeliness), ranked per track; awards, next-year floors."""
    from ..pipeline import run_score

    if (plan_run is None) == (targets is None):
        raise click.UsageError("give exactly one of --plan RUN or --targets FILE")
    if plan_run is not None and planned is not None:
        raise click.UsageError("--planned goes with --targets; with --plan the plan's own money is the budget")
    run = run_score(
        request,
        out,
        actuals=actuals,
        spending=spending,
        plan_run=plan_run,
        targets=targets,
        planned=planned,
        standards=standards,
        force=force,
        command=command_line(),
    )
    print_scores(ctx, run.loaded.scenario, run.result)
    say(ctx, words(ctx, run.loaded.scenario.language)(f"运行文件夹：{run.folder}", f"run folder: {run.folder}"))
    emit_json(ctx, {"run_folder": str(run.folder), "scores": [s.model_dump() for s in run.result.scores]})


def _cell(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def _track_table(ctx: click.Context, rows, w: Words) -> None:
    say(
        ctx,
        pad(w("名次", "rank"), 5, True)
        + "  "
        + pad(w("单位", "unit"), 26)
        + pad(w("得分", "points"), 8, True)
        + pad(w("等次", "rating"), 7, True)
        + pad(w("完成度", "complete"), 10, True)
        + pad(w("执行率", "executed"), 10, True)
        + pad(w("成本", "cost"), 7, True)
        + pad(w("及时性", "on time"), 9, True)
        + pad(w("奖励", "award"), 10, True),
    )
    for s in sorted(rows, key=lambda s: (s.rank is None, s.rank or 0, s.unit)):
        say(
            ctx,
            pad(str(s.rank or "-"), 5, True)
            + "  "
            + pad(clip(s.unit_name or s.unit, 25), 26)
            + pad(_cell(s.points, ".1f"), 8, True)
            + pad(f"{s.rating} {s.grade}", 7, True)
            + pad(_cell(s.completion, ".0%"), 10, True)
            + pad(_cell(s.execution_rate, ".1%"), 10, True)
            + pad(_cell(s.unit_cost_score, ".0%"), 7, True)
            + pad(_cell(s.timeliness, ".0%"), 9, True)
            + pad(f"{s.award:,.2f}", 10, True),
        )


def print_scores(ctx: click.Context, sc, res) -> None:
    """Per year and track: rank, points, rating and the parts; then whose stock may be cut and any warning."""
    w = words(ctx, sc.language)
    policy = sc.policy.scoring
    for year in sorted({s.year for s in res.scores}):
        for track in ("college", "department"):
            rows = [s for s in res.scores if s.year == year and s.track == track]
            if rows:
                pool = policy.incentive_pool * policy.track_shares[track]
                say(
                    ctx,
                    w(
                        f"{year}年{w.term('unit_type', track)}：百分制得分（{sc.currency}；奖励份额 {pool:,.2f}）",
                        f"{year} {track}s: 100-point score ({sc.currency}; pool share {pool:,.2f})",
                    ),
                )
                _track_table(ctx, rows, w)
    cuts = [f for f in res.next_floors if f.floor_share < 1 and f.grade in ("C", "D")]
    if cuts:
        names = [
            w(
                f"{w.name(sc.units[f.unit], f.unit)}（{f.grade}：保留{f.floor_share:.0%}，至多可收回{f.may_reclaim:,.1f}）",
                f"{w.name(sc.units[f.unit], f.unit)} ({f.grade}: keeps {f.floor_share:.0%}, up to {f.may_reclaim:,.1f} reclaimable)",
            )
            for f in cuts
        ]
        say(ctx, w("下一年度可压减存量的单位：", "next year's stock may be cut for: ") + w("；", "; ").join(names))
    for warning in res.warnings:
        say(ctx, w(f"警告：{warning}", f"warning: {warning}"), fg="yellow")
