"""Units (单位): colleges and functional departments that receive money and produce outputs."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import FrozenModel, Grade, Key, Money, NonNegative

UnitType = Literal["college", "department"]


class Unit(FrozenModel):
    """A college (学院) or functional department with last year's base allocation per initiative."""

    name_zh: str = Field(min_length=1, description="Chinese name.")
    name_en: str = Field("", description="English name.")
    type: UnitType = Field(description="college (学院) or department (职能部门).")
    top_peak: bool = Field(False, description="Hosts a top-peak discipline (一流高峰学科).")
    university: str = Field(
        "",
        description="In a provincial plan, the university the unit belongs to (selector university:NAME); blank in a school's own plan.",
    )
    full_time_faculty: NonNegative = Field(0.0, description="Full-time faculty (专任教师), persons.")
    grade: Grade | None = Field(None, description="Last performance grade (A-D); blank = the policy's default grade.")
    base: dict[Key, Money] = Field(
        default_factory=dict,
        description="Last year's base allocation per initiative (initiative -> money): this unit's share of the stock.",
    )
    note: str = Field("", description="Where the figures come from; assumptions are marked 假设/assumption.")

    @property
    def base_total(self) -> float:
        """Sum of last year's base allocations."""
        return float(sum(self.base.values()))
