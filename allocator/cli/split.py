"""allocator split: the factor-method split (按因素法分配) of an amount over any table's rows."""

from __future__ import annotations

import click

from .common import emit_json, out_options, say, state, words


@click.command("split")
@click.argument("table", type=click.Path())
@click.option("--id", "id_col", required=True, help="Column with the row ids (ties in rounding go to the first id in sorted order).")
@click.option("--amount", required=True, type=float, help="The amount to split (in the table's money unit).")
@click.option("--weight", required=True, help="Column of weights (factors) >= 0: each row's recommendation is weight / total x amount.")
@click.option("--prior", help="Column of each row's prior amount (last year's), for --stop-loss.")
@click.option(
    "--stop-loss",
    type=float,
    help="Share in [0, 1] a row may fall below its prior: it keeps at least (1 - S) x prior (0 = hold harmless).",
)
@click.option("--min", "minimum", help="Column of per-row minimum amounts (a blank cell: no minimum for that row).")
@click.option("--max", "maximum", help="Column of per-row maximum amounts (a blank cell: no maximum for that row).")
@click.option(
    "--decimals", type=click.IntRange(0, 6), default=2, show_default=True, help="Amounts are exact to 10^-decimals (2 = the fen for 元)."
)
@out_options(out_help="Write the table with the split columns here (new file) instead of printing it.")
@click.pass_context
def split(
    ctx: click.Context,
    table: str,
    id_col: str,
    amount: float,
    weight: str,
    prior: str | None,
    stop_loss: float | None,
    minimum: str | None,
    maximum: str | None,
    decimals: int,
    out: str | None,
    force: bool,
) -> None:
    """Split an amount over any table's rows by weight (factor method), with stop-loss and min/max, exact to the fen.

    Writes the table's columns plus recommendation, amount (summing exactly to --amount),
    percent_funded (amount / recommendation: 1.0 = the formula share) and limited_by. When the amount
    cannot pay every row's floor (its protected prior or its minimum), the floors are pro-rated.
    """
    from ..pipeline import run_split
    from ..split import describe

    if (prior is None) != (stop_loss is None):
        raise click.UsageError("--prior and --stop-loss go together (the stop-loss protects a share of the prior)")
    frame = run_split(
        table,
        id_col=id_col,
        amount=amount,
        weight=weight,
        prior=prior,
        stop_loss=stop_loss,
        minimum=minimum,
        maximum=maximum,
        decimals=decimals,
        out=out,
        force=force,
    )
    summary = frame.attrs["split"]
    w = words(ctx)
    for line in describe(summary, w.lang):
        say(ctx, line)
    if out:
        say(ctx, w(f"已写入 {out}", f"wrote {out}"))
    elif not state(ctx).json:
        from ..io.safe_text import printable
        from ..pipeline.tables import published_split

        click.echo(printable(published_split(frame, decimals).to_csv(index=False)))
    emit_json(ctx, {"split": summary, "rows": frame.to_dict(orient="records")})
