"""Cross-record consistency checks on a Scenario: collect every problem, then raise once.

Each problem carries the location of the offending value as a path into the scenario
(``("indicators", "kunpeng_hire", "target_year")``) so the loader can name the file, row and column.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from models import DEFAULT_SOURCE, GoalTerm, Scenario

from .errors import ScenarioError
from .limits import MAX_MAGNITUDE, MAX_MONEY
from .selectors import (
    select_initiatives,
    select_units,
    select_years,
    unknown_initiative_tokens,
    unknown_unit_tokens,
    unknown_year_tokens,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Problem:
    """One consistency problem: where it is and what is wrong."""

    loc: tuple[str | int, ...]
    message: str


def format_loc(loc: tuple[str | int, ...]) -> str:
    """Dotted path of a location, as overrides spell it."""
    return ".".join(str(p) for p in loc)


def _check_initiatives(sc: Scenario) -> list[Problem]:
    out: list[Problem] = []
    for key, ini in sc.initiatives.items():
        bad = unknown_unit_tokens(ini.units, sc.units)
        if bad:
            out.append(Problem(("initiatives", key, "units"), f"initiative '{key}' names unknown unit(s) {bad}"))
        elif not select_units(ini.units, sc.units):
            out.append(Problem(("initiatives", key, "units"), f"initiative '{key}': no unit may run it ({' '.join(ini.units)})"))
        for ind in ini.effects:
            if ind not in sc.indicators:
                out.append(Problem(("initiatives", key, "effects", ind), f"initiative '{key}' has an effect on unknown indicator '{ind}'"))
    return out


def _check_units(sc: Scenario) -> list[Problem]:
    out: list[Problem] = []
    runnable: dict[str, set[str]] = {}
    for key, unit in sc.units.items():
        for ini_key in unit.base:
            ini = sc.initiatives.get(ini_key)
            if ini is None:
                out.append(
                    Problem(("units", key, "base", ini_key), f"unit '{key}' has a base allocation for unknown initiative '{ini_key}'")
                )
            elif key not in (
                runnable[ini_key] if ini_key in runnable else runnable.setdefault(ini_key, set(select_units(ini.units, sc.units)))
            ):
                out.append(
                    Problem(
                        ("units", key, "base", ini_key),
                        f"unit '{key}' has a base allocation for initiative '{ini_key}', which it may not run",
                    )
                )
    for key in sc.policy.unit_floor_overrides:
        if key not in sc.units:
            out.append(Problem(("policy", "unit_floor_overrides", key), f"floor override for unknown unit '{key}'"))
    return out + _check_performance_money(sc)


def _check_performance_money(sc: Scenario) -> list[Problem]:
    """Performance money needs a size factor that is not zero for every unit, and points of known units."""
    pm = sc.policy.performance_money
    loc = ("policy", "performance_money")
    out = [Problem((*loc, "points", key), f"points for unknown unit '{key}'") for key in pm.points if key not in sc.units]
    if pm.share > 0:
        size = [u.base_total if pm.size == "base" else u.full_time_faculty for u in sc.units.values()]
        if not any(s > 0 for s in size):
            what = "base money" if pm.size == "base" else "full_time_faculty (units table)"
            out.append(Problem((*loc, "size"), f"size factor '{pm.size}' is 0 for every unit: the {what} gives no weight to split by"))
    return out


def _check_indicators(sc: Scenario) -> list[Problem]:
    out: list[Problem] = []
    moved = {ind for ini in sc.initiatives.values() for ind in ini.effects}
    for key, ind in sc.indicators.items():
        loc = ("indicators", key)
        if not sc.start_year <= ind.target_year <= sc.end_year:
            out.append(Problem((*loc, "target_year"), f"target_year {ind.target_year} is outside the plan {sc.start_year}-{sc.end_year}"))
        if ind.clear_by is not None and ind.clear_by < sc.start_year:
            out.append(Problem((*loc, "clear_by"), f"clear_by {ind.clear_by} is before the plan starts ({sc.start_year})"))
        for year in ind.milestones:
            if year < sc.start_year:
                out.append(Problem((*loc, "milestones", year), f"milestone year {year} is before the plan starts ({sc.start_year})"))
        if key not in moved and ind.target > ind.baseline:
            out.append(
                Problem(
                    loc,
                    f"indicator '{key}' has a target above its baseline but no initiative has an effect on it; add an effect or drop it",
                )
            )
        if ind.kind == "per_unit_min":
            bad = unknown_unit_tokens(ind.qualifying, sc.units)
            if bad:
                out.append(Problem((*loc, "qualifying"), f"indicator '{key}' names unknown unit(s) {bad}"))
            elif not select_units(ind.qualifying, sc.units):
                out.append(Problem((*loc, "qualifying"), f"indicator '{key}': no unit qualifies ({' '.join(ind.qualifying)})"))
            else:
                out.extend(_per_unit_reach(sc, key))
    return out


def _per_unit_reach(sc: Scenario, key: str) -> list[Problem]:
    """Every qualifying unit of a per-unit indicator must be able to run some initiative that moves it."""
    ind = sc.indicators[key]
    out = []
    for unit in select_units(ind.qualifying, sc.units):
        if ind.baseline >= ind.target:
            continue
        if not any(key in ini.effects and unit in select_units(ini.units, sc.units) for ini in sc.initiatives.values()):
            out.append(
                Problem(("indicators", key, "qualifying"), f"unit '{unit}' must reach '{key}' but may run no initiative that moves it")
            )
    return out


def _check_money(sc: Scenario) -> list[Problem]:
    out: list[Problem] = []
    years = set(sc.years)
    for pool in ("stock", "increment"):
        lacking = sorted(years - set(getattr(sc.budget, pool)))
        if lacking:
            out.append(Problem(("budget", pool), f"budget {pool} gives no amount for year(s) {lacking}; write 0 explicitly"))
    for key, src in sc.sources.items():
        loc = ("sources", key)
        lacking = sorted(years - set(src.amount))
        if lacking:
            out.append(Problem((*loc, "amount"), f"source '{key}' gives no amount for year(s) {lacking}; write 0 explicitly"))
        bad_units = unknown_unit_tokens(src.units, sc.units)
        bad_inis = unknown_initiative_tokens(src.initiatives, sc.initiatives)
        if bad_units:
            out.append(Problem((*loc, "units"), f"source '{key}' names unknown unit(s) {bad_units}"))
        if bad_inis:
            out.append(Problem((*loc, "initiatives"), f"source '{key}' names unknown initiative(s) {bad_inis}"))
        if bad_units or bad_inis:
            continue
        if not any(True for _ in eligible_pairs(sc, key)):
            out.append(
                Problem(
                    loc,
                    f"source '{key}' is eligible for nothing: no unit among {' '.join(src.units)} "
                    f"may run an initiative among {' '.join(src.initiatives)}",
                )
            )
    return out


def _runs(sc: Scenario, unit: str, initiative: str) -> bool:
    ini = sc.initiatives.get(initiative)
    return ini is not None and unit in sc.units and unit in select_units(ini.units, sc.units)


def _line_problems(sc: Scenario, section: str, n: int, unit: str, initiative: str, allow_all: bool = False) -> list[Problem]:
    """A record of ``section`` names a line: its unit and initiative must exist and the unit must run the initiative."""
    loc = (section, n)
    if initiative not in sc.initiatives:
        return [Problem((*loc, "initiative"), f"{section} row names unknown initiative '{initiative}'")]
    if allow_all and unit == "all":
        return []
    if unit not in sc.units:
        return [Problem((*loc, "unit"), f"{section} row names unknown unit '{unit}'")]
    if not _runs(sc, unit, initiative):
        return [Problem((*loc, "unit"), f"{section} row names line {unit}.{initiative}, but unit '{unit}' may not run '{initiative}'")]
    return []


def _in_plan(sc: Scenario, section: str, n: int, year: int) -> list[Problem]:
    if sc.start_year <= year <= sc.end_year:
        return []
    return [Problem((section, n, "year"), f"year {year} is outside the plan {sc.start_year}-{sc.end_year}")]


def _phase_out_end(sc: Scenario) -> dict[tuple[str, str], int]:
    """Last year a phased-out line may get money (the year before it ends), per line."""
    out: dict[tuple[str, str], int] = {}
    for rule in sc.lines:
        if not rule.phase_out:
            continue
        units = [u for u in sc.units if _runs(sc, u, rule.initiative)] if rule.unit == "all" else [rule.unit]
        for u in units:
            out[u, rule.initiative] = sc.start_year + len(rule.schedule) - 1
    return out


def _check_line_rules(sc: Scenario) -> list[Problem]:
    """Rows of the lines table: a known line (or unit all), once each, a phase-out schedule within the plan."""
    out: list[Problem] = []
    n_years = sc.end_year - sc.start_year + 1
    seen: dict[tuple[str, str], int] = {}
    for n, rule in enumerate(sc.lines):
        found = _line_problems(sc, "lines", n, rule.unit, rule.initiative, allow_all=True)
        out += found
        if found:
            continue
        key = (rule.unit, rule.initiative)
        if key in seen:
            out.append(Problem(("lines", n, "unit"), f"line {rule.unit}.{rule.initiative} has two rows (the first is row {seen[key] + 1})"))
        seen[key] = n
        if len(rule.schedule) > n_years:
            out.append(
                Problem(
                    ("lines", n, "schedule"),
                    f"phase-out schedule of {rule.unit}.{rule.initiative} has {len(rule.schedule)} years, longer than the plan ({n_years})",
                )
            )
        if rule.phase_out:
            units = [u for u in sc.units if _runs(sc, u, rule.initiative)] if rule.unit == "all" else [rule.unit]
            if not any(sc.units[u].base.get(rule.initiative, 0.0) > 0 for u in units):
                out.append(Problem(("lines", n, "phase_out"), f"line {rule.unit}.{rule.initiative} has no base money to phase out"))
    bad = unknown_initiative_tokens(sc.policy.lines.must_fund, sc.initiatives)
    if bad:
        out.append(Problem(("policy", "lines", "must_fund"), f"must_fund names unknown initiative(s) {bad}"))
    return out


def _check_commitments(sc: Scenario) -> list[Problem]:
    """Commitments: a known line, a plan year, not above the initiative's max funding, not after a phase-out ends."""
    out: list[Problem] = []
    ends = _phase_out_end(sc)
    committed: dict[tuple[str, str, int], float] = {}
    for n, c in enumerate(sc.commitments):
        found = _line_problems(sc, "commitments", n, c.unit, c.initiative) + _in_plan(sc, "commitments", n, c.year)
        out += found
        if found:
            continue
        key = (c.unit, c.initiative, c.year)
        committed[key] = committed.get(key, 0.0) + c.amount
        cap = sc.initiatives[c.initiative].max_funding
        if cap is not None and committed[key] > cap + 1e-9:
            out.append(
                Problem(
                    ("commitments", n, "amount"),
                    f"commitments to {c.unit}.{c.initiative} in {c.year} ({committed[key]:g}) exceed the initiative's max_funding {cap:g}",
                )
            )
        end = ends.get((c.unit, c.initiative))
        if end is not None and c.year > end:
            out.append(
                Problem(
                    ("commitments", n, "year"), f"{c.unit}.{c.initiative} is phased out after {end}, but a commitment falls in {c.year}"
                )
            )
    return out


