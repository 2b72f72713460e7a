"""Checks on DEA arrays and options, before any LP is built."""

from __future__ import annotations

import numpy as np

from allocator.errors import DataError

MODELS = ("ccr", "bcc", "sbm")
ORIENTATIONS = ("input", "output", "non")


def check_options(model: str, orientation: str) -> None:
    """Reject unknown or unsupported model/orientation pairs (both are required)."""
    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, got {model!r}")
    if orientation not in ORIENTATIONS:
        raise ValueError(f"orientation must be one of {ORIENTATIONS}, got {orientation!r}")
    if model == "sbm" and orientation == "output":
        raise ValueError("output-oriented SBM is not implemented; use orientation 'non' or 'input'")
    if model != "sbm" and orientation == "non":
        raise ValueError(f"orientation 'non' exists only for SBM, not for {model!r}")


def as_matrix(a: object, name: str, n: int | None = None) -> np.ndarray:
    """Convert to a finite, non-negative 2-D float array with ``n`` rows (if given).

    Raises:
        DataError: naming the array, row and column of the first bad value.
    """
    arr = np.asarray(a, dtype=float)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[1] == 0:
        raise DataError(f"{name}: expected a 2-D array with at least one column, got shape {arr.shape}")
    if n is not None and arr.shape[0] != n:
        raise DataError(f"{name}: {arr.shape[0]} rows, but the inputs have {n}")
    bad = ~np.isfinite(arr)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise DataError(f"{name}: row {r}, column {c} is not a finite number ({arr[r, c]})")
    neg = arr < 0
    if neg.any():
        r, c = np.argwhere(neg)[0]
        raise DataError(f"{name}: row {r}, column {c} is negative ({arr[r, c]}); DEA needs x, y >= 0")
    return arr


def check_columns(x: np.ndarray, y: np.ndarray, what: str = "") -> None:
    """Every column must have a positive value, and every DMU a positive input.

    Raises:
        DataError: for an all-zero column or a DMU that uses no input at all
            (it would produce from nothing and collapse every other score).
    """
    for name, arr in (("inputs", x), ("outputs", y)):
        zero = np.flatnonzero(~(arr > 0).any(axis=0))
        if zero.size:
            raise DataError(f"{name}{what}: column {zero[0]} is zero for every DMU")
    check_rows_have_input(x, what)


def check_rows_have_input(x: np.ndarray, what: str = "") -> None:
    """Every DMU must use some input (else it produces from nothing)."""
    no_input = np.flatnonzero(~(x > 0).any(axis=1))
    if no_input.size:
        raise DataError(f"inputs{what}: row {no_input[0]} has every input equal to zero")


def as_ids(ids: object, n: int, prefix: str = "") -> tuple[str, ...]:
    """DMU identifiers as strings (default ``0..n-1``), unique."""
    if ids is None:
        return tuple(f"{prefix}{i}" for i in range(n))
    out = tuple(str(i) for i in ids)  # type: ignore[attr-defined]
    if len(out) != n:
        raise DataError(f"ids: {len(out)} given for {n} DMUs")
    seen: set[str] = set()
    for i in out:
        if i in seen:
            raise DataError(f"ids: {i!r} appears more than once")
        seen.add(i)
    return out
