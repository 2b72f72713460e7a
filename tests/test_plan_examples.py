"""Hand-worked optima of the example scenarios (the arithmetic is in each YAML file's header comment)."""

from __future__ import annotations

import pytest

from allocator import load_scenario, plan


def _values(result, year=None):
    return {(r.indicator, r.year): r.value for r in result.indicators if year is None or r.year == year}


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_two_programmes_optimum(examples, solver):
    res = plan(load_scenario(examples / "two_programmes.yaml"), solver=solver)
    assert res.status.value == "optimal"
    assert res.stage1_shortfall == pytest.approx(0.0, abs=1e-9)
    assert res.stage2_progress == pytest.approx(0.5 + 0.5 * 25 / 30, abs=1e-7)
    spent = {r.initiative: 0.0 for r in res.allocation}
    for r in res.allocation:
        spent[r.initiative] += r.amount
    assert spent == pytest.approx({"english_courses": 50.0, "send_students": 50.0}, abs=1e-6)
    values = _values(res)
    assert values[("courses", 2021)] == pytest.approx(10)
    assert values[("students", 2021)] == pytest.approx(25)
    met = {r.indicator: r.met for r in res.indicators}
    assert met == {"courses": True, "students": False}


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_floors_and_gaps_optimum(examples, solver):
    res = plan(load_scenario(examples / "floors_and_gaps.yaml"), solver=solver)
    assert res.solver.integer
    assert res.stage1_shortfall == pytest.approx(0.0, abs=1e-7)
    assert res.stage2_progress == pytest.approx(0.728, abs=1e-6)
    values = _values(res)
    assert values[("courses", 2022)] == pytest.approx(11.4, abs=1e-6)
    assert values[("institute", 2022)] == pytest.approx(1.0)
    assert values[("visits", 2022)] == pytest.approx(10.0, abs=1e-6)
    # the institute is bought in 2021 (lag 1) at A for 50
    institute = [r for r in res.allocation if r.initiative == "joint_institute"]
    assert sum(r.amount for r in institute) == pytest.approx(50.0)
    assert {(r.unit, r.year) for r in institute} == {("A", 2021)}
    # D keeps exactly its floor (90% of 40) in 2021
    d2021 = sum(r.amount for r in res.allocation if r.unit == "D" and r.year == 2021)
    assert d2021 == pytest.approx(36.0, abs=1e-6)


def test_floors_and_gaps_without_floor(examples):
    sc = load_scenario(examples / "floors_and_gaps.yaml", sets=["policy.floors.D=0"])
    res = plan(sc)
    assert res.stage2_progress == pytest.approx(0.8, abs=1e-6)
    assert _values(res)[("courses", 2022)] == pytest.approx(15.0, abs=1e-6)


def test_missing_indicator_counts_in_stage1_when_unaffordable(examples):
    # With only 30 a year of increment and no stock, the 50-万元 institute cannot be bought: one gap stays open.
    sc = load_scenario(
        examples / "floors_and_gaps.yaml",
        sets=[
            "budget.stock.2021=0",
            "budget.stock.2022=0",
            "budget.increment.2021=30",
            "budget.increment.2022=30",
            "units.A.base={}",
            "units.D.base={}",
        ],
    )
    res = plan(sc)
    assert res.stage1_shortfall == pytest.approx(1.0)
    assert _values(res)[("institute", 2022)] == pytest.approx(0.0)


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_restricted_fund_binds(examples, solver):
    sc = load_scenario(examples / "restricted_fund.yaml")
    res = plan(sc, solver=solver)
    assert res.stage2_progress == pytest.approx((1 + 20 / 60) / 2 + 0.01 * (20 / 60) / 2, abs=1e-6)
    fund_rows = [r for r in res.allocation if r.source == "discipline_fund"]
    assert sum(r.amount for r in fund_rows) == pytest.approx(80.0)
    for r in res.allocation:  # every row honours the rules of its source
        if r.source == "discipline_fund":
            assert sc.units[r.unit].top_peak and r.initiative == "research_visits"
    free = load_scenario(
        examples / "restricted_fund.yaml", sets=["sources.discipline_fund.units=all", "sources.discipline_fund.initiatives=all"]
    )
    assert plan(free, solver=solver).stage2_progress == pytest.approx((1 + 40 / 60) / 2, abs=1e-6)


def test_unused_restricted_money_is_reported(examples):
    # cap the research visits at P to 50 a year: 30 of the fund cannot be used and budget.csv says so
    sc = load_scenario(examples / "restricted_fund.yaml", sets=["initiatives.research_visits.max_funding=50"])
    res = plan(sc)
    row = next(b for b in res.budget if b.source == "discipline_fund")
    assert row.available == pytest.approx(80.0)
    assert row.allocated == pytest.approx(50.0)
    assert row.unused == pytest.approx(30.0)


def test_set_up_costs_are_not_held_against_the_growth_cap():
    # A unit with a base of 10 may grow by 30% + 50 a year; opening a lab costs 100 once, then 5 per lab.
    # The set-up is a one-off investment, so the cap (63 in all) applies to the 5-per-lab money only.
    from models import Scenario

    sc = Scenario.model_validate(
        {
            "name": "setup",
            "start_year": 2021,
            "end_year": 2021,
            "indicators": {
                "labs": {"name_zh": "实验室", "kind": "cumulative_new", "target": 20, "target_year": 2021, "dimension": "platforms"}
            },
            "units": {"A": {"name_zh": "甲", "type": "college", "base": {"visits": 10}}},
            "initiatives": {
                "lab": {"name_zh": "联合实验室", "unit_cost": 5, "setup_cost": 100, "effects": {"labs": {"yield_per_unit": 1}}},
                "visits": {"name_zh": "出访", "unit_cost": 1, "effects": {"labs": {"yield_per_unit": 0.01}}},
            },
            "budget": {"stock": {2021: 10}, "increment": {2021: 500}},
            "policy": {"change_cap": {"up_share": 0.3, "up_abs": 50}},
        }
    )
    res = plan(sc)
    lab = sum(r.amount for r in res.allocation if r.initiative == "lab")
    # recurrent money may reach 1.3 * 10 + 50 = 63: all of it on labs (12.6 labs) plus the 100 set-up
    assert lab == pytest.approx(100 + 63, abs=1e-6)
    assert {r.indicator: r.value for r in res.indicators}["labs"] == pytest.approx(63 / 5, abs=1e-6)
