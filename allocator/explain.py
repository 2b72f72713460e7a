"""Explain an infeasible scenario: an elastic re-solve prices every money rule and reports the ones it must break."""

from __future__ import annotations

import logging
import re

from models import Scenario

from .formulation import build_problem
from .solve import SolverSettings, solve_single

logger = logging.getLogger(__name__)

_WORDS = {
    "fund_limit": "{0} in {1} would have to give more than it has",
    "source_share_min": "source {0} cannot give unit {1} its minimum share in {2}",
    "source_share_max": "source {0} would have to give unit {1} more than its maximum share in {2}",
    "stock_floor": "unit {0} cannot keep its stock floor in {1}",
    "performance_money": "unit {0} cannot receive its performance money on top of its stock floor in {1}",
    "grade_keep": "unit {0} cannot keep its money before grades plus its performance money in {1}",
    "grade_hold": "unit {0} would need more than its money before grades plus its performance money in {1}",
    "change_cap_up": "unit {0} would have to grow faster than the change cap allows in {1}",
    "change_cap_down": "unit {0} would have to shrink faster than the change cap allows in {1}",
    "funding_max": "unit {0} would need more than the maximum funding of {1} in {2}",
    "missing_reserve": "the earmark for missing indicators cannot be spent in {0}",
    "line_cap_up": "line {0}.{1} would have to grow faster than its rise cap allows in {2}",
    "line_cap_down": "line {0}.{1} would have to fall faster than its fall limit allows in {2}",
    "line_start": "new line {0}.{1} would need more than its start allowance",
    "must_fund": "must-fund line {0}.{1} cannot keep its floor in {2}",
    "initiative_continuity": "initiative {0} cannot keep buying at least one item in {1}",
    "phase_out_floor": "line {0}.{1} would have to fall faster than its phase-out schedule in {2}",
    "phase_out_end": "line {0}.{1} would still need money in {2}, after its phase-out has ended",
    "commitment": "commitment {0}.{1} {2} cannot be paid",
    "pipeline_floor": "the pipeline requirement for lagged initiatives cannot be met in {0}",
}


def _fund_words(key: str) -> str:
    if key == "school_stock":
        return "the school's stock pool"
    if key == "school_increment":
        return "the school's increment pool"
    return f"source {key}"


def describe_row(name: str, amount: float, currency: str) -> str:
    """Plain words for one broken money rule and by how much."""
    family, *ids = name.split("__")
    if family == "lock" and len(ids) >= 3:
        way = "more" if ids[-1] == "above" else "less"
        return f"lock {ids[0]}.{ids[1]} {ids[2]} cannot hold: the other rules need {amount:,.4g} {currency} {way} on that line [{name}]"
    if family == "fund_limit" and ids:
        ids[0] = _fund_words(ids[0])
    template = _WORDS.get(family, family + " " + " ".join(ids))
    text = template.format(*ids) if family in _WORDS else template
    return f"{text}: short by {amount:,.4g} {currency} [{name}]"


def describe_goal(scenario: Scenario, name: str, amount: float) -> str:
    """Plain words for a broken hard goal: which side gives and by how much, in the goal's own units."""
    _, key, *side = name.split("__")
    goal = scenario.goals[key]
    under = (side[0] == "under") if side else goal.sense == "at_least"
    rule = {"at_least": "at least", "at_most": "at most", "exactly": "exactly"}[goal.sense]
    unit = f" {goal.unit_label}" if goal.unit_label else ""
    return f"hard goal {key} ({rule} {goal.target:g}{unit}) cannot hold: {'short' if under else 'over'} by {amount:,.4g}{unit} [{name}]"


def explain_infeasibility(scenario: Scenario, settings: SolverSettings | None = None) -> tuple[str, ...]:
    """Lines naming which floors, caps, shares, budgets or hard goals conflict and by how much (largest first)."""
    settings = settings or SolverSettings()
    bp = build_problem(scenario, elastic=True, check=False)
    sol = solve_single(bp, settings)
    if not sol.status.has_solution:
        return ("even with every money rule relaxed the model has no solution: check integer initiatives and capacities",)
    broken = sorted(
        ((name, sol.values.get(var.name, 0.0)) for name, var in bp.elastic.items()),
        key=lambda item: (-item[1], item[0]),
    )
    lines = [
        describe_goal(scenario, name, amount) if name.startswith("goal_hard__") else describe_row(name, amount, scenario.currency)
        for name, amount in broken
        if amount > 1e-6
    ]
    logger.debug("elastic explanation: %d rules broken", len(lines))
    return tuple(lines) or ("no money rule needs to be broken; the conflict lies elsewhere (integrality or bounds)",)


def family_of(row: str) -> str:
    """Constraint family of a row name."""
    return re.split("__", row, maxsplit=1)[0]