def _check_locks(sc: Scenario) -> list[Problem]:
    """Locks: a known line, a plan year, once per line-year, not below its commitments, not above a cap."""
    out: list[Problem] = []
    ends = _phase_out_end(sc)
    locked: set[tuple[str, str, int, str | None]] = set()
    for n, lock in enumerate(sc.locks):
        found = _line_problems(sc, "locks", n, lock.unit, lock.initiative) + _in_plan(sc, "locks", n, lock.year)
        out += found
        if found:
            continue
        if lock.source is not None and lock.source != DEFAULT_SOURCE and lock.source not in sc.sources:
            out.append(Problem(("locks", n, "source"), f"unknown source '{lock.source}' (school or one of the sources table)"))
        key = (lock.unit, lock.initiative, lock.year)
        if (*key, lock.source) in locked or (lock.source is None and any(k[:3] == key for k in locked)):
            out.append(Problem(("locks", n, "year"), f"line {lock.unit}.{lock.initiative} is locked twice in {lock.year}"))
        locked.add((*key, lock.source))
        due = sum(c.amount for c in sc.commitments if (c.unit, c.initiative, c.year) == key)
        if (
            lock.source is None and lock.amount < due - 1e-9 and not sc.is_past(lock.year)
        ):  # a past year paid what it paid (formulation: rolling)
            out.append(
                Problem(
                    ("locks", n, "amount"),
                    f"lock {lock.amount:g} is below the {due:g} committed to {lock.unit}.{lock.initiative} in {lock.year}",
                )
            )
        cap = sc.initiatives[lock.initiative].max_funding
        if cap is not None and lock.amount > cap + 1e-9:
            out.append(Problem(("locks", n, "amount"), f"lock {lock.amount:g} exceeds the max_funding {cap:g} of '{lock.initiative}'"))
        end = ends.get((lock.unit, lock.initiative))
        if end is not None and lock.year > end and lock.amount > 0:
            out.append(
                Problem(
                    ("locks", n, "amount"),
                    f"{lock.unit}.{lock.initiative} is phased out after {end}; it cannot be locked at {lock.amount:g} in {lock.year}",
                )
            )
    return out


