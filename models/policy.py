"""Policy (政策参数): floors, caps, reserves and priorities that shape the plan and the scoring."""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, model_validator

from .base import FrozenModel, Grade, Money, NonNegative, OptionalNonNeg, OptionalYear, Priority, Share, Year
from .lines import LinePolicy


class ChangeCap(FrozenModel):
    """Limits on how fast a unit's total allocation may change from one year to the next."""

    up_share: OptionalNonNeg = Field(
        None, description="Total may rise by at most this share of last year's total (plus up_abs); blank = no cap."
    )
    up_abs: Money = Field(0.0, description="Absolute allowance added to the rise cap, so units with a tiny base can still grow.")
    down_share: Share | None = Field(None, description="Total may fall by at most this share of last year's total; blank = no cap.")


SCORE_PARTS = ("completion", "execution", "unit_cost", "timeliness", "dea")
"""The named parts of the 100-point score, in the order they are shown."""

ScorePart = Literal["completion", "execution", "unit_cost", "timeliness", "dea"]
Track = Literal["college", "department"]
RATINGS = {"A": "优", "B": "良", "C": "中", "D": "差"}
"""Rating names (优/良/中/差) of the grade ids A-D."""


class ScoringPolicy(FrozenModel):
    """How annual performance is scored (100 points from named parts), rated and rewarded (投入与产出考核, 绩效激励)."""

    weights: dict[ScorePart, NonNegative] = Field(
        default_factory=lambda: {"completion": 50.0, "execution": 20.0, "unit_cost": 20.0, "timeliness": 10.0, "dea": 0.0},
        description="Weight of each part of the 100-point score: completion (output targets), execution (预算执行率), "
        "unit_cost (cost per output against the standard), timeliness (tasks met in full in their year), dea (DEA "
        "efficiency; 0 = annex only). A part left out weighs 0; parts that do not apply to a unit are left out and "
        "the others scaled to 100.",
    )
    completion_cap: float = Field(
        1.0,
        ge=1,
        le=5,
        description="Completion per indicator counts up to this multiple of its target (the part never exceeds 100%).",
    )
    grading: Literal["thresholds", "forced"] = Field(
        "thresholds", description="Ratings by points thresholds or by a forced distribution (within each track)."
    )
    thresholds: dict[Grade, NonNegative] = Field(
        default_factory=lambda: {"A": 90.0, "B": 80.0, "C": 60.0, "D": 0.0},
        description="Minimum points (out of 100) for each rating: A 优, B 良, C 中, D 差 (thresholds grading).",
    )
    distribution: dict[Grade, Share] = Field(
        default_factory=lambda: {"A": 0.2, "B": 0.4, "C": 0.3, "D": 0.1},
        description="Share of units in each rating within a track (forced grading), best first.",
    )
    track_shares: dict[Track, Share] = Field(
        default_factory=lambda: {"college": 0.7, "department": 0.3},
        description="Share of the incentive pool for each track (colleges, functional departments); must add up to 1.",
    )
    landmark_bonus: NonNegative = Field(
        5.0,
        le=100,
        description="Points added for each landmark indicator (标志性成果) a unit delivers in the year; the total stays at most 100.",
    )
    dea_model: Literal["ccr", "bcc"] = Field("bcc", description="DEA model of the annex (and of the dea part when weighted).")
    dea_outputs: Literal["dimension", "indicator"] = Field(
        "dimension",
        description="DEA outputs: one per policy dimension (weighted normalized output; keeps the DEA discriminating "
        "with few units) or one per indicator.",
    )
    dea_orientation: Literal["input", "output"] = Field("output", description="DEA orientation.")
    dea_faculty_input: bool = Field(False, description="Use full-time faculty as a second DEA input besides money.")
    incentive_pool: Money = Field(0.0, description="Performance-incentive pool to split each year (万元), shared between tracks.")
    award_threshold: NonNegative = Field(60.0, le=100, description="Only the points above this threshold earn a share of the pool.")
    award_cap: OptionalNonNeg = Field(None, description="At most this much award per unit (万元); blank = no cap.")
    award_floor: Money = Field(0.0, description="Every unit above the threshold receives at least this much (万元).")

    @model_validator(mode="after")
    def _grades_complete(self) -> ScoringPolicy:
        for name in ("thresholds", "distribution"):
            table = getattr(self, name)
            if set(table) != {"A", "B", "C", "D"}:
                raise ValueError(f"{name} must give all four grades A, B, C, D")
        return self

    @model_validator(mode="after")
    def _consistent(self) -> ScoringPolicy:
        if sum(self.weights.values()) <= 0:
            raise ValueError(f"weights must not all be zero (got {_shown(self.weights)}): a score needs at least one weighted part")
        t = self.thresholds
        if not t["A"] > t["B"] > t["C"] > t["D"]:
            raise ValueError(f"thresholds must fall from A (优) to D (差), each above the next; got {_shown(t)}")
        if t["A"] > 100:
            raise ValueError(f"thresholds are points out of 100; A {t['A']:g} can never be reached")
        if t["A"] <= 1:
            raise ValueError(f"thresholds are points out of 100 (e.g. A 90, B 80, C 60, D 0), not fractions; got {_shown(t)}")
        if 0 < self.award_threshold < 1:
            raise ValueError(f"award_threshold is in points out of 100 (e.g. 60), not a fraction; got {self.award_threshold:g}")
        if abs(sum(self.distribution.values()) - 1) > 1e-9:
            raise ValueError("distribution shares must add up to 1")
        if set(self.track_shares) != {"college", "department"} or abs(sum(self.track_shares.values()) - 1) > 1e-9:
            raise ValueError(f"track_shares must give college and department shares adding up to 1; got {_shown(self.track_shares)}")
        if self.award_cap is not None and self.award_cap < self.award_floor:
            raise ValueError(f"award_cap {self.award_cap:g} is below award_floor {self.award_floor:g}")
        return self


