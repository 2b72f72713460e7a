"""Lines, commitments, locks, execution-based reclaim, pools, the earmark and the pipeline: each rule on a tiny
scenario whose optimum is worked out by hand in the test (money in 万元, every unit of progress spelled out)."""

from __future__ import annotations

from typing import Any

import pytest

from allocator import plan
from allocator.errors import InfeasibleError
from models import Scenario


def scenario(years: int = 2, **parts: Any) -> Scenario:
    """Unit A (grade B, floor 0.98 unless changed) and the parts given; one indicator x that nothing in the
    default set moves, so each test adds exactly the initiatives and effects it reasons about."""
    yrs = list(range(2021, 2021 + years))
    data: dict[str, Any] = {
        "name": "lines",
        "start_year": yrs[0],
        "end_year": yrs[-1],
        "indicators": {
            "x": {"name_zh": "x", "kind": "cumulative_new", "target": 1000, "target_year": yrs[-1], "dimension": "research"},
        },
        "units": {"A": {"name_zh": "甲", "type": "college"}},
        "initiatives": {},
        "budget": {"stock": {y: 0 for y in yrs}, "increment": {y: 0 for y in yrs}},
    }
    for key, value in parts.items():
        node = data
        path = key.split("__")
        for p in path[:-1]:
            node = node.setdefault(p, {})
        node[path[-1]] = value
    return Scenario.model_validate(data)


def money(result, unit: str, initiative: str) -> dict[int, float]:
    """A line's money by year (all pools and sources)."""
    out: dict[int, float] = {}
    for r in result.allocation:
        if (r.unit, r.initiative) == (unit, initiative):
            out[r.year] = out.get(r.year, 0.0) + r.amount
    return out


OLD_AND_NEW = {
    "units__A__base": {"old": 10},
    "initiatives__old": {"name_zh": "旧", "unit_cost": 1},
    "initiatives__new": {"name_zh": "新", "unit_cost": 1, "effects": {"x": {"yield_per_unit": 1}}},
    "budget__stock": {2021: 10, 2022: 10},
}
"""A base line that buys nothing the plan values, and a new line that does: without line rules all money moves."""


def test_without_line_rules_the_old_line_is_dropped_at_once():
    res = plan(scenario(**OLD_AND_NEW))
    assert money(res, "A", "old") == {}
    assert money(res, "A", "new") == pytest.approx({2021: 10, 2022: 10})


def test_fall_limit_phases_a_line_out_gradually():
    # down 30%: old keeps 0.7 * 10 = 7 in 2021 and 0.7 * 7 = 4.9 in 2022; new gets the rest (3, then 5.1)
    res = plan(scenario(**OLD_AND_NEW, policy={"lines": {"down_share": 0.3}}))
    assert money(res, "A", "old") == pytest.approx({2021: 7.0, 2022: 4.9})
    assert money(res, "A", "new") == pytest.approx({2021: 3.0, 2022: 5.1})
    assert res.stage2_progress == pytest.approx(8.1 / 1000, abs=1e-9)
    # reclaim.csv: 3 taken off in 2021, 2.1 in 2022, each within the fall limit
    cuts = [(r.year, r.reclaimed, r.rule) for r in res.reclaim]
    assert cuts == [(2021, pytest.approx(3.0), "gradual"), (2022, pytest.approx(2.1), "gradual")]


def test_low_execution_lets_the_idle_money_go_at_once():
    # 2020: planned 10, spent 4 (40% < 80%): the idle 6 goes at once and the fall limit applies to the 4 spent:
    # old >= 0.7 * 4 = 2.8 in 2021, >= 0.7 * 2.8 = 1.96 in 2022; the unit's floor (0.98 of 10 - 6 = 3.92) holds
    execution = [{"unit": "A", "initiative": "old", "year": 2020, "planned": 10, "actual": 4}]
    sc = scenario(**OLD_AND_NEW, policy={"lines": {"down_share": 0.3, "reclaim_below": 0.8}}, execution=execution)
    res = plan(sc)
    assert money(res, "A", "old") == pytest.approx({2021: 2.8, 2022: 1.96})
    first = res.reclaim[0]
    assert (first.year, first.rule, first.execution_rate, first.reclaimed) == (2021, "execution", pytest.approx(0.4), pytest.approx(7.2))
    assert "40%" in first.reason and "80%" in first.reason
    # the words give the cut reclaim.csv publishes (7.2) and split it: idle 6 at once + 1.2 = 0.3 * 4 by the fall limit
    assert first.reason == "上年预算执行率40%低于80%: 本年调减7.2万元（闲置资金6万元当年收回，另按年降幅调减1.2万元）"


