"""Every limit on what the tool accepts, in one place (the README's input reference states each).

The limits keep a hostile or broken input from costing minutes and gigabytes before it fails: each is far
above what a real scenario needs, and crossing one is a bad-input error (exit 1) naming the file and place.
"""

from __future__ import annotations

# --- files ----------------------------------------------------------------------------------------------
MAX_TEXT_FILE_BYTES = 50_000_000
"""A CSV, YAML or JSON input file (50 MB)."""
MAX_CELL_CHARS = 10_000
"""Characters in one CSV cell, workbook cell or YAML string."""
MAX_TABLE_ROWS = 200_000
"""Data rows of one CSV table or worksheet."""
MAX_TABLE_COLUMNS = 256
"""Columns of one CSV table or worksheet (a worksheet's used range, not its formatted one)."""

# --- workbooks ------------------------------------------------------------------------------------------
MAX_WORKBOOK_BYTES = 50_000_000
"""An .xlsx file on disk (50 MB)."""
MAX_WORKBOOK_UNCOMPRESSED = 200_000_000
"""All parts of an .xlsx together, uncompressed (200 MB), checked before the workbook is opened."""
MAX_COMPRESSION_RATIO = 200
"""Uncompressed / compressed size of any part over 1 MB (zip bombs compress ~1000:1; real sheets ~10:1)."""
MAX_WORKBOOK_PARTS = 10_000
"""Files inside one .xlsx."""

# --- YAML -----------------------------------------------------------------------------------------------
MAX_YAML_NODES = 200_000
"""Nodes of one YAML document with every alias expanded (alias bombs expand to billions)."""

# --- numbers --------------------------------------------------------------------------------------------
MAX_MONEY = 1e9
"""Any money figure, in the scenario's currency (1e9 万元 is ten trillion yuan)."""
MAX_MAGNITUDE = 1e12
"""Any other number in a scenario or table (a count, a yield, a capacity)."""

# --- jobs -----------------------------------------------------------------------------------------------
MAX_SWEEP_LEVELS = 1_000
"""Levels of one sweep (each is a MILP solve)."""
MAX_SWEEP_FACTOR = 1_000.0
"""Largest budget factor of a sweep level (1 = the budget as given)."""
MAX_RISK_DRAWS = 100_000
"""Draws of one risk assessment."""
MAX_YIELD_CV = 10.0
"""Coefficient of variation of a risk assessment's yields."""
MAX_TIME_LIMIT = 7 * 24 * 3600.0
"""A solver time limit, in seconds (one week)."""
MAX_SPLIT_QUANTA = 10**15
"""Whole quanta of one factor split (its amount x 10^decimals): below 2^53, so every quantum is exact in a float."""

LIMITS_DOC = {
    "a CSV, YAML or JSON input file": f"{MAX_TEXT_FILE_BYTES // 1_000_000} MB",
    "one cell or YAML string": f"{MAX_CELL_CHARS:,} characters",
    "rows of one table or sheet": f"{MAX_TABLE_ROWS:,}",
    "columns of one table or sheet (its used range)": f"{MAX_TABLE_COLUMNS:,}",
    "an .xlsx file": f"{MAX_WORKBOOK_BYTES // 1_000_000} MB on disk, {MAX_WORKBOOK_UNCOMPRESSED // 1_000_000} MB uncompressed, "
    f"{MAX_WORKBOOK_PARTS:,} parts, no part over 1 MB compressed more than {MAX_COMPRESSION_RATIO}:1",
    "one YAML document (scenario.yaml, --override)": f"{MAX_YAML_NODES:,} nodes with every alias expanded",
    "any money figure": f"{MAX_MONEY:,.0f} in the scenario's currency, and finite",
    "any other number": f"{MAX_MAGNITUDE:,.0f} in size, and finite",
    "levels of one sweep": f"{MAX_SWEEP_LEVELS:,}, each factor at most {MAX_SWEEP_FACTOR:g}",
    "risk draws": f"{MAX_RISK_DRAWS:,}, yield cv at most {MAX_YIELD_CV:g}",
    "--time-limit": f"{MAX_TIME_LIMIT:,.0f} s (one week)",
    "the amount of `allocator split`": f"{MAX_SPLIT_QUANTA:,} whole quanta (10,000,000,000,000.00 with --decimals 2); "
    f"each cell at most {MAX_MAGNITUDE:,.0f}",
}
"""The limits as the README's input reference states them (generated, so the two cannot drift)."""
