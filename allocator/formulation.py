"""The allocation LP/MILP, in one place: ``build_problem(scenario) -> BuiltProblem``. No I/O, no solving.

Each constraint family is one ``add_<family>_constraints`` function named as in docs/formulation.md,
whose docstring gives the rows it adds. Variables and rows are named ``<family>__<id>[__<id>...]``
over sorted ids, so the LP file of a scenario is stable and diffs cleanly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pulp

from models import Scenario

from .checks import check_scenario
from .sets import Fund, ModelSets

logger = logging.getLogger(__name__)

Terms = list[tuple[pulp.LpVariable, float]]

ELASTIC_FAMILIES = (
    "fund_limit",
    "source_share_min",
    "source_share_max",
    "stock_floor",
    "change_cap_up",
    "change_cap_down",
    "missing_reserve",
    "funding_max",
)
"""Money rules that an elastic re-solve may break (at a price) to explain an infeasible scenario."""


def row_name(*parts: object) -> str:
    """Variable or row name from its family and ids: ``family__id__id``."""
    return "__".join(str(p) for p in parts)


@dataclass
class BuiltProblem:
    """The PuLP problem of one scenario with handles to its variables, rows and the two stage objectives."""

    sets: ModelSets
    problem: pulp.LpProblem
    stage1: pulp.LpAffineExpression = field(default_factory=pulp.LpAffineExpression)
    stage2: pulp.LpAffineExpression = field(default_factory=pulp.LpAffineExpression)
    money: dict[tuple[str, str, int, str], pulp.LpVariable] = field(default_factory=dict)
    activity: dict[tuple[str, str, int], pulp.LpVariable] = field(default_factory=dict)
    segment: dict[tuple[str, str, int, int], pulp.LpVariable] = field(default_factory=dict)
    opened: dict[tuple[str, str, int], pulp.LpVariable] = field(default_factory=dict)
    running: dict[tuple[str, str, int], pulp.LpVariable] = field(default_factory=dict)
    value: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)
    unit_value: dict[tuple[str, str, int], pulp.LpVariable] = field(default_factory=dict)
    shortfall: dict[tuple[str, ...], pulp.LpVariable] = field(default_factory=dict)
    progress: dict[tuple[str, ...], pulp.LpVariable] = field(default_factory=dict)
    fund_rows: dict[tuple[str, int], str] = field(default_factory=dict)
    elastic: dict[str, pulp.LpVariable] = field(default_factory=dict)
    elastic_mode: bool = False
    extra_pool: str | None = None
    extra: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)
    cleared: dict[str, pulp.LpVariable] = field(default_factory=dict)
    yield_terms: list[tuple[str, str, str, str, float]] = field(default_factory=list)
    """(row, column, initiative, indicator, coefficient) of every coefficient that carries an effect's yield."""

    @property
    def scenario(self) -> Scenario:
        """The scenario the problem was built from."""
        return self.sets.scenario

    @property
    def is_integer(self) -> bool:
        """Whether the model has integer or binary variables (a MILP)."""
        return any(v.cat == pulp.LpInteger for v in self.problem.variables())

    # -- expressions shared by several families -------------------------------------------------

    def spend_terms(self, unit: str, initiative: str, year: int) -> Terms:
        """Money to one unit for one initiative in one year, all pools and sources."""
        return [(v, 1.0) for f in self.sets.funds if (v := self.money.get((unit, initiative, year, f.key))) is not None]

    def unit_terms(self, unit: str, year: int, pool: str | None = None, recurrent: bool = False) -> Terms:
        """Money to one unit in one year, optionally of one pool only.

        ``recurrent`` leaves out one-off money: initiatives marked one-off (whole-unit ones by default) and
        every set-up cost.
        """
        funds = [f for f in self.sets.funds if pool is None or f.pool == pool]
        inis = self.scenario.initiatives
        terms = [
            (v, 1.0)
            for (u, i) in self.sets.pairs
            if u == unit and not (recurrent and inis[i].is_one_off)
            for f in funds
            if (v := self.money.get((u, i, year, f.key))) is not None
        ]
        if recurrent:
            terms += [
                (var, -inis[i].setup_cost)
                for (u, i, t), var in self.opened.items()
                if u == unit and t == year and not inis[i].is_one_off
            ]
        return terms

    def effective_terms(self, unit: str, initiative: str, year: int) -> Terms:
        """Effective activity after diminishing returns: sum of segment activity times segment efficiency."""
        table = self.scenario.initiatives[initiative].segment_table
        if len(table) == 1 and table[0][1] == 1.0:
            return [(self.activity[unit, initiative, year], 1.0)]
        return [(self.segment[unit, initiative, year, j], eff) for j, (_, eff) in enumerate(table)]


