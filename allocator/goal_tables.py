"""Read and check the plain tables of ``allocator goals``: GOALS, TERMS and (optionally) VARS, as CSV or workbook sheets.

GOALS   goal, target, priority, under_weight, over_weight [, hard]   (priority: a positive integer, or ``hard``)
TERMS   goal, variable, coefficient
VARS    variable [, lower, upper, integer]                            (defaults: 0, no upper bound, continuous)

Every problem names the file, the row and the column, and all are reported at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from models import GoalProgram, ProgramGoal, ProgramVariable

from .errors import DataError
from .io.cells import is_blank, parse_number
from .io.records import read_rows

GOAL_COLUMNS = ("goal", "target", "priority", "under_weight", "over_weight", "hard")
TERM_COLUMNS = ("goal", "variable", "coefficient")
VARIABLE_COLUMNS = ("variable", "lower", "upper", "integer")
TRUE, FALSE = ("true", "yes", "1", "y", "t"), ("false", "no", "0", "n", "f", "")


class _Sheet:
    """One table's rows with a way to record a problem at a row and column."""

    def __init__(self, path: str | Path, columns: tuple[str, ...], required: tuple[str, ...], problems: list[str]):
        self.label, header, self.rows = read_rows(path)
        self.problems = problems
        unknown = [h for h in header if h and h not in columns]
        missing = [c for c in required if c not in header]
        if unknown:
            self.add(1, None, f"unknown column(s) {', '.join(unknown)} (expected: {', '.join(columns)})")
        if missing:
            self.add(1, None, f"missing column(s) {', '.join(missing)} (required: {', '.join(required)})")
        if unknown or missing:
            self.rows = []

    def add(self, row: int, column: str | None, message: str) -> None:
        place = f"{self.label} row {row}" + (f", column {column}" if column else "")
        self.problems.append(f"{place}: {message}")

    def cell(self, row: int, cells: dict[str, Any], column: str, parse: Callable[[Any], Any], default: Any = ...) -> Any:
        """A parsed cell; a problem (and None) when it is missing without a default or does not parse."""
        value = cells.get(column)
        if is_blank(value):
            if default is ...:
                self.add(row, column, "required value missing")
                return None
            return default
        try:
            return parse(value)
        except ValueError as exc:
            message = str(exc)  # a number's reason names the value already
            self.add(row, column, message if repr(value) in message else f"{message} (got {value!r})")
            return None


_number = parse_number


def _weight(value: Any) -> float:
    number = _number(value)
    if number < 0:
        raise ValueError("a weight cannot be negative (0 = the deviation is free)")
    return number


def _priority(value: Any) -> int | None:
    text = str(value).strip().lower()
    if text == "hard":
        return None
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not (number.is_integer() and number >= 1):
        raise ValueError("expected a positive integer (1 = first) or hard")
    return int(number)


def _bool(value: Any) -> bool:
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError("expected true or false")


def _bound(value: Any) -> float | None:
    text = str(value).strip().lower()
    if text in ("inf", "+inf", "-inf", "infinity", "-infinity", "none"):
        return None
    return _number(value)


def _goal_rows(sheet: _Sheet) -> list[ProgramGoal]:
    out: list[ProgramGoal] = []
    first: dict[tuple[str, int | None], int] = {}
    targets: dict[str, tuple[float, int]] = {}
    for row, cells in sheet.rows:
        goal = sheet.cell(row, cells, "goal", lambda v: str(v).strip())
        target = sheet.cell(row, cells, "target", _number)
        hard = sheet.cell(row, cells, "hard", _bool, False)
        priority = None if hard and cells.get("priority") in (None, "", "hard") else sheet.cell(row, cells, "priority", _priority)
        if hard and priority is not None:
            sheet.add(row, "priority", "a hard row has no priority (leave it blank or write hard)")
            continue
        under = sheet.cell(row, cells, "under_weight", _weight, 0.0)
        over = sheet.cell(row, cells, "over_weight", _weight, 0.0)
        if None in (goal, target, under, over) or (priority is None and not hard and str(cells.get("priority", "")).lower() != "hard"):
            continue
        if (goal, priority) in first:
            level = "hard" if priority is None else f"priority {priority}"
            sheet.add(row, "priority", f"goal '{goal}' appears twice at {level} (first on row {first[goal, priority]})")
            continue
        first[goal, priority] = row
        if goal in targets and targets[goal][0] != target:
            sheet.add(row, "target", f"goal '{goal}' has target {targets[goal][0]:g} on row {targets[goal][1]}; one goal, one target")
            continue
        targets.setdefault(goal, (target, row))
        if priority is None and under == 0 and over == 0:
            sheet.add(row, "under_weight", "a hard goal needs under_weight > 0 (at least), over_weight > 0 (at most) or both (exactly)")
            continue
        out.append(ProgramGoal(goal=goal, target=target, priority=priority, under_weight=under, over_weight=over, row=row))
    _check_levels(sheet, out)
    return out


