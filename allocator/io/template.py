"""Scenario workbooks an Excel user can fill: marked headers with Chinese comments, drop-downs, a Chinese README.

One builder writes both the empty template (``allocator template``: one example row per sheet, which
together form a small scenario that validates as it is) and a converted scenario (``allocator convert
S --to F.xlsx``: its rows, its named scenarios on a ``scenarios`` sheet and its named overrides on an
``overrides`` sheet), so the two always have the same README, drop-downs, colours and widths.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from models import Policy, Scenario
from models.economic import ECONOMIC_CLASSES

from ..tables import SCALAR_FIELDS, TABLES, TableSpec, flatten
from .template_docs import COLUMNS_ZH, SCENARIO_ZH, TABLES_ZH, policy_zh

REQUIRED_FILL = "F8CBAD"  # orange: a value is required
OPTIONAL_FILL = "D9D9D9"  # grey: may stay blank
EXAMPLE_FONT = "7F7F7F"
ROWS = 2000  # drop-downs and checks cover this many rows
BOOL_COLUMNS = {"top_peak", "landmark", "integer", "missing", "one_off", "hard"}
ID_SOURCES = {"unit": "units", "initiative": "initiatives", "indicator": "indicators", "source": "sources", "goal": "goals"}
WRAP = {"note", "description"}

EXAMPLE_META: dict[str, Any] = {
    "name": "example",
    "title_zh": "示例情景（请替换）",
    "title_en": "Example scenario (replace)",
    "language": "zh",
    "currency": "万元",
    "start_year": 2021,
    "end_year": 2021,
    "description": "模板中的示例行组成一个可以运行的小情景；填写时请替换或删除示例行。",
}
EXAMPLE_ROWS: dict[str, list[dict[str, Any]]] = {
    "indicators": [
        {
            "key": "students_abroad",
            "name_zh": "新增赴境外交流学生数",
            "unit_label": "人",
            "kind": "cumulative_new",
            "baseline": 0,
            "target": 8,
            "target_year": 2021,
            "weight": 1,
            "dimension": "people_scale",
            "clause": "三(一)1",
            "departments": "示例学院",
            "note": "示例行：请替换为实际数据",
        }
    ],
    "milestones": [{"indicator": "students_abroad", "year": 2021, "value": 5}],
    "units": [
        {
            "key": "college_a",
            "name_zh": "示例学院",
            "type": "college",
            "top_peak": "false",
            "full_time_faculty": 100,
            "grade": "B",
            "note": "示例行",
        }
    ],
    "initiatives": [
        {
            "key": "exchange_grants",
            "name_zh": "学生海外交流资助",
            "clause": "三(一)2",
            "units": "colleges",
            "unit_cost": 3,
            "activity_label": "人",
            "economic_class": "助学金",
            "lag": 0,
            "note": "示例行：假设约3万元/人",
        }
    ],
    "base_allocations": [{"unit": "college_a", "initiative": "exchange_grants", "amount": 12}],
    "segments": [{"initiative": "exchange_grants", "width": 6, "efficiency": 1}, {"initiative": "exchange_grants", "efficiency": 0.5}],
    "effects": [{"initiative": "exchange_grants", "indicator": "students_abroad", "yield_per_unit": 1, "note": "示例行：每个资助名额1人"}],
    "budget": [{"year": 2021, "stock": 12, "increment": 9}],
    "sources": [
        {
            "key": "province_grant",
            "name_zh": "省专项经费",
            "pool": "increment",
            "units": "all",
            "initiatives": "all",
            "note": "示例行：假设",
        }
    ],
    "source_amounts": [{"source": "province_grant", "year": 2021, "amount": 3}],
    "goals": [
        {
            "key": "exchange_money_cap",
            "name_zh": "交流资助不超过20万元",
            "unit_label": "万元",
            "priority": 3,
            "sense": "at_most",
            "target": 20,
            "scale": "native",
            "note": "示例行：假设的上限",
        }
    ],
    "goal_terms": [{"goal": "exchange_money_cap", "kind": "money", "coefficient": 1, "initiatives": "exchange_grants"}],
    "lines": [{"unit": "college_a", "initiative": "exchange_grants", "down_share": 0.3, "reason": "示例行：每年至多减少30%"}],
    "commitments": [
        {"unit": "college_a", "initiative": "exchange_grants", "year": 2021, "amount": 3, "reason": "示例行：已录取学生的资助"}
    ],
    "locks": [{"unit": "college_a", "initiative": "exchange_grants", "year": 2021, "amount": 15, "reason": "示例行：已报批的金额"}],
    "execution": [
        {"unit": "college_a", "initiative": "exchange_grants", "year": 2020, "planned": 12, "actual": 11.5, "note": "示例行：假设"}
    ],
}


def _choices(spec: TableSpec, column: str) -> tuple[str, ...]:
    if column in spec.choices:
        return spec.choices[column]
    if column in BOOL_COLUMNS:
        return ("true", "false")
    if column == "economic_class":
        return tuple(ECONOMIC_CLASSES.values())
    return ()


def _width(text: Any) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in str("" if text is None else text))


def _cell(value: Any) -> Any:
    """A value for a sheet: text as text (never a formula), lists and dicts as JSON."""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and len(value) > 1 and value.startswith(("=", "+", "@")):
        return "'" + value
    return value


README_LINES = {
    "zh": [
        "填写说明",
        "每张工作表是情景的一张表；第一行是列名（不要修改），从第二行起每行一条记录。",
        "橙色列名为必填列，灰色列名为可选列；把鼠标停在列名上可看到该列的中文说明。",
        "代码列（单位、举措、指标、资金来源）和取值固定的列带下拉选项，只能选择已填写的代码或列出的取值。",
        "scenario 表填写情景名称与年份，policy 表填写政策参数（空白表示使用默认值或不设限）。",
        "scenarios 表（可选）定义命名情景：每行一项修改，如 budget.increment.2023*=0.8，运行时用 --scenario 名称 应用。",
    ],
    "en": [
        "How to fill in this workbook",
        "Each sheet is one table of the scenario; row 1 holds the column names (do not change them), one record per row below.",
        "Orange headings are required columns, grey ones optional; hover over a heading to read what the column means.",
        "Id columns (units, initiatives, indicators, sources) and columns with fixed values have drop-downs.",
        "The scenario sheet holds the name and years, the policy sheet the policy settings (blank = the default or no limit).",
        "The optional scenarios sheet defines named scenarios: one edit per row, e.g. budget.increment.2023*=0.8; "
        "apply one with --scenario NAME.",
    ],
}
README_EXAMPLE = {
    "zh": "灰色斜体的示例行组成一个可以直接运行的小情景：allocator validate 本文件；填写时请替换或删除示例行。",
    "en": "The grey italic example rows form a small scenario that runs as it is (allocator validate this file); replace or delete them.",
}
README_LAST = {
    "zh": "填好后运行：allocator validate 本文件.xlsx，再运行 allocator plan 本文件.xlsx。",
    "en": "When done: allocator validate this.xlsx, then allocator plan this.xlsx.",
}
README_HEADER = {"zh": ["工作表", "列", "必填", "说明", "可选值"], "en": ["sheet", "column", "required", "meaning", "choices"]}


def _meaning(spec: TableSpec, col: str, lang: str) -> str:
    english = spec.column_docs.get(col, "")
    return (COLUMNS_ZH.get(spec.name, {}).get(col) or english) if lang == "zh" else english


def _readme_rows(lang: str) -> list[list[Any]]:
    """sheet, column, required, meaning, choices: every scenario field, the policy sheet and every table column."""
    from models import Scenario

    yes = "是" if lang == "zh" else "yes"
    rows: list[list[Any]] = []
    for k in SCALAR_FIELDS:
        meaning = SCENARIO_ZH.get(k, "") if lang == "zh" else (Scenario.model_fields[k].description or "")
        rows.append(["scenario", k, yes if Scenario.model_fields[k].is_required() else "", meaning, ""])
    policy_line = (
        "政策参数，每行一个（见 policy 表第三列的说明）。" if lang == "zh" else "Policy settings, one per row (see the policy sheet)."
    )
    rows.append(["policy", "key / value", "", policy_line, ""])
    for spec in TABLES:
        rows.append([spec.name, "", "", TABLES_ZH.get(spec.name, spec.doc) if lang == "zh" else spec.doc, ""])
        for col in spec.columns:
            rows.append([spec.name, col, yes if col in spec.required else "", _meaning(spec, col, lang), ", ".join(_choices(spec, col))])
    return rows


def _readme(wb, example: bool, lang: str = "zh") -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.active
    ws.title = "README"
    lines = [(text, n == 0) for n, text in enumerate(README_LINES[lang])]
    if example:
        lines.append((README_EXAMPLE[lang], False))
    lines.append((README_LAST[lang], False))
    for n, (text, bold) in enumerate(lines, start=1):
        cell = ws.cell(row=n, column=1, value=text)
        cell.font = Font(bold=bold, size=13 if bold else 11)
    start = len(lines) + 2
    for j, h in enumerate(README_HEADER[lang], start=1):
        c = ws.cell(row=start, column=j, value=h)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DCE6F1")
    rows = _readme_rows(lang)
    for i, r in enumerate(rows, start=start + 1):
        for j, v in enumerate(r, start=1):
            c = ws.cell(row=i, column=j, value=v)
            if j in (4, 5):
                c.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (18, 22, 8, 80, 40)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"A{start + 1}"


def _key_value_sheet(wb, name: str, items: Sequence[tuple[str, Any, str]], example: bool) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.create_sheet(name)
    for j, h in enumerate(("key", "value", "说明"), start=1):
        c = ws.cell(row=1, column=j, value=h)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor=REQUIRED_FILL if h != "说明" else OPTIONAL_FILL)
    for n, (key, value, zh) in enumerate(items, start=2):
        ws.cell(row=n, column=1, value=key)
        v = ws.cell(row=n, column=2, value=_cell(value))
        if isinstance(v.value, str):
            v.data_type = "s"
        if example and name == "scenario":
            v.font = Font(italic=True, color=EXAMPLE_FONT)
        ws.cell(row=n, column=3, value=zh).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = max(24, max((_width(k) for k, _, _ in items), default=0) + 2)
    ws.column_dimensions["B"].width = min(60, max(14, max((_width(_cell(v)) for _, v, _ in items), default=0) + 2))
    ws.column_dimensions["C"].width = 80
    ws.freeze_panes = "A2"


def _table_sheet(wb, spec: TableSpec, rows: list[dict[str, Any]], example: bool) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.create_sheet(spec.name)
    widths = {}
    for j, col in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=j, value=col)
        required = col in spec.required
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=REQUIRED_FILL if required else OPTIONAL_FILL)
        zh = COLUMNS_ZH.get(spec.name, {}).get(col) or spec.column_docs.get(col, "")
        note = f"{'必填' if required else '可选'}：{zh}\n{spec.column_docs.get(col, '')}".strip()
        cell.comment = Comment(note, "allocator", width=320, height=120)
        widths[j] = _width(col) + 4
    for n, row in enumerate(rows, start=2):
        for j, col in enumerate(spec.columns, start=1):
            value = row.get(col)
            if value in (None, ""):
                continue
            cell = ws.cell(row=n, column=j, value=_cell(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"
            if example:
                cell.font = Font(italic=True, color=EXAMPLE_FONT)
            if col in WRAP:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[j] = max(widths[j], min(_width(cell.value) + 2, 50 if col in WRAP else 40))
    _validations(ws, spec)
    for j, width in widths.items():
        ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = max(10, width)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{ws.cell(row=1, column=len(spec.columns)).column_letter}{max(2, len(rows) + 1)}"


def _validations(ws, spec: TableSpec) -> None:
    """Drop-downs: fixed choices as lists, ids as references to the key column of their sheet."""
    from openpyxl.worksheet.datavalidation import DataValidation

    for j, col in enumerate(spec.columns, start=1):
        letter = ws.cell(row=1, column=j).column_letter
        choices = _choices(spec, col)
        if choices:
            formula = '"' + ",".join(choices) + '"'
            message = f"{col}：请从下拉列表选择（{', '.join(choices)}）"
        elif col in ID_SOURCES and spec.name != ID_SOURCES[col]:
            formula = f"={ID_SOURCES[col]}!$A$2:$A${ROWS}"
            message = f"{col}：请选择 {ID_SOURCES[col]} 表中已填写的代码"
        else:
            continue
        dv = DataValidation(
            type="list", formula1=formula, allow_blank=True, showErrorMessage=True, error=message, errorTitle="取值不在列表中"
        )
        ws.add_data_validation(dv)
        dv.add(f"{letter}2:{letter}{ROWS}")


def _policy_items(policy: Mapping[str, Any]) -> list[tuple[str, Any, str]]:
    """Every policy key, with its value (blank for keys whose default is blank) and its Chinese meaning."""
    flat = flatten(dict(policy))
    items = []
    for key, value in flat.items():
        if value in ({}, []):
            value = None
        items.append((key, value, policy_zh(key)))
    return items


def scenario_workbook(
    meta: Mapping[str, Any],
    policy: Mapping[str, Any],
    rows: Mapping[str, list[dict[str, Any]]],
    *,
    example: bool = False,
    named: Mapping[str, Sequence[Any]] | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    lang: str = "zh",
) -> bytes:
    """The workbook bytes: README, scenario, policy, one sheet per table, and named scenarios if any."""
    import openpyxl

    wb = openpyxl.Workbook()
    _readme(wb, example, lang)
    _key_value_sheet(wb, "scenario", [(k, meta.get(k), SCENARIO_ZH.get(k, "")) for k in SCALAR_FIELDS], example)
    _key_value_sheet(wb, "policy", _policy_items(policy), example=False)
    for spec in TABLES:
        _table_sheet(wb, spec, list(rows.get(spec.name, [])), example)
    if named:
        _list_sheet(wb, "scenarios", ("scenario", "item"), [(n, item) for n, items in named.items() for item in items])
    if overrides:
        _list_sheet(wb, "overrides", ("override", "path", "value"), [(n, p, v) for n, edits in overrides.items() for p, v in edits.items()])
    from .outputs import SCENARIO, TEMPLATE, mark_workbook

    mark_workbook(wb, TEMPLATE if example else SCENARIO)  # --force may replace it later only while nobody edited it
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _list_sheet(wb, name: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from openpyxl.styles import Font, PatternFill

    ws = wb.create_sheet(name)
    for j, h in enumerate(header, start=1):
        c = ws.cell(row=1, column=j, value=h)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor=REQUIRED_FILL)
    for n, row in enumerate(rows, start=2):
        for j, v in enumerate(row, start=1):
            c = ws.cell(row=n, column=j, value=_cell(v if not isinstance(v, (list, dict)) else json.dumps(v, ensure_ascii=False)))
            if isinstance(c.value, str):
                c.data_type = "s"
    for j in range(1, len(header) + 1):
        letter = ws.cell(row=1, column=j).column_letter
        ws.column_dimensions[letter].width = max(14, max((_width(r[j - 1]) + 2 for r in rows), default=0))
    ws.freeze_panes = "A2"


def template_bytes(lang: str = "zh") -> bytes:
    """The empty template: every sheet and header, one example row per table, every policy key."""
    return scenario_workbook(EXAMPLE_META, Policy().model_dump(mode="json"), EXAMPLE_ROWS, example=True, lang=lang)


def scenario_bytes(
    sc: Scenario, *, named: Mapping[str, Sequence[Any]] | None = None, overrides: Mapping[str, Mapping[str, Any]] | None = None
) -> bytes:
    """A scenario as a workbook with the template's README, drop-downs and widths, and its named scenarios."""
    from ..tables import scenario_rows

    data = sc.model_dump(mode="json")
    lang = sc.language if sc.language in ("zh", "en") else "zh"
    return scenario_workbook(
        {k: data[k] for k in SCALAR_FIELDS}, data["policy"], scenario_rows(sc), named=named, overrides=overrides, lang=lang
    )
