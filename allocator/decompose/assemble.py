"""The plan result of a decomposition: the blocks' money and activity joined, indicators recomputed, bound and gap."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pulp

from models import PlanResult, Scenario, SolverReport, SolveStatus, StageReport

from ..achievement import goal_rows, level_rows
from ..extract import budget_rows, indicator_rows, published_allocation, unit_indicator_rows
from ..formulation import BuiltProblem, Level
from ..sets import ModelSets
from ..solve import highs_version
from ..trajectory import effective_activity, evaluate
from .block import BlockPlan, BlockReport
from .dantzig_wolfe import StageRun
from .master import MasterSolution
from .structure import Structure

PROVEN_GAP = 1e-4
"""A decomposed plan is reported optimal when its stage-2 gap is within the MIP gap of a direct solve."""


class _Column:
    """Stands for a money column of the whole model (named as the model names it) when publishing the joined plan."""

    def __init__(self, name: str) -> None:
        self.name = name


def _violation(st: Structure, plans: list[BlockPlan], y: dict[str, float]) -> float:
    """Largest breach of a linking row by the joined plan (relative to the row's bound)."""
    used = sum((p.usage for p in plans), np.zeros(len(st.linking)))
    worst = 0.0
    for n, name in enumerate(st.linking):
        value = used[n] + sum(v * y.get(c, 0.0) for c, v in st.link_y.get(name, ()))
        lo, hi = st.link_lower[n], st.link_upper[n]
        breach = max(lo - value if math.isfinite(lo) else 0.0, value - hi if math.isfinite(hi) else 0.0)
        scale = max(1.0, abs(hi) if math.isfinite(hi) else abs(lo))
        worst = max(worst, breach / scale)
    return worst


def assemble(
    scenario: Scenario, st: Structure, plans: list[BlockPlan], ms: MasterSolution, runs: list[StageRun], reports: list[BlockReport]
) -> tuple[PlanResult, dict[str, Any]]:
    """PlanResult of the joined plan, and the decomposition's bound, gap and rounds for the manifest."""
    sets = ModelSets.from_scenario(scenario)
    shell = BuiltProblem(sets=sets, problem=pulp.LpProblem("decomposed"))
    values: dict[str, float] = {}
    for p in plans:
        for u, i, t, f, a in p.money:
            name = f"x__{u}__{i}__{t}__{f}"
            shell.money[u, i, t, f] = _Column(name)
            values[name] = a
    allocation, rounding = published_allocation(shell, values)
    u_pos = {u: n for n, u in enumerate(sets.units)}
    i_pos = {i: n for n, i in enumerate(sets.initiatives)}
    t_pos = {t: n for n, t in enumerate(sets.years)}
    activity = np.zeros((len(sets.units), len(sets.initiatives), len(sets.years)))
    for p in plans:
        for u, i, t, q in p.activity:
            activity[u_pos[u], i_pos[i], t_pos[t]] = q
    traj = evaluate(sets, effective_activity(sets, activity))
    shell.levels = [
        Level(priority, name, pulp.LpAffineExpression(), maximize, exact) for priority, name, maximize, exact in reports[0].levels
    ]
    held = sum(p.stage1 for p in plans) + sum(c.stage1 * ms.y.get(k, 0.0) for k, c in st.columns.items())
    stage1 = runs[0].primal if runs[0].stage == 1 else held  # as a direct solve reports it: stage 1's optimum, held within 1e-6
    stage2 = sum(p.stage2 for p in plans) + sum(c.stage2 * ms.y.get(k, 0.0) for k, c in st.columns.items())
    first = runs[0] if runs[0].stage == 1 else None
    bound1 = float(max(0.0, first.bound)) if first else 0.0
    bound2 = float(-runs[-1].bound)
    gap1 = max(0.0, stage1 - bound1)
    gap2 = max(0.0, bound2 - stage2) / max(1e-9, abs(bound2))
    status = SolveStatus.OPTIMAL if gap2 <= PROVEN_GAP and gap1 <= 1e-6 else SolveStatus.FEASIBLE
    seconds = {r.stage: sum(r.seconds.values()) for r in runs}
    level = {lv.name: lv for lv in shell.levels}
    stages = tuple(
        StageReport(
            name=name,
            objective=value,
            status=SolveStatus.OPTIMAL if name == "stage1" else status,
            seconds=seconds.get(n, 0.0),
            mip_gap=gap,
            priority=level[name].priority if name in level else None,
            sense=level[name].sense if name in level else None,
            hold="row" if name == "stage1" else None,
            final=value,
            leak=0.0,
        )
        for n, name, value, gap in ((1, "stage1", max(0.0, stage1), gap1), (2, "stage2", stage2, gap2))
    )
    report = SolverReport(
        name="highs",
        version=f"{highs_version()}, Dantzig-Wolfe decomposition",
        status=status,
        stages=stages,
        integer=any(r.size[2] for r in reports),
        variables=sum(r.size[0] for r in reports),
        constraints=sum(r.size[1] for r in reports),
    )
    allocation_t = tuple(allocation)
    goals = goal_rows(shell, values, traj)
    result = PlanResult.model_construct(
        scenario=scenario.name,
        status=status,
        stage1_shortfall=max(0.0, stage1),
        stage2_progress=stage2,
        allocation=allocation_t,
        indicators=tuple(indicator_rows(shell, traj)),
        unit_indicators=tuple(unit_indicator_rows(shell, traj)),
        budget=tuple(budget_rows(shell, list(allocation_t))),
        solver=report,
        goals=tuple(goals),
        levels=tuple(level_rows(shell, goals, stages)),
        timings={},
        warnings=(),
        rounding=rounding,
    )
    info = {
        "stage1": {"value": stage1, "bound": bound1, "gap": gap1},
        "stage2": {"value": stage2, "bound": bound2, "gap": gap2},
        "rounds": {f"stage{r.stage}": r.rounds for r in runs},
        "phase_seconds": {f"stage{r.stage}": r.seconds for r in runs},
        "max_linking_violation": _violation(st, plans, ms.y),
    }
    return result, info
