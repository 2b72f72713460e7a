"""Typed results of a plan: status vocabulary, table rows and the plan result itself."""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import Field

from .base import FrozenModel


class SolveStatus(str, Enum):
    """How a solve ended, independent of the solver's own codes."""

    OPTIMAL = "optimal"
    FEASIBLE = "time_limit_feasible"  # stopped by the time limit with a feasible (not proven optimal) plan
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    NO_SOLUTION = "time_limit_no_solution"
    ERROR = "error"

    @property
    def has_solution(self) -> bool:
        """Whether numbers can be read from the solve."""
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


class AllocationRow(FrozenModel):
    """Money to one unit for one initiative in one year from one pool and source."""

    unit: str
    initiative: str
    year: int
    pool: str
    source: str
    amount: float = Field(description="Money in the scenario's currency.")


class ReclaimRow(FrozenModel):
    """Money taken off a base line in a year (its money the year before less this year's), and why (盘活存量)."""

    unit: str
    initiative: str
    year: int
    base: float = Field(description="The line's base allocation (万元).")
    planned: float | None = Field(None, description="Last year's planned money of the line, where execution was given.")
    actual: float | None = Field(None, description="Last year's actual spending of the line, where execution was given.")
    execution_rate: float | None = Field(None, description="actual / planned (预算执行率).")
    previous: float = Field(description="The line's money the year before (its base in the first year).")
    amount: float = Field(description="The line's money this year.")
    reclaimed: float = Field(description="previous - amount: money freed for growth and new lines.")
    rule: str = Field(
        description="execution (idle money), phase_out (on schedule) or gradual (within the line's fall limit and its unit's floor)."
    )
    reason: str = Field(description="The reason in words.")


class IndicatorRow(FrozenModel):
    """An indicator's projected value in one year against its target and milestone."""

    indicator: str
    year: int
    value: float
    target: float
    target_year: int
    milestone: float | None = None
    shortfall: float | None = Field(
        None, description="Requirement minus value (>= 0) in years with a milestone or at/after the target year."
    )
    met: bool | None = Field(None, description="Whether the requirement of that year is met; blank where none applies.")


class UnitIndicatorRow(FrozenModel):
    """One unit's own part of an indicator in one year: what it is planned to produce (its assigned target)."""

    unit: str
    indicator: str
    year: int
    output: float = Field(description="Output of this unit landing in this year (the unit's yearly assignment).")
    value: float = Field(
        description="The unit's part of the indicator's value: per_unit_min its own level; annual_rate (a flow per year) "
        "this year's output, as the indicator counts it; other kinds its cumulative output so far."
    )


class BudgetRow(FrozenModel):
    """Money available and allocated in one year, pool and source."""

    year: int
    pool: str
    source: str
    available: float
    allocated: float

    @property
    def unused(self) -> float:
        """Money left unallocated."""
        return self.available - self.allocated


class StageReport(FrozenModel):
    """Outcome of one level (stage) of the lexicographic solve, and how its optimum was held for the levels after it."""

    name: str
    objective: float = Field(description="The level's optimum when it was solved.")
    status: SolveStatus
    seconds: float
    mip_gap: float | None = Field(None, description="Relative MIP gap the solver proved (HiGHS); None for an LP or when unknown (CBC).")
    gap_limit: float | None = Field(None, description="Relative MIP gap the stage was asked to reach; None for an LP.")
    priority: int | None = None
    sense: str | None = Field(None, description="min or max.")
    hold: str | None = Field(
        None, description="How the optimum was held while later levels were solved: fixed (its variables at their best bound) or row."
    )
    final: float | None = Field(None, description="The level's objective recomputed from the final plan (held levels).")
    leak: float | None = Field(None, description="How much worse the final plan is on this level than its optimum (0 = none).")
    proof: str | None = Field(
        None,
        description="How a MILP level was proved: relaxation (a repaired plan within the gap of the LP relaxation, no branching) "
        "or milp (the branch-and-bound); None for an LP.",
    )


class SolverReport(FrozenModel):
    """Which solver ran, how each stage ended and how long it took."""

    name: str
    version: str
    status: SolveStatus
    stages: tuple[StageReport, ...]
    integer: bool = Field(description="Whether the model had integer variables (a MILP).")
    variables: int
    constraints: int


