"""Frame-first batched DEA gives the full LP's answers, including on degenerate data.

The oracle is the textbook LP with every DMU in every LP, solved by
``scipy.optimize.linprog`` one DMU at a time (``full_radial``). The cases are
chosen to break a frame search: ties and exact duplicates, every DMU the same,
one DMU dominating all others, and zeros in inputs and outputs.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from allocator.dea import batch_simplex as bs
from allocator.dea import dea
from allocator.dea.frame import find_frame
from allocator.dea.frame_radial import phase_one
from allocator.dea.scaling import Scaling
from tests.test_dea_frame import cobb_douglas, full_radial


def _ties_and_duplicates() -> tuple[np.ndarray, np.ndarray]:
    """Small integers (many ties) with the first 8 DMUs repeated twice more."""
    rng = np.random.default_rng(5)
    x = rng.integers(1, 5, (24, 2)).astype(float)
    y = rng.integers(1, 5, (24, 3)).astype(float)
    return np.vstack([x, x[:8], x[:8]]), np.vstack([y, y[:8], y[:8]])


def _identical() -> tuple[np.ndarray, np.ndarray]:
    return np.tile([[3.0, 5.0]], (12, 1)), np.tile([[2.0, 7.0, 1.0]], (12, 1))


def _dominating() -> tuple[np.ndarray, np.ndarray]:
    """DMU 0 uses the least of every input and makes the most of every output."""
    x, y = cobb_douglas(30, m=2, s=2, seed=8)
    x[0], y[0] = x.min(axis=0) * 0.5, y.max(axis=0) * 2.0
    return x, y


def _zeros() -> tuple[np.ndarray, np.ndarray]:
    """A quarter of the inputs and outputs are 0 (never a whole row of inputs)."""
    rng = np.random.default_rng(9)
    x = rng.uniform(1, 10, (36, 3))
    y = rng.uniform(1, 10, (36, 3))
    x[rng.random(x.shape) < 0.25] = 0.0
    x[x.sum(axis=1) == 0, 0] = 4.0
    y[rng.random(y.shape) < 0.25] = 0.0
    y[5] = 0.0  # a DMU that produces nothing
    return x, y


CASES = {
    "random": lambda: cobb_douglas(45, seed=4),
    "ties_duplicates": _ties_and_duplicates,
    "identical": _identical,
    "dominating": _dominating,
    "zeros": _zeros,
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("orientation", ["input", "output"])
@pytest.mark.parametrize("model", ["ccr", "bcc"])
def test_scores_and_slacks_equal_full_lp(case: str, model: str, orientation: str) -> None:
    """dea() (batched over the frame) agrees with the full LP: scores to 1e-7, max slack total to 1e-6."""
    x, y = CASES[case]()
    r = dea(x, y, model=model, orientation=orientation)
    score = r.efficiency if orientation == "input" else r.phi
    assert score is not None
    for o in range(len(x)):
        full = full_radial(x, y, o, orientation=orientation, vrs=model == "bcc")
        if full is None:  # e.g. phi of a DMU that produces nothing is unbounded
            assert r.status[o] != "optimal"
            continue
        assert r.status[o] == "optimal"
        assert score[o] == pytest.approx(full[0], abs=1e-7)
        ours = (r.input_slacks[o] / x.mean(axis=0)).sum() + (r.output_slacks[o] / y.mean(axis=0)).sum()
        assert ours == pytest.approx(full[1], abs=1e-6)


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("vrs", [False, True])
def test_batched_phase_one_is_certified_and_exact(case: str, vrs: bool) -> None:
    """The batch itself (not the HiGHS fallback) answers every DMU it can start, exactly."""
    x, y = CASES[case]()
    sc = Scaling.from_data((x, y))
    xs, ys = sc.inputs(x), sc.outputs(y)
    p1 = phase_one(xs, ys, find_frame(xs, ys, vrs=vrs), orientation="input", vrs=vrs)
    produces = y.sum(axis=1) > 0
    # Input CCR of a DMU with no output has theta = 0 at lambda = 0: no SELF start, left to HiGHS.
    assert np.all(p1.ok[produces]) and (vrs or not np.any(p1.ok[~produces]))
    for o in np.flatnonzero(p1.ok):
        full = full_radial(x, y, o, orientation="input", vrs=vrs)
        assert full is not None
        assert p1.value[o] == pytest.approx(full[0], abs=1e-7)


def _theta_against(x: np.ndarray, y: np.ndarray, ref: np.ndarray, o: int, vrs: bool) -> float:
    """Input theta of DMU o against the reference DMUs ``ref`` only (inf when infeasible)."""
    k = len(ref)
    c = np.r_[1.0, np.zeros(k)]
    a_ub = np.vstack([np.c_[-x[o][:, None], x[ref].T], np.c_[np.zeros((y.shape[1], 1)), -y[ref].T]])
    b_ub = np.r_[np.zeros(x.shape[1]), -y[o]]
    eq = dict(A_eq=np.r_[0.0, np.ones(k)][None, :], b_eq=[1.0]) if vrs else {}
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs", **eq)
    return float(res.fun) if res.status == 0 else np.inf


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("vrs", [False, True])
def test_frame_spans_every_dmu_and_holds_every_extreme_one(case: str, vrs: bool) -> None:
    """Every DMU lies in the hull of the frame (theta <= 1 against it), and every
    extreme efficient DMU (Andersen-Petersen LP infeasible or > 1) is in the frame
    or has an exact copy there."""
    x, y = CASES[case]()
    sc = Scaling.from_data((x, y))
    frame = find_frame(sc.inputs(x), sc.outputs(y), vrs=vrs).frame
    for o in range(len(x)):
        assert _theta_against(x, y, frame, o, vrs) <= 1.0 + 1e-9
        others = np.delete(np.arange(len(x)), o)
        if _theta_against(x, y, others, o, vrs) > 1.0 + 1e-9:
            copies = np.flatnonzero((x == x[o]).all(axis=1) & (y == y[o]).all(axis=1))
            assert np.intersect1d(copies, frame).size > 0


def _full_rts(x: np.ndarray, y: np.ndarray, o: int, orientation: str) -> str:
    """Banker-Chang-Cooper class from the full CCR LP: the range of sum(lambda) on the optimal face."""
    full = full_radial(x, y, o, orientation=orientation, vrs=False)
    assert full is not None
    value = full[0]
    n = x.shape[0]
    if orientation == "input":
        a_ub = np.vstack([x.T, -y.T])
        b_ub = np.r_[value * x[o], -y[o]]
    else:
        a_ub = np.vstack([x.T, -y.T])
        b_ub = np.r_[x[o], -value * y[o]]
    lo = linprog(np.ones(n), A_ub=a_ub, b_ub=b_ub * (1 + 1e-10), bounds=(0, None), method="highs").fun
    hi = -linprog(-np.ones(n), A_ub=a_ub, b_ub=b_ub * (1 + 1e-10), bounds=(0, None), method="highs").fun
    if hi < 1.0 - 1e-6:
        return "increasing"
    if lo > 1.0 + 1e-6:
        return "decreasing"
    return "constant"


@pytest.mark.parametrize("case", ["random", "ties_duplicates", "dominating"])
@pytest.mark.parametrize("orientation", ["input", "output"])
@pytest.mark.parametrize("model", ["ccr", "bcc"])
def test_returns_to_scale_equal_full_lp(case: str, model: str, orientation: str) -> None:
    """Returns-to-scale classes agree with the sum(lambda) range of the full CCR LP."""
    x, y = CASES[case]()
    r = dea(x, y, model=model, orientation=orientation)
    assert r.rts is not None
    assert list(r.rts) == [_full_rts(x, y, o, orientation) for o in range(len(x))]


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("orientation", ["input", "output"])
@pytest.mark.parametrize("model", ["ccr", "bcc"])
def test_peers_reproduce_the_targets(case: str, model: str, orientation: str) -> None:
    """sum_j lambda_j (x_j, y_j) is the reported target (and sum lambda = 1 under BCC)."""
    x, y = CASES[case]()
    r = dea(x, y, model=model, orientation=orientation)
    lam = r.lambdas()
    ok = np.array([st == "optimal" for st in r.status])
    np.testing.assert_allclose((lam @ x)[ok], r.input_targets[ok], rtol=1e-7, atol=1e-7)
    np.testing.assert_allclose((lam @ y)[ok], r.output_targets[ok], rtol=1e-7, atol=1e-7)
    if model == "bcc":
        np.testing.assert_allclose(lam.sum(axis=1)[ok], 1.0, atol=1e-8)


def test_uncertified_batch_falls_back_to_highs(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the batch certified nothing, HiGHS answers every DMU, with the same results."""
    x, y = _ties_and_duplicates()
    fast = dea(x, y, model="bcc", orientation="input", super_efficiency=True)
    real = bs.BatchSimplex.certify

    def refuse(self: bs.BatchSimplex, idx: np.ndarray) -> bs.Certificate:
        cert = real(self, idx)
        return bs.Certificate(np.zeros_like(cert.ok), cert.basis, cert.value, cert.dual, cert.own_reduced, cert.objective)

    monkeypatch.setattr(bs.BatchSimplex, "certify", refuse)
    slow = dea(x, y, model="bcc", orientation="input", super_efficiency=True)
    np.testing.assert_allclose(slow.efficiency, fast.efficiency, atol=1e-9)
    np.testing.assert_allclose(slow.input_slacks.sum(axis=1), fast.input_slacks.sum(axis=1), atol=1e-7)
    np.testing.assert_allclose(slow.output_slacks.sum(axis=1), fast.output_slacks.sum(axis=1), atol=1e-7)
    assert slow.rts == fast.rts and slow.status == fast.status
    assert slow.super_efficiency is not None and fast.super_efficiency is not None
    np.testing.assert_allclose(slow.super_efficiency, fast.super_efficiency, atol=1e-9)


def test_one_lp_batch_solves_a_hand_example() -> None:
    """min z1 + 2 z2  s.t.  z1 + z2 - z3 = 3, z >= 0: optimum 3 at z1 = 3.

    Started from z2 basic (z2 = 3, cost 6), the dual is y = 2, so z1 prices at
    1 - 2 = -1 and enters; z2 leaves at ratio 3/1; then y = 1 and every reduced
    cost (z2: 2 - 1, z3: 0 + 1) is positive: optimal with cost 3.
    """
    own = np.array([[[1.0, 1.0, -1.0]]])
    lp = bs.BatchSimplex(np.zeros((1, 0)), own, np.array([[3.0]]), np.array([1.0, 2.0, 0.0]))
    assert lp.start(np.array([0]), np.array([[1]]))[0]
    lp.solve(np.array([0]))
    cert = lp.certify(np.array([0]))
    assert cert.ok[0] and cert.basis[0, 0] == 0
    assert cert.objective[0] == pytest.approx(3.0)
