"""Why an indicator cannot be reached by a year with any amount of money, and the smallest change that would do.

Structural rules are checked with arithmetic, no solver: no unit may run any initiative that moves the
indicator; every such initiative's lead time lands its output after the year; or even every unit at
full capacity cannot produce enough (an upper bound computed with the plan's own trajectory
accounting). When none of these binds, a money rule does (a change cap, --keep-others, the pool the
extra money may come from): each is relaxed in turn and the question asked again, and the first
relaxation that answers it is named, for a change cap with the smallest cap on a short grid that works.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from models import Scenario

from .sets import ModelSets
from .trajectory import evaluate

logger = logging.getLogger(__name__)

CAP_GRID = (0.4, 0.5, 0.75, 1.0, 1.5, 2.0)
"""Rise caps (share of last year's total) tried, in order, when the change cap is what binds."""


@dataclass(frozen=True)
class Obstacle:
    """A rule that stops an indicator from reaching its level by a year, in words, with changes that would lift it."""

    indicator: str
    rule: str  # no_initiative, eligibility, lead_time, capacity, keep_others, change_cap, pool, unknown
    en: str
    zh: str
    tries: tuple[str, ...] = field(default=())
    tries_zh: tuple[str, ...] | None = None  # the changes in Chinese where one is in words, not an option to type

    def words(self, lang: str) -> str:
        """The sentence in ``lang`` with the changes to try."""
        text = self.zh if lang == "zh" else self.en
        tries = self.tries_zh if lang == "zh" and self.tries_zh is not None else self.tries
        if not tries:
            return text
        joined = (" 或 " if lang == "zh" else " or ").join(tries)
        return f"{text}；可试 {joined}" if lang == "zh" else f"{text}; try {joined}"

    def as_dict(self) -> dict[str, Any]:
        """For the run manifest."""
        return {"indicator": self.indicator, "rule": self.rule, "en": self.words("en"), "zh": self.words("zh"), "try": list(self.tries)}


def _path_of(item: Any) -> list[str]:
    if isinstance(item, dict):
        return [str(k) for k in item]
    text = str(item)
    return [text.split("=", 1)[0].rstrip("*+").strip()] if "=" in text else []


def named_touching(named: Mapping[str, Sequence[Any]] | None, overrides: Mapping[str, Any] | None, prefixes: Sequence[str]) -> list[str]:
    """Named scenarios whose edits change a path starting with one of ``prefixes``."""
    out = []
    for name, items in (named or {}).items():
        paths: list[str] = []
        for item in items if isinstance(items, list) else [items]:
            if isinstance(item, str) and item in (overrides or {}):
                paths += [str(p) for p in (overrides or {})[item]]
            else:
                paths += _path_of(item)
        if any(p.startswith(prefix) for p in paths for prefix in prefixes):
            out.append(name)
    return sorted(out)


def zh_name(sc: Scenario, key: str) -> str:
    """An indicator (or a list of them, comma separated) by its Chinese name, for the Chinese sentences; keys not found as written."""

    def one(k: str) -> str:
        ind = sc.indicators.get(k)
        return (ind.name_zh or k) if ind is not None else k

    return "、".join(one(k.strip()) for k in key.split(","))


def _feeders(sc: Scenario, key: str) -> list[str]:
    return sorted(i for i, ini in sc.initiatives.items() if key in ini.effects and ini.effects[key].yield_per_unit > 0)


def structural(
    sc: Scenario,
    key: str,
    year: int,
    level: float,
    *,
    named: Mapping[str, Sequence[Any]] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Obstacle | None:
    """The structural rule (who may run it, lead time, capacity) that makes ``level`` by ``year`` impossible, or None."""
    sets = ModelSets.from_scenario(sc)
    feeders = _feeders(sc, key)
    if not feeders:
        return Obstacle(
            key,
            "no_initiative",
            f"no initiative moves {key}",
            f"没有举措推动指标“{zh_name(sc, key)}”",
            ("an initiative with an effect on it",),
            ("增加一项对它有效果的举措",),
        )
    runnable = [i for i in feeders if sets.pairs_by_initiative.get(i)]
    if not runnable:
        who = "; ".join(f"initiatives.{i}.units={';'.join(sc.initiatives[i].units)}" for i in feeders)
        return Obstacle(
            key,
            "eligibility",
            f"no unit may run any initiative that moves {key} ({who})",
            f"没有单位可以承担推动“{zh_name(sc, key)}”的举措（{who}）",
            tuple(f"--set initiatives.{i}.units=all" for i in feeders[:1]),
        )
    timely = [i for i in runnable if sc.start_year + sc.initiatives[i].lag <= year]
    if not timely:
        return _lead_time(sc, key, year, runnable, named, overrides)
    return _capacity(sc, sets, key, year, level, timely, named, overrides)


def _lead_time(sc, key, year, runnable, named, overrides) -> Obstacle:
    best = min(runnable, key=lambda i: (sc.initiatives[i].lag, i))
    lag = sc.initiatives[best].lag
    earliest = sc.start_year + lag
    tries = []
    if earliest <= sc.end_year:
        tries.append(f"--by {earliest}")
    tries.append(f"--set initiatives.{best}.lag={max(0, year - sc.start_year)}")
    tries += [
        f"--scenario {n}" for n in named_touching(named, overrides, (*(f"initiatives.{i}.lag" for i in runnable), f"indicators.{key}."))
    ]
    path = f"initiatives.{best}.lag={lag}"
    return Obstacle(
        key,
        "lead_time",
        f"{key} needs {lag} years' lead time ({path}): money from {sc.start_year} lands in {earliest} at the earliest, after {year}",
        f"“{zh_name(sc, key)}”需要{lag}年建设周期（{path}）：{sc.start_year}年投入最早{earliest}年见效，晚于{year}年",
        tuple(tries),
    )


def _unit_output(ini, activity: float) -> float:
    """Effective output of ``activity`` units of one initiative at one unit (diminishing-returns segments)."""
    out, start = 0.0, 0.0
    for width, efficiency in ini.segment_table:
        piece = max(0.0, min(activity - start, math.inf if width is None else width))
        out += efficiency * piece
        if width is None:
            break
        start += width
    return out


def _max_effective(sc: Scenario, sets: ModelSets, timely: Sequence[str], year: int) -> np.ndarray | None:
    """Upper bound of effective activity (U, I, T) of the timely initiatives, all on one runner; None when one is unlimited."""
    years = list(sets.years)
    out = np.zeros((len(sets.units), len(sets.initiatives), len(years)))
    for i in timely:
        ini = sc.initiatives[i]
        n_units = len(sets.pairs_by_initiative[i])
        per_unit = math.inf if ini.capacity is None else _unit_output(ini, ini.capacity)
        per_year = n_units * per_unit
        if ini.total_capacity is not None:
            per_year = min(per_year, ini.total_capacity)  # efficiency is at most 1
        column = [per_year if t + ini.lag <= year else 0.0 for t in years]
        if ini.horizon_capacity is not None:
            left, trimmed = ini.horizon_capacity, []
            for v in reversed(column):  # the latest years count most for a decaying stock
                take = min(v, left)
                trimmed.append(take)
                left -= take
            column = list(reversed(trimmed))
        if any(math.isinf(v) for v in column):
            return None
        runner = sets.units.index(sets.pairs_by_initiative[i][0])
        out[runner, sets.initiatives.index(i), :] = column
    return out


def _capacity(sc, sets, key, year, level, timely, named, overrides) -> Obstacle | None:
    if sc.indicators[key].kind == "per_unit_min":
        return None  # each qualifying unit on its own: left to the money rules
    eff = _max_effective(sc, sets, timely, year)
    if eff is None:
        return None
    traj = evaluate(sets, eff)
    bound = float(traj.values[sets.indicators.index(key), list(sets.years).index(year)])
    if bound >= level - 1e-9:
        return None
    ind = sc.indicators[key]
    short = level - bound
    if ind.kind == "ratio" and ind.denominator:
        short *= ind.denominator
    total = eff.sum(axis=0)
    main = max(timely, key=lambda i: float(total[sets.initiatives.index(i), :].sum()) * sc.initiatives[i].effects[key].yield_per_unit)
    ini = sc.initiatives[main]
    active = sum(1 for t in sets.years if t + ini.lag <= year)
    need = short / ini.effects[key].yield_per_unit
    if ini.horizon_capacity is not None and float(total[sets.initiatives.index(main), :].sum()) >= ini.horizon_capacity - 1e-9:
        field_name, new = "horizon_capacity", ini.horizon_capacity + need
    elif ini.total_capacity is not None:
        field_name, new = "total_capacity", ini.total_capacity + need / max(active, 1)
    else:
        field_name, new = "capacity", (ini.capacity or 0) + need / max(active * len(sets.pairs_by_initiative[main]), 1)
    # an upper bound through diminishing returns: the new capacity is a lower bound of what is needed
    new = math.ceil(new * 100 - 1e-9) / 100
    current = getattr(ini, field_name)
    tries = [f"--set initiatives.{main}.{field_name}={new:g}"]
    tries += [f"--scenario {n}" for n in named_touching(named, overrides, tuple(f"initiatives.{i}." for i in timely))]
    return Obstacle(
        key,
        "capacity",
        f"{key} can reach at most {bound:.4g} by {year} (needs {level:g}) with every unit at full capacity "
        f"(initiatives.{main}.{field_name}={current:g})",
        f"“{zh_name(sc, key)}”即使各单位满负荷，{year}年最多达到{bound:.4g}（需要{level:g}）"
        f"（initiatives.{main}.{field_name}={current:g}）",
        tuple(tries),
    )


def money_rules(
    sc: Scenario,
    reachable: Callable[[Scenario, bool, str], bool],
    key: str,
    *,
    keep_others: bool,
    pool: str,
    named: Mapping[str, Sequence[Any]] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Obstacle:
    """The money rule that binds, found by relaxing one at a time; ``reachable(scenario, keep_others, pool)`` asks again."""
    if keep_others and reachable(sc, False, pool):
        return Obstacle(
            key,
            "keep_others",
            f"{key} can be reached only by letting another indicator fall below its base plan (--keep-others)",
            f"“{zh_name(sc, key)}”只有允许其他指标低于原方案（--keep-others）时才能达到",
            ("without --keep-others",),
            ("去掉 --keep-others",),
        )
    cap = sc.policy.change_cap
    if cap.up_share is not None or cap.down_share is not None:
        for share in [s for s in CAP_GRID if cap.up_share is None or s > cap.up_share]:
            relaxed = sc.model_copy(
                update={
                    "policy": sc.policy.model_copy(update={"change_cap": cap.model_copy(update={"up_share": share, "down_share": None})})
                }
            )
            if reachable(relaxed, keep_others, pool):
                tries = [f"--set policy.change_cap.up_share={share:g}"] + [
                    f"--scenario {n}" for n in named_touching(named, overrides, ("policy.change_cap",))
                ]
                return Obstacle(
                    key,
                    "change_cap",
                    f"{key} needs units to grow faster than the change cap allows (policy.change_cap.up_share={cap.up_share})",
                    f"“{zh_name(sc, key)}”需要单位经费增长快于年度变动上限（policy.change_cap.up_share={cap.up_share}）",
                    tuple(tries),
                )
    if pool == "increment" and reachable(sc, keep_others, "total"):
        return Obstacle(
            key, "pool", f"{key} needs extra money in the stock pool too", f"“{zh_name(sc, key)}”还需要追加存量经费", ("--pool total",)
        )
    return Obstacle(
        key,
        "unknown",
        f"{key} cannot be reached by the year asked with any amount of extra {pool} money, and no single rule explains it",
        f"“{zh_name(sc, key)}”在所问年份之前无论追加多少{'增量' if pool == 'increment' else ''}资金都无法达到，且不是单一规则所致",
    )


def explain_unreachable(
    sc: Scenario,
    requirements: Mapping[str, tuple[int, float]],
    reachable: Callable[[Scenario, bool, str], bool],
    *,
    keep_others: bool,
    pool: str,
    named: Mapping[str, Sequence[Any]] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> list[Obstacle]:
    """For each indicator that cannot be reached, the rule that binds; a money rule when none is structural."""
    found = []
    for key, (year, level) in requirements.items():
        obstacle = structural(sc, key, year, level, named=named, overrides=overrides)
        if obstacle is not None:
            found.append(obstacle)
    if not found:
        label = ", ".join(requirements)
        found.append(money_rules(sc, reachable, label, keep_others=keep_others, pool=pool, named=named, overrides=overrides))
    logger.info("unreachable: %s", "; ".join(o.rule for o in found))
    return found
