"""DEA on a table: validate a DataFrame, run :func:`dea`, return one row per DMU.

Row numbers in error messages are spreadsheet rows: the header is row 1, so
the first data row is row 2 (``DataFrame`` position ``i`` is row ``i + 2``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd

from allocator.dea.core import dea
from allocator.dea.result import DEAResult
from allocator.errors import DataError
from allocator.io.cells import check_ids, is_blank, parse_number
from allocator.limits import MAX_MAGNITUDE

logger = logging.getLogger(__name__)

#: Spreadsheet row of DataFrame position 0 (the header is row 1).
FIRST_DATA_ROW = 2


def split_columns(text: str) -> list[str]:
    """Column names from a list typed on the command line: comma-separated, full-width ``，`` accepted."""
    return [c.strip() for c in text.replace("，", ",").split(",") if c.strip()]


def dea_table(
    df: pd.DataFrame,
    *,
    id_col: str,
    inputs: list[str],
    outputs: list[str],
    model: str,
    orientation: str,
    super_efficiency: bool = False,
    source: str = "data.csv",
    force_small: bool = False,
) -> pd.DataFrame:
    """Validate ``df`` and run DEA; one output row per DMU, in input order.

    Args:
        df: One row per DMU.
        id_col: Column with unique DMU identifiers.
        inputs: Input columns (non-negative numbers).
        outputs: Output columns (non-negative numbers).
        model: ``"ccr"``, ``"bcc"`` or ``"sbm"`` (required).
        orientation: ``"input"``, ``"output"`` or ``"non"`` (required).
        super_efficiency: Add ``super_efficiency`` (and ``super_status``) columns.
        source: File name used in error messages.
        force_small: Run with fewer DMUs than m + s + 1 (with a warning) instead of refusing.

    Returns:
        Columns ``id, efficiency[, phi], slack_<col>..., target_<col>..., peers[, rts]
        [, super_efficiency[, super_phi], super_status], status``; ``rts`` only for
        CCR/BCC, ``phi``/``super_phi`` only for output orientation.

    Raises:
        DataError: naming ``source``, the spreadsheet row and the column of every
            problem found (all problems are collected and reported together).
    """
    x, y, ids = validate_table(df, id_col=id_col, inputs=inputs, outputs=outputs, source=source, force_small=force_small)
    res = dea(x, y, model=model, orientation=orientation, super_efficiency=super_efficiency, ids=ids)
    return result_frame(res, inputs, outputs)


def validate_table(
    df: pd.DataFrame,
    *,
    id_col: str,
    inputs: Sequence[str],
    outputs: Sequence[str],
    source: str,
    force_small: bool = False,
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Return inputs, outputs and ids of a valid table, or raise one DataError listing every problem."""
    _check_column_names(df, id_col, inputs, outputs, source)
    problems: list[str] = []
    ids = _check_ids(df[id_col], id_col, source, problems)
    values = {c: _check_numbers(df[c], c, source, problems) for c in [*inputs, *outputs]}
    if not problems:
        _check_zero_columns(values, inputs, outputs, source, problems)
        _check_rows_without_input(values, inputs, source, problems)
        _check_count(len(df), len(inputs), len(outputs), source, problems, force_small)
    if problems:
        raise DataError(f"{source}: {len(problems)} problem(s) in the DEA data:\n- " + "\n- ".join(problems))
    x = np.column_stack([values[c] for c in inputs])
    y = np.column_stack([values[c] for c in outputs])
    return x, y, ids


def _row(i: int) -> int:
    return i + FIRST_DATA_ROW


def _check_column_names(df: pd.DataFrame, id_col: str, inputs: Sequence[str], outputs: Sequence[str], source: str) -> None:
    if not inputs or not outputs:
        raise DataError(f"{source}: DEA needs at least one input and one output column")
    wanted = [id_col, *inputs, *outputs]
    missing = [c for c in wanted if c not in df.columns]
    if missing:
        have = ", ".join(map(str, df.columns))
        raise DataError(f"{source}: missing column(s) {', '.join(map(repr, missing))} (the header has: {have})")
    both = sorted(set(inputs) & set(outputs))
    if both:
        raise DataError(f"{source}: column(s) {', '.join(map(repr, both))} listed as both input and output")
    if len(set(wanted)) != len(wanted):
        raise DataError(f"{source}: a column is listed twice among id, inputs and outputs")


def _check_ids(col: pd.Series, name: str, source: str, problems: list[str]) -> list[str]:
    return check_ids(col.tolist(), [_row(i) for i in range(len(col))], name, source, problems)


