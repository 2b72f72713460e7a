"""Money: the school's stock and increment pools per year and other funding sources with use restrictions."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import FrozenModel, Money, Share, Tokens, Year

Pool = Literal["stock", "increment"]
"""``stock`` (存量): last year's base allocations, reclaimable within floors; ``increment`` (增量): new money."""

DEFAULT_SOURCE = "school"
"""The school's own money (the ``budget`` block); eligible for every unit and initiative."""


class Budget(FrozenModel):
    """The school's own money per year, split into the stock and the increment pool."""

    stock: dict[Year, Money] = Field(description="Stock pool per year (year -> money): the sum of base allocations that may be re-split.")
    increment: dict[Year, Money] = Field(description="Increment pool per year (year -> money): new money.")

    @model_validator(mode="after")
    def _same_years(self) -> Budget:
        if set(self.stock) != set(self.increment):
            raise ValueError(
                f"stock years {sorted(self.stock)} and increment years {sorted(self.increment)} differ; give both for every year"
            )
        return self


class Source(FrozenModel):
    """A restricted funding source (e.g. discipline-construction money) with its own amount and eligibility rules."""

    name_zh: str = Field(min_length=1, description="Chinese name, e.g. 学科建设经费.")
    name_en: str = Field("", description="English name.")
    pool: Pool = Field(description="Which pool the money counts in (stock or increment).")
    amount: dict[Year, Money] = Field(description="Money available per year (year -> money).")
    units: Tokens = Field(("all",), description="Eligible units: all, colleges, departments, top_peak, or unit ids.")
    initiatives: Tokens = Field(("all",), description="Eligible initiatives: all, clause:<prefix>, group:<name>, or initiative ids.")
    min_unit_share: Share = Field(0.0, description="Each eligible unit receives at least this share of the year's amount.")
    max_unit_share: Share = Field(1.0, description="No unit receives more than this share of the year's amount.")
    note: str = Field("", description="Where the amounts come from; assumptions are marked 假设/assumption.")

    @model_validator(mode="after")
    def _shares(self) -> Source:
        if self.min_unit_share > self.max_unit_share:
            raise ValueError(f"min_unit_share {self.min_unit_share:g} exceeds max_unit_share {self.max_unit_share:g}")
        return self
