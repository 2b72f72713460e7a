"""Slack-based measure (Tone 2001) and super-SBM (Tone 2002), as restricted-master LPs.

Non-oriented SBM of DMU o is the fractional program

    rho = min (1 - (1/m) sum_i s_i^- / x_io) / (1 + (1/s) sum_r s_r^+ / y_ro)
          s.t. x_o = X lambda + s^-,  y_o = Y lambda - s^+,  lambda, s^-, s^+ >= 0,

linearised with the Charnes-Cooper transformation t = 1 / denominator,
S = t s, Lambda = t lambda (Tone 2001, Sec. 2.3):

    min  t - (1/m) sum_i S_i^- / x_io
    s.t. 1 = t + (1/s) sum_r S_r^+ / y_ro
         0 = X Lambda + S^- - t x_o
         0 = Y Lambda - S^+ - t y_o
         (VRS: sum Lambda = t),  t > 0, Lambda, S >= 0.

Input-oriented SBM drops the denominator: rho_I = 1 - (1/m) sum s_i^-/x_io,
which is linear as it stands; a second phase maximises the output shortfalls
with rho_I fixed. Zero data (Tone 2001, DEA-Solver conventions; docs/dea.md):
an input with x_io = 0 has no term in the numerator (its slack is zero
anyway) but still counts in m; an output with y_ro = 0 is replaced in the
denominator by a small positive number so that a shortfall there is penalised.
"""

from __future__ import annotations

import logging

import numpy as np

from allocator.dea.master import Outcome, RestrictedMaster, seed_columns
from allocator.dea.raw import EFF_TOL, RawResult

logger = logging.getLogger(__name__)

SKIP_PHASE_TWO_TOL = 1e-6
FIX_TOL = 1e-9
NEG_INF = -np.inf


def zero_output_stand_in(y: np.ndarray) -> np.ndarray:
    """Per output, the small positive number that stands in for y_ro = 0 in SBM.

    With y+ and y- the largest and smallest positive values of the output,
    the stand-in is y- (y+ - y-) / y+ when y+ > y-, and y- / 100 when all
    positive values are equal: below every observed positive value, and in the
    column's own units, so the score stays unit invariant.

    Args:
        y: Outputs of every DMU involved (evaluated and reference), ``N x s``.
    """
    out = np.empty(y.shape[1])
    for r in range(y.shape[1]):
        pos = y[:, r][y[:, r] > 0]
        if pos.size == 0:
            out[r] = 1.0
            continue
        hi, lo = pos.max(), pos.min()
        out[r] = lo * (hi - lo) / hi if hi > lo else lo / 100.0
    return out


def _input_weights(xo: np.ndarray) -> np.ndarray:
    """1 / (m x_io), with 0 where x_io = 0 (the term is deleted)."""
    m = xo.size
    with np.errstate(divide="ignore"):
        return np.where(xo > 0, 1.0 / (m * np.where(xo > 0, xo, 1.0)), 0.0)


