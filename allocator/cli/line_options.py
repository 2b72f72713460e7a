"""The options every scenario command takes for lines: ``--lock`` and ``--execution`` (see allocator.line_inputs)."""

from __future__ import annotations

import click

LINE_OPTIONS = (
    click.option(
        "--lock",
        "locks",
        multiple=True,
        metavar="UNIT.INITIATIVE.YEAR=AMOUNT",
        help="Fix one line's money in one year; the rest of the plan re-solves (repeatable; adds to the locks table).",
    ),
    click.option(
        "--execution",
        type=click.Path(),
        metavar="FILE_OR_DIR",
        help="Last year's planned and actual spending per line (a table, or a folder of score inputs whose "
        "actual_spending.csv is set against the base); replaces the scenario's execution table.",
    ),
)
