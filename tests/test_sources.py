"""Funding sources with use restrictions: money never reaches what a source may not fund, and bad rules are named."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner
from scenario_factory import multi_year

from allocator import ScenarioError, load_scenario, plan
from allocator.cli import cli
from allocator.selectors import select_initiatives, select_units
from models import Scenario


def assert_rows_obey_sources(sc: Scenario, alloc: pd.DataFrame) -> None:
    """Every allocation row of a restricted source names a unit and an initiative that source may fund."""
    for row in alloc.itertuples(index=False):
        if row.source == "school":
            continue
        src = sc.sources[row.source]
        assert row.unit in select_units(src.units, sc.units), row
        assert row.initiative in select_initiatives(src.initiatives, sc.initiatives), row
        assert row.pool == src.pool, row
        assert row.unit in select_units(sc.initiatives[row.initiative].units, sc.units), row


def test_every_allocation_row_obeys_its_source(examples, tmp_path):
    out = tmp_path / "run"
    res = CliRunner().invoke(cli, ["-q", "plan", str(examples / "restricted_fund.yaml"), "--out", str(out)])
    assert res.exit_code == 0, res.output
    alloc = pd.read_csv(out / "allocation.csv", encoding="utf-8-sig")
    assert "source" in alloc.columns and (alloc["source"] == "discipline_fund").any()
    assert_rows_obey_sources(load_scenario(examples / "restricted_fund.yaml"), alloc)
    budget = pd.read_csv(out / "budget.csv", encoding="utf-8-sig")
    assert set(budget["source"]) == {"school", "discipline_fund"}


def test_sources_with_shares_on_a_random_scenario():
    data = multi_year(seed=4, n_units=5).model_dump()
    data["sources"] = {
        "peak": {
            "name_zh": "学科建设经费",
            "pool": "increment",
            "amount": {y: 40.0 for y in range(2021, 2024)},
            "units": ("top_peak", "U2"),
            "initiatives": ("exchange", "hires"),
            "max_unit_share": 0.6,
            "min_unit_share": 0.2,
        },
        "grant": {"name_zh": "省专项", "pool": "stock", "amount": {y: 15.0 for y in range(2021, 2024)}, "initiatives": ("courses",)},
    }
    sc = Scenario.model_validate(data)
    res = plan(sc)
    frame = pd.DataFrame([r.model_dump() for r in res.allocation])
    assert_rows_obey_sources(sc, frame)
    peak = frame[frame["source"] == "peak"].groupby(["unit", "year"])["amount"].sum()
    assert (peak <= 0.6 * 40 + 1e-6).all() and (peak >= 0.2 * 40 - 1e-6).all()


def test_source_overrides_and_marginals_per_source(examples):
    sc = load_scenario(examples / "restricted_fund.yaml", sets=["sources.discipline_fund.amount.2021=50"])
    assert sc.sources["discipline_fund"].amount[2021] == 50
    res = plan(sc, marginals=True)
    rows = [m for m in res.marginals if m.fund == "discipline_fund"]
    assert len(rows) == 1 and "Discipline-construction fund" in rows[0].words


def _with_source(examples, **source) -> Scenario:
    data = load_scenario(examples / "restricted_fund.yaml").model_dump()
    data["sources"]["discipline_fund"].update(source)
    return Scenario.model_validate(data)


def test_source_eligible_for_nothing_is_an_error(examples):
    sc = _with_source(examples, units=("Q",), initiatives=("research_visits",))
    data = sc.model_dump()
    data["initiatives"]["research_visits"]["units"] = ("P",)
    with pytest.raises(ScenarioError, match=r"source 'discipline_fund' is eligible for nothing"):
        plan(Scenario.model_validate(data))


def test_unknown_unit_or_initiative_in_a_rule_names_both(examples):
    with pytest.raises(ScenarioError, match=r"source 'discipline_fund' names unknown unit\(s\) \['Nowhere'\]"):
        plan(_with_source(examples, units=("Nowhere",)))
    with pytest.raises(ScenarioError, match=r"source 'discipline_fund' names unknown initiative\(s\) \['nothing'\]"):
        plan(_with_source(examples, initiatives=("nothing",)))


def test_source_errors_name_the_file_row(examples, tmp_path):
    from allocator.io.scenario_files import write_scenario_folder

    folder = write_scenario_folder(load_scenario(examples / "restricted_fund.yaml"), tmp_path / "sc")
    text = (folder / "sources.csv").read_text(encoding="utf-8-sig").replace("research_visits", "research_vistis")
    (folder / "sources.csv").write_text(text, encoding="utf-8-sig")
    res = CliRunner().invoke(cli, ["validate", str(folder)])
    assert res.exit_code == 1
    assert "sources.csv row 2, column initiatives: source 'discipline_fund' names unknown initiative(s) ['research_vistis']" in res.output
