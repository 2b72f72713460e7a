"""Command line: a thin click shell over the Python API. Flags, printing and exit codes live here only.

Exit codes: 0 ok, 1 bad input, 2 usage, 3 infeasible or unbounded, 4 solver missing or failed,
70 internal error (a bug; rerun with --debug for the traceback).

One module per job (``plan``, ``whatif``, ``score``, ``dea``, ``compare``, ``outputs``); what they share
is in ``common``. A command module is imported only when its command runs, so ``allocator --help``
stays fast: import heavy modules (pandas, the solver, the models) inside the command function.

To add a command, say ``allocator goals``:

1. write ``allocator/cli/goals.py`` with ``@click.command()`` (and ``@scenario_options`` from
   ``common`` if it takes a scenario) on a function ``goals``; its docstring's first line is its help;
2. add one line to ``COMMANDS`` below: ``"goals": ("goals", "goals", "<that first line>")``.

The global flags (-v, -q, --json, --debug, --lang) are added to every registered command by the group.
"""

from __future__ import annotations

import click

from .. import __version__
from .group import AllocatorGroup

#: command name -> (module in this package, attribute, one-line help shown by ``allocator --help``)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "validate": ("plan", "validate", "Check a scenario and report every problem with its file, row and column."),
    "plan": ("plan", "plan", "Split the budget across units and initiatives, and write a run folder."),
    "show-scenario": ("plan", "show_scenario", "Print the merged, validated scenario (after named scenarios and overrides)."),
    "convert": ("plan", "convert", "Convert a scenario between the folder (YAML + CSV) and the one-workbook (.xlsx) forms."),
    "whatif": ("whatif", "whatif", "What-if questions: budget frontiers, cost to clear missing indicators, risk."),
    "compare": (
        "compare",
        "compare",
        "Compare two plan runs: money moved (B - A) by unit, initiative and pool; indicators that changed status.",
    ),
    "score": (
        "score",
        "score",
        "Score each unit in 100 points (completion, 预算执行率, unit cost, timeliness), ranked per track; awards, next-year floors.",
    ),
    "tasks": (
        "tasks",
        "tasks",
        "Write the task decomposition (任务分解表) of a plan run: whole-number targets per unit and year, and their money.",
    ),
    "goals": ("goals", "goals", "Goal programming on plain tables: variables, goals and levels, solved by priority (or weighted)."),
    "dea": ("dea", "dea_command", "Data envelopment analysis on any table: one row per unit with efficiency, slacks, peers and status."),
    "split": (
        "split",
        "split",
        "Split an amount over any table's rows by weight (factor method), with stop-loss and min/max, exact to the fen.",
    ),
    "report": (
        "outputs",
        "report",
        "Write a self-contained HTML report of a plan, score, sweep, clear, compare or risk run (--lang picks its language).",
    ),
    "export": (
        "outputs",
        "export",
        "Export a run folder as a formatted workbook, and a plan's budget tables in the finance office's format.",
    ),
    "template": (
        "outputs",
        "template",
        "Write a scenario template (a README, marked headers with comments, one example row per sheet, drop-downs), or --score's.",
    ),
}


@click.group(cls=AllocatorGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="allocator")
def cli() -> None:
    """Split an internationalization budget, ask what-if questions, and score performance."""


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv, prog_name="allocator")
