"""Rounding that keeps sums: amounts to whole quanta (0.01 万元 = 100 元 for published money) by largest remainder.

Every amount becomes the floor or the ceiling of its exact value in quanta, and the quanta left over after
flooring go one each to the largest remainders, so the rounded amounts add up exactly to the rounded total
(Hamilton's method). All arithmetic after the one division by the quantum is on integers: no float drift.

Rules, in order of precedence:
- the total is kept exactly; each amount stays within one quantum of its exact value;
- bounds are kept: an amount never rounds above its ``upper`` or below its ``lower`` (a fund's money, a
  row's cap or floor);
- an amount that is already a whole number of quanta (a lock, a commitment, a round figure) is kept as is
  (values within ``SNAP`` quanta of a whole number count as whole: solver round-off);
- a positive amount of at least half a quantum is not rounded to zero while another amount can give up a
  quantum instead: such amounts take the first leftover quanta (only more of them than leftover quanta can
  leave one at zero);
- ties go to the earlier key in sorted order (or the earlier position when no keys are given).

``round_tree`` applies the rule level by level (year -> fund -> unit -> line for a plan), so every
sub-total is itself the rounded value of its exact sub-total and the rows of each level add up to it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)

CENT = 0.01
"""The published quantum of money: 0.01 万元 (100 元)."""
SNAP = 1e-4
"""A value within this many quanta of a whole number is that whole number (solver and float round-off)."""


def scale_of(quantum: float) -> int | float:
    """Quanta per currency unit (100 for 0.01), as an int when it is one, so ``n / scale`` is the nearest float."""
    if not quantum > 0 or not math.isfinite(quantum):
        raise ValueError(f"quantum must be a positive number, got {quantum!r}")
    scale = 1.0 / quantum
    nearest = round(scale)
    return int(nearest) if nearest >= 1 and abs(scale - nearest) <= 1e-9 * nearest else scale


def in_quanta(value: float, quantum: float = CENT) -> float:
    """A currency amount counted in quanta, snapped to a whole number when within ``SNAP`` of one."""
    x = float(value) * scale_of(quantum)
    nearest = round(x)
    return float(nearest) if abs(x - nearest) <= SNAP else x


def to_quanta(value: float, quantum: float = CENT) -> int:
    """A currency amount as the nearest whole number of quanta (halves away from zero)."""
    x = in_quanta(value, quantum)
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def from_quanta(n: int, quantum: float = CENT) -> float:
    """Whole quanta back to currency: the float nearest the exact decimal (``1206 -> 12.06``)."""
    scale = scale_of(quantum)
    return n / scale


def quanta_text(n: int, decimals: int = 2) -> str:
    """Whole hundredths (or 10**-decimals) as exact decimal text: ``120623 -> '1206.23'``, ``-5 -> '-0.05'``."""
    if decimals == 0:
        return str(n)
    sign = "-" if n < 0 else ""
    whole, part = divmod(abs(int(n)), 10**decimals)
    return f"{sign}{whole}.{part:0{decimals}d}"


def largest_remainder(
    values: Sequence[float],
    total: float | None = None,
    quantum: float = CENT,
    *,
    keys: Sequence[Any] | None = None,
    lower: Sequence[float | None] | None = None,
    upper: Sequence[float | None] | None = None,
) -> list[int]:
    """Each value in whole quanta, summing exactly to ``total`` (default: the sum of the values, rounded).

    ``values``, ``total``, ``lower`` and ``upper`` are in currency; the result is in quanta (multiply by the
    quantum, or use ``from_quanta``/``quanta_text``). Raises ``ValueError`` when the total cannot be
    reached with every value at its floor or ceiling within its bounds.
    """
    raw = [in_quanta(v, quantum) for v in values]
    target = None if total is None else to_quanta(total, quantum)
    lo = None if lower is None else [None if b is None else math.ceil(in_quanta(b, quantum)) for b in lower]
    hi = None if upper is None else [None if b is None else math.floor(in_quanta(b, quantum)) for b in upper]
    return apportion(raw, target, keys=keys, lower=lo, upper=hi)


def apportion(
    raw: Sequence[float],
    total: int | None = None,
    *,
    keys: Sequence[Any] | None = None,
    lower: Sequence[int | None] | None = None,
    upper: Sequence[int | None] | None = None,
) -> list[int]:
    """Largest remainder on values already counted in quanta (snapped); ``total``, bounds and result in quanta."""
    n = len(raw)
    if keys is not None and len(keys) != n:
        raise ValueError(f"{len(keys)} keys for {n} values")
    if any(not math.isfinite(x) for x in raw):
        raise ValueError("values must be finite numbers")
    floors = [math.floor(x) for x in raw]
    lo = list(floors)
    hi = [f if f == x else f + 1 for f, x in zip(floors, raw)]
    for j in range(n):
        if lower is not None and lower[j] is not None:
            lo[j] = max(lo[j], int(lower[j]))  # type: ignore[arg-type]
        if upper is not None and upper[j] is not None:
            hi[j] = min(hi[j], int(upper[j]))  # type: ignore[arg-type]
        if lo[j] > hi[j]:
            where = f"key {keys[j]!r}" if keys is not None else f"position {j}"
            raise ValueError(f"value {raw[j]:g} quanta at {where} lies outside its bounds by a quantum or more")
    if total is None:
        total = int(math.floor(math.fsum(raw) + 0.5))
        total = min(max(total, sum(lo)), sum(hi))
    extra = total - sum(lo)
    movable = [j for j in range(n) if hi[j] > lo[j]]
    if extra < 0 or extra > len(movable):
        raise ValueError(
            f"a total of {total} quanta cannot be reached with every value at its floor or ceiling (between {sum(lo)} and {sum(hi)})"
        )
    rank = _ranks(keys, n)
    movable.sort(key=lambda j: (not (lo[j] == 0 and raw[j] >= 0.5), -(raw[j] - floors[j]), rank[j]))
    out = lo
    for j in movable[:extra]:
        out[j] += 1
    return out


def _ranks(keys: Sequence[Any] | None, n: int) -> list[int]:
    """Each position's place in the sorted order of keys (positions when there are none): the tie-break."""
    if keys is None:
        return list(range(n))
    order = sorted(range(n), key=lambda j: _sortable(keys[j]))
    rank = [0] * n
    for place, j in enumerate(order):
        rank[j] = place
    return rank


