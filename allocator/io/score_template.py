"""A workbook for a year's scoring inputs, made like the scenario template.

A Chinese-first README, marked headers with comments (required orange, optional grey), one grey italic example
row per sheet, and id drop-downs. Actual outputs and spending always; targets, planned money and standard costs
when not scored against a plan run. Each sheet is read by ``allocator score`` as ``BOOK.xlsx#SHEET``. The
example rows use the scenario's ids (with ``--for``), so a reader skips an example row left exactly as written
(``io.records``); typed over, it is data.
"""

from __future__ import annotations

import io as _io
from pathlib import Path
from typing import Any

from models import ActualOutput, ActualSpending, PlannedSpending, Scenario, Standard, UnitTarget

from ..selectors import select_units
from .atomic import atomic_write_bytes, ensure_new
from .outputs import TEMPLATE, XLSX_EXAMPLE_PROPERTY, example_row_digest, mark_workbook
from .template import EXAMPLE_FONT, OPTIONAL_FILL, REQUIRED_FILL
from .template_docs import SCORE_COLUMNS_ZH, SCORE_SHEETS_ZH

SHEETS = {
    "actuals": (ActualOutput, True, "Actual outputs: what each unit delivered on each indicator in the year."),
    "spending": (ActualSpending, True, "Actual spending: what each unit spent on each line (initiative) in the year."),
    "targets": (UnitTarget, False, "Targets (only without --plan RUN; a plan run's 任务分解表 gives them otherwise)."),
    "planned": (PlannedSpending, False, "Planned money per line (only with --targets; a plan run gives it otherwise)."),
    "standards": (Standard, False, "Standard costs per unit of output, replacing the ones the unit costs imply (optional)."),
}
EXAMPLE_IDS = {"unit": "college_a", "indicator": "students_abroad", "initiative": "exchange_grants", "year": 2021}
"""Ids of the example rows without a scenario (the scenario template's example ids)."""
EXAMPLE_VALUES = {"value": 3, "amount": 12.5, "target": 3, "standard": 3}

BOOK, SCENARIO = {"zh": "本文件.xlsx", "en": "BOOK.xlsx"}, {"zh": "情景", "en": "SCENARIO"}
TITLE = {"zh": "绩效评价数据填写说明", "en": "How to fill in the scoring inputs"}
LINES = {
    "zh": [
        "每张工作表是 allocator score 的一项输入；第一行是列名（不要修改），从第二行起每行一条记录。",
        "橙色列名为必填列，灰色列名为可选列；把鼠标停在列名上可看到该列的中文说明。",
        "actuals 与 spending 必填；用 --plan 评价时考核目标与预算数取自方案，不填 targets 与 planned；"
        "不用 --plan 时两表都要填写。standards 可选。",
        "灰色斜体的第二行是示例：原样保留时读取会跳过（并给出提示），改写后即作为数据读取；填写时请替换或删除示例行。",
    ],
    "en": [
        "Each sheet is one input of allocator score; row 1 holds the column names (do not change them), one record per row below.",
        "Orange headings are required columns, grey ones optional; hover over a heading to read what the column means.",
        "actuals and spending are required; scored with --plan, targets and planned money come from the plan run; "
        "without --plan fill in both targets and planned. standards is optional.",
        "The grey italic row 2 is an example: left as written it is skipped when read (with a warning); typed over, "
        "it is data. Replace or delete it.",
    ],
}
DROP_DOWNS = {
    "zh": "代码列（单位、指标、举措、年份）带下拉选项，取自情景 {name}。",
    "en": "Id columns (unit, indicator, initiative, year) have drop-downs from scenario {name}.",
}
HEADER = {"zh": ["工作表", "列", "必填", "说明"], "en": ["sheet", "column", "required", "meaning"]}
YES = {"zh": "是", "en": "yes"}


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


def _example_ids(sc: Scenario | None) -> dict[str, Any]:
    """Ids for the example rows: a unit that may run the scenario's first initiative, its first indicator, its first year."""
    if sc is None or not sc.initiatives or not sc.indicators:
        return dict(EXAMPLE_IDS)
    initiative = next(iter(sc.initiatives))
    units = select_units(sc.initiatives[initiative].units, sc.units) or sorted(sc.units)
    indicator = next(iter(sc.initiatives[initiative].effects), next(iter(sc.indicators)))
    return {"unit": units[0], "indicator": indicator, "initiative": initiative, "year": sc.start_year}


def _meaning(sheet: str, column: str, field, lang: str) -> str:
    english = field.description or ""
    return (SCORE_COLUMNS_ZH.get(sheet, {}).get(column) or english) if lang == "zh" else english


