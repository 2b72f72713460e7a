"""The task decomposition (任务分解表), who leads what, and the bundled scenario scored against its plan."""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from allocator.cli import cli
from allocator.responsibility import names_of, resolve
from allocator.tasks import decompose, whole_split, whole_targets
from tests.scenario_factory import tiny

# -- rounding ------------------------------------------------------------------------------------------------


def test_whole_split_by_largest_remainder():
    # 10 shared as 3.4 / 3.3 / 3.3: floors 3 + 3 + 3 = 9, the one left goes to the largest remainder (a: 0.4)
    assert whole_split(10, {"a": 3.4, "b": 3.3, "c": 3.3}) == {"a": 4, "b": 3, "c": 3}
    # ties go to the id first in alphabetical order
    assert whole_split(1, {"b": 0.5, "a": 0.5}) == {"a": 1, "b": 0}
    # a unit already given more than its share (negative quota) gets nothing more
    assert whole_split(2, {"a": -0.4, "b": 2.4}) == {"a": 0, "b": 2}


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefg"), st.floats(0, 50), min_size=1, max_size=7))
def test_whole_split_adds_up_and_stays_within_a_unit_of_each_quota(quotas):
    total = math.floor(sum(quotas.values()) + 0.5)
    out = whole_split(total, quotas)
    assert sum(out.values()) == total
    for u, q in quotas.items():
        assert abs(out[u] - q) < 1 + 1e-9


def test_yearly_targets_add_up_over_the_years_and_the_units():
    # two units deliver 0.6 a year each over three years: 3.6 in all, rounded to 4.
    # year 1: school 1.2 -> 1, shared 1 (a, by name) / 0; year 2: running 2.4 -> 2, one more: b is owed 1.2, a 0.2;
    # year 3: running 3.6 -> 4, two more: a owed 0.8, b owed 0.8 -> one each.
    exact = {y: {"a": 0.6, "b": 0.6} for y in (2021, 2022, 2023)}
    got = whole_targets([2021, 2022, 2023], exact)
    assert got == {2021: {"a": 1, "b": 0}, 2022: {"a": 0, "b": 1}, 2023: {"a": 1, "b": 1}}
    assert sum(sum(v.values()) for v in got.values()) == 4


# -- who leads ---------------------------------------------------------------------------------------------


def test_departments_resolve_by_id_name_or_either_part_of_a_bracketed_name():
    sc = tiny(
        units__H={"name_zh": "人事处(人才工作办公室)", "type": "department"},
        units__I={"name_zh": "国际交流与合作处", "name_en": "International Office", "type": "department"},
        indicators__students__departments="人才工作办公室、国际交流与合作处;人事处",
        indicators__courses__departments="I, A",
    )
    resp, problems = resolve(sc)
    assert problems == {}
    assert resp.lead == {"students": "H", "courses": "I"}
    assert resp.support == {"students": ("I",), "courses": ("A",)}  # 人事处 and 人才工作办公室 are one unit
    assert resp.role("A", "courses") == "support" and resp.role("B", "courses") == ""
    assert names_of(("人事处（人才工作办公室）、教务处",)) == ["人事处(人才工作办公室)", "教务处"]  # full width = half width
    assert resolve(
        tiny(
            units__H={"name_zh": "人事处(人才工作办公室)", "type": "department"},
            indicators__students__departments="人事处（人才工作办公室）",
        )
    )[0].lead == {"students": "H"}


def test_unmatched_and_ambiguous_department_names_are_reported():
    units = {
        "units__H": {"name_zh": "人事处(人才办)", "type": "department"},
        "units__K": {"name_zh": "后勤处(人才办)", "type": "department"},
    }
    _, problems = resolve(tiny(**units, indicators__students__departments="组织部;人事处", indicators__courses__departments="人才办"))
    assert problems == {"students": ["'组织部' matches no unit id or name"], "courses": ["'人才办' could be any of H, K"]}
    # a unit's own full name wins over a bracketed part of other names
    exact = tiny(**units, units__J={"name_zh": "人才办", "type": "department"}, indicators__courses__departments="人才办")
    assert resolve(exact) == (resolve(exact)[0], {}) and resolve(exact)[0].lead["courses"] == "J"


# -- the decomposition -------------------------------------------------------------------------------------


