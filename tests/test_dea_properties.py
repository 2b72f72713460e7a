"""Invariants of the DEA models on seeded random data and small hypothesis cases."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocator.dea import dea, malmquist
from tests.test_dea_frame import cobb_douglas

TOL = 1e-7


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    return cobb_douglas(50, seed=11)


def test_input_scores_in_unit_interval_and_bcc_above_ccr(data: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = data
    ccr = dea(x, y, model="ccr", orientation="input").efficiency
    bcc = dea(x, y, model="bcc", orientation="input").efficiency
    assert np.all((ccr > 0) & (ccr <= 1 + TOL))
    assert np.all((bcc > 0) & (bcc <= 1 + TOL))
    assert np.all(bcc >= ccr - TOL)


def test_output_phi_at_least_one_and_ccr_reciprocal(data: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = data
    out = dea(x, y, model="ccr", orientation="output")
    inp = dea(x, y, model="ccr", orientation="input")
    assert out.phi is not None and np.all(out.phi >= 1 - TOL)
    np.testing.assert_allclose(out.efficiency, 1.0 / out.phi)
    np.testing.assert_allclose(out.efficiency, inp.efficiency, atol=1e-8)
    bcc = dea(x, y, model="bcc", orientation="output")
    assert bcc.phi is not None and np.all(bcc.phi >= 1 - TOL)


@pytest.mark.parametrize("model,orientation", [("ccr", "input"), ("bcc", "output"), ("sbm", "non"), ("sbm", "input")])
def test_rescaling_columns_changes_nothing_but_units(data: tuple[np.ndarray, np.ndarray], model: str, orientation: str) -> None:
    """Money in millions next to counts: scores identical, slacks scale with their column."""
    x, y = data
    fx, fy = np.array([1e6, 1.0, 1e-3]), np.array([1.0, 1e5, 7.0, 1e-4])
    a = dea(x, y, model=model, orientation=orientation)
    b = dea(x * fx, y * fy, model=model, orientation=orientation)
    np.testing.assert_allclose(b.efficiency, a.efficiency, atol=1e-8)
    np.testing.assert_allclose(b.input_slacks / fx, a.input_slacks, atol=1e-6)
    np.testing.assert_allclose(b.output_slacks / fy, a.output_slacks, atol=1e-6)


def test_strictly_dominated_unit_is_inefficient(data: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = data
    x2 = np.vstack([x, x[0] * 1.1])
    y2 = np.vstack([y, y[0] * 0.9])
    for model, orientation in (("ccr", "input"), ("bcc", "input"), ("bcc", "output"), ("sbm", "non")):
        r = dea(x2, y2, model=model, orientation=orientation)
        assert r.efficiency[-1] < 1 - 1e-3


@pytest.mark.parametrize("model,orientation", [("ccr", "input"), ("bcc", "input"), ("ccr", "output"), ("sbm", "non"), ("sbm", "input")])
def test_super_efficiency_above_one_only_for_efficient(data: tuple[np.ndarray, np.ndarray], model: str, orientation: str) -> None:
    x, y = data
    r = dea(x, y, model=model, orientation=orientation, super_efficiency=True)
    assert r.super_efficiency is not None and r.super_status is not None
    ok = np.array([s == "optimal" for s in r.super_status])
    sup, eff = r.super_efficiency, r.efficiency
    efficient = eff >= 1 - 1e-6
    assert np.all(sup[ok & ~efficient] == pytest.approx(eff[ok & ~efficient]))
    assert np.all(sup[ok & efficient] >= 1 - 1e-7)
    assert np.all((sup[ok] > 1 + 1e-7) <= efficient[ok])
    assert efficient.any() and (sup[ok] > 1 + 1e-6).any()


def test_permuting_rows_permutes_results(data: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = data
    perm = np.random.default_rng(5).permutation(len(x))
    for model, orientation in (("bcc", "input"), ("sbm", "non")):
        a = dea(x, y, model=model, orientation=orientation, ids=[f"u{i}" for i in range(len(x))])
        b = dea(x[perm], y[perm], model=model, orientation=orientation, ids=[f"u{i}" for i in perm])
        np.testing.assert_allclose(b.efficiency, a.efficiency[perm], atol=1e-8)
        assert b.ids == tuple(a.ids[i] for i in perm)
        if a.rts is not None and b.rts is not None:
            assert b.rts == tuple(a.rts[i] for i in perm)


def test_targets_are_efficient(data: tuple[np.ndarray, np.ndarray]) -> None:
    """Phase two is right: the projected point (radial step and slacks) scores 1 with no slack."""
    x, y = data
    for model in ("ccr", "bcc"):
        r = dea(x, y, model=model, orientation="input")
        again = dea(np.vstack([x, r.input_targets]), np.vstack([y, r.output_targets]), model=model, orientation="input")
        n = len(x)
        np.testing.assert_allclose(again.efficiency[n:], 1.0, atol=1e-6)
        assert again.input_slacks[n:].max() < 1e-5 * x.max()
        assert again.output_slacks[n:].max() < 1e-5 * y.max()


def test_radially_efficient_unit_with_slack_is_caught_by_sbm() -> None:
    """A unit on the radial frontier that wastes one input: theta = 1, SBM < 1."""
    x = np.array([[1.0, 2.0], [2.0, 1.0], [1.0, 3.0]])
    y = np.ones((3, 1))
    ccr = dea(x, y, model="ccr", orientation="input")
    sbm = dea(x, y, model="sbm", orientation="non")
    assert ccr.efficiency[2] == pytest.approx(1.0)
    assert ccr.input_slacks[2, 1] == pytest.approx(1.0)
    assert ccr.input_targets[2] == pytest.approx([1.0, 2.0])
    assert sbm.efficiency[2] == pytest.approx(1 - 0.5 * (1 / 3))


def test_returns_to_scale_classes(data: tuple[np.ndarray, np.ndarray]) -> None:
    """Efficient under CCR => constant; BCC-efficient but CCR-inefficient => not constant."""
    x, y = data
    ccr = dea(x, y, model="ccr", orientation="input")
    bcc = dea(x, y, model="bcc", orientation="input")
    assert ccr.rts is not None and bcc.rts is not None
    assert ccr.rts == bcc.rts
    for i in range(len(x)):
        if ccr.efficiency[i] > 1 - 1e-7:
            assert ccr.rts[i] == "constant"
        if bcc.efficiency[i] > 1 - 1e-7 and ccr.efficiency[i] < 1 - 1e-4:
            assert ccr.rts[i] in ("increasing", "decreasing")


def test_zero_outputs_do_not_break_the_solve() -> None:
    """Zeros in outputs (a missing indicator) solve in every model; SBM penalises them."""
    x, y = cobb_douglas(30, seed=4)
    y[::5, 1] = 0.0
    for model, orientation in (("ccr", "input"), ("bcc", "output"), ("sbm", "non"), ("sbm", "input")):
        r = dea(x, y, model=model, orientation=orientation, super_efficiency=True)
        assert all(s == "optimal" for s in r.status)
        assert np.all(np.isfinite(r.efficiency))
    sbm = dea(x, y, model="sbm", orientation="non")
    ccr = dea(x, y, model="ccr", orientation="input")
    assert np.all(sbm.efficiency <= ccr.efficiency + 1e-9)


def test_all_zero_output_dmu_reports_unbounded_in_output_orientation() -> None:
    x, y = cobb_douglas(20, seed=6)
    y[3] = 0.0
    r = dea(x, y, model="ccr", orientation="output")
    assert r.status[3] == "unbounded"
    assert all(s == "optimal" for i, s in enumerate(r.status) if i != 3)


def test_malmquist_identities() -> None:
    x0, y0 = cobb_douglas(25, seed=7)
    x1, y1 = x0 * 0.9, y0 * np.random.default_rng(8).uniform(0.9, 1.3, y0.shape)
    for rts in ("crs", "vrs"):
        for orientation in ("input", "output"):
            m = malmquist(x0, y0, x1, y1, orientation=orientation, rts=rts)
            ok = np.array([s == "optimal" for s in m.status])
            np.testing.assert_allclose(m.mi[ok], (m.ec * m.tc)[ok], rtol=1e-10)
            same = malmquist(x0, y0, x0, y0, orientation=orientation, rts=rts)
            np.testing.assert_allclose(same.mi, 1.0, atol=1e-8)
            np.testing.assert_allclose(same.ec, 1.0, atol=1e-8)


def test_malmquist_vrs_cross_period_infeasible_is_a_status() -> None:
    """Under VRS a period-t+1 unit beyond every period-t output is infeasible against frontier t."""
    x0, y0 = cobb_douglas(15, seed=9)
    x1, y1 = x0.copy(), y0.copy()
    y1[0] = y0.max(axis=0) * 2
    m = malmquist(x0, y0, x1, y1, orientation="input", rts="vrs")
    assert "d_t_t1: infeasible" in m.status[0]
    assert np.isnan(m.mi[0]) and np.isnan(m.tc[0])


small = st.integers(min_value=1, max_value=50).map(float)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(small, small, small, small), min_size=5, max_size=9))
def test_hypothesis_scores_bounded_and_bcc_above_ccr(rows: list[tuple[float, float, float, float]]) -> None:
    a = np.array(rows)
    x, y = a[:, :2], a[:, 2:]
    ccr = dea(x, y, model="ccr", orientation="input")
    bcc = dea(x, y, model="bcc", orientation="input")
    sbm = dea(x, y, model="sbm", orientation="non")
    assert all(s == "optimal" for s in ccr.status + bcc.status + sbm.status)
    assert np.all((ccr.efficiency > 0) & (ccr.efficiency <= 1 + TOL))
    assert np.all(bcc.efficiency >= ccr.efficiency - TOL)
    assert np.all(sbm.efficiency <= ccr.efficiency + TOL)
    assert np.max(ccr.efficiency) == pytest.approx(1.0)
