"""Inline SVG charts drawn in Python: no library, no fonts, no external assets.

Every chart is an ``<svg role="img">`` whose first child is a ``<title>`` (its accessible name) and a
``<desc>`` summarising the data in words, so screen readers and printouts lose nothing. Charts only
draw values handed to them; labels are formatted by the caller's formatter, so a chart and the table
beside it show the same text for the same number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from . import fmt
from . import svg as draw
from .html import esc
from .svg import BAD, FONT, GOOD, GRID, MUTED, PALETTE, TICK, Formatter, is_flat  # noqa: F401 (PALETTE and is_flat are read through this module)

# --- bar charts ---------------------------------------------------------------------------------------


def bar_chart(
    title: str,
    items: Sequence[tuple[str, float]],
    *,
    formatter: Formatter = fmt.money,
    signed: bool = False,
    domain: tuple[float, float] | None = None,
    empty: str = "",
    colors: Sequence[str] | None = None,
) -> str:
    """Horizontal bars, one per (label, value); ``signed`` draws gains green and losses red from a zero axis.

    Args:
        title: accessible name of the chart.
        items: (label, value) pairs, drawn top to bottom in the given order.
        formatter: formats the value label printed at each bar's end.
        signed: centre on zero and colour by sign (for changes).
        domain: fixed value range, e.g. (0, 1) for probabilities; else from the data and zero.
        empty: message shown when there is nothing to draw.
        colors: one fill per bar (defaults to the accent colour, or by sign when ``signed``).
    """
    if not items:
        return draw.empty(title, empty or title)
    labels = [label for label, _ in items]
    values = [v for _, v in items]
    label_w = min(max(draw.text_width(lbl) for lbl in labels) + 12, 260)
    value_w = max(draw.text_width(formatter(v)) for v in values) + 14
    width, row, top = 760, 22, 6
    height = top + row * len(items) + 8
    lo, hi = domain if domain else (min(0.0, *values), max(0.0, *values))
    if hi == lo:
        hi = lo + 1.0
    # Value labels sit beyond each bar's end, so leave room for them on whichever side bars can grow.
    x0 = label_w + (value_w if lo < 0 else 0)
    x1 = width - (value_w if hi > 0 else 8)
    scale = draw.Scale(lo, hi, x0, x1)
    zero = scale(0.0) if lo <= 0 <= hi else x0
    parts = [f'<line x1="{zero:.1f}" y1="{top - 2}" x2="{zero:.1f}" y2="{height - 6}" stroke="{MUTED}"/>']
    for i, (label, value) in enumerate(items):
        y = top + i * row
        end = scale(min(max(value, lo), hi))
        left, bar_w = min(zero, end), abs(end - zero)
        if colors:
            fill = colors[i % len(colors)]
        elif signed:
            fill = GOOD if value > 0 else BAD
        else:
            fill = PALETTE[0]
        shown = formatter(value)
        parts.append(draw.text(label_w - 8, y + 15, draw.clip(label, label_w - 12), anchor="end", full=label))
        parts.append(
            f'<rect x="{left:.1f}" y="{y + 3}" width="{max(bar_w, 0.5):.1f}" height="{row - 6}" '
            f'fill="{fill}"><title>{esc(label)}: {esc(shown)}</title></rect>'
        )
        if value < 0:
            parts.append(draw.text(left - 4, y + 15, shown, anchor="end", color=MUTED))
        else:
            parts.append(draw.text(left + bar_w + 4, y + 15, shown, color=MUTED))
    desc = "; ".join(f"{label}: {formatter(value)}" for label, value in items)
    return draw.svg(width, height, title, desc, "".join(parts))


def stacked_columns(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    formatter: Formatter = fmt.money,
    tick_format: Formatter = fmt.number,
    empty: str = "",
) -> str:
    """Vertical columns per category (e.g. year), stacked by series (e.g. pool), with a legend and totals."""
    if not categories or not series:
        return draw.empty(title, empty or title)
    totals = [math.fsum(max(s[1][i], 0.0) for s in series) for i in range(len(categories))]
    _, axis_top = draw.zoomed([0.0, max(totals) or 1.0], include_zero=True)
    ticks = draw.inner_ticks(0.0, axis_top)
    width, height, right, top, bottom = 760, 240, 16, 36, 28
    left = draw.tick_margin(ticks, tick_format, 40)
    y = draw.Scale(0.0, axis_top, height - bottom, top)
    slot = (width - left - right) / len(categories)
    bar_w = min(slot * 0.6, 90)
    parts = [draw.plot_area(left, top, width - right, height - bottom), *draw.y_grid(ticks, y, left, width - right, tick_format)]
    for i, cat in enumerate(categories):
        cx = left + slot * (i + 0.5)
        base = 0.0
        for j, (name, values) in enumerate(series):
            value = max(values[i], 0.0)
            if value <= 0:
                continue
            y_top, y_bottom = y(base + value), y(base)
            parts.append(
                f'<rect class="datum" x="{cx - bar_w / 2:.1f}" y="{y_top:.1f}" width="{bar_w:.1f}" '
                f'height="{max(y_bottom - y_top, 0.5):.1f}" fill="{PALETTE[j % len(PALETTE)]}">'
                f"<title>{esc(cat)} {esc(name)}: {esc(formatter(values[i]))}</title></rect>"
            )
            base += value
        parts.append(draw.text(cx, y(base) - 4, formatter(totals[i]), anchor="middle", size=11, color=MUTED))
        parts.append(draw.text(cx, height - bottom + 16, cat, anchor="middle"))
    parts.append(draw.legend([name for name, _ in series], left, 14))
    desc = "; ".join(
        f"{cat}: " + ", ".join(f"{name} {formatter(values[i])}" for name, values in series) for i, cat in enumerate(categories)
    )
    return draw.svg(width, height, title, desc, "".join(parts))


def trajectory_chart(
    title: str,
    points: Sequence[tuple[int, float]],
    *,
    target: float | None,
    target_year: int | None,
    milestones: Sequence[tuple[int, float]] = (),
    formatter: Formatter = fmt.number,
    tick_format: Formatter = fmt.number,
    met: bool | None = None,
    labels: tuple[str, str, str] = ("value", "target", "milestone"),
) -> str:
    """One indicator's value by year (small multiple) against its target (dashed) and milestones (diamonds).

    Args:
        title: the indicator's name (the chart's accessible name and visible heading).
        points: (year, value) pairs from the run's indicators table.
        target: the target value; drawn as a dashed line.
        target_year: year the target is due; the point there is ringed green (met) or red (missed).
        milestones: (year, value) intermediate requirements.
        formatter: formats point labels and the description.
        tick_format: formats the y-axis ticks (e.g. ``5%`` rather than ``5.00%``).
        met: whether the target was met at the target year (colours the ring).
        labels: the words for value, target and milestone in the report's language (for the description).
    """
    if not points:
        return draw.empty(title, title)
    width, height, right, top, bottom = 300, 170, 12, 26, 24
    years = [yr for yr, _ in points]
    values = [v for _, v in points]
    extra = [target] if target is not None else []
    extra += [v for yr, v in milestones if min(years) <= yr <= max(years)]
    lo, hi = draw.zoomed([*values, *extra])
    ticks = draw.inner_ticks(lo, hi, 3)
    left = draw.tick_margin(ticks, tick_format, 30)
    y = draw.Scale(lo, hi, height - bottom, top)
    x = draw.Scale(min(years), max(years), left + 10, width - right - 10)
    parts = [draw.text(4, 15, draw.clip(title, width - 8, 12.5), size=12.5, weight="600", full=title)]
    parts += [draw.plot_area(left, top, width - right, height - bottom), *draw.y_grid(ticks, y, left, width - right, tick_format)]
    for yr in years:
        parts.append(draw.text(x(yr), height - 8, str(yr), anchor="middle", size=10.5, color=MUTED))
    if target is not None:
        ty = y(target)
        parts.append(
            f'<line class="datum" x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" stroke="{BAD}" '
            f'stroke-dasharray="5 3" stroke-width="1.3"><title>{esc(labels[1])}: '
            f"{esc(formatter(target))}</title></line>"
        )
    path = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in points)
    parts.append(f'<polyline points="{path}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>')
    for yr, v in points:
        parts.append(
            f'<circle class="datum" cx="{x(yr):.1f}" cy="{y(v):.1f}" r="3" fill="{PALETTE[0]}">'
            f"<title>{yr}: {esc(formatter(v))}</title></circle>"
        )
    for yr, v in milestones:
        if min(years) <= yr <= max(years):
            cx, cy = x(yr), y(v)
            parts.append(
                f'<path class="datum" d="M{cx:.1f},{cy - 5:.1f} L{cx + 5:.1f},{cy:.1f} L{cx:.1f},{cy + 5:.1f} '
                f'L{cx - 5:.1f},{cy:.1f} Z" fill="none" stroke="{PALETTE[1]}" stroke-width="1.6">'
                f"<title>{esc(labels[2])} {yr}: {esc(formatter(v))}</title></path>"
            )
    if target_year is not None and target_year in years and met is not None:
        v = values[years.index(target_year)]
        parts.append(
            f'<circle cx="{x(target_year):.1f}" cy="{y(v):.1f}" r="6.5" fill="none" stroke="{GOOD if met else BAD}" stroke-width="1.6"/>'
        )
    desc = f"{labels[0]}: " + ", ".join(f"{yr} {formatter(v)}" for yr, v in points)
    if target is not None:
        desc += f"; {labels[1]} {formatter(target)}" + (f" ({target_year})" if target_year else "")
    if milestones:
        desc += f"; {labels[2]}: " + ", ".join(f"{yr} {formatter(v)}" for yr, v in milestones)
    return draw.svg(width, height, title, desc, "".join(parts))


def xy_chart(
    title: str,
    points: Sequence[tuple[float, float]],
    *,
    x_label: str,
    y_label: str,
    x_format: Formatter = fmt.number,
    y_format: Formatter = fmt.number,
    tick_format: Formatter = fmt.number,
    flagged: Sequence[int] = (),
    flag_label: str = "",
    point_notes: Sequence[str] | None = None,
    step: bool = False,
) -> str:
    """A line through (x, y) points, with flagged points ringed red and optional notes under each point.

    Used for the budget frontier (progress against budget, flagging levels where targets slip) and for
    the cost-to-clear curve (``step=True``: extra money stays flat until the next indicator clears).
    """
    if not points:
        return draw.empty(title, title)
    width, height, right, top, bottom = 760, 330, 24, 34, 48
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x_ticks = draw.nice_ticks(min(xs), max(xs), 6, integer=all(float(v).is_integer() for v in xs))
    lo, hi = draw.zoomed(ys)
    y_ticks = draw.inner_ticks(lo, hi, 5)
    left = draw.tick_margin(y_ticks, tick_format, 40) + 16  # room for the rotated axis title
    x = draw.Scale(x_ticks[0], x_ticks[-1], left, width - right)
    y = draw.Scale(lo, hi, height - bottom, top)
    parts = [draw.plot_area(left, top, width - right, height - bottom), *draw.y_grid(y_ticks, y, left, width - right, tick_format)]
    for tick in x_ticks:
        parts.append(draw.text(x(tick), height - bottom + 16, tick_format(tick), anchor="middle", size=TICK, color=MUTED))
    parts.append(draw.text((left + width - right) / 2, height - 8, x_label, anchor="middle", color=MUTED))
    parts.append(
        f'<text x="14" y="{(top + height - bottom) / 2:.1f}" font-size="{FONT}" fill="{MUTED}" '
        f'text-anchor="middle" transform="rotate(-90 14 {(top + height - bottom) / 2:.1f})">'
        f"{esc(y_label)}</text>"
    )
    coords = [(x(px), y(py)) for px, py in points]
    if step:
        path = [coords[0]]
        for (_, y_prev), (cx, cy) in zip(coords, coords[1:]):
            path += [(cx, y_prev), (cx, cy)]
        coords_line = path
    else:
        coords_line = coords
    line = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords_line)
    parts.append(f'<polyline points="{line}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>')
    flagged_set = set(flagged)
    for i, ((px, py), (cx, cy)) in enumerate(zip(points, coords)):
        note = point_notes[i] if point_notes and i < len(point_notes) else ""
        tip = f"{x_label} {x_format(px)}: {y_label} {y_format(py)}" + (f" — {note}" if note else "")
        color = BAD if i in flagged_set else PALETTE[0]
        radius = 5.5 if i in flagged_set else 3.5
        parts.append(f'<circle class="datum" cx="{cx:.1f}" cy="{cy:.1f}" r="{radius}" fill="{color}"><title>{esc(tip)}</title></circle>')
        if note:
            near_right = cx > width - right - 150
            parts.append(
                draw.text(
                    cx - 6 if near_right else cx + 6,
                    cy - 8,
                    draw.clip(note, 140, 10.5),
                    size=10.5,
                    color=MUTED,
                    full=note,
                    anchor="end" if near_right else "start",
                )
            )
    if flagged_set and flag_label:
        legend_x = width - right - draw.text_width(flag_label) - 16  # above the plot, right-aligned
        parts.append(f'<circle cx="{legend_x:.1f}" cy="10" r="5" fill="{BAD}"/>')
        parts.append(draw.text(legend_x + 10, 14, flag_label, color=MUTED))
    desc = "; ".join(
        f"{x_format(px)}: {y_format(py)}" + (f" ({flag_label})" if i in flagged_set and flag_label else "")
        for i, (px, py) in enumerate(points)
    )
    return draw.svg(width, height, title, f"{x_label} / {y_label}: {desc}", "".join(parts))


# --- ranges -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RangeRow:
    """One indicator's simulated spread: 5%, 50% and 95% points, its target and the plan's value."""

    label: str
    p05: float
    p50: float
    p95: float
    target: float | None
    plan: float | None
    formatter: Formatter | None = None  # this row's number format (e.g. percent for a ratio)


def range_chart(
    title: str,
    rows: Sequence[RangeRow],
    *,
    formatter: Formatter = fmt.number,
    words: tuple[str, str, str, str] = ("5–95%", "median", "target", "plan"),
) -> str:
    """One row per indicator, each on its own scale: the 5–95% bar, the median dot, target tick, plan diamond.

    Indicators are measured in different units, so each row is scaled to its own values and the 5% and
    95% values are printed under the ends of the bar.
    """
    if not rows:
        return draw.empty(title, title)
    label_w = min(max(draw.text_width(r.label) for r in rows) + 12, 240)
    width, row_h, top = 760, 40, 4
    height = top + row_h * len(rows) + 4
    parts = []
    for i, r in enumerate(rows):
        yc = top + i * row_h + row_h / 2 - 4
        parts += _range_row(r, yc, label_w, (label_w + 40, width - 40), r.formatter or formatter, words)
    desc = "; ".join(_range_words(r, r.formatter or formatter, words) for r in rows)
    return draw.svg(width, height, title, desc, "".join(parts))


def _range_row(
    r: RangeRow, yc: float, label_w: float, span: tuple[float, float], show: Formatter, words: tuple[str, str, str, str]
) -> list[str]:
    """The SVG of one indicator's row in :func:`range_chart`, centred on ``yc``."""
    known = [v for v in (r.p05, r.p50, r.p95, r.target, r.plan) if v is not None]
    lo, hi = min(known), max(known)
    pad = (hi - lo) * 0.05 or (abs(hi) * 0.1 or 1.0)
    x = draw.Scale(lo - pad, hi + pad, *span)
    parts = [
        draw.text(label_w - 8, yc + 4, draw.clip(r.label, label_w - 12), anchor="end", full=r.label),
        f'<line x1="{span[0]}" y1="{yc:.1f}" x2="{span[1]}" y2="{yc:.1f}" stroke="{GRID}"/>',
        f'<rect x="{x(r.p05):.1f}" y="{yc - 5:.1f}" width="{max(x(r.p95) - x(r.p05), 1.0):.1f}" height="10" '
        f'fill="{PALETTE[0]}" opacity=".35"><title>{esc(r.label)} {esc(words[0])}: {esc(show(r.p05))} – '
        f"{esc(show(r.p95))}</title></rect>",
        f'<circle cx="{x(r.p50):.1f}" cy="{yc:.1f}" r="4" fill="{PALETTE[0]}"><title>{esc(words[1])}: {esc(show(r.p50))}</title></circle>',
    ]
    if r.target is not None:
        tx = x(r.target)
        parts.append(
            f'<line x1="{tx:.1f}" y1="{yc - 10:.1f}" x2="{tx:.1f}" y2="{yc + 10:.1f}" stroke="{BAD}" stroke-width="2">'
            f"<title>{esc(words[2])}: {esc(show(r.target))}</title></line>"
        )
    if r.plan is not None:
        px = x(r.plan)
        parts.append(
            f'<path d="M{px:.1f},{yc - 6:.1f} L{px + 5:.1f},{yc:.1f} L{px:.1f},{yc + 6:.1f} L{px - 5:.1f},{yc:.1f} Z" '
            f'fill="{PALETTE[1]}"><title>{esc(words[3])}: {esc(show(r.plan))}</title></path>'
        )
    low, high = show(r.p05), show(r.p95)
    if low == high:
        parts.append(draw.text(x(r.p05), yc + 17, low, anchor="middle", size=10, color=MUTED))
    else:
        parts.append(draw.text(x(r.p05) - 2, yc + 17, low, anchor="end", size=10, color=MUTED))
        parts.append(draw.text(x(r.p95) + 2, yc + 17, high, size=10, color=MUTED))
    return parts


def _range_words(r: RangeRow, show: Formatter, words: tuple[str, str, str, str]) -> str:
    """One row of :func:`range_chart` in words, for its description."""
    text = f"{r.label}: {words[0]} {show(r.p05)}–{show(r.p95)}, {words[1]} {show(r.p50)}"
    return text + (f", {words[2]} {show(r.target)}" if r.target is not None else "")
