"""CCR/BCC for every DMU at once against the frame: scores, max-slack phase two, sum(lambda) range.

Used when the DMUs are their own reference set. Each step is one batch of LPs
(:class:`RadialFamily` over the frame of :func:`find_frame`), certified from
scratch; a DMU whose LP is not certified is left to the caller, who solves it
with HiGHS, so the answers are always those of the full formulation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from allocator.dea.batch_simplex import FAILED, Certificate
from allocator.dea.frame import FrameSearch
from allocator.dea.radial_batch import RadialFamily
from allocator.dea.raw import RawResult

#: Slack columns whose reduced cost exceeds this are zero in every optimum (no phase two).
SKIP_PHASE_TWO_TOL = 1e-6


@dataclass
class PhaseOne:
    """Certified phase-one LPs of every DMU over the frame.

    Attributes:
        family: The LPs' builder (orientation and returns to scale).
        search: The frame they are solved against.
        lp: The batch, kept for warm starts of the fixed-radial LPs.
        cert: Its certificate (one row per DMU).
        value: theta or phi per DMU (NaN where not certified).
    """

    family: RadialFamily
    search: FrameSearch
    lp: object
    cert: Certificate
    value: np.ndarray

    @property
    def ok(self) -> np.ndarray:
        """DMUs whose phase one is certified optimal."""
        return self.cert.ok


def phase_one(
    xs: np.ndarray, ys: np.ndarray, search: FrameSearch, *, orientation: str, vrs: bool, warm: PhaseOne | None = None
) -> PhaseOne:
    """Phase one (min theta, or max phi) for every DMU against the frame (``vrs`` needs a VRS frame).

    CCR LPs are written with a free convexity row, so that they can start from
    BCC bases: those of ``warm`` (BCC phase one, same orientation) or, for
    input orientation, the VRS frame search's LPs.
    """
    if vrs and not search.family.vrs:
        raise ValueError("a CRS frame does not span the VRS technology")
    idx = np.arange(xs.shape[0])
    if orientation == "input" and vrs == search.family.vrs and warm is None:
        fam, lp = search.family, search.phase_one
    elif not vrs and (warm is not None or orientation == "input"):
        fam = RadialFamily(xs, ys, orientation=orientation, vrs=False, free_convexity=True)
        lp = fam.phase_one(search.order)
        if warm is not None:
            basis, usable, k = warm.cert.basis, warm.ok, warm.family.k
        else:
            basis, usable, k = search.phase_one.basis, search.phase_one.status != FAILED, search.family.k
        shifted = np.where(basis >= k, basis + fam.k - k, basis)
        lp.start(idx, np.where(usable[:, None], shifted, fam.phase_one_basis(idx)))
    else:
        fam = RadialFamily(xs, ys, orientation=orientation, vrs=vrs)
        lp = fam.phase_one(search.order)
        lp.start(idx, fam.phase_one_basis(idx))
    lp.solve(idx)
    cert = lp.certify(idx)
    value = fam.values(cert, np.array([fam.rad]))[:, 0]
    return PhaseOne(fam, search, lp, cert, np.where(cert.ok, value, np.nan))


def score_all(xs: np.ndarray, ys: np.ndarray, search: FrameSearch, *, orientation: str, vrs: bool) -> tuple[RawResult, PhaseOne]:
    """Two-phase radial results of every DMU; DMUs not certified keep status ``"not solved"``."""
    n, m = xs.shape
    s = ys.shape[1]
    p1 = phase_one(xs, ys, search, orientation=orientation, vrs=vrs)
    fam = p1.family
    out = RawResult(n, m, s)
    slack_rc = p1.cert.own_reduced[:, fam.slacks]
    need = p1.ok & ~np.all(slack_rc > SKIP_PHASE_TWO_TOL, axis=1)
    skip = np.flatnonzero(p1.ok & ~need)
    _record(out, fam, p1.cert, skip, skip, p1.value, search.order)
    idx = np.flatnonzero(need)
    if idx.size:
        lp2 = fam.fixed(search.order, np.nan_to_num(p1.value), fam.slack_cost(), 0.0)
        lp2.start(idx, fam.swap_out_radial(p1.lp, idx))
        lp2.solve(idx)
        cert = lp2.certify(idx)
        rows = np.flatnonzero(cert.ok)
        _record(out, fam, cert, rows, idx[rows], p1.value, search.order)
    return out, p1


def _record(
    out: RawResult, fam: RadialFamily, cert: Certificate, rows: np.ndarray, dmus: np.ndarray, value: np.ndarray, order: np.ndarray
) -> None:
    """Store certificate ``rows`` as the results of ``dmus``."""
    if not rows.size:
        return
    sub = _take(cert, rows)
    slack = fam.values(sub, fam.slacks)
    peers, weights = fam.intensities(sub, dmus, order)
    out.record_many(dmus, value[dmus], slack[:, : fam.m], slack[:, fam.m :], peers, weights)


def lambda_bounds(p1: PhaseOne, idx: np.ndarray, *, maximize: bool) -> tuple[np.ndarray, np.ndarray]:
    """Max or min of sum(lambda) over the optimal face of CRS phase one (radial value fixed).

    Returns:
        The bound per DMU of ``idx`` (NaN where not certified) and the certified mask.
    """
    fam = p1.family
    if fam.vrs:
        raise ValueError("the sum(lambda) range is taken over the CRS LP")
    bound = np.full(idx.size, np.nan)
    if not idx.size:
        return bound, np.zeros(0, bool)
    sign = -1.0 if maximize else 1.0
    lp = fam.fixed(p1.search.order, np.nan_to_num(p1.value), fam.lambda_cost(sign), sign)
    lp.start(idx, fam.swap_out_radial(p1.lp, idx))
    lp.solve(idx)
    cert = lp.certify(idx)
    _, weights = fam.intensities(cert, idx, p1.search.order)
    total = np.array([w.sum() for w in weights])
    bound[cert.ok] = total[cert.ok]
    return bound, cert.ok


def _take(cert: Certificate, rows: np.ndarray) -> Certificate:
    return Certificate(cert.ok[rows], cert.basis[rows], cert.value[rows], cert.dual[rows], cert.own_reduced[rows], cert.objective[rows])
