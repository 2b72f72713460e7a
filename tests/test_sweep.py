"""Budget frontiers: warm sweeps equal cold ones, and more money never makes the plan worse."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from click.testing import CliRunner
from scenario_factory import multi_year

from allocator import load_scenario
from allocator.cli import cli
from allocator.sweep import parse_range, scale_budget, sweep_budget

TOL = 1e-5


def assert_lexicographically_monotone(points):
    ordered = sorted(points, key=lambda p: p.level)
    for lo, hi in zip(ordered, ordered[1:]):
        assert hi.stage1_shortfall <= lo.stage1_shortfall + TOL, (lo.level, hi.level)
        if abs(hi.stage1_shortfall - lo.stage1_shortfall) <= TOL:
            assert hi.stage2_progress >= lo.stage2_progress - TOL, (lo.level, hi.level)


@pytest.mark.parametrize("scope", ["increment", "stock", "total"])
def test_warm_sweep_equals_cold(scope):
    sc = multi_year(seed=3, increment=80)
    levels = [0.9, 1.0, 1.2, 1.6, 2.5] if scope != "increment" else [0, 0.3, 0.8, 1.0, 2.0]
    warm = sweep_budget(sc, levels, scope, warm=True)
    cold = sweep_budget(sc, levels, scope, warm=False)
    for a, b in zip(warm, cold):
        assert a.status == b.status
        if a.status == "optimal":
            assert a.stage1_shortfall == pytest.approx(b.stage1_shortfall, abs=TOL)
            assert a.stage2_progress == pytest.approx(b.stage2_progress, abs=TOL)
            assert a.met == b.met


@pytest.mark.parametrize("seed", [0, 11, 23])
def test_frontier_is_lexicographically_monotone(seed):
    sc = multi_year(seed=seed, increment=40)
    pts = sweep_budget(sc, [0, 0.25, 0.5, 1, 2, 4, 8], "increment")
    assert all(p.status == "optimal" for p in pts)
    assert_lexicographically_monotone(pts)


@pytest.mark.slow
def test_bundled_frontier_monotone_across_ten_levels(bundled):
    sc = load_scenario(bundled)
    pts = sweep_budget(sc, [0.5 + 0.1 * k for k in range(10)], "increment")
    assert all(p.status in ("optimal", "time_limit_feasible") for p in pts)
    assert_lexicographically_monotone(pts)


def test_infeasible_level_is_recorded_not_raised(examples):
    sc = load_scenario(examples / "floors_and_gaps.yaml")
    pts = sweep_budget(sc, [0.5, 1.0], "stock")
    assert pts[0].status == "infeasible" and math.isnan(pts[0].stage2_progress)
    assert pts[1].stage2_progress == pytest.approx(0.728, abs=1e-6)


def test_scale_budget_scales_sources_in_scope(examples):
    sc = load_scenario(examples / "restricted_fund.yaml")
    assert scale_budget(sc, "increment", 0.5).sources["discipline_fund"].amount[2021] == 40
    assert scale_budget(sc, "stock", 0.5).sources["discipline_fund"].amount[2021] == 80


def test_parse_range():
    assert parse_range("0.5:1.5:0.25", "--increment") == [0.5, 0.75, 1.0, 1.25, 1.5]
    assert parse_range("1,2,4", "--increment") == [1, 2, 4]


def test_sweep_cli_writes_frontier(examples, tmp_path):
    out = tmp_path / "sw"
    res = CliRunner().invoke(cli, ["whatif", "sweep", str(examples / "floors_and_gaps.yaml"), "--increment", "0:2:0.5", "--out", str(out)])
    assert res.exit_code == 0, res.output
    frontier = pd.read_csv(out / "frontier.csv", encoding="utf-8-sig")
    assert list(frontier.columns[:5]) == ["level", "budget", "status", "stage1_shortfall", "stage2_progress"]
    # no increment: 2021 institute 50 + A's floor 60 leaves 10 + 4 for courses after D's 36; 2022 D 40, A 60:
    # 7.4 courses -> (2 * 7.4 / 25 + 2) / 4 = 0.648; each further 10 of increment a year buys 2 courses (+0.04)
    assert frontier["stage2_progress"].tolist() == pytest.approx([0.648, 0.688, 0.728, 0.768, 0.808], abs=1e-6)
    assert {"courses", "courses_met", "institute_met"} <= set(frontier.columns)
    alloc = pd.read_csv(out / "allocation.csv", encoding="utf-8-sig")
    assert sorted(alloc["level"].unique()) == [0.0, 0.5, 1.0, 1.5, 2.0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--increment", "-0.5:1:0.5"], "cannot reach a negative budget"),
        (["--increment", "1:x:2"], "expected START:STOP:STEP"),
        (["--param", "indicators.nope.target=1:2:1"], "unknown path"),
    ],
)
def test_bad_sweep_options_exit_1(examples, tmp_path, args, message):
    res = CliRunner().invoke(cli, ["whatif", "sweep", str(examples / "floors_and_gaps.yaml"), *args, "--out", str(tmp_path / "x")])
    assert res.exit_code == 1, res.output
    assert message in res.output


def test_sweep_needs_exactly_one_range(examples):
    res = CliRunner().invoke(cli, ["whatif", "sweep", str(examples / "floors_and_gaps.yaml"), "--increment", "1", "--stock", "1"])
    assert res.exit_code == 2


def test_fixed_integers_never_beat_free_and_match_at_the_base():
    sc = multi_year(seed=9, increment=40)
    levels = [0.25, 0.5, 1.0, 2.0]
    free = sweep_budget(sc, levels, "increment")
    fixed = sweep_budget(sc, levels, "increment", integers="fixed")
    for a, b in zip(free, fixed):
        assert b.integers in ("fixed", "re-decided")
        # holding lumpy decisions is a restriction: never better in the plan's own order
        assert a.stage1_shortfall <= b.stage1_shortfall + TOL
        if abs(a.stage1_shortfall - b.stage1_shortfall) <= TOL:
            assert b.stage2_progress <= a.stage2_progress + TOL
    base = next(p for p in fixed if p.level == 1.0)
    assert base.integers == "fixed"
    assert base.stage2_progress == pytest.approx(next(p for p in free if p.level == 1.0).stage2_progress, abs=TOL)


def test_warm_sweep_with_an_earmark_that_ends_and_source_shares():
    from test_marginals import lp_with_reserve_and_source

    sc = lp_with_reserve_and_source(3)
    levels = [0.2, 0.6, 1.0, 1.7]
    for scope in ("increment", "total"):
        warm = sweep_budget(sc, levels, scope)
        cold = sweep_budget(sc, levels, scope, warm=False)
        for a, b in zip(warm, cold):
            assert a.status == b.status
            if a.status == "optimal":
                assert a.stage2_progress == pytest.approx(b.stage2_progress, abs=TOL)