def _check_execution(sc: Scenario) -> list[Problem]:
    """Execution records: a known line, the base year, once per line."""
    out: list[Problem] = []
    rows: set[tuple[str, str]] = set()
    for n, e in enumerate(sc.execution):
        found = _line_problems(sc, "execution", n, e.unit, e.initiative)
        out += found
        if found:
            continue
        if e.year != sc.base_year:
            out.append(Problem(("execution", n, "year"), f"execution is read for the year before the plan ({sc.base_year}), not {e.year}"))
        if (e.unit, e.initiative) in rows:
            out.append(Problem(("execution", n, "unit"), f"line {e.unit}.{e.initiative} has two execution rows"))
        rows.add((e.unit, e.initiative))
    return out


def _check_lines(sc: Scenario) -> list[Problem]:
    """Line rules, commitments, locks and execution records."""
    return _check_line_rules(sc) + _check_commitments(sc) + _check_locks(sc) + _check_execution(sc)


def eligible_pairs(sc: Scenario, source: str):
    """(unit, initiative) pairs a restricted source may fund: both selected and the unit may run the initiative."""
    src = sc.sources[source]
    units = {k: sc.units[k] for k in select_units(src.units, sc.units)}
    for ini_key in select_initiatives(src.initiatives, sc.initiatives):
        for unit in select_units(sc.initiatives[ini_key].units, units):  # only the source's units: a province has many
            yield unit, ini_key


