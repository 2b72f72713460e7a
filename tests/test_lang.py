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


def test_table_commands_follow_lang(examples, tmp_path):
    # split, goals and tasks printed English whatever --lang said; now they follow it as dea and plan do
    runner = CliRunner()
    split = ["split", str(examples / "split.csv"), "--id", "unit", "--amount", "300", "--weight", "score"]
    split += ["--prior", "last_year", "--stop-loss", "0.1"]
    zh = runner.invoke(cli, ["--lang", "zh", *split, "--out", str(tmp_path / "zh.csv")])
    en = runner.invoke(cli, [*split, "--lang", "en", "--out", str(tmp_path / "en.csv")])
    assert zh.exit_code == 0 and en.exit_code == 0, zh.output + en.output
    assert "按因素法分配 300.00" in zh.output and "止损 0.1" in zh.output and "已写入" in zh.output
    assert "factor split" not in zh.output and "wrote" not in zh.output
    assert "factor split of 300.00 over" in en.output and "stop-loss 0.1: no row below 0.9 x its prior" in en.output
    assert (tmp_path / "zh.csv").read_bytes() == (tmp_path / "en.csv").read_bytes()  # the file is the same in both

    tables = examples / "goal_tables"
    goals = ["goals", str(tables / "production_goals.csv"), "--terms", str(tables / "production_terms.csv")]
    zh = runner.invoke(cli, ["--lang", "zh", *goals])
    en = runner.invoke(cli, [*goals, "--lang", "en"])
    assert zh.exit_code == 0 and en.exit_code == 0, zh.output + en.output
    assert "目标规划（按优先级逐级求解）：最优，2 个变量，4 个目标，3 个优先级" in zh.output
    assert "优先级" in zh.output and "不足权重" in zh.output and "固定" in zh.output
    assert "goal program" not in zh.output and "under_weight" not in zh.output
    assert "goal program (lexicographic): optimal, 2 variables, 4 goals, 3 levels" in en.output and "under_weight" in en.output

    scenario = examples / "floors_and_gaps.yaml"  # an English scenario: English by default, Chinese on request
    assert runner.invoke(cli, ["plan", str(scenario), "--out", str(tmp_path / "run"), "--no-marginals"]).exit_code == 0
    en = runner.invoke(cli, ["tasks", str(tmp_path / "run"), "--out", str(tmp_path / "t_en.csv")])
    zh = runner.invoke(cli, ["--lang", "zh", "tasks", str(tmp_path / "run"), "--out", str(tmp_path / "t_zh.csv")])
    assert zh.exit_code == 0 and en.exit_code == 0, zh.output + en.output
    assert "School targets by year" in en.output and "money (万元)" in en.output and "in total; wrote" in en.output
    assert "全校各年目标" in zh.output and "资金（万元）" in zh.output and "资金合计" in zh.output and "已写入" in zh.output
    assert "School targets" not in zh.output and "money" not in zh.output