def _add(bp: BuiltProblem, terms: Terms, sense: int, rhs: float, name: str, family: str | None = None) -> None:
    """Add one row; in elastic mode rows of an elastic family get a priced slack that may break them."""
    if bp.elastic_mode and family in ELASTIC_FAMILIES:
        slack = pulp.LpVariable(row_name("elastic", name), lowBound=0)
        bp.elastic[name] = slack
        # A <= row may exceed its limit, a >= row may fall short of it.
        terms = [*terms, (slack, -1.0 if sense == pulp.LpConstraintLE else 1.0)]
    bp.problem.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression(terms), sense, name, rhs))


# ---------------------------------------------------------------------------------------------
# Variables
# ---------------------------------------------------------------------------------------------


def add_money_variables(bp: BuiltProblem) -> None:
    """x[u,i,t,f] >= 0: money of fund f to unit u for initiative i in year t, only where f may fund (u,i)."""
    for f in bp.sets.funds:
        for u, i in bp.sets.pairs:
            if (u, i) not in f.eligible:
                continue
            for t in bp.sets.years:
                bp.money[u, i, t, f.key] = pulp.LpVariable(row_name("x", u, i, t, f.key), lowBound=0)


def add_activity_variables(bp: BuiltProblem) -> None:
    """q[u,i,t] >= 0 activity units (integer for whole-unit initiatives), bounded by capacity per unit and year."""
    for u, i in bp.sets.pairs:
        ini = bp.scenario.initiatives[i]
        cat = pulp.LpInteger if ini.integer else pulp.LpContinuous
        for t in bp.sets.years:
            bp.activity[u, i, t] = pulp.LpVariable(row_name("q", u, i, t), lowBound=0, upBound=ini.capacity, cat=cat)


# ---------------------------------------------------------------------------------------------
# Constraint families (names as in docs/formulation.md)
# ---------------------------------------------------------------------------------------------


def add_activity_cost_constraints(bp: BuiltProblem) -> None:
    """activity_cost[u,i,t]:  sum_f x[u,i,t,f] = c_i q[u,i,t] + setup_i open[u,i,t]  (万元).

    Money buys activity at the initiative's unit cost; a first run at a unit also pays the set-up cost.
    """
    for u, i in bp.sets.pairs:
        ini = bp.scenario.initiatives[i]
        for t in bp.sets.years:
            terms = bp.spend_terms(u, i, t) + [(bp.activity[u, i, t], -ini.unit_cost)]
            if (u, i, t) in bp.opened:
                terms.append((bp.opened[u, i, t], -ini.setup_cost))
            _add(bp, terms, pulp.LpConstraintEQ, 0.0, row_name("activity_cost", u, i, t))


def add_segment_constraints(bp: BuiltProblem) -> None:
    """segment_split[u,i,t]:  q[u,i,t] = sum_j q[u,i,t,j],  0 <= q[u,i,t,j] <= width_j.

    Effective activity is sum_j eff_j q[u,i,t,j] with eff_1 >= eff_2 >= ... (concave), so the
    cheapest output always comes from the first segments.
    """
    for u, i in bp.sets.pairs:
        table = bp.scenario.initiatives[i].segment_table
        if len(table) == 1 and table[0][1] == 1.0:
            continue
        for t in bp.sets.years:
            terms: Terms = [(bp.activity[u, i, t], 1.0)]
            for j, (width, _) in enumerate(table):
                var = pulp.LpVariable(row_name("qseg", u, i, t, j + 1), lowBound=0, upBound=width)
                bp.segment[u, i, t, j] = var
                terms.append((var, -1.0))
            _add(bp, terms, pulp.LpConstraintEQ, 0.0, row_name("segment_split", u, i, t))


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


