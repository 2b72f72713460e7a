"""Plan results as pandas DataFrames with the column names of the run folder (a contract with users' scripts)."""

from __future__ import annotations

import pandas as pd

from models import PlanResult, Scenario

ALLOCATION_COLUMNS = ["unit", "initiative", "year", "pool", "amount", "source", "unit_name", "initiative_name"]
INDICATOR_COLUMNS = [
    "indicator", "year", "value", "target", "milestone", "shortfall",
    "name", "unit_label", "kind", "target_year", "met", "missing", "dimension",
]
UNIT_INDICATOR_COLUMNS = ["unit", "indicator", "year", "output", "value"]
BUDGET_COLUMNS = ["year", "pool", "available", "allocated", "source", "unused"]


def _name(scenario: Scenario, obj) -> str:
    zh, en = obj.name_zh, getattr(obj, "name_en", "")
    return zh if scenario.language == "zh" or not en else en


def allocation_frame(result: PlanResult, scenario: Scenario) -> pd.DataFrame:
    """allocation.csv: unit, initiative, year, pool, amount (+ source and display names)."""
    rows = [
        {
            "unit": r.unit, "initiative": r.initiative, "year": r.year, "pool": r.pool, "amount": r.amount, "source": r.source,
            "unit_name": _name(scenario, scenario.units[r.unit]), "initiative_name": _name(scenario, scenario.initiatives[r.initiative]),
        }
        for r in result.allocation
    ]
    return pd.DataFrame(rows, columns=ALLOCATION_COLUMNS)


def indicator_frame(result: PlanResult, scenario: Scenario) -> pd.DataFrame:
    """indicators.csv: indicator, year, value, target, milestone, shortfall (+ name, kind, met, ...)."""
    rows = []
    for r in result.indicators:
        ind = scenario.indicators[r.indicator]
        rows.append(
            {
                "indicator": r.indicator, "year": r.year, "value": r.value, "target": r.target, "milestone": r.milestone,
                "shortfall": r.shortfall, "name": _name(scenario, ind), "unit_label": ind.unit_label, "kind": ind.kind,
                "target_year": r.target_year, "met": r.met, "missing": ind.is_missing, "dimension": ind.dimension,
            }
        )
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS)


def unit_indicator_frame(result: PlanResult) -> pd.DataFrame:
    """unit_indicators.csv: each unit's planned output per indicator and year."""
    return pd.DataFrame([r.model_dump() for r in result.unit_indicators], columns=UNIT_INDICATOR_COLUMNS)


def budget_frame(result: PlanResult) -> pd.DataFrame:
    """budget.csv: year, pool, available, allocated (+ source, unused), one row per year, pool and source."""
    rows = [
        {"year": r.year, "pool": r.pool, "available": r.available, "allocated": r.allocated, "source": r.source, "unused": r.unused}
        for r in result.budget
    ]
    return pd.DataFrame(rows, columns=BUDGET_COLUMNS)


def at_target_year(result: PlanResult) -> pd.DataFrame:
    """Each indicator's row at its target year: the plan's headline."""
    return pd.DataFrame(
        [r.model_dump() for r in result.indicators if r.year == r.target_year],
        columns=["indicator", "year", "value", "target", "target_year", "milestone", "shortfall", "met"],
    )
