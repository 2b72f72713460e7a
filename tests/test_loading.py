"""Scenario files: the folder, workbook and JSON forms round-trip, and bad input names its file, row and column."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from allocator import DataError, OverrideError, ScenarioError, load, load_scenario
from allocator.io.scenario_files import write_scenario_folder, write_scenario_workbook


@pytest.fixture
def folder(tmp_path, examples) -> Path:
    """The floors example written as a CSV folder."""
    return write_scenario_folder(load_scenario(examples / "floors_and_gaps.yaml"), tmp_path / "sc")


def _edit_csv(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` counts like a spreadsheet (header = 1)."""
    with path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index(column)
    rows[row - 1][col] = value
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)


def test_folder_workbook_json_round_trip(tmp_path, examples):
    for name in ("two_programmes", "floors_and_gaps", "restricted_fund"):
        original = load_scenario(examples / f"{name}.yaml")
        folder = write_scenario_folder(original, tmp_path / name)
        book = write_scenario_workbook(original, tmp_path / f"{name}.xlsx")
        js = tmp_path / f"{name}.json"
        js.write_text(original.model_dump_json(), encoding="utf-8")
        assert load_scenario(folder) == original
        assert load_scenario(book) == original
        assert load_scenario(js) == original
        # and back again from the workbook to a folder
        assert load_scenario(write_scenario_folder(load_scenario(book), tmp_path / f"{name}-again")) == original


def test_bad_cell_names_file_row_and_column(folder):
    _edit_csv(folder / "indicators.csv", 3, "target_year", "20x5")
    with pytest.raises(DataError) as err:
        load(folder)
    text = str(err.value)
    assert "indicators.csv row 3, column target_year" in text
    assert "20x5" in text


def test_every_bad_cell_is_reported_at_once(folder):
    _edit_csv(folder / "indicators.csv", 2, "weight", "-1")
    _edit_csv(folder / "initiatives.csv", 3, "unit_cost", "0")
    with pytest.raises(DataError) as err:
        load(folder)
    text = str(err.value)
    assert "indicators.csv row 2, column weight" in text
    assert "initiatives.csv row 3, column unit_cost" in text
    assert "(2)" in text.splitlines()[0]


def test_unknown_column_is_an_error(folder):
    text = (folder / "units.csv").read_text(encoding="utf-8-sig").replace("grade", "grad", 1)
    (folder / "units.csv").write_text(text, encoding="utf-8-sig")
    with pytest.raises(DataError, match=r"units.csv row 1: unknown column\(s\) grad"):
        load(folder)


def test_duplicate_key_names_both_rows(folder):
    lines = (folder / "units.csv").read_text(encoding="utf-8-sig").splitlines()
    (folder / "units.csv").write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8-sig")
    with pytest.raises(DataError, match=r"units.csv row 4, column key: duplicate key A \(first on row 2\)"):
        load(folder)


def test_unknown_reference_in_child_table(folder):
    _edit_csv(folder / "effects.csv", 2, "indicator", "nonexistent")
    with pytest.raises(DataError, match=r"effects.csv row 2, column indicator: unknown indicator 'nonexistent'"):
        load(folder)


def test_cross_record_problem_names_the_row(folder):
    # unit D may not run english_courses, so a base allocation for it is an error at that row
    _edit_csv(folder / "base_allocations.csv", 3, "initiative", "english_courses")
    with pytest.raises(
        ScenarioError,
        match=(
            r"base_allocations.csv row 3, column amount: unit 'D' has a base allocation for initiative "
            r"'english_courses', which it may not run"
        ),
    ):
        load(folder)


def test_missing_budget_year(folder):
    lines = (folder / "budget.csv").read_text(encoding="utf-8-sig").splitlines()
    (folder / "budget.csv").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8-sig")
    with pytest.raises(ScenarioError, match=r"budget stock gives no amount for year\(s\) \[2022\]"):
        load(folder)


def test_blank_required_cell(folder):
    _edit_csv(folder / "indicators.csv", 2, "kind", "")
    with pytest.raises(DataError, match=r"indicators.csv row 2, column kind: required value missing"):
        load(folder)


def test_gbk_csv_is_read(folder):
    text = (folder / "units.csv").read_text(encoding="utf-8-sig")
    (folder / "units.csv").write_bytes(text.encode("gb18030"))
    assert load_scenario(folder).units["A"].name_zh == "甲学院"


