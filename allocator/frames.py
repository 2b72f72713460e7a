"""Plan results as pandas DataFrames with the column names of the run folder (a contract with users' scripts)."""

from __future__ import annotations

import pandas as pd

from models import PlanResult, Scenario

from .rounding import SNAP, from_quanta, quanta_text, round_plan, to_quanta

ALLOCATION_COLUMNS = ["unit", "initiative", "year", "pool", "amount", "source", "unit_name", "initiative_name"]
INDICATOR_COLUMNS = [
    "indicator",
    "year",
    "value",
    "target",
    "milestone",
    "shortfall",
    "name",
    "unit_label",
    "kind",
    "target_year",
    "met",
    "missing",
    "dimension",
]
UNIT_INDICATOR_COLUMNS = ["unit", "indicator", "year", "output", "value"]
BUDGET_COLUMNS = ["year", "pool", "available", "allocated", "source", "unused"]
RECLAIM_COLUMNS = [
    "unit",
    "initiative",
    "year",
    "base",
    "planned",
    "actual",
    "execution_rate",
    "reclaimed",
    "reason",
    "previous",
    "amount",
    "rule",
    "unit_name",
    "initiative_name",
]


def _name(scenario: Scenario, obj) -> str:
    zh, en = obj.name_zh, getattr(obj, "name_en", "")
    return zh if scenario.language == "zh" or not en else en


def allocation_frame(result: PlanResult, scenario: Scenario) -> pd.DataFrame:
    """allocation.csv: unit, initiative, year, pool, amount (+ source and display names)."""
    return allocation_frame_rows(result.allocation, scenario)


def indicator_frame(result: PlanResult, scenario: Scenario) -> pd.DataFrame:
    """indicators.csv: indicator, year, value, target, milestone, shortfall (+ name, kind, met, ...)."""
    return indicator_rows_frame(result.indicators, scenario)


def indicator_rows_frame(indicator_rows, scenario: Scenario) -> pd.DataFrame:
    """Indicator rows (any iterable of IndicatorRow) as the indicators.csv frame."""
    rows = []
    for r in indicator_rows:
        ind = scenario.indicators[r.indicator]
        rows.append(
            {
                "indicator": r.indicator,
                "year": r.year,
                "value": r.value,
                "target": r.target,
                "milestone": r.milestone,
                "shortfall": r.shortfall,
                "name": _name(scenario, ind),
                "unit_label": ind.unit_label,
                "kind": ind.kind,
                "target_year": r.target_year,
                "met": r.met,
                "missing": ind.is_missing,
                "dimension": ind.dimension,
            }
        )
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS)


def unit_indicator_frame(result: PlanResult) -> pd.DataFrame:
    """unit_indicators.csv: each unit's planned output per indicator and year."""
    return pd.DataFrame([r.model_dump() for r in result.unit_indicators], columns=UNIT_INDICATOR_COLUMNS)


def budget_frame(result: PlanResult) -> pd.DataFrame:
    """budget.csv: year, pool, available, allocated (+ source, unused), one row per year, pool and source."""
    rows = [
        {
            "year": r.year,
            "pool": r.pool,
            "available": r.available,
            "allocated": r.allocated,
            "source": r.source,
            "unused": from_quanta(to_quanta(r.available) - to_quanta(r.allocated)),
        }
        for r in result.budget
    ]
    return pd.DataFrame(rows, columns=BUDGET_COLUMNS)


MONEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "allocation": ("amount",),
    "budget": ("available", "allocated", "unused"),
    "reclaim": ("base", "planned", "actual", "reclaimed", "previous", "amount"),
}
"""Columns of run-folder tables published as money: exact decimal text with two decimals (0.01 万元)."""


def money_text(frame: pd.DataFrame, columns, rows=None) -> pd.DataFrame:
    """A copy with ``columns`` (in ``rows``, a boolean mask; default all) as two-decimal text; blanks stay blank."""
    out = frame.copy()
    mask = pd.Series(True, index=frame.index) if rows is None else rows
    for col in columns:
        if col not in out.columns:
            continue
        values = out[col].astype(object)
        out[col] = [quanta_text(to_quanta(float(v))) if m and v is not None and not pd.isna(v) else v for v, m in zip(values, mask)]
    return out