class NonOrientedSBM:
    """Charnes-Cooper form of Tone's non-oriented SBM, re-pointed per DMU."""

    def __init__(self, x_ref: np.ndarray, y_ref: np.ndarray, *, vrs: bool) -> None:
        n_ref, m = x_ref.shape
        s = y_ref.shape[1]
        self.m, self.s = m, s
        self.rows_x, self.rows_y = np.arange(m), np.arange(m, m + s)
        self.row_norm = m + s
        pool = np.vstack([x_ref.T, y_ref.T, np.zeros((1, n_ref))] + ([np.ones((1, n_ref))] if vrs else []))
        n_rows, k = pool.shape[0], 1 + m + s
        own = np.zeros((n_rows, k))
        own[: m + s, 0] = -1.0  # placeholders for -x_o, -y_o
        own[self.row_norm, 0] = 1.0
        if vrs:
            own[-1, 0] = -1.0
        own[self.rows_x, 1 + np.arange(m)] = 1.0
        own[self.rows_y, 1 + m + np.arange(s)] = -1.0
        own[self.row_norm, 1 + m :] = 1.0  # placeholders for 1/(s y_ro)
        bounds = np.zeros(n_rows)
        bounds[self.row_norm] = 1.0
        cost = np.zeros(k)
        cost[0] = 1.0
        self.cols_sx = 1 + np.arange(m)
        self.cols_sy = 1 + m + np.arange(s)
        self.lp = RestrictedMaster(
            pool=pool,
            row_lower=bounds,
            row_upper=bounds.copy(),
            own_matrix=own,
            own_cost=cost,
            own_lower=np.zeros(k),
            own_upper=np.full(k, np.inf),
            seed=seed_columns(x_ref, y_ref),
        )

    def load(self, xo: np.ndarray, yo_den: np.ndarray, yo: np.ndarray) -> None:
        """Point at DMU o; ``yo_den`` is y_o with zero outputs replaced by their stand-in."""
        lp = self.lp
        lp.set_coeffs(self.rows_x, 0, -xo)
        lp.set_coeffs(self.rows_y, 0, -yo)
        lp.set_entries(np.full(self.s, self.row_norm), self.cols_sy, 1.0 / (self.s * yo_den))
        lp.set_own_cost(self.cols_sx, -_input_weights(xo))

    def solve(self, o: int, out: RawResult) -> None:
        """Solve and record rho, slacks (S / t) and intensities (Lambda / t)."""
        res = self.lp.solve()
        if not res.ok:
            out.status[o] = res.status
            return
        t = res.own[0]
        out.record(o, res.objective, res, res.own[self.cols_sx] / t, res.own[self.cols_sy] / t, scale=t)


class InputSBM:
    """Input-oriented SBM with a phase two that maximises output shortfalls."""

    def __init__(self, x_ref: np.ndarray, y_ref: np.ndarray, *, vrs: bool) -> None:
        n_ref, m = x_ref.shape
        s = y_ref.shape[1]
        self.m, self.s = m, s
        self.rows_x, self.rows_y = np.arange(m), np.arange(m, m + s)
        self.row_obj = m + s + (1 if vrs else 0)
        blocks = [x_ref.T, y_ref.T] + ([np.ones((1, n_ref))] if vrs else []) + [np.zeros((1, n_ref))]
        pool = np.vstack(blocks)
        n_rows, k = pool.shape[0], m + s
        own = np.zeros((n_rows, k))
        own[self.rows_x, np.arange(m)] = 1.0
        own[self.rows_y, m + np.arange(s)] = -1.0
        own[self.row_obj, np.arange(m)] = 1.0  # placeholders for 1/(m x_io)
        lower, upper = np.zeros(n_rows), np.zeros(n_rows)
        if vrs:
            lower[m + s] = upper[m + s] = 1.0
        lower[self.row_obj], upper[self.row_obj] = NEG_INF, np.inf
        self.cols_sx, self.cols_sy = np.arange(m), m + np.arange(s)
        self.lp = RestrictedMaster(
            pool=pool,
            row_lower=lower,
            row_upper=upper,
            own_matrix=own,
            own_cost=np.zeros(k),
            own_lower=np.zeros(k),
            own_upper=np.full(k, np.inf),
            seed=seed_columns(x_ref, y_ref),
        )
        self._weights = np.zeros(m)

    def load(self, xo: np.ndarray, yo: np.ndarray) -> None:
        """Point at DMU o (scaled data)."""
        lp = self.lp
        lp.set_row_bounds(self.rows_x, xo, xo)
        lp.set_row_bounds(self.rows_y, yo, yo)
        self._weights = _input_weights(xo)
        lp.set_entries(np.full(self.m, self.row_obj), self.cols_sx, self._weights)
        lp.set_own_cost(self.cols_sx, -self._weights)

    def solve(self, o: int, out: RawResult) -> None:
        """Phase one (rho_I), then output shortfalls with rho_I fixed unless provably zero."""
        first = self.lp.solve()
        if not first.ok:
            out.status[o] = first.status
            return
        rho = 1.0 + first.objective
        final = first
        if not np.all(first.own_dual[self.cols_sy] > SKIP_PHASE_TWO_TOL):
            final = self._max_shortfalls(-first.objective)
        if not final.ok:
            out.score[o], out.status[o] = rho, "slacks: " + final.status
            return
        out.record(o, rho, final, final.own[self.cols_sx], final.own[self.cols_sy])

    def _max_shortfalls(self, excess_score: float) -> Outcome:
        lp = self.lp
        row = np.array([self.row_obj])
        floor = excess_score - FIX_TOL * max(1.0, abs(excess_score))
        lp.set_row_bounds(row, np.array([floor]), np.array([np.inf]))
        cost = np.zeros(self.m + self.s)
        cost[self.cols_sy] = -1.0
        all_cols = np.arange(self.m + self.s)
        lp.set_own_cost(all_cols, cost)
        try:
            return lp.solve(primal=True)
        finally:
            cost[:] = 0.0
            cost[self.cols_sx] = -self._weights
            lp.set_own_cost(all_cols, cost)
            lp.set_row_bounds(row, np.array([NEG_INF]), np.array([np.inf]))


