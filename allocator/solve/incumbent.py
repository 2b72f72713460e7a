"""The LP relaxation first: it bounds a level, a rounding repair (a dive) gives a plan, and the MILP only if needed.

Where the bound and the repaired plan meet within the gap the level is proved without the MILP; elsewhere the
plan starts the MILP.
A MILP's first plans are what made large models slow: at 100 units the missing-indicator level spent 10 of its
11.5 s in HiGHS's root cut loop with the bound already at the optimum, looking for a plan that reaches it. The dive
rounds the relaxation one whole-unit decision at a time (the most advanced fraction up, or down where up costs the
level something and down costs less), re-solving the LP warm after each, until every decision is whole: there it
reaches the bound in 1.7 s in all.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

import numpy as np

from models import SolveStatus, StageReport

from ..formulation import Level
from .highs import HighsModel

logger = logging.getLogger(__name__)

INTEGRAL = 1e-6
"""A value within this of a whole number counts as whole."""
DIVE_TIME_FACTOR = 3.0
"""The dive stops once it has taken this many times the relaxation's own solve time (at least DIVE_MIN_SECONDS)."""
DIVE_MIN_SECONDS = 0.2
ROUND_OFF = 1e-12
"""A plan this close to the bound (relative) is reported at the bound: the difference is the LP's round-off."""
EXACT_ABSOLUTE = 1e-6
"""A level solved exactly (stage 1 counts open gaps) is proved when the bound is within this of the plan."""


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(deadline - time.perf_counter(), 1e-3)


def proved(level: Level, excess: float, z: float, gap: float) -> bool:
    """Whether a bound ``excess`` better than plan value ``z`` is within the level's gap (as HiGHS's MIP stops)."""
    if level.exact:
        return excess <= EXACT_ABSOLUTE
    return excess <= max(min(1e-6, 0.1 * gap), gap * abs(z))


def relative_gap(excess: float, z: float) -> float:
    """A bound's excess over the plan relative to |plan| (HiGHS's |ub - lb| / |ub|), 0 when the bound is not better."""
    if excess <= 0:
        return 0.0
    if z:
        return excess / abs(z)
    return 0.0 if excess <= EXACT_ABSOLUTE else float("inf")


def better(value: float, than: float | None, maximize: bool, tol: float = 0.0) -> bool:
    """Whether ``value`` improves on ``than`` by more than ``tol`` (relative to max(1, |than|)) in the level's direction."""
    if than is None:
        return True
    margin = tol * max(1.0, abs(than))
    return value > than + margin if maximize else value < than - margin


def dive(model: HighsModel, x: np.ndarray, level: Level, bound: float, budget: float, deadline: float | None) -> np.ndarray | None:
    """Round the relaxation's whole-unit decisions until all are whole: a plan to prove the level, or to start its MILP.

    First all at once (each to its nearest whole value): where that keeps the level within its gap of ``bound``,
    done in one re-solve. Otherwise one at a time, re-solving warm: the most advanced fraction up, or down where up
    costs the level something and down less (a relaxation optimum is often degenerate, and one way can give up what
    the other keeps). A plan that no longer proves the level still starts the MILP (on the bundled plan a dived
    start more than halved the branch-and-bound), so the dive goes on to the end, within ``budget`` seconds. The
    integer columns must be relaxed; they are left with the bounds the dive fixed (``release_integers`` undoes it).
    """
    cols = np.flatnonzero(model.integer)
    start = time.perf_counter()

    whole = _round_all(model, cols, x, deadline)
    if whole is not None and proved(level, _excess(level, bound, whole[0]), whole[0], model.gap):
        return whole[1]
    current = None
    while True:
        frac = np.abs(x[cols] - np.round(x[cols])) > INTEGRAL
        if not frac.any():
            return x
        if time.perf_counter() - start > budget:
            return None
        candidates = cols[frac]
        j = int(candidates[np.argmax(x[candidates] - np.floor(x[candidates]))])
        step = _round_one(model, j, x[j], level.maximize, current, deadline)
        if step is None:
            return None
        current, x = step


