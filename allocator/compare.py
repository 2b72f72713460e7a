"""Compare two plan runs: money moved by unit, initiative and pool, indicators whose status changed, objectives."""

from __future__ import annotations

import pandas as pd

COMPARE_COLUMNS = ["section", "key", "a", "b", "delta", "met_a", "met_b", "status_changed"]


def _money(alloc: pd.DataFrame, by: list[str]) -> pd.Series:
    if alloc.empty:
        return pd.Series(dtype=float)
    keys = alloc[by].astype(str).agg(":".join, axis=1) if len(by) > 1 else alloc[by[0]].astype(str)
    return alloc.groupby(keys)["amount"].sum()


def _section(name: str, a: pd.Series, b: pd.Series) -> pd.DataFrame:
    keys = sorted(set(a.index) | set(b.index))
    av = a.reindex(keys, fill_value=0.0)
    bv = b.reindex(keys, fill_value=0.0)
    return pd.DataFrame({"section": name, "key": keys, "a": av.values, "b": bv.values, "delta": (bv - av).values})


def _at_target(ind: pd.DataFrame) -> pd.DataFrame:
    return ind[ind["year"] == ind["target_year"]].set_index("indicator")


def compare_runs(
    alloc_a: pd.DataFrame, alloc_b: pd.DataFrame, ind_a: pd.DataFrame, ind_b: pd.DataFrame, obj_a: dict, obj_b: dict
) -> pd.DataFrame:
    """compare.csv: one row per objective, pool, source, unit, initiative and indicator; delta = B - A."""
    parts = [
        pd.DataFrame(
            [
                {"section": "objective", "key": k, "a": obj_a.get(k), "b": obj_b.get(k), "delta": (obj_b.get(k) or 0) - (obj_a.get(k) or 0)}
                for k in ("stage1_shortfall", "stage2_progress")
            ]
        ),
        _section("pool", _money(alloc_a, ["pool"]), _money(alloc_b, ["pool"])),
        _section("source", _money(alloc_a, ["pool", "source"]), _money(alloc_b, ["pool", "source"])),
        _section("unit", _money(alloc_a, ["unit"]), _money(alloc_b, ["unit"])),
        _section("initiative", _money(alloc_a, ["initiative"]), _money(alloc_b, ["initiative"])),
        _section("unit_initiative", _money(alloc_a, ["unit", "initiative"]), _money(alloc_b, ["unit", "initiative"])),
        _section("year", _money(alloc_a, ["year"]), _money(alloc_b, ["year"])),
    ]
    ta, tb = _at_target(ind_a), _at_target(ind_b)
    rows = []
    for k in sorted(set(ta.index) | set(tb.index)):
        va = float(ta.at[k, "value"]) if k in ta.index else None
        vb = float(tb.at[k, "value"]) if k in tb.index else None
        ma = bool(ta.at[k, "met"]) if k in ta.index else None
        mb = bool(tb.at[k, "met"]) if k in tb.index else None
        rows.append(
            {
                "section": "indicator",
                "key": k,
                "a": va,
                "b": vb,
                "delta": None if va is None or vb is None else vb - va,  # an indicator only one run has has no delta
                "met_a": ma,
                "met_b": mb,
                "status_changed": ma != mb,
            }
        )
    parts.append(pd.DataFrame(rows))
    out = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    for col in COMPARE_COLUMNS:
        if col not in out.columns:
            out[col] = None
    out.loc[out["section"] != "indicator", "status_changed"] = False
    delta = out["delta"].astype(float)
    out["delta"] = delta.where(delta.isna() | (delta.abs() > 1e-9), 0.0)
    return out[COMPARE_COLUMNS]
