"""allocator tasks: the task decomposition (任务分解表) of a plan run."""

from __future__ import annotations

import click

from .common import clip, emit_json, out_options, pad, say, words


@click.command()
@click.argument("run_dir", metavar="RUN", type=click.Path())
@out_options(out_help="CSV file to write (default: RUN/tasks.csv).", force_help="Replace the file if it exists.")
@click.pass_context
def tasks(ctx: click.Context, run_dir: str, out: str | None, force: bool) -> None:
    """Write the task decomposition (任务分解表) of a plan run: whole-number targets per unit and year, and their money."""
    from ..pipeline import run_tasks

    path, frame, sc = run_tasks(run_dir, out, force=force)
    w = words(ctx, sc.language)
    first = frame.drop_duplicates(["indicator", "year"])
    school = first.pivot_table(index="indicator", columns="year", values="school_target", aggfunc="first", fill_value=0)
    say(
        ctx,
        w(
            "全校各年目标（整数；各指标各年的分解行加总等于它）：",
            "School targets by year (whole numbers; the rows of each indicator and year add up to them):",
        ),
    )
    years = list(school.columns)
    money_head = w(f"资金（{sc.currency}）", f"money ({sc.currency})")
    say(ctx, pad(w("指标", "indicator"), 32) + "".join(pad(str(y), 8, True) for y in years) + pad(money_head, 16, True))
    money = frame.groupby("indicator")["money"].sum()
    for key in dict.fromkeys(frame["indicator"].fillna("")):
        cells = "".join(pad(f"{int(school.loc[key, y]):,}" if key else "-", 8, True) for y in years)
        name = w.name(sc.indicators[key], key) if key in sc.indicators else key or w("（无对应指标）", "(no indicator)")
        say(ctx, pad(clip(name, 31), 32) + cells + pad(f"{money.get(key, 0.0):,.2f}", 16, True))
    total = frame["money"].sum()
    say(
        ctx,
        w(
            f"共 {len(frame)} 行，资金合计 {total:,.2f} {sc.currency}；已写入 {path}",
            f"{len(frame)} rows, money {total:,.2f} {sc.currency} in total; wrote {path}",
        ),
    )
    emit_json(ctx, {"tasks": str(path), "rows": len(frame), "money": float(total)})
