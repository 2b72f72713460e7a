"""Radial envelopment models: CCR (constant) and BCC (variable returns to scale).

Rows of the LP for DMU o (scaled data, ``lambda`` over the reference set):

    input  i:  sum_j lambda_j x_ij + s_i^-  - x_io * theta = 0        (input-oriented)
               sum_j lambda_j x_ij + s_i^-                 = x_io     (output-oriented)
    output r:  sum_j lambda_j y_rj - s_r^+                 = y_ro     (input-oriented)
               sum_j lambda_j y_rj - s_r^+  - y_ro * phi   = 0        (output-oriented)
    convexity: sum_j lambda_j = 1                                      (BCC only)

Phase one minimises theta (maximises phi); phase two fixes it and maximises
the sum of scaled slacks. The same LP, with the radial value fixed and the
objective replaced by +/- sum(lambda), gives the returns-to-scale range.
"""

from __future__ import annotations

import logging

import numpy as np

from allocator.dea.frame import FrameSearch, find_frame
from allocator.dea.frame_radial import SKIP_PHASE_TWO_TOL, PhaseOne, lambda_bounds, phase_one, score_all
from allocator.dea.master import Outcome, RestrictedMaster, seed_columns
from allocator.dea.raw import EFF_TOL, RawResult
from allocator.dea.result import CONSTANT, DECREASING, INCREASING

logger = logging.getLogger(__name__)

#: sum(lambda) within this distance of 1 counts as constant returns to scale.
RTS_TOL = 1e-6
#: Relative room given to the radial value when it is fixed for phase two.
FIX_TOL = 1e-9


class RadialLP:
    """The CCR/BCC envelopment LP for one orientation, built once and re-pointed per DMU.

    Args:
        x_ref: Scaled reference inputs, ``N x m``.
        y_ref: Scaled reference outputs, ``N x s``.
        orientation: ``"input"`` or ``"output"``.
        vrs: Add the convexity row (BCC).
        seed: Reference columns to start with (default :func:`seed_columns`; the
            frame, when known, spares most pricing rounds).
    """

    def __init__(self, x_ref: np.ndarray, y_ref: np.ndarray, *, orientation: str, vrs: bool, seed: np.ndarray | None = None) -> None:
        n_ref, m = x_ref.shape
        s = y_ref.shape[1]
        self.m, self.s, self.input = m, s, orientation == "input"
        self.rows_x = np.arange(m)
        self.rows_y = np.arange(m, m + s)
        blocks = [x_ref.T, y_ref.T] + ([np.ones((1, n_ref))] if vrs else [])
        pool = np.vstack(blocks)
        n_rows = pool.shape[0]
        k = 1 + m + s
        own = np.zeros((n_rows, k))
        radial_rows = self.rows_x if self.input else self.rows_y
        own[radial_rows, 0] = -1.0  # placeholder, set per DMU
        own[self.rows_x, 1 + np.arange(m)] = 1.0
        own[self.rows_y, 1 + m + np.arange(s)] = -1.0
        bounds = np.zeros(n_rows)
        if vrs:
            bounds[-1] = 1.0
        self.radial_cost = 1.0 if self.input else -1.0
        self.cost_phase1 = np.zeros(k)
        self.cost_phase1[0] = self.radial_cost
        self.lp = RestrictedMaster(
            pool=pool,
            row_lower=bounds,
            row_upper=bounds.copy(),
            own_matrix=own,
            own_cost=self.cost_phase1.copy(),
            own_lower=np.zeros(k),
            own_upper=np.full(k, np.inf),
            seed=seed_columns(x_ref, y_ref) if seed is None else np.union1d(seed, seed_columns(x_ref, y_ref)),
        )
        self._all_own = np.arange(k)
        self._slack_cols = np.arange(1, k)

    def load(self, xo: np.ndarray, yo: np.ndarray) -> None:
        """Point the LP at DMU ``(xo, yo)`` (scaled)."""
        if self.input:
            self.lp.set_coeffs(self.rows_x, 0, -xo)
            self.lp.set_row_bounds(self.rows_y, yo, yo)
        else:
            self.lp.set_coeffs(self.rows_y, 0, -yo)
            self.lp.set_row_bounds(self.rows_x, xo, xo)

    def radial_value(self, outcome: Outcome) -> float:
        """Theta (input) or phi (output) from a phase-one outcome."""
        return float(outcome.own[0])

    def score(self, exclude: int | None = None) -> Outcome:
        """Phase one: min theta / max phi (``exclude`` barred from the reference set)."""
        return self.lp.solve(exclude)

    def max_slacks(self, value: float) -> Outcome:
        """Phase two: radial value fixed, maximise the sum of scaled slacks."""
        cost = np.zeros(1 + self.m + self.s)
        cost[1:] = -1.0
        return self._with_fixed_radial(value, cost, 0.0)

    def lambda_sum(self, value: float, *, maximize: bool) -> Outcome:
        """Radial value fixed, minimise or maximise sum(lambda) over the optimal face."""
        return self._with_fixed_radial(value, np.zeros(1 + self.m + self.s), -1.0 if maximize else 1.0)

    def _with_fixed_radial(self, value: float, cost: np.ndarray, lambda_cost: float) -> Outcome:
        lp = self.lp
        # A hair of room in the worsening direction keeps the fixed score
        # feasible despite rounding in the phase-one value.
        slack = FIX_TOL * max(1.0, abs(value))
        lower, upper = (value, value + slack) if self.input else (value - slack, value)
        lp.set_own_bounds(np.array([0]), np.array([lower]), np.array([upper]))
        lp.set_own_cost(self._all_own, cost)
        lp.set_lambda_cost(lambda_cost)
        try:
            return lp.solve(primal=True)
        finally:
            lp.set_lambda_cost(0.0)
            lp.set_own_cost(self._all_own, self.cost_phase1)
            lp.set_own_bounds(np.array([0]), np.array([0.0]), np.array([np.inf]))


