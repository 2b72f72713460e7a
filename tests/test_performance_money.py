"""Performance money (绩效资金): the factor split by points x size, its rows in the plan, and money that follows grades."""

from __future__ import annotations

import json
from collections import defaultdict

import pandas as pd
import pytest
from click.testing import CliRunner

from allocator.cli import cli
from allocator.formulation import build_problem
from allocator.performance_money import follow_bounds, performance_amounts, performance_shares
from allocator.planning import plan
from models import Scenario
from tests.scenario_factory import tiny


def three_units(share=0.5, stop_loss=0.1, increment_2022=100.0, points=True, **policy) -> Scenario:
    """Units A, B, C with base money 40, 60, 100 (the size factor), graded in 2021 at 90, 50 and 80 points."""
    units = {key: {"name_zh": key, "type": "college", "base": {"send": base}} for key, base in (("A", 40.0), ("B", 60.0), ("C", 100.0))}
    pm = {"share": share, "size": "base", "stop_loss": stop_loss, **policy}
    if points:
        pm.update(points={"A": 90.0, "B": 50.0, "C": 80.0}, graded_year=2021)
    return tiny(
        end_year=2022,
        units=units,
        budget={"stock": {2021: 200, 2022: 200}, "increment": {2021: 80, 2022: increment_2022}},
        indicators__students__target_year=2022,
        indicators__courses__target_year=2022,
        policy={"performance_money": pm},
    )


def amounts(sc: Scenario, year: int) -> dict[str, float]:
    return {r.unit: r.amount for r in performance_shares(sc) if r.year == year}


def test_hand_worked_split_with_stop_loss():
    # 2021 (up to the graded year): Pi = 0.5 x 80 = 40 by size alone 40 : 60 : 100 -> 8, 12, 20.
    # 2022: Pi = 0.5 x 100 = 50; weights points x size = 90x40 = 3600, 50x60 = 3000, 80x100 = 8000 (total 14600);
    #   recommendations 50 x 3600/14600 = 12.3288, 10.2740, 27.3973.
    #   stop-loss 0.1: floors 0.9 x (8, 12, 20) = 7.2, 10.8, 18. B's 10.2740 < 10.8: B gets 10.8; the 39.2 left is
    #   shared 3600 : 8000 -> A 39.2 x 3600/11600 = 12.1655172, C 39.2 x 8000/11600 = 27.0344828 (both above floors).
    #   To the fen (1e-6 万元): 12.165517 + 10.8 + 27.034482 = 49.999999; the fen left goes to C's remainder .76.
    sc = three_units()
    assert amounts(sc, 2021) == {"A": 8.0, "B": 12.0, "C": 20.0}
    got = amounts(sc, 2022)
    assert got == {"A": pytest.approx(12.165517, abs=1e-9), "B": pytest.approx(10.8, abs=1e-9), "C": pytest.approx(27.034483, abs=1e-9)}
    assert sum(round(v * 1e6) for v in got.values()) == 50_000_000
    rules = {r.unit: r.rule for r in performance_shares(sc) if r.year == 2022}
    assert rules == {"A": "points x size", "B": "stop-loss", "C": "points x size"}


def test_hand_worked_hold_harmless_and_pro_rating():
    # hold harmless (stop-loss 0): floors are the priors 8, 12, 20; B (10.27) is held at 12, the 38 left shared
    # 3600 : 8000 -> A 11.7931034, C 26.2068966; fen: 11.793103 + 12 + 26.206896 = 49.999999, the fen to C (.55 > .45).
    got = amounts(three_units(stop_loss=0.0), 2022)
    assert got == {"A": pytest.approx(11.793103, abs=1e-9), "B": 12.0, "C": pytest.approx(26.206897, abs=1e-9)}
    # too little for the priors: increment 70 -> Pi = 35 < 8 + 12 + 20 = 40: each prior x 35/40 = 7, 10.5, 17.5
    short = three_units(stop_loss=0.0, increment_2022=70.0)
    assert amounts(short, 2022) == {"A": 7.0, "B": 10.5, "C": 17.5}
    assert {r.rule for r in performance_shares(short) if r.year == 2022} == {"pro-rated"}


