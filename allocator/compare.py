"""Compare two plan runs: money moved by unit, initiative and pool, indicators whose status changed, objectives."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .frames import money_text, publish_allocation
from .rounding import from_quanta, to_quanta

COMPARE_COLUMNS = ["section", "key", "a", "b", "delta", "met_a", "met_b", "status_changed"]


MONEY_SECTIONS = ("pool", "source", "unit", "initiative", "unit_initiative", "year")
"""Sections whose a, b and delta are money (published to 0.01 万元, written with two decimals)."""


def _money(alloc: pd.DataFrame, by: list[str]) -> pd.Series:
    """Money per key in whole hundredths of 万元 (integers: sums and differences are exact)."""
    if alloc.empty:
        return pd.Series(dtype="int64")
    keys = alloc[by].astype(str).agg(":".join, axis=1) if len(by) > 1 else alloc[by[0]].astype(str)
    hundredths = alloc["amount"].map(lambda v: to_quanta(float(v)))
    return hundredths.groupby(keys).sum()


def _section(name: str, a: pd.Series, b: pd.Series) -> pd.DataFrame:
    keys = sorted(set(a.index) | set(b.index))
    av = [int(a.get(k, 0)) for k in keys]
    bv = [int(b.get(k, 0)) for k in keys]
    return pd.DataFrame(
        {
            "section": name,
            "key": keys,
            "a": [from_quanta(x) for x in av],
            "b": [from_quanta(x) for x in bv],
            "delta": [from_quanta(y - x) for x, y in zip(av, bv)],
        }
    )


def _at_target(ind: pd.DataFrame) -> pd.DataFrame:
    return ind[ind["year"] == ind["target_year"]].set_index("indicator")


def compare_runs(
    alloc_a: pd.DataFrame, alloc_b: pd.DataFrame, ind_a: pd.DataFrame, ind_b: pd.DataFrame, obj_a: dict, obj_b: dict
) -> pd.DataFrame:
    """compare.csv: one row per objective, pool, source, unit, initiative and indicator; delta = B - A.

    Money is compared as published (allocations off the 0.01 grid, from older runs, are rounded by the plan's
    rule first) and added in whole hundredths, so every money row's delta is exact to 0.01 万元.
    """
    alloc_a, alloc_b = publish_allocation(alloc_a), publish_allocation(alloc_b)
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
        ma = _met(ta.at[k, "met"]) if k in ta.index else None
        mb = _met(tb.at[k, "met"]) if k in tb.index else None
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


def published_compare(table: pd.DataFrame) -> pd.DataFrame:
    """compare.csv as written: the money sections' a, b and delta as exact two-decimal text."""
    return money_text(table, ("a", "b", "delta"), rows=table["section"].isin(MONEY_SECTIONS))


def _met(value: object) -> bool | None:
    """A ``met`` cell as True, False or None (no target): never ``bool('False')``, which is True."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, str) and value.strip() in ("True", "False"):
        return value.strip() == "True"
    return None

