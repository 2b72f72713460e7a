"""Each part of a score in words a dean can check: people, items and 万元, in the scenario's language."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from models import Indicator, Scenario

from .measures import CostLine, Task

PART_NAMES = {
    "zh": {
        "completion": "产出完成",
        "execution": "预算执行率",
        "unit_cost": "单位成本",
        "timeliness": "按期完成",
        "dea": "DEA效率",
        "landmark": "标志性成果",
    },
    "en": {
        "completion": "completion",
        "execution": "budget execution",
        "unit_cost": "unit cost",
        "timeliness": "timeliness",
        "dea": "DEA efficiency",
        "landmark": "landmark bonus",
    },
}
TRACK_NAMES = {"zh": {"college": "学院", "department": "职能部门"}, "en": {"college": "colleges", "department": "departments"}}


def lang(sc: Scenario) -> str:
    """The language of the words: zh or en."""
    return "zh" if sc.language == "zh" else "en"


def qty(x: float) -> str:
    """A count as people write it: 120, or 0.59 when not whole."""
    return f"{x:,.0f}" if abs(x - round(x)) < 1e-9 else f"{x:,.2f}"


def points(x: float) -> str:
    """Points to one decimal, halves rounded up as people round them (43.75 -> 43.8)."""
    return str(Decimal(repr(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def pct(x: float) -> str:
    """80%, or 97.4% when not a whole percent."""
    return f"{x:.0%}" if abs(x * 100 - round(x * 100)) < 1e-9 else f"{x:.1%}"


def count_label(ind: Indicator) -> str:
    """What one unit of an indicator's output is: 人 for a ratio (its numerator), else its unit label without '/年'."""
    if ind.kind == "ratio":
        return "人"
    return ind.unit_label.split("/")[0].strip()


def indicator_name(sc: Scenario, key: str) -> str:
    """The indicator's name in the scenario's language."""
    ind = sc.indicators[key]
    return ind.name_zh if lang(sc) == "zh" else (ind.name_en or key)


def task_text(sc: Scenario, task: Task, school: str = "") -> str:
    """'English courses: 12 门 against a target of 15: 80%' (school = '' for a unit's own task, or its role)."""
    ind = sc.indicators[task.indicator]
    label, name = count_label(ind), indicator_name(sc, task.indicator)
    cap = sc.policy.scoring.completion_cap
    if lang(sc) == "zh":
        where = f"（全校，{'牵头' if school == 'lead' else '配合'}）" if school else ""
        counted = f"（按{pct(cap)}计）" if task.ratio > cap else ""
        return f"{name}{where}：完成{qty(task.actual)}{label}，目标{qty(task.target)}{label}，{pct(task.ratio)}{counted}"
    where = f" (school-wide, as {'lead' if school == 'lead' else 'support'})" if school else ""
    unit = f" {label}" if label else ""
    counted = f" (counts {pct(cap)})" if task.ratio > cap else ""
    return f"{name}{where}: {qty(task.actual)}{unit} against a target of {qty(task.target)}: {pct(task.ratio)}{counted}"


def execution_text(sc: Scenario, spent: float, planned: float) -> str:
    """'spent 243.50 万元 of 250.00 万元 planned: 97.4%'."""
    cur = sc.currency
    if lang(sc) == "zh":
        return f"支出{spent:,.2f}{cur}，预算{planned:,.2f}{cur}，执行率{pct(spent / planned)}"
    return f"spent {spent:,.2f} {cur} of {planned:,.2f} {cur} planned: {pct(spent / planned)}"


def cost_text(sc: Scenario, line: CostLine) -> str:
    """'Students abroad: 3.10 万元 per 人 against a standard of 3.00 (1.03 x)', or money spent with nothing delivered."""
    ind = sc.indicators[line.indicator]
    label, name, cur = count_label(ind) or ("单位" if lang(sc) == "zh" else "unit"), indicator_name(sc, line.indicator), sc.currency
    if lang(sc) == "zh":
        if line.unit_cost is None:
            return f"{name}：支出{line.spending:,.2f}{cur}，无产出（标准每{label}{line.standard:,.2f}{cur}）"
        return f"{name}：每{label}{line.unit_cost:,.2f}{cur}，标准{line.standard:,.2f}{cur}（{line.ratio:.2f}倍）"
    if line.unit_cost is None:
        return f"{name}: {line.spending:,.2f} {cur} spent, nothing delivered (standard {line.standard:,.2f} {cur} per {label})"
    return f"{name}: {line.unit_cost:,.2f} {cur} per {label} against a standard of {line.standard:,.2f} ({line.ratio:.2f} x)"


def timeliness_text(sc: Scenario, tasks: list[Task]) -> str:
    """'4 of 5 tasks met in full (missed: ...)'."""
    met = sum(t.met for t in tasks)
    missed = [indicator_name(sc, t.indicator) for t in tasks if not t.met]
    if lang(sc) == "zh":
        return f"{len(tasks)}项任务中{met}项按期全部完成" + (f"（未完成：{'、'.join(missed)}）" if missed else "")
    return f"{met} of {len(tasks)} tasks met in full" + (f" (missed: {', '.join(missed)})" if missed else "")


def dea_text(sc: Scenario, track: str, efficiency: float) -> str:
    """DEA efficiency within the unit's track."""
    if lang(sc) == "zh":
        return f"{TRACK_NAMES['zh'][track]}内DEA效率{efficiency:.3f}"
    return f"DEA efficiency {efficiency:.3f} among {TRACK_NAMES['en'][track]}"


def landmark_text(sc: Scenario, keys: list[str], bonus: float) -> str:
    """'+5 for delivering 鲲鹏 (landmark)'."""
    names = [indicator_name(sc, k) for k in keys]
    if lang(sc) == "zh":
        return "；".join(f"完成标志性成果“{n}”：加{qty(bonus)}分" for n in names)
    return "; ".join(f"+{qty(bonus)} for delivering the landmark {n}" for n in names)


def not_applying(sc: Scenario, part: str, why: str) -> str:
    """Why a part does not apply to a unit this year."""
    reasons = {
        "zh": {
            "no_tasks": "本年无考核任务",
            "no_plan": "无预算数(未给出计划)",
            "no_money": "本年无预算",
            "no_cost": "本年无到期产出的支出",
            "no_dea": "无DEA得分",
        },
        "en": {
            "no_tasks": "no tasks due this year",
            "no_plan": "no planned money given",
            "no_money": "no planned money this year",
            "no_cost": "no money with output due this year",
            "no_dea": "no DEA score",
        },
    }
    text = reasons[lang(sc)][why]
    return f"不适用：{text}" if lang(sc) == "zh" else f"does not apply: {text}"


def basis_text(sc: Scenario, basis: str, keys: tuple[str, ...]) -> str:
    """What a department is held to: the indicators it leads, else those it supports, else its execution alone."""
    names = [indicator_name(sc, k) for k in keys]
    zh = lang(sc) == "zh"
    if basis == "leads":
        return f"牵头指标：{'、'.join(names)}" if zh else f"leads: {', '.join(names)}"
    if basis == "supports":
        return (
            f"不牵头任何指标，按配合指标考核：{'、'.join(names)}"
            if zh
            else f"leads no indicator; held to those it supports: {', '.join(names)}"
        )
    if basis == "none":
        return "不负责任何指标，只考核预算执行" if zh else "named on no indicator: assessed on its budget execution"
    return ""
