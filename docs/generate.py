"""Rewrite the numbers in README.md and scenarios/zjut-2021-2025/README.md from fresh runs.

    python docs/generate.py            # runs the README tour (about two minutes) and rewrites both files
    python docs/generate.py --check    # the same, but only says which blocks differ (exit 1 if any)

Every command of the README's tour runs as written (``runs/`` in a temporary folder), through the
command line itself, and must exit as its line says: 0, or the code named in its comment ("exits 3").
Then each block between ``<!-- generated:NAME ... -->`` and ``<!-- /generated:NAME -->`` is rendered
from those runs. tests/test_docs_generated.py renders the same blocks from its own runs and fails when
the files differ, naming this command.
"""

from __future__ import annotations

import argparse
import math
import re
import shlex
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SCENARIO_README = ROOT / "scenarios" / "zjut-2021-2025" / "README.md"
BUNDLED = "scenarios/zjut-2021-2025"
NAMED = ("increment_minus_20", "discipline_fund_unrestricted", "no_missing_reserve", "joint_institute_2023")
COMMAND = "python docs/generate.py"
BLOCK = re.compile(r"(<!-- generated:(?P<name>[a-z0-9-]+)[^>]*-->\n)(?P<body>.*?)(<!-- /generated:(?P=name) -->)", re.S)


# --- the tour --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TourLine:
    """One command of the README's tour and the exit code its line promises."""

    text: str
    args: tuple[str, ...]
    expect: int


