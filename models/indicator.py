"""Indicators (指标): what the policy measures, its baseline, target and how progress accrues."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import FrozenModel, NonNegative, OptionalNonNeg, OptionalPriority, OptionalYear, Share, Tokens, Year

IndicatorKind = Literal["cumulative_new", "level", "ratio", "annual_rate", "per_unit_min", "breakthrough"]
"""How an indicator's value is formed from the outputs of funded initiatives.

* ``cumulative_new`` -- a count added since the plan started (新增): baseline + all outputs so far.
* ``level`` -- a stock such as enrolled international students: last year's stock, less ``decay``, plus outputs.
* ``ratio`` -- a stock (as for ``level``) divided by a known ``denominator``; written as a fraction (0.05 = 5%).
* ``annual_rate`` -- a flow per year (人次/年): this year's outputs plus ``exogenous``; nothing carries over.
* ``per_unit_min`` -- every qualifying unit must reach ``target`` on its own; the value is the weakest unit's.
* ``breakthrough`` -- 0 -> at least 1 (a landmark result such as a first joint institute).
"""

Dimension = Literal[
    "education_quality",  # 国际办学有品质
    "people_scale",  # 国际师生有规模
    "research",  # 国际科研有作为
    "platforms",  # 国际平台有特色
    "organizations",  # 国际组织有任职
    "conferences",  # 国际会议有声音
    "competitions",  # 国际大赛有名次
]
"""The seven "有" dimensions of the policy's overall goal (一、总体目标)."""

DIMENSION_ZH: dict[str, str] = {
    "education_quality": "国际办学有品质",
    "people_scale": "国际师生有规模",
    "research": "国际科研有作为",
    "platforms": "国际平台有特色",
    "organizations": "国际组织有任职",
    "conferences": "国际会议有声音",
    "competitions": "国际大赛有名次",
}

STOCK_KINDS = frozenset({"level", "ratio"})
COUNT_KINDS = frozenset({"cumulative_new", "breakthrough", "per_unit_min"})


