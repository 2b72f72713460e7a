"""allocator: split an internationalization budget with a linear program, ask what-if questions, score performance.

Notebook use::

    import allocator
    scenario = allocator.load_scenario("scenarios/zjut-2021-2025")
    result = allocator.plan(scenario, solver="highs")
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import AllocatorError, DataError, InfeasibleError, OverrideError, ScenarioError, SolverError  # noqa: E402
from .loading import load, load_scenario  # noqa: E402
from .planning import plan  # noqa: E402
from .solve import SolverSettings  # noqa: E402

__all__ = [
    "AllocatorError",
    "DataError",
    "InfeasibleError",
    "OverrideError",
    "ScenarioError",
    "SolverError",
    "SolverSettings",
    "__version__",
    "load",
    "load_scenario",
    "plan",
]
