"""Comparing runs: a run against itself shows no change, and swapping A and B flips every sign."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from allocator.cli import cli


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("runs")
    examples = __import__("conftest").EXAMPLES
    runner = CliRunner()
    more = ["--set", "budget.increment.2021=200", "--set", "budget.increment.2022=200"]
    for name, extra in (("a", []), ("b", ["--set", "policy.floors.D=0", "--set", "budget.increment.2022=0"]), ("rich", more)):
        res = runner.invoke(cli, ["-q", "plan", str(examples / "floors_and_gaps.yaml"), "--out", str(root / name), *extra])
        assert res.exit_code == 0, res.output
    return root


def _compare(root, a, b, out):
    res = CliRunner().invoke(cli, ["compare", str(root / a), str(root / b), "--out", str(root / out)])
    assert res.exit_code == 0, res.output
    return res.output, pd.read_csv(root / out / "compare.csv", encoding="utf-8-sig")


def test_self_compare_reports_no_change(runs):
    text, table = _compare(runs, "a", "a", "self")
    assert (table["delta"].abs() < 1e-9).all()
    assert not table["status_changed"].astype(bool).any()
    assert "indicators whose status changed: none" in text


def test_swapping_flips_every_sign(runs):
    _, ab = _compare(runs, "a", "b", "ab")
    _, ba = _compare(runs, "b", "a", "ba")
    merged = ab.merge(ba, on=["section", "key"], suffixes=("_ab", "_ba"))
    assert len(merged) == len(ab) == len(ba)
    assert merged["delta_ab"].to_numpy() == pytest.approx(-merged["delta_ba"].to_numpy(), abs=1e-9)
    assert (merged["status_changed_ab"] == merged["status_changed_ba"]).all()
    assert ab[ab["section"] == "objective"].set_index("key")["delta"]["stage2_progress"] != 0
    # the money B moved away from D is the money the D row shows
    unit = ab[ab["section"] == "unit"].set_index("key")
    assert unit.loc["D", "delta"] == pytest.approx(unit.loc["D", "b"] - unit.loc["D", "a"])


def test_a_target_met_only_with_more_money_changes_status(runs):
    # A plans 11.4 of 25 courses (not met); with 200 of increment a year A can buy them all: courses turns met,
    # the institute and the visits stay met. A run folder reads 'met' back as True/False, never as the text
    # 'False' (which bool() takes for True: every indicator then read as met).
    text, table = _compare(runs, "a", "rich", "status")
    rows = table[table["section"] == "indicator"].set_index("key")
    assert rows.loc["courses", ["met_a", "met_b", "status_changed"]].tolist() == [False, True, True]
    assert rows.loc["institute", ["met_a", "met_b", "status_changed"]].tolist() == [True, True, False]
    assert rows.loc["visits", ["met_a", "met_b", "status_changed"]].tolist() == [True, True, False]
    assert "indicators whose status changed: none" not in text


def test_compare_needs_plan_runs(runs, tmp_path):
    res = CliRunner().invoke(cli, ["compare", str(runs / "a"), str(tmp_path), "--out", str(tmp_path / "x")])
    assert res.exit_code == 1
    assert "not a run folder" in res.output
