"""Documentation that cannot drift: the README's input reference is the schema's, and its commands exist."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from allocator.cli import cli
from allocator.reference import render_into

ROOT = Path(__file__).resolve().parent.parent


def test_readme_reference_matches_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert render_into(readme) == readme, "run: python tests/regen_reference.py"


def test_readme_has_exactly_the_two_quick_start_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)\n```", readme.split("## Quick start", 1)[1].split("\n## ", 1)[0], re.S)
    assert len(blocks) == 2
    assert "allocator plan scenarios/zjut-2021-2025" in blocks[0]
    assert blocks[1].strip() in ci  # CI runs the second command verbatim


def test_every_command_in_the_readme_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = set(re.findall(r"`allocator ([a-z-]+)", readme))
    for name in names:
        args = name.split() + ["--help"]
        if name == "whatif":
            continue
        res = CliRunner().invoke(cli, args)
        assert res.exit_code == 0, f"allocator {name}: {res.output}"
