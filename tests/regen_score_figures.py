"""Rewrite the scoring figures of README.md and performance-2021/README.md from a fresh bundled plan and score.

Run: ``python tests/regen_score_figures.py``.
"""

import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

from allocator.cli import cli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.score_figures import render, render_into  # noqa: E402

BUNDLED = ROOT / "scenarios" / "zjut-2021-2025"
PERF = BUNDLED / "performance-2021"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        plan, score = Path(tmp) / "plan", Path(tmp) / "score"
        runner = CliRunner()
        inputs = ["--actuals", str(PERF / "actual_outputs.csv"), "--spending", str(PERF / "actual_spending.csv")]
        for args in (
            ["plan", str(BUNDLED), "--no-marginals", "--out", str(plan)],
            ["tasks", str(plan)],
            ["score", str(BUNDLED), *inputs, "--plan", str(plan), "--out", str(score)],
        ):
            res = runner.invoke(cli, ["-q", *args])
            assert res.exit_code == 0, res.output
        block = render(plan, score)
        for readme in (ROOT / "README.md", PERF / "README.md"):
            readme.write_text(render_into(readme.read_text(encoding="utf-8"), block), encoding="utf-8")
    print("scoring figures regenerated in README.md and performance-2021/README.md")


if __name__ == "__main__":
    main()
