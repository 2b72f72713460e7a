"""Plans by decomposition: on a small generated province the decomposed plan keeps every rule of the whole model
and agrees with the monolithic optimum to 1e-3; its bound is valid; bad group columns and budgets that no
combination of the groups' plans can meet are clear errors."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from allocator.cli import cli
from allocator.decompose import groups_of, plan_decomposed
from allocator.distributed import Cluster
from allocator.errors import DataError
from allocator.formulation import build_problem
from allocator.io.scenario_files import write_scenario_folder
from allocator.planning import plan
from allocator.solve import HighsModel, SolverSettings, lexicographic_highs

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from synthetic import make_province  # noqa: E402


@pytest.fixture(scope="module")
def province():
    """4 universities x 3 colleges x 8 initiatives x 3 years: shared provincial pools, a provincial special
    fund for top-peak colleges, a province-wide indicator, and each university's own indicators."""
    return make_province(universities=4, colleges=3, initiatives=8, indicators=8, years=3)


@pytest.fixture(scope="module")
def decomposed(province):
    with Cluster(workers=1) as cluster:
        return plan_decomposed(province, "university", cluster=cluster)


def test_groups_follow_the_column(province):
    groups = groups_of(province, "university")
    assert list(groups) == ["y00", "y01", "y02", "y03"]
    assert all(len(units) == 3 for units in groups.values())
    with pytest.raises(DataError, match="--decompose faculty: not a column of the units table"):
        groups_of(province, "faculty")


def test_decomposed_plan_agrees_with_the_monolithic_optimum(province, decomposed):
    result, info = decomposed
    mono = plan(province)
    assert result.stage1_shortfall == pytest.approx(mono.stage1_shortfall, abs=1e-5)
    assert abs(result.stage2_progress - mono.stage2_progress) <= 1e-3
    # the bound is an upper bound of the true optimum (the monolithic plan is optimal to its 1e-4 MIP gap)
    assert info["stage2"]["bound"] >= mono.stage2_progress * (1 - 1e-4) - 1e-9
    assert info["stage2"]["value"] <= info["stage2"]["bound"] + 1e-9
    assert info["stage2"]["gap"] == pytest.approx((info["stage2"]["bound"] - info["stage2"]["value"]) / info["stage2"]["bound"])
    assert info["max_linking_violation"] <= 1e-7
    assert info["linking_rows"] > 0 and info["groups"] == 4


def test_decomposed_money_keeps_every_rule_of_the_whole_model(province, decomposed):
    # Hold every money variable of the whole model at the decomposed plan's published amounts (each within the
    # 0.01 万元 of publishing): the model must stay feasible, and its best stage 2 be the decomposed plan's own.
    result, _ = decomposed
    bp = build_problem(province)
    model = HighsModel(bp.problem, SolverSettings())
    amounts: dict = {}
    for r in result.allocation:  # the school's own money is one variable per line: both its pools' rows add to it
        key = (r.unit, r.initiative, r.year, r.source)
        amounts[key] = amounts.get(key, 0.0) + r.amount
    for key, var in bp.money.items():
        v = amounts.get(key, 0.0)
        model.set_column_bounds(var.name, max(0.0, v - 0.02), v + 0.02)
    sol = lexicographic_highs(model, bp)
    assert sol.status.has_solution
    assert result.stage2_progress - 1e-6 <= sol.objective("stage2") <= result.stage2_progress + 1e-3
    budget = {(b.year, b.pool, b.source): b for b in result.budget}
    assert all(b.allocated <= b.available + 1e-6 for b in budget.values())


def test_indicators_of_the_joined_plan_add_up(province, decomposed):
    result, _ = decomposed
    per_unit = {}
    for r in result.unit_indicators:
        per_unit.setdefault((r.indicator, r.year), 0.0)
        per_unit[r.indicator, r.year] += r.output
    students = [r for r in result.indicators if r.indicator == "province_students"]
    assert np.isclose(students[-1].value, sum(v for (k, _), v in per_unit.items() if k == "province_students"))


def test_cli_decompose_writes_the_bound_and_gap(province, scheduler, tmp_path):
    folder = tmp_path / "province"
    write_scenario_folder(province, folder)
    out = tmp_path / "run"
    res = CliRunner().invoke(cli, ["plan", str(folder), "--decompose", "university", "--scheduler", scheduler, "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "decomposition by university: 4 groups" in res.output and "gap" in res.output
    import json

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["decomposition"]["stage2"]["gap"] >= 0
    assert (out / "allocation.csv").exists() and not (out / "marginals.csv").exists()
    bad = CliRunner().invoke(cli, ["plan", str(folder), "--decompose", "faculty", "--out", str(tmp_path / "bad")])
    assert bad.exit_code == 1 and "faculty" in bad.output
    years = sorted(province.budget.stock)
    short = CliRunner().invoke(
        cli,
        [
            "plan",
            str(folder),
            "--decompose",
            "university",
            "--scheduler",
            scheduler,
            "--set",
            f"budget.stock.{years[0]}=1",
            "--out",
            str(tmp_path / "short"),
        ],
    )
    assert short.exit_code == 3, short.output
    assert "fund_limit__school_stock" in short.output


def _terms(expr, keep):
    return {v.name: c for v, c in expr.items() if c and keep(v.name)}


def test_blocks_add_up_to_the_whole_model(province):
    # docs/formulation.md, "Blocks": every row of the whole model is the sum of the blocks' parts of it
    # (a unit's own columns from its block, shared columns once), with the same bounds; so are both objectives.
    whole = build_problem(province)
    rows: dict[str, dict[str, float]] = {}
    constants: dict[str, set[float]] = {}
    objectives: dict[int, dict[str, float]] = {1: {}, 2: {}}
    for units in groups_of(province, "university").values():
        bp = build_problem(province, check=False, units=units)
        mine = lambda name, own=frozenset(units): not own.isdisjoint(name.split("__"))  # noqa: E731
        for name, con in bp.problem.constraints.items():
            row = rows.setdefault(name, {})
            for col, coef in _terms(con, lambda _n: True).items():
                if mine(col):
                    assert col not in row
                    row[col] = coef
                else:
                    assert row.setdefault(col, coef) == coef, (name, col)
            constants.setdefault(name, set()).add((con.constant, con.sense))
        for stage, expr in ((1, bp.stage1), (2, bp.stage2)):
            for col, coef in _terms(expr, lambda _n: True).items():
                assert objectives[stage].setdefault(col, coef) == pytest.approx(coef)
    assert set(rows) == set(whole.problem.constraints)
    for name, con in whole.problem.constraints.items():
        assert rows[name] == pytest.approx(_terms(con, lambda _n: True)), name
        assert constants[name] == {(con.constant, con.sense)}, name
    for stage, expr in ((1, whole.stage1), (2, whole.stage2)):
        assert objectives[stage] == pytest.approx(_terms(expr, lambda _n: True))


def test_docs_quote_this_province_as_it_comes_out(province, decomposed):
    # docs/scale.md's first figures row is this test's province: its plan values and gap must not drift
    import re

    result, info = decomposed
    text = (Path(__file__).resolve().parent.parent / "docs" / "scale.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| 4 x 3 "))
    values, gap = re.findall(r"\| ([0-9.]+ / [0-9.]+) \| ([0-9.]+)% \|", row)[0]
    mono = plan(province)
    assert values == f"{mono.stage2_progress:.6f} / {result.stage2_progress:.6f}"
    assert gap == f"{100 * info['stage2']['gap']:.3f}"
