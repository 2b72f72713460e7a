"""Excel: the run export is formatted and injection-safe; the template round-trips into a plan."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from allocator import load_scenario
from allocator.cli import cli
from allocator.tables import SCALAR_FIELDS, TABLE_BY_NAME, scenario_rows

HOSTILE = '=HYPERLINK("http://x")'


def test_export_formats_and_neutralizes(examples, tmp_path):
    runner = CliRunner()
    res = runner.invoke(
        cli,
        [
            "-q",
            "plan",
            str(examples / "floors_and_gaps.yaml"),
            "--set",
            f"units.A.name_en={HOSTILE}",
            "--set",
            "units.D.name_en=+cmd|' /C calc'!A0",
            "--out",
            str(tmp_path / "run"),
        ],
    )
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["export", str(tmp_path / "run"), "--xlsx", str(tmp_path / "run.xlsx")])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(tmp_path / "run.xlsx")
    assert {"manifest", "allocation", "indicators", "budget", "marginals", "unit_indicators"} <= set(wb.sheetnames)
    alloc = wb["allocation"]
    assert alloc.freeze_panes == "A2"
    header = [c.value for c in alloc[1]]
    amount = header.index("amount") + 1
    assert alloc.cell(row=2, column=amount).number_format == '#,##0.00" 万元"'
    names = [c.value for c in alloc[alloc.cell(row=1, column=header.index("unit_name") + 1).column_letter]]
    texts = [c for row in wb["allocation"].iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in texts)
    assert any(str(v).startswith("'=HYPERLINK") for v in names)
    # pandas reads it back as text, never as a formula result
    frame = pd.read_excel(tmp_path / "run.xlsx", sheet_name="allocation")
    assert (frame["unit_name"] == "'" + HOSTILE).any()
    assert frame["amount"].sum() == pytest.approx(240.0)
    assert alloc.column_dimensions["A"].width >= 8
    # existing workbook is not clobbered
    assert runner.invoke(cli, ["export", str(tmp_path / "run"), "--xlsx", str(tmp_path / "run.xlsx")]).exit_code == 1


def test_percent_format_on_scores(examples, tmp_path):
    folder = examples / "scoring"
    res = CliRunner().invoke(
        cli,
        [
            "-q",
            "score",
            str(folder),
            "--actuals",
            str(folder / "actuals.csv"),
            "--spending",
            str(folder / "spending.csv"),
            "--targets",
            str(folder / "targets.csv"),
            "--out",
            str(tmp_path / "s"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert CliRunner().invoke(cli, ["export", str(tmp_path / "s"), "--xlsx", str(tmp_path / "s.xlsx")]).exit_code == 0
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["scores"]
    header = [c.value for c in ws[1]]
    assert ws.cell(row=2, column=header.index("completion") + 1).number_format == "0.0%"
    assert ws.cell(row=2, column=header.index("spending") + 1).number_format == '#,##0.00" 万元"'


def fill_template(path, scenario) -> None:
    """Type a scenario into a template, sheet by sheet, as a user would."""
    wb = openpyxl.load_workbook(path)
    ws = wb["scenario"]
    doc = scenario.model_dump(mode="json")
    for row in ws.iter_rows(min_row=2):
        if row[0].value in SCALAR_FIELDS:
            row[1].value = doc[row[0].value]
    for name, rows in scenario_rows(scenario).items():
        ws = wb[name]
        header = [c.value for c in ws[1]]
        assert header == list(TABLE_BY_NAME[name].columns)
        for r in rows:
            ws.append([r.get(c, "") for c in header])
    wb.save(path)


def test_template_round_trip(examples, tmp_path):
    runner = CliRunner()
    book = tmp_path / "mine.xlsx"
    assert runner.invoke(cli, ["template", "--out", str(book)]).exit_code == 0
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[0] == "README"
    readme = pd.read_excel(book, sheet_name="README")
    assert {"indicators", "units", "initiatives"} <= set(readme["sheet"])
    assert readme[(readme["sheet"] == "indicators") & (readme["column"] == "kind")]["meaning"].str.contains("breakthrough").all()
    kinds = [dv for dv in wb["indicators"].data_validations.dataValidation if "cumulative_new" in dv.formula1]
    assert kinds, "kind column has a drop-down"
    sc = load_scenario(examples / "floors_and_gaps.yaml")
    fill_template(book, sc)
    assert load_scenario(book) == sc
    res = runner.invoke(cli, ["plan", str(book), "--out", str(tmp_path / "run")])
    assert res.exit_code == 0, res.output
    assert "0.728" in res.output


def test_template_with_misspelled_header(tmp_path):
    book = tmp_path / "t.xlsx"
    assert CliRunner().invoke(cli, ["template", "--out", str(book)]).exit_code == 0
    wb = openpyxl.load_workbook(book)
    wb["units"]["B1"] = "name_ch"
    wb.save(book)
    res = CliRunner().invoke(cli, ["validate", str(book)])
    assert res.exit_code == 1
    assert "t.xlsx sheet units row 1: unknown column(s) name_ch" in res.output
