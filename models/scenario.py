"""The scenario: everything one plan needs, validated record by record."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import FrozenModel, Key, Year
from .budget import DEFAULT_SOURCE, Budget, Source
from .goal import Goal
from .indicator import Indicator
from .initiative import Initiative
from .lines import Commitment, Execution, LineRule, Lock
from .policy import Policy
from .rolling import Rolling
from .unit import Unit


class Scenario(FrozenModel):
    """Indicators, units, initiatives (with effects), budget, funding sources and policy for one plan horizon.

    Record-level rules live on each model; rules that relate records (unknown references, capacity
    versus demand) are checked all at once by ``allocator.checks.check_scenario``.
    """

    name: str = Field(min_length=1, description="Short name of the scenario.")
    title_zh: str = Field("", description="Chinese title.")
    title_en: str = Field("", description="English title.")
    language: Literal["zh", "en"] = Field("zh", description="Language of report headings.")
    currency: str = Field("万元", description="Unit of every money figure.")
    start_year: Year = Field(description="First planned year.")
    end_year: Year = Field(description="Last planned year.")
    description: str = Field("", description="What the scenario is for and where its numbers come from.")
    indicators: dict[Key, Indicator] = Field(description="Indicator id -> indicator.")
    units: dict[Key, Unit] = Field(description="Unit id -> unit.")
    initiatives: dict[Key, Initiative] = Field(description="Initiative id -> initiative.")
    budget: Budget = Field(description="The school's own stock and increment per year.")
    sources: dict[Key, Source] = Field(default_factory=dict, description="Restricted funding sources besides the school's own money.")
    goals: dict[Key, Goal] = Field(
        default_factory=dict, description="Ranked goals besides the indicators' targets: ceilings, exact levels, thrift (goal id -> goal)."
    )
    policy: Policy = Field(default_factory=Policy, description="Floors, caps, reserves, priorities and scoring settings.")
    lines: tuple[LineRule, ...] = Field((), description="Rules of particular lines or initiatives (caps, phase-outs, must-fund floors).")
    commitments: tuple[Commitment, ...] = Field((), description="Money already promised to lines, paid first.")
    locks: tuple[Lock, ...] = Field((), description="Lines whose money is fixed in a year.")
    execution: tuple[Execution, ...] = Field((), description="Last year's planned and actual spending per line (预算执行率).")
    rolling: Rolling | None = Field(None, description="A rolling re-plan: past years locked and measured, a horizon past the policy.")

    @model_validator(mode="after")
    def _horizon(self) -> Scenario:
        if self.end_year < self.start_year:
            raise ValueError(f"end_year {self.end_year} is before start_year {self.start_year}")
        if DEFAULT_SOURCE in self.sources:
            raise ValueError(f"source id '{DEFAULT_SOURCE}' is reserved for the school's own budget")
        return self

    @property
    def years(self) -> list[int]:
        """Planned years, in order."""
        return list(range(self.start_year, self.end_year + 1))

    def is_past(self, year: int) -> bool:
        """Whether a plan year is already spent in a rolling re-plan (its money locked, its outputs measured)."""
        return self.rolling is not None and self.rolling.is_past(year)

    def is_sustain(self, year: int) -> bool:
        """Whether a plan year lies past the policy's last year (--until): targets are held as sustain targets."""
        return self.rolling is not None and self.rolling.is_sustain(year)

    @property
    def base_year(self) -> int:
        """The year whose allocations form the stock (the year before the plan starts)."""
        return self.start_year - 1

    def priority_of(self, indicator: str) -> int:
        """Priority level of an indicator's progress: its own, else the policy's default."""
        own = self.indicators[indicator].priority
        return own if own is not None else self.policy.progress_priority

    def grade_of(self, unit: str) -> str:
        """Last performance grade of a unit, falling back to the policy's default."""
        return self.units[unit].grade or self.policy.default_grade

    def floor_of(self, unit: str) -> float:
        """Share of its stock a unit keeps each year: a per-unit override, else the floor of its grade."""
        override = self.policy.unit_floor_overrides.get(unit)
        return override if override is not None else self.policy.floors[self.grade_of(unit)]
