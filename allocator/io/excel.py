"""Excel for people: a run folder as one formatted workbook, and an empty scenario template with drop-downs.

Every text cell that a spreadsheet would read as a formula (``=``, ``+``, ``@``, ``-`` before text) is written as
text with a leading apostrophe (:mod:`allocator.io.safe_text`), so nothing a user typed into a name can ever be
evaluated as a formula (CSV/Excel injection).
"""

from __future__ import annotations

import io as _io
import json
import logging
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd

from ..tables import SCALAR_FIELDS, TABLES, flatten
from .atomic import atomic_write_bytes, ensure_new
from .outputs import EXPORT, TEMPLATE, mark_workbook
from .run_reader import extra_tables, read_manifest, read_table
from .safe_text import neutralize

logger = logging.getLogger(__name__)

MONEY_FORMAT = '#,##0.00" 万元"'
PERCENT_FORMAT = "0.0%"
NUMBER_FORMAT = "#,##0.####"

MONEY_COLUMNS = {
    "amount",
    "available",
    "allocated",
    "unused",
    "spending",
    "award",
    "floor_amount",
    "stock_basis",
    "may_reclaim",
    "budget",
    "extra",
    "extra_total",
    "input_money",
    "slack_money",
    "target_money",
    "planned",
    "unit_cost",
    "standard",
}
PERCENT_COLUMNS = {
    "completion",
    "cost_efficiency_score",
    "dea_efficiency",
    "efficiency",
    "composite",
    "probability",
    "clear_probability",
    "stage2_progress",
    "floor_share",
    "super_efficiency",
    "std_error",
    "execution_rate",
    "unit_cost_score",
    "timeliness",
}


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _format_for(column: str) -> str | None:
    col = column.lower()
    if col in MONEY_COLUMNS or col.startswith(("extra_", "budget_")):
        return MONEY_FORMAT
    if col in PERCENT_COLUMNS:
        return PERCENT_FORMAT
    return None


def write_frame(ws, frame: pd.DataFrame) -> None:
    """One table on a sheet: bold frozen header, number formats by column, sensible widths, no live formulas."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws.append([neutralize(str(c)) for c in frame.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    for row in frame.itertuples(index=False):
        values = []
        for v in row:
            if v is None or (isinstance(v, float) and v != v):
                values.append(None)
            elif hasattr(v, "item"):  # numpy scalar
                values.append(v.item())
            else:
                values.append(neutralize(v) if isinstance(v, str) else v)
        ws.append(values)
    for r in ws.iter_rows(min_row=2):
        for cell in r:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
    ws.freeze_panes = "A2"
    for j, column in enumerate(frame.columns, start=1):
        fmt = _format_for(str(column))
        letter = get_column_letter(j)
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                if isinstance(cell.value, (int, float)):
                    cell.number_format = fmt
        sample = [column, *frame.iloc[:200, j - 1].tolist()]
        width = max(_width(v if not isinstance(v, float) else f"{v:,.2f}") for v in sample)
        ws.column_dimensions[letter].width = min(max(width + 2, 8), 60)


def export_run_workbook(run: str | Path, out: str | Path, *, force: bool = False) -> Path:
    """Every CSV table of a run folder on its own sheet, plus a ``manifest`` sheet."""
    import openpyxl

    folder = Path(run)
    ensure_new(out, force=force, kind=EXPORT, inputs=(run,))
    manifest = read_manifest(folder)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "manifest"
    flat = flatten({k: v for k, v in manifest.items() if k not in ("overrides", "levels", "stages", "scoring_policy", "files")})
    write_frame(
        ws,
        pd.DataFrame(
            [{"key": k, "value": v if not isinstance(v, (list, dict)) else json.dumps(v, ensure_ascii=False)} for k, v in flat.items()]
        ),
    )
    listed = manifest.get("files")
    if isinstance(listed, dict):  # the run's own tables, then those a later command added (tasks.csv)
        names = sorted(n for n in listed if n.endswith(".csv")) + extra_tables(folder, listed)
    else:
        names = sorted(p.name for p in folder.glob("*.csv"))
    for name in names:
        frame = read_table(folder, name.removesuffix(".csv"))
        write_frame(wb.create_sheet(name.removesuffix(".csv")[:31]), frame)
    mark_workbook(wb, EXPORT)
    buf = _io.BytesIO()
    wb.save(buf)
    logger.info("exported %s to %s", run, out)
    return atomic_write_bytes(out, buf.getvalue(), force=force, kind=EXPORT)


# ---------------------------------------------------------------------------------------------
# input template
# ---------------------------------------------------------------------------------------------

BOOL_COLUMNS = {"top_peak", "landmark", "integer", "missing"}


def _readme_rows(policy_defaults: dict[str, Any]) -> list[dict[str, str]]:
    from models import Scenario

    rows = [
        {
            "sheet": "scenario",
            "column": k,
            "required": "yes" if Scenario.model_fields[k].is_required() else "",
            "meaning": Scenario.model_fields[k].description or "",
        }
        for k in SCALAR_FIELDS
    ]
    rows.append(
        {
            "sheet": "policy",
            "column": "key / value",
            "required": "",
            "meaning": "Dotted policy settings (pre-filled with the defaults); see docs/formulation.md.",
        }
    )
    for spec in TABLES:
        for col in spec.columns:
            choices = spec.choices.get(col) or (("true", "false") if col in BOOL_COLUMNS else ())
            meaning = spec.column_docs.get(col, "")
            if choices:
                meaning += f" One of: {', '.join(choices)}."
            rows.append({"sheet": spec.name, "column": col, "required": "yes" if col in spec.required else "", "meaning": meaning})
    return rows


def write_template(out: str | Path, *, force: bool = False) -> Path:
    """An empty scenario workbook: a README sheet generated from the schema, every sheet and header, drop-downs."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from models import Policy

    ensure_new(out, force=force, kind=TEMPLATE)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "README"
    policy_defaults = flatten(Policy().model_dump(mode="json"))
    write_frame(ws, pd.DataFrame(_readme_rows(policy_defaults)))
    ws.column_dimensions["D"].width = 100
    sc = wb.create_sheet("scenario")
    sc.append(["key", "value"])
    for k in SCALAR_FIELDS:
        sc.append([k, {"language": "zh", "currency": "万元"}.get(k)])
    pol = wb.create_sheet("policy")
    pol.append(["key", "value"])
    for k, v in policy_defaults.items():
        if v in ({}, [], None):
            continue
        pol.append([k, v])
    for sheet in (sc, pol):
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["A"].width = 36
        sheet.column_dimensions["B"].width = 24
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    for spec in TABLES:
        ws = wb.create_sheet(spec.name)
        ws.append(list(spec.columns))
        ws.freeze_panes = "A2"
        for j, col in enumerate(spec.columns, start=1):
            cell = ws.cell(row=1, column=j)
            cell.font = Font(bold=True)
            ws.column_dimensions[cell.column_letter].width = max(12, _width(col) + 4)
            choices = spec.choices.get(col) or (("true", "false") if col in BOOL_COLUMNS else ())
            if choices:
                dv = DataValidation(
                    type="list",
                    formula1='"' + ",".join(choices) + '"',
                    allow_blank=True,
                    error=f"{col}: one of {', '.join(choices)}",
                    showErrorMessage=True,
                )
                ws.add_data_validation(dv)
                dv.add(f"{cell.column_letter}2:{cell.column_letter}2000")
    mark_workbook(wb, TEMPLATE)
    buf = _io.BytesIO()
    wb.save(buf)
    return atomic_write_bytes(out, buf.getvalue(), force=force, kind=TEMPLATE)
