"""The built problem: its variables and rows by name, the row helper and the data-derived bounds (big-Ms)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pulp

from models import Scenario

from ..sets import Fund, ModelSets

Terms = list[tuple[pulp.LpVariable, float]]


ELASTIC_FAMILIES = (
    "fund_limit",
    "source_share_min",
    "source_share_max",
    "stock_floor",
    "performance_money",
    "grade_keep",
    "grade_hold",
    "change_cap_up",
    "change_cap_down",
    "missing_reserve",
    "funding_max",
    "goal_hard",
    "line_cap_up",
    "line_cap_down",
    "line_start",
    "must_fund",
    "initiative_continuity",
    "phase_out_floor",
    "phase_out_end",
    "commitment",
    "lock",
    "pipeline_floor",
)
"""Money rules and hard goals that an elastic re-solve may break (at a price) to explain an infeasible scenario."""


@dataclass(frozen=True)
class Level:
    """One priority level of the lexicographic solve: its objective, its direction and how hard to prove it.

    ``name`` is the stage name in reports: ``stage1`` for the missing-indicator level, ``stage2`` for the
    weighted-progress level, ``level<p>`` for any other priority ``p``.
    """

    priority: int
    name: str
    objective: pulp.LpAffineExpression
    maximize: bool = False
    exact: bool = False
    """Solve the MIP to a zero relative gap (levels that count open gaps)."""

    @property
    def sense(self) -> str:
        """``max`` or ``min``."""
        return "max" if self.maximize else "min"


@dataclass
class LevelTerms:
    """What one priority contributes to its level: shortfalls and deviations to minimize, progress to maximize."""

    missing: Terms = field(default_factory=list)
    progress: Terms = field(default_factory=list)
    """Capped progress toward targets and milestones; their coefficients add up to 1 at a level with any."""
    credit: Terms = field(default_factory=list)
    """The small credit for progress beyond a target."""
    progress_weight: float = 0.0
    """Sum of the weights of the indicators whose progress counts at this level (the progress normalizer)."""
    penalties: Terms = field(default_factory=list)


ELASTIC_PRICE = {"lock": 0.98, "commitment": 0.99, "goal_hard": 0.99}
"""Price of breaking a rule by one unit in the explanation, where not 1: when a lock, a commitment or a hard goal
conflicts with the budget, breaking it is (slightly) cheaper, so the explanation names what the user fixed, promised
or required rather than an equally short budget row."""


def row_name(*parts: object) -> str:
    """Variable or row name from its family and ids: ``family__id__id``."""
    return "__".join(str(p) for p in parts)


@dataclass
class BuiltProblem:
    """The PuLP problem of one scenario with handles to its variables, rows and its priority levels."""

    sets: ModelSets
    problem: pulp.LpProblem
    levels: list[Level] = field(default_factory=list)
    level_terms: dict[int, LevelTerms] = field(default_factory=dict)
    money: dict[tuple[str, str, int, str], pulp.LpVariable] = field(default_factory=dict)
    """x[u,i,t,f]: f is a restricted source, or ``school`` for the school's own money (both pools)."""
    pool_use: dict[int, pulp.LpVariable] = field(default_factory=dict)
    """y[t]: how much of the school's money in year t its increment pays (the stock pays the rest)."""
    activity: dict[tuple[str, str, int], pulp.LpVariable] = field(default_factory=dict)
    segment: dict[tuple[str, str, int, int], pulp.LpVariable] = field(default_factory=dict)
    opened: dict[tuple[str, str, int], pulp.LpVariable] = field(default_factory=dict)
    running: dict[tuple[str, str, int], pulp.LpVariable] = field(default_factory=dict)
    value: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)
    unit_value: dict[tuple[str, str, int], pulp.LpVariable] = field(default_factory=dict)
    shortfall: dict[tuple[str, ...], pulp.LpVariable] = field(default_factory=dict)
    goal_expr: dict[str, pulp.LpAffineExpression] = field(default_factory=dict)
    """Each goal's expression (without its target), for reading its achieved value."""
    deviation: dict[tuple[str, str], pulp.LpVariable] = field(default_factory=dict)
    """(goal, "under" | "over") -> the penalized deviation variable of a soft goal."""
    progress: dict[tuple[str, ...], pulp.LpVariable] = field(default_factory=dict)
    fund_rows: dict[tuple[str, int], str] = field(default_factory=dict)
    elastic: dict[str, pulp.LpVariable] = field(default_factory=dict)
    elastic_mode: bool = False
    extra_pool: str | None = None
    extra: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)
    cleared: dict[str, pulp.LpVariable] = field(default_factory=dict)
    paid: dict[tuple[str, str, int], pulp.LpVariable] = field(default_factory=dict)
    """Money paying a line's commitments in a year (fixed at the committed amount; elastic when explaining)."""
    performance: dict[tuple[str, int], float] = field(default_factory=dict)
    """(unit, year) -> the unit's performance money (split before the solve; left out of its change caps)."""
    row_constants: dict[tuple[str, str], float] = field(default_factory=dict)
    """(row, side) -> the part of a row's bound that does not move with any fund (budget levels add the rest)."""
    increment_share: dict[str, float] = field(default_factory=dict)
    """Row -> the part of its bound that is split from the year's school increment (performance money), in money."""
    earmark_share: dict[int, float] = field(default_factory=dict)
    """d(floor of missing_reserve[t]) / d(increment money): r, or 0 where what the initiatives can take binds."""
    """A base line's continuing part: the school money it keeps, up to its base (what the stock pays)."""
    yield_terms: list[tuple[str, str, str, str, float]] = field(default_factory=list)
    """(row, column, initiative, indicator, coefficient) of every coefficient that carries an effect's yield."""

    @property
    def scenario(self) -> Scenario:
        """The scenario the problem was built from."""
        return self.sets.scenario

    @property
    def stage1(self) -> pulp.LpAffineExpression:
        """Objective of the missing-indicator level (empty when the scenario has no missing indicator)."""
        return self.level("stage1").objective

    @property
    def stage2(self) -> pulp.LpAffineExpression:
        """Objective of the weighted-progress level."""
        return self.level("stage2").objective

    def level(self, name: str) -> Level:
        """The level with a given stage name."""
        return next(lv for lv in self.levels if lv.name == name)

    def terms_at(self, priority: int) -> LevelTerms:
        """The contributions collected so far for one priority (created on first use)."""
        return self.level_terms.setdefault(priority, LevelTerms())

    @property
    def is_integer(self) -> bool:
        """Whether the model has integer or binary variables (a MILP)."""
        return any(v.cat == pulp.LpInteger for v in self.problem.variables())

    # -- expressions shared by several families -------------------------------------------------

    @cached_property
    def _line_money(self) -> dict[tuple[str, str, int], list[pulp.LpVariable]]:
        out: dict[tuple[str, str, int], list[pulp.LpVariable]] = {}
        for (u, i, t, _), var in sorted(self.money.items()):
            out.setdefault((u, i, t), []).append(var)
        return out

    def spend_terms(self, unit: str, initiative: str, year: int) -> Terms:
        """Money to one unit for one initiative in one year, all pools and sources."""
        return [(v, 1.0) for v in self._line_money.get((unit, initiative, year), ())]

    def unit_terms(self, unit: str, year: int, recurrent: bool = False) -> Terms:
        """Money to one unit in one year, all pools and sources.

        ``recurrent`` leaves out one-off money: initiatives marked one-off (whole-unit ones by default) and
        every set-up cost.
        """
        inis = self.scenario.initiatives
        terms = [
            tv for i in self.sets.pairs_by_unit[unit] if not (recurrent and inis[i].is_one_off) for tv in self.spend_terms(unit, i, year)
        ]
        if recurrent:
            terms += [
                (var, -inis[i].setup_cost)
                for i in self.sets.pairs_by_unit[unit]
                if not inis[i].is_one_off and (var := self.opened.get((unit, i, year))) is not None
            ]
        return terms

    def line_terms(self, unit: str, initiative: str, year: int) -> Terms:
        """A line's recurrent money in a year: all its money but a set-up cost (a one-off investment)."""
        terms = self.spend_terms(unit, initiative, year)
        if (var := self.opened.get((unit, initiative, year))) is not None:
            terms.append((var, -self.scenario.initiatives[initiative].setup_cost))
        return terms

    def effective_terms(self, unit: str, initiative: str, year: int) -> Terms:
        """Effective activity after diminishing returns: sum of segment activity times segment efficiency."""
        table = self.scenario.initiatives[initiative].segment_table
        if len(table) == 1 and table[0][1] == 1.0:
            return [(self.activity[unit, initiative, year], 1.0)]
        return [(self.segment[unit, initiative, year, j], eff) for j, (_, eff) in enumerate(table)]