def _check_departments(sc: Scenario) -> list[Problem]:
    """Every name in an indicator's departments (责任部门) must be one unit (scoring and tasks hold that unit to it)."""
    from .responsibility import resolve

    _, problems = resolve(sc)
    return [
        Problem(("indicators", key, "departments"), f"indicator '{key}': {'; '.join(msgs)} (write a unit id or a unit's name)")
        for key, msgs in problems.items()
    ]


ONE_POOL = (
    "the school's own stock and increment are split by the pool rule after the plan is solved, so a goal cannot "
    "count one of them: count the school's money (leave pools blank) or a restricted source"
)


def _one_school_pool(term: GoalTerm) -> bool:
    """A money term that picks the school's money of one pool only (stock without increment, or the reverse)."""
    if term.kind != "money":
        return False
    pools = set(term.pools) - {"all"}
    school = not term.sources or "all" in term.sources or DEFAULT_SOURCE in term.sources
    return school and len(pools) == 1


def _check_term(sc: Scenario, loc: tuple[str | int, ...], term: GoalTerm) -> list[Problem]:
    """One goal term: every selector names something known and the term picks at least one variable."""
    if term.kind == "indicator":
        ind = sc.indicators.get(term.indicator or "")
        if ind is None:
            return [Problem((*loc, "indicator"), f"unknown indicator '{term.indicator}'")]
        if term.year is not None and not sc.start_year <= term.year <= sc.end_year:
            return [Problem((*loc, "year"), f"year {term.year} is outside the plan {sc.start_year}-{sc.end_year}")]
        if ind.kind != "per_unit_min":
            return [Problem((*loc, "units"), f"units apply to per_unit_min indicators only, not {ind.kind}")] if term.units else []
        bad = unknown_unit_tokens(term.units, sc.units)
        if bad:
            return [Problem((*loc, "units"), f"unknown unit(s) {bad}")]
        picked = set(select_units(term.units or ("all",), sc.units)) & set(select_units(ind.qualifying, sc.units))
        return [] if picked else [Problem((*loc, "units"), f"no qualifying unit of '{term.indicator}' among {' '.join(term.units)}")]
    out = []
    for column, bad in (
        ("units", unknown_unit_tokens(term.units, sc.units)),
        ("initiatives", unknown_initiative_tokens(term.initiatives, sc.initiatives)),
        ("years", unknown_year_tokens(term.years, sc.years)),
        ("sources", [t for t in term.sources if t not in ("all", DEFAULT_SOURCE) and t not in sc.sources]),
    ):
        if bad:
            out.append(Problem((*loc, column), f"unknown {column[:-1]}(s) {bad}"))
    if out:
        return out
    units = set(select_units(term.units or ("all",), sc.units))
    runnable = (
        u for i in select_initiatives(term.initiatives or ("all",), sc.initiatives) for u in select_units(sc.initiatives[i].units, sc.units)
    )
    if not select_years(term.years, sc.years) or not any(u in units for u in runnable):
        return [Problem(loc, f"the {term.kind} term picks nothing: no selected unit may run a selected initiative in a selected year")]
    return []


