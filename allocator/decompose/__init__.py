"""Plans too big for one solve, by price-directed decomposition over groups of units (``plan --decompose COLUMN``).

Units fall into groups by a column of the units table (a provincial plan's ``university``); the groups are
linked only by rows shared between them: fund limits, the increment earmark, capacities over all units,
province-wide indicators. Each group's block is solved as a Dask task, the master prices the shared rows
(Dantzig-Wolfe column generation, ``dantzig_wolfe``), and a final repair gives a plan that keeps every rule.
The result carries the bound the master proves and the gap to it. See docs/scale.md.

| module | job |
|---|---|
| ``block`` | one group's warm model on a worker: build, price, final plan |
| ``structure`` | the groups, and which rows link them (read from the built blocks) |
| ``master`` | the restricted master LP (and the small MILP that picks whole-unit patterns) |
| ``dantzig_wolfe`` | the column-generation phases of one stage |
| ``assemble`` | the plan result from the blocks' plans |
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from models import PlanResult, Scenario

from ..distributed import Cluster
from .assemble import assemble
from .block import forget, report_task
from .dantzig_wolfe import ColumnGeneration, hold_level
from .structure import classify, groups_of

logger = logging.getLogger(__name__)

__all__ = ["groups_of", "plan_decomposed"]


def plan_decomposed(
    scenario: Scenario, column: str, *, cluster: Cluster, progress: Callable[[str], None] | None = None
) -> tuple[PlanResult, dict[str, Any]]:
    """Plan by decomposition over the groups of ``column``; returns the plan and a report (bound, gap, rounds, times)."""
    t0 = time.perf_counter()
    groups = groups_of(scenario, column)
    names, units = list(groups), list(groups.values())
    job = uuid.uuid4().hex
    try:
        reports = cluster.map(
            report_task, [(b == 0, u) for b, u in enumerate(units)], shared=(scenario, job), affinity=list(range(len(units)))
        )
        t1 = time.perf_counter()
        st = classify(job, units, reports)
        cg = ColumnGeneration(scenario, st, cluster, [r.size[2] > 0 for r in reports], progress=progress)
        cg.task_seconds += [r.seconds for r in reports]
        has_stage1 = any(ind.is_missing for ind in scenario.indicators.values())
        runs = []
        hold = None
        chosen: dict[int, tuple[float, ...]] = {}
        if has_stage1:
            run1, _, _ = cg.stage(1, None)
            runs.append(run1)
            hold = hold_level(run1.primal)
        run2, ms, chosen = cg.stage(2, hold)
        runs.append(run2)
        t2 = time.perf_counter()
        plans = cg.finish(ms, chosen)
        t3 = time.perf_counter()
    finally:
        cluster.run_everywhere(forget, job)
    result, info = assemble(scenario, st, plans, ms, runs, reports)
    t4 = time.perf_counter()
    info.update(
        {
            "column": column,
            "groups": len(groups),
            "group_names": names[:20],
            "linking_rows": len(st.linking),
            "master_columns": len(st.columns),
            "proposals": len(cg.proposals),
            "ran_on": cluster.describe(),
            "workers": cluster.worker_count(),
            "task_seconds": _spread(cg.task_seconds),
            "master_seconds": cg.master_seconds,
            "pricing_rounds": cg.rounds,
            "expected_seconds_on_16_workers": _expected(cg, len(units), t1 - t0, reports, 16),
            "timings": {"blocks": t1 - t0, "column_generation": t2 - t1, "final": t3 - t2, "assemble": t4 - t3},
        }
    )
    timings = {"build": t1 - t0, "solve": t3 - t1, "extract": t4 - t3}
    return result.model_copy(update={"timings": timings}), info


def _expected(cg: ColumnGeneration, blocks: int, build: float, reports, workers: int) -> float:
    """Seconds the same decomposition would take on ``workers`` workers, from the measured task times.

    Each pricing round waits for its slowest worker: ceil(blocks / workers) tasks of the median round's
    task time; builds spread the same way; the master (solved here) does not shrink.
    """
    import math

    per_round = sorted(cg.task_seconds[len(reports) :])
    typical = per_round[len(per_round) // 2] if per_round else 0.0
    slowest = per_round[int(0.9 * (len(per_round) - 1))] if per_round else 0.0
    waves = math.ceil(blocks / workers)
    build_each = max(r.seconds for r in reports)
    return waves * build_each + (cg.rounds + 1) * ((waves - 1) * typical + slowest) + cg.master_seconds


def _spread(seconds: list[float]) -> dict[str, float]:
    if not seconds:
        return {"tasks": 0}
    s = sorted(seconds)
    return {"tasks": len(s), "total": float(sum(s)), "median": s[len(s) // 2], "p90": s[int(0.9 * (len(s) - 1))], "max": s[-1]}
