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


class _Lp:
    """Columns and rows of the master as lists, handed to HiGHS as arrays."""

    def __init__(self) -> None:
        self.cols: list[list[tuple[int, float]]] = []
        self.cost: list[float] = []
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.integer: list[bool] = []
        self.row_lo: list[float] = []
        self.row_hi: list[float] = []

    def rows(self, lower: list[float], upper: list[float]) -> int:
        first = len(self.row_lo)
        self.row_lo += list(lower)
        self.row_hi += list(upper)
        return first

    def col(self, entries: list[tuple[int, float]], cost: float, lower: float, upper: float, integer: bool = False) -> int:
        self.cols.append(entries)
        self.cost.append(cost)
        self.lo.append(lower)
        self.hi.append(upper)
        self.integer.append(integer)
        return len(self.cols) - 1

    def optimum(self):
        start = np.zeros(len(self.cols) + 1, dtype=np.int64)
        start[1:] = np.cumsum([len(c) for c in self.cols])
        index = np.array([r for c in self.cols for r, _ in c], dtype=np.int64)
        value = np.array([v for c in self.cols for _, v in c], dtype=float)
        integer = np.array(self.integer, dtype=bool)
        return solve_arrays(
            np.array(self.cost),
            np.array(self.lo),
            np.array(self.hi),
            np.array(self.row_lo, dtype=float),
            np.array(self.row_hi, dtype=float),
            (start, index, value),
            integer=integer if integer.any() else None,
        )


def _master_columns(lp: _Lp, st: Structure, stage: int, link0: int, master0: int, hold_row: int | None) -> list[str]:
    """The master's own columns (a province-wide indicator's value and progress), with their rows."""
    entries: dict[str, list[tuple[int, float]]] = {}
    for first, names, terms in ((link0, st.linking, st.link_y), (master0, st.master_rows, st.master_y)):
        for k, r in enumerate(names):
            for c, v in terms.get(r, ()):
                entries.setdefault(c, []).append((first + k, v))
    names = sorted(st.columns)
    for name in names:
        info = st.columns[name]
        col = list(entries.get(name, []))
        if hold_row is not None and info.stage1:
            col.append((hold_row, info.stage1))
        lp.col(col, info.stage1 if stage == 1 else -info.stage2, info.lower, info.upper)
    return names


def _choice(lp: _Lp, proposals: list[Proposal], allowed: list[int], n_blocks: int) -> None:
    """One whole-unit pattern per block: lambda_p <= z[block, pattern], sum of a block's z = 1, z binary."""
    classes: dict[tuple[int, tuple[float, ...]], int] = {}
    for p in allowed:
        classes.setdefault((proposals[p].block, proposals[p].pattern), len(classes))
    pick0 = lp.rows([-math.inf] * len(classes), [0.0] * len(classes))
    one0 = lp.rows([1.0] * n_blocks, [1.0] * n_blocks)
    for k, p in enumerate(allowed):
        lp.cols[k].append((pick0 + classes[proposals[p].block, proposals[p].pattern], 1.0))
    for (block, _), c in sorted(classes.items(), key=lambda kv: kv[1]):
        lp.col([(pick0 + c, -1.0), (one0 + block, 1.0)], 0.0, 0.0, 1.0, integer=True)


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
    lp = _Lp()
    n_link, n_blocks = len(st.linking), len(st.setups)
    link0 = lp.rows(list(st.link_lower), list(st.link_upper))
    hold_row = lp.rows([-math.inf], [hold]) if hold is not None else None
    n_top = len(lp.row_lo)
    master0 = lp.rows(list(st.master_lower), list(st.master_upper))
    conv0 = lp.rows([1.0] * n_blocks, [1.0] * n_blocks)
    for p in allowed:
        prop = proposals[p]
        entries = [(link0 + int(r), float(v)) for r, v in enumerate(prop.usage) if v]
        if hold_row is not None and prop.stage1:
            entries.append((hold_row, prop.stage1))
        entries.append((conv0 + prop.block, 1.0))
        lp.col(entries, prop.stage1 if stage == 1 else -prop.stage2, 0.0, math.inf)
    y_first = len(lp.cols)
    y_names = _master_columns(lp, st, stage, link0, master0, hold_row)
    art_first = len(lp.cols)
    for r in range(n_top):
        for sign in (1.0, -1.0):
            lp.col([(r, sign)], penalty, 0.0, math.inf)
    if choose:
        _choice(lp, proposals, allowed, n_blocks)
    sol = lp.optimum()
    if not sol.status.has_solution:
        raise SolverError(f"decomposition: the master problem could not be solved ({sol.status.value})")
    x, duals = sol.columns, sol.row_duals
    weights = {p: float(x[k]) for k, p in enumerate(allowed) if x[k] > 1e-12}
    art = {}
    for r in range(n_top):
        v = float(x[art_first + 2 * r] + x[art_first + 2 * r + 1])
        if v > 1e-9:
            art[st.linking[r] if r < n_link else "stage1_hold"] = v
    return MasterSolution(
        objective=sol.objective,
        weights=weights,
        y={name: float(x[y_first + k]) for k, name in enumerate(y_names)},
        prices=-duals[link0 : link0 + n_link].copy(),
        hold_price=float(-duals[hold_row]) if hold_row is not None else 0.0,
        convexity=duals[conv0 : conv0 + n_blocks].copy(),
        artificial=art,
        chosen=_heaviest(proposals, weights) if choose else {},
    )


def _heaviest(proposals: list[Proposal], weights: dict[int, float]) -> dict[int, tuple[float, ...]]:
    """Each block's whole-unit pattern with the most weight in the master's solution."""
    best: dict[int, tuple[float, tuple[float, ...]]] = {}
    for p, w in weights.items():
        b = proposals[p].block
        if w > best.get(b, (-1.0, ()))[0]:
            best[b] = (w, proposals[p].pattern)
    return {b: pat for b, (_, pat) in best.items()}
