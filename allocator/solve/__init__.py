"""The one place that runs a solver: lexicographic solves, level by level, of a built problem.

Each priority level is optimized while every level before it is held at its optimum (docs/formulation.md,
"Solving"). HiGHS runs in-process through highspy on arrays taken from the PuLP model (one hand-off, then
levels and what-if changes edit the same HiGHS model and warm-start). CBC runs through PuLP's bundled
command-line solver. Anything but a usable solution raises: ``InfeasibleError`` or ``SolverError``.

| module | job |
|---|---|
| ``settings`` | solver choice, limits and gaps, tolerances, ``LexSolution``, status -> error |
| ``handoff`` | a PuLP problem as arrays for HiGHS |
| ``highs`` | ``HighsModel``: one HiGHS model edited in place (objectives, bounds, holds) and run |
| ``lexicographic`` | the level-by-level solve (holds, leak check, polish) and the entry points |
| ``warm_levels`` | one warm LP per level objective, for what-if re-solves around a plan |
| ``patterns`` | a MILP at many right-hand sides: known integer patterns, the relaxation as the bound |
| ``cbc`` | the same levels with CBC |
| ``arrays`` | an LP given as arrays (a decomposition's master) |
"""

from .arrays import ArraySolution, solve_arrays
from .cbc import CBC_OPTIONS, lexicographic_cbc
from .handoff import ModelArrays, model_arrays
from .highs import HighsModel, highs_version
from .highs import _new_highs as _new_highs  # a silent HiGHS instance, for benchmarks/scale_bench.py
from .lexicographic import lexicographic_highs, solve, solve_levels, solve_single
from .patterns import PatternPoint, PatternSolver
from .settings import (
    AT_BOUND,
    COARSE_GAP,
    FINE_GAP,
    FINE_GAP_COLUMNS,
    HOLD_RETRY_RELATIVE,
    LEAK_RELATIVE,
    MIP_OPTIONS,
    POLISH_FEASIBILITY,
    SOLVERS,
    LexSolution,
    SolverName,
    SolverSettings,
    gap_for,
    leak_allowed,
    levels_of,
    raise_for_status,
)
from .warm_levels import LevelPoint, WarmLevels

__all__ = [
    "AT_BOUND",
    "ArraySolution",
    "CBC_OPTIONS",
    "COARSE_GAP",
    "FINE_GAP",
    "FINE_GAP_COLUMNS",
    "HOLD_RETRY_RELATIVE",
    "LEAK_RELATIVE",
    "MIP_OPTIONS",
    "POLISH_FEASIBILITY",
    "SOLVERS",
    "HighsModel",
    "LevelPoint",
    "LexSolution",
    "ModelArrays",
    "PatternPoint",
    "PatternSolver",
    "SolverName",
    "SolverSettings",
    "WarmLevels",
    "gap_for",
    "highs_version",
    "leak_allowed",
    "levels_of",
    "lexicographic_cbc",
    "lexicographic_highs",
    "model_arrays",
    "raise_for_status",
    "solve",
    "solve_arrays",
    "solve_levels",
    "solve_single",
]