def publish_allocation(frame: pd.DataFrame) -> pd.DataFrame:
    """An allocation table with amounts on the published 0.01 grid, rounded by the plan's rule if they are not.

    Runs written since money is published are returned unchanged; older runs' amounts are rounded by
    ``rounding.round_plan`` (per sweep level), so their rows too add up to the totals shown.
    """
    if frame.empty or "amount" not in frame.columns:
        return frame
    amounts = pd.to_numeric(frame["amount"], errors="coerce")
    hundredths = amounts * 100
    if ((hundredths - hundredths.round()).abs() <= SNAP).where(amounts.notna(), True).all():
        return frame
    out = frame.copy()
    out["amount"] = amounts
    parts = frame.groupby("level", sort=False).groups.values() if "level" in frame.columns else [frame.index]
    for index in parts:
        lines = {
            (
                int(_cell(frame, "year", j) or 0),
                *(str(_cell(frame, c, j) or "") for c in ("pool", "source", "unit", "initiative")),
                j,
            ): float(amounts[j])
            for j in index
            if pd.notna(amounts[j])
        }
        for key, n in round_plan(lines).items():
            out.at[key[-1], "amount"] = from_quanta(n)
    return out


def _cell(frame: pd.DataFrame, column: str, row) -> object:
    """One cell, or None when the column is absent or the cell blank."""
    if column not in frame.columns:
        return None
    value = frame.at[row, column]
    return None if pd.isna(value) else value


def published(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Run-folder tables with their money columns (``MONEY_COLUMNS``) written as exact two-decimal text."""
    return {name: money_text(frame, MONEY_COLUMNS[name]) if name in MONEY_COLUMNS else frame for name, frame in tables.items()}


GOAL_COLUMNS = ["goal", "priority", "sense", "target", "achieved", "under", "over", "kind", "name", "unit_label", "year", "weight", "met"]


def goal_frame(result: PlanResult) -> pd.DataFrame:
    """goals.csv: goal, priority, sense, target, achieved, under, over, in the goal's own units (+ kind, name, ...)."""
    rows = [{**g.model_dump(), "priority": "hard" if g.kind == "hard" else g.priority} for g in result.goals]
    return pd.DataFrame(rows, columns=GOAL_COLUMNS)


def reclaim_frame(result: PlanResult, scenario: Scenario) -> pd.DataFrame:
    """reclaim.csv: money taken off each base line in each year, with the reason (盘活存量)."""
    rows = [
        {
            **r.model_dump(),
            "unit_name": _name(scenario, scenario.units[r.unit]),
            "initiative_name": _name(scenario, scenario.initiatives[r.initiative]),
        }
        for r in result.reclaim
    ]
    return pd.DataFrame(rows, columns=RECLAIM_COLUMNS)


def at_target_year(result: PlanResult) -> pd.DataFrame:
    """Each indicator's row at its target year: the plan's headline."""
    return pd.DataFrame(
        [r.model_dump() for r in result.indicators if r.year == r.target_year],
        columns=["indicator", "year", "value", "target", "target_year", "milestone", "shortfall", "met"],
    )


def frontier_frame(points, scenario: Scenario) -> pd.DataFrame:
    """frontier.csv: level, budget, status, stage objectives, each indicator's value at its target year and met."""
    rows = []
    for p in points:
        solved = p.status in ("optimal", "time_limit_feasible")
        row = {
            "level": p.level,
            "budget": p.budget,
            "status": p.status,
            "stage1_shortfall": p.stage1_shortfall,
            "stage2_progress": p.stage2_progress,
            "missing_cleared": p.missing_cleared if solved else None,
            "targets_met": sum(p.met.values()) if solved else None,
            "integers": p.integers,
            "proved": p.gap is not None,
            "gap": p.gap,
            "proof": p.proof,
            "seconds": p.seconds,
        }
        for stage in p.stages:  # priority levels beyond the default two: one column each, named as the level
            if stage.name not in ("stage1", "stage2"):
                row[stage.name] = stage.objective if solved else None
        for k in sorted(scenario.indicators):
            row[k] = p.values.get(k) if solved else None
            row[f"{k}_met"] = p.met.get(k) if solved else None
        rows.append(row)
    return pd.DataFrame(rows)


def sweep_allocation_frame(points, scenario: Scenario) -> pd.DataFrame:
    """allocation.csv of a sweep: the allocation rows of every level, with a ``level`` column first."""
    frames = []
    for p in points:
        if not p.allocation:
            continue
        frame = allocation_frame_rows(p.allocation, scenario)
        frame.insert(0, "level", p.level)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["level", *ALLOCATION_COLUMNS])


def allocation_frame_rows(rows, scenario: Scenario) -> pd.DataFrame:
    """Allocation rows (any iterable of AllocationRow) as the allocation.csv frame."""
    return pd.DataFrame(
        [
            {
                "unit": r.unit,
                "initiative": r.initiative,
                "year": r.year,
                "pool": r.pool,
                "amount": r.amount,
                "source": r.source,
                "unit_name": _name(scenario, scenario.units[r.unit]),
                "initiative_name": _name(scenario, scenario.initiatives[r.initiative]),
            }
            for r in rows
        ],
        columns=ALLOCATION_COLUMNS,
    )


