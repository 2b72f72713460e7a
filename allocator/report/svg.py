"""The pieces every inline SVG chart is made of: palette, tick choice, text measure, scales, titles, legends, grids.

Kept apart from the charts themselves so each chart module reads as the drawing of one kind of figure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .html import esc

PALETTE = ("#1f5f9f", "#e08a1e", "#2a9d8f", "#8e5ea2", "#c0504d", "#7f8c8d", "#b8860b", "#3b8bd0")
GOOD, BAD, MUTED, GRID, INK = "#1d7a46", "#b3261e", "#5f6b7a", "#d9dee4", "#1f2933"
FONT = 12  # px in viewBox units
TICK = 10.5  # axis tick labels
Formatter = Callable[[float], str]


# --- geometry helpers ---------------------------------------------------------------------------------


def nice_ticks(lo: float, hi: float, count: int = 4, *, integer: bool = False) -> list[float]:
    """About ``count`` round tick values covering [lo, hi] (steps of 1, 2 or 5 times a power of ten).

    With ``integer`` the step is at least 1 (for counts such as the number of indicators cleared).
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return [0.0]
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    raw_step = (hi - lo) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw_step))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw_step)
    if integer:
        step = max(1.0, math.ceil(step))
    first = math.floor(lo / step) * step
    ticks, value = [], first
    while value <= hi + step * 1e-9:
        ticks.append(round(value, 12))
        value += step
    if ticks[-1] < hi:
        ticks.append(round(ticks[-1] + step, 12))
    return ticks


ZOOM_PAD = 0.06
"""Share of the data's range left free above and below it on a zoomed axis (well under the 25% allowed)."""


def zoomed(values: Sequence[float], *, include_zero: bool = False) -> tuple[float, float]:
    """An axis range around ``values`` with a little room on each side; zero kept in only when asked (bars).

    A flat series gets a range of its own magnitude around it, but callers show flat data as text instead.
    """
    lo, hi = min(values), max(values)
    if include_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    span = hi - lo
    if span <= 0:
        pad = abs(hi) * 0.1 or 1.0
        return lo - pad, hi + pad
    pad = span * ZOOM_PAD
    return (lo if include_zero and lo == 0 else lo - pad), (hi if include_zero and hi == 0 else hi + pad)


def inner_ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    """Round tick values inside [lo, hi] (the axis ends where the data does, not at the next round number)."""
    for n in (count, count + 2, count * 2, count * 3):
        ticks = [t for t in nice_ticks(lo, hi, n) if lo - 1e-12 <= t <= hi + 1e-12]
        if len(ticks) >= 2:
            return ticks
    return [lo, hi]


def is_flat(values: Sequence[float], tolerance: float = 1e-9) -> bool:
    """Whether a series has one value only (a chart of it would be a flat line saying nothing)."""
    return not values or max(values) - min(values) <= tolerance * max(1.0, max(abs(v) for v in values))


def plot_area(x0: float, y_top: float, x1: float, y_bottom: float) -> str:
    """An invisible rectangle marking the plot area, so a reader (or a test) can relate marks to the axis."""
    return f'<rect class="plot" x="{x0:.1f}" y="{y_top:.1f}" width="{x1 - x0:.1f}" height="{y_bottom - y_top:.1f}" fill="none"/>'


def text_width(text: str, size: float = FONT) -> float:
    """Rough rendered width: CJK and full-width characters count as one em, others as about half."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.58 for ch in text)


def clip(text: str, width: float, size: float = FONT) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` (the full text stays in the element's title)."""
    if text_width(text, size) <= width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > width:
            break
        out += ch
    return out + "…"


def svg(width: float, height: float, title: str, desc: str, body: str, *, cls: str = "chart") -> str:
    """An accessible ``<svg role="img">``: its title and a description in words come first."""
    return (
        f'<svg class="{cls}" role="img" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'font-size="{FONT}">'
        f"<title>{esc(title)}</title><desc>{esc(desc)}</desc>{body}</svg>"
    )


def text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "start",
    size: float = FONT,
    color: str = INK,
    weight: str = "normal",
    full: str | None = None,
) -> str:
    """A ``<text>`` mark; when it is clipped, the full text rides along as its tooltip."""
    tip = f"<title>{esc(full)}</title>" if full and full != content else ""
    bold = f' font-weight="{weight}"' if weight != "normal" else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size:g}" fill="{color}"{bold}>{tip}{esc(content)}</text>'


def empty(title: str, message: str) -> str:
    """A small chart that says in words why there is nothing to draw."""
    return svg(320, 60, title, message, text(160, 35, message, anchor="middle", color=MUTED))


@dataclass(frozen=True)
class Scale:
    """A linear map from data values to pixels."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        """The pixel position of ``value`` (the middle of the range when the domain is a single point)."""
        span = self.hi - self.lo
        if span == 0:
            return (self.start + self.end) / 2
        return self.start + (value - self.lo) / span * (self.end - self.start)


def legend(names: Sequence[str], x: float, y: float) -> str:
    """A row of coloured swatches with the series names, in palette order."""
    parts = []
    for j, name in enumerate(names):
        parts.append(f'<rect x="{x:.1f}" y="{y - 10}" width="11" height="11" fill="{PALETTE[j % len(PALETTE)]}"/>')
        parts.append(text(x + 15, y, name))
        x += text_width(name) + 34
    return "".join(parts)


def y_grid(ticks: Sequence[float], y: Scale, x0: float, x1: float, formatter: Formatter) -> list[str]:
    """Horizontal grid lines with their labels at the given ticks."""
    parts = []
    for tick in ticks:
        py = y(tick)
        parts.append(f'<line x1="{x0:.1f}" y1="{py:.1f}" x2="{x1:.1f}" y2="{py:.1f}" stroke="{GRID}"/>')
        parts.append(text(x0 - 6, py + 4, formatter(tick), anchor="end", size=TICK, color=MUTED))
    return parts


def tick_margin(ticks: Sequence[float], formatter: Formatter, minimum: float) -> float:
    """Left margin wide enough for the longest y tick label."""
    return max(minimum, max(text_width(formatter(t), TICK) for t in ticks) + 12)


# --- line charts --------------------------------------------------------------------------------------
