"""HTML reports of run folders, without a browser: every kind renders, nothing is fetched from outside,
the language switch works, names from files are escaped, and every keyed number equals the run's CSVs.

Expected numbers are computed here from the CSV text with the ``csv`` module (not pandas), and money
totals as exact decimal sums of the cells as written (money is published to 0.01 万元), independently
of the report code.
"""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from allocator.errors import RunFolderError
from allocator.pipeline import ScenarioRequest, run_clear, run_compare, run_plan, run_risk, run_score, run_sweep
from allocator.report import render_report, write_report

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "scenarios" / "examples"
FLOORS = EXAMPLES / "floors_and_gaps.yaml"
SCORING = EXAMPLES / "scoring"
BUNDLED = ROOT / "scenarios" / "zjut-2021-2025"

HOSTILE = "<script>alert(\"x\")</script> & 'q' </td><img src=//evil.example/x>"


# --- building run folders -----------------------------------------------------------------------------


def bundled_present() -> bool:
    """Whether the bundled 2021-2025 scenario is in the repository yet."""
    return (BUNDLED / "scenario.yaml").exists()


def build_plan(out: Path, *, bundled: bool = False, sets: tuple[str, ...] = ()) -> Path:
    """A plan run folder of the bundled scenario (when asked and present) or of floors_and_gaps."""
    scenario = BUNDLED if bundled and bundled_present() else FLOORS
    return run_plan(ScenarioRequest(scenario, sets=sets), out).folder


def _score_inputs(folder: Path) -> dict[str, Path] | None:
    names = {"actuals": "actuals.csv", "spending": "spending.csv", "targets": "targets.csv", "planned": "planned.csv"}
    for base in (folder, folder / "scoring", folder / "examples"):
        found = {k: base / v for k, v in names.items() if (base / v).exists()}
        if "actuals" in found and "spending" in found:
            return found
    return None


ACTUAL_SHARES = (1.1, 0.95, 0.8, 0.6, 1.0, 0.4)  # of the planned output, by unit in turn: grades spread