def test_a_cut_smaller_than_the_idle_money_says_how_much_the_plan_keeps():
    # the same idle 6, but a must-fund floor of 5 keeps old at 5 (above 0.7 * 4 = 2.8): the cut is 10 - 5 = 5,
    # less than the idle 6, and the words must not claim 6 was reclaimed
    execution = [{"unit": "A", "initiative": "old", "year": 2020, "planned": 10, "actual": 4}]
    lines = [{"unit": "A", "initiative": "old", "must_fund": 5}]
    sc = scenario(**OLD_AND_NEW, policy={"lines": {"down_share": 0.3, "reclaim_below": 0.8}}, execution=execution, lines=lines)
    res = plan(sc)
    assert money(res, "A", "old") == pytest.approx({2021: 5.0, 2022: 5.0})
    (first,) = res.reclaim
    assert (first.year, first.rule, first.reclaimed) == (2021, "execution", pytest.approx(5.0))
    assert first.reason == "上年预算执行率40%低于80%: 本年调减5万元（闲置资金6万元可当年收回，方案保留其中1万元）"


def test_must_fund_floor_keeps_a_named_programme():
    # the policy names 'old': it keeps 80% of its base (8) every year although it buys nothing the plan values
    sc = scenario(**OLD_AND_NEW, policy={"lines": {"must_fund": "old", "must_fund_share": 0.8}})
    res = plan(sc)
    assert money(res, "A", "old") == pytest.approx({2021: 8.0, 2022: 8.0})
    assert money(res, "A", "new") == pytest.approx({2021: 2.0, 2022: 2.0})


def test_phase_out_follows_its_schedule_and_ends_for_good():
    # three years, schedule 0.6; 0.3: old keeps at least 6, then 3, then nothing (it may not grow meanwhile)
    parts = {**OLD_AND_NEW, "budget__stock": {2021: 10, 2022: 10, 2023: 10}, "budget__increment": {2021: 0, 2022: 0, 2023: 0}}
    lines = [{"unit": "A", "initiative": "old", "phase_out": True, "schedule": "0.6; 0.3", "reason": "合并到新举措"}]
    policy = {"lines": {"down_share": 0.1, "must_fund": "old", "must_fund_share": 1.0}}  # neither applies to a phase-out
    res = plan(scenario(years=3, **parts, lines=lines, policy=policy))
    assert money(res, "A", "old") == pytest.approx({2021: 6.0, 2022: 3.0})
    assert money(res, "A", "new") == pytest.approx({2021: 4.0, 2022: 7.0, 2023: 10.0})
    assert [r.rule for r in res.reclaim] == ["phase_out"] * 3 and "合并到新举措" in res.reclaim[0].reason


def test_a_new_line_starts_within_its_allowance_then_grows_within_its_cap():
    # y counts the new line's output in 2022 only. Rise cap 50% (no slack) and a start allowance of 4 in all:
    # L22 <= 1.5 L21 + g22 with L21 <= g21 and g21 + g22 <= 4, so the best is the whole start in 2021 (4) and
    # 1.5 * 4 = 6 in 2022; y = 6 of 10 -> progress 0.6
    parts = {
        "indicators__x": {"name_zh": "y", "kind": "annual_rate", "target": 10, "target_year": 2022, "dimension": "research"},
        "initiatives__new": {"name_zh": "新", "unit_cost": 1, "effects": {"x": {"yield_per_unit": 1}}},
        "budget__increment": {2021: 50, 2022: 50},
    }
    policy = {"lines": {"up_share": 0.5, "start_abs": 4}}
    res = plan(scenario(**parts, policy=policy))
    assert money(res, "A", "new") == pytest.approx({2021: 4.0, 2022: 6.0})
    assert res.stage2_progress == pytest.approx(0.6, abs=1e-9)
    # locked at 0.5 in 2021 (0.5 of the allowance used), it may reach 1.5 * 0.5 + the other 3.5 = 4.25 in 2022
    locked = plan(scenario(**parts, policy=policy, locks=[{"unit": "A", "initiative": "new", "year": 2021, "amount": 0.5}]))
    assert money(locked, "A", "new") == pytest.approx({2021: 0.5, 2022: 4.25})


