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

ROLLING_OPTIONS = (
    click.option(
        "--actuals",
        "actuals_dir",
        type=click.Path(),
        metavar="DIR",
        help="Score inputs of the years already spent (actual_spending.csv, and actual_outputs.csv if measured): "
        "years before --from are locked to them (rolling re-plan, mid-term review).",
    ),
    click.option("--from", "from_year", type=int, metavar="YEAR", help="First year to re-plan; every earlier year is locked to --actuals."),
    click.option(
        "--until",
        "until_year",
        type=int,
        metavar="YEAR",
        help="Extend the horizon to YEAR past the policy's last year: targets held as sustain targets, the last "
        "year's funds held flat (override with --set budget.increment.YEAR=...).",
    ),
)
"""``allocator plan``'s options for a rolling re-plan (see allocator.rolling)."""
