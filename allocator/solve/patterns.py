"""A MILP at many nearby right-hand sides (a budget sweep): known integer patterns, the relaxation as the bound.

Adjacent budget levels share almost all their whole-unit decisions (7 integer patterns over the 21 levels of
the bundled sweep). At each point the recently seen patterns are tried as LPs, each level on its own warm model
(``WarmLevels``); the best is the incumbent. The LP relaxation, solved level by level with every earlier level
held at the incumbent's value, bounds what any pattern could reach: where it is within the gap of the incumbent
at every level, the incumbent is proved. Elsewhere the MILP is solved, started from the incumbent, and its
plan's pattern joins the pool (the MILP only where the bound leaves more than the gap). Each point says how
it was proved and to what gap.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from models import SolveStatus, StageReport

from ..formulation import BuiltProblem, Level
from .highs import HighsModel
from .lexicographic import lexicographic_highs
from .settings import levels_of
from .warm_levels import LevelPoint, WarmLevels

logger = logging.getLogger(__name__)

EXACT_ABSOLUTE = 1e-6
"""A level solved exactly (stage 1 counts open gaps) is proved when the bound is within this of the incumbent."""
HEURISTIC_EFFORT = 0.05
"""HiGHS's default share of MIP effort on primal heuristics, put back after a level's proof."""
POOL_SIZE = 4
"""Integer patterns kept and tried at each point (the most recently useful first)."""


@dataclass
class PatternPoint:
    """One point: each level's report (``mip_gap`` the proven relative gap), the plan, and how it was proved."""

    status: SolveStatus
    stages: list[StageReport]
    values: np.ndarray | None
    proof: str
    """``bound``: a known pattern, proved by the LP relaxation; ``milp``: the MILP; empty: no plan."""
    gap: float | None
    """Largest proven relative gap over the levels (None where a time limit left a level unproved)."""


def relative_gap(excess: float, z: float) -> float:
    """How much better the bound is than the incumbent, relative to max(1, |incumbent|) (0 when not better)."""
    return max(0.0, excess) / max(1.0, abs(z))


def better(a: LevelPoint, b: LevelPoint, tol: float = 1e-9) -> bool:
    """Whether plan ``a`` beats ``b`` lexicographically (the first level that differs by more than ``tol`` decides)."""
    for sa, sb in zip(a.stages, b.stages):
        diff = sa.objective - sb.objective if sa.sense == "max" else sb.objective - sa.objective
        if diff > tol * max(1.0, abs(sb.objective)):
            return True
        if diff < -tol * max(1.0, abs(sb.objective)):
            return False
    return False


