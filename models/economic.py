"""Economic classification (支出经济分类) of an initiative's spending, as budgets are compiled and controlled.

The codes and names are those of the government expenditure economic classification used in
department budgets (部门预算支出经济分类科目, 302 商品和服务支出, 303 对个人和家庭的补助, 310 资本性支出);
only the classes an internationalization budget uses are listed. Travel abroad, meetings and training
are reported and capped separately (the "三公" and meeting/training controls), which is why a budget
table splits by class.
"""

from __future__ import annotations

ECONOMIC_CLASSES: dict[str, str] = {
    "30201": "办公费",
    "30202": "印刷费",
    "30211": "差旅费",
    "30212": "因公出国（境）费用",
    "30214": "租赁费",
    "30215": "会议费",
    "30216": "培训费",
    "30217": "公务接待费",
    "30218": "专用材料费",
    "30226": "劳务费",
    "30227": "委托业务费",
    "30299": "其他商品和服务支出",
    "30305": "生活补助",
    "30308": "助学金",
    "31002": "办公设备购置",
    "31003": "专用设备购置",
}
"""Code -> name of every accepted class (助学金 covers scholarships and grants to students, 来华留学生 included)."""

ECONOMIC_CLASS_NAMES: dict[str, str] = {name: code for code, name in ECONOMIC_CLASSES.items()}
"""Name -> code."""

_WIDTH = str.maketrans({"(": "（", ")": "）", " ": "", "\u3000": ""})


def economic_class_name(value: str) -> str:
    """The canonical name of a class given as its code, its name, or its name with half-width brackets.

    Raises:
        ValueError: if ``value`` is neither a listed code nor a listed name.
    """
    text = value.strip()
    code = text.split(maxsplit=1)[0] if text[:1].isdigit() else ""
    if code in ECONOMIC_CLASSES:
        return ECONOMIC_CLASSES[code]
    name = text.translate(_WIDTH)
    aliases = {"奖助学金": "助学金", "因公出国(境)费": "因公出国（境）费用", "因公出国（境）费": "因公出国（境）费用"}
    name = aliases.get(name, name)
    if name in ECONOMIC_CLASS_NAMES:
        return name
    listed = ", ".join(f"{c} {n}" for c, n in ECONOMIC_CLASSES.items())
    raise ValueError(f"unknown economic class {value!r}; one of: {listed}")


def economic_class_label(name: str | None) -> str:
    """``30212 因公出国（境）费用`` for a canonical name; a blank class as 未分类."""
    if not name:
        return "未分类"
    return f"{ECONOMIC_CLASS_NAMES.get(name, '')} {name}".strip()
