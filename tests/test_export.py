"""The run workbook: summary first, wide tables with totals that reconcile, Chinese headings, no ``###``.

Widths are checked against the text each number shows under its own number format, computed here
(not with the exporter's own formatter): a spreadsheet shows ``###`` when a number's text is wider
than its column.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata

import openpyxl
import pytest

from allocator.export import export_run_workbook

MONEY = "#,##0.00"


def displayed(value, number_format: str) -> str:
    """What a spreadsheet shows for a number under the formats the exporter uses."""
    if number_format == "General":
        return f"{value:.10g}"
    if number_format.endswith("%"):
        decimals = len(number_format.rstrip("%").partition(".")[2])
        return f"{value * 100:.{decimals}f}%"
    if "E+" in number_format:
        return f"{value:.2E}"
    decimals = len(number_format.partition(".")[2])
    return f"{value:,.{decimals}f}" if "," in number_format else f"{value:.{decimals}f}"


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def budget_rows(run) -> list[dict[str, str]]:
    with open(run / "budget.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def book(bundled_plan, tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "base.xlsx"
    export_run_workbook(bundled_plan.folder, path)
    return openpyxl.load_workbook(path)


def test_sheets_open_on_the_summary_and_end_with_the_manifest(book):
    assert book.sheetnames[:4] == ["概要", "单位×年度", "项目×年度", "指标"]
    assert book.sheetnames[-1] == "运行信息"
    assert {"分配明细", "指标明细", "单位产出", "资金", "边际价值"} <= set(book.sheetnames)
    summary = [[c.value for c in row] for row in book["概要"].iter_rows()]
    facts = {r[0]: r[1] for r in summary if r and r[0]}
    assert facts["状态"] == "最优"
    assert facts["按期达成的目标"] == "16 / 20"


def test_every_number_fits_its_column(book):
    """No ``###``: each numeric cell's shown text fits the width of its column (money columns above all)."""
    checked = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    text = displayed(cell.value, cell.number_format)
                    assert ws.column_dimensions[cell.column_letter].width >= width(text) + 1, (ws.title, cell.coordinate, text)
                    checked += cell.number_format == MONEY
    assert checked > 500  # the money cells of the bundled plan


def test_headings_are_chinese_and_tables_frozen_filtered_and_printable(book):
    snake = re.compile(r"^[a-z]+(_[a-z0-9]+)+$")
    for ws in book.worksheets:
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        if ws.title in ("概要", "运行信息"):
            continue
        assert ws.freeze_panes, ws.title
        assert ws.auto_filter.ref, ws.title
        header_row = int(re.sub(r"\D", "", ws.freeze_panes)) - 1
        headers = [c.value for c in ws[header_row] if c.value is not None]
        assert headers and not [h for h in headers if snake.match(str(h))], (ws.title, headers)
        assert ws.print_title_rows
    assert book["分配明细"].page_setup.orientation == "landscape"


def test_wide_tables_add_up_to_the_plans_budget(book, bundled_plan):
    budget = budget_rows(bundled_plan.folder)
    by_year = {}
    for r in budget:
        by_year.setdefault(int(r["year"]), []).append(float(r["allocated"]))
    for title in ("单位×年度", "项目×年度"):
        ws = book[title]
        rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
        header = rows[0]
        total = next(r for r in rows if r[0] == "合计")
        body = [r for r in rows[1:] if r[0] and not str(r[0]).endswith(("小计", "合计"))]
        for j, h in enumerate(header):
            if str(h).isdigit():
                assert total[j] == pytest.approx(math.fsum(by_year[int(h)]), abs=1e-6)
                assert math.fsum(r[j] for r in body) == pytest.approx(total[j], abs=1e-6)
        for r in body:  # the 合计 column is each row's sum
            assert r[-1] == pytest.approx(math.fsum(v for h, v in zip(header, r) if str(h).isdigit()), abs=1e-9)


def test_indicator_table_shows_ratios_as_percent_and_counts_whole(book):
    ws = book["指标"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=3) if r[0].value}
    ratio = rows["在校外籍专家、外籍教师占专任教师比例"]
    assert all(c.number_format == "0.00%" for c in ratio[4:10] if isinstance(c.value, float))
    students = rows["学历留学生规模"]
    assert students[4].number_format == "#,##0" and students[9].value == pytest.approx(1565.6, abs=5)
    assert any("整数显示" in str(r[0].value) for r in ws.iter_rows() if r[0].value)


def test_no_english_status_words_or_fund_keys_outside_id_columns(book, bundled_plan):
    """A Chinese workbook shows no code outside id columns: no English sheet name or heading (reclaim, base, rule),
    no status, pool or reclaim-rule code (gradual, execution), no fund key, and no 'None' for a blank name."""
    words = re.compile(
        r"\b(optimal|infeasible|unreachable|ok|capacity|increasing|decreasing|constant|stock|increment|school|True|False"
        r"|gradual|execution|phase_out|None|nan)\b"
    )
    english = re.compile(r"^[A-Za-z][A-Za-z0-9_ ]*$")
    keys = [*bundled_plan.loaded.scenario.sources, "school_stock", "school_increment"]
    assert "盘活存量" in book.sheetnames
    for ws in book.worksheets:
        assert not english.match(ws.title), ws.title
        if ws.title == "运行信息":
            continue
        rows = list(ws.iter_rows(values_only=True))
        header = next((r for r in rows if r and sum(isinstance(v, str) for v in r) >= 3), rows[0])
        assert not [h for h in header if isinstance(h, str) and english.match(h)], (ws.title, header)
        ids = {j for j, h in enumerate(header) if isinstance(h, str) and (h.endswith("代码") or h == "约束")}
        for r in rows:
            for j, v in enumerate(r):
                if j in ids or not isinstance(v, str):
                    continue
                assert not words.search(v), (ws.title, v)
                assert not any(re.search(rf"\b{k}\b", v) for k in keys), (ws.title, v)


def test_reclaim_sheet_in_words_and_fund_rows_of_marginals_without_a_unit(book, bundled_plan):
    ws = book["盘活存量"]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    assert {"基数（万元）", "上年实际支出（万元）", "调减（万元）", "原因", "上年金额（万元）", "规则"} <= set(header)
    rules = {r[header.index("规则")] for r in rows[1:]}
    assert rules and rules <= {"逐年调减", "执行率低，闲置资金收回", "按计划退出"} and "逐年调减" in rules
    ws = book["边际价值"]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    funds = [r for r in rows[1:] if r[header.index("类别")] == "资金"]
    assert len(funds) >= 10  # the bundled plan's 3 funds x 5 years, less any the run did not price
    for r in funds:  # a fund row has no unit or initiative: blank, not the text 'None'
        assert r[header.index("单位")] in (None, "") and r[header.index("举措（项目）")] in (None, "")
    names = {"学校存量经费", "学校增量经费", *(s.name_zh for s in bundled_plan.loaded.scenario.sources.values())}
    assert {r[header.index("资金")] for r in funds} <= names