def _activity_bound(bp: BuiltProblem, initiative: str, year: int) -> float:
    """Largest activity one unit can buy in a year: capacity, else max funding or all money over unit cost."""
    ini = bp.scenario.initiatives[initiative]
    money = money_bound(bp, year)
    if ini.max_funding is not None:
        money = min(money, ini.max_funding)
    bound = money / ini.unit_cost
    return min(bound, ini.capacity) if ini.capacity is not None else bound


def add_setup_variables_and_constraints(bp: BuiltProblem) -> None:
    """Lumpy set-up: open[u,i,t] in {0,1} where the unit does not run i yet (no base allocation).

    setup_once[u,i]:        sum_t open[u,i,t] <= 1
    setup_required[u,i,t]:  q[u,i,t] <= M_i,t * sum_{tau<=t} open[u,i,tau]
    """
    for u, i in bp.sets.pairs:
        ini = bp.scenario.initiatives[i]
        if ini.setup_cost <= 0 or bp.scenario.units[u].base.get(i, 0.0) > 0:
            continue
        for t in bp.sets.years:
            bp.opened[u, i, t] = pulp.LpVariable(row_name("open", u, i, t), cat=pulp.LpBinary)
        _add(bp, [(bp.opened[u, i, t], 1.0) for t in bp.sets.years], pulp.LpConstraintLE, 1.0, row_name("setup_once", u, i))
        for t in bp.sets.years:
            big_m = _activity_bound(bp, i, t)
            terms = [(bp.activity[u, i, t], 1.0)] + [(bp.opened[u, i, tau], -big_m) for tau in bp.sets.years if tau <= t]
            _add(bp, terms, pulp.LpConstraintLE, 0.0, row_name("setup_required", u, i, t))


def add_funding_constraints(bp: BuiltProblem) -> None:
    """Per unit and year limits on an initiative's money.

    funding_max[u,i,t]:     sum_f x[u,i,t,f] <= max_i
    funding_min[u,i,t]:     sum_f x[u,i,t,f] >= min_i run[u,i,t]       (semi-continuous: 0 or at least min_i)
    funding_switch[u,i,t]:  sum_f x[u,i,t,f] <= M_t run[u,i,t],  run in {0,1}
    """
    for u, i in bp.sets.pairs:
        ini = bp.scenario.initiatives[i]
        for t in bp.sets.years:
            spend = bp.spend_terms(u, i, t)
            if ini.min_funding > 0:
                run = pulp.LpVariable(row_name("run", u, i, t), cat=pulp.LpBinary)
                bp.running[u, i, t] = run
                big_m = money_bound(bp, t)
                if ini.max_funding is not None:
                    big_m = min(big_m, ini.max_funding)
                _add(bp, [*spend, (run, -ini.min_funding)], pulp.LpConstraintGE, 0.0, row_name("funding_min", u, i, t))
                _add(bp, [*spend, (run, -big_m)], pulp.LpConstraintLE, 0.0, row_name("funding_switch", u, i, t))
            elif ini.max_funding is not None:
                _add(bp, spend, pulp.LpConstraintLE, ini.max_funding, row_name("funding_max", u, i, t), "funding_max")


def add_capacity_constraints(bp: BuiltProblem) -> None:
    """total_capacity[i,t]:  sum_u q[u,i,t] <= cap_i;   horizon_capacity[i]:  sum_{u,t} q[u,i,t] <= H_i.

    (Capacity per unit and year is the upper bound of q[u,i,t].)
    """
    for i in bp.sets.initiatives:
        ini = bp.scenario.initiatives[i]
        units = bp.sets.pairs_by_initiative[i]
        if ini.total_capacity is not None:
            for t in bp.sets.years:
                terms = [(bp.activity[u, i, t], 1.0) for u in units]
                _add(bp, terms, pulp.LpConstraintLE, ini.total_capacity, row_name("total_capacity", i, t))
        if ini.horizon_capacity is not None:
            terms = [(bp.activity[u, i, t], 1.0) for u in units for t in bp.sets.years]
            _add(bp, terms, pulp.LpConstraintLE, ini.horizon_capacity, row_name("horizon_capacity", i))


