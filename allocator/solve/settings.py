"""Solver choice and limits, the result of a lexicographic solve, and the tolerances every solve path shares."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from models import SolveStatus, StageReport

from ..errors import InfeasibleError, OverrideError, SolverError
from ..formulation import BuiltProblem, Level
from ..limits import MAX_TIME_LIMIT

logger = logging.getLogger(__name__)

SolverName = Literal["highs", "cbc"]
SOLVERS: tuple[str, ...] = ("highs", "cbc")
HOLD_RETRY_RELATIVE = 1e-10
"""A level held by a row keeps z <= z* (minimized; z >= z* maximized) with z* read off the level's own plan, which
therefore satisfies the row (to round-off, within the solver's feasibility tolerance): integer-safe, and no slack
for later levels to take. Should a later level still come back infeasible (numerical trouble), the rows are
loosened by 1e-10 x max(1, |z*|), a tenth of the promised 1e-9, and that level is solved again once."""
LEAK_RELATIVE = 1e-9
"""After the last level each held level is recomputed from the final plan; it may be worse than its optimum by at
most 1e-9 x max(1, |z*|), else the plan is polished (see ``_polish``) and any remaining difference is reported."""
AT_BOUND = 1e-9
"""A level whose every counted variable lies within this of its best bound (deviations at 0, progress at its cap)
is held by fixing those variables there: exact, no row and no tolerance."""
POLISH_FEASIBILITY = 1e-10
"""Primal feasibility tolerance of the polishing re-solve (HiGHS's default is 1e-7, its smallest 1e-10)."""
FINE_GAP = 1e-6
"""Relative MIP gap of the weighted-progress stages of models up to ``FINE_GAP_COLUMNS`` columns."""
COARSE_GAP = 1e-4
"""Relative MIP gap above that size (HiGHS's default), where closing the last 1e-4 costs many times the solve."""
FINE_GAP_COLUMNS = 10_000
"""Size rule (measured, benchmarks/gap_bench.py): the bundled plan (5,106 columns) proves 0 gap at 1e-6 in the
time 1e-4 takes; a 25x25 synthetic plan (17,913) takes 1.7-3x as long and a 60x30 one (51,750) 7-8x."""


def gap_for(requested: float | None, columns: int) -> float:
    """The relative MIP gap a model is solved to: the one asked for, else by size (fine up to FINE_GAP_COLUMNS)."""
    if requested is not None:
        return float(requested)
    return FINE_GAP if columns <= FINE_GAP_COLUMNS else COARSE_GAP


@dataclass(frozen=True)
class SolverSettings:
    """Which solver to run and how long it may take."""

    name: SolverName = "highs"
    time_limit: float | None = None
    mip_gap: float | None = None
    """Relative MIP gap of stage 2 (weighted progress); None: by model size (``gap_for``). Stage 1 counts open
    gaps and is solved to 1e-6 absolute."""
    threads: int | None = None
    verbose: bool = False
    relaxation_first: bool = True
    """Start each MILP level from its LP relaxation and a rounding repair, skipping the MILP where they meet
    (``incumbent.relaxation_first``); False solves every MILP level by branch-and-bound alone."""

    def __post_init__(self) -> None:
        if self.name not in SOLVERS:
            raise SolverError(f"unknown solver '{self.name}'; choose one of {', '.join(SOLVERS)}")
        if self.time_limit is not None and not (math.isfinite(self.time_limit) and 0 < self.time_limit <= MAX_TIME_LIMIT):
            raise OverrideError(f"--time-limit {self.time_limit}: a number of seconds above 0 and at most {MAX_TIME_LIMIT:,.0f}")
        if self.mip_gap is not None and not (math.isfinite(self.mip_gap) and 0 <= self.mip_gap < 1):
            raise OverrideError(f"--gap {self.mip_gap}: a relative gap of at least 0 and below 1")


@dataclass
class LexSolution:
    """Values of every variable after the last level, and how each level (stage) went."""

    status: SolveStatus
    values: dict[str, float]
    stages: list[StageReport] = field(default_factory=list)
    solver: str = ""
    version: str = ""
    model: Any = field(default=None, repr=False, compare=False)
    """The HiGHS model the plan was solved on (``HighsModel``; None for CBC): marginal values reuse its hand-off."""

    def objective(self, stage: str) -> float:
        """Objective value of a named stage."""
        return next(s.objective for s in self.stages if s.name == stage)


MIP_OPTIONS = {
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_root_reduced_cost": False,
    "mip_heuristic_run_feasibility_jump": False,
    "mip_allow_restart": False,
    "mip_allow_cut_separation_at_nodes": False,
}
"""HiGHS MIP settings for our models: few lumpy integers in a large LP, so sub-MIP heuristics and restarts
cost more than they find (measured: the bundled plan 0.27 s instead of 0.81 s, a 60x30 synthetic one 4.5 s
instead of 4.7 s; see benchmarks/solver_bench.py). Every solve is warm-started with a known plan anyway."""


def levels_of(source: BuiltProblem | Sequence[Level]) -> list[Level]:
    """The levels of a built problem (or a list of levels as given)."""
    return list(source.levels) if isinstance(source, BuiltProblem) else list(source)


def leak_allowed(optimum: float) -> float:
    """How much worse than its optimum a held level may end: 1e-9 relative (absolute below 1)."""
    return LEAK_RELATIVE * max(1.0, abs(optimum))


def raise_for_status(solution: LexSolution, scenario: str, solver: str) -> None:
    """Turn a solve without a usable plan into the matching error."""
    status = solution.status
    if status.has_solution:
        return
    stage = solution.stages[-1].name if solution.stages else "?"
    if status in (SolveStatus.INFEASIBLE, SolveStatus.UNBOUNDED):
        raise InfeasibleError(f"scenario '{scenario}' is {status.value} ({solver}, {stage})", status=status.value)
    if status == SolveStatus.NO_SOLUTION:
        raise SolverError(f"scenario '{scenario}': {solver} hit the time limit in {stage} before finding any feasible plan")
    raise SolverError(f"scenario '{scenario}': {solver} stopped with an error in {stage}")


def skip_level(level: Level, last: bool) -> StageReport | None:
    """The report of a level with nothing to optimize (not solved unless it is the last: a plan is still needed)."""
    if last or len(level.objective):
        return None
    return StageReport(
        name=level.name,
        objective=float(level.objective.constant),
        status=SolveStatus.OPTIMAL,
        seconds=0.0,
        priority=level.priority,
        sense=level.sense,
    )
