"""The finance office's tables: 预算编制 per year reconciles to budget.csv to the fen; 绩效目标表 targets are the plan's.

Totals are recomputed here from the workbook's own cells and from budget.csv / indicators.csv read with
the csv module, in whole fen (1 万元 = 1,000,000 fen), so "to the fen" means integer equality. Published
cells carry two decimals of 万元 (whole multiples of 10,000 fen).
"""

from __future__ import annotations

import csv
from collections import defaultdict

import openpyxl
import pytest

from allocator.export import write_budget_tables
from allocator.export.budget_lines import to_steps

SOURCES = {"学校存量经费": ("stock", "school"), "学校增量经费": ("increment", "school")}


def fen(value) -> int:
    """A published amount in whole fen; it must be two decimals of 万元 (a multiple of 10,000 fen)."""
    scaled = round(float(value) * 1_000_000)
    assert abs(float(value) * 100 - round(float(value) * 100)) < 1e-6, value
    return scaled


def read(run, name):
    with open(run / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def tables(bundled_plan, tmp_path_factory):
    path = tmp_path_factory.mktemp("budget") / "budget.xlsx"
    write_budget_tables(bundled_plan.folder, path)
    return openpyxl.load_workbook(path)


def source_columns(bundled_plan) -> dict[str, tuple[str, str]]:
    """Column heading -> (pool, source) for the school's pools and each restricted source (by its Chinese name)."""
    resolved = bundled_plan.loaded.scenario
    out = dict(SOURCES)
    for key, src in resolved.sources.items():
        out[src.name_zh] = (src.pool, key)
    return out


def test_every_year_reconciles_to_the_fen(tables, bundled_plan):
    budget = read(bundled_plan.folder, "budget")
    expected = {(int(r["year"]), r["pool"], r["source"]): round(float(r["allocated"]) * 1_000_000) for r in budget}
    columns = source_columns(bundled_plan)
    years = sorted({int(r["year"]) for r in budget})
    for year in years:
        ws = tables[f"{year}年预算"]
        rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
        header = rows[0]
        end = next(i for i, r in enumerate(rows) if r[0] == "合计")
        total = rows[end]
        lines = [r for r in rows[1:end] if r[1] != "小计"]
        assert len(lines) > 50
        for j, head in enumerate(header):
            if head in columns:
                pool, source = columns[head]
                assert fen(total[j]) == expected[(year, pool, source)], (year, head)
                assert sum(fen(r[j]) for r in lines) == fen(total[j])
        for r in lines:  # each line's 合计 is its sources' sum
            assert fen(r[-1]) == sum(fen(v) for h, v in zip(header, r) if h in columns)


def test_overview_totals_equal_the_budget(tables, bundled_plan):
    budget = read(bundled_plan.folder, "budget")
    per_year = defaultdict(int)
    for r in budget:
        per_year[int(r["year"])] += round(float(r["allocated"]) * 1_000_000)
    ws = tables["预算总表"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    header, total = rows[0], next(r for r in rows if r[0] == "合计")
    for j, head in enumerate(header):
        if str(head).isdigit():
            assert abs(fen(total[j]) - per_year[int(head)]) <= len(budget)  # fen rounding of each source's total only


def test_every_line_has_an_economic_class(tables):
    ws = tables["2021年预算"]
    classes = {r[3].value for r in ws.iter_rows(min_row=3) if r[1].value and r[1].value != "小计" and r[3].value}
    assert "未分类" not in classes
    assert {"30308 助学金", "30212 因公出国（境）费用", "30226 劳务费"} <= classes


def test_performance_targets_are_the_plans_indicator_values(tables, bundled_plan):
    values = {(r["indicator"], int(r["year"])): float(r["value"]) for r in read(bundled_plan.folder, "indicators")}
    names = {ind.name_zh: key for key, ind in bundled_plan.loaded.scenario.indicators.items()}
    ws = tables["绩效目标表"]
    header, checked, blocks = None, 0, 0
    for row in ws.iter_rows(min_row=2):
        cells = [c.value for c in row]
        if cells[0] == "一级指标":
            header, blocks = cells, blocks + 1
        elif header and cells[1] == "数量指标":
            key = names[cells[2]]
            for head, value in zip(header, cells):
                if str(head).isdigit():
                    assert value == values[(key, int(head))], (key, head)
                    checked += 1
        elif not any(cells):
            header = None
    assert blocks >= 20 and checked > 100


def test_largest_remainders_keep_the_total():
    # 3 x 1/3 万元 = 33.33... steps of 0.01 万元 each; the total 1 万元 is 100 steps: the spare step goes to the first
    assert to_steps({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}) == {"a": 34, "b": 33, "c": 33}
    # 0.126 + 2.004 = 2.13: floors 12 + 200 = 212, remainders .6 and .4: the missing step goes to x
    assert to_steps({"x": 0.126, "y": 2.004}) == {"x": 13, "y": 200}
