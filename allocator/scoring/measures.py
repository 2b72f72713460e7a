"""Plain measures of a unit's year before any points: spending, execution, tasks against targets, unit costs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from models import LineExecution, Scenario

from .inputs import ScoringInputs

UnitYear = tuple[str, int]


def spending_by_unit(inputs: ScoringInputs) -> dict[UnitYear, float]:
    """Total money each unit spent in each year."""
    out: dict[UnitYear, float] = defaultdict(float)
    for r in inputs.spending:
        out[r.unit, r.year] += r.amount
    return dict(out)


def planned_by_unit(inputs: ScoringInputs) -> dict[UnitYear, float]:
    """Total planned money of each unit in each year (empty when no plan was given)."""
    out: dict[UnitYear, float] = defaultdict(float)
    for r in inputs.planned or ():
        out[r.unit, r.year] += r.amount
    return dict(out)


def line_execution(inputs: ScoringInputs) -> list[LineExecution]:
    """预算执行率 of every line (unit x initiative) with planned money or spending in a scored year."""
    if inputs.planned is None:
        return []
    years = set(inputs.years)
    planned = {(r.unit, r.initiative, r.year): r.amount for r in inputs.planned if r.year in years}
    spent = {(r.unit, r.initiative, r.year): r.amount for r in inputs.spending if r.year in years}
    rows = []
    for key in sorted(set(planned) | set(spent), key=lambda k: (k[2], k[0], k[1])):
        p, s = planned.get(key, 0.0), spent.get(key, 0.0)
        if p <= 0 and s <= 0:
            continue
        rows.append(
            LineExecution(unit=key[0], initiative=key[1], year=key[2], planned=p, spending=s, execution_rate=s / p if p > 0 else None)
        )
    return rows


def matched_lines(sc: Scenario, inputs: ScoringInputs) -> dict[tuple[str, str, int], float]:
    """Money whose output is due in each scored year, per line: spending in year y - lag on an initiative with lead time lag.

    A unit that put this year's money into an initiative with a lead time (a joint institute, a journal)
    is not charged for it until the year its output is due.
    """
    years = set(inputs.years)
    out: dict[tuple[str, str, int], float] = defaultdict(float)
    for r in inputs.spending:
        due = r.year + sc.initiatives[r.initiative].lag
        if due in years:
            out[r.unit, r.initiative, due] += r.amount
    return dict(out)


def matched_spending(sc: Scenario, inputs: ScoringInputs) -> dict[UnitYear, float]:
    """Money whose output is due in each scored year, per unit (``matched_lines`` summed over initiatives)."""
    out: dict[UnitYear, float] = defaultdict(float)
    for (u, _, y), amount in matched_lines(sc, inputs).items():
        out[u, y] += amount
    return dict(out)


@dataclass(frozen=True)
class Task:
    """One target of a year and what was delivered against it (a unit's own, or the school's total)."""

    indicator: str
    target: float
    actual: float

    @property
    def ratio(self) -> float:
        """The target's share delivered: actual / target."""
        return self.actual / self.target

    @property
    def met(self) -> bool:
        """Delivered in full."""
        return self.actual >= self.target - 1e-9


def own_tasks(inputs: ScoringInputs) -> dict[UnitYear, list[Task]]:
    """Each unit's targets of each year (target > 0) with its actual outputs."""
    actual = {(r.unit, r.indicator, r.year): r.value for r in inputs.outputs}
    out: dict[UnitYear, list[Task]] = defaultdict(list)
    for t in sorted(inputs.targets, key=lambda t: (t.unit, t.year, t.indicator)):
        if t.target > 0:
            out[t.unit, t.year].append(Task(t.indicator, t.target, actual.get((t.unit, t.indicator, t.year), 0.0)))
    return dict(out)


def school_tasks(inputs: ScoringInputs) -> dict[tuple[str, int], Task]:
    """The school's target of each indicator and year (all units' targets together) with all units' outputs together."""
    target: dict[tuple[str, int], float] = defaultdict(float)
    actual: dict[tuple[str, int], float] = defaultdict(float)
    for t in inputs.targets:
        target[t.indicator, t.year] += t.target
    for r in inputs.outputs:
        actual[r.indicator, r.year] += r.value
    return {key: Task(key[0], total, actual.get(key, 0.0)) for key, total in sorted(target.items()) if total > 0}


@dataclass(frozen=True)
class CostLine:
    """Money due this year on a unit's lines that feed one indicator, the output bought, and the output the standard expects."""

    unit: str
    indicator: str
    year: int
    spending: float
    output: float
    standard_output: float

    @property
    def standard(self) -> float:
        """Standard cost per unit of output of what the money was spent on (万元)."""
        return self.spending / self.standard_output

    @property
    def unit_cost(self) -> float | None:
        """Actual cost per unit of output; None when nothing was delivered."""
        return self.spending / self.output if self.output > 0 else None

    @property
    def ratio(self) -> float | None:
        """unit_cost / standard (above 1 = dearer than the standard)."""
        return self.standard_output / self.output if self.output > 0 else None

    @property
    def score(self) -> float:
        """min(1, standard / unit cost): 1 at or under the standard, 0 when nothing was delivered."""
        return min(1.0, self.output / self.standard_output)


def _standard_for(inputs: ScoringInputs) -> dict[tuple[str, str | None], float]:
    return {(s.indicator, s.unit): s.standard for s in inputs.standards}


def cost_lines(sc: Scenario, inputs: ScoringInputs) -> list[CostLine]:
    """Unit cost of every unit, indicator and year with money due on lines that feed the indicator.

    The standard output of the money is what the scenario's unit costs buy: sum over lines of money x yield /
    unit cost (万元 per activity unit); a standards table (per indicator, optionally per unit) replaces it
    with money / standard.
    """
    actual = {(r.unit, r.indicator, r.year): r.value for r in inputs.outputs}
    given = _standard_for(inputs)
    money: dict[tuple[str, str, int], float] = defaultdict(float)
    expected: dict[tuple[str, str, int], float] = defaultdict(float)
    for (u, i, y), amount in matched_lines(sc, inputs).items():
        ini = sc.initiatives[i]
        for k, eff in ini.effects.items():
            money[u, k, y] += amount
            expected[u, k, y] += amount * eff.yield_per_unit / ini.unit_cost
    out = []
    for (u, k, y), spent in sorted(money.items(), key=lambda kv: (kv[0][2], kv[0][0], kv[0][1])):
        if spent <= 0:
            continue
        std = given.get((k, u), given.get((k, None)))
        std_output = spent / std if std is not None else expected[u, k, y]
        out.append(CostLine(u, k, y, spent, actual.get((u, k, y), 0.0), std_output))
    return out


def scaled_outputs(inputs: ScoringInputs) -> dict[tuple[str, str, int], float]:
    """Each output over its indicator's fixed yardstick: the school total in the first year it is non-zero.

    With one yardstick, outputs stay comparable across years (the Malmquist index needs that).
    """
    totals: dict[tuple[str, int], float] = defaultdict(float)
    for r in inputs.outputs:
        totals[r.indicator, r.year] += r.value
    ref: dict[str, float] = {}
    for (k, _y), total in sorted(totals.items(), key=lambda kv: kv[0][1]):
        if total > 0 and k not in ref:
            ref[k] = total
    return {(r.unit, r.indicator, r.year): r.value / ref[r.indicator] for r in inputs.outputs if r.indicator in ref}