def test_without_points_the_money_follows_size_alone():
    # 2022 by size: 50 x 40/200, 60/200, 100/200 = 10, 15, 25 (above the priors 8, 12, 20: no floor binds)
    assert amounts(three_units(points=False), 2022) == {"A": 10.0, "B": 15.0, "C": 25.0}


def test_renaming_or_reordering_units_changes_nothing():
    sc = three_units()
    data = sc.model_dump(mode="json")
    rename = {"A": "Zed", "B": "Alpha", "C": "Mid"}
    data["units"] = {rename[k]: v for k, v in reversed(list(data["units"].items()))}
    pm = data["policy"]["performance_money"]
    pm["points"] = {rename[k]: v for k, v in reversed(list(pm["points"].items()))}
    renamed = Scenario.model_validate(data)
    for year in (2021, 2022):
        before, after = amounts(sc, year), amounts(renamed, year)
        assert {rename[k]: v for k, v in before.items()} == after


def test_each_unit_gets_its_performance_money_on_top_of_its_floor():
    sc = three_units()
    result = plan(sc)
    money: dict[tuple[str, int], float] = defaultdict(float)
    for r in result.allocation:
        money[r.unit, r.year] += r.amount
    floors = {"A": 0.98, "B": 0.98, "C": 0.98}  # the default grade B keeps 98% a year, compounding
    for (u, t), p in performance_amounts(sc).items():
        n = t - 2021
        base = {"A": 40.0, "B": 60.0, "C": 100.0}[u]
        assert money[u, t] >= floors[u] ** (n + 1) * base + p - 0.01, (u, t)
    names = build_problem(sc).problem.constraints
    assert "performance_money__B__2022" in names and "stock_floor__B__2022" in names


def test_follow_rows_keep_a_and_hold_d_to_the_plan_before_grades():
    # reference money 100 a year each; A's performance money rises and D's falls against the split by size alone
    sc = three_units(reference={u: {2021: 100.0, 2022: 100.0} for u in "ABC"})
    sc = sc.model_copy(update={"units": {**sc.units, "A": sc.units["A"].model_copy(update={"grade": "A"})}})
    sc = sc.model_copy(update={"units": {**sc.units, "B": sc.units["B"].model_copy(update={"grade": "D"})}})
    bounds = follow_bounds(sc)
    # 2022 split by size alone: 10, 15, 25; by points: A 12.165517, B 10.8 -> A at least 102.165517, B at most 95.8
    assert bounds == {("A", 2022): ("at_least", pytest.approx(102.165517)), ("B", 2022): ("at_most", pytest.approx(95.8))}
    names = build_problem(sc).problem.constraints
    assert "grade_keep__A__2022" in names and "grade_hold__B__2022" in names
    assert not any(n.startswith(("grade_keep__C", "grade_hold__C", "grade_keep__A__2021")) for n in names)


# -- bad input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "named"),
    [
        ("policy.performance_money.share=1.5", "performance_money.share"),
        ("policy.performance_money.stop_loss=-0.1", "performance_money.stop_loss"),
        ("policy.performance_money.stop_loss=2", "performance_money.stop_loss"),
        ("policy.performance_money.size=students", "performance_money.size"),
        ("policy.performance_money.points.nobody=50", "performance_money.points.nobody"),
        ("policy.scoring.thresholds.A=10", "thresholds"),
    ],
)
def test_bad_settings_exit_1_naming_the_key(examples, tmp_path, setting, named):
    res = CliRunner().invoke(cli, ["plan", str(examples / "two_programmes.yaml"), "--set", setting, "--out", str(tmp_path / "p")])
    assert res.exit_code == 1, res.output
    assert named in res.output


def test_a_size_factor_zero_for_every_unit_is_refused(examples, tmp_path):
    args = ["--set", "policy.performance_money.share=0.2", "--set", "policy.performance_money.size=full_time_faculty"]
    res = CliRunner().invoke(cli, ["plan", str(examples / "two_programmes.yaml"), *args, "--out", str(tmp_path / "p")])
    assert res.exit_code == 1, res.output
    assert "policy.performance_money.size" in res.output and "0 for every unit" in res.output


