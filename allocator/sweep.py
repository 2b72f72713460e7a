"""Budget frontiers: solve the plan at many budget levels, reusing one warm HiGHS model across levels.

The model is built once at the largest level (so every big-M stays valid) and each level only changes
right-hand sides: each fund's yearly limit, the increment earmark of the missing-indicator reserve and
restricted sources' per-unit shares. Sweeps over any other scenario path rebuild per level.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from models import AllocationRow, Scenario, SolveStatus, StageReport

from .budget_levels import Scope, budget_in_scope, check_levels, in_scope, parse_range, scale_budget  # noqa: F401 (the sweep's public names)
from .errors import AllocatorError, OverrideError
from .extract import allocation_rows, clean_small_values, indicator_rows, trajectory_of
from .formulation import BuiltProblem, amount_rows, build_problem
from .overrides import Override, apply_one
from .sets import ModelSets
from .solve import HighsModel, LexSolution, PatternPoint, PatternSolver, SolverSettings, highs_version, lexicographic_highs, solve

if TYPE_CHECKING:
    from .distributed import Cluster

logger = logging.getLogger(__name__)

CHAINS = 2
"""Contiguous chains of levels a warm sweep is split into (fixed, so the frontier does not depend on the cluster)."""


@dataclass(frozen=True)
class FrontierPoint:
    """The plan at one level of a sweep: its status, objectives and each indicator at its target year."""

    level: float
    budget: float
    status: str
    stage1_shortfall: float
    stage2_progress: float
    values: dict[str, float]
    met: dict[str, bool]
    missing_cleared: int
    seconds: float
    allocation: tuple[AllocationRow, ...] = field(default=(), repr=False)
    integers: str = "free"
    """How lumpy decisions were made: free (re-decided), fixed (held at the base plan's), or re-decided
    (held, but they no longer fit at this level, so they were re-decided)."""
    stages: tuple[StageReport, ...] = field(default=(), repr=False)
    """Every level's report (objective and sense), for scenarios with more levels than the default two."""
    proof: str = ""
    """How the level's plan was proved: ``bound`` (a nearby level's lumpy decisions, within the gap of the LP
    relaxation), ``milp`` (the integer model solved), or empty (not proved: a time limit, or no plan)."""
    gap: float | None = None
    """The relative gap the level is proved to (None when not proved)."""


class WarmBudgetModel:
    """One built model whose fund amounts can be rescaled and re-solved warm (HiGHS only).

    Levels re-decide their lumpy decisions through a ``PatternSolver``: the patterns of nearby levels tried as
    warm LPs and proved by the LP relaxation where it allows, the MILP elsewhere. With ``fix_integers_at_base``
    the base plan's decisions are held instead.
    """

    def __init__(self, scenario: Scenario, scope: Scope, max_factor: float, settings: SolverSettings):
        self.scenario = scenario
        self.scope = scope
        self.settings = settings
        self.bp: BuiltProblem = build_problem(scale_budget(scenario, scope, max(max_factor, 1e-9)))
        self.model = HighsModel(self.bp.problem, settings)
        self.base_funds = {f.key: f for f in ModelSets.from_scenario(scenario).funds}
        self._engine: PatternSolver | None = None

    @property
    def engine(self) -> PatternSolver:
        """The pattern solver on this model (built on first use: fixed-integer sweeps do not need it)."""
        if self._engine is None:
            self._engine = PatternSolver(self.model, self.bp)
        return self._engine

    def set_level(self, factor: float) -> None:
        """Set every fund in scope to ``factor`` times its amount in the base scenario."""
        bounds: dict[tuple[str, str], float] = {}
        for f in self.bp.sets.funds:
            for t in self.bp.sets.years:
                a = self.base_funds[f.key].amount.get(t, 0.0) * (factor if in_scope(f.pool, self.scope) else 1.0)
                for row, side, coef in amount_rows(self.bp, f.key, t):
                    bounds[row, side] = bounds.get((row, side), self.bp.row_constants.get((row, side), 0.0)) + coef * a
        target = self._engine if self._engine is not None else self.model
        for (row, side), value in bounds.items():
            r = self.model.row_index[row]
            lower, upper = (self.model.row_lower[r], value) if side == "upper" else (value, self.model.row_upper[r])
            target.set_row_bounds(row, lower, upper)

    def start_from(self, values: np.ndarray) -> None:
        """Try this plan's lumpy decisions first at the next level."""
        self.engine.offer(values)

    def fix_integers_at_base(self) -> None:
        """Solve the scenario as given (level 1) and hold its whole-unit decisions for every later level."""
        self.set_level(1.0)
        sol = lexicographic_highs(self.model, self.bp, self.settings.time_limit)
        if not sol.status.has_solution:
            raise OverrideError("--integers fixed: the scenario as given has no plan to take the lumpy decisions from")
        self._pattern = self.model.values_array(sol.values)
        self.model.fix_integers(self._pattern)

    def solve_level(self) -> tuple[LexSolution, PatternPoint]:
        """Every level of the plan at the current budget level, from the patterns of the levels solved before."""
        pt = self.engine.optimize(self.settings.time_limit)
        values = self.model.named(pt.values) if pt.values is not None else {}
        return LexSolution(pt.status, values, pt.stages, "highs", highs_version()), pt

    def solve_level_fixed(self) -> tuple[LexSolution, str]:
        """With lumpy decisions held: a warm LP; where they no longer fit, re-decide them for this level only."""
        sol = lexicographic_highs(self.model, self.bp, self.settings.time_limit)
        if sol.status.has_solution:
            return sol, "fixed"
        self.model.release_integers()
        try:
            sol = lexicographic_highs(self.model, self.bp, self.settings.time_limit)
        finally:
            self.model.fix_integers(self._pattern)
        return sol, "re-decided"


def _point(level: float, budget: float, bp: BuiltProblem, sol: LexSolution, seconds: float, keep_allocation: bool) -> FrontierPoint:
    keys = bp.sets.indicators
    if not sol.status.has_solution:
        return FrontierPoint(
            level, budget, sol.status.value, math.nan, math.nan, dict.fromkeys(keys, math.nan), dict.fromkeys(keys, False), 0, seconds
        )
    values = clean_small_values(sol.values)
    traj = trajectory_of(bp, values)
    rows = indicator_rows(bp, traj)
    sc = bp.scenario
    at_target = {r.indicator: r for r in rows if r.year == r.target_year}
    cleared = 0
    for k in bp.sets.missing:
        ind = sc.indicators[k]
        v = float(traj.values[keys.index(k), bp.sets.years.index(ind.clear_year)])
        cleared += v >= ind.clear_value - 1e-6
    return FrontierPoint(
        level=level,
        budget=budget,
        status=sol.status.value,
        stage1_shortfall=max(0.0, sol.objective("stage1")),
        stage2_progress=sol.objective("stage2"),
        values={k: at_target[k].value for k in keys},
        met={k: bool(at_target[k].met) for k in keys},
        missing_cleared=int(cleared),
        seconds=seconds,
        allocation=tuple(allocation_rows(bp, values)) if keep_allocation else (),
        stages=tuple(sol.stages),
    )


def sweep_budget(
    scenario: Scenario,
    levels: Sequence[float],
    scope: Scope = "increment",
    settings: SolverSettings | None = None,
    *,
    warm: bool = True,
    keep_allocation: bool = True,
    integers: str = "free",
    progress: Callable[[FrontierPoint], None] | None = None,
    chains: int = CHAINS,
    cluster: Cluster | None = None,
) -> list[FrontierPoint]:
    """Plan at each budget level (a multiple of the scenario's funds in scope); infeasible levels are recorded, not raised.

    ``integers="fixed"`` holds the lumpy (whole-unit) decisions at the base plan's (level 1) and re-splits
    only the money, so every level is a warm LP re-solve; "free" (default) re-decides them at every level.
    Warm sweeps run up to ``chains`` contiguous chains of levels as tasks on ``cluster`` (default: threads
    of this process, as HiGHS releases the GIL; with a scheduler, Dask tasks on its workers).
    """
    settings = settings or SolverSettings()
    check_levels(levels, f"--{scope}")
    for lv in levels:
        if lv < 0:
            raise OverrideError(f"--{scope} level {lv:g}: a budget cannot be negative")
    if integers not in ("free", "fixed"):
        raise OverrideError(f"--integers {integers}: expected free or fixed")
    if integers == "fixed" and settings.name != "highs":
        raise OverrideError("--integers fixed re-solves one HiGHS model warm; use it with --solver highs")
    points: list[FrontierPoint] = []
    if integers == "fixed" or (warm and settings.name == "highs"):
        return _warm_sweep(scenario, levels, scope, settings, integers, keep_allocation, progress, chains, cluster)
    for lv in levels:
        t0 = time.perf_counter()
        bp = build_problem(scale_budget(scenario, scope, lv))
        try:
            sol = solve(bp, settings)
        except AllocatorError as exc:
            logger.info("level %g: %s", lv, exc)
            sol = LexSolution(SolveStatus.INFEASIBLE if "infeasible" in str(exc) else SolveStatus.ERROR, {}, [])
        pt = _point(lv, budget_in_scope(scenario, scope) * lv, bp, sol, time.perf_counter() - t0, keep_allocation)
        points.append(dataclasses.replace(pt, **_milp_proof(sol)))
        if progress:
            progress(pt)
    return points


def _milp_proof(sol: LexSolution) -> dict:
    """How a plan solved as a MILP is proved: to the largest gap its levels report (not proved after a time limit)."""
    if sol.status != SolveStatus.OPTIMAL:
        return {"proof": "", "gap": None}
    gaps = [s.mip_gap if s.mip_gap is not None else (s.gap_limit or 0.0) for s in sol.stages]  # CBC reports no bound: its limit
    return {"proof": "milp", "gap": max(gaps, default=0.0)}


def _chain(engine: WarmBudgetModel, levels: list[float], scenario: Scenario, scope: Scope, integers: str, keep: bool, progress):
    """Solve ascending levels on one warm model; each level's lumpy decisions start the next level's search."""
    out: dict[float, tuple[FrontierPoint, np.ndarray | None]] = {}
    for lv in levels:
        t0 = time.perf_counter()
        engine.set_level(lv)
        proof: dict = {}
        if integers == "fixed":
            sol, mode = engine.solve_level_fixed()
        else:
            sol, found = engine.solve_level()
            mode = "free"
            proved = found.gap is not None and found.status == SolveStatus.OPTIMAL
            proof = {"proof": found.proof if proved else "", "gap": found.gap if proved else None}
        pt = _point(lv, budget_in_scope(scenario, scope) * lv, engine.bp, sol, time.perf_counter() - t0, keep)
        values = engine.model.values_array(sol.values) if sol.status.has_solution else None
        out[lv] = (dataclasses.replace(pt, integers=mode, **proof), values)
        if progress:
            progress(out[lv][0])
    return out


def _not_worse(hi: FrontierPoint, lo: FrontierPoint, tol: float = 1e-7) -> bool:
    """Whether ``hi`` is at least as good as ``lo``, level by level (the first level that differs decides)."""
    if not (hi.status in ("optimal", "time_limit_feasible") and lo.status in ("optimal", "time_limit_feasible")):
        return True
    for a, b in zip(hi.stages, lo.stages):
        better = a.objective - b.objective if a.sense == "max" else b.objective - a.objective
        if better > tol:
            return True
        if better < -tol:
            return False
    return True


def _chain_task(
    scenario: Scenario,
    scope: Scope,
    top: float,
    settings: SolverSettings,
    integers: str,
    keep: bool,
    pattern: np.ndarray | None,
    levels: list[float],
) -> dict[float, tuple[FrontierPoint, np.ndarray | None]]:
    """Task: one chain of ascending levels on its own warm model (lumpy decisions held at ``pattern`` if given)."""
    engine = WarmBudgetModel(scenario, scope, top, settings)
    if pattern is not None:
        engine._pattern = pattern
        engine.model.fix_integers(pattern)
    return _chain(engine, levels, scenario, scope, integers, keep, None)


def _warm_sweep(scenario, levels, scope, settings, integers, keep, progress, chains, cluster) -> list[FrontierPoint]:
    """Ascending levels on warm models: one chain, or contiguous chains run as tasks.

    Within a chain each plan stays feasible one level up and starts the next solve, so the frontier is
    monotone even where the MIP stops at its gap; where two chains meet, a level that came out worse than
    the level below it is re-solved starting from that level's plan. The chains depend on the levels
    alone, so the frontier is the same wherever they run.
    """
    from .distributed import Cluster

    ordered = sorted(set(levels))
    top = max(*ordered, 1.0)
    n = max(1, min(chains, len(ordered) // 3))
    size = -(-len(ordered) // n)
    parts = [ordered[k * size : (k + 1) * size] for k in range(n) if ordered[k * size : (k + 1) * size]]
    pattern = None
    if integers == "fixed":  # one base plan decides the lumpy items for every chain
        base = WarmBudgetModel(scenario, scope, top, settings)
        base.fix_integers_at_base()
        pattern = base._pattern
    own = cluster is None
    cluster = (cluster or Cluster()).cap(len(parts))
    step = (lambda _n, chain: [progress(pt) for pt, _ in chain.values()]) if progress else None
    try:
        results = cluster.map(
            _chain_task,
            [(p,) for p in parts],
            shared=(scenario, scope, top, settings, integers, keep, pattern),
            progress=step,
            threads=True,
        )
    finally:
        if own:
            cluster.close()
    merged: dict[float, tuple[FrontierPoint, np.ndarray | None]] = {}
    for r in results:
        merged.update(r)
    engine = None
    for k in range(1, len(parts)):  # repair where chain k starts above chain k-1's end
        for a, b in zip(ordered, ordered[1:]):
            if b not in parts[k]:
                continue
            lo_pt, lo_vals = merged[a]
            hi_pt, _ = merged[b]
            if _not_worse(hi_pt, lo_pt) or lo_vals is None:
                continue
            if engine is None:
                engine = WarmBudgetModel(scenario, scope, top, settings)
                if pattern is not None:
                    engine._pattern = pattern
                    engine.model.fix_integers(pattern)
            engine.start_from(lo_vals)
            merged.update(_chain(engine, [b], scenario, scope, integers, keep, None))
    return [merged[lv][0] for lv in levels]


def sweep_path(
    scenario: Scenario,
    path: str,
    values: Sequence[float],
    settings: SolverSettings | None = None,
    *,
    progress: Callable[[FrontierPoint], None] | None = None,
) -> list[FrontierPoint]:
    """Plan at each value of any scenario path (e.g. ``indicators.kunpeng_hire.clear_by``), rebuilding each time."""
    from .checks import find_problems

    settings = settings or SolverSettings()
    check_levels(values, f"--param {path}", budget=False)
    points = []
    for value in values:
        data = scenario.model_dump()
        shown = int(value) if float(value).is_integer() else value
        apply_one(data, Override(tuple(path.split(".")), "=", shown, f"--param {path}={shown}"))
        try:
            sc = Scenario.model_validate(data)
        except Exception as exc:  # pydantic ValidationError: report with the override's name
            errors = getattr(exc, "errors", lambda: [])()
            first = errors[0]["msg"].removeprefix("Value error, ") if errors else str(exc)
            raise OverrideError(f"--param {path}={shown}: {first}") from None
        problems = find_problems(sc)
        if problems:
            raise OverrideError(f"--param {path}={shown}: {problems[0].message}")
        t0 = time.perf_counter()
        bp = build_problem(sc)
        try:
            sol = solve(bp, settings)
        except AllocatorError as exc:
            logger.info("%s=%s: %s", path, shown, exc)
            sol = LexSolution(SolveStatus.INFEASIBLE, {}, [])
        pt = _point(float(value), budget_in_scope(sc, "total"), bp, sol, time.perf_counter() - t0, True)
        pt = dataclasses.replace(pt, **_milp_proof(sol))
        points.append(pt)
        if progress:
            progress(pt)
    return points
