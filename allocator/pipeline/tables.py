"""Jobs on any table (no scenario): the factor split of an amount over a table's rows, and DEA of its rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..io.atomic import atomic_write_bytes, ensure_new
from ..io.outputs import TABLE, input_paths
from ..io.safe_text import frame_csv_bytes


def run_on_table(
    data: str | Path,
    out: str | Path | None,
    force: bool,
    compute: Callable[[pd.DataFrame, str, list[int]], pd.DataFrame],
    publish: Callable[[pd.DataFrame], pd.DataFrame],
) -> pd.DataFrame:
    """The pattern of every job on a table: refuse ``out`` before any work, read the CSV/xlsx table, compute, write.

    ``compute(frame, label, rows)`` gets the table's cells (as text from a CSV), the label naming the file (and
    sheet) in errors, and each row's number in the file; ``publish`` turns the result into what is written.
    """
    from ..io.records import read_rows

    if out is not None:
        ensure_new(out, force=force, kind=TABLE, inputs=input_paths(data))
    label, header, rows = read_rows(data)
    frame = pd.DataFrame([r for _, r in rows], columns=[h for h in header if h])
    result = compute(frame, label, [n for n, _ in rows])
    if out is not None:
        atomic_write_bytes(out, frame_csv_bytes(publish(result)), force=force, kind=TABLE)
    return result


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
    from ..split import factor_split

    def compute(frame: pd.DataFrame, label: str, rows: list[int]) -> pd.DataFrame:
        return factor_split(
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
            row_numbers=rows,
        )

    return run_on_table(data, out, force, compute, lambda result: published_split(result, decimals))


def run_dea(
    data: str | Path,
    *,
    id_col: str,
    inputs: list[str],
    outputs: list[str],
    model: str,
    orientation: str,
    super_efficiency: bool = False,
    out: str | Path | None = None,
    force: bool = False,
    force_small: bool = False,
) -> pd.DataFrame:
    """DEA on a CSV/xlsx table; writes the result CSV (to 9 decimals) atomically when ``out`` is given."""
    from ..dea import dea_table

    def compute(frame: pd.DataFrame, label: str, rows: list[int]) -> pd.DataFrame:
        return dea_table(
            frame,
            id_col=id_col,
            inputs=inputs,
            outputs=outputs,
            model=model,
            orientation=orientation,
            super_efficiency=super_efficiency,
            source=label,
            force_small=force_small,
        )

    return run_on_table(data, out, force, compute, lambda result: result.round(9))


def published_split(result: pd.DataFrame, decimals: int = 2) -> pd.DataFrame:
    """A split as written and printed: amounts as exact decimal text, ratios rounded to 9 decimals (no 0.9998999999999999)."""
    from ..rounding import quanta_text, to_quanta

    shown = result.copy()
    shown["recommendation"] = shown["recommendation"].round(9)
    shown["percent_funded"] = shown["percent_funded"].round(9)
    shown["amount"] = [quanta_text(to_quanta(a, 10.0**-decimals), decimals) for a in result["amount"]]
    return shown
