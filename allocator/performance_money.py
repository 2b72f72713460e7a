"""Performance-linked money (绩效资金): each year's share of the increment split to units by the factor method.

Rule (docs/formulation.md, "Performance money"), for each plan year t in order:

- the money is Pi_t = share x the school's increment of t, rounded to the fen;
- a unit's weight is its size (its base money or its full-time faculty), times its points when the points of
  a graded year before t are known (a unit the score run did not assess counts at the mean points of those
  it did); in a year up to the graded year, or without points, the weight is the size alone;
- the split is ``allocator.split.factor_amounts``: recommendation = weight / total weight x Pi_t, with a
  stop-loss against the unit's amount of t-1 (none in the first plan year), pro-rated when Pi_t cannot pay
  every protected amount, exact to the fen (1e-6 万元), summing to Pi_t.

Pure: a validated scenario in, rows out; the formulation and the run folder use the same rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from models import RATINGS, Scenario

from .split import factor_amounts

FEN = 1e-6
"""1 fen in 万元: the split is exact to it."""

SIZE_ONLY = "size"
BY_POINTS = "points x size"
RULES = {"": None, "protected": "stop-loss", "pro-rated": "pro-rated", "min": "min", "max": "max"}


@dataclass(frozen=True)
class PerformanceShare:
    """One unit's performance money in one year and how the split decided it (a row of performance_money.csv)."""

    unit: str
    year: int
    points: float | None
    rating: str
    size: float
    recommended: float
    prior: float | None
    amount: float
    rule: str


def unit_size(sc: Scenario, unit: str) -> float:
    """A unit's size factor: its base money or its full-time faculty (policy.performance_money.size)."""
    u = sc.units[unit]
    return u.base_total if sc.policy.performance_money.size == "base" else float(u.full_time_faculty)


def graded_weights(sc: Scenario) -> dict[str, float | None]:
    """Points used for each unit after the graded year (None without points): unassessed units at the mean."""
    pm = sc.policy.performance_money
    if not pm.points:
        return {u: None for u in sc.units}
    known = {u: p for u, p in pm.points.items() if u in sc.units}
    mean = math.fsum(known.values()) / len(known) if known else 0.0
    return {u: known.get(u, mean) for u in sc.units}


def performance_shares(sc: Scenario, *, by_points: bool = True) -> tuple[PerformanceShare, ...]:
    """Every unit's performance money in every plan year (empty when the policy declares none).

    ``by_points=False`` gives the split without grades (by size alone every year): the plan before grades.
    """
    pm = sc.policy.performance_money
    if pm.share <= 0:
        return ()
    units = sorted(sc.units)
    sizes = [unit_size(sc, u) for u in units]
    points = graded_weights(sc)
    out: list[PerformanceShare] = []
    prior: list[float] | None = None
    for t in sc.years:
        money = round(pm.share * sc.budget.increment.get(t, 0.0) / FEN) * FEN
        graded = by_points and pm.graded_year is not None and t > pm.graded_year and bool(pm.points)
        weights = [s * (points[u] or 0.0) if graded else s for u, s in zip(units, sizes)]
        if math.fsum(weights) <= 0 or money <= 0:
            amounts = [0.0] * len(units)
            limited = ["no weight" if money > 0 else ""] * len(units)
            recommended = [0.0] * len(units)
        else:
            stop = None if prior is None or pm.stop_loss >= 1 else pm.stop_loss
            split = factor_amounts(weights, money, prior=prior if stop is not None else None, stop_loss=stop, keys=units, quantum=FEN)
            amounts, limited, recommended = list(split.amounts), list(split.limited_by), list(split.recommendation)
        base_rule = BY_POINTS if graded else SIZE_ONLY
        for j, u in enumerate(units):
            grade = sc.grade_of(u)
            out.append(
                PerformanceShare(
                    unit=u,
                    year=t,
                    points=points[u] if graded else None,
                    rating=RATINGS.get(grade, "") if graded else "",
                    size=sizes[j],
                    recommended=recommended[j],
                    prior=None if prior is None else prior[j],
                    amount=amounts[j],
                    rule=RULES.get(limited[j]) or limited[j] or base_rule,
                )
            )
        prior = amounts
    return tuple(out)


