"""Cost to clear: the least extra money is exact (met at that amount, not at 1% less), on hand-worked cases."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from allocator import InfeasibleError, load_scenario, plan
from allocator.clearing import cost_to_clear, cost_to_clear_curve, reachable_within
from allocator.cli import cli

LEAN = [
    "budget.stock.2021=0",
    "budget.stock.2022=0",
    "budget.increment.2021=30",
    "budget.increment.2022=30",
    "units.A.base={}",
    "units.D.base={}",
]


@pytest.fixture
def lean(examples):
    """floors_and_gaps with 30 a year and no stock: the 50-万元 institute (lag 1) is out of reach."""
    return load_scenario(examples / "floors_and_gaps.yaml", sets=LEAN)


def test_missing_indicator_costs_the_gap_in_the_year_it_must_be_bought(lean):
    res = cost_to_clear(lean, ["institute"])
    # the institute must be bought in 2021 (lag 1, clear by 2022): 50 - 30 available = 20 extra, all in 2021
    assert res.extra_total == pytest.approx(20.0)
    assert res.extra_by_year == pytest.approx({2021: 20.0, 2022: 0.0})
    assert res.base_values["institute"] == 0 and res.values["institute"] == pytest.approx(1.0)
    assert any(r.initiative == "joint_institute" and r.year == 2021 for r in res.allocation)


def test_cost_is_tight(lean):
    assert reachable_within(lean, ["institute"], 20.0)
    assert not reachable_within(lean, ["institute"], 0.99 * 20.0)


def test_clearing_by_an_earlier_year_is_impossible(lean):
    # lag 1: money in 2021 gives the institute in 2022 at the earliest
    with pytest.raises(InfeasibleError, match="cannot be reached by the year asked"):
        cost_to_clear(lean, ["institute"], by=2021)


def test_keep_others_prices_the_trade_off(examples):
    sc = load_scenario(examples / "two_programmes.yaml")
    # 30 students need 60; money can simply move from courses (not a missing indicator): no extra money
    assert cost_to_clear(sc, ["students"]).extra_total == pytest.approx(0.0, abs=1e-7)
    # keeping the 10 courses (50) as well: 110 needed, 100 available -> 10 extra
    res = cost_to_clear(sc, ["students"], keep_others=True)
    assert res.extra_total == pytest.approx(10.0, abs=1e-5)
    assert reachable_within(sc, ["students"], 10.0, keep_others=True)
    assert not reachable_within(sc, ["students"], 9.9, keep_others=True)


def test_curve(lean):
    pts = cost_to_clear_curve(lean)
    assert [p.k for p in pts] == [0, 1]
    assert pts[0].extra_total == pytest.approx(0.0) and pts[0].cleared == ()
    assert pts[1].extra_total == pytest.approx(20.0) and pts[1].cleared == ("institute",)


def test_curve_rows_list_what_each_plan_clears_from_k_0(examples):
    # floors_and_gaps as written (120 a year): the base plan buys the 50-万元 institute itself, so every point of
    # the curve clears it at no extra money, k = 0 included (the row once listed nothing at k = 0)
    pts = cost_to_clear_curve(load_scenario(examples / "floors_and_gaps.yaml"))
    assert [(p.k, p.extra_total, p.cleared) for p in pts] == [(0, pytest.approx(0.0, abs=1e-7), ("institute",))] + [
        (1, pytest.approx(0.0, abs=1e-7), ("institute",))
    ]


def test_bundled_curve_clears_the_base_plans_four_at_every_k(bundled):
    # the bundled base plan clears all 4 missing indicators at no extra money: every row, k = 0 to 4, says all 4
    # (rows 0-3 once said 0 or 3: the switches of indicators cleared anyway were free to stay off)
    sc = load_scenario(bundled)
    base = plan(sc)
    missing = sorted(k for k, ind in sc.indicators.items() if ind.is_missing)
    assert len(missing) == 4 and base.stage1_shortfall == pytest.approx(0.0, abs=1e-7)
    pts = cost_to_clear_curve(sc)
    assert [p.k for p in pts] == [0, 1, 2, 3, 4]
    for p in pts:
        assert p.extra_total == pytest.approx(0.0, abs=1e-6)
        assert p.cleared == tuple(missing), p


def test_bundled_cost_is_tight(bundled):
    # 1,800 degree international students by 2025 is the bundled plan's hardest target; keeping every other
    # indicator on its base trajectory, reaching it needs extra increment money
    sc = load_scenario(bundled)
    res = cost_to_clear(sc, ["degree_intl_students"], keep_others=True)
    assert res.extra_total > 100
    assert res.values["degree_intl_students"] >= 1800 - 1e-6 > res.base_values["degree_intl_students"]
    assert res.stage2_progress >= plan(sc).stage2_progress - 1e-6  # nothing else was given up
    amount = res.extra_total * (1 + 1e-6) + 1e-6
    assert reachable_within(sc, ["degree_intl_students"], amount, keep_others=True)
    assert not reachable_within(sc, ["degree_intl_students"], 0.99 * res.extra_total, keep_others=True)


def test_clear_cli(examples, tmp_path):
    args = ["whatif", "clear", str(examples / "floors_and_gaps.yaml"), *sum((["--set", s] for s in LEAN), [])]
    res = CliRunner().invoke(cli, [*args, "--all-missing", "--out", str(tmp_path / "c")])
    assert res.exit_code == 0, res.output
    assert "least extra increment money: 20.00" in res.output
    curve = pd.read_csv(tmp_path / "c" / "curve.csv", encoding="utf-8-sig")
    assert curve["extra_total"].tolist() == pytest.approx([0.0, 20.0])
    extra = pd.read_csv(tmp_path / "c" / "extra.csv", encoding="utf-8-sig")
    assert extra.set_index("year")["extra"].to_dict() == pytest.approx({2021: 20.0, 2022: 0.0})
    bad = CliRunner().invoke(cli, [*args, "--indicator", "nope", "--out", str(tmp_path / "d")])
    assert bad.exit_code == 1 and "unknown indicator" in bad.output
    late = CliRunner().invoke(cli, [*args, "--indicator", "institute", "--by", "2021", "--out", str(tmp_path / "e")])
    assert late.exit_code == 3 and "cannot be reached" in late.output


def test_cost_beyond_the_plans_own_budget_is_found():
    # 100 万元 buys the 20 set-up and 1.6 labs; 3 labs need 170: 70 extra (review B3: a big-M sized to the
    # base budget used to call this unreachable)
    from models import Scenario

    sc = Scenario.model_validate({
        "name": "bigm", "start_year": 2021, "end_year": 2021,
        "indicators": {"labs": {"name_zh": "实验室", "kind": "cumulative_new", "target": 3, "target_year": 2021, "dimension": "platforms"}},
        "units": {"A": {"name_zh": "甲", "type": "college"}},
        "initiatives": {"lab": {"name_zh": "联合实验室", "unit_cost": 50, "setup_cost": 20, "effects": {"labs": {"yield_per_unit": 1}}}},
        "budget": {"stock": {2021: 0}, "increment": {2021: 100}},
    })
    res = cost_to_clear(sc, ["labs"])
    assert res.extra_total == pytest.approx(70.0, abs=1e-6)
    assert not reachable_within(sc, ["labs"], 69.3)


def test_all_missing_out_of_reach_together_still_gives_the_curve(bundled, tmp_path):
    # by 2022 not every gap can be closed (lead times); the curve still shows what money can clear (review N3)
    res = CliRunner().invoke(cli, ["whatif", "clear", str(bundled), "--all-missing", "--by", "2022", "--out", str(tmp_path / "c")])
    assert res.exit_code == 3, res.output
    assert "cost-to-clear curve" in res.output
    curve = pd.read_csv(tmp_path / "c" / "curve.csv", encoding="utf-8-sig")
    reachable = curve[curve["status"] == "optimal"]
    assert len(reachable) >= 2 and reachable["extra_total"].is_monotonic_increasing
    assert CliRunner().invoke(cli, ["report", str(tmp_path / "c")]).exit_code == 0
