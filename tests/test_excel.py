"""Excel: the run export is injection-safe; the template is fillable and round-trips; convert keeps named scenarios."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from allocator import load_scenario
from allocator.cli import cli
from allocator.io.template_docs import COLUMNS_ZH, POLICY_ZH, SCENARIO_ZH, policy_zh
from allocator.loading import load
from allocator.tables import SCALAR_FIELDS, TABLE_BY_NAME, TABLES, flatten, scenario_rows
from models import Policy

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
    assert wb.sheetnames[0] == "Summary" and wb.sheetnames[-1] == "manifest"  # an English scenario exports in English
    alloc = wb["allocation"]
    assert alloc.freeze_panes == "B2" and alloc.auto_filter.ref
    header = [c.value for c in alloc[1]]
    amount = header.index("Amount (万元)") + 1
    assert alloc.cell(row=2, column=amount).number_format == "#,##0.00"
    texts = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in texts)
    assert any(str(c.value).startswith("'=HYPERLINK") for c in texts)
    assert not any(str(c.value).startswith(("=", "+")) for c in texts)
    # pandas reads it back as text, never as a formula result
    frame = pd.read_excel(tmp_path / "run.xlsx", sheet_name="allocation")
    assert (frame["Unit"] == "'" + HOSTILE).any()
    assert frame["Amount (万元)"].sum() == pytest.approx(240.0)
    # --lang zh turns the same run into a Chinese workbook
    res = runner.invoke(cli, ["export", str(tmp_path / "run"), "--xlsx", str(tmp_path / "zh.xlsx"), "--lang", "zh"])
    assert res.exit_code == 0, res.output
    assert openpyxl.load_workbook(tmp_path / "zh.xlsx").sheetnames[:2] == ["概要", "单位×年度"]
    # existing workbook is not clobbered, and the message names the flag
    res = runner.invoke(cli, ["export", str(tmp_path / "run"), "--xlsx", str(tmp_path / "run.xlsx")])
    assert res.exit_code == 1


def test_score_workbook_opens_on_the_ranking(examples, tmp_path):
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
            "--planned",
            str(folder / "planned.csv"),
            "--out",
            str(tmp_path / "s"),
        ],
    )
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(cli, ["export", str(tmp_path / "s"), "--xlsx", str(tmp_path / "s.xlsx"), "--lang", "zh"])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    assert wb.sheetnames[0] == "排名" and wb.sheetnames[-1] == "运行信息"
    ws = wb["排名"]
    header = [c.value for c in ws[2]]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3) if isinstance(r[3].value, int)]
    tracks = [r[header.index("类别")] for r in rows]
    assert tracks == sorted(tracks, key=lambda t: t != "学院")  # colleges first, then departments
    for track in set(tracks):  # best first within each track, ranks restarting at 1
        ranks = [r[header.index("名次")] for r in rows if r[header.index("类别")] == track]
        assert ranks == sorted(ranks) and ranks[0] == 1
    assert "得分（百分制）" in header and "评价等次" in header
    assert ws.cell(row=3, column=header.index("完成度") + 1).number_format == "0.0%"
    assert ws.cell(row=3, column=header.index("支出（万元）") + 1).number_format == "#,##0.00"
    assert ws.cell(row=3, column=header.index("单位") + 1).value == "甲学院"  # Chinese names
    assert not [c.value for r in ws.iter_rows() for c in r if c.value in ("'-", "-")]


# --- template -----------------------------------------------------------------------------------------


def fill_template(path, scenario) -> None:
    """Type a scenario into a template, sheet by sheet, as a user would: over the example rows."""
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
        ws.delete_rows(2, ws.max_row)
        for r in rows:
            ws.append([r.get(c, "") for c in header])
    wb.save(path)


def test_template_as_written_validates_and_plans(tmp_path):
    """One example row per sheet: together a small scenario that validates and plans."""
    book = tmp_path / "t.xlsx"
    runner = CliRunner()
    assert runner.invoke(cli, ["template", "--out", str(book)]).exit_code == 0
    wb = openpyxl.load_workbook(book)
    for spec in TABLES:
        body = [r for r in wb[spec.name].iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]
        assert 1 <= len(body) <= 2, spec.name  # segments shows its two pieces
    sc = load_scenario(book)
    assert list(sc.indicators) == ["students_abroad"] and sc.initiatives["exchange_grants"].economic_class == "助学金"
    res = runner.invoke(cli, ["plan", str(book), "--out", str(tmp_path / "run")])
    assert res.exit_code == 0, res.output


def test_template_marks_headers_explains_them_in_chinese_and_offers_drop_downs(tmp_path):
    book = tmp_path / "t.xlsx"
    assert CliRunner().invoke(cli, ["template", "--out", str(book)]).exit_code == 0
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[0] == "README"
    readme = " ".join(str(c.value) for r in wb["README"].iter_rows() for c in r if c.value)
    assert "必填" in readme and "下拉" in readme and "Scenario" not in readme  # Chinese, and no code classes
    units = wb["initiatives"]
    fills = {c.value: c.fill.fgColor.rgb for c in units[1]}
    assert fills["key"] == fills["unit_cost"] != fills["note"]  # required vs optional
    assert all(c.comment is not None and ("必填" in c.comment.text or "可选" in c.comment.text) for c in units[1])
    lists = {str(dv.sqref).split(":")[0][:-1] + ":" + dv.formula1 for dv in wb["base_allocations"].data_validations.dataValidation}
    assert {"A:=units!$A$2:$A$2000", "B:=initiatives!$A$2:$A$2000"} <= lists
    assert any("助学金" in dv.formula1 for dv in units.data_validations.dataValidation)
    keys = [r[0] for r in wb["policy"].iter_rows(min_row=2, values_only=True)]
    assert set(flatten(Policy().model_dump(mode="json"))) <= set(keys)  # blank defaults included
    assert {"change_cap.up_share", "missing_reserve_until", "scoring.award_cap"} <= set(keys)


def test_every_column_and_key_has_a_chinese_explanation():
    missing = [f"{spec.name}.{c}" for spec in TABLES for c in spec.columns if not COLUMNS_ZH.get(spec.name, {}).get(c)]
    missing += [k for k in SCALAR_FIELDS if k not in SCENARIO_ZH]
    missing += [k for k in flatten(Policy().model_dump(mode="json")) if not policy_zh(k)]
    from allocator.io.score_template import SHEETS
    from allocator.io.template_docs import SCORE_COLUMNS_ZH, SCORE_SHEETS_ZH

    score_columns = [(name, c) for name, (model, _, _) in SHEETS.items() for c in model.model_fields]
    missing += [f"score {name}.{c}" for name, c in score_columns if not SCORE_COLUMNS_ZH[name].get(c)]
    missing += [f"score {name}" for name in SHEETS if not SCORE_SHEETS_ZH.get(name)]
    assert not missing, f"add Chinese text to allocator/io/template_docs.py for: {', '.join(missing)}"
    assert POLICY_ZH


def test_template_round_trip(examples, tmp_path):
    runner = CliRunner()
    book = tmp_path / "mine.xlsx"
    assert runner.invoke(cli, ["template", "--out", str(book)]).exit_code == 0
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


def test_converted_bundled_scenario_keeps_its_named_scenarios(bundled, tmp_path):
    book = tmp_path / "zjut.xlsx"
    res = CliRunner().invoke(cli, ["convert", str(bundled), "--to", str(book)])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(book)
    assert {"README", "scenarios"} <= set(wb.sheetnames)
    assert wb["base_allocations"].data_validations.dataValidation  # the template's drop-downs
    assert wb["initiatives"].column_dimensions["B"].width > 12
    assert load(book).scenario == load(bundled).scenario
    for name in ("increment_minus_20", "joint_institute_2023", "discipline_fund_unrestricted", "no_missing_reserve"):
        assert load(book, scenario_names=[name]).scenario == load(bundled, scenario_names=[name]).scenario, name
    # and back to a folder, still with them
    res = CliRunner().invoke(cli, ["convert", str(book), "--to", str(tmp_path / "folder")])
    assert res.exit_code == 0, res.output
    assert (
        load(tmp_path / "folder", scenario_names=["joint_institute_2023"]).scenario
        == load(bundled, scenario_names=["joint_institute_2023"]).scenario
    )
