"""Annual performance scoring: the records read (actual outputs, spending, targets) and the scores produced."""

from __future__ import annotations

from pydantic import Field

from .base import FrozenModel, Key, Money, NonNegative, Year


class ActualOutput(FrozenModel):
    """What a unit achieved on one indicator in one year (the same measure as its planned yearly output)."""

    unit: Key = Field(description="Unit id.")
    indicator: Key = Field(description="Indicator id.")
    year: Year = Field(description="Year assessed.")
    value: NonNegative = Field(description="Achieved output in the indicator's own unit.")


class ActualSpending(FrozenModel):
    """Money a unit actually spent on one initiative in one year."""

    unit: Key = Field(description="Unit id.")
    initiative: Key = Field(description="Initiative id.")
    year: Year = Field(description="Year assessed.")
    amount: Money = Field(description="Money spent (万元).")


class UnitTarget(FrozenModel):
    """A unit's assigned target on one indicator in one year (from a plan run or a targets table)."""

    unit: Key = Field(description="Unit id.")
    indicator: Key = Field(description="Indicator id.")
    year: Year = Field(description="Year assessed.")
    target: NonNegative = Field(description="Assigned output.")


class UnitScore(FrozenModel):
    """Every score of one unit in one year, its grade and award."""

    unit: str
    year: int
    spending: float
    completion: float | None = Field(
        description="Weighted, capped actual/target over the unit's assigned indicators; None without targets."
    )
    output_index: float = Field(description="Weighted share of the school's output (each indicator normalized by the school total).")
    cost_efficiency: float | None = Field(description="Output index per 万元 relative to the school median (1 = median).")
    cost_efficiency_score: float | None = Field(description="cost_efficiency mapped to [0, 1] (capped at the policy's cap).")
    dea_efficiency: float | None = Field(description="DEA efficiency in (0, 1] (output orientation: 1/phi).")
    composite: float | None = Field(
        description="Weighted mean of the components present (completion is capped at the policy's completion_cap, so the "
        "composite can exceed 1); None when the unit is not assessed."
    )
    rank: int | None = Field(description="1 = best among the units assessed that year; None when not assessed.")
    grade: str = Field(description="A-D, or '-' for a unit with no output due that year (not assessed).")
    award: float = 0.0
    status: str = "ok"


class Award(FrozenModel):
    """One unit's share of the incentive pool."""

    unit: str
    year: int
    composite: float | None
    grade: str
    merit: float = Field(description="Composite above the award threshold (0 below it).")
    award: float = Field(description="Money awarded (万元), rounded to the fen (0.000001 万元).")
    limited_by: str = Field("", description="cap or floor when a limit decided the amount.")


class NextFloor(FrozenModel):
    """Next year's stock floor of a unit, set by its grade (盘活存量)."""

    unit: str
    year: int = Field(description="The year scored whose grade sets the floor (the floor applies the year after).")
    grade: str
    floor_share: float
    stock_basis: float = Field(description="The unit's stock this year (planned stock allocation, else its base).")
    floor_amount: float = Field(description="Money the unit keeps at least next year: floor_share x stock_basis.")
    may_reclaim: float = Field(description="Money that may be reclaimed from the unit next year.")
