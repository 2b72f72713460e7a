"""The restricted master (frame-first column generation) gives the full LP's answers.

The oracle is the textbook formulation with every DMU in every LP, solved
one DMU at a time by ``scipy.optimize.linprog`` on the unscaled data.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from allocator.dea import dea


def cobb_douglas(n: int, m: int = 3, s: int = 4, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Random Cobb-Douglas-like data with one-sided inefficiency (fixed seed)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(1, 10, (n, m))
    a = rng.uniform(0.1, 0.4, (s, m))
    y = np.exp(np.log(x) @ a.T) * rng.uniform(0.5, 1.0, (n, s))
    return x, y * np.exp(-np.abs(rng.normal(0, 0.3, (n, 1))))


def full_radial(
    x: np.ndarray, y: np.ndarray, o: int, *, orientation: str, vrs: bool, exclude_self: bool = False
) -> tuple[float, float] | None:
    """Phase-one score and phase-two max slack sum (in units of column means) of DMU o."""
    n, m = x.shape
    s = y.shape[1]
    keep = np.array([j for j in range(n) if not (exclude_self and j == o)])
    xr, yr = x[keep], y[keep]
    k = len(keep)
    # variables: radial, lambda (k), s- (m), s+ (s)
    a_in = np.hstack([np.zeros((m, 1)), xr.T, np.eye(m), np.zeros((m, s))])
    a_out = np.hstack([np.zeros((s, 1)), yr.T, np.zeros((s, m)), -np.eye(s)])
    if orientation == "input":
        a_in[:, 0] = -x[o]
        b = np.r_[np.zeros(m), y[o]]
        c = np.r_[1.0, np.zeros(k + m + s)]
    else:
        a_out[:, 0] = -y[o]
        b = np.r_[x[o], np.zeros(s)]
        c = np.r_[-1.0, np.zeros(k + m + s)]
    a_eq = np.vstack([a_in, a_out])
    if vrs:
        a_eq = np.vstack([a_eq, np.r_[0.0, np.ones(k), np.zeros(m + s)]])
        b = np.r_[b, 1.0]
    bounds = [(0, None)] * (1 + k + m + s)
    first = linprog(c, A_eq=a_eq, b_eq=b, bounds=bounds, method="highs")
    if first.status != 0:
        return None
    value = first.x[0]
    w = np.r_[0.0, np.zeros(k), -1.0 / x.mean(axis=0), -1.0 / y.mean(axis=0)]
    bounds[0] = (value, value)
    second = linprog(w, A_eq=a_eq, b_eq=b, bounds=bounds, method="highs")
    return value, -second.fun


@pytest.mark.parametrize("orientation", ["input", "output"])
@pytest.mark.parametrize("model", ["ccr", "bcc"])
def test_restricted_master_equals_full_lp(model: str, orientation: str) -> None:
    """Scores and the phase-two slack total match the full formulation on random data."""
    x, y = cobb_douglas(60, seed=1)
    r = dea(x, y, model=model, orientation=orientation)
    score = r.efficiency if orientation == "input" else r.phi
    assert score is not None
    for o in range(len(x)):
        full = full_radial(x, y, o, orientation=orientation, vrs=model == "bcc")
        assert full is not None
        assert score[o] == pytest.approx(full[0], abs=1e-7)
        ours = (r.input_slacks[o] / x.mean(axis=0)).sum() + (r.output_slacks[o] / y.mean(axis=0)).sum()
        assert ours == pytest.approx(full[1], abs=1e-6)


@pytest.mark.parametrize("orientation", ["input", "output"])
@pytest.mark.parametrize("model", ["ccr", "bcc"])
def test_super_efficiency_equals_full_lp(model: str, orientation: str) -> None:
    """Andersen-Petersen scores (and infeasibility) match the LP without the DMU itself."""
    x, y = cobb_douglas(40, seed=2)
    r = dea(x, y, model=model, orientation=orientation, super_efficiency=True)
    assert r.super_efficiency is not None and r.super_status is not None
    for o in range(len(x)):
        full = full_radial(x, y, o, orientation=orientation, vrs=model == "bcc", exclude_self=True)
        if full is None:
            assert r.super_status[o] == "infeasible"
            continue
        expected = full[0] if orientation == "input" else 1.0 / full[0]
        assert r.super_status[o] == "optimal"
        assert r.super_efficiency[o] == pytest.approx(expected, abs=1e-7)


def full_sbm(x: np.ndarray, y: np.ndarray, o: int) -> float:
    """Tone (2001) non-oriented CRS SBM of DMU o, Charnes-Cooper form, every DMU as reference."""
    n, m = x.shape
    s = y.shape[1]
    # variables: t, Lambda (n), S- (m), S+ (s)
    c = np.r_[1.0, np.zeros(n), -1.0 / (m * x[o]), np.zeros(s)]
    norm = np.r_[1.0, np.zeros(n + m), 1.0 / (s * y[o])]
    a_in = np.hstack([-x[o][:, None], x.T, np.eye(m), np.zeros((m, s))])
    a_out = np.hstack([-y[o][:, None], y.T, np.zeros((s, m)), -np.eye(s)])
    a_eq = np.vstack([norm, a_in, a_out])
    b = np.r_[1.0, np.zeros(m + s)]
    res = linprog(c, A_eq=a_eq, b_eq=b, bounds=[(0, None)] * (1 + n + m + s), method="highs")
    assert res.status == 0
    return float(res.fun)


def test_sbm_equals_full_lp() -> None:
    """Non-oriented SBM rho matches the full Charnes-Cooper LP, and rho <= CCR theta (Tone 2001)."""
    x, y = cobb_douglas(40, seed=3)
    r = dea(x, y, model="sbm", orientation="non")
    ccr = dea(x, y, model="ccr", orientation="input")
    for o in range(len(x)):
        assert r.efficiency[o] == pytest.approx(full_sbm(x, y, o), abs=1e-7)
    assert np.all(r.efficiency <= ccr.efficiency + 1e-9)
