"""The factor split (按因素法分配): hand-worked splits with and without hold-harmless, pro-rating, min/max,
exact to the fen; bad input named by file, row and column; invariants under random tables."""

from __future__ import annotations

import csv
import io
import math
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from allocator.cli import cli
from allocator.errors import DataError
from allocator.split import factor_amounts, factor_split

UNITS = pd.DataFrame({"unit": ["A", "B", "C"], "name": ["甲", "乙", "丙"], "score": [2, 3, 6], "prior": [30, 20, 40]})


def amounts(frame: pd.DataFrame) -> list[float]:
    return frame["amount"].tolist()


def test_split_by_weight_alone():
    # 100.00 by weights 2 : 3 : 6 (total 11): 18.1818..., 27.2727..., 54.5454...
    # in fen of the unit (hundredths): 1818.18, 2727.27, 5454.55 -> floors 1818 + 2727 + 5454 = 9999,
    # one hundredth left for the largest remainder (.55, C): 18.18 + 27.27 + 54.55 = 100.00
    out = factor_split(UNITS, id_col="unit", amount=100, weight="score")
    assert amounts(out) == [18.18, 27.27, 54.55]
    assert out["recommendation"].tolist() == pytest.approx([200 / 11, 300 / 11, 600 / 11])
    assert out["percent_funded"].tolist() == pytest.approx([18.18 / (200 / 11), 27.27 / (300 / 11), 54.55 / (600 / 11)])
    assert out["limited_by"].tolist() == ["", "", ""]
    assert list(out.columns[:4]) == ["unit", "name", "score", "prior"]  # the table's own columns first


def test_split_with_hold_harmless():
    # stop-loss 0 (hold harmless): nobody below last year's 30, 20, 40 (protected total 90 <= 100).
    # A's share 18.18 < 30: A gets 30. The 70 left are shared by B and C 3 : 6: 23.333... and 46.666...;
    # both are above their priors (20, 40), so nobody else is held. Money per unit of weight: 70 / 9.
    # Hundredths 3000 + 2333.33 + 4666.67: floors 9999, the one left goes to C (.67): 30.00 + 23.33 + 46.67.
    out = factor_split(UNITS, id_col="unit", amount=100, weight="score", prior="prior", stop_loss=0)
    assert amounts(out) == [30.00, 23.33, 46.67]
    assert out["limited_by"].tolist() == ["protected", "", ""]
    assert out["percent_funded"].iloc[0] == pytest.approx(30 / (200 / 11))  # 1.65: funded above its formula share
    assert out.attrs["split"]["per_weight"] == pytest.approx(70 / 9)


def test_split_with_a_stop_loss_that_binds_two_rows():
    # C's prior is 50 (protected 50 x (1 - 0) = 50): after A's 30, B and C would get 23.33 and 46.67, but C may
    # not fall below 50, so C gets 50 and B the rest, 100 - 30 - 50 = 20, exactly its protected prior.
    frame = UNITS.assign(prior=[30, 20, 50])
    out = factor_split(frame, id_col="unit", amount=100, weight="score", prior="prior", stop_loss=0)
    assert amounts(out) == [30.00, 20.00, 50.00]
    # with a 10% stop-loss the floors are 27, 18 and 45: A's 18.18 < 27 -> 27; B and C share 73 by 3 : 6:
    # 24.333... and 48.666..., above 18 and 45; hundredths 2700 + 2433.33 + 4866.67 -> C takes the one left
    out = factor_split(frame, id_col="unit", amount=100, weight="score", prior="prior", stop_loss=0.1)
    assert amounts(out) == [27.00, 24.33, 48.67]
    assert out["limited_by"].tolist() == ["protected", "", ""]


def test_split_pro_rates_when_the_amount_is_below_the_protected_total():
    # hold harmless would need 30 + 20 + 40 = 90, but only 80 is there: every protected amount is pro-rated
    # by 80 / 90: 26.666..., 17.777..., 35.555...; hundredths 2666.67 + 1777.78 + 3555.56: floors 7998,
    # the 2 left go to the largest remainders .78 (B) and .67 (A): 26.67 + 17.78 + 35.55 = 80.00
    out = factor_split(UNITS, id_col="unit", amount=80, weight="score", prior="prior", stop_loss=0)
    assert amounts(out) == [26.67, 17.78, 35.55]
    assert out["limited_by"].tolist() == ["pro-rated"] * 3
    assert out.attrs["split"]["case"] == "pro-rated"