def slacks_are_zero(outcome: Outcome) -> bool:
    """True when every slack column has a strictly positive reduced cost.

    By complementary slackness every optimal solution then has zero slacks,
    so the max-slack phase two can be skipped without changing any answer.
    """
    return bool(np.all(outcome.own_dual[1:] > SKIP_PHASE_TWO_TOL))


def is_efficient(value: float, input_oriented: bool) -> bool:
    """Theta >= 1 or phi <= 1 (within ``EFF_TOL``)."""
    return value >= 1.0 - EFF_TOL if input_oriented else value <= 1.0 + EFF_TOL


def solve_radial(
    x: np.ndarray,
    y: np.ndarray,
    x_ref: np.ndarray,
    y_ref: np.ndarray,
    *,
    orientation: str,
    vrs: bool,
    super_efficiency: bool,
) -> RawResult:
    """Score every DMU of ``(x, y)`` against ``(x_ref, y_ref)`` with CCR or BCC, two-phase, by HiGHS.

    Args:
        x: Scaled inputs of the evaluated DMUs, ``n x m``.
        y: Scaled outputs, ``n x s``.
        x_ref: Scaled reference inputs (the same arrays when no separate reference set).
        y_ref: Scaled reference outputs.
        orientation: ``"input"`` or ``"output"``.
        vrs: BCC (True) or CCR (False).
        super_efficiency: Also solve the Andersen-Petersen LP; requires the evaluated
            and reference DMUs to be the same set (DMU o is pool column o).

    Returns:
        Scores (theta or phi), slacks, peers and statuses in scaled units.
    """
    n, m = x.shape
    out = RawResult(n, m, y.shape[1])
    lp = RadialLP(x_ref, y_ref, orientation=orientation, vrs=vrs)
    for o in range(n):
        lp.load(x[o], y[o])
        _score_one(lp, o, out)
    if super_efficiency:
        _add_super(out, lp, x, y)
    logger.debug("radial %s vrs=%s: %d DMUs, %d reference columns used of %d", orientation, vrs, n, len(lp.lp.members), x_ref.shape[0])
    return out


