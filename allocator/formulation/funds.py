"""Budgets and use restrictions: each fund's yearly limit and a restricted source's unit shares."""

from __future__ import annotations

import pulp

from models import DEFAULT_SOURCE

from .problem import BuiltProblem, add_row, fund_by_key, row_name


def add_fund_limit_constraints(bp: BuiltProblem) -> None:
    """Each fund's yearly limit; the school's own money is one variable per line, its two pools share it.

    fund_limit[f,t]:                 sum_{(u,i) eligible for f} x[u,i,t,f] <= A_f,t       a restricted source
    fund_limit[school_stock,t]:      sum_{(u,i)} x[u,i,t,school] - y[t] <= A_stock,t      what the increment does not pay
    fund_limit[school_increment,t]:  y[t] <= A_increment,t                                the increment's part, y >= 0
    (+ extra[p,t] on each school row when costing). Which pool pays which line is the pool rule's (allocator.pools).
    """
    stock = next(f for f in bp.sets.funds if not f.restricted and f.pool == "stock")
    for f in bp.sets.funds:
        for t in bp.sets.years:
            if f.restricted:
                terms = [(bp.money[u, i, t, f.key], 1.0) for (u, i) in bp.sets.pairs if (u, i) in f.eligible]
            elif f is stock:
                terms = [(bp.money[u, i, t, DEFAULT_SOURCE], 1.0) for (u, i) in bp.sets.pairs] + [(bp.pool_use[t], -1.0)]
            else:
                terms = [(bp.pool_use[t], 1.0)]
            if not f.restricted and (f.pool, t) in bp.extra:
                terms.append((bp.extra[f.pool, t], -1.0))
            name = row_name("fund_limit", f.key, t)
            add_row(bp, terms, pulp.LpConstraintLE, bp.sets.available(f, t), name, "fund_limit")
            bp.fund_rows[f.key, t] = name


def add_source_share_constraints(bp: BuiltProblem) -> None:
    """Restricted sources split across eligible units within shares of the year's amount.

    source_share_max[f,u,t]:  sum_i x[u,i,t,f] <= smax_f A_f,t
    source_share_min[f,u,t]:  sum_i x[u,i,t,f] >= smin_f A_f,t
    """
    for f in bp.sets.funds:
        if not f.restricted:
            continue
        units = sorted({u for (u, _) in f.eligible})
        for u in units:
            for t in bp.sets.years:
                terms = [(bp.money[u, i, t, f.key], 1.0) for i in bp.sets.pairs_by_unit[u] if (u, i) in f.eligible]
                amount = bp.sets.available(f, t)
                if f.max_unit_share < 1:
                    add_row(
                        bp,
                        terms,
                        pulp.LpConstraintLE,
                        f.max_unit_share * amount,
                        row_name("source_share_max", f.key, u, t),
                        "source_share_max",
                    )
                if f.min_unit_share > 0:
                    add_row(
                        bp,
                        terms,
                        pulp.LpConstraintGE,
                        f.min_unit_share * amount,
                        row_name("source_share_min", f.key, u, t),
                        "source_share_min",
                    )


def _earmark_of(name: str, year: int) -> bool:
    return name.startswith("missing_reserve__") and name.rsplit("__", 1)[-1] == str(year)


def amount_rows(bp: BuiltProblem, fund: str, year: int) -> list[tuple[str, str, float]]:
    """Every row whose bound moves with the amount A_f,t of one fund in one year: (row, side, dBound/dA).

    ``fund_limit`` (upper, 1), a restricted source's ``source_share_max`` / ``source_share_min``
    (upper / lower, its share) and, for an increment fund, the year's ``missing_reserve`` earmark
    (lower, r while below what the initiatives can take) and, for the school's increment, the rows that carry its
    performance money (``performance_money``, ``grade_keep``, ``grade_hold``: their part split from it; the rest of
    their bound is in ``bp.row_constants``). What-if levels and marginal values move all of them together, as more
    money does.
    """
    f = fund_by_key(bp.sets, fund)
    rows = [(row_name("fund_limit", f.key, year), "upper", 1.0)]
    if f.restricted:
        for u in sorted({u for (u, _) in f.eligible}):
            rows.append((row_name("source_share_max", f.key, u, year), "upper", f.max_unit_share))
            rows.append((row_name("source_share_min", f.key, u, year), "lower", f.min_unit_share))
    if f.pool == "increment" and not f.restricted and bp.increment_share:
        # performance money is a share of the school's increment: its rows move in proportion (the split by
        # weight is linear in the money while no stop-loss binds)
        amount = bp.sets.available(f, year)
        for name, part in bp.increment_share.items():
            if amount > 0 and name.rsplit("__", 1)[-1] == str(year):
                side = "upper" if name.startswith("grade_hold__") else "lower"
                rows.append((name, side, part / amount))
    if f.pool == "increment":
        if bp.earmark_share.get(year):
            rows += [(name, "lower", bp.earmark_share[year]) for name in bp.problem.constraints if _earmark_of(name, year)]
    return [r for r in rows if r[0] in bp.problem.constraints]