def _commands(lang: str) -> list[str]:
    book, sc = BOOK[lang], SCENARIO[lang]
    plan = "方案运行文件夹" if lang == "zh" else "PLAN_RUN"
    first = f"allocator score {sc} --actuals {book}#actuals --spending {book}#spending --plan {plan}"
    second = (
        f"allocator score {sc} --actuals {book}#actuals --spending {book}#spending --targets {book}#targets "
        f"--planned {book}#planned [--standards {book}#standards]"
    )
    if lang == "zh":
        return [f"填好后运行：{first}", f"或（不用方案）：{second}"]
    return [f"When done: {first}", f"or (without a plan): {second}"]


def _readme(ws, sc: Scenario | None, lang: str) -> None:
    """Title, how to fill in, the two commands, then sheet / column / required / meaning for every column."""
    from openpyxl.styles import Alignment, Font, PatternFill

    ws.title = "README"
    lines = [TITLE[lang], *LINES[lang]]
    if sc is not None:
        lines.append(DROP_DOWNS[lang].format(name=sc.name))
    lines += _commands(lang)
    for n, text in enumerate(lines, start=1):
        ws.cell(row=n, column=1, value=text).font = Font(bold=n == 1, size=13 if n == 1 else 11)
    start = len(lines) + 2
    for j, h in enumerate(HEADER[lang], start=1):
        c = ws.cell(row=start, column=j, value=h)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DCE6F1")
    row = start + 1
    for name, (model, required, what) in SHEETS.items():
        ws.cell(row=row, column=1, value=name).font = Font(bold=True)
        ws.cell(row=row, column=3, value=YES[lang] if required else "")
        ws.cell(row=row, column=4, value=SCORE_SHEETS_ZH[name] if lang == "zh" else what).font = Font(bold=True)
        row += 1
        for column, field in model.model_fields.items():
            ws.cell(row=row, column=1, value=name)
            ws.cell(row=row, column=2, value=column)
            ws.cell(row=row, column=3, value=YES[lang] if field.is_required() else "")
            ws.cell(row=row, column=4, value=_meaning(name, column, field, lang)).alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
    for letter, width in zip("ABCD", (14, 14, 8, 90)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"A{start + 1}"


def _header(ws, sheet: str, model, lang: str) -> list[str]:
    """Row 1: bold column names, orange when required and grey when optional, each with a comment saying what it holds."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    columns = list(model.model_fields)
    for j, column in enumerate(columns, start=1):
        field = model.model_fields[column]
        required = field.is_required()
        cell = ws.cell(row=1, column=j, value=column)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=REQUIRED_FILL if required else OPTIONAL_FILL)
        zh = SCORE_COLUMNS_ZH.get(sheet, {}).get(column, "")
        if lang == "zh":
            note = f"{'必填' if required else '可选'}：{zh}\n{field.description or ''}"
        else:
            note = f"{'Required' if required else 'Optional'}: {field.description or ''}\n{zh}"
        cell.comment = Comment(note.strip(), "allocator", width=320, height=110)
        ws.column_dimensions[cell.column_letter].width = 16
    return columns


def _example(ws, columns: list[str], ids: dict[str, Any]) -> list[Any]:
    """Row 2: one example record in grey italic; returns its values (for the workbook's record of example rows)."""
    from openpyxl.styles import Font

    values = [ids.get(c, EXAMPLE_VALUES.get(c)) for c in columns]
    for j, value in enumerate(values, start=1):
        if value is not None:
            ws.cell(row=2, column=j, value=value).font = Font(italic=True, color=EXAMPLE_FONT)
    return values


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
            error=f"{column}：请选择情景中的代码 / one of the scenario's ids",
            errorTitle="取值不在列表中",
        )
        ws.add_data_validation(dv)
        letter = get_column_letter(j)
        dv.add(f"{letter}2:{letter}5000")


def write_score_template(out: str | Path, scenario: Scenario | None = None, *, force: bool = False, lang: str = "zh") -> Path:
    """A score-input workbook: README, one sheet per input with marked headers and an example row, id drop-downs."""
    import openpyxl
    from openpyxl.packaging.custom import StringProperty

    lang = lang if lang in ("zh", "en") else "zh"
    ensure_new(out, force=force, kind=TEMPLATE)
    wb = openpyxl.Workbook()
    _readme(wb.active, scenario, lang)
    lists = _lists(scenario)
    ids = _example_ids(scenario)
    digests = []
    for name, (model, _, _) in SHEETS.items():
        ws = wb.create_sheet(name)
        columns = _header(ws, name, model, lang)
        digests.append(f"{name}={example_row_digest(name, _example(ws, columns, ids))}")
        ws.freeze_panes = "A2"
        _drop_downs(wb, ws, columns, lists)
    if "lists" in wb.sheetnames:
        wb.move_sheet("lists", offset=len(wb.sheetnames))
    mark_workbook(wb, TEMPLATE)
    wb.custom_doc_props.append(StringProperty(name=XLSX_EXAMPLE_PROPERTY, value=";".join(digests)))
    buf = _io.BytesIO()
    wb.save(buf)
    return atomic_write_bytes(out, buf.getvalue(), force=force, kind=TEMPLATE)
