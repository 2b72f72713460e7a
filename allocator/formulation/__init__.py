"""The allocation LP/MILP, in one place: ``build_problem(scenario) -> BuiltProblem``. No I/O, no solving.

One module per family of constraints, each ``add_<family>_constraints`` function named as in
docs/formulation.md, its docstring giving the rows it adds. Variables and rows are named
``<family>__<id>[__<id>...]`` over sorted ids, so the LP file of a scenario is stable and diffs cleanly.

| module | family |
|---|---|
| ``problem`` | ``BuiltProblem`` (handles to variables and rows), ``row_name``, ``add_row``, big-M bounds |
| ``variables`` | money, activity and (cost-to-clear) extra-money variables |
| ``activity`` | money buys activity: costs, segments, set-ups, funding limits, capacities |
| ``funds`` | fund limits and restricted-source shares |
| ``stock`` | stock floors, change caps, the missing-indicator earmark |
| ``performance`` | performance money on top of the protected stock; money that follows grades |
| ``lines`` | per-line change caps, starts, must-fund floors, phase-outs |
| ``commitments`` | commitments paid first, locks |
| ``horizon`` | the terminal-year pipeline requirement |
| ``indicators`` | indicator accounting by kind |
| ``objectives`` | missing-indicator shortfalls, weighted progress, and the levels by priority |
| ``goals`` | goal expressions, deviation rows and penalties (``goal_deviation``, ``goal_hard``) |
| ``rolling`` | a rolling re-plan: past years locked (zero locks, released rules), measured outputs |
| ``costing`` | cost-to-clear requirements and keeps |
"""

from __future__ import annotations

import logging
from collections.abc import Collection

import pulp

from models import Scenario

from ..checks import check_scenario
from ..sets import ModelSets
from .activity import (
    add_activity_cost_constraints,
    add_capacity_constraints,
    add_funding_constraints,
    add_segment_constraints,
    add_setup_variables_and_constraints,
)
from .commitments import add_commitment_constraints, add_commitment_variables, add_lock_constraints
from .costing import add_clear_requirement_constraints, add_keep_value_constraints, add_stage1_keep_constraints, extra_money_expression
from .funds import add_fund_limit_constraints, add_source_share_constraints, amount_rows
from .goals import add_goal_deviation_constraints, goal_expression
from .horizon import add_pipeline_constraints
from .indicators import add_indicator_value_constraints, flow_terms, value_series
from .lines import add_initiative_continuity_constraints, add_line_constraints, add_run_constraints
from .objectives import add_missing_shortfall_constraints, add_progress_constraints, assemble_levels
from .performance import add_grade_follow_constraints, add_performance_money_constraints, set_performance_money
from .problem import (
    ELASTIC_FAMILIES,
    ELASTIC_PRICE,
    EXTRA_MONEY_FACTOR,
    BuiltProblem,
    Level,
    Terms,
    add_row,
    extra_money_limit,
    fund_by_key,
    money_bound,
    row_name,
)
from .rolling import add_past_year_locks, fix_past_activity, release_past_year_rows
from .stock import add_change_cap_constraints, add_missing_reserve_constraints, add_stock_floor_constraints
from .variables import add_activity_variables, add_extra_money_variables, add_money_variables

logger = logging.getLogger(__name__)

__all__ = [
    "ELASTIC_FAMILIES",
    "EXTRA_MONEY_FACTOR",
    "BuiltProblem",
    "Level",
    "Terms",
    "add_clear_requirement_constraints",
    "add_keep_value_constraints",
    "add_row",
    "add_stage1_keep_constraints",
    "amount_rows",
    "build_problem",
    "extra_money_expression",
    "extra_money_limit",
    "flow_terms",
    "fund_by_key",
    "goal_expression",
    "money_bound",
    "row_name",
    "value_series",
]


def build_problem(
    scenario: Scenario, *, elastic: bool = False, check: bool = True, extra_pool: str | None = None, units: Collection[str] | None = None
) -> BuiltProblem:
    """Build the allocation model of a validated scenario, with its objectives by priority level (``bp.levels``).

    With ``elastic=True`` every money rule in ELASTIC_FAMILIES gets a priced slack and the objective is
    the total slack: solving it tells which rules conflict and by how much (used to explain infeasibility).
    With ``extra_pool`` ("increment" or "total") the school's funds may be topped up by extra money
    variables, for cost-to-clear questions. With ``units`` only the block of those units is built (see
    "Blocks" in docs/formulation.md): their columns and rows, and each row over all units with their terms only.
    """
    if check:
        check_scenario(scenario)
    sets = ModelSets.from_scenario(scenario, units)
    bp = BuiltProblem(
        sets=sets, problem=pulp.LpProblem(row_name("allocation", "plan"), pulp.LpMinimize), elastic_mode=elastic, extra_pool=extra_pool
    )
    add_extra_money_variables(bp)
    add_money_variables(bp)
    add_activity_variables(bp)
    add_setup_variables_and_constraints(bp)
    add_commitment_variables(bp)
    add_activity_cost_constraints(bp)
    add_segment_constraints(bp)
    add_funding_constraints(bp)
    add_capacity_constraints(bp)
    add_fund_limit_constraints(bp)
    add_source_share_constraints(bp)
    add_commitment_constraints(bp)
    add_lock_constraints(bp)
    add_past_year_locks(bp)
    fix_past_activity(bp)
    add_stock_floor_constraints(bp)
    set_performance_money(bp)
    add_performance_money_constraints(bp)
    add_grade_follow_constraints(bp)
    add_change_cap_constraints(bp)
    add_line_constraints(bp)
    add_run_constraints(bp)
    add_initiative_continuity_constraints(bp)
    add_missing_reserve_constraints(bp)
    add_pipeline_constraints(bp)
    release_past_year_rows(bp)
    add_indicator_value_constraints(bp)
    add_missing_shortfall_constraints(bp)
    add_progress_constraints(bp)
    add_goal_deviation_constraints(bp)
    assemble_levels(bp)
    if elastic:
        price = {name: ELASTIC_PRICE.get(name.split("__")[0], 1.0) for name in bp.elastic}
        bp.problem.setObjective(pulp.LpAffineExpression([(v, price[name]) for name, v in bp.elastic.items()]))
    else:
        bp.problem.setObjective(bp.stage1)
    logger.debug("built %s: %d variables, %d rows", scenario.name, len(bp.problem.variables()), len(bp.problem.constraints))
    return bp