def add_extra_money_variables(bp: BuiltProblem) -> None:
    """Cost-to-clear only: extra[p,t] >= 0, new school money of pool p in year t (p = increment, or both pools for total)."""
    if bp.extra_pool is None:
        return
    pools = ("increment",) if bp.extra_pool == "increment" else ("stock", "increment")
    for p in pools:
        for t in bp.sets.years:
            bp.extra[p, t] = pulp.LpVariable(row_name("extra", p, t), lowBound=0, upBound=extra_money_limit(bp))


def add_fund_limit_constraints(bp: BuiltProblem) -> None:
    """fund_limit[f,t]:  sum_{(u,i) eligible for f} x[u,i,t,f] <= A_f,t (+ extra[p(f),t] for the school's funds when costing)."""
    for f in bp.sets.funds:
        for t in bp.sets.years:
            terms = [(bp.money[u, i, t, f.key], 1.0) for (u, i) in bp.sets.pairs if (u, i) in f.eligible]
            if not f.restricted and (f.pool, t) in bp.extra:
                terms.append((bp.extra[f.pool, t], -1.0))
            name = row_name("fund_limit", f.key, t)
            _add(bp, terms, pulp.LpConstraintLE, bp.sets.available(f, t), name, "fund_limit")
            bp.fund_rows[f.key, t] = name


def add_source_share_constraints(bp: BuiltProblem) -> None:
    """Restricted sources split across eligible units within shares of the year's amount.

    source_share_max[f,u,t]:  sum_i x[u,i,t,f] <= smax_f A_f,t
    source_share_min[f,u,t]:  sum_i x[u,i,t,f] >= smin_f A_f,t
    """
    for f in bp.sets.funds:
        if not f.restricted:
            continue
        units = sorted({u for (u, _) in f.eligible})
        for u in units:
            for t in bp.sets.years:
                terms = [(bp.money[u, i, t, f.key], 1.0) for (uu, i) in bp.sets.pairs if uu == u and (u, i) in f.eligible]
                amount = bp.sets.available(f, t)
                if f.max_unit_share < 1:
                    _add(
                        bp,
                        terms,
                        pulp.LpConstraintLE,
                        f.max_unit_share * amount,
                        row_name("source_share_max", f.key, u, t),
                        "source_share_max",
                    )
                if f.min_unit_share > 0:
                    _add(
                        bp,
                        terms,
                        pulp.LpConstraintGE,
                        f.min_unit_share * amount,
                        row_name("source_share_min", f.key, u, t),
                        "source_share_min",
                    )


def add_stock_floor_constraints(bp: BuiltProblem) -> None:
    """stock_floor[u,t]:  S[u,t] >= phi_u S[u,t-1]  (or phi_u S[u,base] when floors apply to the base year).

    S[u,t] is unit u's money from stock funds in year t, S[u,base] its base allocation; phi_u is the floor
    of its last grade (or a per-unit override from a score run). This is 盘活存量: at most 1 - phi_u of a
    unit's stock is reclaimed in a year.
    """
    policy = bp.scenario.policy
    for u in bp.sets.units:
        base = bp.scenario.units[u].base_total
        if base <= 0:
            continue
        phi = bp.scenario.floor_of(u)
        for n, t in enumerate(bp.sets.years):
            terms = bp.unit_terms(u, t, "stock")
            rhs = 0.0
            if n == 0 or policy.floor_basis == "base_year":
                rhs = phi * base
            else:
                terms += [(v, -phi * c) for v, c in bp.unit_terms(u, bp.sets.years[n - 1], "stock")]
            _add(bp, terms, pulp.LpConstraintGE, rhs, row_name("stock_floor", u, t), "stock_floor")


