"""allocator: split an internationalization budget with a linear program, ask what-if questions, score performance.

Notebook use::

    import allocator
    scenario = allocator.load_scenario("scenarios/zjut-2021-2025")
    result = allocator.plan(scenario, solver="highs")

The names below are imported on first use, so ``import allocator`` (and ``allocator --help``) does not
load pydantic, pandas or the solvers until something needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> module that defines it
_LAZY = {
    "AllocatorError": "errors",
    "DataError": "errors",
    "InfeasibleError": "errors",
    "OverrideError": "errors",
    "ScenarioError": "errors",
    "SolverError": "errors",
    "load": "loading",
    "load_scenario": "loading",
    "plan": "planning",
    "ScenarioRequest": "request",
    "SolverSettings": "solve",
}

__all__ = [
    "AllocatorError",
    "DataError",
    "InfeasibleError",
    "OverrideError",
    "ScenarioError",
    "ScenarioRequest",
    "SolverError",
    "SolverSettings",
    "__version__",
    "load",
    "load_scenario",
    "plan",
]

if TYPE_CHECKING:  # for type checkers and editors; at run time __getattr__ imports on first use
    from .errors import AllocatorError, DataError, InfeasibleError, OverrideError, ScenarioError, SolverError
    from .loading import load, load_scenario
    from .planning import plan
    from .request import ScenarioRequest
    from .solve import SolverSettings


def __getattr__(name: str) -> Any:
    """Import a public name's module the first time the name is used."""
    if name not in _LAZY:
        raise AttributeError(f"module 'allocator' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """Public names included, imported or not."""
    return sorted({*globals(), *_LAZY})
