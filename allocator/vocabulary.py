"""Words for the coded values runs write (statuses, pools, funds, constraint families, ...), in Chinese and English.

Run folders keep their codes (``optimal``, ``stock``, ``discipline_fund``) so that scripts can read them;
everything people read (console tables, reports, workbooks) shows them through :func:`term` and
:func:`fund_name`, so a Chinese page never shows an English status word or a fund key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

LANGUAGES = ("zh", "en")

# group -> code -> (Chinese, English)
TERMS: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "status": {
        "optimal": ("最优", "optimal"),
        "time_limit_feasible": ("可行（达到时限，未证明最优）", "feasible (time limit; not proven optimal)"),
        "infeasible": ("不可行", "infeasible"),
        "unbounded": ("无界", "unbounded"),
        "time_limit_no_solution": ("时限内无解", "no solution within the time limit"),
        "error": ("求解出错", "solver error"),
        "ok": ("完成", "ok"),
        "unreachable": ("无法达到", "unreachable"),
        "some levels have no plan": ("部分水平无可行方案", "some levels have no plan"),
        "not assessed": ("未评价", "not assessed"),
        "efficient": ("有效", "efficient"),
    },
    "pool": {
        "stock": ("存量", "stock"),
        "increment": ("增量", "increment"),
        "total": ("存量或增量", "stock or increment"),
    },
    "family": {
        "fund_limit": ("资金", "money"),
        "capacity": ("单位容量", "capacity per unit"),
        "total_capacity": ("全校年度容量", "total capacity per year"),
        "horizon_capacity": ("规划期容量", "capacity over the plan"),
        "stock_floor": ("存量保底", "stock floor"),
        "performance_money": ("绩效资金", "performance money"),
        "change_cap_up": ("年增幅上限", "rise cap"),
        "change_cap_down": ("年降幅上限", "fall cap"),
        "source_share_min": ("专项最低份额", "source minimum share"),
        "source_share_max": ("专项最高份额", "source maximum share"),
        "funding_max": ("最高资助额", "maximum funding"),
        "missing_reserve": ("缺项专项比例", "missing-indicator earmark"),
    },
    "rts": {
        "increasing": ("规模报酬递增", "increasing"),
        "constant": ("规模报酬不变", "constant"),
        "decreasing": ("规模报酬递减", "decreasing"),
        "crs": ("规模报酬不变", "constant"),
        "vrs": ("规模报酬可变", "variable"),
    },
    "kind": {
        "cumulative_new": ("新增累计", "added since the start"),
        "level": ("存量水平", "level"),
        "ratio": ("比例", "ratio"),
        "annual_rate": ("年度数", "per year"),
        "per_unit_min": ("每单位最低", "minimum per unit"),
        "breakthrough": ("突破", "breakthrough"),
    },
    "unit_type": {
        "college": ("学院", "college"),
        "department": ("职能部门", "department"),
    },
    "sense": {
        "at_least": ("不低于", "at least"),
        "at_most": ("不高于", "at most"),
        "exactly": ("等于", "exactly"),
    },
    "goal_kind": {
        "clear": ("缺项清零", "clearing a gap"),
        "target": ("目标值", "target"),
        "milestone": ("阶段目标", "milestone"),
        "goal": ("目标", "goal"),
        "hard": ("硬目标", "hard goal"),
    },
    "held_to": {
        "own": ("本单位目标", "its own targets"),
        "leads": ("牵头指标的全校目标", "the school's targets it leads"),
        "supports": ("配合指标的全校目标", "the school's targets it supports"),
    },
    "part": {
        "completion": ("产出完成", "completion"),
        "execution": ("预算执行率", "budget execution"),
        "unit_cost": ("单位成本", "unit cost"),
        "timeliness": ("按期完成", "timeliness"),
        "dea": ("DEA效率", "DEA efficiency"),
        "landmark": ("标志性成果加分", "landmark bonus"),
    },
    "model": {
        "ccr": ("CCR（规模报酬不变）", "CCR (constant returns)"),
        "bcc": ("BCC（规模报酬可变）", "BCC (variable returns)"),
        "sbm": ("SBM（松弛测度）", "SBM (slacks-based)"),
    },
    "orientation": {
        "input": ("投入导向", "input-oriented"),
        "output": ("产出导向", "output-oriented"),
        "non": ("非导向", "non-oriented"),
    },
    "limit": {
        "cap": ("单位奖励上限", "award cap"),
        "floor": ("保底奖励", "award floor"),
        "pool": ("奖励总额", "the pool"),
    },
    "reclaim_rule": {
        "gradual": ("逐年调减", "gradual"),
        "execution": ("执行率低，闲置资金收回", "low execution: idle money"),
        "phase_out": ("按计划退出", "phase-out"),
    },
    "met": {
        "True": ("达成", "met"),
        "False": ("未达成", "missed"),
    },
    "bool": {
        "True": ("是", "yes"),
        "False": ("否", "no"),
    },
}

FUNDS: Mapping[str, tuple[str, str]] = {
    "school": ("学校经费", "school funds"),
    "school_stock": ("学校存量经费", "school stock"),
    "school_increment": ("学校增量经费", "school increment"),
}
"""The school's own money, as run folders name it (``source`` school; marginals' ``fund``)."""


def _index(lang: str) -> int:
    return 0 if lang == "zh" else 1


def term(group: str, value: Any, lang: str) -> str:
    """The word for a coded value in ``lang``; a value with no entry is shown as written.

    Statuses that carry a reason after a colon (``not assessed: ...``) translate their head and keep
    the reason in English only when no Chinese reason is known.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        value = str(value)
    text = str(value)
    entry = TERMS.get(group, {}).get(text)
    if entry is not None:
        return entry[_index(lang)]
    head, sep, rest = text.partition(":")
    entry = TERMS.get(group, {}).get(head.strip())
    if entry is not None and sep:
        reason = REASONS.get(rest.strip())
        tail = reason[_index(lang)] if reason else rest.strip()
        return f"{entry[_index(lang)]}：{tail}" if lang == "zh" else f"{entry[1]}: {tail}"
    return text