class Indicator(FrozenModel):
    """One quantitative target of the policy, with where it starts and how it is measured."""

    name_zh: str = Field(min_length=1, description="Chinese name as the policy writes it.")
    name_en: str = Field("", description="English name.")
    unit_label: str = Field("", description="Unit of measure shown to users, e.g. 人, 门, 个, 人次/年, %.")
    kind: IndicatorKind = Field(description="How the value is formed; see IndicatorKind.")
    baseline: NonNegative = Field(
        0.0,
        description="Value at the end of the base year (the year before the plan starts), measured as the target is; "
        "ratios as fractions; for per_unit_min the current value of every qualifying unit.",
    )
    target: NonNegative = Field(description="Value to reach by target_year (ratios as fractions, 0.05 = 5%).")
    target_year: Year = Field(description="Year by which the target is to be reached.")
    weight: NonNegative = Field(
        1.0, description="Relative weight of this indicator at its priority level (its progress; its gap too, if missing)."
    )
    priority: OptionalPriority = Field(
        None,
        description="Priority level of this indicator's progress (1 = first); blank = policy.progress_priority. "
        "A missing indicator's gap is cleared at policy.missing_priority whatever its priority.",
    )
    dimension: Dimension = Field(description="Which of the policy's seven dimensions the indicator serves.")
    clause: str = Field("", description="Policy clause that sets the target, e.g. 三(一)1.")
    departments: Tokens = Field(
        (),
        description="Responsible departments (责任部门): unit ids or names, separated by ; or 、 in a cell; the first named "
        "leads (牵头单位) and is scored on the school's totals of the indicator, the others support (配合单位).",
    )
    landmark: bool = Field(False, description="A landmark breakthrough the policy flags (标志性成果).")
    missing: bool | None = Field(
        None,
        description="Missing indicator (缺项指标): nothing exists today. Blank = decided by kind: breakthrough always, "
        "other kinds when baseline is 0 and target > 0, except cumulative_new (a count of additions, always 0 at "
        "the start), which must be declared missing explicitly.",
    )
    clear_by: OptionalYear = Field(None, description="Year by which a missing indicator must be cleared; blank = target_year.")
    clear_level: OptionalNonNeg = Field(
        None,
        description="Value that counts as cleared (the first unit); blank = 1 for counts, the target for "
        "breakthrough and per_unit_min, one person over the denominator for ratios.",
    )
    milestones: dict[Year, NonNegative] = Field(
        default_factory=dict, description="Optional intermediate values to reach by given years (year -> value)."
    )
    decay: Share = Field(0.0, description="level/ratio only: share of last year's stock lost each year (graduations, departures).")
    exogenous: float = Field(
        0.0,
        allow_inf_nan=False,
        description="Change per year that happens without this budget (for annual_rate: the flow funded elsewhere).",
    )
    denominator: OptionalNonNeg = Field(None, description="ratio only: the known denominator (e.g. full-time faculty, 2486).")
    qualifying: Tokens = Field((), description="per_unit_min only: which units must each reach the target (a unit selector).")
    note: str = Field("", description="Source of the numbers; every value the policy does not give is marked 假设/assumption here.")

    @model_validator(mode="after")
    def _check_kind_fields(self) -> Indicator:
        k = self.kind
        if k == "ratio":
            if not self.denominator:
                raise ValueError("a ratio indicator needs a positive denominator (e.g. full-time faculty)")
            if self.target > 1 or self.baseline > 1:
                raise ValueError("ratio baseline and target are fractions: write 0.05 for 5%")
        elif self.denominator is not None:
            raise ValueError(f"denominator applies to ratio indicators only, not {k}")
        if k == "per_unit_min" and not self.qualifying:
            raise ValueError("a per_unit_min indicator needs 'qualifying' (which units must each reach the target)")
        if k != "per_unit_min" and self.qualifying:
            raise ValueError(f"qualifying applies to per_unit_min indicators only, not {k}")
        if k not in STOCK_KINDS and self.decay:
            raise ValueError(f"decay applies to level and ratio indicators only, not {k}")
        if k == "breakthrough" and (self.baseline != 0 or self.target < 1):
            raise ValueError("a breakthrough goes from baseline 0 to a target of at least 1")
        if k in COUNT_KINDS and self.target < self.baseline:
            raise ValueError(f"target {self.target:g} is below baseline {self.baseline:g} for a {k} indicator")
        if self.missing and (self.baseline != 0 or self.target <= 0):
            raise ValueError("an indicator declared missing must have baseline 0 and a positive target")
        if self.clear_by is not None and self.clear_by > self.target_year:
            raise ValueError(f"clear_by {self.clear_by} is after target_year {self.target_year}")
        for year in self.milestones:
            if year > self.target_year:
                raise ValueError(f"milestone year {year} is after target_year {self.target_year}")
        return self

    @property
    def is_missing(self) -> bool:
        """Whether this is a missing indicator (缺项), which stage 1 clears first."""
        if self.missing is not None:
            return self.missing
        if self.kind == "breakthrough":
            return True
        return self.kind != "cumulative_new" and self.baseline == 0 and self.target > 0

    @property
    def clear_year(self) -> int:
        """Year by which a missing indicator is to be cleared."""
        return self.clear_by if self.clear_by is not None else self.target_year

    @property
    def clear_value(self) -> float:
        """Value that counts as cleared: the first unit of the indicator."""
        if self.clear_level is not None:
            return self.clear_level
        if self.kind in ("breakthrough", "per_unit_min"):
            return self.target
        if self.kind == "ratio":
            return min(self.target, 1.0 / self.denominator) if self.denominator else self.target
        return min(self.target, 1.0)

    @property
    def progress_origin(self) -> float:
        """Where normalized progress starts: the baseline, or 0 for a target that only sustains today's level."""
        return self.baseline if self.target > self.baseline else 0.0

    @property
    def progress_span(self) -> float:
        """Denominator of normalized progress (target minus origin); never zero for a positive target."""
        return max(self.target - self.progress_origin, 1e-9)
