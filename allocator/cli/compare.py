"""allocator compare: what moved between two plan runs."""

from __future__ import annotations

import click

from .common import Words, clip, command_line, emit_json, format_value, out_options, pad, say, words


@click.command()
@click.argument("run_a", type=click.Path())
@click.argument("run_b", type=click.Path())
@out_options(out_help="New folder for compare.csv (default: runs/compare-<time>).")
@click.option("--top", default=10, show_default=True, help="Rows to print per section.")
@click.pass_context
def compare(ctx: click.Context, run_a: str, run_b: str, out: str | None, force: bool, top: int) -> None:
    """Compare two plan runs: money moved (B - A) by unit, initiative and pool; indicators that changed status."""
    import pandas as pd

    from ..pipeline import run_compare

    res = run_compare(run_a, run_b, out, force=force, command=command_line())
    t = res.result
    w = words(ctx, _language(run_b))
    names = _Names(run_b, w)
    say(ctx, w(f"对比 A = {run_a} 与 B = {run_b}（变动 = B − A）", f"Comparing A = {run_a} with B = {run_b} (delta = B - A)"))
    objective = {"stage1_shortfall": w("第一阶段差额", "stage 1 shortfall"), "stage2_progress": w("第二阶段加权进展", "stage 2 progress")}
    for _, r in t[t["section"] == "objective"].iterrows():
        say(ctx, f"  {pad(objective.get(r['key'], r['key']), 18)} {r['a']:.4f} -> {r['b']:.4f}  ({r['delta']:+.4f})")
    sections = {
        "pool": w("资金池", "pool"),
        "source": w("资金来源", "source"),
        "unit": w("单位", "unit"),
        "initiative": w("举措", "initiative"),
    }
    for section, label in sections.items():
        rows = t[(t["section"] == section) & (t["delta"].abs() > 1e-6)].sort_values("delta", key=abs, ascending=False).head(top)
        say(ctx, w(f"按{label}的资金变动：", f"money moved by {label}:") + ("" if len(rows) else w("无", " none")))
        for _, r in rows.iterrows():
            shown = clip(names.label(section, str(r["key"])), 39)
            say(ctx, f"  {pad(shown, 40)} {r['a']:>12,.1f} -> {r['b']:>12,.1f}  ({r['delta']:+,.1f})")
    changed = t[(t["section"] == "indicator") & t["status_changed"].astype(bool)]
    say(ctx, w("达成状态改变的指标：", "indicators whose status changed:") + ("" if len(changed) else w("无", " none")))
    for _, r in changed.iterrows():
        label = names.label("indicator", str(r["key"]))
        if pd.isna(r["a"]) or pd.isna(r["b"]):
            only = "A" if pd.isna(r["b"]) else "B"
            say(ctx, w(f"  {label}：只在方案{only}中", f"  {label}: only in run {only}"), fg="yellow")
            continue
        mark = w("现已达成", "now met") if r["met_b"] else w("现未达成", "now missed")
        kind = names.kind(str(r["key"]))
        say(
            ctx,
            f"  {label}: {format_value(r['a'], '', kind)} -> {format_value(r['b'], '', kind)} ({mark})",
            fg="green" if r["met_b"] else "yellow",
        )
    say(ctx, w(f"compare.csv 在 {res.folder}", f"compare.csv in {res.folder}"))
    emit_json(ctx, {"folder": str(res.folder), "rows": t.to_dict(orient="records")})


def _resolved(run: str) -> dict:
    """The resolved scenario of a run folder (names and language), or an empty one."""
    import json
    from pathlib import Path

    path = Path(run) / "scenario.resolved.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _language(run: str) -> str | None:
    return _resolved(run).get("language")


class _Names:
    """Display names of the ids in compare.csv, from run B's resolved scenario."""

    def __init__(self, run: str, w: Words):
        self.sc, self.w = _resolved(run), w

    def _name(self, section: str, key: str) -> str:
        entry = (self.sc.get(section) or {}).get(key) or {}
        first, second = ("name_zh", "name_en") if self.w.zh else ("name_en", "name_zh")
        return entry.get(first) or entry.get(second) or key

    def kind(self, key: str) -> str:
        return ((self.sc.get("indicators") or {}).get(key) or {}).get("kind") or ""

    def label(self, section: str, key: str) -> str:
        from ..vocabulary import pool_source_name

        if section == "pool":
            return self.w.term("pool", key)
        if section == "source":
            pool, _, source = key.partition(":")
            return pool_source_name(pool, source or None, self.sc, self.w.lang)
        return self._name({"unit": "units", "initiative": "initiatives", "indicator": "indicators"}.get(section, section), key)
