"""allocator dea: data envelopment analysis on any table."""

from __future__ import annotations

import click

from .common import emit_json, say, state


@click.command("dea")
@click.argument("data", type=click.Path())
@click.option("--id", "id_col", required=True, help="Column with the unit (DMU) ids.")
@click.option("--inputs", required=True, help="Input columns, comma separated.")
@click.option("--outputs", required=True, help="Output columns, comma separated.")
@click.option("--model", type=click.Choice(["ccr", "bcc", "sbm"]), default="ccr", show_default=True, help="DEA model.")
@click.option(
    "--orientation",
    type=click.Choice(["input", "output", "non"]),
    default="input",
    show_default=True,
    help="Orientation (non: non-oriented, SBM only).",
)
@click.option("--super", "super_eff", is_flag=True, help="Add super-efficiency to rank efficient units.")
@click.option("--out", type=click.Path(), help="Write the result CSV here (new file) instead of printing it.")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
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
    out: str | None,
    force: bool,
) -> None:
    """Data envelopment analysis on any table: one row per unit with efficiency, slacks, peers and status."""
    from ..pipeline import run_dea

    frame = run_dea(
        data,
        id_col=id_col,
        inputs=[c.strip() for c in inputs.split(",") if c.strip()],
        outputs=[c.strip() for c in outputs.split(",") if c.strip()],
        model=model,
        orientation=orientation,
        super_efficiency=super_eff,
        out=out,
        force=force,
    )
    say(ctx, f"DEA {model.upper()}, {orientation} orientation, {len(frame)} units")
    if out:
        say(ctx, f"wrote {out}")
    elif not state(ctx).json:
        from ..io.safe_text import printable

        click.echo(printable(frame.to_csv(index=False)))
    emit_json(ctx, {"model": model, "orientation": orientation, "rows": frame.to_dict(orient="records")})
