"""Money that reconciles (issue 9 item 9): every published amount is a whole 0.01 万元, rows add up exactly
to budget.csv, budget.csv to the budget, and the console and report show rows that add up to their totals.

Amounts are read as CSV text and compared as integers of hundredths (Decimal, never float).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from test_report import parse

from allocator import load_scenario
from allocator.cli import cli
from allocator.compare import compare_runs
from allocator.frames import publish_allocation
from allocator.pipeline import run_compare, run_plan
from allocator.report import render_report
from allocator.request import ScenarioRequest

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "scenarios" / "zjut-2021-2025"
TWO_DECIMALS = re.compile(r"^-?\d+\.\d\d$")


def hundredths(text: str) -> int:
    """CSV money text as an integer of hundredths; refuses anything but exactly two decimals."""
    assert TWO_DECIMALS.match(text), f"not a two-decimal amount: {text!r}"
    return int(Decimal(text) * 100)


def csv_rows(run: Path, name: str) -> list[dict[str, str]]:
    with open(run / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def bundled_run(tmp_path_factory) -> Path:
    if not (BUNDLED / "scenario.yaml").exists():
        pytest.skip("bundled scenario not present")
    return run_plan(BUNDLED, tmp_path_factory.mktemp("money") / "plan", marginals=False).folder


def test_bundled_allocation_reconciles_to_the_fen(bundled_run):
    allocation = csv_rows(bundled_run, "allocation")
    budget = csv_rows(bundled_run, "budget")
    spent: dict[tuple[str, str, str], int] = defaultdict(int)
    for r in allocation:
        amount = hundredths(r["amount"])  # every amount a whole 0.01 万元, written with two decimals
        assert amount > 0
        spent[r["year"], r["pool"], r["source"]] += amount
    for b in budget:
        key = (b["year"], b["pool"], b["source"])
        available, allocated, unused = hundredths(b["available"]), hundredths(b["allocated"]), hundredths(b["unused"])
        assert allocated == spent.pop(key, 0)  # rows add up exactly to budget.csv
        assert allocated + unused == available and allocated <= available
    assert not spent  # no allocation outside budget.csv's funds
    # budget.csv's available money is the scenario's, to the hundredth; where the plan spends all, so does the table
    sc = load_scenario(BUNDLED)
    for b in budget:
        year = int(b["year"])
        if b["pool"] == "stock":
            assert hundredths(b["available"]) == round(sc.budget.stock[year] * 100)
    fully_spent = [b for b in budget if hundredths(b["unused"]) == 0]
    assert len(fully_spent) >= len(budget) - 3  # the discipline fund's earmark idles money in 2023-2025 (issue 9)
    for b in fully_spent:
        assert hundredths(b["allocated"]) == hundredths(b["available"])


def test_no_line_is_rounded_away(bundled_run):
    # every line the solver funded with half a hundredth or more is still in allocation.csv
    manifest = pd.read_json(bundled_run / "manifest.json", typ="series")
    assert manifest["rounding"]["quantum"] == 0.01
    assert manifest["rounding"]["lines_rounded_to_zero"] == 0
    assert manifest["rounding"]["largest_line_change"] < 0.01


def test_console_money_rows_add_up_to_the_totals_shown(tmp_path):
    out = CliRunner().invoke(cli, ["plan", str(ROOT / "scenarios" / "examples" / "restricted_fund.yaml"), "--out", str(tmp_path / "p")])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("money ("))
    table = {}
    for line in lines[start + 1 :]:
        if not line.strip() or line.startswith(("marginal", "warning", "run folder")):
            break
        label, cells = re.split(r"\s{2,}", line.strip(), maxsplit=1)
        table[label] = [int(Decimal(c.replace(",", "")) * 100) for c in cells.split()]
    funds = [v for k, v in table.items() if k not in ("allocated", "available", "unused")]
    assert funds
    for y in range(len(table["allocated"])):
        assert sum(f[y] for f in funds) == table["allocated"][y]
        assert table["allocated"][y] + table["unused"][y] == table["available"][y]


def _shown(found, key: str) -> int:
    text = next(t for k, _, t in found if k == key)
    return int(Decimal(re.search(r"-?[\d,]+\.\d\d", text).group(0).replace(",", "")) * 100)


def test_report_money_tables_add_up_as_shown(bundled_run):
    found = parse(render_report(bundled_run, lang="en")).found
    allocation = csv_rows(bundled_run, "allocation")
    years = sorted({r["year"] for r in allocation})
    pools = sorted({r["pool"] for r in allocation})
    units = sorted({r["unit"] for r in allocation})
    for y in years:
        assert sum(_shown(found, f"year:{y}:{p}:amount") for p in pools) == _shown(found, f"year:{y}:amount")
    for u in units:
        total = _shown(found, f"unit:{u}:amount")
        assert sum(_shown(found, f"unit:{u}:{y}:amount") for y in years) == total
        assert sum(_shown(found, f"unit:{u}:pool:{p}:amount") for p in pools) == total
    grand = sum(_shown(found, f"year:{y}:amount") for y in years)
    assert grand == _shown(found, "total:allocated") == sum(hundredths(r["amount"]) for r in allocation)


def test_old_runs_are_published_by_the_same_rule():
    # a run written before money was published: thirds of 100 万元 that a spreadsheet would show as 33.33 x 3
    frame = pd.DataFrame(
        {
            "unit": ["a", "b", "c"],
            "initiative": ["x", "x", "x"],
            "year": [2021] * 3,
            "pool": ["stock"] * 3,
            "source": ["school"] * 3,
            "amount": [100 / 3] * 3,
        }
    )
    out = publish_allocation(frame)
    # 3333.33... hundredths each: floors 9999 leave one, the tie goes to the first unit in sorted order
    assert out["amount"].tolist() == [33.34, 33.33, 33.33]
    assert publish_allocation(out) is out  # already on the grid: untouched


def test_compare_money_is_exact(bundled_run, tmp_path):
    lean = ScenarioRequest(BUNDLED, sets=("budget.increment.2023=500",))
    other = run_plan(lean, tmp_path / "lean", marginals=False).folder
    folder = run_compare(bundled_run, other, tmp_path / "cmp").folder
    for r in csv_rows(folder, "compare"):
        if r["section"] in ("objective", "indicator"):
            continue
        a, b, delta = hundredths(r["a"]), hundredths(r["b"]), hundredths(r["delta"])
        assert b - a == delta
    # the same from frames: money compared in whole hundredths
    table = compare_runs(
        pd.read_csv(bundled_run / "allocation.csv"),
        pd.read_csv(other / "allocation.csv"),
        pd.read_csv(bundled_run / "indicators.csv"),
        pd.read_csv(other / "indicators.csv"),
        {},
        {},
    )
    school = table[(table["section"] == "source") & (table["key"] == "increment:school")].iloc[0]
    assert round(school["delta"] * 100) == -4000  # 540 -> 500 of school increment in 2023, all of it spent in both
    year = table[(table["section"] == "year") & (table["key"] == "2023")].iloc[0]
    assert round(year["delta"] * 100) == round(
        (school["delta"] + table.loc[table["key"] == "increment:discipline_fund", "delta"].iloc[0]) * 100
    )


def test_sweep_allocations_are_published_the_same_way():
    from allocator.sweep import sweep_budget

    sc = load_scenario(ROOT / "scenarios" / "examples" / "restricted_fund.yaml")
    points = sweep_budget(sc, [0.5, 0.77, 1.0], "increment")
    for p in points:
        increment = 0
        for r in p.allocation:
            n = round(r.amount * 100)
            assert abs(r.amount * 100 - n) < 1e-6 and n > 0  # whole hundredths
            increment += n if r.pool == "increment" else 0
        # the increment in scope at this level (all years), never exceeded by the published rows
        assert 0 < increment <= round(p.budget * 100)
