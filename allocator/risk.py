"""Risk: how likely each target is met when effect yields turn out differently from the plan's assumptions.

Each draw multiplies every effect's yield by its own lognormal factor with mean 1 and the given
coefficient of variation (independent across effects and draws). Effects of whole-unit initiatives
(an institute, a journal) are not drawn: once funded, such a unit exists. The plan is evaluated under each draw
with the plain numpy accounting of ``trajectory`` (no solver); with ``resolve`` the plan is instead
re-optimized for each draw (as if the yields were known in advance), as Dask tasks (``allocator.distributed``)
of RESOLVE_CHUNK draws, each keeping one HiGHS model and only changing the yield coefficients. Draws come
from one seeded generator in the parent and the chunks are fixed by the draws alone, so the same seed gives
the same answer whatever the number of processes or machines.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from models import Scenario

from .errors import OverrideError
from .extract import activity_array, clean_small_values
from .formulation import BuiltProblem, build_problem
from .limits import MAX_RISK_DRAWS, MAX_YIELD_CV
from .sets import ModelSets
from .solve import HighsModel, SolverSettings, WarmLevels, lexicographic_highs, solve
from .trajectory import effective_activity, evaluate, yield_matrix

if TYPE_CHECKING:
    from .distributed import Cluster

logger = logging.getLogger(__name__)

MET_TOL = 1e-6
RESOLVE_CHUNK = 25
"""Draws per re-optimization task."""


@dataclass(frozen=True)
class RiskResult:
    """Probability that each target is met by its year, and the spread of each indicator's value then."""

    draws: int
    yield_cv: float
    seed: int
    resolve: bool
    indicators: tuple[str, ...]
    plan_values: dict[str, float]
    probability: dict[str, float]
    mean: dict[str, float]
    p05: dict[str, float]
    p50: dict[str, float]
    p95: dict[str, float]
    clear_probability: dict[str, float]
    values: np.ndarray = field(repr=False)  # (draws, K) value at target year

    def standard_error(self, key: str) -> float:
        """Sampling error of a probability estimate."""
        p = self.probability[key]
        return math.sqrt(p * (1 - p) / self.draws)


def effects_of(sets: ModelSets) -> list[tuple[str, str]]:
    """(initiative, indicator) of every effect, in a fixed order."""
    return [(i, k) for i in sets.initiatives for k in sorted(sets.scenario.initiatives[i].effects)]


def draw_multipliers(n_effects: int, draws: int, cv: float, seed: int) -> np.ndarray:
    """Lognormal factors with mean 1 and coefficient of variation ``cv``, shape (draws, effects)."""
    if cv < 0:
        raise ValueError("yield-cv must not be negative")
    if cv == 0:
        return np.ones((draws, n_effects))
    sigma2 = math.log1p(cv * cv)
    rng = np.random.default_rng(seed)
    return rng.lognormal(mean=-sigma2 / 2, sigma=math.sqrt(sigma2), size=(draws, n_effects))


def drawn_yields(sets: ModelSets, multipliers: np.ndarray) -> np.ndarray:
    """Yield matrices (draws, I, K) from per-effect multipliers."""
    base = yield_matrix(sets)
    out = np.repeat(base[None, :, :], multipliers.shape[0], axis=0)
    i_pos = {i: n for n, i in enumerate(sets.initiatives)}
    k_pos = {k: n for n, k in enumerate(sets.indicators)}
    for e, (i, k) in enumerate(effects_of(sets)):
        out[:, i_pos[i], k_pos[k]] *= multipliers[:, e]
    return out


def _requirements(sets: ModelSets) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sc = sets.scenario
    years = {t: n for n, t in enumerate(sets.years)}
    target_t = np.array([years[sc.indicators[k].target_year] for k in sets.indicators])
    target = np.array([sc.indicators[k].target for k in sets.indicators])
    clear_t = np.array([years[sc.indicators[k].clear_year] for k in sets.indicators])
    return target_t, target, clear_t


