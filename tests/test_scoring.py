"""Performance scoring: hand-worked scores, exact awards, grades, bad input, and the loop back into the plan."""

from __future__ import annotations

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


def score(folder, out, *extra, actuals="actuals.csv", spending="spending.csv", targets="targets.csv"):
    args = ["score", str(folder), "--actuals", str(folder / actuals), "--spending", str(folder / spending), "--out", str(out), *extra]
    if targets:
        args += ["--targets", str(folder / targets)]
    return CliRunner().invoke(cli, args)


def test_hand_worked_scores(scoring, tmp_path):
    res = score(scoring, tmp_path / "s")
    assert res.exit_code == 0, res.output
    s = pd.read_csv(tmp_path / "s" / "scores.csv", encoding="utf-8-sig").set_index("unit")
    expected = {  # see the header of scenarios/examples/scoring/scenario.yaml
        "A": (1.1, 0.416667, 1.764706, 1.0, 1.026471, "A", 1),
        "B": (0.65, 0.236111, 1.0, 0.566667, 0.595, "C", 4),
        "C": (1.0, 0.194444, 1.647059, 0.933333, 0.944706, "A", 2),
        "D": (0.1, 0.013889, 0.088235, 0.05, 0.073824, "D", 5),
        "E": (1.0, 0.138889, 0.882353, 0.5, 0.738235, "B", 3),
    }
    for unit, (comp, index, ce, eff, total, grade, rank) in expected.items():
        row = s.loc[unit]
        assert row["completion"] == pytest.approx(comp, abs=1e-6)
        assert row["output_index"] == pytest.approx(index, abs=1e-6)
        assert row["cost_efficiency"] == pytest.approx(ce, abs=1e-6)
        assert row["dea_efficiency"] == pytest.approx(eff, abs=1e-6)
        assert row["composite"] == pytest.approx(total, abs=1e-6)
        assert row["grade"] == grade and row["rank"] == rank
    awards = pd.read_csv(tmp_path / "s" / "awards.csv", encoding="utf-8-sig").set_index("unit")
    assert awards["award_fen"].sum() == 100 * 1_000_000
    assert awards.loc["A", "award"] == 40.0 and awards.loc["A", "limited_by"] == "cap"
    assert awards.loc["B", "award"] == pytest.approx(4.299766, abs=1e-6)
    assert awards.loc["C", "award"] == pytest.approx(37.714286, abs=1e-6)
    assert awards.loc["D", "award"] == 0
    floors = pd.read_csv(tmp_path / "s" / "next_floors.csv", encoding="utf-8-sig").set_index("unit")
    assert floors.loc["D", "floor_share"] == 0.9 and floors.loc["D", "may_reclaim"] == pytest.approx(2.0)
    dea = pd.read_csv(tmp_path / "s" / "dea.csv", encoding="utf-8-sig").set_index("unit")
    assert dea.loc["D", "phi"] == pytest.approx(20.0)
    assert "A" in dea.loc["D", "peers"]
    assert "1 Ranking" not in res.output and "College A" in res.output


def test_plan_honours_the_score_runs_floors(scoring, tmp_path):
    assert score(scoring, tmp_path / "s").exit_code == 0
    runner = CliRunner()
    before = runner.invoke(cli, ["-q", "plan", str(scoring), "--out", str(tmp_path / "p0")])
    after = runner.invoke(cli, ["-q", "plan", str(scoring), "--performance", str(tmp_path / "s"), "--out", str(tmp_path / "p1")])
    assert before.exit_code == 0 and after.exit_code == 0, after.output

    def d_stock(run):
        a = pd.read_csv(run / "allocation.csv", encoding="utf-8-sig")
        return a[(a["unit"] == "D") & (a["pool"] == "stock")].set_index("year")["amount"].to_dict()

    # D's only programme is poor value, so the plan reclaims D's stock down to its floor
    assert d_stock(tmp_path / "p0") == pytest.approx({2021: 0.98 * 20, 2022: 0.98 * 0.98 * 20})
    assert d_stock(tmp_path / "p1") == pytest.approx({2021: 0.90 * 20, 2022: 0.90 * 0.90 * 20})
    manifest = pd.read_json(tmp_path / "p1" / "manifest.json", typ="series")
    assert manifest["performance"]["run"] == str(tmp_path / "s")
    assert any(o["path"] == "units.D.grade" and o["new"] == "D" for o in manifest["overrides"])