def inputs_from_plan(plan: Path, folder: Path) -> dict[str, Path]:
    """Spending and actual outputs for a plan's first year: its own allocation, and its planned outputs scaled.

    For a scenario that ships no actuals (the bundled one), this gives a score run of that scenario:
    each unit spends what the plan gave it and delivers a fixed share of what the plan expected.
    """
    allocation = rows(plan, "allocation")
    year = min(int(r["year"]) for r in allocation)
    spent = decimal_sum_by([r for r in allocation if int(r["year"]) == year], ("unit", "initiative"), "amount")
    outputs = [r for r in rows(plan, "unit_indicators") if int(r["year"]) == year]
    units = sorted({u for u, _ in spent} | {r["unit"] for r in outputs})
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "spending.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["unit", "initiative", "year", "amount"])
        writer.writerows([u, i, year, amount] for (u, i), amount in spent.items())
    with open(folder / "actuals.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["unit", "indicator", "year", "value"])
        for r in outputs:
            share = ACTUAL_SHARES[units.index(r["unit"]) % len(ACTUAL_SHARES)]
            writer.writerow([r["unit"], r["indicator"], year, float(r["output"]) * share])
    return {"actuals": folder / "actuals.csv", "spending": folder / "spending.csv"}


def build_score(out: Path, *, bundled: bool = False, plan: Path | None = None) -> Path:
    """A score run folder of the bundled scenario (when asked and present) or of the scoring example.

    The bundled scenario is scored on the inputs it ships, else on :func:`inputs_from_plan` of ``plan``
    (a plan run of it, made here when not given), with that plan's unit outputs as the targets.
    """
    if bundled and bundled_present():
        shipped = _score_inputs(BUNDLED)
        if shipped and "targets" in shipped:
            return run_score(BUNDLED, out, actuals=shipped["actuals"], spending=shipped["spending"], targets=shipped["targets"]).folder
        plan = plan or build_plan(out.with_name(out.name + "-plan"), bundled=True)
        inputs = shipped or inputs_from_plan(plan, out.with_name(out.name + "-inputs"))
        return run_score(BUNDLED, out, actuals=inputs["actuals"], spending=inputs["spending"], plan_run=plan).folder
    inputs = _score_inputs(SCORING)
    assert inputs is not None
    return run_score(
        SCORING, out, actuals=inputs["actuals"], spending=inputs["spending"], targets=inputs["targets"], planned=inputs["planned"]
    ).folder


CLEAR_SETS = (
    "budget.stock.2021=0",
    "budget.stock.2022=0",
    "budget.increment.2021=30",
    "budget.increment.2022=30",
    "units.A.base={}",
    "units.D.base={}",
)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    """One run folder of every kind, from the worked examples."""
    root = tmp_path_factory.mktemp("report-runs")
    plan = build_plan(root / "plan")
    plan_b = build_plan(root / "plan_b", sets=("budget.increment.2022=1",))
    other = run_plan(SCORING, root / "other").folder
    return {
        "plan": plan,
        "plan_b": plan_b,
        "sweep": run_sweep(FLOORS, root / "sweep", scope="increment", levels=[0.0, 0.5, 1.0, 2.0]).folder,
        "clear": run_clear(ScenarioRequest(FLOORS, sets=CLEAR_SETS), root / "clear", all_missing=True).folder,
        "score": build_score(root / "score"),
        "compare": run_compare(plan, plan_b, root / "compare").folder,
        "compare_other": run_compare(plan, other, root / "compare_other").folder,
        "risk": run_risk(FLOORS, root / "risk", draws=100).folder,
    }


# --- reading CSV text and the page --------------------------------------------------------------------


def rows(run: Path, name: str) -> list[dict[str, str]]:
    """A run's CSV table as raw text cells."""
    with open(run / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def manifest(run: Path) -> dict[str, Any]:
    return json.loads((run / "manifest.json").read_text(encoding="utf-8"))


def num(text: str) -> float | None:
    """A CSV cell as float, None when blank."""
    return float(text) if text.strip() else None


def key_part(text: str) -> str:
    """How the report writes a numeric cell inside a key: ints as ints, other numbers in shortest form."""
    return str(int(text)) if re.fullmatch(r"-?\d+", text) else repr(float(text))


def decimal_sum_by(table: list[dict[str, str]], by: tuple[str, ...], value: str) -> dict[tuple[str, ...], float]:
    """Exact sums of the cells' decimal text per group, as the nearest float (what a spreadsheet shows)."""
    groups: dict[tuple[str, ...], Decimal] = {}
    for r in table:
        if r[value].strip():
            key = tuple(r[c] for c in by)
            groups[key] = groups.get(key, Decimal(0)) + Decimal(r[value])
    return {k: float(v) for k, v in groups.items()}


class KeyedElements(HTMLParser):
    """Collects (data-key, data-value, text) of every keyed element, and every src/href/style value."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []
        self.links: list[str] = []
        self._open: list[tuple[str, str, str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.links += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href", "action", "srcset")]
        for entry in self._open:
            entry[3].append("")  # nested tags do not split text
        if "data-key" in a:
            self._open.append((tag, a["data-key"] or "", a.get("data-value") or "", []))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            t, key, value, text = self._open.pop()
            self.found.append((key, value, "".join(text)))

    def handle_data(self, data: str) -> None:
        for entry in self._open:
            entry[3].append(data)


def parse(page: str) -> KeyedElements:
    parser = KeyedElements()
    parser.feed(page)
    parser.close()
    return parser


# --- checking keyed numbers ---------------------------------------------------------------------------


def shown_number(text: str) -> tuple[float, int] | None:
    """(number, decimals) of the first number in displayed text (``1,234.50``, ``−3.00``, ``46.0%``)."""
    match = re.search(r"[+\-−]?\d[\d,]*(?:\.(\d+))?", text)
    if not match:
        return None
    number = float(match.group(0).replace(",", "").replace("−", "-").replace("+", ""))
    return number, len(match.group(1) or "")


def check_text(key: str, expected: float, text: str) -> None:
    """The displayed text shows ``expected`` to its printed precision (percent, yuan from fen as written)."""
    shown = shown_number(text)
    assert shown is not None, f"{key}: no number in {text!r}"
    number, decimals = shown
    value = expected * 100 if "%" in text else expected
    if key.split(":")[0].endswith("_fen"):
        value = expected / 100
    assert abs(number - value) <= 0.5 * 10**-decimals + 1e-9 * max(1.0, abs(value)), (key, expected, text)


def check_keys(found: list[tuple[str, str, str]], expected: dict[str, Any]) -> None:
    """Every expected key is on the page, and every element with that key carries exactly the CSV value."""
    on_page = {k for k, _, _ in found}
    missing = sorted(set(expected) - on_page)
    assert not missing, f"keys not on the page: {missing[:20]}"
    for key, value, text in found:
        if key not in expected:
            continue
        want = expected[key]
        if want is None:
            assert value == "", (key, value)
        elif isinstance(want, bool):
            assert value == str(want), (key, value, want)
            assert ("✓" in text) == want, (key, text)
        elif isinstance(want, (int, float)):
            assert value != "" and float(value) == float(want), (key, value, want)
            check_text(key, float(want), text)
        else:
            assert value == want, (key, value, want)
            if key == "status":  # a code in the file, words on the page (最优 / optimal)
                from allocator.vocabulary import term

                assert term("status", want, "zh") in text or term("status", want, "en") in text, (key, text)
            else:
                assert want in text, (key, text)


def flag(text: str) -> bool | None:
    return {"True": True, "False": False}.get(text.strip())


def expected_plan_keys(run: Path) -> dict[str, Any]:
    """Key numbers of a plan report, from the run's files."""
    m = manifest(run)
    out: dict[str, Any] = {"status": m["status"], **{k: v for k, v in m["objective"].items()}}
    indicators = rows(run, "indicators")
    for r in indicators:
        k = r["indicator"]
        out[f"indicator:{k}:{int(r['year'])}:value"] = num(r["value"])
        out[f"indicator:{k}:target"] = num(r["target"])
        if int(r["year"]) == int(float(r["target_year"])):
            out[f"indicator:{k}:met"] = flag(r["met"])
            out[f"indicator:{k}:shortfall"] = num(r["shortfall"])
    budget = rows(run, "budget")
    for r in budget:
        for m_ in ("available", "allocated", "unused"):
            out[f"budget:{int(r['year'])}:{r['pool']}:{r['source']}:{m_}"] = num(r[m_])
    for m_ in ("available", "allocated", "unused"):
        for (pool,), total in decimal_sum_by(budget, ("pool",), m_).items():
            out[f"pool:{pool}:{m_}"] = total
    allocation = rows(run, "allocation")
    out.update(money_keys(allocation))
    out["total:allocated"] = float(sum((Decimal(r["amount"]) for r in allocation), Decimal(0)))
    if (run / "marginals.csv").exists():
        for r in rows(run, "marginals"):
            out[f"marginal:{r['constraint']}:value_stage1"] = num(r["value_stage1"])
            out[f"marginal:{r['constraint']}:value_stage2"] = num(r["value_stage2"])
    return out


def money_keys(allocation: list[dict[str, str]]) -> dict[str, Any]:
    """Totals by unit, initiative, year and pool, and every allocation row."""
    out: dict[str, Any] = {}
    for dim in ("unit", "initiative"):
        for (key,), total in decimal_sum_by(allocation, (dim,), "amount").items():
            out[f"{dim}:{key}:amount"] = total
        for (key, year), total in decimal_sum_by(allocation, (dim, "year"), "amount").items():
            out[f"{dim}:{key}:{int(year)}:amount"] = total
        for (key, pool), total in decimal_sum_by(allocation, (dim, "pool"), "amount").items():
            out[f"{dim}:{key}:pool:{pool}:amount"] = total
    for (year, pool), total in decimal_sum_by(allocation, ("year", "pool"), "amount").items():
        out[f"year:{int(year)}:{pool}:amount"] = total
    for r in allocation:
        out[f"allocation:{r['unit']}:{r['initiative']}:{int(r['year'])}:{r['pool']}:{r['source']}"] = num(r["amount"])
    return out


def expected_score_keys(run: Path) -> dict[str, Any]:
    """Key numbers of a score report, from the run's files."""
    m = manifest(run)
    out: dict[str, Any] = {"incentive_pool": m["incentive_pool"], "awards_total_fen": m["awards_total_fen"]}
    for r in rows(run, "scores"):
        key = f"score:{r['unit']}:{r['year']}"
        for c in ("rank", "points", "completion", "execution_rate", "unit_cost_score", "timeliness"):
            out[f"{key}:{c}"] = num(r[c])
        out[f"grade:{r['unit']}:{r['year']}"] = r["grade"]
        out[f"award:{r['unit']}:{r['year']}"] = num(r["award"])
        for c in ("planned", "spending"):
            out[f"execution:{r['unit']}:{r['year']}:{c}"] = num(r[c])
        out[f"execution:{r['unit']}:{r['year']}:rate"] = num(r["execution_rate"])
    for r in rows(run, "parts"):
        if num(r["max_points"]):
            for c in ("points", "max_points"):
                out[f"part:{r['unit']}:{r['year']}:{r['part']}:{c}"] = num(r[c])
    for r in rows(run, "unit_costs"):
        for c in ("spending", "output", "unit_cost", "standard", "ratio"):
            out[f"unit_cost:{r['unit']}:{r['indicator']}:{r['year']}:{c}"] = num(r[c])
    for r in rows(run, "awards"):
        out[f"merit:{r['unit']}:{r['year']}"] = num(r["merit"])
        out[f"award_fen:{r['unit']}:{r['year']}"] = num(r["award_fen"])
    if (run / "dea.csv").exists():
        for r in rows(run, "dea"):
            key = f"dea:{r['unit']}:{r['year']}"
            for c, v in r.items():
                if c in ("efficiency", "super_efficiency") or c.startswith(("slack_", "target_", "input_", "output_")):
                    out[f"{key}:{c}"] = num(v)
    if (run / "next_floors.csv").exists():
        for r in rows(run, "next_floors"):
            for c in ("floor_share", "stock_basis", "floor_amount", "may_reclaim"):
                out[f"floor:{r['unit']}:{c}"] = num(r[c])
    return out


def expected_sweep_keys(run: Path) -> dict[str, Any]:
    frontier = rows(run, "frontier")
    indicators = [c for c in frontier[0] if f"{c}_met" in frontier[0]]
    out: dict[str, Any] = {}
    for r in frontier:
        key = f"frontier:{key_part(r['level'])}"
        for c in ("budget", "stage1_shortfall", "stage2_progress", "missing_cleared", "targets_met", *indicators):
            out[f"{key}:{c}"] = num(r[c])
    for (level, initiative), total in decimal_sum_by(rows(run, "allocation"), ("level", "initiative"), "amount").items():
        out[f"sweep_money:{key_part(level)}:{initiative}"] = total
    return out


def expected_clear_keys(run: Path) -> dict[str, Any]:
    out: dict[str, Any] = {"extra_total": manifest(run)["extra_total"]}
    for r in rows(run, "clear"):
        for c in ("requirement", "base_value", "value", "extra_total"):
            out[f"clear:{r['indicator']}:{c}"] = num(r[c])
        out[f"clear:{r['indicator']}:met"] = flag(r["met"])
    for r in rows(run, "extra"):
        out[f"extra:{int(r['year'])}:{r['pool']}"] = num(r["extra"])
    if (run / "curve.csv").exists():
        for r in rows(run, "curve"):
            for c in r:
                if c.startswith("extra_"):
                    out[f"curve:{key_part(r['k'])}:{c}"] = num(r[c])
    out.update(money_keys(rows(run, "allocation")))
    return out


def expected_compare_keys(run: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for r in rows(run, "compare"):
        key = f"compare:{r['section']}:{r['key']}"
        for c in ("a", "b", "delta"):
            out[f"{key}:{c}"] = num(r[c])
        if r["section"] == "indicator":
            out[f"{key}:met_a"] = flag(r["met_a"])
            out[f"{key}:met_b"] = flag(r["met_b"])
    return out


def expected_risk_keys(run: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for r in rows(run, "risk"):
        for c in ("target", "plan_value", "mean", "p05", "p50", "p95", "probability", "std_error"):
            out[f"risk:{r['indicator']}:{c}"] = num(r[c])
    return out


EXPECTED = {
    "plan": expected_plan_keys,
    "plan_b": expected_plan_keys,
    "sweep": expected_sweep_keys,
    "clear": expected_clear_keys,
    "score": expected_score_keys,
    "compare": expected_compare_keys,
    "compare_other": expected_compare_keys,
    "risk": expected_risk_keys,
}


# --- self-containment ---------------------------------------------------------------------------------


def assert_self_contained(page: str) -> None:
    """No URL, import or external reference anywhere: only in-page anchors and data: URLs."""
    lowered = page.lower()
    for needle in ("http://", "https://", "//cdn", "@import", "ftp://", "<iframe", "<object", "<embed"):
        assert needle not in lowered, needle
    for match in re.finditer(r"url\(\s*['\"]?([^'\")\s]*)", lowered):
        assert match.group(1).startswith("data:"), match.group(0)
    for link in parse(page).links:
        assert link.startswith(("#", "data:")), link
    assert lowered.count("<script") == 1, "one inline script only"
    assert "<script src" not in lowered and '<link rel="stylesheet"' not in lowered


# --- tests --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_every_kind_renders_self_contained_with_the_files_numbers(runs, kind):
    page = render_report(runs[kind])
    assert page.startswith("<!DOCTYPE html>")
    assert_self_contained(page)
    check_keys(parse(page).found, EXPECTED[kind](runs[kind]))
    for svg in re.findall(r"<svg[^>]*>.*?</svg>", page, flags=re.S):
        assert re.match(r"<svg[^>]*role=\"img\"[^>]*><title>[^<]+</title>", svg), svg[:200]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_kind_renders_in_both_languages(runs, lang):
    marker = '<html lang="zh-CN">' if lang == "zh" else '<html lang="en">'
    for kind, run in runs.items():
        page = render_report(run, lang=lang)
        assert marker in page, kind
        check_keys(parse(page).found, EXPECTED[kind](run))


def test_every_string_has_both_languages():
    from allocator.report.i18n import _STRINGS

    for key, (zh, en) in _STRINGS.items():
        assert zh.strip() and en.strip(), key
        assert set(re.findall(r"{(\w+)}", zh)) == set(re.findall(r"{(\w+)}", en)), key


def test_rendering_is_deterministic(runs):
    assert render_report(runs["plan"]) == render_report(runs["plan"])


def test_plan_report_headline_numbers(runs):
    found = {k: (v, t) for k, v, t in parse(render_report(runs["plan"])).found}
    assert found["stage2_progress"] == ("0.728", "0.7280")
    assert found["stage1_shortfall"][0] == "0.0"
    assert found["indicator:courses:2022:value"] == ("11.4", "11")  # 门: a count, shown whole; the exact value travels with it
    assert found["unit:A:amount"] == ("164.0", "164.00")
    assert found["missing:institute:first_cleared"][0] == "2022"  # the joint institute opens in 2022 (lag 1)
    assert found["targets_met"][0] == "2"


def test_score_report_opens_with_the_ranking_per_track_and_explains_every_part(runs):
    page = render_report(runs["score"])
    found = {k: (v, t) for k, v, t in parse(page).found}
    assert found["grade:X:2021"] == ("A", "A") and found["grade:B:2021"] == ("D", "D")
    assert found["score:A:2021:points"] == ("86.25", "86.3")
    assert found["award:A:2021"][1] == "70.00"
    assert found["award_fen:X:2021"] == ("30000000", "300,000.00")
    assert found["part:X:2021:landmark:points"] == ("5.0", "5.0")
    assert found["unit_cost:B:students:2021:ratio"][1] == "2.00"
    assert found["execution:X:2021:rate"][0] == "0.9"
    order = [page.index(f'id="{s}"') for s in ("summary", "ranking", "parts", "execution", "unit-costs", "awards", "dea")]
    assert order == sorted(order)  # the ranking first, DEA last (an annex)
    ranking = page[page.index('id="ranking"') : page.index('id="parts"')]
    assert ranking.index("Colleges") < ranking.index("Functional departments")
    for r in rows(runs["score"], "parts"):
        for item in r["explanation"].split("; "):  # one item (indicator) to a line
            assert f">{html.escape(item, quote=True)}<" in page
    for r in rows(runs["score"], "dea"):
        assert r["explanation"].replace("->", "-&gt;") in page


def test_compare_report_lists_indicators_that_changed_status(runs):
    page = render_report(runs["compare_other"])
    changed = [r["key"] for r in rows(runs["compare_other"], "compare") if r["section"] == "indicator" and r["status_changed"] == "True"]
    assert changed
    section = page[page.index('id="status"') : page.index('id="run-info"')]
    head = section.split("<details>")[0]
    for key in changed:
        assert f'data-key="compare:indicator:{key}:a"' in head


def test_sweep_report_flags_where_targets_slip(tmp_path):
    run = run_sweep(FLOORS, tmp_path / "sweep", scope=None, levels=[5.0, 10.0, 15.0, 20.0], path="indicators.courses.target").folder
    met = [int(r["targets_met"]) for r in rows(run, "frontier")]
    assert met[:2] == [3, 3] and met[2] < met[1]  # 15 courses cannot be reached
    page = render_report(run)
    assert page.count('r="5.5" fill="#b3261e"') == 1
    assert "indicators.courses.target" in page
    check_keys(parse(page).found, expected_sweep_keys(run))


def test_language_follows_the_scenario_and_lang_overrides(runs, tmp_path):
    english = render_report(runs["plan"])
    assert '<html lang="en">' in english and ">Summary<" in english
    chinese = render_report(runs["plan"], lang="zh")
    assert '<html lang="zh-CN">' in chinese and ">概要<" in chinese and ">Summary<" not in chinese
    zh_run = build_plan(tmp_path / "zh", sets=("language=zh",))
    assert '<html lang="zh-CN">' in render_report(zh_run)
    assert '<html lang="en">' in render_report(zh_run, lang="en")
    # names follow the language too: the scenario names unit A 甲学院 / College A
    assert "甲学院" in chinese and "College A" in english
    with pytest.raises(ValueError, match="language"):
        render_report(runs["plan"], lang="fr")


def _hostile_copy(run: Path, dest: Path) -> Path:
    shutil.copytree(run, dest)
    resolved = json.loads((dest / "scenario.resolved.json").read_text(encoding="utf-8"))
    resolved["title_en"] = HOSTILE
    for section in ("units", "initiatives", "indicators"):
        for entry in resolved[section].values():
            entry["name_en"] = entry["name_zh"] = HOSTILE
    (dest / "scenario.resolved.json").write_text(json.dumps(resolved), encoding="utf-8")
    for name in ("allocation", "indicators"):
        table = rows(dest, name)
        for r in table:
            for c in ("unit_name", "initiative_name", "name"):
                if c in r:
                    r[c] = HOSTILE
        with open(dest / f"{name}.csv", "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(table[0]))
            writer.writeheader()
            writer.writerows(table)
    return dest


def test_hostile_names_are_escaped(runs, tmp_path):
    page = render_report(_hostile_copy(runs["plan"], tmp_path / "hostile"))
    assert "<script>alert" not in page and "<img" not in page and "evil.example/x>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;" in page
    assert page.count("<script") == 1
    check_keys(parse(page).found, expected_plan_keys(runs["plan"]))


def test_write_report_defaults_replaces_its_own_report_and_forces_only_reports(runs, tmp_path):
    run = shutil.copytree(runs["risk"], tmp_path / "risk")
    path = write_report(run, lang="en")
    assert path == run / "report.html"
    first = path.read_bytes()
    assert first.decode("utf-8").startswith("<!DOCTYPE html>")
    assert write_report(run, lang="zh") == path  # the run's own earlier report (it carries the marker)
    assert path.read_bytes() != first and '<html lang="zh-CN">' in path.read_text(encoding="utf-8")
    mine = tmp_path / "mine.html"
    mine.write_text("<html>my notes</html>", encoding="utf-8")
    with pytest.raises(RunFolderError, match="exists already"):
        write_report(run, mine)
    with pytest.raises(RunFolderError, match="replaces only a report that allocator wrote"):
        write_report(run, mine, force=True)
    assert mine.read_text(encoding="utf-8") == "<html>my notes</html>"
    assert write_report(run, tmp_path / "copy.html") and write_report(run, tmp_path / "copy.html", force=True)
    other = write_report(run, tmp_path / "out" / "r.html", lang="en")
    assert other.exists() and not list(other.parent.glob("*.partial"))


def test_not_a_run_folder_or_a_missing_file_is_a_clear_error(runs, tmp_path):
    with pytest.raises(RunFolderError, match="no such run folder"):
        render_report(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(RunFolderError, match="not a run folder"):
        render_report(tmp_path / "empty")
    broken = shutil.copytree(runs["plan"], tmp_path / "broken")
    (broken / "budget.csv").unlink()
    with pytest.raises(RunFolderError, match="budget.csv"):
        render_report(broken)
    table = rows(runs["score"], "scores")
    damaged = shutil.copytree(runs["score"], tmp_path / "damaged")
    with open(damaged / "scores.csv", "w", encoding="utf-8-sig", newline="") as fh:
        fields = [c for c in table[0] if c != "points"]
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(table)
    with pytest.raises(RunFolderError, match="scores.csv: damaged run folder: missing column.*points"):
        render_report(damaged)
    odd = shutil.copytree(runs["risk"], tmp_path / "odd")
    data = manifest(odd)
    data["kind"] = "mystery"
    (odd / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(RunFolderError, match="unknown run kind"):
        render_report(odd)


def test_compare_report_without_the_compared_runs_still_renders(runs, tmp_path):
    alone = shutil.copytree(runs["compare"], tmp_path / "alone")
    data = manifest(alone)
    data["run_a"], data["run_b"] = "gone/a", "gone/b"
    (alone / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    page = render_report(alone)
    check_keys(parse(page).found, expected_compare_keys(alone))
    # the compare folder carries run B's scenario, so names and language survive the compared runs
    assert '<html lang="en">' in page


def test_print_styles_and_accessibility_hooks(runs):
    page = render_report(runs["plan"])
    assert "@media print" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert '<th scope="col"' in page and "aria-sort" in page
