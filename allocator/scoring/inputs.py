"""Validate what scoring reads: actual outputs, actual spending and assigned targets, against the scenario.

Every problem names the file (and sheet), the spreadsheet row and the column, and all are reported at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from models import ActualOutput, ActualSpending, Scenario, UnitTarget

from ..errors import DataError

Rows = list[tuple[int, dict[str, Any]]]


@dataclass(frozen=True)
class Table:
    """Rows of one input table with the label used in messages."""

    label: str
    header: list[str]
    rows: Rows


@dataclass(frozen=True)
class ScoringInputs:
    """Validated actual outputs, spending and targets, and the years they cover."""

    outputs: tuple[ActualOutput, ...]
    spending: tuple[ActualSpending, ...]
    targets: tuple[UnitTarget, ...]
    years: tuple[int, ...]


def _records(table: Table, model: type[BaseModel], problems: list[str]) -> list[tuple[int, Any]]:
    columns = list(model.model_fields)
    unknown = [h for h in table.header if h and h not in columns]
    missing = [c for c in columns if c not in table.header]
    if unknown:
        problems.append(f"{table.label} row 1: unknown column(s) {', '.join(unknown)} (expected: {', '.join(columns)})")
    if missing:
        problems.append(f"{table.label} row 1: missing column(s) {', '.join(missing)} (expected: {', '.join(columns)})")
    if unknown or missing:
        return []
    out = []
    for n, row in table.rows:
        try:
            out.append((n, model.model_validate(row)))
        except ValidationError as exc:
            for err in exc.errors():
                col = err["loc"][0] if err["loc"] else "?"
                got = row.get(col) if isinstance(col, str) else None
                msg = "required value missing" if err["type"] == "missing" else err["msg"].removeprefix("Value error, ")
                problems.append(f"{table.label} row {n}, column {col}: {msg}" + (f" (got {got!r})" if got is not None else ""))
    return out


def _duplicates(records: list[tuple[int, Any]], key: Sequence[str], label: str, problems: list[str]) -> None:
    seen: dict[tuple, int] = {}
    for n, rec in records:
        ident = tuple(getattr(rec, k) for k in key)
        if ident in seen:
            problems.append(
                f"{label} row {n}, column {key[0]}: duplicate {'/'.join(key)} {'/'.join(map(str, ident))} (first on row {seen[ident]})"
            )
        else:
            seen[ident] = n


def _known(records, field: str, known: Any, what: str, label: str, problems: list[str]) -> None:
    for n, rec in records:
        value = getattr(rec, field)
        if value not in known:
            problems.append(f"{label} row {n}, column {field}: unknown {what} '{value}'")


def validate_inputs(sc: Scenario, outputs: Table, spending: Table, targets: Table) -> ScoringInputs:
    """Turn raw tables into validated records; raise one DataError listing every problem."""
    problems: list[str] = []
    outs = _records(outputs, ActualOutput, problems)
    spends = _records(spending, ActualSpending, problems)
    tgts = _records(targets, UnitTarget, problems)
    for recs, label in ((outs, outputs.label), (tgts, targets.label)):
        _known(recs, "unit", sc.units, "unit", label, problems)
        _known(recs, "indicator", sc.indicators, "indicator", label, problems)
    _known(spends, "unit", sc.units, "unit", spending.label, problems)
    _known(spends, "initiative", sc.initiatives, "initiative", spending.label, problems)
    _duplicates(outs, ("unit", "indicator", "year"), outputs.label, problems)
    _duplicates(spends, ("unit", "initiative", "year"), spending.label, problems)
    _duplicates(tgts, ("unit", "indicator", "year"), targets.label, problems)
    years = sorted({r.year for _, r in outs})
    if not outs and not problems:
        problems.append(f"{outputs.label}: no actual outputs")
    for n, rec in outs + spends:
        if not sc.start_year <= rec.year <= sc.end_year:
            label = outputs.label if isinstance(rec, ActualOutput) else spending.label
            problems.append(f"{label} row {n}, column year: {rec.year} is outside the plan {sc.start_year}-{sc.end_year}")
    spent = {(r.unit, r.year): 0.0 for _, r in spends}
    for _, r in spends:
        spent[r.unit, r.year] += r.amount
    first_output: dict[tuple[str, int], int] = {}
    for n, r in outs:
        first_output.setdefault((r.unit, r.year), n)
    for (unit, year), n in sorted(first_output.items(), key=lambda kv: kv[1]):
        if spent.get((unit, year), 0.0) <= 0:
            problems.append(
                f"{outputs.label} row {n}, column unit: unit '{unit}' has outputs in {year} but no spending in {spending.label}"
            )
    for year in years:
        if spends and not any(r.amount > 0 for _, r in spends if r.year == year):
            problems.append(f"{spending.label}, column amount: every amount in {year} is zero; DEA needs money as an input")
    if problems:
        body = "\n".join(f"  - {p}" for p in problems)
        raise DataError(f"Errors in the scoring inputs ({len(problems)}):\n{body}")
    return ScoringInputs(tuple(r for _, r in outs), tuple(r for _, r in spends), tuple(r for _, r in tgts), tuple(years))
