"""Initiatives (举措): fundable programmes, their cost structure and their effects on indicators."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, field_validator, model_validator

from .base import FrozenModel, Key, Money, OptionalNonNeg, Tokens
from .economic import ECONOMIC_CLASSES, economic_class_name


def _economic_class(value: object) -> object:
    """Blank means not classified; a code or a name (either bracket width) becomes the canonical name."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (int, float)):
        value = str(int(value))
    if isinstance(value, str):
        return economic_class_name(value) if value.strip() else None
    return value


EconomicClass = Annotated[str | None, BeforeValidator(_economic_class)]


class Segment(FrozenModel):
    """One piece of a concave (diminishing-returns) response: ``width`` activity units at ``efficiency``."""

    width: OptionalNonNeg = Field(None, description="Activity units per unit and year in this segment; blank = unbounded (last only).")
    efficiency: float = Field(gt=0, le=1, description="Output per activity unit in this segment relative to the full yield.")


class Effect(FrozenModel):
    """How much of one indicator one activity unit of an initiative produces (before diminishing returns)."""

    yield_per_unit: float = Field(
        gt=0, allow_inf_nan=False, description="Indicator units per activity unit, e.g. 1 student per funded place."
    )
    note: str = Field("", description="Reasoning behind the yield; assumptions are marked 假设/assumption.")


class Initiative(FrozenModel):
    """A programme tied to a policy clause that units may run, with its costs, limits, lead time and effects."""

    name_zh: str = Field(min_length=1, description="Chinese name.")
    name_en: str = Field("", description="English name.")
    clause: str = Field("", description="Policy clause, e.g. 三(一)1.")
    group: str = Field("", description="Free-form group name, usable in funding-source rules (group:NAME).")
    units: Tokens = Field(
        ("all",),
        description="Which units may run it: all, colleges, departments, top_peak, or unit ids (; separated).",
    )
    unit_cost: float = Field(gt=0, allow_inf_nan=False, description="Money per activity unit (万元 per student, per course, ...).")
    activity_label: str = Field("", description="What one activity unit is (人, 门, 个, ...).")
    economic_class: EconomicClass = Field(
        None,
        description="Economic classification of its spending (经济分类), by code or name: "
        + ", ".join(f"{c} {n}" for c, n in ECONOMIC_CLASSES.items())
        + ". Blank = not classified (shown as 未分类 in the budget tables).",
    )
    setup_cost: Money = Field(0.0, description="One-off money when a unit first runs it (makes it lumpy; needs a binary).")
    integer: bool = Field(False, description="Activity comes in whole units only (an institute, a platform, a journal).")
    one_off: bool | None = Field(
        None,
        description="Money for it is a one-off investment, left out of the year-over-year change caps; blank = yes for "
        "whole-unit initiatives, no otherwise. Set-up costs are always one-off.",
    )
    lag: int = Field(0, ge=0, le=10, description="Lead time in years: money in year t yields output in year t+lag.")
    pay_years: int = Field(
        1,
        ge=1,
        le=10,
        description="The cost of one activity unit is paid in equal parts over this many years from the year it starts "
        "(a scholarship cohort's years of study, a talent package's instalments); 1 = all in the year.",
    )
    min_funding: Money = Field(0.0, description="If a unit runs it in a year, at least this much money (semi-continuous).")
    max_funding: OptionalNonNeg = Field(None, description="At most this much money per unit and year; blank = no limit.")
    capacity: OptionalNonNeg = Field(None, description="At most this many activity units per unit and year; blank = no limit.")
    total_capacity: OptionalNonNeg = Field(None, description="At most this many activity units per year over all units.")
    horizon_capacity: OptionalNonNeg = Field(None, description="At most this many activity units over the whole plan and all units.")
    segments: tuple[Segment, ...] = Field((), description="Diminishing returns per unit and year; empty = constant returns.")
    effects: dict[Key, Effect] = Field(default_factory=dict, description="Indicator -> effect of one activity unit.")
    note: str = Field("", description="Reasoning behind costs and limits; assumptions are marked 假设/assumption.")

    @field_validator("segments")
    @classmethod
    def _check_segments(cls, segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
        """Checked on the field, so an error names the segments table rather than the initiative's row."""
        for i, seg in enumerate(segments):
            last = i == len(segments) - 1
            if seg.width is None and not last:
                raise ValueError(f"segment {i + 1}: only the last segment may have no width")
            if seg.width is not None and seg.width <= 0:
                raise ValueError(f"segment {i + 1}: width must be positive")
            if i and seg.efficiency > segments[i - 1].efficiency + 1e-12:
                raise ValueError(
                    f"segment {i + 1}: efficiency {seg.efficiency:g} rises above segment {i}'s "
                    f"{segments[i - 1].efficiency:g}; returns must diminish (concave)"
                )
        return segments

    @model_validator(mode="after")
    def _check_funding(self) -> Initiative:
        if self.max_funding is not None and self.max_funding < self.min_funding:
            raise ValueError(f"max_funding {self.max_funding:g} is below min_funding {self.min_funding:g}")
        return self

    @property
    def segment_table(self) -> tuple[tuple[float | None, float], ...]:
        """(width, efficiency) pairs, a single unbounded full-efficiency piece when none are given."""
        if not self.segments:
            return ((None, 1.0),)
        return tuple((s.width, s.efficiency) for s in self.segments)

    @property
    def yearly_cost(self) -> float:
        """Money one activity unit costs in each of its pay years (unit cost / pay_years)."""
        return self.unit_cost / self.pay_years

    @property
    def is_one_off(self) -> bool:
        """Whether its money is a one-off investment rather than part of a unit's running budget."""
        return self.integer if self.one_off is None else self.one_off

    @property
    def is_lumpy(self) -> bool:
        """Whether the initiative needs integer variables (whole units, set-up cost or minimum funding)."""
        return self.integer or self.setup_cost > 0 or self.min_funding > 0
