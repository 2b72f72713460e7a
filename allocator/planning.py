"""The planning job as a Python API: ``plan(scenario) -> PlanResult``; the CLI only calls this."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from models import PlanResult, Scenario

from .errors import InfeasibleError
from .explain import explain_infeasibility
from .extract import extract
from .formulation import build_problem
from .marginals import marginal_values
from .solve import SolverSettings, solve

if TYPE_CHECKING:
    from .distributed import Cluster

logger = logging.getLogger(__name__)


def plan(
    scenario: Scenario,
    solver: str = "highs",
    time_limit: float | None = None,
    *,
    settings: SolverSettings | None = None,
    marginals: bool = False,
    cluster: Cluster | None = None,
) -> PlanResult:
    """Split the budget: clear missing indicators first, then maximize weighted progress.

    With ``marginals=True`` the result also carries the marginal value of every budget and binding rule.
    Raises ``ScenarioError`` for inconsistent input, ``InfeasibleError`` (with an explanation of which
    money rules conflict) when no plan satisfies every rule, and ``SolverError`` when the solver fails.
    Marginal values are confirmed on ``cluster`` when one is given (``allocator.distributed``), else here.
    """
    settings = settings or SolverSettings(name=solver, time_limit=time_limit)  # type: ignore[arg-type]
    t0 = time.perf_counter()
    bp = build_problem(scenario)
    t1 = time.perf_counter()
    try:
        solution = solve(bp, settings)
    except InfeasibleError as exc:
        explanation = explain_infeasibility(scenario, settings)
        lines = "\n".join(f"  - {line}" for line in explanation)
        what = "money rules and hard goals" if any(g.hard for g in scenario.goals.values()) else "money rules"
        raise InfeasibleError(f"{exc}; the {what} that conflict:\n{lines}", status=exc.status, explanation=explanation) from None
    t2 = time.perf_counter()
    result = extract(bp, solution, {})
    t3 = time.perf_counter()
    timings = {"build": t1 - t0, "solve": t2 - t1, "extract": t3 - t2}
    update: dict = {"timings": timings}
    if marginals:
        update["marginals"] = tuple(marginal_values(bp, solution, settings, cluster=cluster))
        timings["marginals"] = time.perf_counter() - t3
    logger.info("planned %s: %s in %.2f s", scenario.name, result.status.value, time.perf_counter() - t0)
    return result.model_copy(update=update)
