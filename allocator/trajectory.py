"""Indicator trajectories from funded activity: the accounting of docs/formulation.md as plain numpy.

The LP encodes the same rules as constraints; this module recomputes them from the allocation alone,
so tests can check the solver's numbers against an independent calculation, and what-if risk draws
can re-evaluate a plan under other yields without solving anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .sets import ModelSets


@dataclass(frozen=True)
class Trajectory:
    """Indicator values by year, and each unit's own series, for one activity plan (and optional yield draws).

    Arrays may carry leading draw dimensions ``...`` (one per yield draw).
    """

    values: np.ndarray  # (..., K, T): indicator value per year
    flows: np.ndarray  # (..., K, U, T): output landing in each year, per unit
    unit_values: np.ndarray  # (..., K, U, T): per-unit value (per_unit_min: its level; annual_rate: the year's output; else cumulative)


def effective_activity(sets: ModelSets, activity: np.ndarray) -> np.ndarray:
    """Apply each initiative's diminishing-returns segments to raw activity ``(U, I, T)``."""
    out = np.zeros_like(activity, dtype=float)
    for i_idx, ini_key in enumerate(sets.initiatives):
        q = activity[:, i_idx, :]
        start = 0.0
        eff = np.zeros_like(q, dtype=float)
        for width, efficiency in sets.scenario.initiatives[ini_key].segment_table:
            piece = q - start
            piece = np.clip(piece, 0.0, width if width is not None else np.inf)
            eff += efficiency * piece
            if width is None:
                break
            start += width
        out[:, i_idx, :] = eff
    return out


def yield_matrix(sets: ModelSets) -> np.ndarray:
    """Yields as an ``(I, K)`` matrix: indicator units per effective activity unit."""
    ind_pos = {k: n for n, k in enumerate(sets.indicators)}
    y = np.zeros((len(sets.initiatives), len(sets.indicators)))
    for i_idx, ini_key in enumerate(sets.initiatives):
        for ind_key, eff in sets.scenario.initiatives[ini_key].effects.items():
            y[i_idx, ind_pos[ind_key]] = eff.yield_per_unit
    return y


def lagged(sets: ModelSets, eff_activity: np.ndarray) -> np.ndarray:
    """Shift each initiative's effective activity by its lead time: money in year t counts in year t+lag."""
    out = np.zeros_like(eff_activity)
    n_years = eff_activity.shape[-1]
    for i_idx, ini_key in enumerate(sets.initiatives):
        lag = sets.scenario.initiatives[ini_key].lag
        if lag < n_years:
            out[:, i_idx, lag:] = eff_activity[:, i_idx, : n_years - lag]
    return out


def evaluate(sets: ModelSets, eff_activity: np.ndarray, yields: np.ndarray | None = None) -> Trajectory:
    """Indicator trajectories for effective activity ``(U, I, T)`` under yields ``(..., I, K)``."""
    y = yield_matrix(sets) if yields is None else yields
    shifted = lagged(sets, eff_activity)
    flows = np.einsum("uit,...ik->...kut", shifted, y)
    exogenous = np.ones((len(sets.indicators), shifted.shape[-1]))
    flows = _measured(sets, flows, exogenous)
    lead = flows.shape[:-3]
    n_k, n_u, n_t = flows.shape[-3:]
    values = np.zeros((*lead, n_k, n_t))
    unit_values = np.cumsum(flows, axis=-1)
    unit_pos = {u: n for n, u in enumerate(sets.units)}
    for k_idx, key in enumerate(sets.indicators):
        ind = sets.scenario.indicators[key]
        total = flows[..., k_idx, :, :].sum(axis=-2) + ind.exogenous * exogenous[k_idx]  # (..., T)
        if ind.kind in ("cumulative_new", "breakthrough"):
            values[..., k_idx, :] = ind.baseline + np.cumsum(total, axis=-1)
        elif ind.kind == "annual_rate":
            values[..., k_idx, :] = total
            unit_values[..., k_idx, :, :] = flows[..., k_idx, :, :]  # a flow: nothing carries over, for a unit as for the school
        elif ind.kind in ("level", "ratio"):
            denom = ind.denominator if ind.kind == "ratio" else 1.0
            stock = ind.baseline * denom
            for t in range(n_t):
                stock = (1.0 - ind.decay) * stock + total[..., t]
                values[..., k_idx, t] = stock / denom
        elif ind.kind == "per_unit_min":
            idx = [unit_pos[u] for u in sets.qualifying[key]]
            per_unit = ind.baseline + np.cumsum(flows[..., k_idx, :, :] + ind.exogenous * exogenous[k_idx], axis=-1)
            unit_values[..., k_idx, :, :] = per_unit
            values[..., k_idx, :] = per_unit[..., idx, :].min(axis=-2)
    return Trajectory(values=values, flows=flows, unit_values=unit_values)


def _measured(sets: ModelSets, flows: np.ndarray, exogenous: np.ndarray) -> np.ndarray:
    """Past years of a rolling re-plan: each unit's measured output replaces its modelled flow.

    The exogenous change (already in what was measured) is dropped (``exogenous`` set to 0 there), as the
    measured_value rows do.
    """
    rolling = sets.scenario.rolling
    if rolling is None or not rolling.measured:
        return flows
    flows = flows.copy()
    k_pos = {k: n for n, k in enumerate(sets.indicators)}
    u_pos = {u: n for n, u in enumerate(sets.units)}
    t_pos = {t: n for n, t in enumerate(sets.years)}
    for k, t in {(m.indicator, m.year) for m in rolling.measured}:
        flows[..., k_pos[k], :, t_pos[t]] = 0.0
        exogenous[k_pos[k], t_pos[t]] = 0.0
    for m in rolling.measured:
        if m.unit in u_pos:
            flows[..., k_pos[m.indicator], u_pos[m.unit], t_pos[m.year]] += m.value
    return flows
