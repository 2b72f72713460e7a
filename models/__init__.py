"""Validated, immutable schema of scenarios and results (imports only pydantic and the standard library)."""

from .base import KEY_PATTERN, FrozenModel
from .budget import DEFAULT_SOURCE, Budget, Pool, Source
from .goal import Goal, GoalScale, GoalSense, GoalTerm
from .indicator import DIMENSION_ZH, Dimension, Indicator, IndicatorKind
from .initiative import Effect, Initiative, Segment
from .policy import RATINGS, SCORE_PARTS, ChangeCap, Policy, ScoringPolicy
from .results import (
    AllocationRow,
    BudgetRow,
    GoalRow,
    IndicatorRow,
    LevelRow,
    MarginalRow,
    PlanResult,
    SolverReport,
    SolveStatus,
    StageReport,
    UnitIndicatorRow,
)
from .scenario import Scenario
from .scoring import (
    ActualOutput,
    ActualSpending,
    Award,
    LineExecution,
    NextFloor,
    PartScore,
    PlannedSpending,
    Standard,
    TaskRow,
    UnitCost,
    UnitScore,
    UnitTarget,
)
from .unit import Unit

__all__ = [
    "ActualOutput",
    "ActualSpending",
    "Award",
    "LineExecution",
    "NextFloor",
    "PartScore",
    "PlannedSpending",
    "RATINGS",
    "SCORE_PARTS",
    "Standard",
    "TaskRow",
    "UnitCost",
    "UnitScore",
    "UnitTarget",
    "AllocationRow",
    "BudgetRow",
    "GoalRow",
    "IndicatorRow",
    "LevelRow",
    "MarginalRow",
    "PlanResult",
    "SolverReport",
    "SolveStatus",
    "StageReport",
    "UnitIndicatorRow",
    "DEFAULT_SOURCE",
    "DIMENSION_ZH",
    "KEY_PATTERN",
    "Budget",
    "ChangeCap",
    "Dimension",
    "Effect",
    "FrozenModel",
    "Goal",
    "GoalScale",
    "GoalSense",
    "GoalTerm",
    "Indicator",
    "IndicatorKind",
    "Initiative",
    "Policy",
    "Pool",
    "Scenario",
    "ScoringPolicy",
    "Segment",
    "Source",
    "Unit",
]
