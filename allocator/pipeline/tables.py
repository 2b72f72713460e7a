"""Jobs on any table (no scenario): the factor split of an amount over a table's rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..io.atomic import atomic_write_bytes, ensure_new
from ..io.outputs import TABLE, input_paths
from ..io.safe_text import frame_csv_bytes


def run_split(
    data: str | Path,
    *,
    id_col: str,
    amount: float,
    weight: str,
    prior: str | None = None,
    stop_loss: float | None = None,
    minimum: str | None = None,
    maximum: str | None = None,
    decimals: int = 2,
    out: str | Path | None = None,
    force: bool = False,
) -> pd.DataFrame:
    """Factor split of ``amount`` over a CSV/xlsx table; writes the table plus the split columns atomically to ``out``.

    The written ``amount`` column is exact decimal text with ``decimals`` decimals (it sums to the amount).
    Rows in errors are the file's own line numbers.
    """
    from ..io.records import read_rows
    from ..split import factor_split

    if out is not None:
        ensure_new(out, force=force, kind=TABLE, inputs=input_paths(data))
    label, header, rows = read_rows(data)
    columns = [h for h in header if h]
    frame = pd.DataFrame([r for _, r in rows], columns=columns)
    result = factor_split(
        frame,
        id_col=id_col,
        amount=amount,
        weight=weight,
        prior=prior,
        stop_loss=stop_loss,
        minimum=minimum,
        maximum=maximum,
        decimals=decimals,
        source=label,
        row_numbers=[n for n, _ in rows],
    )
    if out is not None:
        atomic_write_bytes(out, frame_csv_bytes(published_split(result, decimals)), force=force, kind=TABLE)
    return result


def published_split(result: pd.DataFrame, decimals: int = 2) -> pd.DataFrame:
    """A split as written and printed: amounts as exact decimal text, ratios rounded to 9 decimals (no 0.9998999999999999)."""
    from ..rounding import quanta_text, to_quanta

    shown = result.copy()
    shown["recommendation"] = shown["recommendation"].round(9)
    shown["percent_funded"] = shown["percent_funded"].round(9)
    shown["amount"] = [quanta_text(to_quanta(a, 10.0**-decimals), decimals) for a in result["amount"]]
    return shown