def add_change_cap_constraints(bp: BuiltProblem) -> None:
    """Year-over-year change of a unit's recurrent money M[u,t] (all pools and sources; M[u,base] = its base).

    change_cap_up[u,t]:    M[u,t] <= (1 + up) M[u,t-1] + up_abs
    change_cap_down[u,t]:  M[u,t] >= (1 - down) M[u,t-1]

    One-off money — initiatives marked ``one_off`` (by default the whole-unit ones: an institute, a
    journal, a landmark hire) and every set-up cost — is not part of a unit's running budget, so it is
    left out of M: hosting one neither uses up the unit's growth allowance nor forces it to keep that
    lump the year after.
    """
    cap = bp.scenario.policy.change_cap
    if cap.up_share is None and cap.down_share is None:
        return
    inis = bp.scenario.initiatives
    for u in bp.sets.units:
        base = sum(v for i, v in bp.scenario.units[u].base.items() if not inis[i].is_one_off)
        for n, t in enumerate(bp.sets.years):
            now = bp.unit_terms(u, t, recurrent=True)
            prev_terms = bp.unit_terms(u, bp.sets.years[n - 1], recurrent=True) if n else []
            prev_const = base if n == 0 else 0.0
            if cap.up_share is not None:
                k = 1.0 + cap.up_share
                terms = now + [(v, -k * c) for v, c in prev_terms]
                _add(bp, terms, pulp.LpConstraintLE, k * prev_const + cap.up_abs, row_name("change_cap_up", u, t), "change_cap_up")
            if cap.down_share is not None and (n or base > 0):
                k = 1.0 - cap.down_share
                terms = now + [(v, -k * c) for v, c in prev_terms]
                _add(bp, terms, pulp.LpConstraintGE, k * prev_const, row_name("change_cap_down", u, t), "change_cap_down")


def add_missing_reserve_constraints(bp: BuiltProblem) -> None:
    """missing_reserve[t]:  sum_{i moves no missing indicator} x[u,i,t,f in increment] <= (1 - r) sum_{f in increment} A_f,t.

    Only in years up to the policy's ``missing_reserve_until`` (default: the last clear-by year of a
    missing indicator): once every gap is due, the earmark ends.

    A share r of each year's increment is earmarked for initiatives that move missing indicators: the
    rest of the plan may use at most 1 - r of it. Earmarked money those initiatives cannot absorb stays
    unallocated (reported as unused): the earmark alone never makes a scenario infeasible, and more
    increment never makes the plan worse (it can still conflict with rules that force increment money
    into other initiatives, such as a restricted source's minimum share).
    """
    share = bp.scenario.policy.missing_reserve_share
    if share <= 0 or not bp.sets.missing:
        return
    until = bp.scenario.policy.missing_reserve_until
    if until is None:
        until = max(bp.scenario.indicators[k].clear_year for k in bp.sets.missing)
    inc = [f for f in bp.sets.funds if f.pool == "increment"]
    for t in bp.sets.years:
        if t > until:
            continue
        terms = [
            (bp.money[u, i, t, f.key], 1.0)
            for f in inc
            for (u, i) in bp.sets.pairs
            if i not in bp.sets.initiatives_for_missing and (u, i) in f.eligible
        ]
        rhs = (1.0 - share) * sum(bp.sets.available(f, t) for f in inc)
        if ("increment", t) in bp.extra:
            terms.append((bp.extra["increment", t], -(1.0 - share)))
        _add(bp, terms, pulp.LpConstraintLE, rhs, row_name("missing_reserve", t), "missing_reserve")


def _flow_terms(bp: BuiltProblem, indicator: str, year: int, unit: str | None = None) -> list[tuple[pulp.LpVariable, float, str]]:
    """Output of an indicator landing in ``year`` (from money in year - lag), all units or one unit: (var, coef, initiative)."""
    terms: list[tuple[pulp.LpVariable, float, str]] = []
    for u, i in bp.sets.pairs:
        if unit is not None and u != unit:
            continue
        ini = bp.scenario.initiatives[i]
        eff = ini.effects.get(indicator)
        source_year = year - ini.lag
        if eff is None or source_year < bp.sets.years[0]:
            continue
        terms += [(v, c * eff.yield_per_unit, i) for v, c in bp.effective_terms(u, i, source_year)]
    return terms