def _sortable(key: Any) -> Any:
    """Keys of mixed types (a year and a name) sort by type name first, then value."""
    if isinstance(key, tuple):
        return tuple(_sortable(k) for k in key)
    return (type(key).__name__, key)


def round_tree(
    values: Mapping[K, float],
    levels: Sequence[Callable[[K], Hashable]],
    quantum: float = CENT,
    *,
    total: float | None = None,
    upper: Sequence[Mapping[Hashable, float]] | None = None,
) -> dict[K, int]:
    """Largest remainder down a hierarchy, each level summing exactly to its parent; result in quanta.

    First the total, then the groups of ``levels[0]``, their sub-groups of ``levels[1]`` ..., and last the
    values themselves. ``levels`` are coarsest first and each must refine the one before (a plan's: year, (year, pool, source),
    (year, pool, source, unit)). ``upper[d]`` caps groups of level ``d`` in currency (e.g. each fund's money).
    Every value and every group total stays within one quantum of its exact value.
    """
    raw = {k: in_quanta(v, quantum) for k, v in values.items()}
    caps = [{g: math.floor(in_quanta(c, quantum)) for g, c in level.items()} for level in (upper or ())]
    items = sorted(raw, key=_sortable)
    out: dict[K, int] = {}
    top = None if total is None else to_quanta(total, quantum)
    _descend(items, raw, levels, _effective_caps(items, raw, levels, caps), 0, top, out)
    return out