class MarginalRow(FrozenModel):
    """What relaxing one constraint by one unit (money, or an activity unit for capacities) is worth.

    ``dual_*`` come from the LP with integer decisions fixed at the optimum; ``fd_*`` from re-solving the
    full model with the right-hand side moved up or down by ``delta``; ``method`` says which is reported.
    Stage 1 values are changes of the missing-indicator shortfall (negative = gaps close), stage 2 values
    changes of weighted progress (a fraction; x100 for percentage points).
    """

    constraint: str
    family: str
    fund: str | None = None
    year: int | None = None
    unit: str | None = None
    initiative: str | None = None
    rhs: float
    slack: float
    dual_stage1: float
    dual_stage2: float
    fd_up_stage1: float | None = None
    fd_up_stage2: float | None = None
    fd_down_stage1: float | None = None
    fd_down_stage2: float | None = None
    dual_levels: dict[str, float] = Field(default_factory=dict, description="Duals at levels other than stage 1 and 2, by level name.")
    fd_up_levels: dict[str, float | None] = Field(default_factory=dict)
    fd_down_levels: dict[str, float | None] = Field(default_factory=dict)
    method: str = "dual"
    spent_on: str = ""
    words: str = ""

    @property
    def value_stage2(self) -> float:
        """Best estimate of d(stage 2)/d(rhs): the re-solve where there is one, else the dual."""
        return self.fd_up_stage2 if self.fd_up_stage2 is not None else self.dual_stage2

    @property
    def value_stage1(self) -> float:
        """Best estimate of d(stage 1 shortfall)/d(rhs)."""
        return self.fd_up_stage1 if self.fd_up_stage1 is not None else self.dual_stage1


class GoalRow(FrozenModel):
    """One goal's achievement in the final plan, in the goal's own units (a row of goals.csv)."""

    goal: str = Field(description="Goal id, or clear:K[:U], target:K[:U], milestone:K[:U]:YEAR for an indicator's own goals.")
    priority: int | None = Field(description="Priority level; blank for a hard goal.")
    sense: str = Field(description="at_least, at_most or exactly.")
    target: float
    achieved: float
    under: float = Field(description="How far the plan falls short of the target (>= 0).")
    over: float = Field(description="How far the plan goes beyond the target (>= 0).")
    kind: str = Field(description="clear (a missing indicator's first unit), target, milestone, goal or hard.")
    name: str = ""
    unit_label: str = ""
    year: int | None = None
    weight: float = 0.0
    met: bool = Field(description="Whether no penalized deviation is left (to 1e-6 relative).")


class LevelRow(FrozenModel):
    """One priority level of the plan: its optimum, how it was held and what is left unmet, in native units."""

    priority: int
    name: str = Field(description="Stage name: stage1 (missing indicators), stage2 (weighted progress) or level<p>.")
    sense: str
    objective: float = Field(description="The level's optimum (missing gaps, weighted progress or weighted deviations).")
    final: float = Field(description="The level's objective in the final plan; differs from objective by leak at most.")
    leak: float = Field(0.0, description="How much worse the final plan is on this level than its optimum (0 = held exactly).")
    hold: str | None = Field(None, description="fixed or row (how later levels kept it); blank for the last level.")
    goals: int = Field(description="Goals counted at this level (weight above 0).")
    met: int = Field(description="Of these, how many the plan meets.")
    under: dict[str, float] = Field(
        default_factory=dict, description="Total shortfall of penalized targets and goals (milestones apart), by unit of measure."
    )
    over: dict[str, float] = Field(default_factory=dict, description="Total excess of penalized goals, by unit of measure.")
    milestone_under: dict[str, float] = Field(
        default_factory=dict,
        description="Total shortfall at milestones, by unit of measure: apart from under, since a milestone's shortfall and its "
        "target's often count the same people or money in two years.",
    )
    words: str = Field("", description="The level's achievement in a sentence, e.g. 第二优先级: 未达成 600 万元.")


class PlanResult(FrozenModel):
    """A solved plan: allocation, indicator trajectories, budget use and how the solve went."""

    scenario: str
    status: SolveStatus
    stage1_shortfall: float = Field(
        description="Stage 1: weighted shortfall of missing indicators at their clear-by years (0 = all cleared)."
    )
    stage2_progress: float = Field(description="Stage 2: weighted normalized progress toward targets (1 = every target met).")
    allocation: tuple[AllocationRow, ...]
    indicators: tuple[IndicatorRow, ...]
    unit_indicators: tuple[UnitIndicatorRow, ...]
    budget: tuple[BudgetRow, ...]
    solver: SolverReport
    timings: dict[str, float] = Field(default_factory=dict, description="Seconds spent building, solving and reading the plan.")
    marginals: tuple[MarginalRow, ...] = Field((), description="Marginal values of budgets and binding rules (empty when not asked for).")
    goals: tuple[GoalRow, ...] = Field((), description="Every goal's achievement in its own units (goals.csv).")
    levels: tuple[LevelRow, ...] = Field((), description="The achievement of each priority level.")
    reclaim: tuple[ReclaimRow, ...] = Field((), description="Money taken off base lines, line by line and year by year, with the reason.")
    warnings: tuple[str, ...] = ()
    rounding: dict[str, Any] = Field(
        default_factory=dict, description="How the solver's amounts were published to whole 0.01 (quantum, rule, largest change)."
    )