def test_targets_from_a_plan_run(scoring, tmp_path):
    assert CliRunner().invoke(cli, ["-q", "plan", str(scoring), "--out", str(tmp_path / "p")]).exit_code == 0
    res = score(scoring, tmp_path / "s", "--plan", str(tmp_path / "p"), targets=None)
    assert res.exit_code == 0, res.output
    s = pd.read_csv(tmp_path / "s" / "scores.csv", encoding="utf-8-sig")
    assert s["completion"].notna().any()
    floors = pd.read_csv(tmp_path / "s" / "next_floors.csv", encoding="utf-8-sig").set_index("unit")
    assert floors.loc["D", "stock_basis"] == pytest.approx(19.6)  # D's planned 2021 stock, not its base


def test_two_years_give_a_malmquist_index(scoring, tmp_path):
    for name in ("actuals.csv", "spending.csv", "targets.csv"):
        frame = pd.read_csv(scoring / name)
        later = frame.assign(year=2022)
        if name == "actuals.csv":
            later["value"] = later["value"] * 1.5
        pd.concat([frame, later]).to_csv(scoring / name, index=False)
    res = score(scoring, tmp_path / "s")
    assert res.exit_code == 0, res.output
    m = pd.read_csv(tmp_path / "s" / "malmquist.csv", encoding="utf-8-sig")
    # the same money buys 1.5 times the output everywhere: productivity up by 1.5, efficiencies unchanged
    assert m["malmquist"].to_numpy() == pytest.approx([1.5] * len(m), rel=1e-6)
    assert m["efficiency_change"].to_numpy() == pytest.approx([1.0] * len(m), rel=1e-6)
    s = pd.read_csv(tmp_path / "s" / "scores.csv", encoding="utf-8-sig")
    assert sorted(s["year"].unique()) == [2021, 2022]


@pytest.mark.parametrize(
    ("file", "line", "message"),
    [
        ("spending.csv", "B,exchange,2021,-30", r"spending.csv row 4, column amount: Input should be greater than or equal to 0"),
        ("actuals.csv", "B,nonsense,2021,3", r"actuals.csv row 10, column indicator: unknown indicator 'nonsense'"),
        ("actuals.csv", "Z,students,2021,3", r"actuals.csv row 10, column unit: unknown unit 'Z'"),
    ],
)
def test_bad_input_names_file_row_and_field(scoring, tmp_path, file, line, message):
    path = scoring / file
    lines = path.read_text(encoding="utf-8").splitlines()
    if "-30" in line:
        lines[3] = line
    else:
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = score(scoring, tmp_path / "s")
    assert res.exit_code == 1, res.output
    assert __import__("re").search(message, res.output), res.output
    assert "Traceback" not in res.output


def test_unit_with_no_spending(scoring, tmp_path):
    lines = (scoring / "spending.csv").read_text(encoding="utf-8").splitlines()
    (scoring / "spending.csv").write_text("\n".join(line for line in lines if not line.startswith("E,")) + "\n", encoding="utf-8")
    res = score(scoring, tmp_path / "s")
    assert res.exit_code == 1
    assert "actuals.csv row 9, column unit: unit 'E' has outputs in 2021 but no spending in spending.csv" in res.output


def test_all_zero_spending(scoring, tmp_path):
    frame = pd.read_csv(scoring / "spending.csv").assign(amount=0)
    frame.to_csv(scoring / "spending.csv", index=False)
    res = score(scoring, tmp_path / "s")
    assert res.exit_code == 1
    assert "spending.csv, column amount: every amount in 2021 is zero" in res.output


def test_plan_and_targets_are_exclusive(scoring, tmp_path):
    res = score(scoring, tmp_path / "s", "--plan", str(tmp_path))
    assert res.exit_code == 2


# -- awards, grades --------------------------------------------------------------------------


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
    # more merit never earns less
    ordered = sorted(eligible, key=lambda u: merits[u])
    for lo, hi in zip(ordered, ordered[1:]):
        if merits[hi] > merits[lo]:
            assert fen[hi] >= fen[lo] - 1


def test_forced_distribution():
    policy = ScoringPolicy(grading="forced", distribution={"A": 0.2, "B": 0.4, "C": 0.3, "D": 0.1})
    assert forced_counts(policy, 10) == {"A": 2, "B": 4, "C": 3, "D": 1}
    assert sum(forced_counts(policy, 7).values()) == 7
    grades = assign_grades(policy, {u: s for u, s in zip("ABCDEFGHIJ", [0.9, 0.1, 0.5, 0.7, 0.3, 0.8, 0.2, 0.6, 0.4, 0.95])})
    assert grades["J"] == "A" and grades["A"] == "A" and grades["B"] == "D"
    assert ranks({"a": 0.5, "b": 0.7, "c": 0.5}) == {"b": 1, "a": 2, "c": 2}


