"""Performance scoring: a hand-worked 100-point score, tracks, the landmark bonus, exact awards, bad input, the loop back into the plan."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from allocator.cli import cli
from allocator.errors import ScenarioError
from allocator.scoring.awards import split_pool, to_fen
from allocator.scoring.grades import assign_grades, forced_counts, ranks
from models import ScoringPolicy


@pytest.fixture
def scoring(examples, tmp_path):
    """A private copy of the scoring example (so tests may edit its CSV files)."""
    dst = tmp_path / "scoring"
    shutil.copytree(examples / "scoring", dst)
    return dst


def score(folder, out, *extra, actuals="actuals.csv", spending="spending.csv", targets="targets.csv", planned="planned.csv"):
    args = ["score", str(folder), "--actuals", str(folder / actuals), "--spending", str(folder / spending), "--out", str(out), *extra]
    if targets:
        args += ["--targets", str(folder / targets)]
    if planned:
        args += ["--planned", str(folder / planned)]
    return CliRunner().invoke(cli, args)


def table(run, name, index="unit"):
    frame = pd.read_csv(run / f"{name}.csv", encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    return frame.set_index(index) if index else frame


def edit(path, keep=lambda line: True, add=()):
    lines = [x for x in path.read_text(encoding="utf-8").splitlines() if keep(x)]
    path.write_text("\n".join([*lines, *add]) + "\n", encoding="utf-8")


# -- the hand-worked example (scenarios/examples/scoring/scenario.yaml) --------------------------------------


def test_hand_worked_100_point_score(scoring, tmp_path):
    res = score(scoring, tmp_path / "s")
    assert res.exit_code == 0, res.output
    s = table(tmp_path / "s", "scores")
    # Weights 50/20/20/10 over the parts that apply (all four apply to all three units here).
    # College A: completion min(12/10, 1) = 1 and 3/4 = 0.75 -> 0.875 x 50 = 43.75; execution 35/40 = 0.875 x 20 = 17.5;
    # unit cost: students 20/12 = 1.667 against 2 (score 1), courses 15/3 = 5 against 5 (score 1) -> 20; 1 of 2 met -> 5.
    # College B: 1/5 = 0.2 x 50 = 10; 20/20 -> 20; 20 per student against 10 -> 10/20 = 0.5 x 20 = 10; 0 of 1 -> 0.
    # Dept X leads students and the institute: school students 19/21, institute 1/1 -> (19/21 + 1)/2 x 50 = 47.619048;
    # 72/80 = 0.9 x 20 = 18; own lines: students 30/6 = 5 against 4 -> 0.8, institute 42 against 50 -> 1 -> 0.9 x 20 = 18;
    # students 19 < 21 missed, institute met -> 0.5 x 10 = 5; the institute is a landmark it delivered: +5.
    expected = {
        "A": (43.75, 17.5, 20.0, 5.0, 0.0, 86.25, "良", "B", 1),
        "B": (10.0, 20.0, 10.0, 0.0, 0.0, 40.0, "差", "D", 2),
        "X": ((19 / 21 + 1) / 2 * 50, 18.0, 18.0, 5.0, 5.0, (19 / 21 + 1) / 2 * 50 + 46.0, "优", "A", 1),
    }
    for unit, (comp, exe, cost, time, bonus, total, rating, grade, rank) in expected.items():
        row = s.loc[unit]
        assert row["points_completion"] == pytest.approx(comp, abs=1e-6)
        assert row["points_execution"] == pytest.approx(exe, abs=1e-6)
        assert row["points_unit_cost"] == pytest.approx(cost, abs=1e-6)
        assert row["points_timeliness"] == pytest.approx(time, abs=1e-6)
        assert row["points_landmark"] == pytest.approx(bonus, abs=1e-6)
        assert row["points"] == pytest.approx(total, abs=1e-6)
        assert (row["rating"], row["grade"], row["rank"]) == (rating, grade, rank)
    assert s.loc["A", "execution_rate"] == 35 / 40 and s.loc["X", "execution_rate"] == 72 / 80
    assert s.loc["A", "track"] == "college" and s.loc["X", "track"] == "department"
    assert "Students abroad: 12 人 against a target of 10: 120% (counts 100%)" in s.loc["A", "explanation"]
    assert "Students abroad (school-wide, as lead): 19 人 against a target of 21: 90.5%" in s.loc["X", "explanation"]
    assert "spent 72.00 万元 of 80.00 万元 planned: 90%" in s.loc["X", "explanation"]

    costs = table(tmp_path / "s", "unit_costs", None).set_index(["unit", "indicator"])
    assert list(table(tmp_path / "s", "unit_costs", None).columns[:8]) == [
        "unit", "indicator", "year", "spending", "output", "unit_cost", "standard", "ratio"
    ]  # fmt: skip
    assert costs.loc[("A", "students"), ["spending", "output", "standard"]].tolist() == [20, 12, 2]
    assert costs.loc[("A", "students"), "unit_cost"] == pytest.approx(20 / 12)
    assert costs.loc[("B", "students"), "ratio"] == pytest.approx(2.0)
    assert costs.loc[("X", "institute"), "ratio"] == pytest.approx(42 / 50)
    assert "5.00 万元 per 人 against a standard of 4.00 (1.25 x)" in costs.loc[("X", "students"), "explanation"]

    parts = table(tmp_path / "s", "parts", None)
    assert set(parts["part"]) == {"completion", "execution", "unit_cost", "timeliness", "landmark"}
    for unit, total in parts[parts["part"] != "landmark"].groupby("unit")["max_points"].sum().items():
        assert total == pytest.approx(100.0), unit  # the parts that apply always make up 100

    awards = table(tmp_path / "s", "awards")
    # colleges share 70 万元, departments 30: A alone is above 60 points among colleges, X among departments
    assert awards["award_fen"].to_dict() == {"A": 70_000_000, "B": 0, "X": 30_000_000}
    floors = table(tmp_path / "s", "next_floors")
    assert floors.loc["B", "floor_share"] == 0.9 and floors.loc["B", "may_reclaim"] == pytest.approx(2.0)
    execution = table(tmp_path / "s", "execution", None).set_index(["unit", "initiative"])
    assert execution.loc[("X", "institute"), "execution_rate"] == pytest.approx(42 / 50)
    dea = table(tmp_path / "s", "dea")
    # DEA annex, colleges only (CCR, output-oriented; outputs per dimension over the school's 2021 totals):
    # A: 35 万元 -> students 12/19, courses 3/3; B: 20 万元 -> students 1/19. B's best mix is 20/35 of A,
    # whose 12/19 x 4/7 students are 48/7 times B's 1/19: phi = 48/7, efficiency 7/48.
    assert dea.loc["B", "phi"] == pytest.approx(48 / 7)
    assert s.loc["B", "dea_efficiency"] == pytest.approx(7 / 48)
    assert set(dea["track"]) == {"college", "department"}
    assert "College A" in res.output and "departments" in res.output


def test_dea_is_an_annex_until_weighted(scoring, tmp_path):
    # with dea weighted 20 (the others unchanged), A and B are compared on one frontier of colleges only:
    # money 35 -> students 12/13 + courses 3/3 (CCR, one output per dimension) against B's 20 -> 1/13 students
    assert score(scoring, tmp_path / "s", "--set", "policy.scoring.weights.dea=20").exit_code == 0
    s = table(tmp_path / "s", "scores")
    assert s.loc["X", "dea_efficiency"] == pytest.approx(1.0)  # alone in its track
    assert s.loc["B", "points_dea"] == pytest.approx(100 * 20 / 120 * s.loc["B", "dea_efficiency"])
    assert s.loc["A", "points_completion"] == pytest.approx(0.875 * 100 * 50 / 120)


def test_landmark_bonus(scoring, tmp_path):
    base = (19 / 21 + 1) / 2 * 50 + 18 + 18 + 5  # X without any bonus: 88.619048
    runs = {
        "none": ("--set", "policy.scoring.landmark_bonus=0"),
        "five": (),
        "twenty": ("--set", "policy.scoring.landmark_bonus=20"),
    }
    got = {}
    for name, extra in runs.items():
        assert score(scoring, tmp_path / name, *extra).exit_code == 0
        got[name] = table(tmp_path / name, "scores").loc["X"]
    assert got["none"]["points"] == pytest.approx(base)
    assert got["five"]["points"] == pytest.approx(base + 5)
    assert got["twenty"]["points"] == 100  # 108.6 is capped: no part pushes the total above 100
    assert got["twenty"]["points_landmark"] == 20 and "capped at 100" in got["twenty"]["explanation"]
    # not delivered (the institute is not open in 2021): no bonus, and the task is missed
    edit(scoring / "actuals.csv", keep=lambda x: not x.startswith("X,institute"))
    assert score(scoring, tmp_path / "missed").exit_code == 0
    missed = table(tmp_path / "missed", "scores").loc["X"]
    assert missed["points_landmark"] == 0
    assert missed["points_completion"] == pytest.approx(19 / 21 / 2 * 50)


def test_standards_table_replaces_the_unit_costs(scoring, tmp_path):
    (scoring / "standards.csv").write_text("indicator,unit,standard\nstudents,,1.5\nstudents,B,20\n", encoding="utf-8")
    assert score(scoring, tmp_path / "s", "--standards", str(scoring / "standards.csv")).exit_code == 0
    s = table(tmp_path / "s", "scores")
    # A: 20 万元 at 1.5 per student should buy 13.33; it bought 12: 0.9; courses still 1 -> 0.95 x 20 = 19
    assert s.loc["A", "points_unit_cost"] == pytest.approx(19.0)
    assert s.loc["B", "points_unit_cost"] == pytest.approx(20.0)  # its own standard of 20 per student is met
    costs = table(tmp_path / "s", "unit_costs", None).set_index(["unit", "indicator"])
    assert costs.loc[("A", "students"), "standard"] == pytest.approx(1.5)


def test_without_planned_money_execution_is_left_out_and_the_rest_scaled(scoring, tmp_path):
    res = score(scoring, tmp_path / "s", planned=None)
    assert res.exit_code == 0, res.output
    s = table(tmp_path / "s", "scores")
    assert pd.isna(s.loc["A", "execution_rate"]) and pd.isna(s.loc["A", "points_execution"])
    assert s.loc["A", "points"] == pytest.approx(100 * (50 * 0.875 + 20 * 1 + 10 * 0.5) / 80)
    assert "预算执行率 is not scored" in res.output


def test_plan_honours_the_score_runs_floors(scoring, tmp_path):
    assert score(scoring, tmp_path / "s").exit_code == 0
    runner = CliRunner()
    before = runner.invoke(cli, ["-q", "plan", str(scoring), "--out", str(tmp_path / "p0")])
    after = runner.invoke(cli, ["-q", "plan", str(scoring), "--performance", str(tmp_path / "s"), "--out", str(tmp_path / "p1")])
    assert before.exit_code == 0 and after.exit_code == 0, after.output

    def b_stock(run):
        a = pd.read_csv(run / "allocation.csv", encoding="utf-8-sig")
        return a[(a["unit"] == "B") & (a["pool"] == "stock")].set_index("year")["amount"].to_dict()

    # B's only programme is poor value, so the plan reclaims B's stock down to its floor
    # 0.98 * 20 = 19.60 and 0.98 * 0.98 * 20 = 19.208, published to 0.01 万元: 1920.8 hundredths round to 1921
    # (the line's remainder .8 takes the hundredth its fund's total leaves), so 19.21
    assert b_stock(tmp_path / "p0") == {2021: 19.60, 2022: 19.21}
    # after the score the scored year 2021 is kept as planned (it is spent); grade D's floor applies from 2022:
    # 0.90^2 x 20 = 16.20 (the floor compounds over the plan's years with the unit's latest grade)
    assert b_stock(tmp_path / "p1") == pytest.approx({2021: 19.60, 2022: 0.90 * 0.90 * 20})
    manifest = pd.read_json(tmp_path / "p1" / "manifest.json", typ="series")
    assert any(o["path"] == "units.B.grade" and o["new"] == "D" for o in manifest["overrides"])


def test_score_against_a_plan_run_uses_its_tasks_and_money(scoring, tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["-q", "plan", str(scoring), "--out", str(tmp_path / "p")]).exit_code == 0
    tasks = runner.invoke(cli, ["tasks", str(tmp_path / "p")])
    assert tasks.exit_code == 0, tasks.output
    t = pd.read_csv(tmp_path / "p" / "tasks.csv", encoding="utf-8-sig")
    alloc = pd.read_csv(tmp_path / "p" / "allocation.csv", encoding="utf-8-sig")
    spent = alloc[alloc["year"] == 2021].groupby(["unit", "initiative"], as_index=False)["amount"].sum()
    (scoring / "plan_spending.csv").write_text(spent.assign(year=2021).to_csv(index=False), encoding="utf-8")
    res = score(scoring, tmp_path / "s", "--plan", str(tmp_path / "p"), spending="plan_spending.csv", targets=None, planned=None)
    assert res.exit_code == 0, res.output
    s = table(tmp_path / "s", "scores")
    assert s["execution_rate"].dropna().to_numpy() == pytest.approx(1.0)  # every line spent as planned
    held = t[(t["year"] == 2021) & (t["unit"] == "A") & (t["target"] > 0)]
    assert set(held["indicator"]) <= {"students", "courses"}
    floors = table(tmp_path / "s", "next_floors")
    assert floors.loc["B", "stock_basis"] == pytest.approx(19.6)  # B's planned 2021 stock, not its base
    bad = score(scoring, tmp_path / "s2", "--plan", str(tmp_path / "p"), targets=None)
    assert bad.exit_code == 2  # --planned goes with --targets only


def test_two_years_give_a_malmquist_index_per_track(scoring, tmp_path):
    for name in ("actuals.csv", "spending.csv", "targets.csv", "planned.csv"):
        frame = pd.read_csv(scoring / name)
        later = frame.assign(year=2022)
        if name == "actuals.csv":
            later["value"] = later["value"] * 2
        pd.concat([frame, later]).to_csv(scoring / name, index=False)
    res = score(scoring, tmp_path / "s")
    assert res.exit_code == 0, res.output
    m = pd.read_csv(tmp_path / "s" / "malmquist.csv", encoding="utf-8-sig")
    # the same money buys twice the output everywhere: productivity up by 2, efficiencies unchanged
    assert m["malmquist"].to_numpy() == pytest.approx([2.0] * len(m), rel=1e-6)
    assert set(m["track"]) == {"college"}  # a track of one unit has no frontier to move
    s = pd.read_csv(tmp_path / "s" / "scores.csv", encoding="utf-8-sig")
    assert sorted(s["year"].unique()) == [2021, 2022]


def test_ranks_restart_in_each_track(scoring, tmp_path):
    assert score(scoring, tmp_path / "s").exit_code == 0
    s = table(tmp_path / "s", "scores", None)
    for _, group in s.groupby(["year", "track"]):
        assert sorted(group["rank"]) == list(range(1, len(group) + 1))


def test_reordering_input_rows_changes_nothing(scoring, tmp_path):
    assert score(scoring, tmp_path / "a").exit_code == 0
    for name in ("actuals.csv", "spending.csv", "targets.csv", "planned.csv"):
        frame = pd.read_csv(scoring / name)
        frame.iloc[::-1].to_csv(scoring / name, index=False)
    assert score(scoring, tmp_path / "b").exit_code == 0
    pd.testing.assert_frame_equal(table(tmp_path / "a", "scores"), table(tmp_path / "b", "scores"))


# -- bad input ---------------------------------------------------------------------------------------------


def test_spending_on_a_line_the_scenario_lacks_is_reported_once(scoring, tmp_path):
    # an unknown initiative, an unknown unit and a line the unit may not run: one root error each, not a second
    # "the plan does not fund it" line for the same row
    edit(scoring / "spending.csv", add=["A,nonsense,2021,3", "Z,exchange,2021,3", "B,exchange,2021,3"])
    res = score(scoring, tmp_path / "s")
    assert res.exit_code == 1, res.output
    assert "Errors in the scoring inputs (3)" in res.output
    assert "does not fund" not in res.output


@pytest.mark.parametrize(
    ("file", "line", "message"),
    [
        ("spending.csv", "B,b_programme,2021,-30", r"spending.csv row 4, column amount: Input should be greater than or equal to 0"),
        ("actuals.csv", "B,nonsense,2021,3", r"actuals.csv row 7, column indicator: unknown indicator 'nonsense'"),
        ("actuals.csv", "Z,students,2021,3", r"actuals.csv row 7, column unit: unknown unit 'Z'"),
        ("spending.csv", "B,exchange,2021,3", r"spending.csv row 7, column initiative: unit 'B' may not run initiative 'exchange'"),
        ("planned.csv", "B,courses,2021,3", r"planned.csv row 7, column initiative: unit 'B' may not run initiative 'courses'"),
        (
            "spending.csv",
            "A,exchange,2022,3",
            r"spending.csv row 7, column initiative: spending on line A/exchange in 2022, which planned.csv",
        ),
    ],
)
def test_bad_input_names_file_row_and_field(scoring, tmp_path, file, line, message):
    path = scoring / file
    if "-30" in line:
        lines = path.read_text(encoding="utf-8").splitlines()
        lines[3] = line
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        edit(path, add=[line])
    res = score(scoring, tmp_path / "s")
    assert res.exit_code == 1, res.output
    assert re.search(message, res.output), res.output
    assert "Traceback" not in res.output


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "policy.scoring.weights={completion: 0, execution: 0, unit_cost: 0, timeliness: 0}",
            r"policy.scoring: weights must not all be zero",
        ),
        ("policy.scoring.thresholds={A: 60, B: 80, C: 90, D: 0}", r"policy.scoring: thresholds must fall from A .* got A 60, B 80, C 90"),
        ("policy.scoring.thresholds={A: 90, B: 80, C: 80, D: 0}", r"thresholds must fall from A"),
        ("policy.scoring.thresholds={A: 0.85, B: 0.7, C: 0.55, D: 0}", r"thresholds are points out of 100"),
        ("policy.scoring.track_shares={college: 0.7, department: 0.7}", r"track_shares must give college and department shares adding up"),
        ("policy.scoring.weights.effort=10", r"weights.effort"),
    ],
)
def test_bad_scoring_policy_is_refused(scoring, tmp_path, setting, message):
    res = score(scoring, tmp_path / "s", "--set", setting)
    assert res.exit_code == 1, res.output
    assert re.search(message, res.output), res.output


def test_unknown_department_name_is_an_input_error(bundled, tmp_path):
    copy = shutil.copytree(bundled, tmp_path / "b")
    path = copy / "indicators.csv"
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(text.replace("人事处;人才工作办公室;国际交流与合作处", "人事处;组织部;国际交流与合作处", 1), encoding="utf-8")
    res = CliRunner().invoke(cli, ["validate", str(copy)])
    assert res.exit_code == 1
    assert re.search(r"indicators.csv row 6, column departments: indicator 'foreign_faculty_ratio': '组织部' matches no unit", res.output)


def test_unit_with_outputs_but_no_spending(scoring, tmp_path):
    # B spent nothing: its students (a target it was given) may still be reported, but courses it was never
    # asked for and could not have paid for point to a missing spending row
    edit(scoring / "spending.csv", keep=lambda x: not x.startswith("B,"))
    assert score(scoring, tmp_path / "ok", planned=None).exit_code == 0
    edit(scoring / "actuals.csv", add=["B,courses,2021,2"])
    res = score(scoring, tmp_path / "s", planned=None)
    assert res.exit_code == 1
    assert "actuals.csv row 7, column unit: unit 'B' has outputs in 2021 but no spending in spending.csv and no target" in res.output


def test_a_lead_department_may_report_output_funded_elsewhere(scoring, tmp_path):
    # X leads students: 3 students funded elsewhere count for the school even in a year X spent nothing
    edit(scoring / "spending.csv", keep=lambda x: not x.startswith("X,"))
    edit(scoring / "planned.csv", keep=lambda x: not x.startswith("X,"))
    edit(scoring / "targets.csv", keep=lambda x: not x.startswith("X,"), add=["X,students,2021,3"])
    edit(scoring / "actuals.csv", keep=lambda x: not x.startswith("X,"), add=["X,students,2021,3"])
    res = score(scoring, tmp_path / "s")
    assert res.exit_code == 0, res.output
    x = table(tmp_path / "s", "scores").loc["X"]
    # school students 16 of 18, institute not due: completion 16/18 x 100 of 60/60 (completion 50 and timeliness
    # 10 apply; no planned money and no money due)
    assert x["points"] == pytest.approx(16 / 18 * 50 / 60 * 100 + 0 * 10 / 60 * 100)


def test_a_unit_that_reports_nothing_is_still_graded(scoring, tmp_path):
    # B keeps its target and its planned money but reports neither spending nor outputs
    for name in ("actuals.csv", "spending.csv"):
        edit(scoring / name, keep=lambda x: not x.startswith("B,"))
    res = score(scoring, tmp_path / "s")
    assert res.exit_code == 0, res.output
    s = table(tmp_path / "s", "scores")
    assert s.loc["B", "completion"] == 0 and s.loc["B", "execution_rate"] == 0 and s.loc["B", "points"] == 0
    assert s.loc["B", "grade"] == "D" and "no spending or outputs" in s.loc["B", "status"]


def test_money_with_a_lead_time_is_not_charged_before_its_output_is_due(scoring, tmp_path):
    # B's programme now takes a year to show results and B has no target for 2021: B is held to its execution alone
    for name in ("targets.csv", "actuals.csv"):
        edit(scoring / name, keep=lambda x: not x.startswith("B,"))
    res = score(scoring, tmp_path / "s", "--set", "initiatives.b_programme.lag=1")
    assert res.exit_code == 0, res.output
    s = table(tmp_path / "s", "scores")
    assert s.loc["B", "points"] == 100 and pd.isna(s.loc["B", "points_unit_cost"])
    assert "does not apply" in s.loc["B", "explanation"]
    dea = pd.read_csv(tmp_path / "s" / "dea.csv", encoding="utf-8-sig")
    assert "B" not in set(dea["unit"])
    assert CliRunner().invoke(cli, ["report", str(tmp_path / "s")]).exit_code == 0


def test_plan_and_targets_are_exclusive(scoring, tmp_path):
    res = score(scoring, tmp_path / "s", "--plan", str(tmp_path))
    assert res.exit_code == 2


# -- awards, grades ----------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    merits=st.dictionaries(st.sampled_from("ABCDEFGHIJ"), st.floats(0, 1), min_size=1, max_size=10),
    pool=st.floats(0.01, 10_000),
    cap_share=st.one_of(st.none(), st.floats(0.05, 1.0)),
    floor_share=st.floats(0, 0.2),
)
def test_awards_sum_to_the_pool_within_caps_and_floors(merits, pool, cap_share, floor_share):
    eligible = [u for u, m in merits.items() if m > 0]
    cap = None if cap_share is None else pool * cap_share
    floor = floor_share * pool / max(len(eligible), 1)
    try:
        fen, _, left = split_pool(pool, merits, cap_wan=cap, floor_wan=floor)
    except ScenarioError:
        assert to_fen(floor) * len(eligible) > to_fen(pool) or (cap is not None and to_fen(cap) < to_fen(floor))
        return
    if not eligible:
        assert fen == {} and left == to_fen(pool)
        return
    assert sum(fen.values()) + left == to_fen(pool)
    if cap is None or to_fen(cap) * len(eligible) > to_fen(pool):
        assert left == 0
    for f in fen.values():
        assert f >= to_fen(floor)
        if cap is not None:
            assert f <= to_fen(cap)
    ordered = sorted(eligible, key=lambda u: merits[u])
    for lo, hi in zip(ordered, ordered[1:]):
        if merits[hi] > merits[lo]:
            assert fen[hi] >= fen[lo] - 1


def test_forced_distribution_and_thresholds():
    policy = ScoringPolicy(grading="forced", distribution={"A": 0.2, "B": 0.4, "C": 0.3, "D": 0.1})
    assert forced_counts(policy, 10) == {"A": 2, "B": 4, "C": 3, "D": 1}
    assert sum(forced_counts(policy, 7).values()) == 7
    grades = assign_grades(policy, {u: s for u, s in zip("ABCDEFGHIJ", [90, 10, 50, 70, 30, 80, 20, 60, 40, 95])})
    assert grades["J"] == "A" and grades["A"] == "A" and grades["B"] == "D"
    assert ranks({"a": 50, "b": 70, "c": 50}) == {"b": 1, "a": 2, "c": 2}
    by_points = assign_grades(ScoringPolicy(), {"u": 90, "v": 89.99, "w": 60, "x": 59.99})
    assert by_points == {"u": "A", "v": "B", "w": "C", "x": "D"}


def test_dea_command(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("id,money,staff,papers\nA,10,5,8\nB,20,5,9\nC,15,10,12\nD,12,4,3\n", encoding="utf-8")
    args = ["dea", str(data), "--id", "id", "--inputs", "money,staff", "--outputs", "papers", "--model", "bcc"]
    res = CliRunner().invoke(cli, [*args, "--orientation", "output", "--super", "--out", str(tmp_path / "r.csv")])
    assert res.exit_code == 0, res.output
    out = pd.read_csv(tmp_path / "r.csv", encoding="utf-8-sig")
    assert list(out["id"]) == ["A", "B", "C", "D"]
    assert {"efficiency", "phi", "peers", "status"} <= set(out.columns)
    assert (out["efficiency"] <= 1 + 1e-9).all()
    data.write_text("id,money,staff,papers\nA,10,5,8\nB,-20,5,9\nC,15,10,12\n", encoding="utf-8")
    bad = CliRunner().invoke(cli, ["dea", str(data), "--id", "id", "--inputs", "money,staff", "--outputs", "papers"])
    assert bad.exit_code == 1
    assert "d.csv" in bad.output and "row 3" in bad.output and "money" in bad.output


def test_score_template_filled_in_scores_like_the_csv_files(scoring, tmp_path):
    import openpyxl

    book = tmp_path / "inputs.xlsx"
    res = CliRunner().invoke(cli, ["template", "--score", "--for", str(scoring), "--out", str(book)])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[:6] == ["README", "actuals", "spending", "targets", "planned", "standards"]
    assert [c.value for c in wb["actuals"][1]] == ["unit", "indicator", "year", "value"]
    assert wb["lists"].sheet_state == "hidden" and wb["actuals"].data_validations.dataValidation  # id drop-downs
    assert wb["actuals"].max_row == 2 and wb["actuals"]["A2"].font.i  # one grey italic example row, left as written
    for sheet, name in (("actuals", "actuals.csv"), ("spending", "spending.csv"), ("targets", "targets.csv"), ("planned", "planned.csv")):
        for row in pd.read_csv(scoring / name).itertuples(index=False):
            wb[sheet].append(list(row))
    wb.save(book)
    args = ["score", str(scoring), "--actuals", f"{book}#actuals", "--spending", f"{book}#spending"]
    res = CliRunner().invoke(cli, [*args, "--targets", f"{book}#targets", "--planned", f"{book}#planned", "--out", str(tmp_path / "s")])
    assert res.exit_code == 0, res.output
    assert score(scoring, tmp_path / "csv").exit_code == 0
    pd.testing.assert_frame_equal(table(tmp_path / "s", "scores"), table(tmp_path / "csv", "scores"))
    assert CliRunner().invoke(cli, ["template", "--for", str(scoring), "--out", str(tmp_path / "x.xlsx")]).exit_code == 2


def test_score_template_is_made_like_the_scenario_template(scoring, tmp_path):
    """Chinese README first, marked headers (required orange, optional grey) with comments, one example row per sheet
    that a reader skips while it is as written and reads once typed over."""
    import openpyxl

    from allocator.io.records import read_rows
    from allocator.io.score_template import SHEETS
    from allocator.io.template import OPTIONAL_FILL, REQUIRED_FILL

    book = tmp_path / "inputs.xlsx"
    assert CliRunner().invoke(cli, ["template", "--score", "--for", str(scoring), "--out", str(book)]).exit_code == 0
    wb = openpyxl.load_workbook(book)
    readme = [r[0] for r in wb["README"].iter_rows(values_only=True) if r[0]]
    assert readme[0] == "绩效评价数据填写说明" and any("必填" in str(line) for line in readme)
    table = [r for r in wb["README"].iter_rows(values_only=True) if r[1]]
    assert table[0] == ("工作表", "列", "必填", "说明")
    assert table[4][:3] == ("actuals", "value", "是") and "实际产出" in table[4][3]  # Chinese meanings, not an English table
    standards = {c.value: c for c in wb["standards"][1]}
    assert standards["indicator"].fill.fgColor.rgb.endswith(REQUIRED_FILL) and standards["unit"].fill.fgColor.rgb.endswith(OPTIONAL_FILL)
    assert standards["indicator"].comment.text.startswith("必填：") and standards["unit"].comment.text.startswith("可选：")
    for sheet, (model, _, _) in SHEETS.items():
        ws = wb[sheet]
        assert [c.value for c in ws[1]] == list(model.model_fields)
        example = [c.value for c in ws[2]]
        assert all(v is not None for v in example) and ws.max_row == 2, sheet
        assert all(c.comment is not None for c in ws[1])
        assert read_rows(f"{book}#{sheet}")[2] == [], sheet  # as written: skipped
    # typed over, the example row is data: the scoring example's first actual output
    first = pd.read_csv(scoring / "actuals.csv").iloc[0]
    for j, column in enumerate(("unit", "indicator", "year", "value"), start=1):
        wb["actuals"].cell(row=2, column=j, value=first[column].item() if hasattr(first[column], "item") else first[column])
    wb.save(book)
    rows = read_rows(f"{book}#actuals")[2]
    assert rows == [(2, {"unit": first["unit"], "indicator": first["indicator"], "year": int(first["year"]), "value": first["value"]})]
