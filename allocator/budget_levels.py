"""The budget levels of a sweep: a range typed on the command line, checked, and the funds in scope scaled to it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from models import Scenario

from .errors import OverrideError
from .limits import MAX_MAGNITUDE, MAX_SWEEP_FACTOR, MAX_SWEEP_LEVELS

Scope = Literal["increment", "stock", "total"]


def check_levels(levels: Sequence[float], option: str, *, budget: bool = True) -> None:
    """Refuse sweep levels that are not finite, too many, or (for budget factors) beyond the stated limit."""
    if len(levels) > MAX_SWEEP_LEVELS:
        raise OverrideError(f"{option}: {len(levels):,} levels; a sweep is limited to {MAX_SWEEP_LEVELS:,} (each is a solve)")
    limit = MAX_SWEEP_FACTOR if budget else MAX_MAGNITUDE
    for lv in levels:
        if not math.isfinite(lv):
            raise OverrideError(f"{option}: level {lv} is not a finite number")
        if abs(lv) > limit:
            raise OverrideError(f"{option}: level {lv:g} is beyond the limit of {limit:g}")


def parse_range(text: str, option: str, *, budget: bool = True) -> list[float]:
    """``START:STOP:STEP`` (stop included) or a comma list; errors name the option.

    The number of levels is counted before any is built, so ``0:1:1e-9`` is refused at once.
    """
    try:
        if ":" in text:
            start, stop, step = (float(p) for p in text.split(":"))
            if not all(math.isfinite(v) for v in (start, stop, step)):
                raise ValueError("start, stop and step must be finite numbers")
            if step <= 0:
                raise ValueError("step must be positive")
            if stop < start:
                raise ValueError("stop is below start")
            n = math.floor((stop - start) / step + 1e-9)
            if n + 1 > MAX_SWEEP_LEVELS:
                raise OverrideError(f"{option} {text}: {n + 1:,} levels; a sweep is limited to {MAX_SWEEP_LEVELS:,} (each is a solve)")
            levels = [round(start + k * step, 10) for k in range(n + 1)]
        else:
            levels = [float(p) for p in text.split(",") if p.strip()]
    except ValueError as exc:
        raise OverrideError(f"{option} {text}: expected START:STOP:STEP (e.g. 0.5:1.5:0.1) or a comma list ({exc})") from None
    if not levels:
        raise OverrideError(f"{option} {text}: no levels")
    check_levels(levels, f"{option} {text}", budget=budget)
    return levels


def in_scope(pool: str, scope: Scope) -> bool:
    """Whether a fund of this pool is scaled when the sweep varies ``scope``."""
    return scope == "total" or pool == scope


def scale_budget(scenario: Scenario, scope: Scope, factor: float) -> Scenario:
    """A copy of the scenario with every fund in scope (school pools and restricted sources) times ``factor``."""
    if factor < 0:
        raise OverrideError(f"--{scope} level {factor:g}: a budget cannot be negative")
    data = scenario.model_dump()
    for pool in ("stock", "increment"):
        if in_scope(pool, scope):
            data["budget"][pool] = {y: v * factor for y, v in data["budget"][pool].items()}
    for src in data["sources"].values():
        if in_scope(src["pool"], scope):
            src["amount"] = {y: v * factor for y, v in src["amount"].items()}
    return Scenario.model_validate(data)


def budget_in_scope(scenario: Scenario, scope: Scope) -> float:
    """All money of the funds in scope over the whole plan."""
    total = 0.0
    for pool in ("stock", "increment"):
        if in_scope(pool, scope):
            total += sum(getattr(scenario.budget, pool).get(y, 0.0) for y in scenario.years)
    for src in scenario.sources.values():
        if in_scope(src.pool, scope):
            total += sum(src.amount.get(y, 0.0) for y in scenario.years)
    return total
