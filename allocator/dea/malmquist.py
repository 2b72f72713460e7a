"""Malmquist productivity index between two periods (Fare et al. 1994, geometric-mean form)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from allocator.dea.envelopment import radial_scores
from allocator.dea.result import MalmquistResult, frozen
from allocator.dea.scaling import Scaling
from allocator.dea.validation import as_ids, as_matrix, check_columns
from allocator.errors import DataError

logger = logging.getLogger(__name__)


def malmquist(
    x_t: ArrayLike,
    y_t: ArrayLike,
    x_t1: ArrayLike,
    y_t1: ArrayLike,
    *,
    orientation: str,
    rts: str = "crs",
    ids: Sequence[object] | None = None,
) -> MalmquistResult:
    """Malmquist index MI = EC x TC of each DMU from period t to t+1.

    Each distance is the radial efficiency (theta, or 1/phi) of one period's
    data against one period's frontier, from the envelopment LP; the two
    cross-period ones may exceed 1 and, under VRS, may be infeasible (then
    that DMU's MI, EC and TC are NaN and its status says which distance failed).

    Args:
        x_t: Inputs in period t, ``n x m`` (row i is the same DMU in both periods).
        y_t: Outputs in period t, ``n x s``.
        x_t1: Inputs in period t+1.
        y_t1: Outputs in period t+1.
        orientation: ``"input"`` or ``"output"`` (required: the two differ under VRS).
        rts: ``"crs"`` (the standard, Fare et al. 1994) or ``"vrs"``.
        ids: DMU identifiers.

    Returns:
        The four distances, MI, EC, TC and a status per DMU.
    """
    if orientation not in ("input", "output"):
        raise ValueError(f"orientation must be 'input' or 'output', got {orientation!r}")
    if rts not in ("crs", "vrs"):
        raise ValueError(f"rts must be 'crs' or 'vrs', got {rts!r}")
    xt = as_matrix(x_t, "x_t")
    n = xt.shape[0]
    yt, xt1, yt1 = as_matrix(y_t, "y_t", n), as_matrix(x_t1, "x_t1", n), as_matrix(y_t1, "y_t1", n)
    if xt1.shape[1] != xt.shape[1] or yt1.shape[1] != yt.shape[1]:
        raise DataError("period t+1 must have the same input and output columns as period t")
    check_columns(xt, yt, " (period t)")
    check_columns(xt1, yt1, " (period t+1)")
    dmu_ids = as_ids(ids, n)
    scaling = Scaling.from_data((xt, yt), (xt1, yt1))
    a = (scaling.inputs(xt), scaling.outputs(yt))
    b = (scaling.inputs(xt1), scaling.outputs(yt1))
    vrs = rts == "vrs"
    dist, status = {}, {}
    for name, data, ref in (("d_t_t", a, a), ("d_t_t1", b, a), ("d_t1_t", a, b), ("d_t1_t1", b, b)):
        score, st = radial_scores(*data, *ref, orientation=orientation, vrs=vrs)
        with np.errstate(divide="ignore"):
            dist[name] = score if orientation == "input" else np.where(score > 0, 1.0 / score, np.nan)
        status[name] = st
    return _combine(dist, status, dmu_ids, orientation, rts)


def _combine(
    dist: dict[str, np.ndarray], status: dict[str, list[str]], ids: tuple[str, ...], orientation: str, rts: str
) -> MalmquistResult:
    """MI, EC and TC from the four distances; NaN with a status where any is missing."""
    tt, tt1, t1t, t1t1 = dist["d_t_t"], dist["d_t_t1"], dist["d_t1_t"], dist["d_t1_t1"]
    with np.errstate(divide="ignore", invalid="ignore"):
        ec = t1t1 / tt
        tc = np.sqrt((tt1 / t1t1) * (tt / t1t))
        mi = np.sqrt((tt1 / tt) * (t1t1 / t1t))
    rows = []
    for i in range(len(ids)):
        bad = [f"{k}: {v[i]}" for k, v in status.items() if v[i] != "optimal"]
        rows.append("optimal" if not bad else "; ".join(bad))
        if bad:
            logger.warning("Malmquist, DMU %s: %s", ids[i], rows[-1])
    return MalmquistResult(
        ids=ids,
        orientation=orientation,
        rts=rts,
        d_t_t=frozen(tt),
        d_t_t1=frozen(tt1),
        d_t1_t=frozen(t1t),
        d_t1_t1=frozen(t1t1),
        mi=frozen(mi),
        ec=frozen(ec),
        tc=frozen(tc),
        status=tuple(rows),
    )
