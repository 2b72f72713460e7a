"""Goals (目标): a linear expression over indicator values, money or activity, a target, a sense and a priority.

Indicators already carry one goal each (reach the target by the target year). A goal says anything else
a planning office ranks: keep 因公出国 money at or under a cap, hold the foreign-faculty ratio at about 5%,
spend no more than needed. Goals are solved by priority level (1 first), each level held while the next
is optimized; see docs/formulation.md.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .base import FrozenModel, NonNegative, OptionalPriority, OptionalYear, Tokens

GoalSense = Literal["at_least", "at_most", "exactly"]
"""Which deviation from the target is penalized: falling short, going over, or both."""

GoalScale = Literal["relative", "native"]
"""How a deviation counts at its level: divided by |target| (as indicator progress is), or in the goal's own units."""

TermKind = Literal["indicator", "money", "activity"]

SENSES: tuple[str, ...] = ("at_least", "at_most", "exactly")
POOLS: tuple[str, ...] = ("stock", "increment")


class GoalTerm(FrozenModel):
    """One term of a goal: a coefficient times an indicator's value, or money or activity summed over selectors.

    Blank selectors mean "all". ``years`` applies to money and activity (a list of years, or ``all``);
    an indicator term is read in its ``year`` (blank: the indicator's target year).
    """

    kind: TermKind = Field(description="indicator (its value in a year), money (万元 allocated) or activity (activity units bought).")
    coefficient: float = Field(1.0, allow_inf_nan=False, description="Multiplier of the term (negative to subtract).")
    indicator: str | None = Field(None, description="indicator terms: the indicator id.")
    year: OptionalYear = Field(None, description="indicator terms: the year of the value; blank = the indicator's target year.")
    units: Tokens = Field((), description="Unit selector (all, colleges, departments, top_peak or ids); blank = all.")
    initiatives: Tokens = Field((), description="money/activity: initiative selector (all, clause:..., group:... or ids); blank = all.")
    years: Tokens = Field((), description="money/activity: years summed over (e.g. 2021;2022); blank = every planned year.")
    pools: Tokens = Field((), description="money: pools (stock, increment); blank = both.")
    sources: Tokens = Field((), description="money: funding sources (school or source ids); blank = all.")

    @field_validator("indicator")
    @classmethod
    def _indicator(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind")
        if kind == "indicator" and not value:
            raise ValueError("an indicator term needs 'indicator' (which indicator's value)")
        if kind in ("money", "activity") and value is not None:
            raise ValueError(f"applies to indicator terms, not to a {kind} term")
        return value

    @field_validator("year")
    @classmethod
    def _year(cls, value: int | None, info: ValidationInfo) -> int | None:
        kind = info.data.get("kind")
        if kind in ("money", "activity") and value is not None:
            raise ValueError(f"applies to indicator terms; a {kind} term sums over 'years'")
        return value

    @field_validator("initiatives")
    @classmethod
    def _initiatives(cls, tokens: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        if tokens and info.data.get("kind") == "indicator":
            raise ValueError("applies to money and activity terms, not to an indicator term")
        return tokens

    @field_validator("years")
    @classmethod
    def _years(cls, tokens: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        if tokens and info.data.get("kind") == "indicator":
            raise ValueError("applies to money and activity terms; an indicator term is read in one 'year'")
        for token in tokens:
            if token != "all" and not (token.isdigit() and len(token) == 4):
                raise ValueError(f"'{token}' is not a year (write e.g. 2021;2022, or all)")
        return tokens

    @field_validator("pools", "sources")
    @classmethod
    def _funds(cls, tokens: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        kind = info.data.get("kind")
        if tokens and kind in ("indicator", "activity"):
            raise ValueError(f"applies to money terms, not to an {kind} term")
        bad = [p for p in tokens if p not in (*POOLS, "all")] if info.field_name == "pools" else []
        if bad:
            raise ValueError(f"unknown pool(s) {bad} (expected stock, increment or all)")
        return tokens


class Goal(FrozenModel):
    """A ranked goal: the expression of its terms compared with a target, penalized at its priority level."""

    name_zh: str = Field(min_length=1, description="Chinese name, as the office would say it.")
    name_en: str = Field("", description="English name.")
    unit_label: str = Field("", description="Unit of the expression shown in reports (万元, 人, %, ...).")
    priority: OptionalPriority = Field(None, description="Priority level (1 = first); required unless the goal is hard.")
    sense: GoalSense = Field("at_least", description="at_least (penalize falling short), at_most (penalize going over) or exactly (both).")
    target: float = Field(allow_inf_nan=False, description="Value the expression is compared with, in its own units.")
    weight: NonNegative = Field(1.0, description="Weight of this goal's penalized deviation within its level.")
    scale: GoalScale = Field(
        "relative", description="relative: a deviation counts as a share of |target|; native: in the goal's own units."
    )
    hard: bool = Field(False, description="A hard goal is a constraint: the penalized side may not deviate at all.")
    terms: tuple[GoalTerm, ...] = Field(description="The expression: a sum of terms (table goal_terms).")
    note: str = Field("", description="Where the goal comes from; every number the policy does not give is marked 假设.")

    @model_validator(mode="after")
    def _consistent(self) -> Goal:
        if not self.terms:
            raise ValueError("a goal needs at least one term (rows of goal_terms naming it)")
        if not self.hard and self.priority is None:
            raise ValueError("a goal needs a priority (1 = first), or hard: true for a rule that must hold")
        if not self.hard and self.scale == "relative" and self.target == 0:
            raise ValueError("a relative goal needs a non-zero target (its deviation counts as a share of it); use scale native")
        return self

    @property
    def penalizes_under(self) -> bool:
        """Whether falling short of the target counts."""
        return self.sense in ("at_least", "exactly")

    @property
    def penalizes_over(self) -> bool:
        """Whether going over the target counts."""
        return self.sense in ("at_most", "exactly")

    @property
    def divisor(self) -> float:
        """What a deviation is divided by at its level: |target| (relative) or 1 (native)."""
        return abs(self.target) if self.scale == "relative" else 1.0
