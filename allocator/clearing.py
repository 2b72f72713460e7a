"""Cost to clear: the least extra money that reaches an indicator's target (or a missing one's first unit) by a year.

It never reopens another missing indicator the base plan clears. Also the curve of "k missing indicators
cleared vs money".

The model is the plan's own (``build_problem(..., extra_pool=...)``) with extra-money variables on the
school's funds, requirement rows for the indicators asked about and keep rows on every other missing
indicator's stage-1 shortfall. It is solved lexicographically: least extra money, then fewest open gaps,
then most weighted progress, so the allocation written out is a sensible plan that spends it.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from models import AllocationRow, IndicatorRow, Scenario, SolveStatus

from .errors import InfeasibleError, OverrideError
from .extract import allocation_rows, clean_small_values, indicator_rows, trajectory_of
from .formulation import (
    BuiltProblem,
    add_clear_requirement_constraints,
    add_keep_value_constraints,
    add_stage1_keep_constraints,
    build_problem,
    extra_money_expression,
)
from .solve import HighsModel, SolverSettings, lexicographic_highs, raise_for_status, solve

if TYPE_CHECKING:
    from .distributed import Cluster

logger = logging.getLogger(__name__)

MONEY_TOL = 1e-7


@dataclass(frozen=True)
class ClearResult:
    """Least extra money that clears the requested indicators, by year, and the plan that spends it."""

    indicators: tuple[str, ...]
    requirements: dict[str, tuple[int, float]]
    pool: str
    extra_total: float
    extra_by_year: dict[int, float]
    base_values: dict[str, float]
    values: dict[str, float]
    allocation: tuple[AllocationRow, ...] = field(repr=False)
    indicator_rows: tuple[IndicatorRow, ...] = field(repr=False)
    stage1_shortfall: float = 0.0
    stage2_progress: float = 0.0


@dataclass(frozen=True)
class CurvePoint:
    """The cheapest way to have at least ``k`` missing indicators cleared; ``cleared`` is every one its plan clears (>= k)."""

    k: int
    status: str
    extra_total: float
    extra_by_year: dict[int, float]
    cleared: tuple[str, ...]


def requirement_for(scenario: Scenario, key: str, by: int | None) -> tuple[int, float]:
    """(year, level) to reach: a missing indicator's first unit by its clear-by year, else its target by its target year."""
    if key not in scenario.indicators:
        known = ", ".join(sorted(scenario.indicators))
        raise OverrideError(f"--indicator {key}: unknown indicator (known: {known})")
    ind = scenario.indicators[key]
    if ind.is_missing:
        year, level = ind.clear_year, ind.clear_value
    else:
        year, level = ind.target_year, ind.target
    if by is not None:
        if not scenario.start_year <= by <= scenario.end_year:
            raise OverrideError(f"--by {by}: outside the plan {scenario.start_year}-{scenario.end_year}")
        year = by
    return year, level


def _base_plan(scenario: Scenario, settings: SolverSettings):
    """The base plan: each missing indicator's stage-1 shortfall, the solution and the built problem."""
    bp = build_problem(scenario)
    sol = solve(bp, settings)
    return {ids: max(0.0, sol.values.get(var.name, 0.0)) for ids, var in bp.shortfall.items()}, sol, bp


def _prepare(
    scenario: Scenario,
    requirements: dict[str, tuple[int, float]],
    pool: str,
    settings: SolverSettings,
    switchable: bool,
    keep_others: bool = False,
):
    if pool not in ("increment", "total"):
        raise OverrideError(f"--pool {pool}: expected increment or total")
    base_short, base_sol, base_bp = _base_plan(scenario, settings)
    bp = build_problem(scenario, extra_pool=pool)
    add_clear_requirement_constraints(bp, requirements, switchable=switchable)
    keep = {ids: v for ids, v in base_short.items() if switchable or ids[0] not in requirements}
    add_stage1_keep_constraints(bp, keep)
    if keep_others:
        traj = trajectory_of(base_bp, clean_small_values(base_sol.values))
        floors = {}
        for n, k in enumerate(base_bp.sets.indicators):
            if k in requirements:
                continue
            for j, year in enumerate(base_bp.sets.years):
                level = min(float(traj.values[n, j]), scenario.indicators[k].target) - 1e-7
                if level > 1e-9:
                    floors[k, year] = level
        add_keep_value_constraints(bp, floors)
    base_values = _values_at(base_bp, base_sol.values, requirements)
    return bp, base_values


