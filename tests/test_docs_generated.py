"""The numbers in README.md and the bundled scenario's README are those of fresh runs (docs/generate.py writes them).

Each block is rendered here from runs made in the test session and compared with the file; a block that
differs fails with the command that regenerates both files.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FILES = {"README.md": ROOT / "README.md", "scenario": ROOT / "scenarios" / "zjut-2021-2025" / "README.md"}


def _generator():
    spec = importlib.util.spec_from_file_location("docs_generate", ROOT / "docs" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


generate = _generator()


def console(run) -> str:
    """What `allocator plan scenarios/zjut-2021-2025 --out runs/base` prints for this run, as the command prints it."""
    from allocator.cli.common import Words
    from allocator.cli.plan import plan_summary

    text = "".join(line + "\n" for line, _ in plan_summary(run, Words(run.loaded.scenario.language)))
    return text.replace(str(run.folder), "runs/base")


def assert_blocks_match(blocks: dict[str, dict[str, str]]) -> None:
    for file, rendered in blocks.items():
        text = FILES[file].read_text(encoding="utf-8")
        present = generate.block_names(text)
        for name, body in rendered.items():
            assert name in present, f"{FILES[file].name} has no generated block '{name}'"
            assert generate.replace_blocks(text, {name: body}) == text, (
                f"{FILES[file].relative_to(ROOT)}: block '{name}' differs from a fresh run; run: {generate.COMMAND}\n{body}"
            )


def test_every_generated_block_is_rendered_by_the_script():
    expected = {
        "README.md": {"plan-output", "plan-headline", "tour-clear", "tour-sweep", "tour-rolling"},
        "scenario": {"calibration", "clearing", "money-spread", "clear-costs", "model-size"},
    }
    for file, names in expected.items():
        assert set(generate.block_names(FILES[file].read_text(encoding="utf-8"))) == names


def test_the_tour_lines_say_how_they_exit():
    lines = generate.tour_lines(FILES["README.md"].read_text(encoding="utf-8"))
    assert len(lines) >= 12
    failing = [line for line in lines if line.expect]
    # the one line expected to fail says so, and why: a lead time it cannot beat
    assert [(line.args[:4], line.expect) for line in failing] == [(("whatif", "clear", "scenarios/zjut-2021-2025", "--indicator"), 3)]


def test_the_tour_writes_each_output_once():
    # a reader runs the tour top to bottom: a second line writing the same output would stop at "exists already"
    outputs = []
    for line in generate.tour_lines(FILES["README.md"].read_text(encoding="utf-8")):
        args = list(line.args)
        outputs += [args[n + 1] for n, a in enumerate(args[:-1]) if a in ("--out", "--xlsx", "--budget-tables")]
    assert "runs/base" in outputs
    assert len(outputs) == len(set(outputs)), sorted(o for o in outputs if outputs.count(o) > 1)


def test_the_readme_names_every_file_of_a_plan_run(bundled_plan):
    import re

    text = FILES["README.md"].read_text(encoding="utf-8")
    sentence = text[text.index("The run folder holds") :].split("(which reproduces", 1)[0]
    named = set(re.findall(r"`([^`]+)`", sentence))
    assert named == {p.name for p in bundled_plan.folder.iterdir()}


def test_blocks_from_the_base_plan_match_a_fresh_run(bundled_plan):
    assert_blocks_match(generate.base_blocks(bundled_plan.folder, console(bundled_plan)))


@pytest.mark.slow
def test_blocks_from_the_named_scenarios_clears_and_sweep_match_fresh_runs(bundled_plan, tmp_path):
    from allocator.pipeline import run_sweep

    extra = generate.extra_runs(tmp_path)
    clears = {k.split(":", 1)[1]: v for k, v in extra.items() if k.startswith("clear:")}
    sweep = run_sweep(generate.ROOT / generate.BUNDLED, tmp_path / "sweep", scope="increment", levels=[0.5, 0.75, 1.0, 1.25, 1.5]).folder
    blocks = generate.more_blocks(bundled_plan.folder, {n: extra[n] for n in generate.NAMED}, clears, sweep, clears["degree_intl_students"])
    assert_blocks_match(blocks)


def test_the_rolling_block_matches_a_fresh_re_plan(bundled_plan, tmp_path):
    from allocator.pipeline import run_plan
    from allocator.request import ScenarioRequest
    from allocator.rolling import RollingRequest

    scenario = generate.ROOT / generate.BUNDLED
    past = RollingRequest(actuals=scenario / "performance-2021", from_year=2022)
    rolled = run_plan(ScenarioRequest(scenario).with_rolling(past), tmp_path / "midterm", marginals=False).folder
    assert_blocks_match({"README.md": {"tour-rolling": generate.rolling_block(bundled_plan.folder, rolled)}})
