"""Commands that turn a run folder into something to hand on: report (HTML), export (Excel), and the scenario template."""

from __future__ import annotations

import click

from .common import emit_json, out_options, refuse_existing, say, state


@click.command()
@click.argument("run_dir", type=click.Path())
@click.option("--xlsx", "xlsx", type=click.Path(), help="Workbook of the whole run to write (a new file).")
@click.option(
    "--budget-tables", "budget_tables", type=click.Path(), metavar="F.xlsx", help="预算编制 and 绩效目标表 of a plan run (a new file)."
)
@click.option("--force", is_flag=True, help="Replace the workbook if it exists.")
@click.pass_context
def export(ctx: click.Context, run_dir: str, xlsx: str | None, budget_tables: str | None, force: bool) -> None:
    """Export a run folder as a formatted workbook, and a plan's budget tables in the finance office's format."""
    from ..export import export_run_workbook, write_budget_tables

    lang = state(ctx).lang  # the global --lang; default: the scenario's
    if not xlsx and not budget_tables:
        raise click.UsageError("give --xlsx F.xlsx, --budget-tables F.xlsx, or both")
    for path, flag in ((xlsx, "--xlsx"), (budget_tables, "--budget-tables")):
        if path:
            refuse_existing(path, force, flag)
    written = []
    if xlsx:
        written.append(str(export_run_workbook(run_dir, xlsx, lang=lang, force=force)))
    if budget_tables:
        written.append(str(write_budget_tables(run_dir, budget_tables, lang=lang, force=force)))
    for path in written:
        say(ctx, f"wrote {path}", fg="green")
    emit_json(ctx, {"written": written})


@click.command()
@click.argument("run_dir", type=click.Path())
@out_options(out_help="HTML file to write (default: RUN_DIR/report.html).", force_help="Replace the file if it exists.")
@click.pass_context
def report(ctx: click.Context, run_dir: str, out: str | None, force: bool) -> None:
    """Write a self-contained HTML report of a plan, score, sweep, clear, compare or risk run (--lang picks its language)."""
    from ..report import write_report

    path = write_report(run_dir, out, lang=state(ctx).lang, force=force)
    say(ctx, f"wrote {path}", fg="green")
    emit_json(ctx, {"report": str(path)})


@click.command()
@out_options(out_help="Workbook to write (a new .xlsx file).", force_help="Replace the workbook if it exists.", required=True)
@click.option("--score", "for_score", is_flag=True, help="A workbook for a year's actual outputs and spending (allocator score).")
@click.option("--for", "scenario_path", type=click.Path(), metavar="SCENARIO", help="With --score: drop-downs of this scenario's ids.")
@click.pass_context
def template(ctx: click.Context, out: str, for_score: bool, scenario_path: str | None, force: bool) -> None:
    """Write a scenario template (a README, marked headers with comments, one example row per sheet, drop-downs), or --score's."""
    refuse_existing(out, force, "--out")
    if for_score:
        from ..io.score_template import write_score_template
        from ..loading import load

        scenario = load(scenario_path).scenario if scenario_path else None
        write_score_template(out, scenario, force=force, lang=state(ctx).lang or "zh")  # Chinese first, as the scenario template
        say(
            ctx,
            f"wrote {out}: fill in actuals and spending, then run: allocator score SCENARIO --actuals {out}#actuals "
            f"--spending {out}#spending --plan PLAN_RUN",
            fg="green",
        )
        return
    if scenario_path:
        raise click.UsageError("--for goes with --score")
    from ..io.excel import write_template

    write_template(out, force=force, lang=state(ctx).lang or "zh")
    say(ctx, f"wrote {out}: fill in the sheets, then run: allocator plan {out}", fg="green")
