"""The public ``dea`` entry point: validate, scale, dispatch to a model, unscale."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from allocator.dea.envelopment import returns_to_scale, solve_radial, solve_radial_own
from allocator.dea.frame import find_frame
from allocator.dea.raw import RawResult
from allocator.dea.result import DEAResult, frozen
from allocator.dea.sbm import solve_sbm, zero_output_stand_in
from allocator.dea.scaling import Scaling
from allocator.dea.validation import (
    as_ids,
    as_matrix,
    check_columns,
    check_options,
    check_rows_have_input,
)
from allocator.errors import DataError

logger = logging.getLogger(__name__)


def dea(
    inputs: ArrayLike,
    outputs: ArrayLike,
    *,
    model: str,
    orientation: str,
    super_efficiency: bool = False,
    ids: Sequence[object] | None = None,
    reference: tuple[ArrayLike, ArrayLike] | None = None,
    reference_ids: Sequence[object] | None = None,
    sbm_rts: str = "crs",
) -> DEAResult:
    """Score each DMU with a DEA envelopment model (see docs/dea.md for the LPs).

    Args:
        inputs: ``n x m`` non-negative inputs, one row per DMU.
        outputs: ``n x s`` non-negative outputs.
        model: ``"ccr"`` (constant returns), ``"bcc"`` (variable returns) or ``"sbm"``.
        orientation: ``"input"`` or ``"output"`` (CCR/BCC); ``"non"`` or ``"input"`` (SBM).
        super_efficiency: Also compute Andersen-Petersen super-efficiency (CCR/BCC)
            or Tone's super-SBM (SBM); not with ``reference``.
        ids: DMU identifiers (default ``"0".."n-1"``).
        reference: ``(inputs, outputs)`` of a separate reference set spanning the
            frontier (e.g. another period); default: the DMUs themselves.
        reference_ids: Identifiers of the reference DMUs (default ``"ref0"..``).
        sbm_rts: Returns to scale of the SBM technology, ``"crs"`` (Tone 2001)
            or ``"vrs"`` (sum of intensities = 1); ignored by CCR/BCC.

    Returns:
        A :class:`DEAResult`; a DMU whose LP is not optimal carries its status.

    Raises:
        ValueError: for an unknown or unsupported model/orientation.
        DataError: for malformed data (shape, NaN, negative, all-zero column).
    """
    check_options(model, orientation)
    if sbm_rts not in ("crs", "vrs"):
        raise ValueError(f"sbm_rts must be 'crs' or 'vrs', got {sbm_rts!r}")
    if super_efficiency and reference is not None:
        raise ValueError("super_efficiency needs the DMUs to be their own reference set")
    x = as_matrix(inputs, "inputs")
    n = x.shape[0]
    y = as_matrix(outputs, "outputs", n)
    dmu_ids = as_ids(ids, n)
    if reference is None:
        x_ref, y_ref, ref_ids = x, y, dmu_ids
    else:
        x_ref = as_matrix(reference[0], "reference inputs")
        y_ref = as_matrix(reference[1], "reference outputs", x_ref.shape[0])
        if x_ref.shape[1] != x.shape[1] or y_ref.shape[1] != y.shape[1]:
            raise DataError("reference: needs the same input and output columns as the DMUs")
        ref_ids = as_ids(reference_ids, x_ref.shape[0], prefix="ref")
    if reference is None:
        check_columns(x, y)
    else:
        check_rows_have_input(x)
        check_columns(x_ref, y_ref, " of the reference set")
    scaling = Scaling.from_data((x, y)) if reference is None else Scaling.from_data((x, y), (x_ref, y_ref))
    xs, ys = scaling.inputs(x), scaling.outputs(y)
    xr, yr = (xs, ys) if reference is None else (scaling.inputs(x_ref), scaling.outputs(y_ref))
    raw, rts = _solve(model, orientation, xs, ys, xr, yr, super_efficiency, reference is None, sbm_rts == "vrs")
    return _assemble(raw, rts, model, orientation, x, y, scaling, dmu_ids, ref_ids)


def _solve(
    model: str,
    orientation: str,
    xs: np.ndarray,
    ys: np.ndarray,
    xr: np.ndarray,
    yr: np.ndarray,
    super_efficiency: bool,
    own_reference: bool,
    sbm_vrs: bool,
) -> tuple[RawResult, list[str] | None]:
    if model == "sbm":
        stand_in = zero_output_stand_in(np.vstack([ys, yr]))
        raw = solve_sbm(xs, ys, xr, yr, orientation=orientation, vrs=sbm_vrs, super_efficiency=super_efficiency, y_stand_in=stand_in)
        return raw, None
    vrs = model == "bcc"
    if not own_reference:
        return solve_radial(xs, ys, xr, yr, orientation=orientation, vrs=vrs, super_efficiency=super_efficiency), None
    # The VRS frame spans both technologies and keeps every sum(lambda)
    # attainable, so one search serves the scores and returns to scale.
    search = find_frame(xs, ys, vrs=True)
    raw, p1 = solve_radial_own(xs, ys, search, orientation=orientation, vrs=vrs, super_efficiency=super_efficiency)
    rts = returns_to_scale(xs, ys, orientation=orientation, search=search, ccr=None if vrs else (raw, p1), bcc=p1 if vrs else None)
    return raw, rts


def _assemble(
    raw: RawResult,
    rts: list[str] | None,
    model: str,
    orientation: str,
    x: np.ndarray,
    y: np.ndarray,
    scaling: Scaling,
    ids: tuple[str, ...],
    ref_ids: tuple[str, ...],
) -> DEAResult:
    """Unscale slacks, derive targets and efficiency, freeze everything."""
    sx, sy = raw.slack_x * scaling.x, raw.slack_y * scaling.y
    score = raw.score
    if orientation == "output":
        phi = score
        with np.errstate(divide="ignore"):
            efficiency = np.where(phi > 0, 1.0 / phi, np.nan)
        tx, ty = x - sx, phi[:, None] * y + sy
    elif model == "sbm":
        phi, efficiency = None, score
        tx, ty = x - sx, y + sy
    else:
        phi, efficiency = None, score
        tx, ty = score[:, None] * x - sx, y + sy
    for i, status in enumerate(raw.status):
        if status != "optimal":
            logger.info("DMU %s: %s", ids[i], status)  # reported per DMU in the result's status; callers decide
    super_eff = super_phi = None
    if raw.super_score is not None:
        if orientation == "output":
            super_phi = frozen(raw.super_score)
            with np.errstate(divide="ignore"):
                super_eff = frozen(np.where(raw.super_score > 0, 1.0 / raw.super_score, np.nan))
        else:
            super_eff = frozen(raw.super_score)
    return DEAResult(
        model=model,
        orientation=orientation,
        ids=ids,
        reference_ids=ref_ids,
        efficiency=frozen(efficiency),
        phi=None if phi is None else frozen(phi),
        input_slacks=frozen(sx),
        output_slacks=frozen(sy),
        input_targets=frozen(np.maximum(tx, 0.0)),
        output_targets=frozen(ty),
        peer_index=tuple(raw.peers),
        peer_weight=tuple(frozen(w) for w in raw.weights),
        rts=None if rts is None else tuple(rts),
        super_efficiency=super_eff,
        super_phi=super_phi,
        super_status=None if raw.super_status is None else tuple(raw.super_status),
        status=tuple(raw.status),
    )