def _check_goals(sc: Scenario) -> list[Problem]:
    out: list[Problem] = []
    for key, goal in sc.goals.items():
        for n, term in enumerate(goal.terms):
            loc = ("goals", key, "terms", n)
            out += [Problem((*loc, "pools"), ONE_POOL)] if _one_school_pool(term) else _check_term(sc, loc, term)
    return out + _check_level_weights(sc)


def _check_level_weights(sc: Scenario) -> list[Problem]:
    """A level stated by a goal or an indicator's own priority must weight something above zero."""
    members: dict[int, list[tuple[tuple[str, ...], float]]] = {}
    for key, goal in sc.goals.items():
        if not goal.hard and goal.priority is not None:
            members.setdefault(goal.priority, []).append((("goals", key, "weight"), goal.weight))
    for key, ind in sc.indicators.items():
        if ind.priority is not None:
            members.setdefault(ind.priority, []).append((("indicators", key, "weight"), ind.weight))
    default = [ind.weight for ind in sc.indicators.values() if ind.priority is None]
    out = []
    for priority, items in sorted(members.items()):
        weights = [w for _, w in items]
        if priority == sc.policy.progress_priority:
            weights += default
        if priority == sc.policy.missing_priority and any(ind.is_missing for ind in sc.indicators.values()):
            continue  # the gaps of missing indicators count there whatever their weights
        if not any(w > 0 for w in weights):
            out.append(Problem(items[0][0], f"every weight at priority {priority} is 0: the level would optimize nothing"))
    return out