def _effective_caps(items: list, raw: Mapping, levels: Sequence[Callable], caps: list[dict]) -> list[dict]:
    """Each group's most quanta: its own cap, and no more than its sub-groups (or values) can take together.

    A sub-group can take at most the ceiling of its exact sum, or its own effective cap if lower; without
    this a capped fund could leave its year a quantum it cannot pay.
    """
    depth = len(levels)
    members: list[dict[Hashable, list]] = [{} for _ in range(depth)]
    for k in items:
        for d, level in enumerate(levels):
            members[d].setdefault(level(k), []).append(k)
    effective: list[dict[Hashable, int]] = [{} for _ in range(depth)]
    for d in range(depth - 1, -1, -1):
        own = caps[d] if d < len(caps) else {}
        for group, keys in members[d].items():
            if d + 1 < depth:
                subs: dict[Hashable, list] = {}
                for k in keys:
                    subs.setdefault(levels[d + 1](k), []).append(k)
                room = sum(min(effective[d + 1][c], math.ceil(_snap(math.fsum(raw[k] for k in ks)))) for c, ks in subs.items())
            else:
                room = sum(math.ceil(raw[k]) for k in keys)
            effective[d][group] = min(room, own[group]) if group in own else room
    return effective


def _descend(items: list, raw: Mapping, levels: Sequence[Callable], caps: list[dict], depth: int, total: int | None, out: dict) -> None:
    if depth == len(levels):
        shares = apportion([raw[k] for k in items], total, keys=items)
        out.update(zip(items, shares))
        return
    groups: dict[Hashable, list] = {}
    for k in items:
        groups.setdefault(levels[depth](k), []).append(k)
    names = list(groups)
    sums = [_snap(math.fsum(raw[k] for k in groups[g])) for g in names]
    upper = [caps[depth].get(g) for g in names]
    shares = apportion(sums, total, keys=names, upper=upper if any(u is not None for u in upper) else None)
    for g, share in zip(names, shares):
        _descend(groups[g], raw, levels, caps, depth + 1, share, out)


def _snap(x: float) -> float:
    nearest = round(x)
    return float(nearest) if abs(x - nearest) <= SNAP else x


# --- a plan's money -----------------------------------------------------------------------------------

PlanLine = tuple[int, str, str, str, str]
"""(year, pool, source, unit, initiative): one allocation row."""


def _year(k: tuple) -> Hashable:
    return k[0]


def _fund_year(k: tuple) -> Hashable:
    return k[:3]


def _unit_fund_year(k: tuple) -> Hashable:
    return k[:4]


PLAN_LEVELS: tuple[Callable[[Any], Hashable], ...] = (_year, _fund_year, _unit_fund_year)
"""A plan's hierarchy: year, then (year, pool, source), then (year, pool, source, unit), then the line."""


def round_plan(
    lines: Mapping[PlanLine, float], available: Mapping[tuple[int, str, str], float] | None = None, quantum: float = CENT
) -> dict[PlanLine, int]:
    """A plan's allocation in whole quanta by ``round_tree`` over ``PLAN_LEVELS``, never above a fund's money.

    ``available`` (year, pool, source) -> money caps a fund's published total where its exact total fits in
    it (a fund fully spent publishes exactly its money when that is a whole number of quanta).
    """
    caps = {}
    if available:
        spent: dict[tuple, list[float]] = {}
        for k, v in lines.items():
            spent.setdefault(k[:3], []).append(in_quanta(v, quantum))
        for fund, parts in spent.items():
            money = available.get(fund)  # type: ignore[call-overload]
            if money is not None and _snap(math.fsum(parts)) <= in_quanta(money, quantum):
                caps[fund] = money
    return round_tree(lines, PLAN_LEVELS, quantum, upper=[{}, caps])