class PatternSolver:
    """A MILP's levels at changing right-hand sides: a pattern pool, the LP relaxation as the bound, MILP fallback.

    Three HiGHS models share one hand-off: the MILP (``model``), the levels with integers fixed at a pattern,
    and the levels relaxed. ``gap`` is the relative gap every point is proved to (default: the model's).
    """

    def __init__(self, model: HighsModel, levels: BuiltProblem | Sequence[Level], *, gap: float | None = None):
        self.levels = levels_of(levels)
        self.milp = model
        if gap is not None:
            model.gap = float(gap)
        self.gap = model.gap
        self.integer_cols = np.flatnonzero(model.integer)
        self.fixed = WarmLevels(model.twin(), self.levels, None)
        self.relaxed = WarmLevels(model.twin(), self.levels, None, relaxed=True)
        self.pool: list[np.ndarray] = []
        """Plans whose integer columns are the patterns to try, most recently useful last."""

    @property
    def models(self) -> list[HighsModel]:
        """Every HiGHS model of the solver (for changes that must reach all of them)."""
        return [self.milp, *self.fixed.models.values(), *self.relaxed.models.values()]

    def set_row_bounds(self, name: str, lower: float, upper: float) -> None:
        """Set a named row's bounds in every model."""
        for m in self.models:
            m.set_row_bounds(name, lower, upper)

    def offer(self, values: np.ndarray) -> None:
        """Add a plan's integer pattern to the pool (or move it to the front); the oldest beyond POOL_SIZE leave."""
        key = np.round(values[self.integer_cols])
        self.pool = [p for p in self.pool if not np.array_equal(np.round(p[self.integer_cols]), key)]
        self.pool.append(values)
        del self.pool[:-POOL_SIZE]

    def optimize(self, time_limit: float | None = None) -> PatternPoint:
        """Solve every level at the current right-hand sides: a proved pattern where the bound allows, else the MILP.

        Levels are proved in order. Where the bound leaves too much at a level, that level alone is solved as a
        MILP (earlier levels held at the incumbent's values, the incumbent as its start); its pattern joins the
        pool and the patterns are tried again, that level now proved by the MILP.
        """
        start = time.perf_counter()
        by_milp: dict[int, tuple[float, float | None]] = {}
        """Level -> (MILP optimum, its proven gap or None after a time limit)."""
        while True:
            best = self._best_pattern(time_limit)
            if best is None:
                return self._full_milp(time_limit, start)
            gaps, unproved = self._proved_gaps(best, by_milp, time_limit)
            if unproved is None or unproved in by_milp:
                break
            report, values = self._milp_level(unproved, best, time_limit)
            if values is None:
                return self._full_milp(time_limit, start)
            self.offer(values)
            if unproved == self.relaxed.solved[-1]:  # the last level: the MILP's plan is the point's plan
                return self._last_by_milp(best, gaps, report, values, start)
            by_milp[unproved] = (report.objective, report.mip_gap if report.status == SolveStatus.OPTIMAL else None)
        self.offer(best.values)
        stages = [
            s.model_copy(update={"mip_gap": g, "gap_limit": self._limit(self.levels[n])}) if n in self.models_solved else s
            for n, (s, g) in enumerate(zip(best.stages, gaps))
        ]
        stages[-1] = stages[-1].model_copy(update={"seconds": time.perf_counter() - start})
        proved = None if unproved is not None else max((g for g in gaps if g is not None), default=0.0)
        status = SolveStatus.OPTIMAL if proved is not None else SolveStatus.FEASIBLE
        return PatternPoint(status, stages, best.values, "milp" if by_milp else "bound", proved)

    def _last_by_milp(
        self, best: LevelPoint, gaps: list[float | None], report: StageReport, values: np.ndarray, start: float
    ) -> PatternPoint:
        """The point when only its last level needed the MILP: earlier levels as the pattern proved them."""
        stages = [
            s.model_copy(update={"mip_gap": g, "gap_limit": self._limit(self.levels[n])}) if g is not None else s
            for n, (s, g) in enumerate(zip(best.stages[:-1], gaps[:-1]))
        ]
        last = self.levels[-1]
        stages.append(report.model_copy(update={"priority": last.priority, "sense": last.sense, "seconds": time.perf_counter() - start}))
        proved = report.status == SolveStatus.OPTIMAL and report.mip_gap is not None
        earlier = [g for g in gaps[:-1] if g is not None]
        gap = max([*earlier, report.mip_gap], default=0.0) if proved else None
        return PatternPoint(report.status, stages, values, "milp", gap)

    @property
    def models_solved(self) -> list[int]:
        """Levels with something to solve (the others are skipped)."""
        return self.relaxed.solved

    def _full_milp(self, time_limit: float | None, start: float) -> PatternPoint:
        """No pattern of the pool fits: the whole lexicographic MILP, from the freshest plan known."""
        offer = self.pool[-1] if self.pool else None
        sol = lexicographic_highs(self.milp, self.levels, time_limit, later_start=offer, start=offer)
        if not sol.status.has_solution:
            return PatternPoint(sol.status, sol.stages, None, "", None)
        values = self.milp.values_array(sol.values)
        self.offer(values)
        gaps = [s.mip_gap if s.mip_gap is not None else (0.0 if s.status == SolveStatus.OPTIMAL else None) for s in sol.stages]
        proved = None if any(g is None for g in gaps) else max(gaps, default=0.0)
        return PatternPoint(sol.status, sol.stages, values, "milp", proved)

    def _milp_level(self, n: int, incumbent: LevelPoint, time_limit: float | None) -> tuple[StageReport, np.ndarray | None]:
        """Level ``n`` alone as a MILP, every earlier level held at the incumbent's value, started from the incumbent."""
        assert incumbent.plans is not None
        level = self.levels[n]
        model = self.milp
        model.release_hold()
        for j, plan in incumbent.plans.items():
            if j < n:
                model.hold_level(self.levels[j], plan)
        model.set_objective(level.objective, level.maximize)
        model.warm_start(incumbent.plans[n])
        # a nearby level's pattern is usually the optimum or close to it: the MILP's work is the proof, not the search
        model.h.setOptionValue("mip_heuristic_effort", 0.0)
        try:
            report, values = model.run(level.name, time_limit, exact=level.exact)
        finally:
            model.h.setOptionValue("mip_heuristic_effort", HEURISTIC_EFFORT)
            model.release_hold()
        return report, values

    def _limit(self, level: Level) -> float:
        return EXACT_ABSOLUTE if level.exact else self.gap

    def _best_pattern(self, time_limit: float | None) -> LevelPoint | None:
        """The best plan among the pool's patterns as LPs (None when none fits the current right-hand sides)."""
        best = None
        for values in reversed(self.pool):
            self.fixed.set_pattern(values)
            point = self.fixed.optimize(time_limit)
            if point.values is not None and (best is None or better(point, best)):
                best = point
        return best

    def _proved_gaps(
        self, incumbent: LevelPoint, by_milp: dict[int, tuple[float, float | None]], time_limit: float | None
    ) -> tuple[list[float | None], int | None]:
        """Each level's proven gap, and the first level the bound does not prove (None when all are proved).

        Level n's bound is the LP relaxation's optimum with every earlier level held at the incumbent's value, or
        the MILP's optimum at this point where that level was solved as a MILP.
        """
        assert incumbent.plans is not None
        self.relaxed.hold_at(incumbent.plans)
        gaps: list[float | None] = [None] * len(self.levels)
        for n in self.relaxed.solved:
            level = self.levels[n]
            z = incumbent.stages[n].objective
            if n in by_milp:
                optimum, gap = by_milp[n]
                excess = optimum - z if level.maximize else z - optimum
                if gap is None:
                    return gaps, n
                gaps[n] = gap + relative_gap(excess, z)
                continue
            report, found = self.relaxed.run_level(n, time_limit)
            if found is None:
                return gaps, n
            excess = report.objective - z if level.maximize else z - report.objective
            if level.exact:
                if excess > EXACT_ABSOLUTE:
                    return gaps, n
                gaps[n] = 0.0
                continue
            gaps[n] = relative_gap(excess, z)
            if gaps[n] > self.gap:
                logger.debug("level %s: bound %.9g leaves %.3g over the pattern's %.9g", level.name, report.objective, gaps[n], z)
                return gaps, n
        return gaps, None