def add_row(bp: BuiltProblem, terms: Terms, sense: int, rhs: float, name: str, family: str | None = None) -> None:
    """Add one row; in elastic mode rows of an elastic family get a priced slack that may break them."""
    if bp.elastic_mode and family in ELASTIC_FAMILIES:
        slack = pulp.LpVariable(row_name("elastic", name), lowBound=0)
        bp.elastic[name] = slack
        if sense == pulp.LpConstraintEQ:
            # an equality may be missed either way: a second slack for "above", both priced
            over = pulp.LpVariable(row_name("elastic", name, "above"), lowBound=0)
            bp.elastic[row_name(name, "above")] = over
            terms = [*terms, (slack, 1.0), (over, -1.0)]
        else:
            # A <= row may exceed its limit, a >= row may fall short of it.
            terms = [*terms, (slack, -1.0 if sense == pulp.LpConstraintLE else 1.0)]
    bp.problem.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression(terms), sense, name, rhs))


EXTRA_MONEY_FACTOR = 10.0
"""Cost-to-clear: extra money per year is bounded by this many times the whole plan's money (and every
big-M grows with it), so "unreachable" means unreachable with any plausible amount, not beyond a stale M."""


def money_bound(bp: BuiltProblem, year: int) -> float:
    """Most money a single year can carry: all funds, plus the extra money allowed when costing."""
    money = bp.sets.total_available(year)
    if bp.extra_pool is not None:
        money += extra_money_limit(bp)
    return money


def extra_money_limit(bp: BuiltProblem) -> float:
    """Upper bound of each year's extra money when costing (EXTRA_MONEY_FACTOR x all money of the plan)."""
    return EXTRA_MONEY_FACTOR * max(1.0, sum(bp.sets.total_available(t) for t in bp.sets.years))


def activity_bound(bp: BuiltProblem, initiative: str, year: int) -> float:
    """Largest activity one unit can buy in a year: capacity, else max funding or all money over unit cost."""
    ini = bp.scenario.initiatives[initiative]
    money = money_bound(bp, year)
    if bp.scenario.is_past(year):  # money already spent bought what it bought, capacity or not
        return money / ini.yearly_cost
    if ini.max_funding is not None:
        money = min(money, ini.max_funding)
    bound = money / ini.yearly_cost
    return min(bound, ini.capacity) if ini.capacity is not None else bound


def fund_by_key(sets: ModelSets, key: str) -> Fund:
    """The fund with a given key."""
    return next(f for f in sets.funds if f.key == key)
