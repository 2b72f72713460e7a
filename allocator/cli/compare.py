"""allocator compare: what moved between two plan runs."""

from __future__ import annotations

import click

from .common import command_line, emit_json, pad, say


@click.command()
@click.argument("run_a", type=click.Path())
@click.argument("run_b", type=click.Path())
@click.option("--out", type=click.Path(), help="New folder for compare.csv (default: runs/compare-<time>).")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@click.option("--top", default=10, show_default=True, help="Rows to print per section.")
@click.pass_context
def compare(ctx: click.Context, run_a: str, run_b: str, out: str | None, force: bool, top: int) -> None:
    """Compare two plan runs: money moved (B - A) by unit, initiative and pool; indicators that changed status."""
    import pandas as pd

    from ..pipeline import run_compare

    res = run_compare(run_a, run_b, out, force=force, command=command_line())
    t = res.result
    say(ctx, f"Comparing A = {run_a} with B = {run_b} (delta = B - A)")
    for _, r in t[t["section"] == "objective"].iterrows():
        say(ctx, f"  {r['key']:<18} {r['a']:.4f} -> {r['b']:.4f}  ({r['delta']:+.4f})")
    for section in ("pool", "source", "unit", "initiative"):
        rows = t[(t["section"] == section) & (t["delta"].abs() > 1e-6)].sort_values("delta", key=abs, ascending=False).head(top)
        say(ctx, f"money moved by {section}:" + ("" if len(rows) else " none"))
        for _, r in rows.iterrows():
            say(ctx, f"  {pad(str(r['key']), 40)} {r['a']:>12,.1f} -> {r['b']:>12,.1f}  ({r['delta']:+,.1f})")
    changed = t[(t["section"] == "indicator") & t["status_changed"].astype(bool)]
    say(ctx, "indicators whose status changed:" + ("" if len(changed) else " none"))
    for _, r in changed.iterrows():
        if pd.isna(r["a"]) or pd.isna(r["b"]):
            only = "A" if pd.isna(r["b"]) else "B"
            say(ctx, f"  {r['key']}: only in run {only}", fg="yellow")
            continue
        mark = "now met" if r["met_b"] else "now missed"
        say(ctx, f"  {r['key']}: {r['a']:.4g} -> {r['b']:.4g} ({mark})", fg="green" if r["met_b"] else "yellow")
    say(ctx, f"compare.csv in {res.folder}")
    emit_json(ctx, {"folder": str(res.folder), "rows": t.to_dict(orient="records")})
