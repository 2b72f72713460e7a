"""One reading of a table's cells for split, dea and goals: the same blank, the same number, the same reason."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from allocator.dea.table import dea_table
from allocator.errors import DataError
from allocator.goal_tables import read_goal_tables
from allocator.io.cells import check_ids, is_blank, parse_number
from allocator.split import factor_split


def test_blanks_numbers_and_ids():
    assert [is_blank(v) for v in (None, math.nan, pd.NA, "  ", "", 0, "0", "x")] == [True] * 5 + [False] * 3
    assert parse_number("12.5") == 12.5 and parse_number(3) == 3.0
    assert parse_number("1,200.5", thousands=True) == 1200.5
    for value, reason in [
        ("1,200.5", "'1,200.5' is not a number"),  # separators only where the reader allows them
        ("lots", "'lots' is not a number"),
        ("inf", "'inf' is not a finite number"),
        (math.nan, "nan is not a finite number"),
        ("1e300", "1e+300 is beyond the limit of 1,000,000,000,000"),
    ]:
        with pytest.raises(ValueError) as err:
            parse_number(value)
        assert str(err.value) == reason
    problems: list[str] = []
    assert check_ids([" A", "B", None, "A"], [2, 3, 4, 5], "unit", "t.csv", problems) == ["A", "B", "", "A"]
    assert problems == ["t.csv, row 4, column 'unit': empty id", "t.csv, row 5, column 'unit': duplicate id 'A' (first at row 2)"]


@pytest.mark.parametrize(("cell", "reason"), [("inf", "'inf' is not a finite number"), ("lots", "'lots' is not a number")])
def test_split_dea_and_goals_give_one_reason_for_one_bad_cell(tmp_path, cell, reason):
    # goals said "expected a finite number (got 'inf')" where split and dea said "'inf' is not a finite number"
    frame = pd.DataFrame({"unit": ["A", "B"], "money": ["1", cell], "papers": ["2", "3"]})
    with pytest.raises(DataError) as split_err:
        factor_split(frame, id_col="unit", amount=10.0, weight="money", source="t.csv")
    with pytest.raises(DataError) as dea_err:
        dea_table(
            frame, id_col="unit", inputs=["money"], outputs=["papers"], model="ccr", orientation="input", source="t.csv", force_small=True
        )
    goals, terms = tmp_path / "GOALS.csv", tmp_path / "TERMS.csv"
    goals.write_text(f"goal,target,priority,under_weight\ng,{cell},1,1\n", encoding="utf-8")
    terms.write_text("goal,variable,coefficient\ng,x,1\n", encoding="utf-8")
    with pytest.raises(DataError) as goals_err:
        read_goal_tables(goals, terms)
    assert f"t.csv, row 3, column 'money': {reason}" in str(split_err.value)
    assert f"t.csv, row 3, column 'money': {reason}" in str(dea_err.value)
    assert f"GOALS.csv row 2, column target: {reason}" in str(goals_err.value)
