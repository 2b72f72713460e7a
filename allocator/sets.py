"""Index sets of the model, derived once from a validated scenario in a fixed (sorted) order.

Sorting every id makes the LP, its variable names and its output independent of the order in which
rows were written, so LP files diff cleanly and reordered input gives the same model.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property

from models import DEFAULT_SOURCE, Scenario

from .selectors import select_initiatives, select_units


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
    series: dict[str, int] = field(default_factory=dict)
    """Value series each per_unit_min indicator is judged on in the whole plan (its qualifying units),
    also when these sets hold only a block of the units; other indicators have one."""

    @classmethod
    def from_scenario(cls, sc: Scenario, units: Collection[str] | None = None) -> ModelSets:
        """Derive every index set from a scenario that passed ``check_scenario``.

        With ``units`` the sets are those of a block of the plan (a decomposition's group): only these
        units, their pairs and their qualifying memberships; indicators, initiatives and funds stay whole.
        """
        chosen = sc.units if units is None else {k: sc.units[k] for k in units}
        initiatives = tuple(sorted(sc.initiatives))
        pairs = tuple(sorted((u, i) for i in initiatives for u in select_units(sc.initiatives[i].units, chosen)))
        everything = frozenset(pairs)
        funds = [
            Fund(f"{DEFAULT_SOURCE}_stock", DEFAULT_SOURCE, "stock", dict(sc.budget.stock), everything),
            Fund(f"{DEFAULT_SOURCE}_increment", DEFAULT_SOURCE, "increment", dict(sc.budget.increment), everything),
        ]
        for key in sorted(sc.sources):
            src = sc.sources[key]
            src_units = set(select_units(src.units, chosen))
            src_inis = set(select_initiatives(src.initiatives, sc.initiatives))
            eligible = frozenset(p for p in pairs if p[0] in src_units and p[1] in src_inis)
            funds.append(Fund(key, key, src.pool, dict(src.amount), eligible, src.min_unit_share, src.max_unit_share))
        per_unit = {k: ind for k, ind in sorted(sc.indicators.items()) if ind.kind == "per_unit_min"}
        qualifying = {k: tuple(select_units(ind.qualifying, chosen)) for k, ind in per_unit.items()}
        series = {
            k: len(select_units(ind.qualifying, sc.units)) if units is not None else len(qualifying[k]) for k, ind in per_unit.items()
        }
        return cls(
            sc, tuple(sc.years), tuple(sorted(chosen)), initiatives, pairs, tuple(funds), tuple(sorted(sc.indicators)), qualifying, series
        )

    def series_count(self, indicator: str) -> int:
        """Number of value series of an indicator in the whole plan (n_k of docs/formulation.md)."""
        return self.series.get(indicator, 1)

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

    @cached_property
    def lines(self):
        """The resolved rules of every runnable line (see ``allocator.line_rules``)."""
        from .line_rules import resolve_lines

        return resolve_lines(self.scenario, self.pairs)

    @cached_property
    def commitments(self) -> dict[tuple[str, str, int], float]:
        """Money committed to each line and year (several commitments on one line-year add up)."""
        out: dict[tuple[str, str, int], float] = {}
        for c in self.scenario.commitments:
            key = (c.unit, c.initiative, c.year)
            out[key] = out.get(key, 0.0) + c.amount
        return out

    def available(self, fund: Fund, year: int) -> float:
        """Money a fund offers in a year (0 for a year it does not give)."""
        return float(fund.amount.get(year, 0.0))

    def total_available(self, year: int) -> float:
        """All money of all funds in a year; the natural big-M for money in that year."""
        return sum(self.available(f, year) for f in self.funds)