def test_hand_worked_decomposition():
    # A delivers 2.5 students, B 1.5, the lead H carries 1 a year funded elsewhere (exogenous): school 5 in 2021.
    # A's 2.5 and B's 1.5 share 4 whole students: floors 2 + 1, the one left to the larger remainder (A and B
    # both .5: A by name) -> A 3, B 1, H 1. A's send line of 10 万元 feeds only students; H's course line of 5 feeds courses.
    sc = tiny(
        units__H={"name_zh": "国际处", "type": "department"},
        indicators__students__departments="H",
        indicators__students__exogenous=1,
    )
    rows = decompose(
        sc,
        [("A", "send", 2021, 6.0), ("A", "send", 2021, 4.0), ("H", "course", 2021, 5.0)],
        [("A", "students", 2021, 2.5), ("B", "students", 2021, 1.5), ("H", "courses", 2021, 1.0)],
    )
    got = {(r.indicator, r.unit): (r.role, r.target, r.money, r.school_target) for r in rows}
    assert got == {
        ("students", "H"): ("lead", 1, 0.0, 5),
        ("students", "A"): ("college", 3, 10.0, 5),
        ("students", "B"): ("college", 1, 0.0, 5),
        ("courses", "H"): ("department", 1, 5.0, 1),
    }


def test_money_of_a_line_feeding_two_indicators_is_shared_by_weighted_progress():
    # one course line feeds courses (yield 1, span 10) and students (yield 2, span 30, weight 3):
    # progress per activity unit 1/10 = 0.1 on courses and 3 x 2/30 = 0.2 on students: money 1/3 : 2/3, published
    # at 0.01 万元 as allocation.csv: 1000 hundredths as 333.33 + 666.67, floors 333 + 666, the one left to the larger
    # remainder (0.67 of students): 3.33 + 6.67 = 10.00 exactly (to the fen it was 3.333333 + 6.666667).
    sc = tiny(
        initiatives__course__effects={"courses": {"yield_per_unit": 1}, "students": {"yield_per_unit": 2}}, indicators__students__weight=3
    )
    rows = decompose(sc, [("A", "course", 2021, 10.0)], [])
    money = {r.indicator: r.money for r in rows}
    assert money == {"courses": 3.33, "students": 6.67}
    # equal shares (1/10 on courses, 3/30 on students) of 0.07: 3.5 hundredths each, floors 3 + 3, the one left
    # (equal remainders) to the first key: courses 0.04, students 0.03
    equal = tiny(
        initiatives__course__effects={"courses": {"yield_per_unit": 1}, "students": {"yield_per_unit": 3}},
        indicators__students__weight=1,
    )
    assert {r.indicator: r.money for r in decompose(equal, [("A", "course", 2021, 0.07)], [])} == {"courses": 0.04, "students": 0.03}
    assert sum(money.values()) == pytest.approx(10.0, abs=1e-12)


