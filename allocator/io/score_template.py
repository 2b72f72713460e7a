"""An empty workbook for a year's scoring inputs, with a sheet explaining each column and id drop-downs.

Actual outputs and spending always; targets, planned money and standard costs when not scored against a plan
run. Each sheet is read by ``allocator score`` as ``BOOK.xlsx#SHEET``.
"""

from __future__ import annotations

import io as _io
from pathlib import Path

from models import ActualOutput, ActualSpending, PlannedSpending, Scenario, Standard, UnitTarget

from .atomic import atomic_write_bytes, ensure_new
from .outputs import TEMPLATE, mark_workbook

SHEETS = {
    "actuals": (ActualOutput, True, "实际产出 / actual outputs: what each unit delivered on each indicator in the year"),
    "spending": (ActualSpending, True, "实际支出 / actual spending: what each unit spent on each line (initiative) in the year"),
    "targets": (UnitTarget, False, "考核目标 / targets (only without --plan RUN; a plan run's 任务分解表 gives them otherwise)"),
    "planned": (PlannedSpending, False, "预算数 / planned money per line (only with --targets; a plan run gives it otherwise)"),
    "standards": (Standard, False, "开支标准 / standard costs per unit of output, replacing the ones the unit costs imply (optional)"),
}
REQUIRED_NOTE = {True: "yes", False: ""}


def _lists(sc: Scenario | None) -> dict[str, list[str]]:
    """Id drop-down values by column name."""
    if sc is None:
        return {}
    return {
        "unit": sorted(sc.units),
        "indicator": list(sc.indicators),
        "initiative": list(sc.initiatives),
        "year": [str(y) for y in sc.years],
    }


def _readme(ws) -> None:
    from openpyxl.styles import Font

    ws.append(["sheet", "column", "required", "meaning"])
    for name, (model, required, what) in SHEETS.items():
        ws.append([name, "", REQUIRED_NOTE[required], what])
        for column, field in model.model_fields.items():
            ws.append([name, column, "yes" if field.is_required() else "", field.description or ""])
    ws.append([])
    book, scenario = "BOOK.xlsx", "SCENARIO"
    ws.append(["run", "", "", f"allocator score {scenario} --actuals {book}#actuals --spending {book}#spending --plan PLAN_RUN"])
    ws.append(
        [
            "or",
            "",
            "",
            f"allocator score {scenario} --actuals {book}#actuals --spending {book}#spending --targets {book}#targets "
            f"--planned {book}#planned [--standards {book}#standards]",
        ]
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCD", (12, 14, 10, 110)):
        ws.column_dimensions[letter].width = width


def _drop_downs(wb, ws, columns: list[str], lists: dict[str, list[str]]) -> None:
    """Each id column gets a drop-down from a hidden ``lists`` sheet (lists longer than Excel's 255-character inline limit)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if not lists:
        return
    store = wb["lists"] if "lists" in wb.sheetnames else wb.create_sheet("lists")
    store.sheet_state = "hidden"
    for j, column in enumerate(columns, start=1):
        values = lists.get(column)
        if not values:
            continue
        k = list(lists).index(column) + 1
        col = get_column_letter(k)
        if store.cell(row=1, column=k).value is None:
            store.cell(row=1, column=k, value=column)
            for n, v in enumerate(values, start=2):
                store.cell(row=n, column=k, value=v)
        dv = DataValidation(
            type="list",
            formula1=f"lists!${col}$2:${col}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            error=f"{column}: one of the scenario's ids",
        )
        ws.add_data_validation(dv)
        letter = get_column_letter(j)
        dv.add(f"{letter}2:{letter}5000")


def write_score_template(out: str | Path, scenario: Scenario | None = None, *, force: bool = False) -> Path:
    """An empty score-input workbook: README, one sheet per input with its header, id drop-downs for a scenario."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill

    ensure_new(out, force=force, kind=TEMPLATE)
    wb = openpyxl.Workbook()
    _readme(wb.active)
    wb.active.title = "README"
    lists = _lists(scenario)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for name, (model, _, _) in SHEETS.items():
        ws = wb.create_sheet(name)
        columns = list(model.model_fields)
        ws.append(columns)
        for j, column in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=j)
            cell.font = Font(bold=True)
            if model.model_fields[column].is_required():
                cell.fill = required_fill
            ws.column_dimensions[cell.column_letter].width = 16
        ws.freeze_panes = "A2"
        _drop_downs(wb, ws, columns, lists)
    if "lists" in wb.sheetnames:
        wb.move_sheet("lists", offset=len(wb.sheetnames))
    buf = _io.BytesIO()
    mark_workbook(wb, TEMPLATE)
    wb.save(buf)
    return atomic_write_bytes(out, buf.getvalue(), force=force, kind=TEMPLATE)
