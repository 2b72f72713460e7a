"""What every sheet builder needs: the run as read, the workbook's language, display names and coded words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models import DIMENSION_ZH

from .. import vocabulary
from ..report.data import Names, Run, as_bool, as_float
from . import labels, sheet


@dataclass(frozen=True)
class Book:
    """One run being exported: the run folder as read, the language, and names of units, initiatives, indicators."""

    run: Run
    lang: str
    names: Names
    tables: dict[str, Any]
    """Every CSV table of the folder by name (the report's required tables plus any other the run wrote)."""

    @property
    def zh(self) -> bool:
        """Whether the workbook is in Chinese."""
        return self.lang == "zh"

    def say(self, zh: str, en: str) -> str:
        """The text in the workbook's language."""
        return zh if self.zh else en

    def term(self, group: str, value: Any) -> str:
        """A coded value (status, pool, kind, ...) in words."""
        return vocabulary.term(group, value, self.lang)

    def fund(self, pool: Any, source: Any) -> str:
        """资金来源 of a money row: 学校存量经费 / 学校增量经费 or a restricted source's name."""
        return vocabulary.pool_source_name(pool, source, self.run.scenario, self.lang)

    def fund_key(self, fund: Any) -> str:
        """A fund as marginals.csv names it (``school_stock``, ``discipline_fund``) in words."""
        return vocabulary.fund_name(fund, self.run.scenario, self.lang)

    def flag(self, value: Any, group: str = "bool") -> str:
        """是/否 (or 达成/未达成) for a True/False cell; blank when blank."""
        b = as_bool(value)
        return "" if b is None else vocabulary.term(group, str(b), self.lang)

    def dimension(self, value: Any) -> str:
        """A policy dimension (七个“有”) in words."""
        text = "" if value is None else str(value)
        return DIMENSION_ZH.get(text, text) if self.zh else text.replace("_", " ")

    def header(self, column: str) -> str:
        """A CSV column's heading in the workbook's language."""
        return labels.header(column, self.lang)

    def sheet(self, key: str) -> str:
        """A sheet's name in the workbook's language."""
        return labels.sheet_name(key, self.lang)

    def indicator_info(self, key: Any) -> dict[str, Any]:
        """An indicator's definition from the resolved scenario (empty when unknown)."""
        for sc in (self.run.scenario, *self.run.related):
            entry = ((sc or {}).get("indicators") or {}).get(str(key))
            if isinstance(entry, dict):
                return entry
        return {}

    def indicator_format(self, key: Any, kind: Any = None, unit_label: Any = None) -> str:
        """Percent for ratios, whole numbers for counts of whole things, one decimal otherwise."""
        info = self.indicator_info(key)
        kind = kind if kind is not None else info.get("kind")
        unit_label = unit_label if unit_label is not None else info.get("unit_label")
        if str(kind) == "ratio":
            return sheet.PERCENT2
        if vocabulary.is_count(unit_label, kind):
            return sheet.COUNT
        return sheet.DECIMAL

    def count_note(self) -> str:
        """The note under tables whose counts are shown rounded."""
        return self.say(
            "注：人数、个数等计数指标按整数显示（四舍五入），单元格中保留模型的精确值；比例指标以百分数显示。",
            "Note: counts (persons, institutes, courses) are shown rounded to whole numbers; cells keep the model's "
            "exact values. Ratios are shown as percentages.",
        )


def number(value: Any) -> float | None:
    """A cell as a float, or None."""
    return as_float(value)