def _check_levels(sheet: _Sheet, goals: list[ProgramGoal]) -> None:
    """Every priority level must weight some deviation above zero."""
    for priority in sorted({g.priority for g in goals if g.priority is not None}):
        rows = [g for g in goals if g.priority == priority]
        if all(g.under_weight == 0 and g.over_weight == 0 for g in rows):
            sheet.add(rows[0].row or 0, "under_weight", f"every weight at priority {priority} is 0: the level would optimize nothing")


def _variables(sheet: _Sheet | None) -> dict[str, ProgramVariable] | None:
    if sheet is None:
        return None
    out: dict[str, ProgramVariable] = {}
    first: dict[str, int] = {}
    for row, cells in sheet.rows:
        name = sheet.cell(row, cells, "variable", lambda v: str(v).strip())
        lower = sheet.cell(row, cells, "lower", _bound, 0.0)
        upper = sheet.cell(row, cells, "upper", _bound, None)
        integer = sheet.cell(row, cells, "integer", _bool, False)
        if name is None or integer is None:
            continue
        if name in first:
            sheet.add(row, "variable", f"variable '{name}' appears twice (first on row {first[name]})")
            continue
        first[name] = row
        if lower is not None and upper is not None and lower > upper:
            sheet.add(row, "lower", f"lower bound {lower:g} is above upper bound {upper:g}")
            continue
        out[name] = ProgramVariable(lower=lower, upper=upper, integer=integer)
    return out


def _terms(sheet: _Sheet, goals: set[str], declared: set[str] | None, vars_label: str) -> dict[str, list]:
    out: dict[str, list[tuple[str, float]]] = {}
    first: dict[tuple[str, str], int] = {}
    for row, cells in sheet.rows:
        goal = sheet.cell(row, cells, "goal", lambda v: str(v).strip())
        name = sheet.cell(row, cells, "variable", lambda v: str(v).strip())
        coef = sheet.cell(row, cells, "coefficient", _number)
        if None in (goal, name, coef):
            continue
        if goal not in goals:
            sheet.add(row, "goal", f"unknown goal '{goal}' (not in the goals table)")
            continue
        if declared is not None and name not in declared:
            sheet.add(row, "variable", f"unknown variable '{name}' (not in {vars_label})")
            continue
        if (goal, name) in first:
            sheet.add(row, "variable", f"goal '{goal}' names variable '{name}' twice (first on row {first[goal, name]})")
            continue
        first[goal, name] = row
        out.setdefault(goal, []).append((name, coef))
    return out


def read_goal_tables(goals: str | Path, terms: str | Path, variables: str | Path | None = None) -> GoalProgram:
    """Read and check the three tables; raise one DataError that lists every problem with its file, row and column."""
    problems: list[str] = []
    goal_sheet = _Sheet(goals, GOAL_COLUMNS, ("goal", "target", "priority"), problems)
    var_sheet = _Sheet(variables, VARIABLE_COLUMNS, ("variable",), problems) if variables is not None else None
    term_sheet = _Sheet(terms, TERM_COLUMNS, TERM_COLUMNS, problems)
    rows = _goal_rows(goal_sheet)
    declared = _variables(var_sheet)
    # names written in a table count as known even where their row was refused: the root error is reported once
    named = _names(var_sheet, "variable") if var_sheet is not None else None
    by_goal = _terms(term_sheet, {g.goal for g in rows} | _names(goal_sheet, "goal"), named, var_sheet.label if var_sheet else "")
    with_terms = _names(term_sheet, "goal")
    for g in rows:
        if g.goal not in with_terms and g.row == min(r.row or 0 for r in rows if r.goal == g.goal):
            goal_sheet.add(g.row or 0, "goal", f"goal '{g.goal}' has no terms in {term_sheet.label}")
    if not rows and not problems:
        goal_sheet.add(1, None, "no goals")
    if problems:
        body = "\n".join(f"  - {p}" for p in problems)
        raise DataError(f"Errors in the goal tables ({len(problems)}):\n{body}")
    used = {v for pairs in by_goal.values() for v, _ in pairs}
    variables_ = declared if declared is not None else {v: ProgramVariable() for v in sorted(used)}
    return GoalProgram(goals=tuple(rows), terms={k: tuple(v) for k, v in by_goal.items()}, variables=variables_, source=goal_sheet.label)


def _names(sheet: _Sheet, column: str) -> set[str]:
    """Every name written in a column, valid row or not (so one table is not blamed for another's error)."""
    return {str(cells[column]).strip() for _, cells in sheet.rows if cells.get(column) not in (None, "")}
