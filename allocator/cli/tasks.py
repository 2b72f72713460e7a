"""allocator tasks: the task decomposition (任务分解表) of a plan run."""

from __future__ import annotations

import click

from .common import clip, emit_json, pad, say


@click.command()
@click.argument("run_dir", metavar="RUN", type=click.Path())
@click.option("--out", type=click.Path(), help="CSV file to write (default: RUN/tasks.csv).")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@click.pass_context
def tasks(ctx: click.Context, run_dir: str, out: str | None, force: bool) -> None:
    """Write the task decomposition (任务分解表) of a plan run: whole-number targets per unit and year, and their money."""
    from ..pipeline import run_tasks

    path, frame = run_tasks(run_dir, out, force=force)
    first = frame.drop_duplicates(["indicator", "year"])
    school = first.pivot_table(index="indicator", columns="year", values="school_target", aggfunc="first", fill_value=0)
    say(ctx, "School targets by year (whole numbers; the rows of each indicator and year add up to them):")
    years = list(school.columns)
    say(ctx, pad("indicator", 32) + "".join(pad(str(y), 8, True) for y in years) + pad("money", 12, True))
    money = frame.groupby("indicator")["money"].sum()
    for key in dict.fromkeys(frame["indicator"].fillna("")):
        cells = "".join(pad(f"{int(school.loc[key, y]):,}" if key else "-", 8, True) for y in years)
        say(ctx, pad(clip(key or "(no indicator)", 31), 32) + cells + pad(f"{money.get(key, 0.0):,.2f}", 12, True))
    say(ctx, f"{len(frame)} rows, money {frame['money'].sum():,.2f} in total; wrote {path}")
    emit_json(ctx, {"tasks": str(path), "rows": len(frame), "money": float(frame["money"].sum())})