def performance_amounts(sc: Scenario, *, by_points: bool = True) -> dict[tuple[str, int], float]:
    """(unit, year) -> performance money (万元, whole fen); only units with money."""
    return {(r.unit, r.year): r.amount for r in performance_shares(sc, by_points=by_points) if r.amount > 0}


def follow_bounds(sc: Scenario) -> dict[tuple[str, int], tuple[str, float]]:
    """(unit, year) -> ("at_least" | "at_most", money) for the units whose grade follows the plan before grades.

    The money is the unit's reference money (the plan before grades) plus the change of its performance money
    (graded split less the split by size alone), in every year after the graded year.
    """
    pm = sc.policy.performance_money
    if not pm.reference or pm.graded_year is None:
        return {}
    graded, ungraded = performance_amounts(sc), performance_amounts(sc, by_points=False)
    out = {}
    for u, years in sorted(pm.reference.items()):
        sense = pm.follow.get(sc.grade_of(u)) if u in sc.units else None
        if sense is None:
            continue
        for t, money in sorted(years.items()):
            if t > pm.graded_year and t in sc.years:
                out[u, t] = (sense, money + graded.get((u, t), 0.0) - ungraded.get((u, t), 0.0))
    return out


def describe_rule(sc: Scenario) -> dict[str, object]:
    """The split's rule and parameters, for the manifest and the printed summary."""
    pm = sc.policy.performance_money
    rows = performance_shares(sc)
    return {
        "share_of_increment": pm.share,
        "size": pm.size,
        "stop_loss": pm.stop_loss,
        "graded_year": pm.graded_year,
        "weight": BY_POINTS if pm.points else SIZE_ONLY,
        "rule": (
            f"{pm.share:g} of each year's increment, split by "
            + (f"size alone up to {pm.graded_year}, then by {BY_POINTS}" if pm.points else "size alone (no grades known)")
            + f" (size: {pm.size}), stop-loss {pm.stop_loss:g} against the year before, pro-rated when short, exact to the fen; "
            "each unit gets it on top of its protected stock (row performance_money)"
        ),
        "rule_zh": (
            f"每年增量的{pm.share:.0%}为绩效资金，"
            + (f"{pm.graded_year}年及以前按规模、其后按得分×规模分配" if pm.points else "按规模分配（尚无考核得分）")
            + f"（规模：{'基数' if pm.size == 'base' else '专任教师数'}），止损{pm.stop_loss:g}（不低于上年的{1 - pm.stop_loss:.0%}），"
            "不足时按比例压缩，精确到分；计在各单位存量保底之上"
        ),
        "change_caps": {g: c.model_dump(mode="json") for g, c in pm.change_caps.items()},
        "follow": dict(pm.follow) if pm.reference else {},
        "total": {t: round(math.fsum(r.amount for r in rows if r.year == t), 6) for t in sc.years} if rows else {},
    }


def performance_frame(sc: Scenario):
    """performance_money.csv: unit, year, points, rating, size, recommended, prior, amount, rule (+ unit name, amount in fen)."""
    import pandas as pd

    rows = performance_shares(sc)
    frame = pd.DataFrame(
        [
            {
                "unit": r.unit,
                "year": r.year,
                "points": r.points,
                "rating": r.rating,
                "size": r.size,
                "recommended": round(r.recommended, 6),
                "prior": r.prior,
                "amount": round(r.amount, 6),
                "rule": r.rule,
                "amount_fen": round(r.amount / FEN),
                "unit_name": sc.units[r.unit].name_zh if sc.language == "zh" else (sc.units[r.unit].name_en or sc.units[r.unit].name_zh),
            }
            for r in rows
        ],
        columns=["unit", "year", "points", "rating", "size", "recommended", "prior", "amount", "rule", "amount_fen", "unit_name"],
    )
    return frame
