"""Index sets of the model, derived once from a validated scenario in a fixed (sorted) order.

Sorting every id makes the LP, its variable names and its output independent of the order in which
rows were written, so LP files diff cleanly and reordered input gives the same model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from models import DEFAULT_SOURCE, Scenario

from .checks import eligible_pairs
from .selectors import select_units


@dataclass(frozen=True)
class Fund:
    """One stream of money: a source in a pool, with its yearly amount and the (unit, initiative) pairs it may fund."""

    key: str
    source: str
    pool: str
    amount: dict[int, float]
    eligible: frozenset[tuple[str, str]]
    min_unit_share: float = 0.0
    max_unit_share: float = 1.0

    @property
    def restricted(self) -> bool:
        """Whether use rules apply (every fund but the school's own)."""
        return self.source != DEFAULT_SOURCE


@dataclass(frozen=True)
class ModelSets:
    """Years, units, initiatives, runnable pairs, funds and indicator groupings of one scenario."""

    scenario: Scenario
    years: tuple[int, ...]
    units: tuple[str, ...]
    initiatives: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]
    funds: tuple[Fund, ...]
    indicators: tuple[str, ...]
    qualifying: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_scenario(cls, sc: Scenario) -> ModelSets:
        """Derive every index set from a scenario that passed ``check_scenario``."""
        units = tuple(sorted(sc.units))
        initiatives = tuple(sorted(sc.initiatives))
        pairs = tuple((u, i) for i in initiatives for u in select_units(sc.initiatives[i].units, sc.units))
        pairs = tuple(sorted(pairs))
        everything = frozenset(pairs)
        funds = [
            Fund(f"{DEFAULT_SOURCE}_stock", DEFAULT_SOURCE, "stock", dict(sc.budget.stock), everything),
            Fund(f"{DEFAULT_SOURCE}_increment", DEFAULT_SOURCE, "increment", dict(sc.budget.increment), everything),
        ]
        for key in sorted(sc.sources):
            src = sc.sources[key]
            funds.append(
                Fund(key, key, src.pool, dict(src.amount), frozenset(eligible_pairs(sc, key)), src.min_unit_share, src.max_unit_share)
            )
        qualifying = {
            k: tuple(select_units(ind.qualifying, sc.units)) for k, ind in sorted(sc.indicators.items()) if ind.kind == "per_unit_min"
        }
        return cls(sc, tuple(sc.years), units, initiatives, pairs, tuple(funds), tuple(sorted(sc.indicators)), qualifying)

    @cached_property
    def missing(self) -> tuple[str, ...]:
        """Missing indicators (缺项), cleared first in stage 1."""
        return tuple(k for k in self.indicators if self.scenario.indicators[k].is_missing)

    @cached_property
    def initiatives_for_missing(self) -> frozenset[str]:
        """Initiatives with an effect on at least one missing indicator."""
        miss = set(self.missing)
        return frozenset(i for i in self.initiatives if miss & set(self.scenario.initiatives[i].effects))

    @cached_property
    def pairs_by_initiative(self) -> dict[str, tuple[str, ...]]:
        """Units that may run each initiative."""
        out: dict[str, list[str]] = {i: [] for i in self.initiatives}
        for u, i in self.pairs:
            out[i].append(u)
        return {i: tuple(v) for i, v in out.items()}

    @cached_property
    def pairs_by_unit(self) -> dict[str, tuple[str, ...]]:
        """Initiatives each unit may run (so per-unit sums never scan every pair)."""
        out: dict[str, list[str]] = {u: [] for u in self.units}
        for u, i in self.pairs:
            out[u].append(i)
        return {u: tuple(v) for u, v in out.items()}

    @cached_property
    def initiatives_by_indicator(self) -> dict[str, tuple[str, ...]]:
        """Initiatives with an effect on each indicator."""
        out: dict[str, list[str]] = {k: [] for k in self.indicators}
        for i in self.initiatives:
            for k in self.scenario.initiatives[i].effects:
                out[k].append(i)
        return {k: tuple(v) for k, v in out.items()}

    def available(self, fund: Fund, year: int) -> float:
        """Money a fund offers in a year (0 for a year it does not give)."""
        return float(fund.amount.get(year, 0.0))

    def total_available(self, year: int) -> float:
        """All money of all funds in a year; the natural big-M for money in that year."""
        return sum(self.available(f, year) for f in self.funds)