class SuperSBM:
    """Tone (2002) super-SBM in Charnes-Cooper form (non-oriented or input-oriented).

    For an SBM-efficient DMU o, with o removed from the reference set:

        delta = min (1/m) sum_i xbar_i / x_io  /  (1/s) sum_r ybar_r / y_ro
                s.t. xbar >= X lambda, ybar <= Y lambda, xbar >= x_o, 0 <= ybar <= y_o.

    Written with the increases A = t (xbar - x_o) and decreases B = t (y_o - ybar):

        min  t + (1/m) sum_i A_i / x_io
        s.t. X Lambda - A - t x_o <= 0,   Y Lambda + B - t y_o >= 0,   B - t y_o <= 0,
             t - (1/s) sum_r B_r / y_ro = 1,   (VRS: sum Lambda = t).

    The input-oriented variant fixes B = 0 (outputs may not fall).
    """

    def __init__(self, x_ref: np.ndarray, y_ref: np.ndarray, *, vrs: bool, input_oriented: bool) -> None:
        n_ref, m = x_ref.shape
        s = y_ref.shape[1]
        self.m, self.s, self.input = m, s, input_oriented
        self.rows_x = np.arange(m)
        self.rows_y = m + np.arange(s)
        self.rows_cap = m + s + np.arange(s)
        self.row_norm = m + 2 * s
        blocks = [x_ref.T, y_ref.T, np.zeros((s + 1, n_ref))] + ([np.ones((1, n_ref))] if vrs else [])
        pool = np.vstack(blocks)
        n_rows, k = pool.shape[0], 1 + m + s
        self.cols_a, self.cols_b = 1 + np.arange(m), 1 + m + np.arange(s)
        own = np.zeros((n_rows, k))
        own[: self.row_norm, 0] = -1.0  # placeholders for -x_o, -y_o, -y_o
        own[self.row_norm, 0] = 1.0
        if vrs:
            own[-1, 0] = -1.0
        own[self.rows_x, self.cols_a] = -1.0
        own[self.rows_y, self.cols_b] = 1.0
        own[self.rows_cap, self.cols_b] = 1.0
        own[self.row_norm, self.cols_b] = -1.0  # placeholders for -1/(s y_ro)
        lower, upper = np.zeros(n_rows), np.zeros(n_rows)
        lower[self.rows_x] = NEG_INF
        upper[self.rows_y] = np.inf
        lower[self.rows_cap] = NEG_INF
        lower[self.row_norm] = upper[self.row_norm] = 1.0
        cost = np.zeros(k)
        cost[0] = 1.0
        self.lp = RestrictedMaster(
            pool=pool,
            row_lower=lower,
            row_upper=upper,
            own_matrix=own,
            own_cost=cost,
            own_lower=np.zeros(k),
            own_upper=np.full(k, np.inf),
            seed=seed_columns(x_ref, y_ref),
        )

    def score(self, o: int, xo: np.ndarray, yo: np.ndarray) -> tuple[float, str]:
        """Super-SBM score of DMU o (pool column o excluded) and its status."""
        if np.any(xo <= 0):
            return np.nan, "undefined: zero input (super-SBM divides by x_io)"
        lp = self.lp
        lp.set_coeffs(self.rows_x, 0, -xo)
        lp.set_coeffs(self.rows_y, 0, -yo)
        lp.set_coeffs(self.rows_cap, 0, -yo)
        pos = yo > 0
        with np.errstate(divide="ignore"):
            norm = np.where(pos, -1.0 / (self.s * np.where(pos, yo, 1.0)), 0.0)
        lp.set_entries(np.full(self.s, self.row_norm), self.cols_b, norm)
        b_upper = np.zeros(self.s) if self.input else np.where(pos, np.inf, 0.0)
        lp.set_own_bounds(self.cols_b, np.zeros(self.s), b_upper)
        lp.set_own_cost(self.cols_a, 1.0 / (self.m * xo))
        res = lp.solve(exclude=o)
        return (res.objective if res.ok else np.nan), res.status