def test_score_weights_that_sum_to_zero_exit_1(examples, tmp_path):
    zero = [f"policy.scoring.weights.{k}=0" for k in ("completion", "execution", "unit_cost", "timeliness", "dea")]
    args = [a for z in zero for a in ("--set", z)]
    res = CliRunner().invoke(cli, ["plan", str(examples / "two_programmes.yaml"), *args, "--out", str(tmp_path / "p")])
    assert res.exit_code == 1, res.output
    assert "weights" in res.output


# -- the bundled scenario ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graded_runs(tmp_path_factory):
    """The bundled base plan, its tasks, the 2021 score against it, and the plan with that score's grades."""
    from tests.conftest import BUNDLED

    root = tmp_path_factory.mktemp("perfmoney")
    perf = BUNDLED / "performance-2021"
    runner = CliRunner()
    for args in (
        ["plan", str(BUNDLED), "--no-marginals", "--out", str(root / "plan")],
        ["tasks", str(root / "plan")],
        ["score", str(BUNDLED), "--actuals", str(perf / "actual_outputs.csv"), "--spending", str(perf / "actual_spending.csv"),
         "--plan", str(root / "plan"), "--out", str(root / "score")],
        ["plan", str(BUNDLED), "--no-marginals", "--performance", str(root / "score"), "--out", str(root / "graded")],
    ):  # fmt: skip
        res = runner.invoke(cli, ["-q", *args])
        assert res.exit_code == 0, res.output
    return root


def _unit_money(run) -> pd.DataFrame:
    alloc = pd.read_csv(run / "allocation.csv", encoding="utf-8-sig")
    return alloc.groupby(["unit", "year"])["amount"].sum().unstack()


def test_bundled_money_of_a_units_grows_against_d_units(graded_runs):
    scores = pd.read_csv(graded_runs / "score" / "scores.csv", encoding="utf-8-sig").set_index("unit")
    ratio = _unit_money(graded_runs / "graded") / _unit_money(graded_runs / "plan")
    a_units = scores.index[scores["grade"] == "A"]
    d_units = scores.index[scores["grade"] == "D"]
    assert len(a_units) and len(d_units)
    for year in (2022, 2023, 2024, 2025):
        assert ratio.loc[a_units, year].min() > 1 > ratio.loc[d_units, year].max(), year


def test_bundled_performance_money_is_published_exact_to_the_fen(graded_runs):
    manifest = json.loads((graded_runs / "graded" / "manifest.json").read_text(encoding="utf-8"))
    rule = manifest["performance_money"]
    assert rule["share_of_increment"] == 0.2 and rule["graded_year"] == 2021 and "points x size" in rule["rule"]
    table = pd.read_csv(graded_runs / "graded" / "performance_money.csv", encoding="utf-8-sig")
    assert list(table.columns[:9]) == ["unit", "year", "points", "rating", "size", "recommended", "prior", "amount", "rule"]
    increment = pd.read_csv(_bundled_budget(), encoding="utf-8-sig").set_index("year")
    for year, group in table.groupby("year"):
        assert group["amount_fen"].sum() == round(0.2 * increment.loc[year, "increment"] * 1_000_000), year
        assert (group["amount_fen"] == (group["amount"] * 1_000_000).round()).all()
    graded = table[table["year"] >= 2022]
    assert set(graded["rule"]) <= {"points x size", "stop-loss", "pro-rated"} and graded["points"].notna().any()
    assert set(table[table["year"] == 2021]["rule"]) == {"size"}  # the scored year itself is split as before grades
    # the plan before grades splits by size alone every year
    base = pd.read_csv(graded_runs / "plan" / "performance_money.csv", encoding="utf-8-sig")
    assert set(base["rule"]) == {"size"} and base["points"].isna().all()


def _bundled_budget():
    from tests.conftest import BUNDLED

    return BUNDLED / "budget.csv"