def _check_numbers(col: pd.Series, name: str, source: str, problems: list[str]) -> np.ndarray:
    numeric = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        bad = np.flatnonzero(~np.isfinite(numeric) | (numeric < 0) | (numeric > MAX_MAGNITUDE))
    raw_values = col.to_numpy(dtype=object)
    for i in bad.tolist():  # only the bad cells are looked at one by one
        raw = raw_values[i]
        where = f"{source}, row {_row(i)}, column {name!r}"
        if is_blank(raw):
            problems.append(f"{where}: empty (DEA needs a number for every DMU)")
            continue
        try:
            numeric[i] = parse_number(raw)  # the shared rule says what a number is, and why a cell is not one
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if numeric[i] < 0:
            problems.append(f"{where}: negative value {raw!r} (inputs and outputs must be >= 0)")
    return numeric


def _check_zero_columns(
    values: dict[str, np.ndarray], inputs: Sequence[str], outputs: Sequence[str], source: str, problems: list[str]
) -> None:
    for kind, cols in (("input", inputs), ("output", outputs)):
        for c in cols:
            if not np.any(values[c] > 0):
                last = _row(len(values[c]) - 1)
                problems.append(f"{source}, rows {FIRST_DATA_ROW}-{last}, column {c!r}: {kind} is zero for every DMU (drop the column)")


def _check_rows_without_input(values: dict[str, np.ndarray], inputs: Sequence[str], source: str, problems: list[str]) -> None:
    x = np.column_stack([values[c] for c in inputs])
    cols = ", ".join(map(repr, inputs))
    for i in np.flatnonzero(~np.any(x > 0, axis=1)):
        problems.append(
            f"{source}, row {_row(int(i))}, column(s) {cols}: every input is zero (a unit that uses nothing cannot be compared)"
        )


def _check_count(n: int, m: int, s: int, source: str, problems: list[str], force_small: bool = False) -> None:
    """At least m + s + 1 DMUs (fewer only with ``force_small``, and a warning); fewer than Cooper et al.'s rule of thumb warns."""
    if n < m + s + 1 and force_small and n >= 1:
        logger.warning(
            "%s: %d DMUs for %d input(s) and %d output(s), fewer than m + s + 1 = %d: most units will come out efficient",
            source,
            n,
            m,
            s,
            m + s + 1,
        )
    elif n < m + s + 1:
        problems.append(
            f"{source}, rows {FIRST_DATA_ROW}-{_row(n - 1)}: {n} DMUs for {m} input(s) and "
            f"{s} output(s); DEA needs at least {m + s + 1} (m + s + 1) to discriminate (--force-small runs it anyway, with a warning)"
        )
    elif n < max(m * s, 3 * (m + s)):
        logger.warning(
            "%s: %d DMUs is below the rule of thumb max(m*s, 3(m+s)) = %d; expect many efficient units", source, n, max(m * s, 3 * (m + s))
        )


def result_frame(res: DEAResult, inputs: Sequence[str], outputs: Sequence[str]) -> pd.DataFrame:
    """Flatten a :class:`DEAResult` into one row per DMU (user units)."""
    cols: dict[str, object] = {"id": list(res.ids), "efficiency": res.efficiency}
    if res.phi is not None:
        cols["phi"] = res.phi
    for j, c in enumerate(inputs):
        cols[f"slack_{c}"] = res.input_slacks[:, j]
    for j, c in enumerate(outputs):
        cols[f"slack_{c}"] = res.output_slacks[:, j]
    for j, c in enumerate(inputs):
        cols[f"target_{c}"] = res.input_targets[:, j]
    for j, c in enumerate(outputs):
        cols[f"target_{c}"] = res.output_targets[:, j]
    cols["peers"] = _peer_strings(res)
    if res.rts is not None:
        cols["rts"] = list(res.rts)
    if res.super_efficiency is not None and res.super_status is not None:
        cols["super_efficiency"] = res.super_efficiency
        if res.super_phi is not None:
            cols["super_phi"] = res.super_phi
        cols["super_status"] = list(res.super_status)
    cols["status"] = list(res.status)
    return pd.DataFrame(cols)


def _peer_strings(res: DEAResult) -> list[str]:
    """:func:`format_peers` of every DMU, formatting all peers in one pass."""
    counts = np.array([len(p) for p in res.peer_index], dtype=np.int64)
    if not counts.sum():
        return [""] * len(counts)
    row = np.repeat(np.arange(len(counts)), counts)
    who = np.concatenate(res.peer_index)
    weight = np.concatenate(res.peer_weight)
    order = np.lexsort((np.arange(weight.size), -weight, row))  # per DMU: largest intensity first, ties stable
    ref = res.reference_ids
    items = [f"{ref[j]}:{w:.4f}" for j, w in zip(who[order].tolist(), weight[order].tolist())]
    ends = np.cumsum(counts).tolist()
    starts = [0, *ends[:-1]]
    return [";".join(items[a:b]) for a, b in zip(starts, ends)]


def format_peers(peers: list[tuple[str, float]]) -> str:
    """``"A:0.5000;C:0.2500"`` (largest intensity first)."""
    return ";".join(f"{pid}:{w:.4f}" for pid, w in peers)