def _values_at(bp: BuiltProblem, values: dict[str, float], requirements: dict[str, tuple[int, float]]) -> dict[str, float]:
    traj = trajectory_of(bp, clean_small_values(values))
    return {k: float(traj.values[bp.sets.indicators.index(k), bp.sets.years.index(y)]) for k, (y, _) in requirements.items()}


def _reached(bp: BuiltProblem, values: dict[str, float], requirements: dict[str, tuple[int, float]]) -> tuple[str, ...]:
    """The missing indicators a curve point's plan clears: its value reaches the level by the year, switch or not.

    The switch c_k only forces a level; at least k are asked for, so a plan clearing more (the base plan's own
    clears, kept by the keep rows, come free) must say so: at k = 0 the list is the base plan's clears.
    """
    reached = _values_at(bp, values, requirements)
    return tuple(k for k, (_, level) in sorted(requirements.items()) if reached[k] >= level - 1e-6 * max(1.0, abs(level)))


def _extra_by_year(bp: BuiltProblem, values: dict[str, float]) -> dict[int, float]:
    out = dict.fromkeys(bp.sets.years, 0.0)
    for (_, t), var in bp.extra.items():
        v = values.get(var.name, 0.0)
        out[t] += v if v > MONEY_TOL else 0.0
    return out


def cost_to_clear(
    scenario: Scenario,
    indicators: Sequence[str],
    *,
    by: int | None = None,
    pool: str = "increment",
    keep_others: bool = False,
    settings: SolverSettings | None = None,
) -> ClearResult:
    """Least extra money (in ``pool``) that reaches every requested indicator's requirement by its year.

    Other missing indicators never lose ground; with ``keep_others`` no other indicator falls below its
    base-plan trajectory in any year (up to its target) either; otherwise money may be moved away from them.
    """
    settings = SolverSettings(name="highs", time_limit=(settings.time_limit if settings else None))
    requirements = {k: requirement_for(scenario, k, by) for k in indicators}
    bp, base_values = _prepare(scenario, requirements, pool, settings, switchable=False, keep_others=keep_others)
    model = HighsModel(bp.problem, settings)
    extra = extra_money_expression(bp)
    model.set_objective(extra, maximize=False)
    report, values = model.run("least_extra_money", settings.time_limit)
    if values is None:
        names = ", ".join(indicators)
        if report.status in (SolveStatus.INFEASIBLE, SolveStatus.UNBOUNDED):
            raise InfeasibleError(
                f"{names} cannot be reached by the year asked with any amount of extra {pool} money",
                status=report.status.value,
            )
        raise_for_status_from(report.status, scenario.name)
    least = float(report.objective)
    named = model.named(values)
    # Spend the least extra money in the years it is needed. A re-solve from scratch may judge the exact
    # optimum a hair infeasible, so allow a little slack (1e-6 relative first, then more), never reported.
    for slack in (1e-6, 1e-4, 1e-3):
        for var in bp.extra.values():
            v = max(0.0, named.get(var.name, 0.0))
            model.set_column_bounds(var.name, 0.0, v * (1 + slack) + slack if v > 0 else 0.0)
        sol = lexicographic_highs(model, bp, settings.time_limit, start=values, later_start=values)
        if sol.status.has_solution:
            break
        logger.debug("cost to clear: re-solve at slack %g failed (%s); loosening", slack, sol.status.value)
    raise_for_status(sol, scenario.name, "highs")
    vals = clean_small_values(sol.values)
    traj = trajectory_of(bp, vals)
    return ClearResult(
        indicators=tuple(indicators),
        requirements=requirements,
        pool=pool,
        extra_total=least,
        extra_by_year=_extra_by_year(bp, named),
        base_values=base_values,
        values=_values_at(bp, vals, requirements),
        allocation=tuple(allocation_rows(bp, vals)),
        indicator_rows=tuple(indicator_rows(bp, traj)),
        stage1_shortfall=max(0.0, sol.objective("stage1")),
        stage2_progress=sol.objective("stage2"),
    )


