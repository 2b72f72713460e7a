"""DEA against published examples (scores to 1e-4, slacks where the source gives unique ones)."""

from __future__ import annotations

import numpy as np
import pytest

from allocator.dea import dea, malmquist

# 11 DMUs, 2 inputs, 1 output: the "FLS book data" example of the Julia package
# DataEnvelopmentAnalysis.jl (Barbero & Zofio), test/dea.jl, whose expected
# values are stated there to be checked against the R package Benchmarking.
FLS_X = np.array([[5, 13], [16, 12], [16, 26], [17, 15], [18, 14], [23, 6], [25, 10], [27, 22], [37, 14], [42, 25], [5, 17]], dtype=float)
FLS_Y = np.array([[12], [14], [25], [26], [8], [9], [27], [30], [31], [26], [12]], dtype=float)


def _sx(rows: dict[int, tuple[float, float]]) -> np.ndarray:
    out = np.zeros((11, 2))
    for i, v in rows.items():
        out[i] = v
    return out


def test_fls_ccr_input() -> None:
    """CCR input-oriented theta and slacks: DataEnvelopmentAnalysis.jl test/dea.jl, "Input oriented CRS"."""
    r = dea(FLS_X, FLS_Y, model="ccr", orientation="input")
    expected = [1.0, 0.6222896791, 0.8198562444, 1.0, 0.3103709311, 0.5555555556, 1.0, 0.7576690896, 0.8201058201, 0.4905660377, 1.0]
    np.testing.assert_allclose(r.efficiency, expected, atol=1e-4)
    np.testing.assert_allclose(r.input_slacks, _sx({5: (4.444444444, 0), 8: (1.640211640, 0), 10: (0, 4)}), atol=1e-4)
    np.testing.assert_allclose(r.output_slacks, 0.0, atol=1e-6)
    # Peers published there: DMU 2 -> 0.4249783174 x DMU 4 + 0.10928013877 x DMU 7.
    assert dict(r.peers(1)) == pytest.approx({"3": 0.4249783174, "6": 0.10928013877}, abs=1e-6)
    assert r.status == ("optimal",) * 11


def test_fls_ccr_output() -> None:
    """CCR output-oriented phi and slacks: DataEnvelopmentAnalysis.jl test/dea.jl, "Otuput oriented CRS"."""
    r = dea(FLS_X, FLS_Y, model="ccr", orientation="output")
    expected = [1.0, 1.606968641, 1.219726027, 1.0, 3.221951220, 1.8, 1.0, 1.319837398, 1.219354839, 2.038461538, 1.0]
    assert r.phi is not None
    np.testing.assert_allclose(r.phi, expected, atol=1e-4)
    np.testing.assert_allclose(r.efficiency, 1.0 / np.array(expected), atol=1e-4)
    np.testing.assert_allclose(r.input_slacks, _sx({5: (8, 0), 8: (2, 0), 10: (0, 4)}), atol=1e-4)
    np.testing.assert_allclose(r.output_slacks, 0.0, atol=1e-6)


def test_fls_bcc_input() -> None:
    """BCC input-oriented theta and slacks: DataEnvelopmentAnalysis.jl test/dea.jl, "Input oriented VRS"."""
    r = dea(FLS_X, FLS_Y, model="bcc", orientation="input")
    expected = [1.0, 0.8699861687, 1.0, 1.0, 0.7116402116, 1.0, 1.0, 1.0, 1.0, 0.4931209269, 1.0]
    np.testing.assert_allclose(r.efficiency, expected, atol=1e-4)
    np.testing.assert_allclose(r.input_slacks, _sx({10: (0, 4)}), atol=1e-4)
    sy = np.zeros((11, 1))
    sy[4] = 2.698412698
    np.testing.assert_allclose(r.output_slacks, sy, atol=1e-4)