def _at(values: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Values (D, K, T) at one year per indicator -> (D, K)."""
    return np.take_along_axis(values, years[None, :, None], axis=2)[:, :, 0]


def evaluate_draws(sets: ModelSets, eff_activity: np.ndarray, multipliers: np.ndarray, chunk: int = 250) -> tuple[np.ndarray, np.ndarray]:
    """Values of a fixed plan under each draw, at each indicator's target year and clear-by year: two (D, K) arrays."""
    target_t, _, clear_t = _requirements(sets)
    at_target, at_clear = [], []
    for start in range(0, multipliers.shape[0], chunk):
        traj = evaluate(sets, eff_activity, drawn_yields(sets, multipliers[start : start + chunk]))
        at_target.append(_at(traj.values, target_t))
        at_clear.append(_at(traj.values, clear_t))
    return np.vstack(at_target), np.vstack(at_clear)


def _resolve_chunk(
    scenario: Scenario, pattern: dict[str, float] | None, time_limit: float | None, multipliers: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Task: re-optimize the plan for each draw on one warm HiGHS model; values at target and clear-by years.

    With a ``pattern`` (integer column -> value) the lumpy decisions are held and each draw is a warm LP.
    """
    bp = build_problem(scenario, check=False)
    settings = SolverSettings(time_limit=time_limit)
    model = HighsModel(bp.problem, settings)
    # lumpy decisions held: one warm LP per level objective, so a draw moves only coefficients (no objective swap)
    levels = WarmLevels(model, bp, model.values_array(pattern)) if pattern is not None else None
    sets = bp.sets
    eff_index = {e: n for n, e in enumerate(effects_of(sets))}
    rows = np.array([model.row_index[r] for r, *_ in bp.yield_terms], dtype=np.int64)
    cols = np.array([model.col_index[c] for _, c, *_ in bp.yield_terms], dtype=np.int64)
    base = np.array([coef for *_, coef in bp.yield_terms])
    which = np.array([eff_index[(i, k)] for _, _, i, k, _ in bp.yield_terms], dtype=np.int64)
    target_t, _, clear_t = _requirements(sets)
    out_t = np.full((multipliers.shape[0], len(sets.indicators)), np.nan)
    out_c = np.full_like(out_t, np.nan)
    for d in range(multipliers.shape[0]):
        if levels is not None:
            levels.set_coefficients(rows, cols, base * multipliers[d, which])
            sol = levels.as_solution(levels.optimize(time_limit))
        else:
            model.set_coefficients(rows, cols, base * multipliers[d, which])
            sol = lexicographic_highs(model, bp, time_limit)
        if not sol.status.has_solution:
            continue
        eff = effective_activity(sets, activity_array(bp, clean_small_values(sol.values)))
        traj = evaluate(sets, eff, drawn_yields(sets, multipliers[d : d + 1]))
        out_t[d] = _at(traj.values, target_t)[0]
        out_c[d] = _at(traj.values, clear_t)[0]
    return out_t, out_c


def check_risk_options(draws: int, yield_cv: float) -> None:
    """Refuse a number of draws or a yield cv outside the stated limits (before anything is built)."""
    if not 1 <= draws <= MAX_RISK_DRAWS:
        raise OverrideError(f"--draws {draws}: between 1 and {MAX_RISK_DRAWS:,}")
    if not (math.isfinite(yield_cv) and 0 <= yield_cv <= MAX_YIELD_CV):
        raise OverrideError(f"--yield-cv {yield_cv}: a finite number between 0 and {MAX_YIELD_CV:g}")


def assess_risk(
    scenario: Scenario,
    *,
    draws: int = 500,
    yield_cv: float = 0.2,
    seed: int = 0,
    resolve: bool = False,
    workers: int | None = None,
    settings: SolverSettings | None = None,
    progress: Callable[[int], None] | None = None,
    integers: str = "fixed",
    cluster: Cluster | None = None,
) -> RiskResult:
    """Probability each target is met by its year under uncertain yields (plan fixed, or re-optimized per draw).

    When re-optimizing, ``integers="fixed"`` (default) keeps the plan's lumpy commitments (an institute, a
    landmark hire) and re-splits all the money for each draw; "free" re-decides them too (much slower).
    The re-solves run on ``cluster`` (default: a local one of ``workers`` processes, all cores if None).
    """
    check_risk_options(draws, yield_cv)
    settings = settings or SolverSettings()
    bp: BuiltProblem = build_problem(scenario)
    sol = solve(bp, settings)
    sets = bp.sets
    eff = effective_activity(sets, activity_array(bp, clean_small_values(sol.values)))
    plan_t, plan_c = evaluate_draws(sets, eff, np.ones((1, len(effects_of(sets)))))
    mult = draw_multipliers(len(effects_of(sets)), draws, yield_cv, seed)
    whole = [sets.scenario.initiatives[i].integer for i, _ in effects_of(sets)]
    mult[:, np.array(whole, dtype=bool)] = 1.0  # a funded whole unit (an institute, a journal) is not a fraction
    if resolve:
        if integers not in ("fixed", "free"):
            raise ValueError(f"integers must be fixed or free, got {integers!r}")
        pattern = (
            {v.name: sol.values.get(v.name, 0.0) for v in bp.problem.variables() if v.cat == "Integer"} if integers == "fixed" else None
        )
        at_t, at_c = _resolve_parallel(scenario, mult, workers, settings.time_limit, progress, pattern, cluster)
    else:
        at_t, at_c = evaluate_draws(sets, eff, mult)
        if progress:
            progress(draws)
    return summarize(sets, at_t, at_c, plan_t[0], draws, yield_cv, seed, resolve)


def _resolve_parallel(scenario: Scenario, mult: np.ndarray, workers: int | None, time_limit, progress, pattern, cluster):
    from .distributed import Cluster

    # Fixed chunks, each solved on a fresh model: the warm-start path, and so every number, is the same
    # whatever the number of processes.
    chunks = [np.arange(s, min(s + RESOLVE_CHUNK, mult.shape[0])) for s in range(0, mult.shape[0], RESOLVE_CHUNK)]
    own = cluster is None
    cluster = cluster or Cluster(workers=workers).cap(len(chunks))
    step = (lambda n, _r: progress(len(chunks[n]))) if progress else None
    try:
        results = cluster.map(_resolve_chunk, [(mult[c],) for c in chunks], shared=(scenario, pattern, time_limit), progress=step)
    finally:
        if own:
            cluster.close()
    return np.vstack([r[0] for r in results]), np.vstack([r[1] for r in results])


def summarize(
    sets: ModelSets, at_t: np.ndarray, at_c: np.ndarray, plan_t: np.ndarray, draws: int, cv: float, seed: int, resolve: bool
) -> RiskResult:
    """Probabilities and quantiles from per-draw values (draws without a plan count as misses)."""
    sc = sets.scenario
    keys = sets.indicators
    _, target, _ = _requirements(sets)
    clear_level = np.array([sc.indicators[k].clear_value for k in keys])
    met = np.nan_to_num(at_t, nan=-np.inf) >= target[None, :] - MET_TOL * np.maximum(1.0, np.abs(target))[None, :]
    cleared = np.nan_to_num(at_c, nan=-np.inf) >= clear_level[None, :] - MET_TOL
    q = np.nanpercentile(at_t, [5, 50, 95], axis=0) if draws else np.zeros((3, len(keys)))
    return RiskResult(
        draws=draws,
        yield_cv=cv,
        seed=seed,
        resolve=resolve,
        indicators=keys,
        plan_values={k: float(plan_t[n]) for n, k in enumerate(keys)},
        probability={k: float(met[:, n].mean()) for n, k in enumerate(keys)},
        mean={k: float(np.nanmean(at_t[:, n])) for n, k in enumerate(keys)},
        p05={k: float(q[0, n]) for n, k in enumerate(keys)},
        p50={k: float(q[1, n]) for n, k in enumerate(keys)},
        p95={k: float(q[2, n]) for n, k in enumerate(keys)},
        clear_probability={k: float(cleared[:, n].mean()) for n, k in enumerate(keys) if sc.indicators[k].is_missing},
        values=at_t,
    )