def _output_terms(bp: BuiltProblem, row: str, indicator: str, year: int, unit: str | None = None) -> Terms:
    """Minus the output landing in ``year``, as terms of an indicator_value row; records each yield coefficient."""
    out: Terms = []
    for var, coef, initiative in _flow_terms(bp, indicator, year, unit):
        out.append((var, -coef))
        bp.yield_terms.append((row, var.name, initiative, indicator, -coef))
    return out


def add_indicator_value_constraints(bp: BuiltProblem) -> None:
    """indicator_value[k,t]: the value v[k,t] of each indicator by its kind (G[k,t] = output landing in t, e = exogenous).

    cumulative_new, breakthrough:  v[k,t] = v[k,t-1] + G[k,t] + e_k,           v[k,base] = b_k
    level:                         v[k,t] = (1-d_k) v[k,t-1] + G[k,t] + e_k
    ratio:                   D_k v[k,t] = (1-d_k) D_k v[k,t-1] + G[k,t] + e_k
    annual_rate:                   v[k,t] = G[k,t] + e_k
    per_unit_min (unit_value[k,u,t] for each qualifying u):  w[k,u,t] = w[k,u,t-1] + G[k,u,t] + e_k
    """
    for k in bp.sets.indicators:
        ind = bp.scenario.indicators[k]
        if ind.kind == "per_unit_min":
            for u in bp.sets.qualifying[k]:
                for n, t in enumerate(bp.sets.years):
                    w = pulp.LpVariable(row_name("w", k, u, t))
                    bp.unit_value[k, u, t] = w
                    name = row_name("indicator_value", k, u, t)
                    terms = [(w, 1.0)] + _output_terms(bp, name, k, t, u)
                    rhs = ind.exogenous + (ind.baseline if n == 0 else 0.0)
                    if n:
                        terms.append((bp.unit_value[k, u, bp.sets.years[n - 1]], -1.0))
                    _add(bp, terms, pulp.LpConstraintEQ, rhs, name)
            continue
        scale = ind.denominator if ind.kind == "ratio" else 1.0
        carry = {"cumulative_new": 1.0, "breakthrough": 1.0, "annual_rate": 0.0}.get(ind.kind, 1.0 - ind.decay)
        for n, t in enumerate(bp.sets.years):
            v = pulp.LpVariable(row_name("v", k, t))
            bp.value[k, t] = v
            name = row_name("indicator_value", k, t)
            terms = [(v, scale)] + _output_terms(bp, name, k, t)
            rhs = ind.exogenous
            if n == 0:
                rhs += carry * scale * ind.baseline
            elif carry:
                terms.append((bp.value[k, bp.sets.years[n - 1]], -carry * scale))
            _add(bp, terms, pulp.LpConstraintEQ, rhs, name)


def value_series(bp: BuiltProblem, indicator: str) -> list[tuple[str | None, dict[int, pulp.LpVariable]]]:
    """The value series an indicator is judged on: one overall, or one per qualifying unit."""
    if bp.scenario.indicators[indicator].kind == "per_unit_min":
        return [(u, {t: bp.unit_value[indicator, u, t] for t in bp.sets.years}) for u in bp.sets.qualifying[indicator]]
    return [(None, {t: bp.value[indicator, t] for t in bp.sets.years})]


def add_missing_shortfall_constraints(bp: BuiltProblem) -> None:
    """missing_shortfall[k(,u)]:  s1[k] >= clear_k - v[k, clear_by_k],  s1 >= 0, for missing k (per unit for per_unit_min).

    Stage 1 minimizes Z1 = sum_k (1/n_k) sum_series s1 / clear_k: the number of missing indicators not yet
    cleared by their clear-by years (a half-cleared one counts 0.5).
    """
    terms: Terms = []
    for k in bp.sets.missing:
        ind = bp.scenario.indicators[k]
        series = value_series(bp, k)
        for unit, values in series:
            ids = (k,) if unit is None else (k, unit)
            s1 = pulp.LpVariable(row_name("s1", *ids), lowBound=0)
            bp.shortfall[ids] = s1
            _add(bp, [(s1, 1.0), (values[ind.clear_year], 1.0)], pulp.LpConstraintGE, ind.clear_value, row_name("missing_shortfall", *ids))
            terms.append((s1, 1.0 / (ind.clear_value * len(series))))
    bp.stage1 = pulp.LpAffineExpression(terms)


