"""Lines (unit x initiative): the rules a line's money follows from year to year, commitments, locks and execution.

A *line* is one unit's money for one initiative. Its yearly changes are capped (policy ``lines`` defaults,
overridden per initiative or per line by a ``lines`` table); money already promised is a ``commitment`` the
plan pays first; a ``lock`` fixes a line's money in a year; last year's ``execution`` (planned vs actual
spending) lets lines that left money idle be cut faster (盘活存量).
"""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from .base import FrozenModel, Key, Money, OptionalNonNeg, Share, Tokens, Year


def _shares(value: object) -> object:
    """A phase-out schedule written in one cell (``0.7; 0.4; 0``) or as a list."""
    if value is None:
        return ()
    if isinstance(value, str):
        import re

        return tuple(t for t in re.split(r"[;,\s]+", value.strip()) if t)
    return value


class LinePolicy(FrozenModel):
    """Default rules for every line of recurrent money (a ``lines`` table overrides them per initiative or line)."""

    down_share: Share | None = Field(
        None,
        description="A line may fall by at most this share of last year's money (phase-out path); blank = no limit. "
        "With a limit a funded line never drops to nothing, so it cannot go on-off-on.",
    )
    up_share: OptionalNonNeg = Field(
        None, description="A line may rise by at most this share of last year's money (plus up_abs); blank = no cap."
    )
    up_abs: Money = Field(0.0, description="Absolute slack added to the rise cap (万元), so small lines can still grow.")
    start_abs: OptionalNonNeg = Field(
        None,
        description="A new line (no base money) may jump by this much in all beyond its rise cap, once over the plan (its start); "
        "blank = new lines are not capped.",
    )
    must_fund: Tokens = Field(
        (),
        description="Initiatives whose base lines carry out a task the policy names (ids, clause:<prefix>, group:<name>): each keeps "
        "at least must_fund_share of its base every year unless marked phase_out.",
    )
    must_fund_share: Share = Field(0.0, description="Floor of a must-fund line as a share of its base money.")
    reclaim_below: Share | None = Field(
        None,
        description="Execution rate (actual / planned spending last year) below which a line's idle money is reclaimed at once: its "
        "fall limit in the first year applies to what it spent, not to its budget; blank = no execution-based reclaim.",
    )


class LineRule(FrozenModel):
    """Rules for one line, or for every line of an initiative (unit ``all``), replacing the policy's defaults."""

    unit: Key = Field(description="Unit id, or all for every unit that runs the initiative.")
    initiative: Key = Field(description="Initiative id.")
    down_share: Share | None = Field(None, description="Fall limit of this line; blank = the policy's.")
    up_share: OptionalNonNeg = Field(None, description="Rise cap (share) of this line; blank = the policy's.")
    up_abs: OptionalNonNeg = Field(None, description="Absolute slack of the rise cap (万元); blank = the policy's.")
    start_abs: OptionalNonNeg = Field(None, description="One-time start allowance of a new line (万元); blank = the policy's.")
    phase_out: bool = Field(False, description="The line is phased out on its schedule and ends for good after it.")
    schedule: tuple[Share, ...] = Field(
        (),
        description="phase_out only: the least share of its base the line keeps in each plan year from the first (e.g. 0.6; 0.3); "
        "after the last entry the line gets nothing. Empty = it may end at once.",
    )
    must_fund: OptionalNonNeg = Field(None, description="Floor of this line every year (万元): it carries out a named policy task.")
    must_fund_share: Share | None = Field(None, description="Floor of this line as a share of its base money.")
    reason: str = Field("", description="Why: the clause of a must-fund line, the decision behind a phase-out; 假设 if assumed.")

    _schedule = field_validator("schedule", mode="before")(_shares)

    @model_validator(mode="after")
    def _consistent(self) -> LineRule:
        if self.schedule and not self.phase_out:
            raise ValueError("a schedule applies to phase_out lines only; set phase_out to true or drop the schedule")
        for a, b in zip(self.schedule, self.schedule[1:]):
            if b > a + 1e-12:
                raise ValueError(f"a phase-out schedule may not rise ({a:g} then {b:g})")
        if self.phase_out and (self.must_fund is not None or self.must_fund_share is not None):
            raise ValueError("a line cannot be both phase_out and must-fund")
        return self


class Commitment(FrozenModel):
    """Money already promised to a line in a year (enrolled cohorts, instalments, signed agreements): paid first."""

    unit: Key = Field(description="Unit id.")
    initiative: Key = Field(description="Initiative id.")
    year: Year = Field(description="Plan year the money is due.")
    amount: Money = Field(gt=0, description="Money due (万元); it buys nothing new (its output is already in the baselines).")
    reason: str = Field(min_length=1, description="What was promised: the cohort, the instalment, the agreement.")


class Lock(FrozenModel):
    """A line's money fixed in one year (as a spreadsheet user fixes a cell); the rest of the plan re-solves."""

    unit: Key = Field(description="Unit id.")
    initiative: Key = Field(description="Initiative id.")
    year: Year = Field(description="Plan year.")
    amount: Money = Field(description="Money of the line that year (万元), all pools and sources (or the one source named).")
    reason: str = Field("", description="Why it is fixed.")
    source: Key | None = Field(
        None, description="The source paying it: school (both pools) or a restricted source; blank = all sources together."
    )


class Execution(FrozenModel):
    """Last year's budget execution of a line: what it was given and what it spent (预算执行率 = actual / planned)."""

    unit: Key = Field(description="Unit id.")
    initiative: Key = Field(description="Initiative id.")
    year: Year = Field(description="The year before the plan (the base year).")
    planned: Money = Field(description="Money the line was given that year (万元).")
    actual: Money = Field(description="Money it actually spent (万元).")
    note: str = Field("", description="Where the figures come from; assumptions are marked 假设.")

    @property
    def rate(self) -> float | None:
        """Execution rate actual / planned (None without a plan)."""
        return self.actual / self.planned if self.planned > 0 else None
