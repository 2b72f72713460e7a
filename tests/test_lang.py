"""The global --lang: before or after the command, for console tables, reports and the template; default the scenario's."""

from __future__ import annotations

import openpyxl
from click.testing import CliRunner

from allocator.cli import cli


def test_console_follows_the_scenario_and_lang_anywhere_on_the_line(examples, tmp_path):
    scenario = str(examples / "floors_and_gaps.yaml")  # an English scenario
    runner = CliRunner()
    english = runner.invoke(cli, ["plan", scenario, "--out", str(tmp_path / "a"), "--no-marginals"])
    assert english.exit_code == 0 and "status: optimal" in english.output
    before = runner.invoke(cli, ["--lang", "zh", "plan", scenario, "--out", str(tmp_path / "b"), "--no-marginals"])
    after = runner.invoke(cli, ["plan", scenario, "--out", str(tmp_path / "c"), "--no-marginals", "--lang", "zh"])
    for res in (before, after):
        assert res.exit_code == 0, res.output
        assert "状态：最优" in res.output and "第二阶段" in res.output and "status:" not in res.output
    # the report of the same run, in Chinese on request
    res = runner.invoke(cli, ["report", str(tmp_path / "a"), "--lang", "zh"])
    assert res.exit_code == 0, res.output
    page = (tmp_path / "a" / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page and "最优" in page


def test_template_readme_in_chinese_by_default_and_english_on_request(tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["template", "--out", str(tmp_path / "zh.xlsx")]).exit_code == 0
    assert runner.invoke(cli, ["--lang", "en", "template", "--out", str(tmp_path / "en.xlsx")]).exit_code == 0
    zh = openpyxl.load_workbook(tmp_path / "zh.xlsx")["README"]["A1"].value
    en = openpyxl.load_workbook(tmp_path / "en.xlsx")["README"]["A1"].value
    assert zh == "填写说明" and en == "How to fill in this workbook"
