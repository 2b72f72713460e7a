"""Read a solved model into a typed PlanResult (allocation, trajectories, budget use)."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from models import (
    AllocationRow,
    BudgetRow,
    IndicatorRow,
    PlanResult,
    SolverReport,
    UnitIndicatorRow,
)

from .achievement import goal_rows, level_rows
from .formulation import BuiltProblem
from .pools import split_by_pool
from .reclaim import reclaim_rows
from .rolling import snap_past_years
from .rounding import CENT, from_quanta, round_plan, to_quanta
from .solve import LexSolution
from .trajectory import Trajectory, effective_activity, evaluate

logger = logging.getLogger(__name__)

ZERO_THRESHOLD = 1e-6
"""Money and activity below this (in 万元 or activity units) is solver noise and reads as 0."""
MET_TOLERANCE = 1e-6


def clean_small_values(values: dict[str, float], threshold: float = ZERO_THRESHOLD) -> dict[str, float]:
    """Set values within ``threshold`` of zero to zero, logging how many were cleaned."""
    cleaned = {k: (0.0 if abs(v) < threshold else v) for k, v in values.items()}
    n = sum(1 for k in values if values[k] != cleaned[k])
    if n:
        logger.debug("cleaned %d values below %g", n, threshold)
    return cleaned


def activity_array(bp: BuiltProblem, values: dict[str, float]) -> np.ndarray:
    """Raw activity q[u,i,t] as a dense (U, I, T) array."""
    sets = bp.sets
    u_pos = {u: n for n, u in enumerate(sets.units)}
    i_pos = {i: n for n, i in enumerate(sets.initiatives)}
    t_pos = {t: n for n, t in enumerate(sets.years)}
    out = np.zeros((len(sets.units), len(sets.initiatives), len(sets.years)))
    for (u, i, t), var in bp.activity.items():
        out[u_pos[u], i_pos[i], t_pos[t]] = values.get(var.name, 0.0)
    return out


def requirement(indicator, year: int) -> tuple[float | None, float | None]:
    """(milestone of the year, value required that year): the target from its year on, else a milestone."""
    milestone = indicator.milestones.get(year)
    if year >= indicator.target_year:
        return milestone, indicator.target
    return milestone, milestone


def indicator_rows(bp: BuiltProblem, traj: Trajectory) -> list[IndicatorRow]:
    """One row per indicator and year with value, target, milestone, shortfall and met."""
    rows = []
    for k_idx, key in enumerate(bp.sets.indicators):
        ind = bp.scenario.indicators[key]
        for t_idx, year in enumerate(bp.sets.years):
            value = float(traj.values[k_idx, t_idx])
            milestone, req = requirement(ind, year)
            shortfall = max(0.0, req - value) if req is not None else None
            met = (value >= req - MET_TOLERANCE * max(1.0, abs(req))) if req is not None else None
            rows.append(
                IndicatorRow.model_construct(
                    indicator=key,
                    year=year,
                    value=value,
                    target=ind.target,
                    target_year=ind.target_year,
                    milestone=milestone,
                    shortfall=shortfall,
                    met=met,
                )
            )
    return rows


def unit_indicator_rows(bp: BuiltProblem, traj: Trajectory) -> list[UnitIndicatorRow]:
    """Each unit's planned output per indicator and year (rows where it produces something or must reach a minimum)."""
    rows = []
    sets = bp.sets
    for k_idx, key in enumerate(sets.indicators):
        qualifying = set(sets.qualifying.get(key, ()))
        for u_idx, unit in enumerate(sets.units):
            flows = traj.flows[k_idx, u_idx]
            if unit not in qualifying and not np.any(np.abs(flows) > ZERO_THRESHOLD):
                continue
            for t_idx, year in enumerate(sets.years):
                rows.append(
                    UnitIndicatorRow.model_construct(
                        unit=unit,
                        indicator=key,
                        year=year,
                        output=float(flows[t_idx]),
                        value=float(traj.unit_values[k_idx, u_idx, t_idx]),
                    )
                )
    return rows


def allocation_rows(bp: BuiltProblem, values: dict[str, float]) -> list[AllocationRow]:
    """Non-zero money by unit, initiative, year, pool and source, in sorted order, published to 0.01 万元."""
    return published_allocation(bp, values)[0]