def test_split_with_min_and_max():
    # four equal weights share 100: 25 each; A may have at most 10, D needs at least 40.
    # A at 10 and D at 40 leave 50 for B and C: 25 each (25 is between their bounds, so nobody else moves)
    frame = pd.DataFrame({"id": list("ABCD"), "w": [1, 1, 1, 1], "lo": [None, None, None, 40], "hi": [10, None, None, None]})
    out = factor_split(frame, id_col="id", amount=100, weight="w", minimum="lo", maximum="hi")
    assert amounts(out) == [10.00, 25.00, 25.00, 40.00]
    assert out["limited_by"].tolist() == ["max", "", "", "min"]


def test_a_row_without_weight_gets_only_its_floor():
    # Z has weight 0 but a prior of 10 and hold harmless: it keeps 10; A and B share the other 90 by 1 : 2
    frame = pd.DataFrame({"id": ["A", "B", "Z"], "w": [1, 2, 0], "prior": [0, 0, 10]})
    out = factor_split(frame, id_col="id", amount=100, weight="w", prior="prior", stop_loss=0)
    assert amounts(out) == [30.00, 60.00, 10.00]
    assert math.isnan(out["percent_funded"].iloc[2])  # no recommendation to compare with


def test_whole_yuan_and_ties_by_id():
    # 100 元 in thirds with --decimals 0: 33.33 each; floors 99, the one left goes to the first id in sorted order
    frame = pd.DataFrame({"id": ["c", "a", "b"], "w": [1, 1, 1]})
    out = factor_split(frame, id_col="id", amount=100, weight="w", decimals=0)
    assert amounts(out) == [33, 34, 33]


@pytest.mark.parametrize(
    ("change", "kwargs", "message"),
    [
        ({"score": [0, 0, 0]}, {}, "column 'score': the weights sum to 0"),
        ({"score": [2, -3, 6]}, {}, "row 3, column 'score': negative value"),
        ({"score": [2, "lots", 6]}, {}, "row 3, column 'score': 'lots' is not a number"),
        ({"score": [2, None, 6]}, {}, "row 3, column 'score': empty"),
        ({}, {"prior": "prior", "stop_loss": 1.5}, "stop-loss 1.5 is outside [0, 1]"),
        ({}, {"prior": "prior", "stop_loss": -0.1}, "stop-loss -0.1 is outside [0, 1]"),
        ({}, {"weight": "weights"}, "no column 'weights' (--weight)"),
        ({"lo": [5, 50, 1], "hi": [10, 40, 2]}, {"minimum": "lo", "maximum": "hi"}, "row 3, columns 'lo' and 'hi': min 50 is above max 40"),
        (
            {"hi": [10, 40, 40]},
            {"maximum": "hi", "prior": "prior", "stop_loss": 0},
            "row 2, columns 'prior' and 'hi': the protected amount 30",
        ),
        ({"unit": ["A", "A", "C"]}, {}, "row 3, column 'unit': duplicate id 'A' (first at row 2)"),
        ({"amount": [1, 2, 3]}, {}, "already has column(s) 'amount'"),
        ({}, {"amount": 100.005}, "more than 2 decimals"),
        ({"hi": [10, 10, 10]}, {"maximum": "hi"}, "at most 30.00"),
        # beyond 10^15 quanta a float no longer holds every quantum exactly (1e17 gave 'column None: a total of
        # 10000000000000000000 quanta cannot be reached'); absurd cells are refused like any other number
        ({}, {"amount": 1e17}, "too large to split exactly to 0.01: at most 10,000,000,000,000.00"),
        ({}, {"amount": 2e10, "decimals": 6}, "at most 1,000,000,000.000000"),
        ({"score": [2, 1e300, 6]}, {}, "row 3, column 'score': 1e+300 is beyond the limit"),
    ],
)
def test_bad_input_names_file_row_and_column(change, kwargs, message):
    frame = UNITS.assign(**change)
    args = {"id_col": "unit", "amount": 100, "weight": "score", "source": "units.csv", **kwargs}
    with pytest.raises(DataError, match="units.csv") as err:
        factor_split(frame, **args)
    assert message in str(err.value)


