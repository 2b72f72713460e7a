"""A rolling re-plan: which years are already spent (locked), what was measured in them, and where the policy ends."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import FrozenModel, Key, Year


class MeasuredValue(FrozenModel):
    """What a unit delivered of an indicator in a past year, as measured (its actual output).

    The school's measured output of the year is the sum over units (a unit not listed delivered nothing); it replaces
    the model's output and exogenous change of that year (docs/formulation.md, measured_value).
    """

    indicator: Key = Field(description="Indicator id.")
    year: Year = Field(description="Past year the output was delivered in.")
    value: float = Field(ge=0, allow_inf_nan=False, description="Output delivered that year, in the indicator's count (people, items).")
    unit: Key = Field(description="Unit id.")


class Rolling(FrozenModel):
    """Years before ``from_year`` are past: their money is locked (locks table), their measured outputs replace the model's.

    ``policy_end`` is the policy's last year when the horizon was extended (``--until``): every year after it holds
    each indicator's target as a sustain target. ``basis`` says what the past years were locked to: the actual
    spending (``actual``) or the plan a score was made against (``plan``, for ``--performance``).
    """

    from_year: Year | None = Field(None, description="First re-planned year; every earlier plan year is past (locked).")
    basis: Literal["actual", "plan"] = Field("actual", description="What past years' money is locked to.")
    measured: tuple[MeasuredValue, ...] = Field((), description="Measured outputs of past years.")
    policy_end: Year | None = Field(None, description="The policy's last year when the horizon runs past it (--until).")
    source: str = Field("", description="Where the past years come from (an actuals folder or a score run).")

    @model_validator(mode="after")
    def _measured_in_past(self) -> Rolling:
        for n, m in enumerate(self.measured):
            if self.from_year is None or m.year >= self.from_year:
                raise ValueError(f"measured[{n}]: year {m.year} is not before the first re-planned year {self.from_year}")
        return self

    def is_past(self, year: int) -> bool:
        """Whether a plan year is already spent (locked)."""
        return self.from_year is not None and year < self.from_year

    def is_sustain(self, year: int) -> bool:
        """Whether a plan year lies past the policy's last year (targets held as sustain targets)."""
        return self.policy_end is not None and year > self.policy_end