def _round_all(model: HighsModel, cols: np.ndarray, x: np.ndarray, deadline: float | None) -> tuple[float, np.ndarray] | None:
    """Every whole-unit decision at its nearest whole value, the rest re-solved; their bounds are put back after."""
    nearest = np.clip(np.round(x[cols]), model.col_lower[cols], model.col_upper[cols])
    idx = cols.astype(np.int32)
    model.h.changeColsBounds(len(idx), idx, nearest, nearest)
    report, found = model.run("dive", _remaining(deadline))
    model.h.changeColsBounds(len(idx), idx, model.col_lower[cols], model.col_upper[cols])
    if found is None or report.status != SolveStatus.OPTIMAL:  # a stopped simplex's point may not be feasible
        return None
    return report.objective, found


def _round_one(
    model: HighsModel, j: int, value: float, maximize: bool, current: float | None, deadline: float | None
) -> tuple[float, np.ndarray] | None:
    """Fix one decision up, or down where up costs the level something and down less; the level's value and plan."""
    best: tuple[float, float, np.ndarray] | None = None
    for target in (float(np.ceil(value)), float(np.floor(value))):
        target = min(max(target, model.col_lower[j]), model.col_upper[j])
        model.h.changeColBounds(j, target, target)
        report, found = model.run("dive", _remaining(deadline))
        if found is not None and report.status == SolveStatus.OPTIMAL:
            if best is None or better(report.objective, best[0], maximize):
                best = (report.objective, target, found)
            if current is not None and not better(current, report.objective, maximize, INTEGRAL):
                break  # rounding up cost nothing: keep it
    if best is None:
        return None
    objective, target, found = best
    model.h.changeColBounds(j, target, target)
    return objective, found


def relaxation_first(
    model: HighsModel, level: Level, offers: Sequence[np.ndarray], time_limit: float | None
) -> tuple[StageReport | None, np.ndarray | None]:
    """Bound the level by its LP relaxation and look for a plan at the bound; the model's objective and holds are set.

    Returns (report, plan) when a plan is proved within the gap; otherwise (None, best plan found or None), with the
    model back to its integers and the best plan offered to it as the MILP's start.
    """
    start = time.perf_counter()
    deadline = None if time_limit is None else start + time_limit
    best: tuple[float, np.ndarray] | None = None
    bound = None
    try:
        for offer in offers:  # plans known to keep the holds (the previous level's, a given start): as they are
            value = model.expr_value(level.objective, offer)
            if better(value, best[0] if best else None, level.maximize):
                best = (value, offer)
        model.relax_integers()
        model.forget_basis()
        relaxed, x = model.run(f"{level.name}_relaxation", time_limit)
        if x is not None and relaxed.status == SolveStatus.OPTIMAL:  # only an optimal relaxation bounds the level
            bound = relaxed.objective
            if best is None or not proved(level, _excess(level, bound, best[0]), best[0], model.gap):
                budget = max(DIVE_MIN_SECONDS, DIVE_TIME_FACTOR * relaxed.seconds)
                found = dive(model, x, level, bound, budget, deadline)
                if found is not None:
                    value = model.expr_value(level.objective, found)
                    if better(value, best[0] if best else None, level.maximize):
                        best = (value, found)
    finally:
        model.release_integers()
    if best is None:
        return None, None
    z, plan = best
    excess = _excess(level, bound, z) if bound is not None else float("inf")
    if proved(level, excess, z, model.gap):
        if abs(excess) <= ROUND_OFF * max(1.0, abs(bound)):  # at the bound but for round-off (1e-17 shortfalls): the bound
            z, excess = float(bound), 0.0
        seconds = time.perf_counter() - start
        report = StageReport(
            name=level.name,
            objective=z,
            status=SolveStatus.OPTIMAL,
            seconds=seconds,
            mip_gap=relative_gap(excess, z),
            gap_limit=0.0 if level.exact else model.gap,
            proof="relaxation",
        )
        logger.debug("level %s proved by its relaxation: %.9g within %.3g of the bound %.9g", level.name, z, excess, bound)
        return report, plan
    model.warm_start(plan)
    return None, plan


def _excess(level: Level, bound: float | None, z: float) -> float:
    """How much better than ``z`` the bound is, in the level's direction."""
    if bound is None:
        return float("inf")
    return bound - z if level.maximize else z - bound