def solve_sbm(
    x: np.ndarray,
    y: np.ndarray,
    x_ref: np.ndarray,
    y_ref: np.ndarray,
    *,
    orientation: str,
    vrs: bool,
    super_efficiency: bool,
    y_stand_in: np.ndarray,
) -> RawResult:
    """Score every DMU with SBM (``"non"`` or ``"input"``), optionally with super-SBM.

    Args:
        x: Scaled inputs of the evaluated DMUs.
        y: Scaled outputs.
        x_ref: Scaled reference inputs.
        y_ref: Scaled reference outputs.
        orientation: ``"non"`` or ``"input"``.
        vrs: Variable returns to scale (sum of intensities fixed).
        super_efficiency: Tone's super-SBM for SBM-efficient DMUs (same reference set).
        y_stand_in: Per output, the positive stand-in for y_ro = 0 (scaled units).
    """
    n, m = x.shape
    out = RawResult(n, m, y.shape[1])
    if orientation == "non":
        model: NonOrientedSBM | InputSBM = NonOrientedSBM(x_ref, y_ref, vrs=vrs)
    else:
        model = InputSBM(x_ref, y_ref, vrs=vrs)
    for o in range(n):
        if isinstance(model, NonOrientedSBM):
            model.load(x[o], np.where(y[o] > 0, y[o], y_stand_in), y[o])
        else:
            model.load(x[o], y[o])
        model.solve(o, out)
    if super_efficiency:
        _super_sbm(x, y, x_ref, y_ref, out, vrs=vrs, input_oriented=orientation == "input")
    return out


def _super_sbm(
    x: np.ndarray, y: np.ndarray, x_ref: np.ndarray, y_ref: np.ndarray, out: RawResult, *, vrs: bool, input_oriented: bool
) -> None:
    out.enable_super()
    assert out.super_score is not None and out.super_status is not None
    sup: SuperSBM | None = None
    for o in range(x.shape[0]):
        rho = out.score[o]
        if out.status[o] != "optimal":
            out.super_status[o] = out.status[o]
        elif rho < 1.0 - EFF_TOL:
            out.super_score[o], out.super_status[o] = rho, "optimal"
        else:
            sup = sup or SuperSBM(x_ref, y_ref, vrs=vrs, input_oriented=input_oriented)
            out.super_score[o], out.super_status[o] = sup.score(o, x[o], y[o])