class PerformanceMoney(FrozenModel):
    """Performance-linked money (绩效资金): a share of each year's increment split to units by a factor formula.

    Each unit's recommendation is its points times its size; the money is split with a stop-loss against
    the unit's performance money of the year before and pro-rated when short (``allocator.split``), exact to
    the fen. A unit spends it on its own lines, on top of its protected stock (row ``performance_money``).
    """

    share: Share = Field(0.0, description="Share of each year's increment that is performance money; 0 = none.")
    size: Literal["base", "full_time_faculty"] = Field(
        "base", description="Size factor of a unit: its base money (base) or its full-time faculty (full_time_faculty)."
    )
    stop_loss: Share = Field(
        1.0,
        description="No unit's performance money falls more than this share below its amount the year before "
        "(0 = hold harmless, 1 = no protection); pro-rated when the money cannot cover every protected amount.",
    )
    change_caps: dict[Grade, ChangeCap] = Field(
        default_factory=dict,
        description="Rise caps of a unit's recurrent money (its performance money left out) by its grade, replacing "
        "policy.change_cap for units of that grade; grades not listed keep policy.change_cap.",
    )
    points: dict[str, float] = Field(
        default_factory=dict,
        description="Each unit's points (0-100) of the graded year, set by plan --performance from a score run; empty = "
        "no grades known: the money is split by size alone.",
    )
    graded_year: OptionalYear = Field(
        None, description="The year the points are of; they split the money of every later year (years up to it: by size alone)."
    )
    follow: dict[Grade, Literal["at_least", "at_most"]] = Field(
        default_factory=lambda: {"A": "at_least", "D": "at_most"},
        description="After the graded year, a unit of a listed grade gets at least (at_least) or at most (at_most) its money "
        "in the plan before grades (reference) plus the change in its performance money; other grades are free.",
    )
    reference: dict[str, dict[Year, Money]] = Field(
        default_factory=dict,
        description="Each unit's money per year in the plan before grades (set by plan --performance); empty = no follow rows.",
    )

    @model_validator(mode="after")
    def _points_in_range(self) -> PerformanceMoney:
        bad = {u: p for u, p in self.points.items() if not (math.isfinite(p) and 0 <= p <= 100)}
        if bad:
            raise ValueError(f"points are out of 100 (0-100); got {_shown(bad)}")
        if self.points and self.graded_year is None:
            raise ValueError("points need the graded_year they are of")
        return self


def _shown(table: dict) -> str:
    return ", ".join(f"{k} {v:g}" for k, v in table.items())


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
        description="Share of each year's increment earmarked for initiatives that move missing indicators: at least this much "
        "of it goes to them while a missing indicator is not yet secured (as much as they can take), then the earmark ends.",
    )
    missing_reserve_until: OptionalYear = Field(
        None, description="Last year the earmark may apply in any case; blank = until every missing indicator is secured."
    )
    lines: LinePolicy = Field(default_factory=LinePolicy, description="Default rules of every line (unit x initiative) of recurrent money.")
    pipeline_share: Share = Field(
        0.0,
        description="Horizon end: money in the last year to repeatable initiatives with a lead time is at least this share of their "
        "yearly average before it, so the pipeline still feeds the next plan; 0 = no requirement.",
    )
    missing_priority: Priority = Field(1, description="Priority level at which missing indicators are cleared (清零缺项).")
    progress_priority: Priority = Field(
        2, description="Priority level of the weighted progress of every indicator without a priority of its own."
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
    performance_money: PerformanceMoney = Field(
        default_factory=PerformanceMoney, description="Performance-linked money (绩效资金): share of the increment, size factor, stop-loss."
    )

    @model_validator(mode="after")
    def _floors_complete(self) -> Policy:
        missing = {"A", "B", "C", "D"} - set(self.floors)
        if missing:
            raise ValueError(f"floors must give a share for every grade; missing {sorted(missing)}")
        if self.missing_priority == self.progress_priority:
            raise ValueError(
                f"missing_priority and progress_priority are both {self.missing_priority}: "
                "clearing gaps and weighted progress are separate levels"
            )
        return self