MARGINAL_COLUMNS = [
    "constraint",
    "family",
    "fund",
    "year",
    "unit",
    "initiative",
    "rhs",
    "slack",
    "dual_stage1",
    "dual_stage2",
    "fd_up_stage1",
    "fd_up_stage2",
    "fd_down_stage1",
    "fd_down_stage2",
    "value_stage1",
    "value_stage2",
    "method",
    "spent_on",
    "words",
]


def marginal_frame(result: PlanResult) -> pd.DataFrame:
    """marginals.csv: the value of one more unit of each budget and each binding floor, cap or capacity."""
    rows, extra = [], []
    for m in result.marginals:
        row = {**m.model_dump(), "value_stage1": m.value_stage1, "value_stage2": m.value_stage2}
        for prefix, values in (("dual", m.dual_levels), ("fd_up", m.fd_up_levels), ("fd_down", m.fd_down_levels)):
            for level, value in values.items():
                row[f"{prefix}_{level}"] = value
                extra += [f"{prefix}_{level}"] if f"{prefix}_{level}" not in extra else []
        rows.append(row)
    # levels beyond the two default ones (priority levels of goals) get their own columns after the default ones
    columns = MARGINAL_COLUMNS[: MARGINAL_COLUMNS.index("method")] + sorted(extra) + MARGINAL_COLUMNS[MARGINAL_COLUMNS.index("method") :]
    return pd.DataFrame(rows, columns=columns)


def clear_frame(result, scenario: Scenario) -> pd.DataFrame:
    """clear.csv: per requested indicator, the year and level to reach, its base-plan value and its value after."""
    rows = []
    for k in result.indicators:
        year, level = result.requirements[k]
        rows.append(
            {
                "indicator": k,
                "name": _name(scenario, scenario.indicators[k]),
                "year": year,
                "requirement": level,
                "base_value": result.base_values[k],
                "value": result.values[k],
                "met": result.values[k] >= level - 1e-6,
                "extra_total": result.extra_total,
                "pool": result.pool,
            }
        )
    return pd.DataFrame(rows)


def clear_tables(result, scenario: Scenario, keys, by, pool) -> dict[str, pd.DataFrame]:
    """The tables of a clear run; with no result (out of reach together) the requirements and empty tables."""
    if result is not None:
        return {
            "clear": clear_frame(result, scenario),
            "extra": extra_frame(result.extra_by_year, pool),
            "allocation": allocation_frame_rows(result.allocation, scenario),
            "indicators": indicator_rows_frame(result.indicator_rows, scenario),
        }
    from .clearing import requirement_for

    rows = []
    for k in keys:
        year, level = requirement_for(scenario, k, by)
        rows.append(
            {
                "indicator": k,
                "name": _name(scenario, scenario.indicators[k]),
                "year": year,
                "requirement": level,
                "base_value": None,
                "value": None,
                "met": False,
                "extra_total": None,
                "pool": pool,
            }
        )
    return {
        "clear": pd.DataFrame(rows),
        "extra": pd.DataFrame(columns=["year", "pool", "extra"]),
        "allocation": allocation_frame_rows([], scenario),
        "indicators": indicator_rows_frame([], scenario),
    }


def extra_frame(extra_by_year: dict[int, float], pool: str) -> pd.DataFrame:
    """extra.csv: extra money per year."""
    return pd.DataFrame([{"year": y, "pool": pool, "extra": v} for y, v in sorted(extra_by_year.items())])


def curve_frame(points, scenario: Scenario) -> pd.DataFrame:
    """curve.csv: the least extra money for at least k missing indicators cleared, and every one that plan clears."""
    rows = []
    for p in points:
        row = {"k": p.k, "status": p.status, "extra_total": p.extra_total, "cleared": "; ".join(p.cleared)}
        for y, v in sorted(p.extra_by_year.items()):
            row[f"extra_{y}"] = v
        rows.append(row)
    return pd.DataFrame(rows)


def risk_frame(result, scenario: Scenario) -> pd.DataFrame:
    """risk.csv: per indicator, the probability its target is met by its year, and the spread of its value then."""
    rows = []
    for k in result.indicators:
        ind = scenario.indicators[k]
        rows.append(
            {
                "indicator": k,
                "name": _name(scenario, ind),
                "target": ind.target,
                "target_year": ind.target_year,
                "plan_value": result.plan_values[k],
                "probability": result.probability[k],
                "std_error": result.standard_error(k),
                "mean": result.mean[k],
                "p05": result.p05[k],
                "p50": result.p50[k],
                "p95": result.p95[k],
                "missing": ind.is_missing,
                "clear_probability": result.clear_probability.get(k),
            }
        )
    return pd.DataFrame(rows)


def draws_frame(result) -> pd.DataFrame:
    """draws.csv: each draw's value of every indicator at its target year."""
    frame = pd.DataFrame(result.values, columns=list(result.indicators))
    frame.insert(0, "draw", range(len(frame)))
    return frame