def solve_radial_own(
    x: np.ndarray, y: np.ndarray, search: FrameSearch, *, orientation: str, vrs: bool, super_efficiency: bool
) -> tuple[RawResult, PhaseOne]:
    """:func:`solve_radial` for DMUs that are their own reference set: batched against the frame.

    DMUs whose batched LPs are not certified are solved one by one with HiGHS,
    as is super-efficiency (removing a DMU can expose non-frame DMUs).
    """
    out, p1 = score_all(x, y, search, orientation=orientation, vrs=vrs)
    rest = [o for o in range(x.shape[0]) if out.status[o] == "not solved"]
    lp = _LazyLP(x, y, orientation, vrs, search.frame)
    for o in rest:
        lp.get().load(x[o], y[o])
        _score_one(lp.get(), o, out)
    if super_efficiency:
        _add_super(out, lp, x, y)
    logger.debug("radial %s vrs=%s: frame of %d, %d DMUs left to HiGHS", orientation, vrs, search.frame.size, len(rest))
    return out, p1


class _LazyLP:
    """A :class:`RadialLP` over all DMUs, built on first use (seeded with the frame)."""

    def __init__(self, x: np.ndarray, y: np.ndarray, orientation: str, vrs: bool, frame: np.ndarray | None = None) -> None:
        self.args = (x, y, orientation, vrs, frame)
        self.lp: RadialLP | None = None

    def get(self) -> RadialLP:
        if self.lp is None:
            x, y, orientation, vrs, frame = self.args
            self.lp = RadialLP(x, y, orientation=orientation, vrs=vrs, seed=frame)
        return self.lp


def _add_super(out: RawResult, lp: RadialLP | _LazyLP, x: np.ndarray, y: np.ndarray) -> None:
    out.enable_super()
    for o in range(x.shape[0]):
        _super_one(lp, o, out, x[o], y[o])


def _score_one(lp: RadialLP, o: int, out: RawResult) -> None:
    first = lp.score()
    if not first.ok:
        out.status[o] = first.status
        return
    value = lp.radial_value(first)
    final = first if slacks_are_zero(first) else lp.max_slacks(value)
    if not final.ok:
        out.score[o] = value
        out.status[o] = "slacks: " + final.status
        return
    m = lp.m
    out.record(o, value, final, final.own[1 : 1 + m], final.own[1 + m :])


def _super_one(lp: RadialLP | _LazyLP, o: int, out: RawResult, xo: np.ndarray, yo: np.ndarray) -> None:
    assert out.super_score is not None and out.super_status is not None
    value = out.score[o]
    if np.isnan(value):
        out.super_status[o] = out.status[o]
        return
    if isinstance(lp, _LazyLP):
        lp = lp.get()
    if not is_efficient(value, lp.input):
        # An inefficient DMU is not on the frame: removing it leaves the
        # production possibility set unchanged, so its score is its own.
        out.super_score[o], out.super_status[o] = value, "optimal"
        return
    lp.load(xo, yo)
    sup = lp.score(exclude=o)
    out.super_status[o] = sup.status
    if sup.ok:
        out.super_score[o] = lp.radial_value(sup)


def returns_to_scale(
    x: np.ndarray,
    y: np.ndarray,
    *,
    orientation: str,
    search: FrameSearch | None = None,
    ccr: tuple[RawResult, PhaseOne] | None = None,
    bcc: PhaseOne | None = None,
) -> list[str]:
    """Classify each DMU by sum(lambda) over the CCR optimal face (Banker-Chang-Cooper 1996).

    ``constant`` if some CCR optimum has sum(lambda) = 1, ``increasing`` if all
    have sum < 1, ``decreasing`` if all have sum > 1. One extra LP per DMU
    decides it: if the solution found has sum < 1 we maximise sum(lambda) over
    the optimal face (theta fixed), if > 1 we minimise it. The LPs are batched
    over the VRS frame (which keeps every sum(lambda) attainable); DMUs whose
    batch is not certified are done one by one with HiGHS.

    Args:
        x: Scaled inputs (evaluated and reference set are the same).
        y: Scaled outputs.
        orientation: ``"input"`` or ``"output"`` (the projection classified).
        search: The VRS frame of ``(x, y)`` (found here when None).
        ccr: CCR results and phase one already computed (saves the phase-one solves).
        bcc: BCC phase one of the same orientation (a warm start for the CCR one).

    Returns:
        One class per DMU, or ``"undetermined: <status>"``.
    """
    n = x.shape[0]
    if ccr is None:
        search = search or find_frame(x, y, vrs=True)
        p1 = phase_one(x, y, search, orientation=orientation, vrs=False, warm=bcc)
        ok = p1.ok.copy()
        _, weights = p1.family.intensities(p1.cert, np.arange(n), search.order)
        total = np.array([w.sum() for w in weights])
    else:
        raw, p1 = ccr
        ok = np.array([st == "optimal" for st in raw.status]) & p1.ok
        total = np.array([w.sum() for w in raw.weights])
    classes: list[str | None] = [None] * n
    for o in np.flatnonzero(ok & (np.abs(total - 1.0) <= RTS_TOL)):
        classes[o] = CONSTANT
    for maximize in (True, False):
        idx = np.flatnonzero(ok & ((total < 1.0 - RTS_TOL) if maximize else (total > 1.0 + RTS_TOL)))
        bound, good = lambda_bounds(p1, idx, maximize=maximize)
        for o, b, g in zip(idx, bound, good):
            if g:
                classes[o] = _class_from_bound(b, maximize)
    lp = _LazyLP(x, y, orientation, False, p1.search.frame)
    for o in [o for o in range(n) if classes[o] is None]:
        classes[o] = _rts_one(lp.get(), o, x, y, ccr[0] if ccr is not None else None)
    return [c for c in classes if c is not None]


