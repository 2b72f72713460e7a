"""allocator dea as an analyst types it: full-width commas, small tables, rounded output, the shipped sample table."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from allocator.cli import cli

SAMPLE = Path(__file__).resolve().parent.parent / "scenarios" / "examples" / "dea.csv"


def test_the_sample_table_runs_with_a_full_width_comma():
    res = CliRunner().invoke(
        cli,
        [
            "dea",
            str(SAMPLE),
            "--id",
            "unit",
            "--inputs",
            "money，staff",
            "--outputs",
            "papers, students",
            "--model",
            "bcc",
            "--orientation",
            "output",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "12" in res.output.splitlines()[0]
    # numbers shown to at most four decimals: no float noise such as 1.0000000000000002
    assert not re.search(r"\d\.\d{5,}", res.output)
    # env: BCC output efficiency 0.8293 against bio, cs and econ (phi 1.2058), the table's own numbers
    env = next(line for line in res.output.splitlines() if line.strip().startswith("env "))
    assert "0.8293" in env and "1.2058" in env


def test_a_small_table_is_refused_with_the_way_out_then_runs_with_force_small(tmp_path, caplog):
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    small = tmp_path / "small.csv"
    small.write_text("\n".join(lines[:5]) + "\n", encoding="utf-8")  # 4 units, 2 inputs, 2 outputs: below m + s + 1 = 5
    args = ["dea", str(small), "--id", "unit", "--inputs", "money,staff", "--outputs", "papers,students"]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 1
    assert "4 DMUs for 2 input(s) and 2 output(s)" in res.output and "--force-small" in res.output
    res = CliRunner().invoke(cli, [*args, "--force-small"])
    assert res.exit_code == 0, res.output
    assert "fewer than m + s + 1 = 5" in caplog.text  # warned, not silent
    assert "mech" in res.output
