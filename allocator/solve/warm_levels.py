"""One warm LP per level objective: what-if re-solves that only move bounds or coefficients stay warm.

Re-solving the levels of one HiGHS model in turn swaps its objective every time, and a swapped objective makes
the next simplex run near-cold (a basis optimal for another objective, and no presolve): 13-31 s a solve at 100
units, against milliseconds for a changed right-hand side. Here each level keeps a model of its own with its
own objective, and level k's model holds every earlier level at the optimum that level's model just found. A
change (one more unit of a budget, a drawn yield) is made in every model, and each re-solve starts from its own
optimal basis. The integer decisions are fixed at a pattern: these are the LPs around a plan.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from models import SolveStatus, StageReport

from ..formulation import BuiltProblem, Level
from .highs import HighsModel
from .settings import HOLD_RETRY_RELATIVE, LexSolution, levels_of, skip_level

logger = logging.getLogger(__name__)


@dataclass
class LevelPoint:
    """The levels solved at one point: each level's report and the last level's column values (None without a plan)."""

    status: SolveStatus
    stages: list[StageReport]
    values: np.ndarray | None
    plans: dict[int, np.ndarray] | None = None
    """Each solved level's plan (by level number), as found on its own model."""

    def objective(self, name: str) -> float:
        """Objective value of a named level."""
        return next(s.objective for s in self.stages if s.name == name)

    def objectives(self) -> dict[str, float]:
        """Every level's objective by name."""
        return {s.name: s.objective for s in self.stages}


class WarmLevels:
    """The levels of a problem as one warm HiGHS LP each, solved in order.

    The integer columns are fixed at ``pattern`` (``set_pattern`` moves them to another), or with
    ``relaxed=True`` made continuous (the LP relaxation, for bounds). ``model`` becomes the last level's
    model; the others are twins of it (the same hand-off, no second read of the PuLP problem).
    """

    def __init__(self, model: HighsModel, levels: BuiltProblem | Sequence[Level], pattern: np.ndarray | None, *, relaxed: bool = False):
        self.levels = levels_of(levels)
        last = len(self.levels) - 1
        self.solved = [n for n, lv in enumerate(self.levels) if n == last or len(lv.objective)]
        self.models: dict[int, HighsModel] = {}
        for n in self.solved:
            m = model if n == last else model.twin()
            if relaxed:
                m.relax_integers()
            elif pattern is not None:
                m.fix_integers(pattern)
            m.set_objective(self.levels[n].objective, self.levels[n].maximize)
            self.models[n] = m
        self.last = self.models[last]
        self._base: dict[int, np.ndarray] = {}
        """Each solved level's plan at the first point solved (the holds ``hold_base`` puts back)."""

    @property
    def integer(self) -> bool:
        """Whether the problem has integer columns (fixed here)."""
        return bool(self.last.integer.any())

    def row_index(self, name: str) -> int:
        """Row number of a named row (the same in every level's model)."""
        return self.last.row_index[name]

    def set_pattern(self, values: np.ndarray) -> None:
        """Fix the integer columns at another pattern (only their bounds move: each model stays warm)."""
        for m in self.models.values():
            m.fix_integers(values)

    def set_row_bounds(self, name: str, lower: float, upper: float) -> None:
        """Set a named row's bounds in every model."""
        for m in self.models.values():
            m.set_row_bounds(name, lower, upper)

    def move_rows(self, moves: Sequence[tuple[str, str, float]], step: float) -> None:
        """Move named rows' bounds by ``coef * step`` in every model ((row, "upper" | "lower", coef) moves)."""
        for m in self.models.values():
            for row, side, coef in moves:
                r = m.row_index[row]
                if side == "upper":
                    m.set_row_upper(row, m.row_upper[r] + coef * step)
                else:
                    m.set_row_lower(row, m.row_lower[r] + coef * step)

    def set_coefficients(self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> None:
        """Change matrix entries in every model."""
        for m in self.models.values():
            m.set_coefficients(rows, cols, values)

    def optimize(self, time_limit: float | None = None) -> LevelPoint:
        """Solve every level in order, each on its own model with the earlier levels held at their new optimum."""
        stages: list[StageReport] = []
        plans: dict[int, np.ndarray] = {}
        found: np.ndarray | None = None
        for n, level in enumerate(self.levels):
            if n not in self.models:
                stages.append(skip_level(level, False))  # type: ignore[arg-type]
                continue
            m = self.models[n]
            for j, plan in plans.items():
                m.hold_level(self.levels[j], plan)
            report, found = m.run(f"{level.name}", time_limit, exact=level.exact)
            if report.status == SolveStatus.INFEASIBLE and m.hold_bounds:
                logger.debug("level %s infeasible with earlier levels held; loosening by %g", level.name, HOLD_RETRY_RELATIVE)
                m.loosen_holds(HOLD_RETRY_RELATIVE)
                report, found = m.run(f"{level.name}", time_limit, exact=level.exact)
            stages.append(report.model_copy(update={"priority": level.priority, "sense": level.sense}))
            if found is None:
                return LevelPoint(report.status, stages, None, plans)
            plans[n] = found
        if not self._base:
            self._base = dict(plans)
        return LevelPoint(SolveStatus.OPTIMAL, stages, found, plans)

    def solve_last(self, time_limit: float | None = None) -> tuple[StageReport, np.ndarray | None]:
        """Re-solve the last level alone, every earlier level held where it was last held."""
        return self.run_level(len(self.levels) - 1, time_limit)

    def hold_base(self) -> None:
        """Hold every level again at the first point's optimum (after a re-solve at another point)."""
        self.hold_at(self._base)

    def hold_at(self, plans: dict[int, np.ndarray]) -> None:
        """Hold each level in every later level's model at the value it has in the given plan."""
        for n, m in self.models.items():
            for j, plan in plans.items():
                if j < n:
                    m.hold_level(self.levels[j], plan)

    def run_level(self, n: int, time_limit: float | None = None) -> tuple[StageReport, np.ndarray | None]:
        """Solve one level's model as it stands (earlier levels held where ``hold_at`` put them)."""
        level = self.levels[n]
        report, found = self.models[n].run(level.name, time_limit, exact=level.exact)
        return report.model_copy(update={"priority": level.priority, "sense": level.sense}), found

    def as_solution(self, point: LevelPoint) -> LexSolution:
        """A point as a ``LexSolution`` (values by column name)."""
        values = self.last.named(point.values) if point.values is not None else {}
        return LexSolution(point.status, values, point.stages)
