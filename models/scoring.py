"""Annual performance scoring: the records read (actual outputs, spending, targets, plan, standards) and the scores produced."""

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
    """Money a unit actually spent on one initiative (one line) in one year."""

    unit: Key = Field(description="Unit id.")
    initiative: Key = Field(description="Initiative id.")
    year: Year = Field(description="Year assessed.")
    amount: Money = Field(description="Money spent (万元).")


class PlannedSpending(FrozenModel):
    """Money the plan gave a unit for one initiative (one line) in one year: the budget execution is measured against."""

    unit: Key = Field(description="Unit id.")
    initiative: Key = Field(description="Initiative id.")
    year: Year = Field(description="Budget year.")
    amount: Money = Field(description="Planned money (万元).")


class UnitTarget(FrozenModel):
    """A unit's assigned target on one indicator in one year (from a plan's task decomposition or a targets table)."""

    unit: Key = Field(description="Unit id.")
    indicator: Key = Field(description="Indicator id.")
    year: Year = Field(description="Year assessed.")
    target: NonNegative = Field(description="Assigned output.")


class Standard(FrozenModel):
    """A standard cost (开支标准/定额) per unit of an indicator's output, replacing the one implied by the initiatives' unit costs."""

    indicator: Key = Field(description="Indicator id.")
    unit: Key | None = Field(None, description="Unit id; blank = every unit.")
    standard: float = Field(gt=0, allow_inf_nan=False, description="万元 per unit of output (per student, per course, ...).")


class TaskRow(FrozenModel):
    """One line of the task decomposition (任务分解表): a unit's whole-number target on an indicator in a year, and its money."""

    indicator: str
    year: int
    unit: str
    role: str = Field(description="lead (牵头单位), support (配合单位), college, or department (a department not named on it).")
    target: int = Field(description="Whole-number target; the rows of an indicator and year add up to school_target.")
    planned_output: float = Field(description="The plan's exact output of this unit (the lead also carries output funded elsewhere).")
    money: float = Field(
        description="Planned money of the unit's lines attached to this indicator in this year (万元, to 0.01 万元 as allocation.csv)."
    )
    school_target: int = Field(description="The school's whole-number target of this indicator in this year.")


class LineExecution(FrozenModel):
    """预算执行率 of one line: actual spending against planned money."""

    unit: str
    initiative: str
    year: int
    planned: float
    spending: float
    execution_rate: float | None = Field(description="spending / planned; blank when nothing was planned.")


class UnitCost(FrozenModel):
    """Cost per unit of output against the standard, for one unit, indicator and year."""

    unit: str
    indicator: str
    year: int
    spending: float = Field(description="Money whose output is due this year, on the unit's lines that feed the indicator (万元).")
    output: float = Field(description="Actual output of the unit on the indicator in the year.")
    unit_cost: float | None = Field(description="spending / output (万元 per unit of output); blank when nothing was delivered.")
    standard: float = Field(description="Standard cost (万元 per unit of output) of what the money was spent on.")
    ratio: float | None = Field(description="unit_cost / standard (1 = at standard, above 1 = dearer); blank without output.")
    counted: bool = Field(description="Whether this row enters the unit's unit-cost part (a department's: indicators it leads).")
    explanation: str = ""


class PartScore(FrozenModel):
    """One named part of a unit's 100-point score, explained in native units."""

    unit: str
    year: int
    track: str
    part: str
    weight: float
    max_points: float = Field(description="Points the part is worth for this unit (its weight scaled over the parts that apply).")
    score: float = Field(description="Share of the part earned, 0-1.")
    points: float
    explanation: str


class UnitScore(FrozenModel):
    """A unit's 100-point score in one year, its rank within its track, rating, award and the measures behind them."""

    unit: str
    unit_name: str = ""
    year: int
    track: str = Field(description="college or department: units are ranked and rewarded within their track.")
    held_to: str = Field(
        "",
        description="What the unit is assessed on: own (a college's own targets), leads / supports (a department: the school's "
        "totals of the indicators it leads, else of those it supports), none (a department named on no indicator).",
    )
    rank: int | None = Field(description="1 = best in its track that year; None when not assessed.")
    points: float | None = Field(description="0-100: the weighted parts that apply plus any landmark bonus, at most 100.")
    rating: str = Field(description="优/良/中/差 (or '-' when not assessed).")
    grade: str = Field(description="A-D: the rating's id, used by next year's floors.")
    completion: float | None = Field(description="Weighted actual/target over the assessed indicators, at most 1.")
    execution_rate: float | None = Field(description="预算执行率: actual spending / planned money of the unit's lines.")
    unit_cost_score: float | None = Field(description="Weighted min(1, standard / unit cost) over the unit's counted indicators.")
    timeliness: float | None = Field(description="Share of the assessed tasks of the year met in full.")
    points_completion: float | None = None
    points_execution: float | None = None
    points_unit_cost: float | None = None
    points_timeliness: float | None = None
    points_dea: float | None = None
    points_landmark: float = 0.0
    planned: float | None = Field(description="Planned money of the year (万元).")
    spending: float = Field(description="Actual spending of the year (万元).")
    dea_efficiency: float | None = Field(description="DEA efficiency within the track (annex; a part only when weighted).")
    award: float = 0.0
    status: str = "ok"
    explanation: str = ""


class Award(FrozenModel):
    """One unit's share of its track's part of the incentive pool."""

    unit: str
    year: int
    track: str
    points: float | None
    grade: str
    merit: float = Field(description="Points above the award threshold (0 below it).")
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
