"""A goal program on plain tables (``allocator goals``): goals with targets, priorities and deviation weights over named variables.

Textbook goal programming: each goal g is sum_j a_gj x_j + under_g - over_g = target_g; priority p
minimizes the weighted deviations of its rows, levels in turn (preemptive), or all together (weighted).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import FrozenModel, NonNegative, Priority

GoalMode = Literal["lexicographic", "weighted"]


class ProgramGoal(FrozenModel):
    """One row of GOALS: a goal penalized at one priority (a goal may have a row at each level it counts at)."""

    goal: str = Field(min_length=1, description="Goal name (the same name on several rows: the same goal at several levels).")
    target: float = Field(allow_inf_nan=False, description="Target of the goal's expression.")
    priority: Priority | None = Field(description="Priority level (1 = first); None for a hard goal (a constraint).")
    under_weight: NonNegative = Field(0.0, description="Weight of falling short at this level (0 = free).")
    over_weight: NonNegative = Field(0.0, description="Weight of going over at this level (0 = free).")
    row: int | None = Field(None, description="Line of the row in its file, for messages.")

    @model_validator(mode="after")
    def _something_counts(self) -> ProgramGoal:
        if self.priority is None and self.under_weight == 0 and self.over_weight == 0:
            raise ValueError("a hard goal needs under_weight > 0 (at least), over_weight > 0 (at most) or both (exactly)")
        return self

    @property
    def hard(self) -> bool:
        """Whether the row is a constraint rather than a penalized goal."""
        return self.priority is None

    @property
    def sense(self) -> str:
        """at_least, at_most or exactly, from which deviations are weighted."""
        if self.under_weight > 0 and self.over_weight > 0:
            return "exactly"
        return "at_most" if self.over_weight > 0 else "at_least"


class ProgramVariable(FrozenModel):
    """Bounds and integrality of one variable (defaults: 0 <= x, continuous)."""

    lower: float | None = Field(0.0, allow_inf_nan=False, description="Lower bound; None = unbounded below.")
    upper: float | None = Field(None, allow_inf_nan=False, description="Upper bound; None = unbounded above.")
    integer: bool = False

    @model_validator(mode="after")
    def _bounds(self) -> ProgramVariable:
        if self.lower is not None and self.upper is not None and self.lower > self.upper:
            raise ValueError(f"lower bound {self.lower:g} is above upper bound {self.upper:g}")
        return self


class GoalProgram(FrozenModel):
    """Goals, the terms of their expressions and the variables they name."""

    goals: tuple[ProgramGoal, ...] = Field(min_length=1)
    terms: dict[str, tuple[tuple[str, float], ...]] = Field(description="goal -> (variable, coefficient) pairs.")
    variables: dict[str, ProgramVariable] = Field(description="Every variable a term names, with its bounds.")
    source: str = Field("", description="Where the goals were read (file name), for messages.")

    @model_validator(mode="after")
    def _references(self) -> GoalProgram:
        names = {g.goal for g in self.goals}
        for goal, pairs in self.terms.items():
            if goal not in names:
                raise ValueError(f"terms name unknown goal '{goal}'")
            unknown = [v for v, _ in pairs if v not in self.variables]
            if unknown:
                raise ValueError(f"goal '{goal}' names unknown variable(s) {unknown}")
        return self

    @property
    def priorities(self) -> list[int]:
        """Priority levels in order."""
        return sorted({g.priority for g in self.goals if g.priority is not None})

    def target_of(self, goal: str) -> float:
        """A goal's target (the same on every row of the goal)."""
        return next(g.target for g in self.goals if g.goal == goal)


class ProgramGoalResult(FrozenModel):
    """One GOALS row after the solve: the expression's value and its deviations."""

    goal: str
    priority: int | None
    target: float
    achieved: float
    under: float
    over: float
    under_weight: float
    over_weight: float


class ProgramLevelResult(FrozenModel):
    """One priority level after the solve: the weighted sum of its penalized deviations."""

    priority: int
    achievement: float = Field(description="Weighted sum of the deviations this level penalizes, in the final solution.")
    optimum: float | None = Field(None, description="The level's optimum when it was solved (lexicographic mode).")
    hold: str | None = None
    leak: float | None = None


class GoalProgramResult(FrozenModel):
    """Variables, goals and levels of a solved goal program."""

    mode: GoalMode
    status: str
    variables: dict[str, float]
    goals: tuple[ProgramGoalResult, ...]
    levels: tuple[ProgramLevelResult, ...]
    solver: str = ""
