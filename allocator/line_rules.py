"""The rules each line (unit x initiative) follows, resolved once from the policy, the lines table and execution.

A per-line rule beats a rule for every unit of its initiative, which beats the policy's defaults; last year's
execution rate flags lines whose idle money is reclaimed at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from models import Execution, LineRule, Scenario

from .selectors import select_initiatives


@dataclass(frozen=True)
class LineTerms:
    """Everything the model and the reclaim report need to know about one line."""

    unit: str
    initiative: str
    base: float
    recurrent: bool
    down: float | None
    up: float | None
    up_abs: float
    start_abs: float | None
    phase_out: bool = False
    schedule: tuple[float, ...] = ()
    floor: float = 0.0
    floor_reason: str = ""
    reason: str = ""
    execution: Execution | None = None
    flagged: bool = False

    @property
    def idle(self) -> float:
        """Money the line left unspent last year when its execution rate was too low (reclaimed at once)."""
        if not self.flagged or self.execution is None:
            return 0.0
        return min(self.base, max(0.0, self.execution.planned - self.execution.actual))

    @property
    def is_new(self) -> bool:
        """A line with no base money: it starts within the plan, if at all."""
        return self.base <= 0

    def schedule_share(self, n: int) -> float | None:
        """Least share of its base a phased-out line keeps in plan year number ``n`` (0-based); None after the schedule."""
        return self.schedule[n] if n < len(self.schedule) else None


def _rule_for(rules: dict[tuple[str, str], LineRule], unit: str, initiative: str) -> tuple[LineRule | None, LineRule | None]:
    return rules.get((unit, initiative)), rules.get(("all", initiative))


def _pick(field: str, line: LineRule | None, initiative: LineRule | None, default):
    for rule in (line, initiative):
        if rule is not None and getattr(rule, field) is not None:
            return getattr(rule, field)
    return default


def resolve_lines(scenario: Scenario, pairs) -> dict[tuple[str, str], LineTerms]:
    """The terms of every runnable line, in the order of ``pairs``."""
    policy = scenario.policy.lines
    rules = {(r.unit, r.initiative): r for r in scenario.lines}
    must = set(select_initiatives(policy.must_fund, scenario.initiatives))
    execution = {(e.unit, e.initiative): e for e in scenario.execution if e.year == scenario.base_year}
    out: dict[tuple[str, str], LineTerms] = {}
    for u, i in pairs:
        ini = scenario.initiatives[i]
        base = float(scenario.units[u].base.get(i, 0.0))
        line, every = _rule_for(rules, u, i)
        phase_out = any(r is not None and r.phase_out for r in (line, every))
        schedule = next((r.schedule for r in (line, every) if r is not None and r.phase_out), ())
        floor, floor_reason = 0.0, ""
        if not phase_out:
            amount = _pick("must_fund", line, every, None)
            share = _pick("must_fund_share", line, every, None)
            if amount is not None or share is not None:
                floor = max(amount or 0.0, (share or 0.0) * base)
            elif i in must and base > 0:
                floor = policy.must_fund_share * base
            if floor > 0:
                given = next((r.reason for r in (line, every) if r is not None and r.reason), "")
                floor_reason = given or (f"政策{ini.clause}" if ini.clause else "must fund")
        up_abs = _pick("up_abs", line, every, policy.up_abs)
        start_abs = _pick("start_abs", line, every, policy.start_abs)
        if ini.integer:
            up_abs = max(up_abs, ini.yearly_cost)  # a whole-unit line may always add one more unit
        if start_abs is not None:
            start_abs = max(start_abs, ini.yearly_cost)  # and a new line may start with one unit
        exe = execution.get((u, i))
        rate = exe.rate if exe is not None else None
        flagged = policy.reclaim_below is not None and base > 0 and rate is not None and rate < policy.reclaim_below
        out[u, i] = LineTerms(
            unit=u,
            initiative=i,
            base=base,
            recurrent=not ini.is_one_off,
            down=_pick("down_share", line, every, policy.down_share),
            up=_pick("up_share", line, every, policy.up_share),
            up_abs=up_abs,
            start_abs=start_abs,
            phase_out=phase_out,
            schedule=tuple(schedule),
            floor=floor,
            floor_reason=floor_reason,
            reason=next((r.reason for r in (line, every) if r is not None and r.reason), ""),
            execution=exe,
            flagged=flagged,
        )
    return out