def test_dea_command(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("id,money,staff,papers\nA,10,5,8\nB,20,5,9\nC,15,10,12\nD,12,4,3\n", encoding="utf-8")
    res = CliRunner().invoke(
        cli,
        [
            "dea",
            str(data),
            "--id",
            "id",
            "--inputs",
            "money,staff",
            "--outputs",
            "papers",
            "--model",
            "bcc",
            "--orientation",
            "output",
            "--super",
            "--out",
            str(tmp_path / "r.csv"),
        ],
    )
    assert res.exit_code == 0, res.output
    out = pd.read_csv(tmp_path / "r.csv", encoding="utf-8-sig")
    assert list(out["id"]) == ["A", "B", "C", "D"]
    assert {"efficiency", "phi", "peers", "status"} <= set(out.columns)
    assert (out["efficiency"] <= 1 + 1e-9).all()
    data.write_text("id,money,staff,papers\nA,10,5,8\nB,-20,5,9\nC,15,10,12\n", encoding="utf-8")
    bad = CliRunner().invoke(cli, ["dea", str(data), "--id", "id", "--inputs", "money,staff", "--outputs", "papers"])
    assert bad.exit_code == 1
    assert "d.csv" in bad.output and "row 3" in bad.output and "money" in bad.output


def test_money_with_a_lead_time_is_not_charged_before_its_output_is_due(scoring, tmp_path):
    # D's programme now takes a year to show results, and D has no targets for 2021: D is not assessed
    # in 2021 (no grade, no award) rather than scored 0 for money whose output is due in 2022.
    for name in ("targets.csv", "actuals.csv"):
        lines = (scoring / name).read_text(encoding="utf-8").splitlines()
        (scoring / name).write_text("\n".join(x for x in lines if not x.startswith("D,")) + "\n", encoding="utf-8")
    res = score(scoring, tmp_path / "s", "--set", "initiatives.d_programme.lag=1")
    assert res.exit_code == 0, res.output
    s = pd.read_csv(tmp_path / "s" / "scores.csv", encoding="utf-8-sig").set_index("unit")
    assert s.loc["D", "grade"] == "-" and pd.isna(s.loc["D", "composite"]) and s.loc["D", "award"] == 0
    assert "not assessed" in s.loc["D", "status"]
    assert s.loc["A", "rank"] == 1 and s.loc["B", "grade"] in "ABCD"
    floors = pd.read_csv(tmp_path / "s" / "next_floors.csv", encoding="utf-8-sig").set_index("unit")
    assert floors.loc["D", "grade"] == "B" and floors.loc["D", "floor_share"] == 0.98  # its last grade stands
    dea = pd.read_csv(tmp_path / "s" / "dea.csv", encoding="utf-8-sig")
    assert "D" not in set(dea["unit"])
    assert CliRunner().invoke(cli, ["report", str(tmp_path / "s")]).exit_code == 0


def test_bundled_scoring_runs_out_of_the_box(bundled, tmp_path):
    perf = bundled / "performance-2021"
    res = CliRunner().invoke(cli, ["score", str(bundled), "--actuals", str(perf / "actual_outputs.csv"),
                                   "--spending", str(perf / "actual_spending.csv"), "--targets", str(perf / "targets.csv"),
                                   "--out", str(tmp_path / "s")])
    assert res.exit_code == 0, res.output
    awards = pd.read_csv(tmp_path / "s" / "awards.csv", encoding="utf-8-sig")
    assert awards["award_fen"].sum() == 300 * 1_000_000  # the bundled pool, to the fen
    assert (awards["award"] <= 40 + 1e-9).all()
    scores = pd.read_csv(tmp_path / "s" / "scores.csv", encoding="utf-8-sig")
    assert set(scores["grade"]) <= set("ABCD-") and (scores["grade"] == "D").any()


def test_a_unit_that_reports_nothing_is_still_graded(scoring, tmp_path):
    # E keeps its target but reports neither spending nor outputs: completion 0, graded D (review B6)
    for name in ("actuals.csv", "spending.csv"):
        lines = (scoring / name).read_text(encoding="utf-8").splitlines()
        (scoring / name).write_text("\n".join(x for x in lines if not x.startswith("E,")) + "\n", encoding="utf-8")
    res = score(scoring, tmp_path / "s")
    assert res.exit_code == 0, res.output
    s = pd.read_csv(tmp_path / "s" / "scores.csv", encoding="utf-8-sig").set_index("unit")
    assert s.loc["E", "completion"] == 0 and s.loc["E", "grade"] == "D"
    assert "no spending or outputs" in s.loc["E", "status"]
    floors = pd.read_csv(tmp_path / "s" / "next_floors.csv", encoding="utf-8-sig").set_index("unit")
    assert floors.loc["E", "floor_share"] == 0.9