def raise_for_status_from(status: SolveStatus, scenario: str) -> None:
    """Raise the error matching a stage status without a solution."""
    from .solve import LexSolution

    raise_for_status(LexSolution(status, {}, []), scenario, "highs")


def reachable_within(
    scenario: Scenario,
    indicators: Sequence[str],
    extra_cap: float,
    *,
    by: int | None = None,
    pool: str = "increment",
    keep_others: bool = False,
) -> bool:
    """Whether at most ``extra_cap`` of extra money can reach every requirement (the check that a cost is tight)."""
    settings = SolverSettings(name="highs")
    requirements = {k: requirement_for(scenario, k, by) for k in indicators}
    bp, _ = _prepare(scenario, requirements, pool, settings, switchable=False, keep_others=keep_others)
    model = HighsModel(bp.problem, settings)
    extra = extra_money_expression(bp)
    model.add_row(extra, -math.inf, extra_cap)
    model.set_objective(extra, maximize=False)
    report, values = model.run("reachable", None)
    return values is not None


CURVE_CHUNK = 8
"""Curve points per task: consecutive k on one warm model, each point starting from the one before."""


def cost_to_clear_curve(
    scenario: Scenario,
    *,
    by: int | None = None,
    pool: str = "increment",
    settings: SolverSettings | None = None,
    progress: Callable[[CurvePoint], None] | None = None,
    cluster: Cluster | None = None,
) -> list[CurvePoint]:
    """For k = 0 .. number of missing indicators: the least extra money with at least k of them cleared.

    The points are Dask tasks (``allocator.distributed``) of CURVE_CHUNK consecutive k each, fixed by the
    scenario alone, so the curve is the same on one process or many.
    """
    from .distributed import Cluster

    settings = SolverSettings(name="highs", time_limit=(settings.time_limit if settings else None))
    if pool not in ("increment", "total"):
        raise OverrideError(f"--pool {pool}: expected increment or total")
    missing = sorted(k for k, ind in scenario.indicators.items() if ind.is_missing)
    requirements = {k: requirement_for(scenario, k, by) for k in missing}
    keep, _, _ = _base_plan(scenario, settings)
    ks = list(range(len(missing) + 1))
    chains = [(ks[s : s + CURVE_CHUNK],) for s in range(0, len(ks), CURVE_CHUNK)]
    own = cluster is None
    cluster = (cluster or Cluster()).cap(len(chains))
    step = (lambda _n, pts: [progress(p) for p in pts]) if progress else None
    try:
        chunks = cluster.map(_curve_chain, chains, shared=(scenario, requirements, pool, keep, settings), progress=step)
    finally:
        if own:
            cluster.close()
    return [p for chunk in chunks for p in chunk]


def _curve_chain(
    scenario: Scenario,
    requirements: dict[str, tuple[int, float]],
    pool: str,
    keep: dict[tuple[str, ...], float],
    settings: SolverSettings,
    ks: list[int],
) -> list[CurvePoint]:
    """Task: the curve at consecutive k on one model (each point warm from the previous one's plan)."""
    bp = build_problem(scenario, extra_pool=pool, check=False)
    add_clear_requirement_constraints(bp, requirements, switchable=True)
    add_stage1_keep_constraints(bp, keep)
    model = HighsModel(bp.problem, settings)
    model.set_objective(extra_money_expression(bp), maximize=False)
    points = []
    last = None
    for k in ks:
        model.set_row_lower("cleared_count__all", float(k))
        if last is not None:
            model.warm_start(last)
        report, values = model.run(f"clear_{k}", settings.time_limit)
        if values is None:
            pt = CurvePoint(k, report.status.value, math.nan, {}, ())
        else:
            named = model.named(values)
            cleared = _reached(bp, named, requirements)
            pt = CurvePoint(k, report.status.value, float(report.objective), _extra_by_year(bp, named), cleared)
            last = values
        points.append(pt)
    return points
