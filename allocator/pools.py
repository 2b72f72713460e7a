"""The pool rule: which of the school's pools pays which part of each line (docs/formulation.md, "Pools").

The model decides each line's money and what each restricted source pays; the school's own stock and
increment are interchangeable inside it. This module splits the school's money by rule, not by the solver's
pick: each year the stock is spent first, on the continuing part of every base line (its school money up to
its base); what is left of the stock (money reclaimed from lines that fell) and then the increment pay the
growth of base lines and new lines, each growth part in the same proportion. Per-pool totals are those the
budget allows, so budget.csv reconciles; floors on continuing parts (``stock_floor``) hold on the output.
"""

from __future__ import annotations

from collections import defaultdict

from models import DEFAULT_SOURCE

from .formulation import BuiltProblem

Key = tuple[str, str, int, str]


def _available(bp: BuiltProblem, fund, year: int, values: dict[str, float]) -> float:
    extra = bp.extra.get((fund.pool, year))
    return bp.sets.available(fund, year) + (values.get(extra.name, 0.0) if extra is not None else 0.0)


def split_by_pool(bp: BuiltProblem, values: dict[str, float]) -> dict[Key, float]:
    """Money by (unit, initiative, year, fund key): restricted sources as solved, the school's funds by the pool rule."""
    out: dict[Key, float] = {}
    school = [f for f in bp.sets.funds if not f.restricted]
    stock = next((f for f in school if f.pool == "stock"), None)
    increment = next((f for f in school if f.pool == "increment"), None)
    money: dict[tuple[str, str, int], float] = defaultdict(float)
    for (u, i, t, f), var in bp.money.items():
        amount = values.get(var.name, 0.0)
        if f == DEFAULT_SOURCE:
            money[u, i, t] += amount
        else:
            out[u, i, t, f] = amount
    if stock is None or increment is None:  # pragma: no cover - every scenario has both school funds
        return out
    for t in bp.sets.years:
        lines = [(u, i) for (u, i, y) in money if y == t]
        total = sum(money[u, i, t] for u, i in lines)
        stock_used = min(_available(bp, stock, t, values), total)
        kept = {(u, i): min(money[u, i, t], bp.sets.lines[u, i].base) for u, i in lines}
        growth = {line: money[(*line, t)] - kept[line] for line in lines}
        kept_total, growth_total = sum(kept.values()), sum(growth.values())
        if kept_total >= stock_used:
            # the stock does not even cover the continuing parts: it pays them pro rata, the increment the rest
            k_share, g_share = (stock_used / kept_total if kept_total else 0.0), 0.0
        else:
            k_share, g_share = 1.0, ((stock_used - kept_total) / growth_total if growth_total else 0.0)
        for line in lines:
            from_stock = k_share * kept[line] + g_share * growth[line]
            out[(*line, t, stock.key)] = from_stock
            out[(*line, t, increment.key)] = money[(*line, t)] - from_stock
    return out
