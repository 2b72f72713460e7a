"""allocator goals: lexicographic (preemptive) or weighted goal programming on plain tables."""

from __future__ import annotations

import click

from .common import command_line, emit_json, pad, refuse_existing, say, solver_options, state


@click.command()
@click.argument("goals_file", metavar="GOALS", type=click.Path())
@click.option("--terms", required=True, type=click.Path(), help="TERMS table: goal, variable, coefficient.")
@click.option("--variables", type=click.Path(), help="VARS table: variable, lower, upper, integer (default: every variable >= 0).")
@click.option(
    "--mode",
    type=click.Choice(["lexicographic", "weighted"]),
    default="lexicographic",
    show_default=True,
    help="lexicographic: priority 1 first, each level held while the next is solved; weighted: all deviations in one sum.",
)
@click.option("--out", type=click.Path(), help="Write variables.csv, goals.csv and levels.csv to this new folder.")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@solver_options
@click.pass_context
def goals(
    ctx: click.Context,
    goals_file: str,
    terms: str,
    variables: str | None,
    mode: str,
    out: str | None,
    force: bool,
    solver: str,
    time_limit: float | None,
) -> None:
    """Goal programming on plain tables: variables, goals and levels, solved by priority (or weighted)."""
    from ..pipeline import run_goals

    if out is not None:
        refuse_existing(out, force, "--out")
    run = run_goals(goals_file, terms, variables, out, mode=mode, solver=solver, time_limit=time_limit, force=force, command=command_line())
    res = run.result
    say(ctx, f"goal program ({mode}): {res.status}, {len(res.variables)} variables, {len(res.goals)} goals, {len(res.levels)} levels")
    if not state(ctx).json:
        for name, frame in run.extra.items():
            say(ctx)
            say(ctx, f"{name}.csv")
            say(ctx, _text_table(frame))
    if out:
        say(ctx)
        say(ctx, f"run folder: {out}")
    emit_json(ctx, {"status": res.status, "mode": mode, **{k: f.to_dict(orient="records") for k, f in run.extra.items()}})


def _text_table(frame) -> str:
    """A frame as aligned text (numbers to 9 significant digits, blanks for missing values)."""

    def cell(value) -> str:
        if value is None or value != value:
            return ""
        return f"{value:.9g}" if isinstance(value, float) else str(value)

    rows = [[str(c) for c in frame.columns]] + [[cell(v) for v in r] for r in frame.itertuples(index=False)]
    widths = [max(len(r[n]) for r in rows) + 2 for n in range(len(frame.columns))]
    return "\n".join("".join(pad(v, w, n > 0) for n, (v, w) in enumerate(zip(r, widths))) for r in rows)
