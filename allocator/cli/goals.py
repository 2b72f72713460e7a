"""allocator goals: lexicographic (preemptive) or weighted goal programming on plain tables."""

from __future__ import annotations

import click

from .common import Words, command_line, display_width, emit_json, out_options, pad, refuse_existing, say, solver_options, state, words


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
@out_options(out_help="Write variables.csv, goals.csv and levels.csv to this new folder.")
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
    w = words(ctx)
    counts = (len(res.variables), len(res.goals), len(res.levels))
    say(
        ctx,
        w(
            f"目标规划（{MODE_ZH[mode]}）：{w.term('status', res.status)}，{counts[0]} 个变量，{counts[1]} 个目标，{counts[2]} 个优先级",
            f"goal program ({mode}): {res.status}, {counts[0]} variables, {counts[1]} goals, {counts[2]} levels",
        ),
    )
    if not state(ctx).json:
        for name, frame in run.extra.items():
            say(ctx)
            say(ctx, f"{name}.csv")
            say(ctx, _text_table(frame, w))
    if out:
        say(ctx)
        say(ctx, w(f"运行文件夹：{out}", f"run folder: {out}"))
    emit_json(ctx, {"status": res.status, "mode": mode, **{k: f.to_dict(orient="records") for k, f in run.extra.items()}})


MODE_ZH = {"lexicographic": "按优先级逐级求解", "weighted": "加权求解"}
COLUMNS_ZH = {
    "variable": "变量",
    "value": "取值",
    "goal": "目标",
    "priority": "优先级",
    "target": "目标值",
    "achieved": "实现值",
    "under": "不足",
    "over": "超出",
    "under_weight": "不足权重",
    "over_weight": "超出权重",
    "achievement": "加权偏差",
    "optimum": "最优值",
    "hold": "保持方式",
    "leak": "泄漏",
}
"""Headers of the printed tables in Chinese (the files keep their column names: they are the contract)."""
WORDS_ZH = {"priority": {"hard": "硬目标"}, "hold": {"fixed": "固定", "row": "约束行"}}
"""Coded values of the printed tables' columns in Chinese (names from the data are shown as written)."""


def _text_table(frame, w: Words) -> str:
    """A frame as aligned text in the console's language (numbers to 9 significant digits, blanks for missing values)."""

    def cell(value, column: str) -> str:
        if value is None or value != value:
            return ""
        if isinstance(value, float):
            return f"{value:.9g}"
        return w(WORDS_ZH.get(column, {}).get(str(value), str(value)), str(value))

    header = [w(COLUMNS_ZH.get(str(c), str(c)), str(c)) for c in frame.columns]
    rows = [header] + [[cell(v, str(c)) for v, c in zip(r, frame.columns)] for r in frame.itertuples(index=False)]
    widths = [max(display_width(r[n]) for r in rows) + 2 for n in range(len(frame.columns))]
    return "\n".join("".join(pad(v, w, n > 0) for n, (v, w) in enumerate(zip(r, widths))) for r in rows)
