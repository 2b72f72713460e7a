"""The frame: extreme efficient DMUs, which alone span the production possibility set.

Dulá (2011) scores large DEA problems in two steps: find the *frame* (the DMUs
that are extreme points of the production possibility set, PPS), then score
every DMU against the frame alone. Every other DMU is a convex combination of
frame DMUs plus free disposal, so any intensity it carries can be moved onto
the frame with the same ``sum(lambda)`` and rows no worse: every radial LP
(scores, max-slack phase two, the returns-to-scale range) has the same optimum
over the frame as over all DMUs. The VRS frame (``vrs=True``) serves CCR and
BCC alike; the CRS frame (extreme rays) is smaller and serves CCR scores and
slacks, but not the ``sum(lambda)`` range.

Search (all LPs batched, see :mod:`allocator.dea.batch_simplex`):

1. Start from DMUs that maximise random nonnegative prices (each such
   maximiser lies on the frontier).
2. Score every DMU (input theta) against that set plus itself. A DMU with
   ``theta < 1 - CANDIDATE_TOL`` is inefficient, so not in the frame; the rest
   are candidates.
3. For each candidate k, minimise ``lambda_k`` with theta fixed at 1. If the
   minimum is 0, k lies in the hull of the set found so far. Otherwise the LP's
   duals are a hyperplane separating k from that hull; the candidate that
   maximises it is outside the hull too (on the frontier) and joins the set.
   Repeat (dropping candidates that became inefficient) until every candidate
   is inside. Every frame DMU is a candidate, and a frame DMU inside the hull
   of the set is (a copy of) a member, so the set then spans the PPS.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from allocator.dea.batch_simplex import BELOW, OPTIMAL, BatchSimplex, block_rows
from allocator.dea.master import seed_columns
from allocator.dea.radial_batch import RadialFamily

logger = logging.getLogger(__name__)

#: theta below 1 - this (against part of the frame plus the DMU itself) proves a DMU inefficient.
CANDIDATE_TOL = 1e-6
#: min lambda_k at or below this: candidate k lies in the hull of the frame found so far.
INSIDE_TOL = 1e-9
#: Random price vectors used to pick the first frame members.
N_PRICES = 64


@dataclass
class FrameSearch:
    """A frame and the input-oriented phase-one LPs solved on the way.

    Attributes:
        frame: Indices of the frame DMUs (sorted).
        family: The input-oriented radial LPs (returns to scale as searched).
        phase_one: Phase-one LPs of every DMU; their frame columns are ``frame``
            in the order found (``order``), so they can be resumed to optimality.
        order: Frame indices in the column order of ``phase_one``.
    """

    frame: np.ndarray
    family: RadialFamily
    phase_one: BatchSimplex
    order: np.ndarray


def first_members(xs: np.ndarray, ys: np.ndarray, vrs: bool) -> np.ndarray:
    """DMUs on the frontier: maximisers of random prices plus :func:`seed_columns`."""
    rng = np.random.default_rng(20110101)
    u = rng.exponential(size=(ys.shape[1], N_PRICES))
    v = rng.exponential(size=(xs.shape[1], N_PRICES))
    if vrs:
        picks = np.argmax(ys @ u - xs @ v, axis=0)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = (ys @ u) / (xs @ v)
        picks = np.argmax(np.nan_to_num(ratio, nan=-1.0), axis=0)
    return np.unique(np.concatenate([picks, seed_columns(xs, ys)]).astype(np.int64))


def find_frame(xs: np.ndarray, ys: np.ndarray, *, vrs: bool) -> FrameSearch:
    """Find the frame of ``(xs, ys)`` (scaled data, their own reference set)."""
    n = xs.shape[0]
    fam = RadialFamily(xs, ys, orientation="input", vrs=vrs)
    order = list(first_members(xs, ys, vrs).tolist())
    member = np.zeros(n, bool)
    member[order] = True
    everyone = np.arange(n)
    p1 = fam.phase_one(np.asarray(order))
    p1.start(everyone, fam.phase_one_basis(everyone))
    p1.solve(everyone, stop_below=1.0 - CANDIDATE_TOL)
    cand = everyone[_maybe_efficient(p1, fam, everyone)]
    test = fam.fixed(np.asarray(order), np.ones(n), fam.lambda_cost(1.0), 0.0)
    test.start(cand, fam.self_basis(cand))
    rounds = 0
    while cand.size:
        rounds += 1
        test.solve(cand)
        solved = test.status[cand] == OPTIMAL
        outside = (~solved | (test.basic_values(cand, fam.self_col) > INSIDE_TOL)) & ~member[cand]
        if not outside.any():
            break
        new = _separated(fam, test, cand[outside & solved], cand[~member[cand]])
        new = np.union1d(new, cand[outside & ~solved])
        new = new[~member[new]]
        if not new.size:  # numerically borderline separation: take the outside DMUs themselves
            new = cand[outside]
        order.extend(new.tolist())
        member[new] = True
        cols = fam.data[:, new]
        p1.add_frame(cols)
        test.add_frame(cols)
        p1.solve(cand, stop_below=1.0 - CANDIDATE_TOL)
        cand = cand[_maybe_efficient(p1, fam, cand)]
    frame_order = np.asarray(order, dtype=np.int64)
    logger.debug("frame (vrs=%s): %d of %d DMUs after %d rounds", vrs, frame_order.size, n, rounds)
    return FrameSearch(np.sort(frame_order), fam, p1, frame_order)


def _maybe_efficient(p1: BatchSimplex, fam: RadialFamily, idx: np.ndarray) -> np.ndarray:
    """Mask of ``idx`` not proved inefficient (theta >= 1 - CANDIDATE_TOL, or not solved).

    Every basis the simplex visits is primal feasible, so the current theta of
    an LP stopped early (BELOW) is an upper bound on its optimum.
    """
    theta = p1.basic_values(idx, fam.rad)
    solved = np.isin(p1.status[idx], (OPTIMAL, BELOW))
    return ~solved | (theta >= 1.0 - CANDIDATE_TOL)


def _separated(fam: RadialFamily, test: BatchSimplex, outside: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """For each outside candidate, the pool DMU that maximises its separating hyperplane."""
    if not outside.size or not pool.size:
        return outside
    dual = test.duals(outside)
    cols = fam.data[:, pool]
    best = np.empty(outside.size, dtype=np.int64)
    rows = block_rows(pool.size)
    for lo in range(0, outside.size, rows):
        hi = min(outside.size, lo + rows)
        score = dual[lo:hi] @ cols
        j = np.argmax(score, axis=1)
        far = score[np.arange(hi - lo), j] > INSIDE_TOL
        best[lo:hi] = np.where(far, pool[j], outside[lo:hi])
    return np.unique(best)