def test_lock_holds_exactly_and_the_rest_re_solves():
    # lock new at 2 in 2021: the unit's floor (0.98 of 10 = 9.8) puts 7.8 on old, which buys nothing, and 0.2 of the
    # year stays unused; 2022 is as before (all 10 on new): x = 2 + 10 = 12
    lock = [{"unit": "A", "initiative": "new", "year": 2021, "amount": 2}]
    res = plan(scenario(**OLD_AND_NEW, locks=lock))
    assert money(res, "A", "new") == pytest.approx({2021: 2.0, 2022: 10.0})
    assert money(res, "A", "old") == pytest.approx({2021: 7.8})
    assert res.stage2_progress == pytest.approx(12 / 1000, abs=1e-9)


def test_a_lock_the_budget_cannot_pay_is_explained():
    lock = [{"unit": "A", "initiative": "new", "year": 2021, "amount": 25}]
    with pytest.raises(InfeasibleError) as err:
        plan(scenario(**OLD_AND_NEW, locks=lock))
    text = "\n".join(err.value.explanation)
    assert "lock A.new 2021 cannot hold" in text and "15" in text


def test_cohorts_are_paid_every_year_they_are_enrolled_and_commitments_first():
    # a scholarship of 12 paid over 3 years (4 a year); the cohorts admitted before the plan still cost 8 in 2021
    # and 4 in 2022 (commitments). With 20 a year: 2021: 8 + 4 q1 <= 20 -> q1 <= 3; 2022: 4 + 4 (q1 + q2) <= 20
    # -> q1 + q2 <= 4; 2023: 4 (q1 + q2 + q3) <= 20 -> at most 5 new students in all: x = 5 of 1000. Milestones
    # (3 by 2021, 4 by 2022) make admitting early worth it: q = 3, 1, 1 and every year's 20 is spent.
    parts = {
        "indicators__x__milestones": {2021: 3, 2022: 4},
        "initiatives__phd": {"name_zh": "奖学金", "unit_cost": 12, "pay_years": 3, "effects": {"x": {"yield_per_unit": 1}}},
        "budget__increment": {2021: 20, 2022: 20, 2023: 20},
        "budget__stock": {2021: 0, 2022: 0, 2023: 0},
    }
    commitments = [
        {"unit": "A", "initiative": "phd", "year": 2021, "amount": 8, "reason": "2019-2020级在读"},
        {"unit": "A", "initiative": "phd", "year": 2022, "amount": 4, "reason": "2020级在读"},
    ]
    res = plan(scenario(years=3, **parts, commitments=commitments))
    assert money(res, "A", "phd") == pytest.approx({2021: 20.0, 2022: 20.0, 2023: 20.0})
    values = {r.year: r.value for r in res.indicators if r.indicator == "x"}
    assert [values[y] for y in (2021, 2022, 2023)] == pytest.approx([3.0, 4.0, 5.0])


def test_commitments_the_budget_cannot_pay_are_explained():
    commitments = [{"unit": "A", "initiative": "phd", "year": 2021, "amount": 8, "reason": "2020级在读"}]
    parts = {
        "initiatives__phd": {"name_zh": "奖学金", "unit_cost": 12, "pay_years": 3, "effects": {"x": {"yield_per_unit": 1}}},
        "budget__increment": {2021: 5, 2022: 5},
    }
    with pytest.raises(InfeasibleError) as err:
        plan(scenario(**parts, commitments=commitments))
    assert any("commitment A.phd 2021 cannot be paid: short by 3" in line for line in err.value.explanation)


