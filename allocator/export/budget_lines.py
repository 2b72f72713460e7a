"""The budget tables' data: each year's published steps of 0.01 万元 per funding source and line, and their order.

Shared by the 预算编制 sheets and the 绩效目标表, so both read the same published amounts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from models.economic import economic_class_label

from ..report.data import as_float, clean, records, sorted_years
from .context import Book

Line = tuple[str, str]  # (unit, initiative)
Fund = tuple[str, str]  # (pool, source)
POOL_ORDER = ("stock", "increment")


STEP = 100
"""Published steps per 万元: amounts in 万元 with two decimals."""


def to_steps(amounts: Mapping[Any, float], total: float | None = None) -> dict[Any, int]:
    """Amounts in 万元 as whole steps of 0.01 万元 adding up exactly to ``total`` rounded to the step.

    Largest remainders: each amount is floored, then the steps still missing go one by one to the
    amounts with the largest remainders (ties to the first key), so no amount moves by a whole step.
    """
    exact = {k: max(0.0, v) * STEP for k, v in amounts.items()}
    goal = round((math.fsum(amounts.values()) if total is None else total) * STEP)
    floors = {k: math.floor(v + 1e-9) for k, v in exact.items()}
    left = goal - sum(floors.values())
    remainder = {k: exact[k] - floors[k] for k in exact}
    if left >= 0:
        for k in sorted(exact, key=lambda k: -remainder[k])[:left]:
            floors[k] += 1
    else:  # the total is below the floors (the plan's amounts exceed its budget row by rounding)
        for k in sorted((k for k in exact if floors[k] > 0), key=lambda k: remainder[k])[:-left]:
            floors[k] -= 1
    return floors


def to_wan(steps: int) -> float:
    """Whole steps back to 万元 (two decimals)."""
    return steps / STEP


def published(book: Book) -> tuple[list[int], list[Fund], dict[int, dict[Fund, dict[Line, int]]]]:
    """Years, funds in order, and each year's published steps per fund and line (totals = budget.csv allocated)."""
    allocation = records(book.run.table("allocation"))
    budget = records(book.run.table("budget"))
    years = sorted_years(r["year"] for r in allocation)
    funds = list(dict.fromkeys((str(r["pool"]), str(clean(r.get("source")) or "school")) for r in [*budget, *allocation]))
    funds.sort(key=lambda f: (POOL_ORDER.index(f[0]) if f[0] in POOL_ORDER else 9, f[1] != "school", f[1]))
    allocated = {(int(r["year"]), str(r["pool"]), str(clean(r.get("source")) or "school")): as_float(r.get("allocated")) for r in budget}
    out: dict[int, dict[Fund, dict[Line, int]]] = {}
    for year in years:
        out[year] = {}
        for fund in funds:
            parts: dict[Line, list[float]] = {}
            for r in allocation:
                if int(r["year"]) == year and (str(r["pool"]), str(clean(r.get("source")) or "school")) == fund:
                    parts.setdefault((str(r["unit"]), str(r["initiative"])), []).append(as_float(r["amount"]) or 0.0)
            sums = {line: math.fsum(v) for line, v in parts.items()}
            out[year][fund] = to_steps(sums, allocated.get((year, *fund)))
    return years, funds, out


def ordered(book: Book, section: str, present: set[str]) -> list[str]:
    """Keys of a scenario section present in the run: in the scenario's order, then any others sorted."""
    listed = list(((book.run.scenario or {}).get(section) or {}).keys())
    return [k for k in listed if k in present] + sorted(present - set(listed))


def economic_class(book: Book, initiative: str) -> str:
    """The 经济分类 label of an initiative, as the scenario declares it."""
    entry = ((book.run.scenario or {}).get("initiatives") or {}).get(initiative) or {}
    return economic_class_label(entry.get("economic_class"))
