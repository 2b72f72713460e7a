"""Split the incentive pool in proportion to merit, within per-unit caps and floors, exactly to the fen.

Merit is a unit's points above the award threshold (within its track's share of the pool). Awards sum exactly to the pool (unless the caps
cannot absorb it: the rest is reported as undistributed), in fen (0.01 yuan).

Rule: the continuous split x_u = clamp(lambda * merit_u, floor, cap) with sum x_u = pool is found first;
amounts are then cut down to whole fen and the fen left over go one each to the units with the largest
cut-off fractions (ties: unit id in alphabetical order), never above a cap (Hamilton's largest-remainder method).
"""

from __future__ import annotations

import math

from ..errors import ScenarioError

FEN_PER_WAN = 1_000_000
"""1 万元 = 10,000 yuan = 1,000,000 fen."""


def to_fen(amount_wan: float) -> int:
    """Money in 万元 to whole fen."""
    return int(round(amount_wan * FEN_PER_WAN))


def _water_fill(pool: float, merit: dict[str, float], floor: float, cap: float) -> dict[str, float]:
    """Exact x_u = clamp(lambda m_u, floor, cap) with sum x_u = pool (needs n floor <= pool < n cap).

    g(lambda) = sum_u x_u is piecewise linear and non-decreasing, with breakpoints floor/m_u and cap/m_u.
    Walk the breakpoints to the piece where g crosses the pool, then share what the floors and caps leave
    among the units in between in proportion to merit (no huge lambda is ever formed).
    """
    top = max(merit.values())
    m = {u: max(v / top, 1e-12) for u, v in merit.items()}  # merits below 1e-12 of the best count as 1e-12
    points = sorted({p for u in m for p in (floor / m[u], cap / m[u]) if math.isfinite(p)})

    def total(lam: float) -> float:
        return sum(min(max(lam * m[u], floor), cap) for u in m)

    lo = 0.0
    for p in points:
        if total(p) >= pool:
            break
        lo = p
    mid_hi = next((p for p in points if p > lo), lo * 2 + 1.0)
    mid = (lo + mid_hi) / 2 if math.isfinite(mid_hi) else lo + 1.0
    fixed, active = 0.0, []
    for u in m:
        if mid * m[u] <= floor:
            fixed += floor
        elif mid * m[u] >= cap:
            fixed += cap
        else:
            active.append(u)
    weight = sum(m[u] for u in active)
    out = {}
    for u in m:
        if u in active:
            out[u] = (pool - fixed) * m[u] / weight
        else:
            out[u] = floor if mid * m[u] <= floor else cap
    return out


def split_pool(
    pool_wan: float, merit: dict[str, float], *, cap_wan: float | None, floor_wan: float
) -> tuple[dict[str, int], dict[str, str], int]:
    """Awards in fen per eligible unit (merit > 0), which limit decided each, and the fen left undistributed.

    The awards sum exactly to the pool, unless the caps of all eligible units together are smaller: then
    every eligible unit gets its cap and the rest is returned as undistributed (never silently dropped).
    """
    pool = to_fen(pool_wan)
    eligible = {u: m for u, m in sorted(merit.items()) if m > 0}
    if pool == 0 or not eligible:
        return {}, {}, pool
    floor = float(to_fen(floor_wan))
    cap = float(to_fen(cap_wan)) if cap_wan is not None else math.inf
    n = len(eligible)
    if cap < floor:
        raise ScenarioError(f"policy.scoring.award_cap {cap_wan:g} 万元 is below policy.scoring.award_floor {floor_wan:g} 万元")
    if floor * n > pool:
        raise ScenarioError(
            f"policy.scoring.award_floor: {n} eligible units x {floor_wan:g} 万元 exceed the incentive pool of {pool_wan:g} 万元"
        )
    if cap * n <= pool:
        capped = int(cap)
        return dict.fromkeys(eligible, capped), dict.fromkeys(eligible, "cap"), pool - capped * n
    exact = _water_fill(float(pool), eligible, floor, cap)
    fen = {u: int(math.floor(v + 1e-9)) for u, v in exact.items()}
    left = pool - sum(fen.values())
    order = sorted(eligible, key=lambda u: (-(exact[u] - fen[u]), u))
    while left > 0:
        moved = False
        for u in order:
            if left == 0:
                break
            if fen[u] + 1 <= cap:
                fen[u] += 1
                left -= 1
                moved = True
        if not moved:  # pragma: no cover - excluded by the cap check above
            break
    while left < 0:  # floor-rounding can only undershoot, but guard against a float overshoot
        for u in reversed(order):
            if left == 0:
                break
            if fen[u] - 1 >= floor:
                fen[u] -= 1
                left += 1
    limited = {u: ("cap" if fen[u] >= cap - 1 and cap < math.inf else "floor" if fen[u] <= floor + 1 and floor > 0 else "") for u in fen}
    return fen, limited, 0
