"""dea_table: one row per DMU, and every DataError names file, spreadsheet row and column."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from allocator.dea import dea, dea_table
from allocator.dea.table import format_peers
from allocator.errors import DataError


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "college": ["A", "B", "C", "D", "E", "F", "G", "H"],
            "money": [1.2e6, 2.5e6, 0.8e6, 3.1e6, 1.9e6, 2.2e6, 1.1e6, 2.8e6],
            "faculty": [40, 85, 30, 120, 60, 75, 45, 90],
            "courses": [5, 9, 2, 14, 6, 8, 0, 10],
            "students": [30, 55, 12, 90, 41, 40, 22, 70],
        }
    )


def run(df: pd.DataFrame, **kw: object) -> pd.DataFrame:
    args = dict(
        id_col="college",
        inputs=["money", "faculty"],
        outputs=["courses", "students"],
        model="ccr",
        orientation="input",
        source="scores/dea.csv",
    )
    args.update(kw)
    return dea_table(df, **args)  # type: ignore[arg-type]


def test_columns_and_peers() -> None:
    out = run(frame(), super_efficiency=True)
    assert list(out.columns) == [
        "id",
        "efficiency",
        "slack_money",
        "slack_faculty",
        "slack_courses",
        "slack_students",
        "target_money",
        "target_faculty",
        "target_courses",
        "target_students",
        "peers",
        "rts",
        "super_efficiency",
        "super_status",
        "status",
    ]
    assert list(out["id"]) == list("ABCDEFGH")
    assert (out["status"] == "optimal").all()
    assert re.fullmatch(r"([A-H]:\d+\.\d{4};?)+", out.loc[1, "peers"])


def test_output_orientation_reports_phi_and_sbm_has_no_rts() -> None:
    out = run(frame(), orientation="output", model="bcc")
    np.testing.assert_allclose(out["efficiency"], 1.0 / out["phi"])
    sbm = run(frame(), model="sbm", orientation="non")
    assert "rts" not in sbm.columns and "phi" not in sbm.columns


def expect_error(df: pd.DataFrame, *parts: str, **kw: object) -> str:
    with pytest.raises(DataError) as err:
        run(df, **kw)
    message = str(err.value)
    assert "scores/dea.csv" in message
    for p in parts:
        assert p in message, message
    return message


def test_missing_column() -> None:
    expect_error(frame().drop(columns="faculty"), "missing column(s) 'faculty'")


def test_non_numeric_names_row_and_column() -> None:
    df = frame().astype({"money": object})
    df.loc[2, "money"] = "1,2 million"
    expect_error(df, "row 4, column 'money'", "'1,2 million' is not a number")


def test_nan_names_row_and_column() -> None:
    df = frame()
    df.loc[0, "students"] = np.nan
    expect_error(df, "row 2, column 'students'", "empty")


def test_negative_names_row_and_column() -> None:
    df = frame()
    df.loc[5, "faculty"] = -3
    expect_error(df, "row 7, column 'faculty'", "negative")


def test_absurd_magnitude_names_row_and_column() -> None:
    # 1e300 used to give every unit efficiency 0 and "slacks: unbounded" with exit 0
    df = frame().astype({"money": float})
    df.loc[0, "money"] = 1e300
    expect_error(df, "row 2, column 'money'", "1e+300 is beyond the limit of 1,000,000,000,000")


def test_duplicate_id_names_both_rows() -> None:
    df = frame()
    df.loc[6, "college"] = "B"
    expect_error(df, "row 8, column 'college'", "duplicate id 'B'", "first at row 3")


def test_all_zero_output_column() -> None:
    df = frame()
    df["courses"] = 0
    expect_error(df, "rows 2-9, column 'courses'", "zero for every DMU")


def test_all_zero_input_column() -> None:
    df = frame()
    df["money"] = 0.0
    expect_error(df, "column 'money'", "zero for every DMU")


def test_unit_without_any_input() -> None:
    df = frame()
    df.loc[3, ["money", "faculty"]] = 0
    expect_error(df, "row 5, column(s) 'money', 'faculty'", "every input is zero")


def test_too_few_dmus() -> None:
    expect_error(frame().head(4), "rows 2-5", "4 DMUs for 2 input(s) and 2 output(s)", "at least 5")


def test_all_problems_reported_together() -> None:
    df = frame().astype({"money": object})
    df.loc[0, "money"] = "n/a"
    df.loc[1, "faculty"] = -1
    message = expect_error(df, "2 problem(s)", "row 2, column 'money'", "row 3, column 'faculty'")
    assert message.count("\n- ") == 2


def test_peer_column_formats_each_dmu_like_format_peers() -> None:
    """The one-pass peer strings equal format_peers(res.peers(i)) DMU by DMU (ties included)."""
    rng = np.random.default_rng(3)
    x = rng.integers(1, 4, (30, 2)).astype(float)
    y = rng.integers(1, 4, (30, 2)).astype(float)
    df = pd.DataFrame({"u": [f"u{i}" for i in range(30)], "a": x[:, 0], "b": x[:, 1], "c": y[:, 0], "d": y[:, 1]})
    table = dea_table(df, id_col="u", inputs=["a", "b"], outputs=["c", "d"], model="bcc", orientation="input")
    res = dea(x, y, model="bcc", orientation="input", ids=df["u"])
    assert list(table["peers"]) == [format_peers(res.peers(i)) for i in range(30)]
    assert any(";" in p for p in table["peers"])