def returns_to_scale_highs(x: np.ndarray, y: np.ndarray, *, orientation: str, ccr: RawResult | None = None) -> list[str]:
    """:func:`returns_to_scale` one DMU at a time by HiGHS, without a frame (a baseline for benchmarks)."""
    lp = RadialLP(x, y, orientation=orientation, vrs=False)
    return [_rts_one(lp, o, x, y, ccr) for o in range(x.shape[0])]


def _rts_one(lp: RadialLP, o: int, x: np.ndarray, y: np.ndarray, ccr: RawResult | None) -> str:
    """Returns to scale of DMU ``o`` by HiGHS (``lp`` is a CCR LP over all DMUs)."""
    lp.load(x[o], y[o])
    if ccr is not None and ccr.status[o] == "optimal":
        value, total = float(ccr.score[o]), float(ccr.weights[o].sum())
    else:
        first = lp.score()
        if not first.ok:
            return "undetermined: " + first.status
        value, total = lp.radial_value(first), float(first.weights.sum())
    if abs(total - 1.0) <= RTS_TOL:
        return CONSTANT
    maximize = total < 1.0
    extreme = lp.lambda_sum(value, maximize=maximize)
    if not extreme.ok:
        return "undetermined: " + extreme.status
    return _class_from_bound(float(extreme.weights.sum()), maximize)


def _class_from_bound(bound: float, maximize: bool) -> str:
    if maximize:
        return CONSTANT if bound >= 1.0 - RTS_TOL else INCREASING
    return CONSTANT if bound <= 1.0 + RTS_TOL else DECREASING


def radial_scores(
    x: np.ndarray,
    y: np.ndarray,
    x_ref: np.ndarray,
    y_ref: np.ndarray,
    *,
    orientation: str,
    vrs: bool,
    batch: bool = True,
) -> tuple[np.ndarray, list[str]]:
    """Phase one only: theta (input) or phi (output) of each DMU against a reference set.

    Used where only the score matters (Malmquist distances, benchmarks). When
    the DMUs are their own reference set (the same arrays) and ``batch`` is
    true, the LPs are batched against the frame; otherwise, and for DMUs the
    batch does not certify, HiGHS solves them one at a time.

    Returns:
        Scores (NaN where not optimal) and per-DMU statuses.
    """
    n = x.shape[0]
    score = np.full(n, np.nan)
    status = ["not solved"] * n
    if batch and x_ref is x and y_ref is y:
        p1 = phase_one(x, y, find_frame(x, y, vrs=vrs), orientation=orientation, vrs=vrs)
        score[p1.ok] = p1.value[p1.ok]
        for o in np.flatnonzero(p1.ok):
            status[o] = "optimal"
    lp = _LazyLP(x_ref, y_ref, orientation, vrs)
    for o in [o for o in range(n) if status[o] == "not solved"]:
        lp.get().load(x[o], y[o])
        res = lp.get().score()
        status[o] = res.status
        if res.ok:
            score[o] = lp.get().radial_value(res)
    return score, status
