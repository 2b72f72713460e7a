"""Room on each line: the least money its rules ask in a year against the most its initiative's limits let it take.

A must-fund floor (or a fall limit, or a lock) above what capacity and max funding let a line carry makes the
plan infeasible whatever the budget; found here from validated data, it is reported as bad input naming the
limit, the floor and the commitment, rather than as an infeasible plan listing every year of every such line.
The most a line can take in a year is its commitment (money owed to earlier cohorts, outside capacity) plus its
cohorts still being paid at most ``capacity`` each, at ``unit_cost / pay_years`` a year, all within max_funding.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from models import Scenario

from .line_rules import resolve_lines
from .selectors import select_units

TOLERANCE = 1e-6


@dataclass(frozen=True)
class Shortage:
    """A year a line must get more than it can take: the floor, the most, and what the most is made of."""

    unit: str
    initiative: str
    year: int
    need: float
    most: float
    why_need: str
    why_most: str
    lock_row: int | None = None


def _activity_cap(sc: Scenario, initiative: str) -> tuple[float | None, str]:
    """Most activity units a unit may start in a year, and the field that sets it (None: no such limit)."""
    ini = sc.initiatives[initiative]
    caps = [(getattr(ini, f), f) for f in ("capacity", "total_capacity", "horizon_capacity") if getattr(ini, f) is not None]
    if not caps:
        return None, ""
    value, field = min(caps)
    return (math.floor(value + 1e-9) if ini.integer else value), field


def _most(sc: Scenario, unit: str, initiative: str, n: int, committed: float, with_setup: bool) -> tuple[float, str] | None:
    """Most money line (unit, initiative) can take in plan year number ``n`` and why; None when nothing limits it."""
    ini = sc.initiatives[initiative]
    cap, field = _activity_cap(sc, initiative)
    candidates: list[tuple[float, str]] = []
    if cap is not None:
        cohorts = min(ini.pay_years, n + 1)
        started = cohorts * cap
        if ini.horizon_capacity is not None:
            started = min(started, ini.horizon_capacity)
        setup = ini.setup_cost if with_setup and ini.setup_cost > 0 and sc.units[unit].base.get(initiative, 0.0) <= 0 else 0.0
        most = committed + setup + started * ini.yearly_cost
        cost = f"unit cost {ini.unit_cost:g}" if ini.pay_years == 1 else f"{ini.yearly_cost:g} a year for each of {cohorts} cohort(s)"
        words = f"{field} {cap:g} x {cost}"
        if committed > 0:
            words = f"its commitment {committed:g} + {words}"
        if setup:
            words += f" + set-up {setup:g}"
        candidates.append((most, words))
    if ini.max_funding is not None:
        candidates.append((ini.max_funding, f"max_funding {ini.max_funding:g}"))
    return min(candidates) if candidates else None


def shortages(sc: Scenario) -> list[Shortage]:
    """Every line-year whose floor (must-fund, fall limit from its base) or lock is above the most it can take.

    Past years of a rolling re-plan are skipped (money spent bought what it bought, capacity or not), and so are
    fall limits when the plan has past years (the chain then starts from what was spent).
    """
    pairs = [(u, i) for i, ini in sc.initiatives.items() for u in select_units(ini.units, sc.units)]
    committed: dict[tuple[str, str, int], float] = defaultdict(float)
    for c in sc.commitments:
        committed[c.unit, c.initiative, c.year] += c.amount
    out = [s for line in resolve_lines(sc, pairs).values() for s in _floor_shortages(sc, line, committed)]
    return out + _lock_shortages(sc, committed)


def _floors(sc: Scenario, line) -> list[tuple[float, str]]:
    """The least recurrent money a line must get in each plan year, and why (0 where nothing asks)."""
    chain = None
    if line.recurrent and not line.phase_out and line.down is not None and line.base > 0 and not any(map(sc.is_past, sc.years)):
        chain = (1.0 - line.down) * (line.base - line.idle)
    out = []
    for _ in sc.years:
        need, why = 0.0, ""
        if line.floor > need:
            need, why = line.floor, f"must-fund floor {line.floor:g} ({line.floor_reason or 'must fund'})"
        if chain is not None:
            if chain > need + TOLERANCE:
                need, why = chain, f"fall limit {line.down:.0%} a year from base {line.base:g}"
            chain = (1.0 - line.down) * need
        out.append((need, why))
    return out


def _above(need: float, most: tuple[float, str] | None) -> bool:
    return most is not None and need > most[0] + TOLERANCE * max(1.0, most[0])


def _floor_shortages(sc: Scenario, line, committed) -> list[Shortage]:
    out = []
    u, i = line.unit, line.initiative
    for n, (t, (need, why)) in enumerate(zip(sc.years, _floors(sc, line))):
        if need <= 0 or sc.is_past(t):
            continue
        most = _most(sc, u, i, n, committed[u, i, t], with_setup=False)
        if _above(need, most):
            out.append(Shortage(u, i, t, need, most[0], why, most[1]))
    return out


def _lock_shortages(sc: Scenario, committed) -> list[Shortage]:
    out = []
    for row, lock in enumerate(sc.locks):
        if sc.is_past(lock.year) or lock.year not in sc.years:
            continue
        n = sc.years.index(lock.year)
        most = _most(sc, lock.unit, lock.initiative, n, committed[lock.unit, lock.initiative, lock.year], with_setup=True)
        if _above(lock.amount, most):
            out.append(Shortage(lock.unit, lock.initiative, lock.year, lock.amount, most[0], f"lock {lock.amount:g}", most[1], row))
    return out


def shortage_field(sc: Scenario, s: Shortage) -> str:
    """The initiative's field that limits the line: the activity limit when it binds, else max_funding."""
    cap, field = _activity_cap(sc, s.initiative)
    return field if cap is not None and not s.why_most.startswith("max_funding") else "max_funding"
