"""Lines, commitments, locks and execution from the command line: bad input exits 1 naming file, row and field;
conflicts with the budget exit 3 naming the lock or the commitment; a lock holds exactly and the rest re-solves."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

from allocator.cli import cli


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: object):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def floors(examples, tmp_path):
    """floors_and_gaps.yaml in a folder of its own, so tables can be added beside it as CSV files."""
    folder = tmp_path / "floors"
    folder.mkdir()
    shutil.copy(examples / "floors_and_gaps.yaml", folder / "scenario.yaml")
    return folder


def write(folder, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def test_commitment_on_a_line_the_unit_may_not_run(run, floors):
    write(floors, "commitments.csv", "unit,initiative,year,amount,reason\nD,english_courses,2021,5,signed\n")
    res = run("validate", floors)
    assert res.exit_code == 1
    assert "commitments.csv row 2, column unit" in res.output and "unit 'D' may not run 'english_courses'" in res.output


def test_commitment_above_the_initiative_cap(run, floors):
    write(floors, "commitments.csv", "unit,initiative,year,amount,reason\nA,english_courses,2021,8,enrolled cohort\n")
    res = run("validate", floors, "--set", "initiatives.english_courses.max_funding=5")
    assert res.exit_code == 1
    assert "commitments.csv row 2, column amount" in res.output and "exceed the initiative's max_funding 5" in res.output


def test_phase_out_schedule_longer_than_the_plan(run, floors):
    write(floors, "lines.csv", "unit,initiative,phase_out,schedule,reason\nD,teacher_visits,true,0.5;0.3;0.1,merged\n")
    res = run("validate", floors)
    assert res.exit_code == 1
    assert "lines.csv row 2, column schedule" in res.output and "longer than the plan (2)" in res.output


def test_lock_on_an_unknown_line_and_a_malformed_lock(run, floors):
    res = run("validate", floors, "--lock", "D.english_courses.2021=5")
    assert res.exit_code == 1 and "--lock D.english_courses.2021=5" in res.output and "may not run" in res.output
    res = run("validate", floors, "--lock", "A.english_courses=5")
    assert res.exit_code == 1 and "expected UNIT.INITIATIVE.YEAR=AMOUNT" in res.output


def test_commitments_the_budget_cannot_pay_exit_3_naming_them(run, floors, tmp_path):
    # 120 a year: D's floor (36) and a commitment of 100 to A's courses do not fit in 2021 (targets are soft, so the
    # institute would merely be given up; the floor and the commitment are hard): 16 short
    write(floors, "commitments.csv", "unit,initiative,year,amount,reason\nA,english_courses,2021,100,signed\n")
    res = run("plan", floors, "--no-marginals", "--out", tmp_path / "p")
    assert res.exit_code == 3
    assert "commitment A.english_courses 2021 cannot be paid: short by 16" in res.output


def test_a_lock_the_budget_cannot_pay_exits_3_naming_it(run, floors, tmp_path):
    res = run("plan", floors, "--no-marginals", "--lock", "A.english_courses.2021=500", "--out", tmp_path / "p")
    assert res.exit_code == 3
    assert "lock A.english_courses 2021 cannot hold" in res.output


def test_execution_from_a_table_and_from_score_inputs(run, floors, tmp_path):
    # D spent 16 of its 40 in 2020 (40%): below 80%, its idle 24 is reclaimed at once, so D's floor falls from
    # 0.9 * 40 = 36 to 0.9 * 16 = 14.4 and D keeps only that in 2021 (its visits count in 2022 only)
    policy = ["--set", "policy.lines.reclaim_below=0.8"]
    table = tmp_path / "exe.csv"
    table.write_text("unit,initiative,year,planned,actual\nD,teacher_visits,2020,40,16\n", encoding="utf-8")
    res = run("plan", floors, "--no-marginals", *policy, "--execution", table, "--out", tmp_path / "a")
    assert res.exit_code == 0, res.output
    alloc = pd.read_csv(tmp_path / "a" / "allocation.csv", encoding="utf-8-sig")
    assert alloc[(alloc.unit == "D") & (alloc.year == 2021)]["amount"].sum() == pytest.approx(14.4)
    reclaim = pd.read_csv(tmp_path / "a" / "reclaim.csv", encoding="utf-8-sig")
    first = reclaim[(reclaim.unit == "D") & (reclaim.year == 2021)].iloc[0]
    assert first["rule"] == "execution" and first["execution_rate"] == pytest.approx(0.4) and first["reclaimed"] == pytest.approx(25.6)
    # the same from a folder of score inputs: actual spending against last year's base
    inputs = tmp_path / "perf"
    inputs.mkdir()
    (inputs / "actual_spending.csv").write_text("unit,initiative,year,amount\nD,teacher_visits,2020,16\n", encoding="utf-8")
    res = run("plan", floors, "--no-marginals", *policy, "--execution", inputs, "--out", tmp_path / "b")
    assert res.exit_code == 0, res.output
    again = pd.read_csv(tmp_path / "b" / "allocation.csv", encoding="utf-8-sig")
    assert again[(again.unit == "D") & (again.year == 2021)]["amount"].sum() == pytest.approx(14.4)
    # spending of another year is refused, naming the file, row and field
    (inputs / "actual_spending.csv").write_text("unit,initiative,year,amount\nD,teacher_visits,2021,16\n", encoding="utf-8")
    res = run("validate", floors, "--execution", inputs)
    assert res.exit_code == 1 and "actual_spending.csv row 2, column year" in res.output


def test_lock_on_a_bundled_line_holds_exactly(run, bundled, tmp_path):
    # mech's graduate joint training line (base 15): locked at 21 in 2022, the rest of the plan re-solves around it
    res = run("plan", bundled, "--no-marginals", "--lock", "mech.grad_joint_training.2022=21", "--out", tmp_path / "p")
    assert res.exit_code == 0, res.output
    alloc = pd.read_csv(tmp_path / "p" / "allocation.csv", encoding="utf-8-sig")
    line = alloc[(alloc.unit == "mech") & (alloc.initiative == "grad_joint_training") & (alloc.year == 2022)]
    assert round(line["amount"].sum(), 2) == 21.00
    budget = pd.read_csv(tmp_path / "p" / "budget.csv", encoding="utf-8-sig")
    assert round(alloc["amount"].sum(), 2) == round(budget["allocated"].sum(), 2)


def test_a_floor_above_what_capacity_lets_the_line_take_is_bad_input(run, floors):
    # D's teacher visits: base 40, fall limit 10% -> at least 36 in 2021 and 32.4 in 2022. Capacity 5 visits a year at
    # 4 each lets the line take 20, plus the 8 committed in 2021: 28 < 36 and 20 < 32.4, infeasible whatever the
    # budget. Capacity 8.1 (32.4 in 2022, 8 + 32.4 in 2021) fits exactly and plans.
    write(floors, "lines.csv", "unit,initiative,down_share,reason\nD,teacher_visits,0.1,keep\n")
    write(floors, "commitments.csv", "unit,initiative,year,amount,reason\nD,teacher_visits,2021,8,signed\n")
    res = run("validate", floors, "--set", "initiatives.teacher_visits.capacity=5")
    assert res.exit_code == 1
    assert "field initiatives.teacher_visits.capacity" in res.output
    fall = "(fall limit 10% a year from base 40) but can take at most"
    assert f"2021: needs 36 {fall} 28 (its commitment 8 + capacity 5 x unit cost 4)" in res.output
    assert f"2022: needs 32.4 {fall} 20 (capacity 5 x unit cost 4)" in res.output
    assert run("validate", floors, "--set", "initiatives.teacher_visits.capacity=8.1").exit_code == 0
    assert run("validate", floors, "--set", "initiatives.teacher_visits.capacity=8").exit_code == 1


def test_a_lock_above_what_capacity_lets_the_line_take_is_bad_input(run, floors):
    # capacity 4 courses at 10 each: the line takes at most 40, so a lock of 50 can never hold; 40 can
    res = run("validate", floors, "--set", "initiatives.english_courses.capacity=4", "--lock", "A.english_courses.2021=50")
    assert res.exit_code == 1
    assert "--lock A.english_courses.2021=50" in res.output
    assert "lock 50 on A.english_courses in 2021 is above the 40 the line can take" in res.output
    assert run("validate", floors, "--set", "initiatives.english_courses.capacity=4", "--lock", "A.english_courses.2021=40").exit_code == 0


def test_bundled_must_fund_floor_above_capacity_exits_1_naming_capacity_and_commitment(run, bundled, tmp_path):
    # overseas_youth_talent: unit cost 60 paid over 3 years (20 a year per person); must-fund floor 0.8 x base 60 = 48.
    # Capacity 0.5 a year: 2021 takes the commitment 40 + 0.5 x 20 = 50 >= 48 (fits); 2022 the commitment 20 +
    # 0.5 x 20 x 2 cohorts = 40 < 48; 2023-2025 0.5 x 20 x 3 cohorts = 30 < 48. Was: validate 0, plan 3 with 20 rows.
    args = ("--set", "initiatives.overseas_youth_talent.capacity=0.5")
    res = run("--lang", "en", "validate", bundled, *args)
    assert res.exit_code == 1, res.output
    assert "field initiatives.overseas_youth_talent.capacity" in res.output
    assert "2022: needs 48 (must-fund floor 48" in res.output
    assert "can take at most 40 (its commitment 20 + capacity 0.5 x 20 a year for each of 2 cohort(s))" in res.output
    assert "2023-2025: needs 48 (must-fund floor 48" in res.output
    assert "at most 30 (capacity 0.5 x 20 a year for each of 3 cohort(s))" in res.output
    assert "2021:" not in res.output
    for unit in ("chem_eng", "mech", "info_eng", "cs", "pharm"):
        assert f"{unit}.overseas_youth_talent" in res.output
    assert run("plan", bundled, *args, "--no-marginals", "--out", tmp_path / "p").exit_code == 1