REASONS: Mapping[str, tuple[str, str]] = {
    "no output due this year (its money goes to initiatives with a lead time)": (
        "本年没有应产出（经费投向有建设周期的举措）",
        "no output due this year (its money goes to initiatives with a lead time)",
    ),
}


def fund_name(key: Any, scenario: Mapping[str, Any] | None, lang: str) -> str:
    """A funding source's display name: the school's own money, or a restricted source's name in ``lang``."""
    text = "" if key is None else str(key)
    if text in FUNDS:
        return FUNDS[text][_index(lang)]
    source = ((scenario or {}).get("sources") or {}).get(text)
    if isinstance(source, Mapping):
        order = ("name_zh", "name_en") if lang == "zh" else ("name_en", "name_zh")
        for field in order:
            if source.get(field):
                return str(source[field])
    return text


def pool_source_name(pool: Any, source: Any, scenario: Mapping[str, Any] | None, lang: str) -> str:
    """资金来源 as a budget shows it: 学校存量经费 / 学校增量经费 for the school's pools, else the source's name."""
    if source in (None, "", "school"):
        return fund_name(f"school_{pool}", scenario, lang)
    return fund_name(source, scenario, lang)


COUNT_WORDS = ("人", "名", "位", "个", "所", "门", "种", "项", "家", "次", "篇", "部", "场", "期", "persons", "people", "courses", "count")
"""Measure words of things that come whole (persons, institutes, courses): shown rounded to whole numbers."""


def is_count(unit_label: Any, kind: Any = None) -> bool:
    """Whether an indicator counts whole things (``人``, ``所/年``, ``个/学院``), so its display rounds to integers."""
    if str(kind or "") == "ratio":
        return False
    label = str(unit_label or "").strip()
    head = label.split("/", 1)[0].strip()
    return bool(head) and any(head.startswith(w) or head.endswith(w) for w in COUNT_WORDS)


def money_marginal(fund: str, year: Any, value_stage1: float, value_stage2: float, lang: str, currency: str = "万元") -> str:
    """What 100 more of a fund's money in a year is worth, in one sentence: '每100万元约x个百分点' first."""
    points = 100 * 100 * value_stage2  # percentage points of weighted progress per 100 万元
    if value_stage1 < -1e-9:
        cleared = -100 * value_stage1
        if lang == "zh":
            return f"{year}年{fund}：每增加100{currency}，约可多清零{cleared:.3g}个缺项指标"
        return f"{fund} {year}: 100 {currency} more clears about {cleared:.3g} more missing indicators"
    if abs(points) < 1e-6:
        return f"{year}年{fund}：再增加资金不改变方案" if lang == "zh" else f"{fund} {year}: more money changes nothing"
    if lang == "zh":
        return f"{year}年{fund}：每100{currency}约{points:.3g}个百分点（加权进展）"
    return f"{fund} {year}: about {points:.3g} percentage points of weighted progress per 100 {currency}"


_METHOD_ZH = (
    ("dual (integers fixed)", "对偶值（整数固定）"),
    ("confirmed by re-solve (integers fixed)", "经重新求解（整数固定）确认"),
    ("re-solve of the full integer model", "完整整数模型重新求解"),
    ("(the dual with integers fixed differs)", "（与整数固定时的对偶值不同）"),
    ("re-solve (integers fixed)", "重新求解（整数固定）"),
    ("confirmed by re-solve", "经重新求解确认"),
    ("re-solve", "重新求解"),
    ("dual", "对偶值"),
)


def method_words(method: Any, lang: str) -> str:
    """How a marginal value was found (marginals.csv ``method``) in words; the English text as written."""
    text = "" if method is None else str(method)
    if lang != "zh":
        return text
    text = re.sub(r"\(a breakpoint lies within \+/-([\d.]+): more and less money differ\)", r"（±\1 内有拐点：增加与减少的效果不同）", text)
    for english, chinese in _METHOD_ZH:
        text = text.replace(english, chinese)
    return text.replace(", ", "，")


def spent_on_words(spent: Any, lang: str) -> str:
    """marginals.csv ``spent_on`` in words: where one more 万元 goes, or that equally good plans differ."""
    text = "" if spent is None else str(spent)
    if lang == "zh" and text.startswith("no single use"):
        return "无单一用途：同样好的方案花法不同"
    return text