def published_allocation(bp: BuiltProblem, values: dict[str, float]) -> tuple[list[AllocationRow], dict[str, Any]]:
    """The allocation rows published to 0.01 万元, and what rounding did (for the manifest).

    The solver's amounts are rounded by largest remainder down year -> fund -> unit -> line
    (``rounding.round_plan``), so rows add up exactly to each fund's total and a fully spent fund to its
    money; no fund is shown spending more than it has.
    """
    funds = {f.key: f for f in bp.sets.funds}
    raw: dict[tuple[int, str, str, str, str], float] = {}
    for (u, i, t, f), amount in split_by_pool(bp, values).items():  # the school's pools by the pool rule
        if amount > ZERO_THRESHOLD:
            fund = funds[f]
            raw[t, fund.pool, fund.source, u, i] = amount
    available = {(t, f.pool, f.source): bp.sets.available(f, t) for t in bp.sets.years for f in bp.sets.funds}
    raw = snap_past_years(bp.scenario, raw)
    published = round_plan(raw, available)
    fund_key = {(f.pool, f.source): f.key for f in bp.sets.funds}
    rows = []
    for (t, pool, source, u, i), n in sorted(published.items(), key=lambda kv: (kv[0][3], kv[0][4], kv[0][0], fund_key[kv[0][1:3]])):
        if n > 0:
            rows.append(AllocationRow.model_construct(unit=u, initiative=i, year=t, pool=pool, source=source, amount=from_quanta(n)))
    changes = [abs(from_quanta(n) - raw[k]) for k, n in published.items()]
    report = {
        "quantum": CENT,
        "rule": "largest remainder, year -> (year, pool, source) -> (year, pool, source, unit) -> line; ties by sorted id",
        "lines": len(rows),
        "largest_line_change": max(changes, default=0.0),
        "lines_rounded_to_zero": sum(1 for k, n in published.items() if n == 0 and raw[k] >= CENT / 2),
        "lines_below_half_a_quantum_dropped": sum(1 for k, n in published.items() if n == 0 and raw[k] < CENT / 2),
    }
    return rows, report


def published_money(bp: BuiltProblem, values: dict[str, float], allocation: list[AllocationRow]) -> dict[str, float]:
    """The plan's values with every money variable at its published amount, so goals on money add up from allocation.csv."""
    fund_key = {(f.pool, f.source): (f.key if f.restricted else f.source) for f in bp.sets.funds}
    out = {**values, **{var.name: 0.0 for var in bp.money.values()}}
    for row in allocation:  # the school's two pools are one variable per line: both rows add to it
        out[bp.money[row.unit, row.initiative, row.year, fund_key[row.pool, row.source]].name] += row.amount
    return out


def budget_rows(bp: BuiltProblem, allocation: list[AllocationRow]) -> list[BudgetRow]:
    """Available and allocated money per year, pool and source (allocated summed in whole quanta: exact)."""
    quanta: dict[tuple[int, str, str], int] = {}
    for row in allocation:
        key = (row.year, row.pool, row.source)
        quanta[key] = quanta.get(key, 0) + to_quanta(row.amount)
    used = {k: from_quanta(n) for k, n in quanta.items()}
    return [
        BudgetRow.model_construct(
            year=t, pool=f.pool, source=f.source, available=bp.sets.available(f, t), allocated=used.get((t, f.pool, f.source), 0.0)
        )
        for t in bp.sets.years
        for f in bp.sets.funds
    ]


def trajectory_of(bp: BuiltProblem, values: dict[str, float]) -> Trajectory:
    """Indicator trajectories recomputed from the plan's activity (independent of the LP's value rows)."""
    return evaluate(bp.sets, effective_activity(bp.sets, activity_array(bp, values)))


def check_consistency(bp: BuiltProblem, values: dict[str, float], traj: Trajectory) -> list[str]:
    """Compare the LP's indicator values with the recomputed trajectory; an LP value above it is a warning.

    The recomputation fills diminishing-returns segments in order, so it can only exceed the LP where the
    LP left output unclaimed (possible when a solve stops early on a plan that did not need it); the LP
    claiming more than the money buys would be an accounting error, and that is what is reported.
    """
    warnings = []
    for k_idx, key in enumerate(bp.sets.indicators):
        for t_idx, year in enumerate(bp.sets.years):
            var = bp.value.get((key, year))
            if var is None:
                continue
            lp_value = values.get(var.name, 0.0)
            true_value = float(traj.values[k_idx, t_idx])
            if lp_value - true_value > 1e-5 * max(1.0, abs(true_value)):
                warnings.append(f"{key} {year}: LP value {lp_value:.6g} differs from recomputed {true_value:.6g}")
    return warnings


def extract(bp: BuiltProblem, solution: LexSolution, timings: dict[str, float] | None = None) -> PlanResult:
    """Typed plan result from a solved problem."""
    values = clean_small_values(solution.values)
    traj = trajectory_of(bp, values)
    warnings = check_consistency(bp, values, traj)
    for w in warnings:
        logger.warning("accounting check: %s", w)
    allocation, rounding = published_allocation(bp, values)
    goals = goal_rows(bp, published_money(bp, values, allocation), traj)
    report = SolverReport(
        name=solution.solver,
        version=solution.version,
        status=solution.status,
        stages=tuple(solution.stages),
        integer=bp.is_integer,
        variables=len(bp.problem.variables()),
        constraints=len(bp.problem.constraints),
    )
    return PlanResult.model_construct(
        scenario=bp.scenario.name,
        status=solution.status,
        stage1_shortfall=max(0.0, solution.objective("stage1")),
        stage2_progress=solution.objective("stage2"),
        allocation=tuple(allocation),
        indicators=tuple(indicator_rows(bp, traj)),
        unit_indicators=tuple(unit_indicator_rows(bp, traj)),
        budget=tuple(budget_rows(bp, allocation)),
        solver=report,
        goals=tuple(goals),
        levels=tuple(level_rows(bp, goals, solution.stages)),
        timings=dict(timings or {}),
        warnings=tuple(warnings),
        rounding=rounding,
        reclaim=tuple(reclaim_rows(bp, allocation)),
    )
