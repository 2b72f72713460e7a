"""Number options checked where they are typed: a bad value is a usage error (exit 2) naming the option and what it takes.

click's ``FloatRange`` lets ``nan`` through (every comparison with it is false) and accepts ``inf``, so
those reached the library and came back as bad input (exit 1) while ``-1`` was a usage error (exit 2).
"""

from __future__ import annotations

import math
from typing import Any

import click


class BoundedNumber(click.ParamType):
    """A finite float above ``low`` (or at it, unless ``low_open``) and below the limit named ``limit`` in allocator.limits.

    ``expected`` says what the option takes, with ``{limit}`` for the limit's value; the limit is looked up
    when a value is checked, so that importing the command line stays light.
    """

    name = "number"

    def __init__(self, expected: str, low: float, limit: str | float, *, low_open: bool = False, high_open: bool = False):
        self.expected, self.low, self.limit, self.low_open, self.high_open = expected, low, limit, low_open, high_open

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        """The number, or a usage error saying what the option takes."""
        from .. import limits

        high = float(getattr(limits, self.limit)) if isinstance(self.limit, str) else float(self.limit)
        expected = self.expected.format(limit=high)
        try:
            number = float(value if isinstance(value, float) else str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a number; expected {expected}", param, ctx)
        too_low = number <= self.low if self.low_open else number < self.low
        too_high = number >= high if self.high_open else number > high
        if not math.isfinite(number) or too_low or too_high:
            self.fail(f"{value!r}: expected {expected}", param, ctx)
        return number


SECONDS = BoundedNumber("a positive number of seconds, at most {limit:,.0f} (one week)", 0.0, "MAX_TIME_LIMIT", low_open=True)
"""--time-limit: above 0, finite, at most a week (the limit the solver settings refuse beyond)."""
YIELD_CV = BoundedNumber("a coefficient of variation from 0 to {limit:g}", 0.0, "MAX_YIELD_CV")
"""--yield-cv of a risk assessment."""
GAP = BoundedNumber("a relative gap of at least 0 and below 1", 0.0, 1.0, high_open=True)
"""--gap of a sweep."""