def add_progress_constraints(bp: BuiltProblem) -> None:
    """Normalized progress toward each target, capped at 1, with a small credit beyond (stage 2).

    progress_cap[k(,u)]:        p[k] + e[k] <= (v[k,T_k] - o_k) / (target_k - o_k),   p <= 1, e >= 0
    milestone_cap[k(,u),m]:     pm[k,m]     <= (v[k,m] - o_k) / (milestone_m - o_k),  pm <= 1
    Z2 = (1/W) sum_k w_k (1/n_k) sum_series [(1-mu_k) p + mu_k mean_m pm + eps e]
    (o_k = baseline, or 0 when the target only sustains today's level; mu_k = milestone weight if k has milestones.)
    """
    policy = bp.scenario.policy
    total_weight = sum(bp.scenario.indicators[k].weight for k in bp.sets.indicators) or 1.0
    terms: Terms = []
    for k in bp.sets.indicators:
        ind = bp.scenario.indicators[k]
        if ind.weight <= 0:
            continue
        origin, span = ind.progress_origin, ind.progress_span
        milestones = {y: m for y, m in sorted(ind.milestones.items()) if m > 0 and y in bp.sets.years}
        mu = policy.milestone_weight if milestones else 0.0
        series = value_series(bp, k)
        scale = ind.weight / total_weight / len(series)
        for unit, values in series:
            ids = (k,) if unit is None else (k, unit)
            p = pulp.LpVariable(row_name("p", *ids), upBound=1.0)
            e = pulp.LpVariable(row_name("e", *ids), lowBound=0)
            bp.progress[ids] = p
            _add(
                bp,
                [(p, 1.0), (e, 1.0), (values[ind.target_year], -1.0 / span)],
                pulp.LpConstraintLE,
                -origin / span,
                row_name("progress_cap", *ids),
            )
            terms += [(p, scale * (1.0 - mu)), (e, scale * policy.beyond_target_credit)]
            for year, mval in milestones.items():
                pm = pulp.LpVariable(row_name("pm", *ids, year), upBound=1.0)
                m_origin = origin if mval > origin else 0.0  # a milestone at or below the baseline means: sustain it
                gap = mval - m_origin
                _add(bp, [(pm, 1.0), (values[year], -1.0 / gap)], pulp.LpConstraintLE, -m_origin / gap, row_name("milestone_cap", *ids, year))
                terms.append((pm, scale * mu / len(milestones)))
    bp.stage2 = pulp.LpAffineExpression(terms)


def add_clear_requirement_constraints(bp: BuiltProblem, requirements: dict[str, tuple[int, float]], switchable: bool = False) -> None:
    """Cost-to-clear: clear_requirement[k(,u)]:  v[k,y_k] >= L_k  (or >= L_k c_k with c_k in {0,1} "k is cleared").

    ``requirements`` maps an indicator to (year, level). With ``switchable`` each indicator gets a binary
    c_k (row ``cleared_count`` then asks for at least n of them), for the cost-to-clear curve.
    """
    for k, (year, level) in sorted(requirements.items()):
        c = None
        if switchable:
            c = pulp.LpVariable(row_name("cleared", k), cat=pulp.LpBinary)
            bp.cleared[k] = c
        for unit, values in value_series(bp, k):
            ids = (k,) if unit is None else (k, unit)
            terms: Terms = [(values[year], 1.0)]
            rhs = level
            if c is not None:
                terms.append((c, -level))
                rhs = 0.0
            _add(bp, terms, pulp.LpConstraintGE, rhs, row_name("clear_requirement", *ids))
    if switchable:
        _add(bp, [(c, 1.0) for c in bp.cleared.values()], pulp.LpConstraintGE, 0.0, row_name("cleared_count", "all"))


def add_stage1_keep_constraints(bp: BuiltProblem, limits: dict[tuple[str, ...], float]) -> None:
    """Cost-to-clear: stage1_keep[k(,u)]:  s1[k(,u)] <= (its value in the base plan): no other gap may reopen."""
    for ids, limit in sorted(limits.items()):
        var = bp.shortfall.get(ids)
        if var is not None:
            _add(bp, [(var, 1.0)], pulp.LpConstraintLE, limit + 1e-7 * (1 + abs(limit)), row_name("stage1_keep", *ids))


