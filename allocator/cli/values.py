"""Number options checked where they are typed: a bad value is a usage error (exit 2) naming the option and what it takes.

click's ``FloatRange`` lets ``nan`` through (every comparison with it is false) and accepts ``inf``, so
those reached the library and came back as bad input (exit 1) while ``-1`` was a usage error (exit 2).
"""

from __future__ import annotations

import math
from typing import Any

import click

from ..limits import MAX_TIME_LIMIT, MAX_YIELD_CV


class BoundedNumber(click.ParamType):
    """A finite float within [low, high] (``low_open``: above low), described in words for the error message."""

    name = "number"

    def __init__(self, expected: str, low: float, high: float, *, low_open: bool = False, high_open: bool = False):
        self.expected, self.low, self.high, self.low_open, self.high_open = expected, low, high, low_open, high_open

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        """The number, or a usage error saying what the option takes."""
        if isinstance(value, float) and math.isfinite(value):
            number = value
        else:
            try:
                number = float(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not a number; expected {self.expected}", param, ctx)
        too_low = number <= self.low if self.low_open else number < self.low
        too_high = number >= self.high if self.high_open else number > self.high
        if not math.isfinite(number) or too_low or too_high:
            self.fail(f"{value!r}: expected {self.expected}", param, ctx)
        return number


SECONDS = BoundedNumber(f"a positive number of seconds, at most {MAX_TIME_LIMIT:,.0f} (one week)", 0.0, MAX_TIME_LIMIT, low_open=True)
"""--time-limit: above 0, finite, at most a week (the limit the solver settings refuse beyond)."""
YIELD_CV = BoundedNumber(f"a coefficient of variation from 0 to {MAX_YIELD_CV:g}", 0.0, MAX_YIELD_CV)
"""--yield-cv of a risk assessment."""
GAP = BoundedNumber("a relative gap of at least 0 and below 1", 0.0, 1.0, high_open=True)
"""--gap of a sweep."""