def tour_lines(readme: str) -> list[TourLine]:
    """Every ``allocator ...`` command in the tour section's bash blocks (continuation lines joined)."""
    section = readme.split("## A ten-minute tour", 1)[1].split("\n## ", 1)[0]
    out = []
    for block in re.findall(r"```bash\n(.*?)\n```", section, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.strip()
            if not line.startswith("allocator "):
                continue
            command, _, comment = line.partition("#")
            code = re.search(r"exits (\d+)", comment)
            out.append(TourLine(line, tuple(shlex.split(command)[1:]), int(code.group(1)) if code else 0))
    return out


def run_tour(work: Path) -> dict[str, str]:
    """Run every tour command as written in ``work`` (beside a link to scenarios/); each command's console output."""
    import os

    from click.testing import CliRunner

    from allocator.cli import cli

    (work / "scenarios").symlink_to(ROOT / "scenarios", target_is_directory=True)
    outputs, here = {}, os.getcwd()
    os.chdir(work)
    try:
        for line in tour_lines(README.read_text(encoding="utf-8")):
            result = CliRunner().invoke(cli, list(line.args), catch_exceptions=False)
            if result.exit_code != line.expect:
                raise SystemExit(f"README tour: `{line.text}` exited {result.exit_code}, its line says {line.expect}:\n{result.output}")
            outputs[line.text] = result.output
            sys.stderr.write(f"ok ({result.exit_code}): {line.text}\n")
    finally:
        os.chdir(here)
    return outputs


# --- rendering blocks --------------------------------------------------------------------------------


def masked(console: str) -> str:
    """Console output without what changes from run to run (seconds taken)."""
    console = re.sub(r"(highs|cbc)，[\d.]+ 秒", r"\1，… 秒", console)
    return re.sub(r"(highs|cbc), [\d.]+ s\)", r"\1, … s)", console)


def _read(run: Path, name: str) -> list[dict[str, str]]:
    import csv

    with open(run / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _scenario(run: Path) -> dict:
    import json

    return json.loads((run / "scenario.resolved.json").read_text(encoding="utf-8"))


def _at_target(run: Path) -> list[dict[str, str]]:
    return [r for r in _read(run, "indicators") if int(r["year"]) == int(float(r["target_year"]))]


def _value(row: Mapping[str, str], kind: str) -> str:
    v = float(row["value"])
    return f"{100 * v:.2f}%" if kind == "ratio" else f"{v:,.1f}".removesuffix(".0")


def _target(row: Mapping[str, str], kind: str) -> str:
    v = float(row["target"])
    return f"{100 * v:.0f}%" if kind == "ratio" else f"{v:,.0f}"


def plan_output_block(console: str) -> str:
    """The console summary of `allocator plan scenarios/zjut-2021-2025 --out runs/base`."""
    return "```text\n" + masked(console).rstrip("\n") + "\n```\n"


def headline_block(run: Path) -> str:
    """Which missing indicators clear and when, and how many targets are met (README, English)."""
    sc = _scenario(run)
    rows = _at_target(run)
    missing = [k for k, ind in sc["indicators"].items() if any(r["indicator"] == k and r["missing"] == "True" for r in rows)]
    first = _first_cleared(run, sc)
    met = sum(r["met"] == "True" for r in rows)
    cleared = ", ".join(f"{sc['indicators'][k]['name_en'] or k} {first[k]}" for k in sorted(missing, key=lambda k: (first.get(k, 9999), k)))
    missed = "; ".join(
        f"{sc['indicators'][r['indicator']]['name_en']} {_value(r, r['kind'])} of {_target(r, r['kind'])}"
        for r in rows
        if r["met"] != "True"
    )
    return (
        f"All {len(missing)} missing indicators are cleared by their clear-by years ({cleared}); "
        f"{met} of {len(rows)} targets are met by {max(int(r['year']) for r in rows)}" + (f" (missed: {missed})." if missed else ".") + "\n"
    )


def _first_cleared(run: Path, sc: dict) -> dict[str, int]:
    """First year each missing indicator reaches its clearing level (the level the model uses)."""
    from models import Indicator

    out: dict[str, int] = {}
    for r in sorted(_read(run, "indicators"), key=lambda r: int(r["year"])):
        ind = Indicator.model_validate(sc["indicators"][r["indicator"]])
        if ind.is_missing and r["indicator"] not in out and float(r["value"]) >= ind.clear_value - 1e-6:
            out[r["indicator"]] = int(r["year"])
    return out


def clearing_block(run: Path) -> str:
    """Scenario README: the year each missing indicator is first cleared, and its clear-by year."""
    from models import Indicator

    sc = _scenario(run)
    first = _first_cleared(run, sc)
    parts = []
    for k in sorted(first, key=lambda k: (first[k], k)):
        ind = Indicator.model_validate(sc["indicators"][k])
        parts.append(f"{sc['indicators'][k]['name_zh']} {first[k]}年（清零年份 {ind.clear_year}）")
    return "- 缺项全部按期清零：" + "；".join(parts) + "。\n"


def money_block(run: Path) -> str:
    """Scenario README: how many units get money, the colleges' share, and who receives each restricted fund."""
    sc = _scenario(run)
    allocation = _read(run, "allocation")
    by_unit: dict[str, float] = {}
    by_source: dict[str, set[str]] = {}
    for r in allocation:
        by_unit[r["unit"]] = by_unit.get(r["unit"], 0.0) + float(r["amount"])
        if r["source"] != "school":
            by_source.setdefault(r["source"], set()).add(r["unit"])
    units = sc["units"]
    colleges = [u for u, v in units.items() if v["type"] == "college"]
    departments = [u for u in units if u not in colleges]
    funded = {u for u, v in by_unit.items() if v > 1e-6}
    share = math.fsum(by_unit.get(u, 0.0) for u in colleges) / math.fsum(by_unit.values())
    unfunded = [units[u]["name_zh"] for u in units if u not in funded]
    lines = [
        f"- 经费流向{len(funded & set(colleges))}/{len(colleges)}个学院和{len(funded & set(departments))}/{len(departments)}个职能部门"
        + (f"（{'、'.join(unfunded)}没有经费）" if unfunded else "")
        + f"，学院约占{100 * share:.0f}%。"
    ]
    for key, who in sorted(by_source.items()):
        names = "、".join(units[u]["name_zh"] for u in units if u in who)
        lines.append(f"- {sc['sources'][key]['name_zh']}流向：{names}。")
    return "\n".join(lines) + "\n"


def model_block(run: Path) -> str:
    """Scenario README: the size of the model (solve times are measured by benchmarks/solver_bench.py)."""
    import json

    m = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    model = m["model"]
    size = f"{model['variables']:,}个变量、{model['constraints']:,}行（含整数变量）"
    return f"- 模型规模：{size}；求解时间见 `python benchmarks/solver_bench.py`。\n"


def _unmet(run: Path) -> str:
    sc = _scenario(run)
    rows = [r for r in _at_target(run) if r["met"] != "True"]
    return "；".join(f"{sc['indicators'][r['indicator']]['name_zh']} {_value(r, r['kind'])}/{_target(r, r['kind'])}" for r in rows) or "无"


def calibration_block(base: Path, named: Mapping[str, Path]) -> str:
    """Scenario README: stage objectives and missed targets of the base plan and each named scenario."""
    import json

    lines = ["| 运行 | 第一阶段(缺项未清零) | 第二阶段(加权进展) | 未完成的目标(目标年份的预计值/目标值) |", "|---|---|---|---|"]
    for label, run in (("基准", base), *((f"`--scenario {n}`", named[n]) for n in NAMED if n in named)):
        objective = json.loads((run / "manifest.json").read_text(encoding="utf-8"))["objective"]
        lines.append(f"| {label} | {objective['stage1_shortfall']:.3f} | {objective['stage2_progress']:.3f} | {_unmet(run)} |")
    return "\n".join(lines) + "\n"


def _extra(run: Path) -> tuple[float, str]:
    rows = _read(run, "extra")
    total = math.fsum(float(r["extra"]) for r in rows)
    return total, "、".join(f"{r['year']}年{float(r['extra']):,.0f}" for r in rows if float(r["extra"]) > 0.005)


def clear_costs_block(clears: Mapping[str, Path]) -> str:
    """Scenario README: what the least extra money to reach two missed targets comes to."""
    lines = []
    for key, run in sorted(clears.items()):
        total, years = _extra(run)
        name = _scenario(run)["indicators"][key]["name_zh"]
        lines.append(
            f"- `allocator whatif clear scenarios/zjut-2021-2025 --indicator {key} --keep-others`：{name}在目标年份达到目标、"
            f"其他指标不低于原方案，最少需另加{total:,.1f}万元增量（{years}）。"
        )
    return "\n".join(lines) + "\n"


def tour_clear_block(run: Path) -> str:
    """README: the tour's cost-to-clear figure, in English."""
    total, _ = _extra(run)
    return (
        f"- `clear` finds the least extra money that reaches a target by a year: 1,800 degree international\n"
        f"  students by 2025, keeping every other indicator on course, needs {total:,.1f} 万元 more increment\n"
        f"  (by year in `extra.csv`), and it is exact: at 1% less it cannot be done.\n"
    )


def tour_sweep_block(run: Path) -> str:
    """README: which targets slip first as the increment falls, from the tour's sweep."""
    sc = _scenario(run)
    frontier = sorted(_read(run, "frontier"), key=lambda r: -float(r["level"]))
    keys = [c for c in frontier[0] if f"{c}_met" in frontier[0]]
    top = {k for k in keys if frontier[0][f"{k}_met"] == "True"}
    steps = []
    for r in frontier[1:]:
        lost = [k for k in keys if k in top and r[f"{k}_met"] != "True"]
        if lost:
            names = ", ".join(sc["indicators"][k]["name_en"] or k for k in lost)
            steps.append(f"at {float(r['level']):g} of the increment {names}")
            top -= set(lost)
    said = "; ".join(steps) if steps else "no target slips over this range"
    return f"- The sweep shows which targets slip first as money falls: {said}.\n"


# --- rewriting files ---------------------------------------------------------------------------------


def rolling_block(base: Path, rolled: Path) -> str:
    """What the mid-term re-plan on the 2021 actuals keeps and changes against the base plan (README, English)."""
    spent = {int(r["year"]): 0.0 for r in _read(rolled, "budget")}
    available = dict(spent)
    for r in _read(rolled, "budget"):
        spent[int(r["year"])] += float(r["allocated"])
        available[int(r["year"])] += float(r["available"])
    lines = {(r["unit"], r["initiative"]) for r in _read(rolled, "allocation") if r["status"] == "actual"}
    value = {
        (name, r["indicator"], int(r["year"])): float(r["value"])
        for name, run in (("base", base), ("rolled", rolled))
        for r in _read(run, "indicators")
    }
    met = {name: sum(r["met"] == "True" for r in _at_target(run)) for name, run in (("base", base), ("rolled", rolled))}
    moved = {}
    for name, run in (("base", base), ("rolled", rolled)):
        for r in _read(run, "allocation"):
            if int(r["year"]) >= 2022:
                key = (r["unit"], r["initiative"], int(r["year"]))
                moved[key] = moved.get(key, 0.0) + (1 if name == "rolled" else -1) * float(r["amount"])
    changed = sum(1 for v in moved.values() if abs(v) >= 0.005)
    full = all(abs(spent[y] - available[y]) < 0.005 for y in spent if y >= 2022)
    targets = len(_at_target(rolled))
    k = "students_abroad_3m"
    return (
        f"- 2021 is locked to what was spent: {spent[2021]:,.2f} of the {available[2021]:,.2f} 万元 available, on "
        f"{len(lines)} lines, each to the fen (`status` `actual` in allocation.csv and indicators.csv).\n"
        f"- The measured outputs are the start of 2022: {value['rolled', k, 2021]:,.0f} students abroad in 2021 "
        f"where the plan expected {value['base', k, 2021]:,.1f}; by 2025 the re-plan reaches "
        f"{value['rolled', k, 2025]:,.1f} (the base plan {value['base', k, 2025]:,.1f}).\n"
        f"- 2022-2025 are re-planned: {changed} line-years change, "
        f"{'the budget of each year is spent in full' if full else 'some money is left unspent'}, and "
        f"{met['rolled']} of {targets} targets are met in 2025 (the base plan {met['base']}).\n"
    )


def replace_blocks(text: str, blocks: Mapping[str, str]) -> str:
    """``text`` with each generated block's body replaced by its new rendering (blocks not given stay)."""

    def swap(m: re.Match) -> str:
        name = m.group("name")
        return m.group(1) + blocks[name] + m.group(4) if name in blocks else m.group(0)

    return BLOCK.sub(swap, text)


def block_names(text: str) -> list[str]:
    """Names of the generated blocks in a file."""
    return [m.group("name") for m in BLOCK.finditer(text)]


def base_blocks(plan_run: Path, plan_console: str) -> dict[str, dict[str, str]]:
    """Blocks that need only the base plan run (the ones the test checks on every run), by file."""
    return {
        "README.md": {"plan-output": plan_output_block(plan_console), "plan-headline": headline_block(plan_run)},
        "scenario": {"clearing": clearing_block(plan_run), "money-spread": money_block(plan_run), "model-size": model_block(plan_run)},
    }


def more_blocks(
    plan_run: Path, named: Mapping[str, Path], clears: Mapping[str, Path], sweep: Path, tour_clear: Path
) -> dict[str, dict[str, str]]:
    """Blocks that need the named scenarios, the cost-to-clear runs and the sweep."""
    return {
        "README.md": {"tour-clear": tour_clear_block(tour_clear), "tour-sweep": tour_sweep_block(sweep)},
        "scenario": {"calibration": calibration_block(plan_run, named), "clear-costs": clear_costs_block(clears)},
    }


def extra_runs(work: Path, plan_run: Path | None = None) -> dict[str, Path]:
    """The named-scenario plans and the two cost-to-clear runs the scenario README quotes."""
    from allocator.pipeline import run_clear, run_plan
    from allocator.request import ScenarioRequest

    out = {}
    for name in NAMED:
        out[name] = run_plan(ScenarioRequest(ROOT / BUNDLED, scenario_names=(name,)), work / name, marginals=False).folder
    for key in ("degree_intl_students", "overseas_exp_ratio"):
        out[f"clear:{key}"] = run_clear(ROOT / BUNDLED, work / f"clear-{key}", indicators=(key,), keep_others=True).folder
    return out


def render(work: Path) -> dict[Path, str]:
    """Run the tour and the extra runs under ``work``; the two files' new text."""
    outputs = run_tour(work)
    plan_line = next(t for t in outputs if t.startswith("allocator plan scenarios/zjut-2021-2025 --out runs/base"))
    runs = work / "runs"
    extra = extra_runs(work / "extra")
    blocks = _merge(
        base_blocks(runs / "base", outputs[plan_line]),
        more_blocks(
            runs / "base",
            {n: extra[n] for n in NAMED},
            {k.split(":", 1)[1]: v for k, v in extra.items() if k.startswith("clear:")},
            runs / "sweep",
            runs / "clear",
        ),
        {"README.md": {"tour-rolling": rolling_block(runs / "base", runs / "midterm")}},
    )
    return {
        README: replace_blocks(README.read_text(encoding="utf-8"), blocks["README.md"]),
        SCENARIO_README: replace_blocks(SCENARIO_README.read_text(encoding="utf-8"), blocks["scenario"]),
    }


def _merge(*parts: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for part in parts:
        for file, blocks in part.items():
            out.setdefault(file, {}).update(blocks)
    return out


def main(argv: list[str] | None = None, write: Callable[[Path, str], None] | None = None) -> int:
    """Regenerate both files (or, with --check, report which differ)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report blocks that differ")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="docs-generate-") as tmp:
        new = render(Path(tmp))
    stale = [path for path, text in new.items() if path.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            sys.stdout.write(f"{path.relative_to(ROOT)} differs from a fresh run; run: {COMMAND}\n")
        return 1 if stale else 0
    for path in stale:
        (write or (lambda p, t: p.write_text(t, encoding="utf-8")))(path, new[path])
        sys.stdout.write(f"rewrote {path.relative_to(ROOT)}\n")
    if not stale:
        sys.stdout.write("README.md and the scenario README already match a fresh run\n")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