def add_keep_value_constraints(bp: BuiltProblem, floors: dict[tuple[str, int], float]) -> None:
    """Cost-to-clear with --keep-others: keep_value[k(,u),t]:  v[k,t] >= F[k,t] (the base plan's value, up to the target)."""
    for (k, year), level in sorted(floors.items()):
        for unit, values in value_series(bp, k):
            ids = (k, year) if unit is None else (k, unit, year)
            _add(bp, [(values[year], 1.0)], pulp.LpConstraintGE, level, row_name("keep_value", *ids))


def extra_money_expression(bp: BuiltProblem) -> pulp.LpAffineExpression:
    """Total extra money over all years and pools (the cost-to-clear objective)."""
    return pulp.LpAffineExpression([(v, 1.0) for v in bp.extra.values()])


def build_problem(scenario: Scenario, *, elastic: bool = False, check: bool = True, extra_pool: str | None = None) -> BuiltProblem:
    """Build the two-stage allocation model of a validated scenario.

    With ``elastic=True`` every money rule in ELASTIC_FAMILIES gets a priced slack and the objective is
    the total slack: solving it tells which rules conflict and by how much (used to explain infeasibility).
    With ``extra_pool`` ("increment" or "total") the school's funds may be topped up by extra money
    variables, for cost-to-clear questions.
    """
    if check:
        check_scenario(scenario)
    sets = ModelSets.from_scenario(scenario)
    bp = BuiltProblem(
        sets=sets, problem=pulp.LpProblem(row_name("allocation", "plan"), pulp.LpMinimize), elastic_mode=elastic, extra_pool=extra_pool
    )
    add_extra_money_variables(bp)
    add_money_variables(bp)
    add_activity_variables(bp)
    add_setup_variables_and_constraints(bp)
    add_activity_cost_constraints(bp)
    add_segment_constraints(bp)
    add_funding_constraints(bp)
    add_capacity_constraints(bp)
    add_fund_limit_constraints(bp)
    add_source_share_constraints(bp)
    add_stock_floor_constraints(bp)
    add_change_cap_constraints(bp)
    add_missing_reserve_constraints(bp)
    add_indicator_value_constraints(bp)
    add_missing_shortfall_constraints(bp)
    add_progress_constraints(bp)
    if elastic:
        bp.problem.setObjective(pulp.LpAffineExpression([(v, 1.0) for v in bp.elastic.values()]))
    else:
        bp.problem.setObjective(bp.stage1)
    logger.debug("built %s: %d variables, %d rows", scenario.name, len(bp.problem.variables()), len(bp.problem.constraints))
    return bp


def amount_rows(bp: BuiltProblem, fund: str, year: int) -> list[tuple[str, str, float]]:
    """Every row whose bound moves with the amount A_f,t of one fund in one year: (row, side, dBound/dA).

    ``fund_limit`` (upper, 1), a restricted source's ``source_share_max`` / ``source_share_min``
    (upper / lower, its share) and, for an increment fund, the year's ``missing_reserve`` earmark
    (upper, 1 - r). What-if levels and marginal values move all of them together, as more money does.
    """
    f = fund_by_key(bp.sets, fund)
    rows = [(row_name("fund_limit", f.key, year), "upper", 1.0)]
    if f.restricted:
        for u in sorted({u for (u, _) in f.eligible}):
            rows.append((row_name("source_share_max", f.key, u, year), "upper", f.max_unit_share))
            rows.append((row_name("source_share_min", f.key, u, year), "lower", f.min_unit_share))
    if f.pool == "increment":
        rows.append((row_name("missing_reserve", year), "upper", 1.0 - bp.scenario.policy.missing_reserve_share))
    return [r for r in rows if r[0] in bp.problem.constraints]


def fund_by_key(sets: ModelSets, key: str) -> Fund:
    """The fund with a given key."""
    return next(f for f in sets.funds if f.key == key)