def test_pools_follow_the_rule_not_the_solver():
    # A's floor is 0.5: 'old' (worth nothing) falls to 5, B's line grows to 25. The stock (20) pays the continuing
    # parts first (A's 5, B's 10), then the 5 reclaimed from A and the increment (10) pay B's growth of 15.
    parts = {
        "units__A__base": {"old": 10},
        "units__B": {"name_zh": "乙", "type": "college", "base": {"new": 10}},
        "initiatives__old": {"name_zh": "旧", "unit_cost": 1, "units": "A"},
        "initiatives__new": {"name_zh": "新", "unit_cost": 1, "units": "B", "effects": {"x": {"yield_per_unit": 1}}},
        "budget__stock": {2021: 20},
        "budget__increment": {2021: 10},
        "policy": {"floors": {"A": 1.0, "B": 0.5, "C": 0.5, "D": 0.5}},
    }
    res = plan(scenario(years=1, **parts))
    split = {(r.unit, r.initiative, r.pool): r.amount for r in res.allocation}
    assert split == pytest.approx({("A", "old", "stock"): 5.0, ("B", "new", "stock"): 15.0, ("B", "new", "increment"): 10.0})
    assert {r.pool: r.allocated for r in res.budget} == pytest.approx({"stock": 20.0, "increment": 10.0})


def test_the_earmark_ends_when_the_gap_is_secured_and_never_idles_money():
    # m is missing (clear 1 by 2022; weight 0, so only stage 1 and the earmark care about it); prep moves it 0.1 a
    # unit. The earmark is 20% of the increment (100): prep gets 20 in 2021, which buys m = 2 >= 1, so m is
    # secured and the earmark ends in 2022: x gets 80, then 100; nothing idles.
    parts = {
        "indicators__m": {
            "name_zh": "m",
            "kind": "cumulative_new",
            "missing": True,
            "target": 5,
            "target_year": 2022,
            "clear_by": 2022,
            "weight": 0,
            "dimension": "platforms",
        },
        "initiatives__prep": {"name_zh": "筹建", "unit_cost": 1, "effects": {"m": {"yield_per_unit": 0.1}}},
        "initiatives__new": {"name_zh": "新", "unit_cost": 1, "effects": {"x": {"yield_per_unit": 1}}},
        "budget__increment": {2021: 100, 2022: 100},
        "policy": {"missing_reserve_share": 0.2},
    }
    res = plan(scenario(**parts))
    assert money(res, "A", "prep") == pytest.approx({2021: 20.0})
    assert money(res, "A", "new") == pytest.approx({2021: 80.0, 2022: 100.0})
    assert all(r.unused == pytest.approx(0.0) for r in res.budget)
    assert res.stage1_shortfall == pytest.approx(0.0)


def test_the_last_year_still_feeds_the_pipeline():
    # 'lag' (output a year later) is worth more than 'now', so 2021-2022 go to it; in 2023 its output would land
    # after the plan, so without a rule all 10 go to 'now'. pipeline_share 0.5: lag keeps 0.5 * 10 = 5 in 2023.
    parts = {
        "initiatives__lag": {"name_zh": "滞后", "unit_cost": 1, "lag": 1, "effects": {"x": {"yield_per_unit": 2}}},
        "initiatives__now": {"name_zh": "当年", "unit_cost": 1, "effects": {"x": {"yield_per_unit": 1}}},
        "budget__increment": {2021: 10, 2022: 10, 2023: 10},
        "budget__stock": {2021: 0, 2022: 0, 2023: 0},
    }
    free = plan(scenario(years=3, **parts))
    assert money(free, "A", "lag") == pytest.approx({2021: 10.0, 2022: 10.0})
    held = plan(scenario(years=3, **parts, policy={"pipeline_share": 0.5}))
    assert money(held, "A", "lag") == pytest.approx({2021: 10.0, 2022: 10.0, 2023: 5.0})
    assert money(held, "A", "now") == pytest.approx({2023: 5.0})


def test_a_goal_cannot_count_one_of_the_schools_pools():
    # the pool rule splits the school's money after the solve, so "the school's increment to x" is not a model quantity
    from allocator.checks import find_problems

    goal = {"name_zh": "增量", "priority": 3, "target": 5, "terms": [{"kind": "money", "pools": "increment"}]}
    problems = find_problems(scenario(**OLD_AND_NEW, goals={"inc": goal}))
    assert [(p.loc[-1], "pool rule" in p.message) for p in problems] == [("pools", True)]
    restricted = {**goal, "terms": [{"kind": "money", "pools": "increment", "sources": "school"}]}
    assert find_problems(scenario(**OLD_AND_NEW, goals={"inc": restricted}))
    both = {**goal, "terms": [{"kind": "money", "sources": "school"}]}
    assert find_problems(scenario(**OLD_AND_NEW, goals={"inc": both})) == []
