"""allocator score: units' actual outputs against their money and targets."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .common import clip, command_line, emit_json, out_options, pad, say, scenario_options

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
@click.option("--plan", "plan_run", type=click.Path(), metavar="RUN", help="Plan run whose per-unit outputs are the targets.")
@click.option("--targets", type=click.Path(), metavar="FILE", help="Targets table: unit, indicator, year, target.")
@out_options("score")
@click.pass_context
def score(
    ctx: click.Context,
    request: ScenarioRequest,
    actuals: str,
    spending: str,
    plan_run: str | None,
    targets: str | None,
    out: str | None,
    force: bool,
) -> None:
    """Score each unit's actual output against its money: completion, DEA, grades, awards, next-year floors."""
    from ..pipeline import run_score

    if (plan_run is None) == (targets is None):
        raise click.UsageError("give exactly one of --plan RUN or --targets FILE")
    run = run_score(
        request,
        out,
        actuals=actuals,
        spending=spending,
        plan_run=plan_run,
        targets=targets,
        force=force,
        command=command_line(),
    )
    sc, res = run.loaded.scenario, run.result
    for year in sorted({s.year for s in res.scores}):
        say(ctx, f"Ranking {year} ({sc.currency}; pool {sc.policy.scoring.incentive_pool:,.2f})")
        say(
            ctx,
            pad("rank", 5, True)
            + "  "
            + pad("unit", 26)
            + pad("spent", 10, True)
            + pad("complete", 10, True)
            + pad("DEA", 8, True)
            + pad("cost-eff", 10, True)
            + pad("score", 8, True)
            + pad("grade", 7, True)
            + pad("award", 12, True),
        )
        for s in sorted((s for s in res.scores if s.year == year), key=lambda s: (s.rank is None, s.rank or 0, s.unit)):
            name = sc.units[s.unit].name_zh if sc.language == "zh" else (sc.units[s.unit].name_en or s.unit)
            fmt = lambda v, f: "-" if v is None else format(v, f)  # noqa: E731
            say(
                ctx,
                pad(str(s.rank or "-"), 5, True)
                + "  "
                + pad(clip(name, 25), 26)
                + pad(f"{s.spending:,.1f}", 10, True)
                + pad(fmt(s.completion, ".1%"), 10, True)
                + pad(fmt(s.dea_efficiency, ".3f"), 8, True)
                + pad(fmt(s.cost_efficiency, ".2f"), 10, True)
                + pad(fmt(s.composite, ".3f"), 8, True)
                + pad(s.grade, 7, True)
                + pad(f"{s.award:,.2f}", 12, True),
            )
    cuts = [f for f in res.next_floors if f.floor_share < 1 and f.grade in ("C", "D")]
    if cuts:
        names = [
            f"{sc.units[f.unit].name_zh if sc.language == 'zh' else (sc.units[f.unit].name_en or f.unit)} "
            f"({f.grade}: keeps {f.floor_share:.0%}, up to {f.may_reclaim:,.1f} reclaimable)"
            for f in cuts
        ]
        say(ctx, "next year's stock may be cut for: " + "; ".join(names))
    for w in res.warnings:
        say(ctx, f"warning: {w}", fg="yellow")
    say(ctx, f"run folder: {run.folder}")
    emit_json(ctx, {"run_folder": str(run.folder), "scores": [s.model_dump() for s in res.scores]})
