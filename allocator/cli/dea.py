"""allocator dea: data envelopment analysis on any table."""

from __future__ import annotations

import click

from .common import emit_json, out_options, say, words


@click.command("dea")
@click.argument("data", type=click.Path())
@click.option("--id", "id_col", required=True, help="Column with the unit (DMU) ids.")
@click.option("--inputs", required=True, help="Input columns, comma separated (，too).")
@click.option("--outputs", required=True, help="Output columns, comma separated (，too).")
@click.option("--model", type=click.Choice(["ccr", "bcc", "sbm"]), default="ccr", show_default=True, help="DEA model.")
@click.option(
    "--orientation",
    type=click.Choice(["input", "output", "non"]),
    default="input",
    show_default=True,
    help="Orientation (non: non-oriented, SBM only).",
)
@click.option("--super", "super_eff", is_flag=True, help="Add super-efficiency to rank efficient units.")
@click.option("--force-small", is_flag=True, help="Run even with fewer units than inputs + outputs + 1 (with a warning).")
@out_options(out_help="Write the result CSV here (new file) instead of printing it.")
@click.pass_context
def dea_command(
    ctx: click.Context,
    data: str,
    id_col: str,
    inputs: str,
    outputs: str,
    model: str,
    orientation: str,
    super_eff: bool,
    force_small: bool,
    out: str | None,
    force: bool,
) -> None:
    """Data envelopment analysis on any table: one row per unit with efficiency, slacks, peers and status."""
    from ..dea.table import split_columns
    from ..pipeline import run_dea

    frame = run_dea(
        data,
        id_col=id_col,
        inputs=split_columns(inputs),
        outputs=split_columns(outputs),
        model=model,
        orientation=orientation,
        super_efficiency=super_eff,
        out=out,
        force=force,
        force_small=force_small,
    )
    w = words(ctx)
    say(
        ctx,
        w(
            f"DEA {model.upper()}，{w.term('orientation', orientation)}，{len(frame)}个单位",
            f"DEA {model.upper()}, {orientation} orientation, {len(frame)} units",
        ),
    )
    if out:
        say(ctx, w(f"已写入 {out}", f"wrote {out}"))
    else:
        say(ctx, shown_table(frame))
    emit_json(ctx, {"model": model, "orientation": orientation, "rows": frame.to_dict(orient="records")})


def shown_table(frame) -> str:
    """The result for people: numbers rounded to four decimals (1.0000000000000002 shows as 1), columns aligned."""
    import pandas as pd

    rounded = frame.copy()
    for column in rounded.columns:
        if pd.api.types.is_float_dtype(rounded[column]):
            rounded[column] = rounded[column].map(lambda v: "" if pd.isna(v) else f"{v:.4f}".rstrip("0").rstrip("."))
    with pd.option_context(
        "display.unicode.east_asian_width", True, "display.width", 250, "display.max_columns", None, "display.max_colwidth", 60
    ):
        return rounded.to_string(index=False)
