"""Validate what scoring reads: actual outputs, spending, targets, planned money and standards, against the scenario.

Every problem names the file (and sheet), the spreadsheet row and the column, and all are reported at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from models import ActualOutput, ActualSpending, PlannedSpending, Scenario, Standard, UnitTarget

from ..errors import DataError
from ..hints import explain
from ..limits import MAX_MAGNITUDE, MAX_MONEY
from ..selectors import select_units

Rows = list[tuple[int, dict[str, Any]]]


@dataclass(frozen=True)
class Table:
    """Rows of one input table with the label used in messages."""

    label: str
    header: list[str]
    rows: Rows


@dataclass(frozen=True)
class ScoringInputs:
    """Validated actual outputs, spending, targets, planned money (None when not given) and standards; the years scored."""

    outputs: tuple[ActualOutput, ...]
    spending: tuple[ActualSpending, ...]
    targets: tuple[UnitTarget, ...]
    years: tuple[int, ...]
    planned: tuple[PlannedSpending, ...] | None = None
    standards: tuple[Standard, ...] = ()


def _records(table: Table, model: type[BaseModel], problems: list[str], unreadable: list[str] | None = None) -> list[tuple[int, Any]]:
    """Validated records of a table; an unknown column is reported once and left out (notes columns ignored).

    A table missing a column is unreadable: its label goes to ``unreadable`` and it gives no records.
    """
    from ..io.text import is_note_column

    columns = list(model.model_fields)
    unknown = [h for h in table.header if h and h not in columns and not is_note_column(h)]
    missing = [c for c in columns if c not in table.header]
    if unknown:
        problems.append(
            f"{table.label} row 1: unknown column(s) {', '.join(unknown)} (expected: {', '.join(columns)}; "
            "a column of remarks may be called note, 备注 or start with _)"
        )
    if missing:
        problems.append(f"{table.label} row 1: missing column(s) {', '.join(missing)} (expected: {', '.join(columns)})")
        if unreadable is not None:
            unreadable.append(table.label)
        return []
    out = []
    for n, row in table.rows:
        row = {k: v for k, v in row.items() if k in columns}
        try:
            record = model.model_validate(row)
            out.append((n, record))
            _check_size(record, table.label, n, problems)
        except ValidationError as exc:
            for err in exc.errors():
                col = err["loc"][0] if err["loc"] else "?"
                if err["type"] == "missing":
                    problems.append(f"{table.label} row {n}, column {col}: required value missing")
                else:
                    problems.append(f"{table.label} row {n}, column {col}: {explain(err)}")
    return out


def _check_size(record: BaseModel, label: str, n: int, problems: list[str]) -> None:
    """Numbers within the stated limits (money up to MAX_MONEY, outputs and targets up to MAX_MAGNITUDE)."""
    for name in ("value", "amount", "target", "standard"):
        value = getattr(record, name, None)
        limit = MAX_MONEY if name in ("amount", "standard") else MAX_MAGNITUDE
        if value is not None and abs(value) > limit:
            problems.append(f"{label} row {n}, column {name}: {value:g} is beyond the limit of {limit:,.0f}")


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


def _lines(sc: Scenario, records, label: str, problems: list[str]) -> None:
    """Every (unit, initiative) must be a line of the scenario: an initiative the unit may run."""
    runs = {k: set(select_units(ini.units, sc.units)) for k, ini in sc.initiatives.items()}
    for n, r in records:
        if r.unit in sc.units and r.initiative in runs and r.unit not in runs[r.initiative]:
            problems.append(
                f"{label} row {n}, column initiative: unit '{r.unit}' may not run initiative '{r.initiative}' (not a line of the scenario)"
            )


def _funded(sc: Scenario, spends, plans, spending: Table, planned: Table, problems: list[str]) -> None:
    """With a plan, money may be spent only on lines the plan funds that year (no spending outside the budget).

    A row whose unit, initiative or line the scenario does not know is reported once, by that check, not again here.
    """
    runs = {k: set(select_units(ini.units, sc.units)) for k, ini in sc.initiatives.items()}
    funded = {(r.unit, r.initiative, r.year) for _, r in plans if r.amount > 0}
    for n, r in spends:
        if r.unit not in sc.units or r.unit not in runs.get(r.initiative, ()):
            continue
        if r.amount > 0 and (r.unit, r.initiative, r.year) not in funded:
            problems.append(
                f"{spending.label} row {n}, column initiative: spending on line {r.unit}/{r.initiative} in {r.year}, "
                f"which {planned.label} does not fund (no planned money on that line that year)"
            )


def _standards(sc: Scenario, standards: Table, problems: list[str]) -> list[tuple[int, Standard]]:
    recs = _records(standards, Standard, problems)
    _known(recs, "indicator", sc.indicators, "indicator", standards.label, problems)
    _known([(n, r) for n, r in recs if r.unit is not None], "unit", sc.units, "unit", standards.label, problems)
    _duplicates(recs, ("indicator", "unit"), standards.label, problems)
    return recs


def _check_years(sc: Scenario, outs, spends, outputs: Table, spending: Table, problems: list[str]) -> None:
    for n, rec in outs + spends:
        if not sc.start_year <= rec.year <= sc.end_year:
            label = outputs.label if isinstance(rec, ActualOutput) else spending.label
            problems.append(f"{label} row {n}, column year: {rec.year} is outside the plan {sc.start_year}-{sc.end_year}")


def _outputs_have_money(sc: Scenario, outs, spends, tgts, outputs: Table, spending: Table, problems: list[str]) -> None:
    """Output with no money behind it is a missing spending row, unless the unit was given that target or leads the indicator.

    A lead department carries what the school gains without this budget (flows funded elsewhere), so it may
    report output in a year it spent nothing.
    """
    from ..responsibility import responsibility

    lead = responsibility(sc).lead
    spent = {(r.unit, r.year): 0.0 for _, r in spends}
    for _, r in spends:
        spent[r.unit, r.year] += r.amount
    held = {(r.unit, r.indicator, r.year) for _, r in tgts if r.target > 0}
    first_output: dict[tuple[str, int], int] = {}
    for n, r in outs:
        if (r.unit, r.indicator, r.year) not in held and lead.get(r.indicator) != r.unit:
            first_output.setdefault((r.unit, r.year), n)
    for (unit, year), n in sorted(first_output.items(), key=lambda kv: kv[1]):
        if spent.get((unit, year), 0.0) <= 0:
            problems.append(
                f"{outputs.label} row {n}, column unit: unit '{unit}' has outputs in {year} but no spending in {spending.label} "
                "and no target for them"
            )


def _raise(problems: list[str]) -> None:
    if problems:
        body = "\n".join(f"  - {p}" for p in problems)
        raise DataError(f"Errors in the scoring inputs ({len(problems)}):\n{body}")


def validate_inputs(
    sc: Scenario,
    outputs: Table,
    spending: Table,
    targets: Table,
    planned: Table | None = None,
    standards: Table | None = None,
) -> ScoringInputs:
    """Turn raw tables into validated records; raise one DataError listing every problem."""
    problems: list[str] = []
    unreadable: list[str] = []
    outs = _records(outputs, ActualOutput, problems, unreadable)
    spends = _records(spending, ActualSpending, problems, unreadable)
    tgts = _records(targets, UnitTarget, problems, unreadable)
    plans = _records(planned, PlannedSpending, problems, unreadable) if planned is not None else []
    stds = _standards(sc, standards, problems) if standards is not None else []
    if unreadable:  # checks across tables would only repeat the root error in other words
        _raise(problems)
    for recs, label in ((outs, outputs.label), (tgts, targets.label)):
        _known(recs, "unit", sc.units, "unit", label, problems)
        _known(recs, "indicator", sc.indicators, "indicator", label, problems)
    for recs, table in ((spends, spending), (plans, planned)):
        if table is None:
            continue
        _known(recs, "unit", sc.units, "unit", table.label, problems)
        _known(recs, "initiative", sc.initiatives, "initiative", table.label, problems)
        _lines(sc, recs, table.label, problems)
        _duplicates(recs, ("unit", "initiative", "year"), table.label, problems)
    _duplicates(outs, ("unit", "indicator", "year"), outputs.label, problems)
    _duplicates(tgts, ("unit", "indicator", "year"), targets.label, problems)
    if planned is not None:
        _funded(sc, spends, plans, spending, planned, problems)
    years = sorted({r.year for _, r in outs})
    if not outs and not problems:
        problems.append(f"{outputs.label}: no actual outputs")
    _check_years(sc, outs, spends, outputs, spending, problems)
    _outputs_have_money(sc, outs, spends, tgts, outputs, spending, problems)
    _raise(problems)
    return ScoringInputs(
        tuple(r for _, r in outs),
        tuple(r for _, r in spends),
        tuple(r for _, r in tgts),
        tuple(years),
        tuple(r for _, r in plans) if planned is not None else None,
        tuple(r for _, r in stds),
    )