_MONEY_FIELDS = {"unit_cost", "setup_cost", "min_funding", "max_funding", "incentive_pool", "award_cap", "award_floor", "up_abs"}


def _is_money(loc: tuple[str, ...]) -> bool:
    """Whether the value at ``loc`` is money (its limit is MAX_MONEY rather than MAX_MAGNITUDE)."""
    if loc[:1] == ("budget",) or (loc[:1] == ("sources",) and "amount" in loc) or (loc[:1] == ("units",) and "base" in loc):
        return True
    return loc[-1] in _MONEY_FIELDS


def _numbers(node: object, loc: tuple[str, ...] = ()):
    """(location, number) of every number in a dumped scenario."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _numbers(v, (*loc, str(k)))
    elif isinstance(node, (list, tuple)):
        for i, v in enumerate(node):
            yield from _numbers(v, (*loc, str(i)))
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        yield loc, float(node)


def check_magnitudes(sc: Scenario) -> list[Problem]:
    """Every number finite and within the stated limits (a 1e308 budget makes the LP look unbounded, inf reaches scores)."""
    out = []
    for loc, value in _numbers(sc.model_dump(mode="python")):
        limit = MAX_MONEY if _is_money(loc) else MAX_MAGNITUDE
        if not math.isfinite(value):
            out.append(Problem(loc, f"{value} is not a finite number"))
        elif abs(value) > limit:
            what = "money figure" if limit == MAX_MONEY else "number"
            out.append(Problem(loc, f"{value:g} is beyond the limit of {limit:,.0f} for any {what}"))
    return out


def find_problems(sc: Scenario) -> list[Problem]:
    """Every cross-record problem in a scenario, in a stable order (values out of range first: they explain the rest)."""
    magnitudes = check_magnitudes(sc)
    if magnitudes:
        return magnitudes
    checks = (_check_initiatives, _check_units, _check_indicators, _check_departments, _check_money, _check_goals, _check_lines)
    problems = [p for check in checks for p in check(sc)]
    return problems or _check_line_room(sc)


def _check_line_room(sc: Scenario) -> list[Problem]:
    """Floors and locks above what a line's capacity and max funding let it take (run on consistent records only)."""
    from .line_room import shortage_field, shortages

    out: list[Problem] = []
    per_line: dict[tuple[str, str, str], dict[str, list[int]]] = {}
    for s in shortages(sc):
        if s.lock_row is not None:
            text = f"lock {s.need:g} on {s.unit}.{s.initiative} in {s.year} is above the {s.most:g} the line can take ({s.why_most})"
            out.append(Problem(("locks", s.lock_row, "amount"), text))
            continue
        text = f"needs {s.need:g} ({s.why_need}) but can take at most {s.most:g} ({s.why_most})"
        per_line.setdefault((s.initiative, shortage_field(sc, s), s.unit), {}).setdefault(text, []).append(s.year)
    alike: dict[tuple[str, str, str], list[str]] = {}
    for (initiative, field, unit), texts in per_line.items():
        said = "; ".join(f"{_years_text(ys)}: {text}" for text, ys in texts.items())
        alike.setdefault((initiative, field, said), []).append(unit)
    for (initiative, field, said), units in alike.items():
        who = f"lines {', '.join(f'{u}.{initiative}' for u in units)} each" if len(units) > 1 else f"line {units[0]}.{initiative}"
        out.append(Problem(("initiatives", initiative, field), f"{who} cannot keep its floor: {said}; raise {field} or lower the floor"))
    return out


def _years_text(years: list[int]) -> str:
    """2022 / 2023-2025 / 2021, 2023: years as runs of consecutive years."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def check_scenario(sc: Scenario) -> None:
    """Raise one ScenarioError listing every cross-record problem (no-op for a consistent scenario)."""
    problems = find_problems(sc)
    if problems:
        lines = "\n".join(f"  - {format_loc(p.loc)}: {p.message}" for p in problems)
        raise ScenarioError(f"Errors in scenario '{sc.name}' ({len(problems)}):\n{lines}")