def test_cli_writes_the_table_exact_to_the_fen(tmp_path):
    table = tmp_path / "units.csv"
    # a blank line in the file: rows keep their line numbers in errors and the split ignores it
    table.write_text("unit,name,score,prior\nA,甲,2,30\n\nB,乙,3,20\nC,丙,6,40\n", encoding="utf-8")
    out = tmp_path / "split.csv"
    args = ["split", str(table), "--id", "unit", "--amount", "100", "--weight", "score", "--prior", "prior", "--stop-loss", "0"]
    res = CliRunner().invoke(cli, [*args, "--out", str(out), "--lang", "en"])  # Chinese by default, as every command
    assert res.exit_code == 0, res.output
    assert "hold harmless" in res.output and "sum to exactly 100.00" in res.output  # the rule is printed
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["amount"] for r in rows] == ["30.00", "23.33", "46.67"]
    assert sum(Decimal(r["amount"]) for r in rows) == Decimal("100.00")
    assert list(rows[0]) == ["unit", "name", "score", "prior", "recommendation", "amount", "percent_funded", "limited_by"]
    assert CliRunner().invoke(cli, [*args, "--out", str(out)]).exit_code == 1  # never clobbers an earlier output
    # printed without --out, the table is the one written: amounts to the fen, ratios rounded (by weight alone
    # 18.18 / 18.1818... was printed as 0.9998999999999999)
    printed = CliRunner().invoke(cli, args[:-4]).output
    printed_rows = list(csv.DictReader(printed[printed.index("unit,name") :].splitlines()))
    assert [(r["amount"], r["percent_funded"]) for r in printed_rows] == [
        ("18.18", "0.9999"),
        ("27.27", "0.9999"),
        ("54.55", "1.000083333"),
    ]


def test_cli_bad_input_exits_1_naming_the_cell(tmp_path):
    table = tmp_path / "units.csv"
    table.write_text("unit,score\nA,2\n\nB,x\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["split", str(table), "--id", "unit", "--amount", "100", "--weight", "score"])
    assert res.exit_code == 1
    assert "units.csv, row 4, column 'score': 'x' is not a number" in res.output
    res = CliRunner().invoke(cli, ["split", str(table), "--id", "unit", "--amount", "100", "--weight", "score", "--prior", "score"])
    assert res.exit_code == 2  # --prior without --stop-loss is a usage error


weights = st.lists(st.integers(0, 1000), min_size=1, max_size=12).filter(lambda w: sum(w) > 0)


@settings(max_examples=200, deadline=None)
@given(weights, st.integers(0, 10**7), st.data())
def test_amounts_sum_exactly_and_respect_floors_and_caps(w, fen, data):
    amount = fen / 100
    n = len(w)
    prior = data.draw(st.lists(st.integers(0, 10**6), min_size=n, max_size=n))
    stop = data.draw(st.sampled_from([0.0, 0.1, 0.25, 1.0]))
    prior_wan = [p / 100 for p in prior]
    split = factor_amounts(w, amount, prior=prior_wan, stop_loss=stop, keys=[f"r{j:02d}" for j in range(n)])
    assert sum(split.quanta) == fen  # exact to the fen
    floors = [(1 - stop) * p for p in prior_wan]
    paid_up = [math.ceil(f * 100 - 1e-6) for f in floors]  # protection is paid in whole fen, rounded up
    if split.case == "shared":
        for q, f in zip(split.quanta, paid_up):
            assert q >= f  # nobody below its protected amount
    else:
        assert amount < sum(floors) or fen < sum(paid_up)
    # Each amount is within a fen of its exact share, but for the fen that floors off the grid take when paid up.
    lift = sum(1 for f, u in zip(floors, paid_up) if u > f * 100 + 1e-6)
    for q, x in zip(split.quanta, split.exact):
        assert abs(q - x * 100) < 1 + lift


@given(weights, st.integers(1, 10**6))
def test_more_weight_never_means_less_money(w, fen):
    split = factor_amounts(w, fen / 100, keys=[f"r{j:02d}" for j in range(len(w))])
    for a in range(len(w)):
        for b in range(len(w)):
            if w[a] > w[b]:
                assert split.quanta[a] >= split.quanta[b]


def test_the_worked_example_in_the_docs_is_what_the_split_gives():
    page = (Path(__file__).resolve().parent.parent / "docs" / "split.md").read_text(encoding="utf-8")
    table = page.split("```csv\n", 1)[1].split("```", 1)[0]
    frame = pd.read_csv(io.StringIO(table))
    runs = {
        "by weight, 100": {"amount": 100},
        "hold harmless, 100": {"amount": 100, "prior": "last_year", "stop_loss": 0},
        "hold harmless, 80": {"amount": 80, "prior": "last_year", "stop_loss": 0},
    }
    for label, kwargs in runs.items():
        row = next(line for line in page.splitlines() if line.startswith(f"| {label} |"))
        shown = [Decimal(c.strip()) for c in row.strip("|").split("|")[1:]]
        out = factor_split(frame, id_col="unit", weight="score", **kwargs)
        got = [Decimal(f"{a:.2f}") for a in out["amount"]]
        assert shown == [*got, sum(got)], label
    split = factor_amounts([2, 3, 6], 100.0, prior=[30, 20, 40], stop_loss=0.0, keys=["A", "B", "C"])
    assert split.quanta == (3000, 2333, 4667) and "(3000, 2333, 4667)" in page