def test_workbook_error_names_sheet(tmp_path, examples):
    book = write_scenario_workbook(load_scenario(examples / "two_programmes.yaml"), tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["initiatives"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("unit_cost") + 1, value="cheap")
    wb.save(book)
    with pytest.raises(DataError, match=r"b.xlsx sheet initiatives row 2, column unit_cost"):
        load(book)


def test_workbook_misspelled_header(tmp_path, examples):
    book = write_scenario_workbook(load_scenario(examples / "two_programmes.yaml"), tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["indicators"].cell(row=1, column=2, value="nmae_zh")
    wb.save(book)
    with pytest.raises(DataError, match=r"sheet indicators row 1: unknown column\(s\) nmae_zh"):
        load(book)


def test_yaml_typo_is_rejected(tmp_path, examples):
    text = (examples / "two_programmes.yaml").read_text(encoding="utf-8").replace("end_year:", "end_yeer:")
    p = tmp_path / "s.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="end_yeer"):
        load(p)


def test_missing_path():
    with pytest.raises(DataError, match="no such file or folder"):
        load("does/not/exist")


# -- overrides ------------------------------------------------------------------------------


def test_overrides_apply_and_are_listed(examples):
    loaded = load(
        examples / "floors_and_gaps.yaml",
        sets=["budget.increment.2022=50", "initiatives.english_courses.unit_cost*=1.5", "policy.floors.C=0.9"],
    )
    sc = loaded.scenario
    assert sc.budget.increment[2022] == 50
    assert sc.initiatives["english_courses"].unit_cost == pytest.approx(15.0)
    assert sc.policy.floors["C"] == 0.9
    assert [a["path"] for a in loaded.applied] == ["budget.increment.2022", "initiatives.english_courses.unit_cost", "policy.floors.C"]
    assert loaded.applied[1]["old"] == 10 and loaded.applied[1]["new"] == pytest.approx(15.0)


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        (
            ["budget.incremnt.2022=50"],
            r"--set budget.incremnt.2022=50: unknown path 'budget.incremnt.2022': 'incremnt' is not a field of budget",
        ),
        (["indicators.nope.target=3"], r"unknown path 'indicators.nope.target': no 'nope' in indicators"),
        (["initiatives.english_courses.unit_cost*=abc"], r"factor 'abc' is not a number"),
        (["budget.increment.2022=50", "budget.increment.2022=60"], r"conflicting overrides of 'budget.increment.2022'"),
        (["policy=3", "policy.floors.A=1"], r"conflicting overrides of 'policy.floors.A'"),
        (["budget.increment.2022"], r"expected PATH=VALUE"),
    ],
)
def test_bad_overrides_name_the_override(examples, sets, message):
    with pytest.raises(OverrideError, match=message):
        load(examples / "floors_and_gaps.yaml", sets=sets)


def test_override_with_wrong_type_names_the_override(examples):
    with pytest.raises(DataError, match=r"--set budget.increment.2022=lots, field budget.increment.2022: Input should be a valid number"):
        load(examples / "floors_and_gaps.yaml", sets=["budget.increment.2022=lots"])


def test_override_file_and_named_scenarios(tmp_path, examples):
    ov = tmp_path / "ov.yaml"
    ov.write_text("budget:\n  increment:\n    2021: 5\ninitiatives.english_courses.unit_cost*: 2\n", encoding="utf-8")
    sc = load(examples / "floors_and_gaps.yaml", override_files=[ov]).scenario
    assert sc.budget.increment[2021] == 5
    assert sc.initiatives["english_courses"].unit_cost == 20
    text = (examples / "floors_and_gaps.yaml").read_text(encoding="utf-8")
    text += (
        "overrides:\n  lean: {budget.increment.2021: 0, budget.increment.2022: 0}\nscenarios:\n  austerity: [lean, 'policy.floors.D=0.8']\n"
    )
    p = tmp_path / "s.yaml"
    p.write_text(text, encoding="utf-8")
    loaded = load(p, scenario_names="austerity")
    assert loaded.scenario.budget.increment == {2021: 0, 2022: 0}
    assert loaded.scenario.policy.floors["D"] == 0.8
    assert len(loaded.applied) == 3
    with pytest.raises(OverrideError, match=r"no such named scenario .* \(known: austerity\)"):
        load(p, scenario_names="boom")
    with pytest.raises(OverrideError, match="conflicting overrides"):
        load(p, scenario_names="austerity", sets=["budget.increment.2021=7"])


def test_named_scenarios_compose_in_order_and_a_later_edit_of_a_key_wins(tmp_path, examples):
    text = (examples / "floors_and_gaps.yaml").read_text(encoding="utf-8")
    text += (
        "overrides:\n  lean: {budget.increment.2021: 0, budget.increment.2022: 0}\n"
        "scenarios:\n  austerity: [lean, 'policy.floors.D=0.8']\n  half_2021: ['budget.increment.2021*=0.5']\n"
    )
    p = tmp_path / "s.yaml"
    p.write_text(text, encoding="utf-8")
    # half_2021 comes later: its edit replaces lean's 2021 edit (20 * 0.5 = 10; it scales the file's value, not lean's 0)
    loaded = load(p, scenario_names=["austerity", "half_2021"])
    assert loaded.scenario.budget.increment == {2021: 10, 2022: 0}
    assert loaded.scenario.policy.floors["D"] == 0.8
    assert loaded.named_scenarios == ("austerity", "half_2021")
    assert loaded.named_scenario == "austerity + half_2021"
    assert sorted(a["origin"].split(" ")[1] for a in loaded.applied) == ["'austerity'", "'austerity'", "'half_2021'"]
    # the other order: austerity's lean sets 2021 to 0 last
    assert load(p, scenario_names=["half_2021", "austerity"]).scenario.budget.increment == {2021: 0, 2022: 0}
    assert load(p, scenario_names="austerity").named_scenario == "austerity"
    assert load(p).named_scenario is None
    with pytest.raises(OverrideError, match=r"--scenario boom: no such named scenario"):
        load(p, scenario_names=["austerity", "boom"])


def test_blank_and_comma_only_rows_are_skipped_but_keep_numbering(folder):
    text = (folder / "indicators.csv").read_text(encoding="utf-8-sig").splitlines()
    commas = "," * (len(text[0].split(",")) - 1)
    (folder / "indicators.csv").write_text("\n".join([text[0], "", commas, *text[1:], "", commas]) + "\n", encoding="utf-8-sig")
    assert load_scenario(folder).indicators.keys() == {"courses", "visits", "institute"}
    _edit_csv(folder / "indicators.csv", 5, "target_year", "20x5")  # the second data row, after two blank rows
    with pytest.raises(DataError, match="indicators.csv row 5, column target_year"):
        load(folder)