def test_fls_bcc_output() -> None:
    """BCC output-oriented phi and slacks: DataEnvelopmentAnalysis.jl test/dea.jl, "Output oriented VRS"."""
    r = dea(FLS_X, FLS_Y, model="bcc", orientation="output")
    expected = [1.0, 1.507518797, 1.0, 1.0, 3.203947368, 1.0, 1.0, 1.0, 1.0, 1.192307692, 1.0]
    assert r.phi is not None
    np.testing.assert_allclose(r.phi, expected, atol=1e-4)
    np.testing.assert_allclose(r.input_slacks, _sx({9: (5, 11), 10: (0, 4)}), atol=1e-4)
    np.testing.assert_allclose(r.output_slacks, 0.0, atol=1e-6)


# 8 DMUs, 1 input, 1 output: the Enhanced Russell Graph example of
# DataEnvelopmentAnalysis.jl, test/deaerg.jl. ERG (Pastor, Ruiz & Sirvent 1999)
# is the same measure as Tone's (2001) non-oriented SBM.
ERG_X = np.array([2, 4, 8, 12, 6, 14, 14, 9.412])[:, None]
ERG_Y = np.array([1, 5, 8, 9, 3, 7, 9, 2.353])[:, None]


def test_sbm_non_oriented_crs_scores() -> None:
    """SBM (CRS) rho: DataEnvelopmentAnalysis.jl test/deaerg.jl, "Enhanced Russell Graph CRS".

    The slacks there are one of several optima (e.g. DMU 3 can remove 1.6 of
    input or add 2 of output for the same rho = 0.8), so only rho is compared,
    plus the identity rho = (1 - s^-/x) / (1 + s^+/y) for our own slacks.
    """
    r = dea(ERG_X, ERG_Y, model="sbm", orientation="non")
    expected = [0.4, 1.0, 0.8, 0.6, 0.4, 0.4, 0.514285714285650175, 0.2]
    np.testing.assert_allclose(r.efficiency, expected, atol=1e-4)
    rho = (1 - r.input_slacks[:, 0] / ERG_X[:, 0]) / (1 + r.output_slacks[:, 0] / ERG_Y[:, 0])
    np.testing.assert_allclose(rho, r.efficiency, atol=1e-8)


def test_sbm_non_oriented_vrs_scores_and_slacks() -> None:
    """SBM (VRS) rho and slacks: DataEnvelopmentAnalysis.jl test/deaerg.jl, "Enhanced Russell Graph VRS"."""
    r = dea(ERG_X, ERG_Y, model="sbm", orientation="non", sbm_rts="vrs")
    expected = [1.0, 1.0, 1.0, 1.0, 0.4, 0.4761904761904763, 0.8571428571428572, 0.2]
    np.testing.assert_allclose(r.efficiency, expected, atol=1e-4)
    np.testing.assert_allclose(r.input_slacks[:, 0], [0, 0, 0, 0, 2.0, 22 / 3, 2, 5.412], atol=1e-4)
    np.testing.assert_allclose(r.output_slacks[:, 0], [0, 0, 0, 0, 2.0, 0, 0, 2.647], atol=1e-4)


def test_malmquist_five_firms() -> None:
    """Malmquist MI, EC, TC: DataEnvelopmentAnalysis.jl test/malmquist.jl (1 input, 1 output, 2 periods).

    With one input and one output under CRS each distance is (y/x) / max(y/x),
    so the published values are also checkable by hand: firm 1 has
    EC = (1/2) / (0.5/1.333) = 1.333 and TC = 1.5 for all firms.
    """
    x0, y0 = [[2], [3], [5], [4], [4]], [[1], [4], [6], [3], [5]]
    x1, y1 = [[1], [2], [4], [3], [4]], [[1], [4], [6], [3], [3]]
    for orientation in ("input", "output"):
        m = malmquist(x0, y0, x1, y1, orientation=orientation)
        np.testing.assert_allclose(m.mi, [2.0, 1.5, 1.25, 1.3333333333, 0.6], atol=1e-4)
        np.testing.assert_allclose(m.ec, [1.3333333333, 1.0, 0.8333333333, 0.8888888889, 0.4], atol=1e-4)
        np.testing.assert_allclose(m.tc, [1.5] * 5, atol=1e-4)
