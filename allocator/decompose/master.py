"""The restricted master of the Dantzig-Wolfe decomposition: a convex combination of each block's proposals.

Rows: the linking rows (each block's use from its proposals, plus the master's own columns), in stage 2
the stage-1 hold (no more shortfall than stage 1 reached), the rows that hold only master columns, and
one convexity row per block (its proposals' weights sum to 1). Each linking row has two artificial
columns at a penalty, so the master always solves; a positive artificial at the end means the blocks'
plans cannot be made to fit that row. Solved as a minimization (stage 1: shortfall; stage 2: minus
progress); its row duals price the linking rows for the blocks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import SolverError
from ..solve import solve_arrays
from .block import Proposal
from .structure import Structure

PENALTY = 1e3
"""Cost of one unit of an artificial column (above any sensible price of money or progress)."""


@dataclass(frozen=True)
class MasterSolution:
    """The master's optimum: objective (minimized), weights of the proposals used, master columns, duals."""

    objective: float
    weights: dict[int, float]
    y: dict[str, float]
    prices: np.ndarray
    hold_price: float
    convexity: np.ndarray
    artificial: dict[str, float]
    chosen: dict[int, tuple[float, ...]]


def _add(cols: list, cost: list, lo: list, hi: list, entries: list[tuple[int, float]], c: float, lower: float, upper: float) -> int:
    cols.append(entries)
    cost.append(c)
    lo.append(lower)
    hi.append(upper)
    return len(cols) - 1


def solve_master(
    st: Structure,
    proposals: list[Proposal],
    allowed: list[int],
    stage: int,
    hold: float | None,
    *,
    choose: bool = False,
    penalty: float = PENALTY,
) -> MasterSolution:
    """Solve the restricted master over ``proposals[allowed]`` (``choose``: one whole-unit pattern per block, a small MILP)."""
    n_link = len(st.linking)
    hold_row = n_link if hold is not None else None
    n_top = n_link + (1 if hold is not None else 0)
    master_at = {name: n_top + k for k, name in enumerate(st.master_rows)}
    link_at = {name: k for k, name in enumerate(st.linking)}
    n_blocks = len(st.setups)
    conv0 = n_top + len(st.master_rows)
    row_lo = [*st.link_lower, *([-math.inf] if hold is not None else []), *st.master_lower, *([1.0] * n_blocks)]
    row_hi = [*st.link_upper, *([hold] if hold is not None else []), *st.master_upper, *([1.0] * n_blocks)]
    cols: list[list[tuple[int, float]]] = []
    cost: list[float] = []
    lo: list[float] = []
    hi: list[float] = []
    for p in allowed:
        prop = proposals[p]
        entries = [(int(r), float(v)) for r, v in enumerate(prop.usage) if v]
        if hold_row is not None and prop.stage1:
            entries.append((hold_row, prop.stage1))
        entries.append((conv0 + prop.block, 1.0))
        _add(cols, cost, lo, hi, entries, prop.stage1 if stage == 1 else -prop.stage2, 0.0, math.inf)
    y_names = sorted(st.columns)
    y_first = len(cols)
    y_entries: dict[str, list[tuple[int, float]]] = {}
    for at, rows in ((link_at, st.link_y), (master_at, st.master_y)):
        for r, terms in rows.items():
            for c, v in terms:
                y_entries.setdefault(c, []).append((at[r], v))
    for name in y_names:
        info = st.columns[name]
        entries = list(y_entries.get(name, []))
        if hold_row is not None and info.stage1:
            entries.append((hold_row, info.stage1))
        _add(cols, cost, lo, hi, entries, info.stage1 if stage == 1 else -info.stage2, info.lower, info.upper)
    art_first = len(cols)
    for r in range(n_top):
        for sign in (1.0, -1.0):
            _add(cols, cost, lo, hi, [(r, sign)], penalty, 0.0, math.inf)
    integer = None
    classes: dict[tuple[int, tuple[float, ...]], int] = {}
    if choose:
        integer = [False] * len(cols)
        for k, p in enumerate(allowed):
            classes.setdefault((proposals[p].block, proposals[p].pattern), len(classes))
        pick_row0 = len(row_lo)
        for k, p in enumerate(allowed):  # lambda_p <= z_(block, pattern)
            cols[k].append((pick_row0 + classes[proposals[p].block, proposals[p].pattern], 1.0))
        row_lo += [-math.inf] * len(classes)
        row_hi += [0.0] * len(classes)
        one_row0 = len(row_lo)
        row_lo += [1.0] * n_blocks
        row_hi += [1.0] * n_blocks
        for (block, _), c in sorted(classes.items(), key=lambda kv: kv[1]):
            _add(cols, cost, lo, hi, [(pick_row0 + c, -1.0), (one_row0 + block, 1.0)], 0.0, 0.0, 1.0)
            integer.append(True)
    start = np.zeros(len(cols) + 1, dtype=np.int64)
    start[1:] = np.cumsum([len(c) for c in cols])
    index = np.array([r for c in cols for r, _ in c], dtype=np.int64)
    value = np.array([v for c in cols for _, v in c], dtype=float)
    sol = solve_arrays(
        np.array(cost),
        np.array(lo),
        np.array(hi),
        np.array(row_lo, dtype=float),
        np.array(row_hi, dtype=float),
        (start, index, value),
        integer=np.array(integer, dtype=bool) if integer is not None else None,
    )
    if not sol.status.has_solution:
        raise SolverError(f"decomposition: the master problem could not be solved ({sol.status.value})")
    x, duals = sol.columns, sol.row_duals
    weights = {p: float(x[k]) for k, p in enumerate(allowed) if x[k] > 1e-12}
    art = {}
    for r in range(n_top):
        v = float(x[art_first + 2 * r] + x[art_first + 2 * r + 1])
        if v > 1e-9:
            art[st.linking[r] if r < n_link else "stage1_hold"] = v
    chosen = {}
    if choose:
        best: dict[int, tuple[float, tuple[float, ...]]] = {}
        for p, w in weights.items():
            b = proposals[p].block
            if w > best.get(b, (-1.0, ()))[0]:
                best[b] = (w, proposals[p].pattern)
        chosen = {b: pat for b, (_, pat) in best.items()}
    return MasterSolution(
        objective=sol.objective,
        weights=weights,
        y={name: float(x[y_first + k]) for k, name in enumerate(y_names)},
        prices=-duals[:n_link].copy(),
        hold_price=float(-duals[hold_row]) if hold_row is not None else 0.0,
        convexity=duals[conv0 : conv0 + n_blocks].copy(),
        artificial=art,
        chosen=chosen,
    )