# -- the bundled scenario ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled_runs(tmp_path_factory):
    """A plan of the bundled scenario, its tasks, and scores of the shipped 2021 data both ways (plan run, tables)."""
    from tests.conftest import BUNDLED

    if not (BUNDLED / "scenario.yaml").exists():
        pytest.skip("bundled scenario not present")
    root = tmp_path_factory.mktemp("bundled")
    runner = CliRunner()
    assert runner.invoke(cli, ["-q", "plan", str(BUNDLED), "--no-marginals", "--out", str(root / "plan")]).exit_code == 0
    res = runner.invoke(cli, ["tasks", str(root / "plan")])
    assert res.exit_code == 0, res.output
    perf = BUNDLED / "performance-2021"
    common = ["--actuals", str(perf / "actual_outputs.csv"), "--spending", str(perf / "actual_spending.csv")]
    by_tables = ["--targets", str(perf / "targets.csv"), "--planned", str(perf / "planned_spending.csv")]
    res = runner.invoke(cli, ["-q", "score", str(BUNDLED), *common, *by_tables, "--out", str(root / "score")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["-q", "score", str(BUNDLED), *common, "--plan", str(root / "plan"), "--out", str(root / "score_plan")])
    assert res.exit_code == 0, res.output
    return root, perf


def test_bundled_tasks_add_up_to_the_school_targets_and_the_plans_money(bundled_runs):
    root, _ = bundled_runs
    tasks = pd.read_csv(root / "plan" / "tasks.csv", encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    alloc = pd.read_csv(root / "plan" / "allocation.csv", encoding="utf-8-sig")
    assert (tasks["target"] == tasks["target"].round()).all() and (tasks["target"] >= 0).all()
    per_year = tasks.groupby(["indicator", "year"]).agg(total=("target", "sum"), school=("school_target", "first"))
    assert (per_year["total"] == per_year["school"]).all()
    # over the years, the whole targets add up to the plan's exact total rounded
    exact = tasks.groupby("indicator")["planned_output"].sum()
    whole = tasks.groupby("indicator")["target"].sum()
    for key, total in exact.items():
        assert whole[key] == math.floor(total + 0.5), key
    # money: published at 0.01 万元 as allocation.csv (it was to the fen: 6 decimals), and every unit's money in a
    # year adds up to its allocation exactly, so the rows add up to the plan's total exactly too
    text = pd.read_csv(root / "plan" / "tasks.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)["money"]
    assert all(len(m.partition(".")[2]) <= 2 for m in text), [m for m in text if len(m.partition(".")[2]) > 2][:5]
    hundredths = tasks.assign(h=[round(Decimal(m) * 100) for m in text]).groupby(["unit", "year"])["h"].sum()
    planned = alloc.assign(h=[round(Decimal(str(a)) * 100) for a in alloc["amount"]]).groupby(["unit", "year"])["h"].sum()
    assert hundredths.to_dict() == {k: v for k, v in planned.items() if v}
    assert hundredths.sum() == planned.sum()
    leads = tasks[tasks["role"] == "lead"]
    assert set(leads["unit"]) == {"academic_affairs", "hr_talent", "research_inst", "intl_office"}
    # the lead carries what the school gains without this budget: 20 students abroad a year funded elsewhere
    row = tasks[(tasks["indicator"] == "students_abroad_3m") & (tasks["year"] == 2021) & (tasks["unit"] == "academic_affairs")]
    assert row["planned_output"].iloc[0] == pytest.approx(20.0)


def test_bundled_scores_execution_tracks_and_unit_costs(bundled_runs):
    root, perf = bundled_runs
    s = pd.read_csv(root / "score" / "scores.csv", encoding="utf-8-sig")
    spent = pd.read_csv(perf / "actual_spending.csv", encoding="utf-8-sig").groupby("unit")["amount"].sum()
    planned = pd.read_csv(perf / "planned_spending.csv", encoding="utf-8-sig").groupby("unit")["amount"].sum()
    assessed = s[s["points"].notna()]
    assert len(assessed) >= 20
    for r in assessed.itertuples():
        assert r.execution_rate == pytest.approx(spent.get(r.unit, 0.0) / planned[r.unit], abs=1e-9), r.unit
    assert set(s["track"]) == {"college", "department"}
    for _, group in assessed.groupby("track"):
        assert group["rank"].min() == 1
        assert sorted(group["rank"]) == sorted(group["points"].rank(ascending=False, method="min").astype(int))
    assert ((assessed["points"] >= 0) & (assessed["points"] <= 100)).all()
    assert set(assessed["rating"]) <= {"优", "良", "中", "差"} and (assessed["rating"] == "差").any()
    costs = pd.read_csv(root / "score" / "unit_costs.csv", encoding="utf-8-sig")
    assert list(costs.columns[:8]) == ["unit", "indicator", "year", "spending", "output", "unit_cost", "standard", "ratio"]
    with_output = costs[costs["output"] > 0]
    assert with_output["unit_cost"].to_numpy() == pytest.approx((with_output["spending"] / with_output["output"]).to_numpy())
    awards = pd.read_csv(root / "score" / "awards.csv", encoding="utf-8-sig")
    assert awards["award_fen"].sum() == 300 * 1_000_000  # the bundled pool, to the fen
    assert awards.groupby("track")["award_fen"].sum().to_dict() == {"college": 210_000_000, "department": 90_000_000}
    # a department is held to the school totals it leads: 国际处 (joint institute, programmes, Confucius Institutes)
    office = s.set_index("unit").loc["intl_office"]
    assert "办好现有海外孔子学院（全校，牵头）" in office["explanation"]
    # scoring against the plan run (its tasks and money) ranks and rates exactly as the shipped tables do
    p = pd.read_csv(root / "score_plan" / "scores.csv", encoding="utf-8-sig").set_index("unit")
    t = s.set_index("unit")
    assert (p["rank"] == t["rank"]).all() and (p["grade"] == t["grade"]).all()
    assert p["points"].to_numpy() == pytest.approx(t["points"].to_numpy(), abs=0.01)  # planned money rounded to 2 decimals


def test_bundled_illustrative_data_is_whole_and_marked(bundled):
    perf = bundled / "performance-2021"
    for name, column in (("actual_outputs.csv", "value"), ("targets.csv", "target")):
        frame = pd.read_csv(perf / name, encoding="utf-8-sig")
        assert (frame[column] == frame[column].round()).all(), name
    assert "ILLUSTRATIVE, NOT REAL" in (perf / "README.md").read_text(encoding="utf-8")


def test_readme_scoring_figures_match_a_fresh_run(bundled_runs):
    from tests.conftest import ROOT
    from tests.score_figures import render, render_into

    root, perf = bundled_runs
    block = render(root / "plan", root / "score_plan")
    for path in (ROOT / "README.md", perf / "README.md"):
        readme = path.read_text(encoding="utf-8")
        assert render_into(readme, block) == readme, f"{path.name}: run python tests/regen_score_figures.py"


def test_without_a_lead_the_flow_funded_elsewhere_is_the_schools_own_row():
    sc = tiny(indicators__students__exogenous=2.4)
    rows = decompose(sc, [], [("A", "students", 2021, 1.0)])
    got = {(r.unit, r.role): r.target for r in rows if r.indicator == "students"}
    assert got == {("A", "college"): 1, ("", "school"): 2}  # 3.4 rounds to 3: A's 1.0 and the school's 2.4
