"""allocator goals: hand-worked lexicographic goal programs (the arithmetic is in each test), modes, and bad input.

Each problem is small enough to solve with a pencil; the comments give the reasoning level by level.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from allocator.cli import cli
from allocator.goal_programming import solve_goal_program
from allocator.goal_tables import read_goal_tables
from allocator.solve import SolverSettings


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text.strip() + "\n", encoding="utf-8")
    return path


def _goals(tmp_path: Path, goals: str, terms: str, variables: str | None = None) -> tuple[Path, Path, Path | None]:
    return (
        _write(tmp_path, "GOALS.csv", goals),
        _write(tmp_path, "TERMS.csv", terms),
        _write(tmp_path, "VARS.csv", variables) if variables else None,
    )


def _run(*args) -> object:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


# --- problem A: a production plan with an overtime ceiling (over-achievement penalty) -------------------
#
# x1, x2 >= 0 units of two products.
#   P1  labour  2 x1 + x2 <= 40        (over_weight 1: overtime is penalized first)
#   P2  profit  3 x1 + 2 x2 >= 60      (under_weight 1)
#   P3  make1   x1 >= 15 (weight 3),  make2  x2 >= 15 (weight 6)
# By hand. P1: any point with 2 x1 + x2 <= 40 has no overtime, so P1 = 0 and the labour row is held.
# P2: x2 = 40 gives profit 80 >= 60, so P2 = 0 and profit >= 60 is held.
# P3: minimize 3 (15 - x1)+ + 6 (15 - x2)+ with 2 x1 + x2 <= 40. Inside x1, x2 <= 15 this is
# 135 - 3 x1 - 6 x2: maximize 3 x1 + 6 x2 over 2 x1 + x2 <= 40: x2 = 15 (its weight per hour is 6 against
# 1.5 for x1), then x1 = (40 - 15) / 2 = 12.5; P3 = 3 x 2.5 = 7.5 (profit 37.5 + 30 = 67.5 >= 60 holds).
# Going beyond x2 = 15 only takes hours from x1, so (12.5, 15) is the unique optimum.
# Weighted mode sums o_labour + u_profit + 3 u1 + 6 u2: at (15, 15) overtime is 5 and the rest 0, total 5,
# below 7.5; on 2 x1 + x2 >= 40 the sum is 95 - x1 - 5 x2, smallest at (15, 15). So the weights buy overtime.

A_GOALS = """
goal,target,priority,under_weight,over_weight
labour,40,1,0,1
profit,60,2,1,0
make1,15,3,3,0
make2,15,3,6,0
"""
A_TERMS = """
goal,variable,coefficient
labour,x1,2
labour,x2,1
profit,x1,3
profit,x2,2
make1,x1,1
make2,x2,1
"""


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_production_plan_with_an_overtime_ceiling(tmp_path, solver):
    goals, terms, _ = _goals(tmp_path, A_GOALS, A_TERMS)
    out = tmp_path / "run"
    res = _run("goals", goals, "--terms", terms, "--out", out, "--solver", solver)
    assert res.exit_code == 0, res.output
    variables = pd.read_csv(out / "variables.csv", encoding="utf-8-sig").set_index("variable")["value"]
    assert variables.to_dict() == pytest.approx({"x1": 12.5, "x2": 15.0}, abs=1e-9)
    table = pd.read_csv(out / "goals.csv", encoding="utf-8-sig").set_index("goal")
    assert table.loc["labour", ["achieved", "under", "over"]].tolist() == pytest.approx([40, 0, 0], abs=1e-9)
    assert table.loc["profit", ["achieved", "over"]].tolist() == pytest.approx([67.5, 7.5], abs=1e-9)
    assert table.loc["make1", "under"] == pytest.approx(2.5, abs=1e-9)
    levels = pd.read_csv(out / "levels.csv", encoding="utf-8-sig").set_index("priority")["achievement"]
    assert levels.to_dict() == pytest.approx({1: 0.0, 2: 0.0, 3: 7.5}, abs=1e-9)
    assert "12.5" in res.output and "levels.csv" in res.output  # the same tables are printed
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["kind"] == "goals"


def test_weighted_mode_trades_the_first_priority_for_the_third(tmp_path):
    goals, terms, _ = _goals(tmp_path, A_GOALS, A_TERMS)
    res = solve_goal_program(read_goal_tables(goals, terms), "weighted")
    assert res.variables == pytest.approx({"x1": 15.0, "x2": 15.0}, abs=1e-9)
    assert {lv.priority: lv.achievement for lv in res.levels} == pytest.approx({1: 5.0, 2: 0.0, 3: 0.0}, abs=1e-9)


def test_permuting_priorities_changes_the_solution_as_worked(tmp_path):
    # Swap: the make goals first (P1), overtime last (P3). P1 now reaches x1 = x2 = 15 (penalty 0), P2 profit
    # 75 >= 60 (0), and P3 minimizes overtime holding x1, x2 >= 15: 2 x 15 + 15 - 40 = 5 hours.
    swapped = A_GOALS.replace("labour,40,1,0,1", "labour,40,3,0,1").replace(",15,3,", ",15,1,")
    goals, terms, _ = _goals(tmp_path, swapped, A_TERMS)
    res = solve_goal_program(read_goal_tables(goals, terms))
    assert res.variables == pytest.approx({"x1": 15.0, "x2": 15.0}, abs=1e-9)
    assert {lv.priority: lv.achievement for lv in res.levels} == pytest.approx({1: 0.0, 2: 0.0, 3: 5.0}, abs=1e-9)


# --- problem B: whole people, an exact staffing goal and a budget with both deviations ------------------
#
# a, b >= 0 integers (junior and senior staff).
#   P1  staff   a + b = 10             (under 1, over 1: exactly)
#   P2  budget  4 a + 7 b = 50         (under 3, over 1: a shortfall costs three times an excess)
#   P3  senior  b >= 5                 (under 1)
# By hand. P1: a + b = 10 is reachable, held exactly, so b = 10 - a and the budget is 4a + 70 - 7a = 70 - 3a.
# P2 over integers a = 0..10: 70 - 3a = 50 needs a = 20/3. a = 7: budget 49, under 1, penalty 3 x 1 = 3;
# a = 6: budget 52, over 2, penalty 1 x 2 = 2; farther values cost more. So a = 6, b = 4, P2 = 2.
# P3: b = 4 is fixed by P1 and P2: under 1. (The LP relaxation would give a = 20/3 and P2 = 0.)

B_GOALS = """
goal,target,priority,under_weight,over_weight
staff,10,1,1,1
budget,50,2,3,1
senior,5,3,1,0
"""
B_TERMS = """
goal,variable,coefficient
staff,a,1
staff,b,1
budget,a,4
budget,b,7
senior,b,1
"""
B_VARS = """
variable,lower,upper,integer
a,0,,true
b,0,,true
"""


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_exact_goals_with_both_deviations_and_whole_people(tmp_path, solver):
    goals, terms, variables = _goals(tmp_path, B_GOALS, B_TERMS, B_VARS)
    res = solve_goal_program(read_goal_tables(goals, terms, variables), settings=SolverSettings(name=solver))
    assert res.variables == {"a": 6.0, "b": 4.0}
    by_goal = {g.goal: g for g in res.goals}
    assert (by_goal["budget"].achieved, by_goal["budget"].under, by_goal["budget"].over) == (52.0, 0.0, 2.0)
    assert [lv.achievement for lv in res.levels] == [0.0, 2.0, 1.0]
    relaxed = solve_goal_program(read_goal_tables(goals, terms))  # no VARS: continuous
    assert relaxed.variables["a"] == pytest.approx(20 / 3, abs=1e-9)
    assert [lv.achievement for lv in relaxed.levels] == pytest.approx([0.0, 0.0, 5 - 10 / 3], abs=1e-9)


# --- problem C: weights inside the first level, and no leak into it ------------------------------------
#
# x1 + x2 <= 10000 (hard). P1: x1 >= 10000 (weight 3) and x2 >= 10000 (weight 1); P2: x2 >= 5000.
# By hand. P1 = 3 (10000 - x1) + (10000 - x2) with x1 + x2 <= 10000: every unit moved to x1 saves 3 and
# costs 1, so x = (10000, 0), P1 = 10000. P2 cannot move x2 without raising P1: x2 = 0, short by 5000.

C_GOALS = """
goal,target,priority,under_weight,over_weight
money,10000,hard,0,1
first,10000,1,3,0
second,10000,1,1,0
later,5000,2,1,0
"""
C_TERMS = """
goal,variable,coefficient
money,x1,1
money,x2,1
first,x1,1
second,x2,1
later,x2,1
"""


def test_weights_inside_a_level_and_no_leak(tmp_path):
    goals, terms, _ = _goals(tmp_path, C_GOALS, C_TERMS)
    res = solve_goal_program(read_goal_tables(goals, terms))
    assert res.variables == {"x1": 10000.0, "x2": 0.0}
    first, second = res.levels
    assert (first.achievement, second.achievement) == (10000.0, 5000.0)
    # The first level alone gives the same 10000: the second level took nothing from it (to 1e-9 relative).
    alone = solve_goal_program(read_goal_tables(goals, terms).model_copy(update={"goals": read_goal_tables(goals, terms).goals[:3]}))
    assert abs(alone.levels[0].achievement - first.achievement) <= 1e-9 * first.achievement
    assert abs(first.leak) <= 1e-9 * first.optimum


# --- problem D: one goal at two levels, goals mixing several variables ---------------------------------
#
# s, f >= 0 (students and faculty funded). money = 2 s + 5 f, target 100.
#   P1  money <= 100 (over 1)
#   P2  s >= 20 (under 1), f >= 15 (under 2)
#   P3  money >= 100 (under 1: spend it all), balance s - 2 f >= 0 (under 1)
# By hand. P2 on 2 s + 5 f <= 100: taking 1 from s (penalty +1) frees 2, buying 0.4 of f (penalty -0.8),
# a net loss of 0.2, so s = 20 and f = (100 - 40) / 5 = 12: P2 = 2 x 3 = 6, the unique optimum.
# P3: money is 100 (under 0); balance 20 - 24 = -4 (under 4): P3 = 4.

D_GOALS = """
goal,target,priority,under_weight,over_weight
money,100,1,0,1
students,20,2,1,0
faculty,15,2,2,0
money,100,3,1,0
balance,0,3,1,0
"""
D_TERMS = """
goal,variable,coefficient
money,s,2
money,f,5
students,s,1
faculty,f,1
balance,s,1
balance,f,-2
"""


def test_one_goal_at_two_levels(tmp_path):
    goals, terms, _ = _goals(tmp_path, D_GOALS, D_TERMS)
    res = solve_goal_program(read_goal_tables(goals, terms))
    assert res.variables == pytest.approx({"f": 12.0, "s": 20.0}, abs=1e-9)
    assert [lv.achievement for lv in res.levels] == pytest.approx([0.0, 6.0, 4.0], abs=1e-9)
    rows = [(g.goal, g.priority, g.under, g.over) for g in res.goals]
    assert rows[0] == ("money", 1, 0.0, 0.0) and rows[3] == ("money", 3, 0.0, 0.0)
    assert rows[4] == pytest.approx(("balance", 3, 4.0, 0.0))


# --- bad input and conflicts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("goals", "terms", "expected"),
    [
        ("goal,target,priority,under_weight\ng,1,0,1", "goal,variable,coefficient\ng,x,1", "GOALS.csv row 2, column priority"),
        ("goal,target,priority,under_weight\ng,1,1.5,1", "goal,variable,coefficient\ng,x,1", "GOALS.csv row 2, column priority"),
        ("goal,target,priority,under_weight\ng,1,1,-2", "goal,variable,coefficient\ng,x,1", "GOALS.csv row 2, column under_weight"),
        ("goal,target,priority,under_weight\ng,ten,1,1", "goal,variable,coefficient\ng,x,1", "GOALS.csv row 2, column target"),
        (
            "goal,target,priority,under_weight,over_weight\ng,1,1,0,0\nh,1,1,0,0",
            "goal,variable,coefficient\ng,x,1\nh,x,1",
            "GOALS.csv row 2, column under_weight: every weight at priority 1 is 0",
        ),
        (
            "goal,target,priority,under_weight\ng,1,1,1",
            "goal,variable,coefficient\nh,x,1",
            "TERMS.csv row 2, column goal: unknown goal 'h'",
        ),
        ("goal,target,priority,under_weight\ng,1,1,1", "goal,variable,coefficient\ng,x,one", "TERMS.csv row 2, column coefficient"),
        ("goal,target,priority,sense\ng,1,1,at_least", "goal,variable,coefficient\ng,x,1", "GOALS.csv row 1: unknown column(s) sense"),
        ("goal,target,priority,under_weight\ng,1,1,1\ng,2,2,1", "goal,variable,coefficient\ng,x,1", "GOALS.csv row 3, column target"),
        # an absurd target stopped the solver (exit 4, "highs stopped with an error"): it is bad input
        ("goal,target,priority,under_weight\ng,1e300,1,1", "goal,variable,coefficient\ng,x,1", "GOALS.csv row 2, column target: 1e+300"),
        ("goal,target,priority,under_weight\ng,1,1,1", "goal,variable,coefficient\ng,x,-1e13", "TERMS.csv row 2, column coefficient"),
    ],
)
def test_bad_tables_exit_1_naming_file_row_and_column(tmp_path, goals, terms, expected):
    g, t, _ = _goals(tmp_path, goals, terms)
    res = _run("goals", g, "--terms", t)
    assert res.exit_code == 1
    assert expected in res.output


def test_unknown_variable_names_the_terms_row(tmp_path):
    g, t, v = _goals(tmp_path, "goal,target,priority,under_weight\ng,1,1,1", "goal,variable,coefficient\ng,y,1", "variable\nx")
    res = _run("goals", g, "--terms", t, "--variables", v)
    assert res.exit_code == 1
    assert "TERMS.csv row 2, column variable: unknown variable 'y' (not in VARS.csv)" in res.output
    assert "Errors in the goal tables (1)" in res.output  # not also "goal 'g' has no terms": its term is the error


def test_a_refused_variable_row_is_the_only_error(tmp_path):
    # x's bounds are inverted: that row is the root error; the terms naming x and the goals using them are not blamed
    g, t, v = _goals(
        tmp_path,
        "goal,target,priority,under_weight\ng,1,1,1\nh,2,2,1",
        "goal,variable,coefficient\ng,x,1\nh,x,2\nh,y,1",
        "variable,lower,upper,integer\nx,5,2,\ny,0,,maybe",
    )
    res = _run("goals", g, "--terms", t, "--variables", v)
    assert res.exit_code == 1
    assert "VARS.csv row 2, column lower: lower bound 5 is above upper bound 2" in res.output
    assert "VARS.csv row 3, column integer: expected true or false" in res.output
    assert "Errors in the goal tables (2)" in res.output, res.output


def test_conflicting_hard_goals_exit_3_with_the_elastic_explanation(tmp_path):
    # x + y <= 10 and x >= 15 cannot both hold: the least change is 5, on one of them.
    g, t, _ = _goals(
        tmp_path,
        "goal,target,priority,under_weight,over_weight\ncap,10,hard,0,1\nfloor,15,hard,1,0\nwant,20,1,1,0",
        "goal,variable,coefficient\ncap,x,1\ncap,y,1\nfloor,x,1\nwant,y,1",
    )
    res = _run("goals", g, "--terms", t)
    assert res.exit_code == 3
    assert "the hard goals cannot all hold together" in res.output
    assert "must give" in res.output and "by 5" in res.output
