"""Why an indicator cannot be reached: the binding rule and the smallest change, worked out by hand on tiny cases."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from allocator.cli import cli
from allocator.reach import money_rules, named_touching, structural
from tests.scenario_factory import tiny


def test_capacity_names_the_limit_and_the_capacity_that_would_do():
    # 'send' yields 1 student per unit of activity, at most 5 per unit and year; two units: 10 students by 2021.
    # 30 are asked: 20 short, over 2 units and 1 year = 10 more each: capacity 15.
    sc = tiny(initiatives__send={"name_zh": "派出", "unit_cost": 2, "capacity": 5, "effects": {"students": {"yield_per_unit": 1}}})
    obstacle = structural(sc, "students", 2021, 30.0)
    assert obstacle.rule == "capacity"
    assert "at most 10 by 2021 (needs 30)" in obstacle.en
    assert obstacle.tries == ("--set initiatives.send.capacity=15",)


def test_total_capacity_is_preferred_when_set():
    # total 12 a year over all units: 12 by 2021; 30 asked: 18 more: total_capacity 30
    send = {"name_zh": "派出", "unit_cost": 2, "capacity": 50, "total_capacity": 12, "effects": {"students": {"yield_per_unit": 1}}}
    obstacle = structural(tiny(initiatives__send=send), "students", 2021, 30.0)
    assert obstacle.rule == "capacity" and obstacle.tries == ("--set initiatives.send.total_capacity=30",)


def test_diminishing_returns_count_in_the_bound():
    # capacity 10 per unit, but only the first 4 at full yield and the rest at half: 4 + 3 = 7 per unit, 14 in all
    send = {
        "name_zh": "派出",
        "unit_cost": 2,
        "capacity": 10,
        "segments": [{"width": 4, "efficiency": 1.0}, {"efficiency": 0.5}],
        "effects": {"students": {"yield_per_unit": 1}},
    }
    obstacle = structural(tiny(initiatives__send=send), "students", 2021, 30.0)
    assert "at most 14 by 2021" in obstacle.en


def test_lead_time_names_the_earliest_year_and_the_lag_that_would_do():
    send = {"name_zh": "派出", "unit_cost": 2, "lag": 1, "effects": {"students": {"yield_per_unit": 1}}}
    obstacle = structural(
        tiny(initiatives__send=send),
        "students",
        2021,
        30.0,
        named={"fast": ["initiatives.send.lag=0"], "other": ["budget.increment.2021=5"]},
    )
    assert obstacle.rule == "lead_time"
    assert "needs 1 years' lead time (initiatives.send.lag=1)" in obstacle.en
    # a one-year plan: 2022 is beyond it, so no --by; the lag that would do is 0, and the named scenario that sets it
    assert obstacle.tries == ("--set initiatives.send.lag=0", "--scenario fast")


def test_nobody_may_run_it():
    send = {"name_zh": "派出", "unit_cost": 2, "units": "departments", "effects": {"students": {"yield_per_unit": 1}}}
    obstacle = structural(tiny(initiatives__send=send), "students", 2021, 30.0)
    assert obstacle.rule == "eligibility" and "initiatives.send.units=departments" in obstacle.en


def test_no_structural_rule_when_money_is_all_that_is_missing():
    assert structural(tiny(), "students", 2021, 30.0) is None


def test_a_change_cap_is_named_with_the_smallest_cap_on_the_grid_that_works():
    sc = tiny(policy={"change_cap": {"up_share": 0.3}})
    asked = []

    def reachable(scenario, keep_others, pool):
        asked.append((scenario.policy.change_cap.up_share, keep_others, pool))
        return (scenario.policy.change_cap.up_share or 0) >= 0.75

    obstacle = money_rules(sc, reachable, "students", keep_others=True, pool="increment", named={"loose": ["policy.change_cap.up_share=1"]})
    assert obstacle.rule == "change_cap"
    assert obstacle.tries == ("--set policy.change_cap.up_share=0.75", "--scenario loose")
    assert asked == [(0.3, False, "increment"), (0.4, True, "increment"), (0.5, True, "increment"), (0.75, True, "increment")]


def test_named_scenarios_are_matched_through_named_overrides_too():
    named = {"a": ["faster"], "b": [{"initiatives.x.lag": 1}], "c": ["budget.stock.2021=1"]}
    assert named_touching(named, {"faster": {"initiatives.x.lag": 0}}, ("initiatives.x.lag",)) == ["a", "b"]


def test_the_bundled_joint_institute_by_2023_says_why(bundled, tmp_path):
    args = ["whatif", "clear", str(bundled), "--indicator", "joint_institute", "--by", "2023", "--json"]
    res = CliRunner().invoke(cli, [*args, "--lang", "en"])
    assert res.exit_code == 3
    message = json.loads(res.output)["message"]
    assert "joint_institute needs 3 years' lead time (initiatives.joint_institute.lag=3)" in message
    assert "lands in 2024 at the earliest" in message
    assert "try --by 2024 or --set initiatives.joint_institute.lag=2 or --scenario joint_institute_2023" in message
    # in Chinese (--lang zh, or by default: the bundled scenario's language) the indicator by its name, the rule
    # and the changes in Chinese; the options to type stay as typed. It showed joint_institute and the English text.
    for lang in (["--lang", "zh"], []):
        res = CliRunner().invoke(cli, [*args, *lang])
        assert res.exit_code == 3
        message = json.loads(res.output)["message"]
        assert message.startswith("“建成非独立法人的中外合作办学机构”在所问年份之前无论追加多少增量资金都无法达到")
        assert "“建成非独立法人的中外合作办学机构”需要3年建设周期（initiatives.joint_institute.lag=3）" in message
        assert "可试 --by 2024 或 --set initiatives.joint_institute.lag=2 或 --scenario joint_institute_2023" in message
        assert "needs" not in message and "joint_institute needs" not in message


def test_obstacles_name_indicators_and_changes_in_chinese():
    send = {"name_zh": "派出", "unit_cost": 2, "effects": {"courses": {"yield_per_unit": 1}}}
    obstacle = structural(
        tiny(initiatives__send=send, initiatives__course__effects={"courses": {"yield_per_unit": 1}}), "students", 2021, 30.0
    )
    assert obstacle.rule == "no_initiative"
    assert obstacle.words("zh") == "没有举措推动指标“学生”；可试 增加一项对它有效果的举措"
    assert obstacle.words("en") == "no initiative moves students; try an initiative with an effect on it"
    keep = money_rules(tiny(), lambda sc, keep_others, pool: not keep_others, "students, courses", keep_others=True, pool="increment")
    assert keep.words("zh") == "“学生、课程”只有允许其他指标低于原方案（--keep-others）时才能达到；可试 去掉 --keep-others"


@pytest.mark.slow
def test_all_missing_by_2023_keeps_the_curve_and_names_both_gaps(bundled, tmp_path):
    res = CliRunner().invoke(cli, ["whatif", "clear", str(bundled), "--all-missing", "--by", "2023", "--out", str(tmp_path / "c")])
    assert res.exit_code == 3
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text(encoding="utf-8"))
    assert [(r["indicator"], r["rule"]) for r in manifest["reasons"]] == [("intl_journal", "lead_time"), ("joint_institute", "lead_time")]
    assert "需要3年建设周期" in manifest["reasons"][1]["zh"]


def test_clear_names_the_indicator_in_the_consoles_language(examples, tmp_path):
    # the per-indicator line showed the key (institute) in Chinese and English alike
    args = ["whatif", "clear", str(examples / "floors_and_gaps.yaml"), "--indicator", "institute"]
    zh = CliRunner().invoke(cli, ["--lang", "zh", *args, "--out", str(tmp_path / "zh")])
    en = CliRunner().invoke(cli, ["--lang", "en", *args, "--out", str(tmp_path / "en")])
    assert zh.exit_code == 0 and en.exit_code == 0, zh.output + en.output
    assert "  中外合作办学机构：2022年达到1" in zh.output and "institute" not in zh.output
    assert "  Joint institute: reach 1 by 2022" in en.output
