"""Goals (目标): a linear expression over indicator values, money or activity, a target, a sense and a priority.

Indicators already carry one goal each (reach the target by the target year). A goal says anything else
a planning office ranks: keep 因公出国 money at or under a cap, hold the foreign-faculty ratio at about 5%,
spend no more than needed. Goals are solved by priority level (1 first), each level held while the next
is optimized; see docs/formulation.md.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

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

    @model_validator(mode="after")
    def _fields_for_kind(self) -> GoalTerm:
        if self.kind == "indicator":
            if not self.indicator:
                raise ValueError("an indicator term needs 'indicator' (which indicator's value)")
            extra = [f for f in ("initiatives", "years", "pools", "sources") if getattr(self, f)]
            if extra:
                raise ValueError(f"{', '.join(extra)} apply to money and activity terms, not to an indicator term")
            return self
        if self.indicator is not None or self.year is not None:
            raise ValueError(f"indicator and year apply to indicator terms, not to a {self.kind} term (use years)")
        if self.kind == "activity" and (self.pools or self.sources):
            raise ValueError("pools and sources apply to money terms, not to activity")
        for token in self.years:
            if token != "all" and not (token.isdigit() and len(token) == 4):
                raise ValueError(f"years: '{token}' is not a year (write e.g. 2021;2022, or all)")
        bad = [p for p in self.pools if p not in (*POOLS, "all")]
        if bad:
            raise ValueError(f"pools: unknown pool(s) {bad} (expected stock, increment or all)")
        return self


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
    terms: tuple[GoalTerm, ...] = Field(min_length=1, description="The expression: a sum of terms (table goal_terms).")
    note: str = Field("", description="Where the goal comes from; every number the policy does not give is marked 假设.")

    @model_validator(mode="after")
    def _consistent(self) -> Goal:
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
