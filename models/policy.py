"""Policy (政策参数): floors, caps, reserves and priorities that shape the plan and the scoring."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import FrozenModel, Grade, Money, OptionalNonNeg, OptionalYear, Share


class ChangeCap(FrozenModel):
    """Limits on how fast a unit's total allocation may change from one year to the next."""

    up_share: OptionalNonNeg = Field(
        None, description="Total may rise by at most this share of last year's total (plus up_abs); blank = no cap."
    )
    up_abs: Money = Field(0.0, description="Absolute allowance added to the rise cap, so units with a tiny base can still grow.")
    down_share: Share | None = Field(None, description="Total may fall by at most this share of last year's total; blank = no cap.")


class ScoringPolicy(FrozenModel):
    """How annual performance is scored, graded and rewarded (投入与产出考核, 绩效激励)."""

    completion_cap: float = Field(1.2, ge=1, le=5, description="Completion per indicator is capped at this multiple of the target.")
    weight_completion: Share = Field(0.5, description="Weight of completion in the composite score.")
    weight_efficiency: Share = Field(0.3, description="Weight of DEA efficiency in the composite score.")
    weight_cost_efficiency: Share = Field(0.2, description="Weight of cost-efficiency (output per 万元 vs the median) in the composite.")
    grading: Literal["thresholds", "forced"] = Field("thresholds", description="Grades by score thresholds or by a forced distribution.")
    thresholds: dict[Grade, Share] = Field(
        default_factory=lambda: {"A": 0.85, "B": 0.70, "C": 0.55, "D": 0.0},
        description="Minimum composite score for each grade (thresholds grading).",
    )
    distribution: dict[Grade, Share] = Field(
        default_factory=lambda: {"A": 0.2, "B": 0.4, "C": 0.3, "D": 0.1},
        description="Share of units in each grade (forced grading), best first.",
    )
    cost_efficiency_cap: float = Field(
        2.0, gt=0, description="Cost-efficiency (1 = school median) that earns the full cost-efficiency score; the median earns 1/cap."
    )
    dea_model: Literal["ccr", "bcc"] = Field("bcc", description="DEA model used in the composite.")
    dea_outputs: Literal["dimension", "indicator"] = Field(
        "dimension",
        description="DEA outputs: one per policy dimension (weighted normalized output; keeps the DEA discriminating "
        "with few units) or one per indicator.",
    )
    dea_orientation: Literal["input", "output"] = Field("output", description="DEA orientation used in the composite.")
    dea_faculty_input: bool = Field(False, description="Use full-time faculty as a second DEA input besides money.")
    incentive_pool: Money = Field(0.0, description="Performance-incentive pool to split each year (万元).")
    award_threshold: Share = Field(0.55, description="Only the score above this threshold earns a share of the pool.")
    award_cap: OptionalNonNeg = Field(None, description="At most this much award per unit (万元); blank = no cap.")
    award_floor: Money = Field(0.0, description="Every unit above the threshold receives at least this much (万元).")

    @model_validator(mode="after")
    def _grades_complete(self) -> ScoringPolicy:
        for name in ("thresholds", "distribution"):
            table = getattr(self, name)
            if set(table) != {"A", "B", "C", "D"}:
                raise ValueError(f"{name} must give all four grades A, B, C, D")
        if abs(sum(self.distribution.values()) - 1) > 1e-9:
            raise ValueError("distribution shares must add up to 1")
        if self.award_cap is not None and self.award_cap < self.award_floor:
            raise ValueError(f"award_cap {self.award_cap:g} is below award_floor {self.award_floor:g}")
        return self


class Policy(FrozenModel):
    """Money rules of the plan: stock floors by grade, change caps, reserves and priority settings."""

    floors: dict[Grade, Share] = Field(
        default_factory=lambda: {"A": 1.0, "B": 0.98, "C": 0.95, "D": 0.90},
        description="Share of its stock a unit keeps each year, by last performance grade (盘活存量: the rest may be reclaimed).",
    )
    default_grade: Grade = Field("B", description="Grade of units with none given.")
    floor_basis: Literal["previous_year", "base_year"] = Field(
        "previous_year", description="Floors apply to last year's stock of the unit (compounding) or to the base year's."
    )
    change_cap: ChangeCap = Field(default_factory=ChangeCap, description="Caps on year-over-year change of a unit's total.")
    missing_reserve_share: Share = Field(
        0.0,
        description="Share of each year's increment earmarked for initiatives that move missing indicators "
        "(the rest of the plan may use at most 1 - share of it; unabsorbed earmarked money stays unused).",
    )
    missing_reserve_until: OptionalYear = Field(
        None, description="Last year the earmark for missing indicators applies; blank = the last clear-by year of a missing indicator."
    )
    milestone_weight: Share = Field(0.2, description="Share of an indicator's weight earned on its yearly milestones.")
    beyond_target_credit: float = Field(
        0.01, ge=0, le=0.5, description="Credit per unit of normalized progress beyond the target (keeps surplus output valued)."
    )
    unit_floor_overrides: dict[str, Share] = Field(
        default_factory=dict,
        description="Per-unit stock floors that replace the grade floor (set by a performance score run: unit -> share).",
    )
    scoring: ScoringPolicy = Field(default_factory=ScoringPolicy, description="Annual performance scoring settings.")

    @model_validator(mode="after")
    def _floors_complete(self) -> Policy:
        missing = {"A", "B", "C", "D"} - set(self.floors)
        if missing:
            raise ValueError(f"floors must give a share for every grade; missing {sorted(missing)}")
        return self
