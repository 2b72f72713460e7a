"""One group's block of the plan, kept warm in a worker: built once, then priced and re-solved as the master asks.

A block is ``build_problem(scenario, units=group)``: the group's columns and rows, and every row that runs
over all units (a fund limit, the earmark, an indicator's value) with the group's terms only. A column is
the group's own (*private*) when its name carries one of the group's unit ids (``x__u__i__t__f``,
``q__u__i__t``, ...); the rest (an indicator's value ``v__k__t``, its progress ``p__k``) are *shared*:
every block has them, and the coordinator decides which block owns each or whether the master does
(``structure``). Tasks receive the scenario and the block's setup with every call, so a worker that has
lost its cache rebuilds the block and answers the same.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from models import Scenario, SolveStatus

from ..distributed import worker_cache
from ..errors import DataError, InfeasibleError, SolverError
from ..extract import ZERO_THRESHOLD
from ..formulation import build_problem
from ..solve import HighsModel, SolverSettings

CACHE = "decompose"
PRICING_GAP = 1e-3
"""Relative MIP gap of a block's pricing solve: the reported bound uses the block's own best bound, so a
looser gap only costs a little bound, and the final plan is an LP (whole-unit decisions fixed)."""


@dataclass(frozen=True)
class RowInfo:
    """What a block knows of a row that may link groups: bounds, shared terms, and whether it has terms of its own."""

    lower: float
    upper: float
    shared: tuple[tuple[str, float], ...]
    private: bool
    nonneg: bool
    """Every term of the block's own is a non-negative coefficient on a non-negative column."""


@dataclass(frozen=True)
class ColumnInfo:
    """A shared column: bounds, whether it is integer, and its coefficients in the two stage objectives."""

    lower: float
    upper: float
    integer: bool
    stage1: float
    stage2: float


@dataclass(frozen=True)
class BlockReport:
    """A built block's rows that may link groups, and the shared columns they use."""

    rows: dict[str, RowInfo]
    columns: dict[str, ColumnInfo]
    size: tuple[int, int, int]
    """Columns, rows and integer columns of the block's model."""
    seconds: float
    levels: tuple[tuple[int, str, bool, bool], ...] = ()
    """(priority, name, maximize, exact) of the model's priority levels."""


@dataclass(frozen=True)
class BlockSetup:
    """What the coordinator decided for one block (the same for every call of one job)."""

    job: str
    index: int
    units: tuple[str, ...]
    linking: tuple[str, ...]
    owned_rows: frozenset[str]
    owned_columns: frozenset[str]
    relaxed: frozenset[str]


@dataclass(frozen=True)
class Proposal:
    """A plan of one block: its own stage objectives, what it uses of each linking row, its whole-unit decisions."""

    block: int
    stage1: float
    stage2: float
    usage: np.ndarray
    pattern: tuple[float, ...]
    integral: bool
    value: float
    bound: float
    seconds: float


@dataclass(frozen=True)
class BlockPlan:
    """A block's final plan: money rows, activity, and its part of each stage objective."""

    money: list[tuple[str, str, int, str, float]]
    activity: list[tuple[str, str, int, float]]
    stage1: float
    stage2: float
    usage: np.ndarray
    seconds: float


@dataclass
class Block:
    """The warm HiGHS model of one block and the index arrays the decomposition needs (the PuLP model is dropped)."""

    model: HighsModel
    private: np.ndarray
    stage1: np.ndarray
    stage2: np.ndarray
    terms: dict[str, tuple[np.ndarray, np.ndarray]]
    report: BlockReport
    money: list[tuple[int, str, str, int, str]]
    activity: list[tuple[int, str, str, int]]
    setup: BlockSetup | None = None
    owned: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    link: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    last: np.ndarray | None = None
    current: tuple[str, tuple[float, ...] | None] | None = None

    @classmethod
    def build(cls, scenario: Scenario, units: tuple[str, ...], full: bool) -> Block:
        """Build the block; ``full`` also reports every shared row and column (one block does, for the master)."""
        t0 = time.perf_counter()
        bp = build_problem(scenario, check=False, units=units)
        model = HighsModel(bp.problem, SolverSettings(name="highs", mip_gap=PRICING_GAP))
        own = set(units)
        private = np.array([not own.isdisjoint(c.name.split("__")) for c in model.columns])
        col = model.col_index
        names = [lv.name for lv in bp.levels]
        if not set(names) <= {"stage1", "stage2"}:
            raise DataError(
                f"--decompose solves the two default levels (missing indicators, then weighted progress); this scenario "
                f"has priority levels {', '.join(n for n in names if n not in ('stage1', 'stage2'))} or goals: plan it without --decompose"
            )
        stage1, stage2 = np.zeros(len(private)), np.zeros(len(private))
        for vec, name in ((stage1, "stage1"), (stage2, "stage2")):
            for var, coef in bp.level(name).objective.items() if name in names else ():
                vec[col[var.name]] = coef
        rows: dict[str, RowInfo] = {}
        terms: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for name, con in bp.problem.constraints.items():
            named_private = not own.isdisjoint(name.split("__"))
            items = [(col[v.name], c) for v, c in con.items() if c]
            shared = tuple((model.columns[j].name, c) for j, c in items if not private[j])
            mine = [(j, c) for j, c in items if private[j]]
            if named_private and not shared:
                continue
            if not (full or mine or named_private):
                continue
            r = model.row_index[name]
            nonneg = all(c >= 0 and model.col_lower[j] >= 0 for j, c in mine)
            rows[name] = RowInfo(float(model.row_lower[r]), float(model.row_upper[r]), shared, bool(mine), nonneg)
            if mine:
                terms[name] = (np.array([j for j, _ in mine], dtype=np.int64), np.array([c for _, c in mine]))
        if full:
            needed = {c.name for j, c in enumerate(model.columns) if not private[j]}
        else:
            needed = {c for info in rows.values() for c, _ in info.shared}
        columns = {
            name: ColumnInfo(
                float(model.col_lower[col[name]]),
                float(model.col_upper[col[name]]),
                bool(model.integer[col[name]]),
                float(stage1[col[name]]),
                float(stage2[col[name]]),
            )
            for name in needed
        }
        money = [(col[v.name], u, i, t, f) for (u, i, t, f), v in bp.money.items()]
        activity = [(col[v.name], u, i, t) for (u, i, t), v in bp.activity.items()]
        size = (len(model.columns), len(model.row_names), int(model.integer.sum()))
        levels = tuple((lv.priority, lv.name, lv.maximize, lv.exact) for lv in bp.levels)
        report = BlockReport(rows, columns, size, time.perf_counter() - t0, levels)
        return cls(model, private, stage1, stage2, terms, report, money, activity)

    def configure(self, setup: BlockSetup) -> None:
        """Keep the block's own rows, price the linking ones (a relaxable one stays with its upper bound)."""
        m = self.model
        keep_names = set(setup.owned_rows)
        linking = set(setup.linking)
        own = set(setup.units)
        for r, name in enumerate(m.row_names):
            if name in setup.relaxed:
                m.h.changeRowBounds(r, -math.inf, m.row_upper[r])
            elif name in linking:
                m.h.changeRowBounds(r, -math.inf, math.inf)
            elif name in keep_names or not own.isdisjoint(name.split("__")):
                continue
            else:
                m.h.changeRowBounds(r, -math.inf, math.inf)
        self.owned = self.private | np.array([c.name in setup.owned_columns for c in m.columns])
        rows, cols, vals = [], [], []
        for n, name in enumerate(setup.linking):
            if name in self.terms:
                j, c = self.terms[name]
                rows.append(np.full(len(j), n))
                cols.append(j)
                vals.append(c)
        cat = lambda parts, dt: np.concatenate(parts).astype(dt) if parts else np.zeros(0, dtype=dt)
        self.link = (cat(rows, np.int64), cat(cols, np.int64), cat(vals, float))
        self.setup = setup

    def usage(self, x: np.ndarray) -> np.ndarray:
        """What a plan uses of each linking row (its own terms only)."""
        rows, cols, vals = self.link  # type: ignore[misc]
        return np.bincount(rows, weights=vals * x[cols], minlength=len(self.setup.linking))  # type: ignore[union-attr]

    def _mode(self, mode: str, pattern: tuple[float, ...] | None) -> None:
        """Relax, restore or fix the whole-unit decisions; nothing when they are already so (a change loses the basis)."""
        if self.current == (mode, pattern):
            return
        self.current = (mode, pattern)
        m = self.model
        if mode == "lp":
            m.relax_integers()
        elif mode == "milp":
            m.release_integers()
        else:
            values = np.zeros(len(m.columns))
            values[np.flatnonzero(m.integer)] = pattern or ()
            m.fix_integers(values)

    def _objective(self, stage: int, prices: np.ndarray, hold_price: float) -> np.ndarray:
        c1 = np.where(self.owned, self.stage1, 0.0)
        c2 = np.where(self.owned, self.stage2, 0.0)
        w = -c1 if stage == 1 else c2 - hold_price * c1
        rows, cols, vals = self.link  # type: ignore[misc]
        np.subtract.at(w, cols, prices[rows] * vals)
        return w

    def _run(self, w: np.ndarray, label: str) -> tuple[np.ndarray, float]:
        import highspy

        m = self.model
        m.h.changeColsCost(len(w), np.arange(len(w), dtype=np.int32), w)
        m.h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        if self.last is not None and self.current and self.current[0] == "milp":
            m.warm_start(self.last)  # a MIP start; an LP keeps its basis instead, which a start would discard
        report, x = m.run(label, None)
        if x is None:
            group = self.setup.units if self.setup else ()
            who = f"the group of units {', '.join(group[:4])}{' ...' if len(group) > 4 else ''}"
            if report.status == SolveStatus.INFEASIBLE:
                raise InfeasibleError(f"decomposition: {who} cannot keep its own rules {self._short_limits()}", status="infeasible")
            raise SolverError(f"decomposition: HiGHS stopped on {who} ({report.status.value})")
        bound = float(m.h.getInfo().mip_dual_bound) if m.integer.any() and report.mip_gap is not None else float(w @ x)
        if not math.isfinite(bound):
            bound = float(w @ x)
        return x, bound

    def _short_limits(self) -> str:
        """Which shared limits a group's own rules need more of than the whole fund holds (to name in an error)."""
        import highspy

        m, setup = self.model, self.setup
        relaxed = [name for name in setup.relaxed if name in self.terms] if setup else []
        for name in relaxed:
            m.h.changeRowBounds(m.row_index[name], -math.inf, math.inf)
        w = np.zeros(len(m.columns))
        for name in relaxed:
            j, c = self.terms[name]
            np.subtract.at(w, j, c / max(1.0, abs(m.row_upper[m.row_index[name]])))
        m.h.changeColsCost(len(w), np.arange(len(w), dtype=np.int32), w)
        m.h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        try:
            _, x = m.run("least_shared_money", None)
        finally:
            for name in relaxed:
                m.h.changeRowBounds(m.row_index[name], -math.inf, m.row_upper[m.row_index[name]])
        if x is None:
            return "(its floors, caps or shares conflict whatever money it gets)"
        short = []
        for name in sorted(relaxed):
            j, c = self.terms[name]
            need, limit = float(c @ x[j]), float(m.row_upper[m.row_index[name]])
            if need > limit + 1e-6 * max(1.0, abs(limit)):
                short.append(f"{name} needs at least {need:.6g}, the whole limit is {limit:.6g}")
        return "within the shared limits: " + "; ".join(short) if short else "(its rules conflict)"

    def price(self, mode: str, pattern: tuple[float, ...] | None, stage: int, prices: np.ndarray, hold_price: float) -> Proposal:
        """Solve the block under the master's prices: its best plan, and a bound on the priced objective."""
        t0 = time.perf_counter()
        self._mode(mode, pattern)
        w = self._objective(stage, prices, hold_price)
        x, bound = self._run(w, f"block_{self.setup.index}_{mode}")  # type: ignore[union-attr]
        self.last = x
        ints = x[self.model.integer]
        rounded = np.round(ints)
        integral = bool(np.all(np.abs(ints - rounded) <= 1e-6))
        c1, c2 = np.where(self.owned, self.stage1, 0.0), np.where(self.owned, self.stage2, 0.0)
        return Proposal(
            self.setup.index,  # type: ignore[union-attr]
            float(c1 @ x),
            float(c2 @ x),
            self.usage(x),
            tuple(float(v) for v in rounded),
            integral,
            float(w @ x),
            max(bound, float(w @ x)),
            time.perf_counter() - t0,
        )

    def final(self, pattern: tuple[float, ...] | None, target: np.ndarray, stage1_cap: float) -> BlockPlan:
        """The block's best stage-2 plan with its whole-unit decisions fixed and its use of the linking rows pinned.

        Its use of every linking row is held at ``target`` and its own stage-1 shortfall at most ``stage1_cap``.
        """
        t0 = time.perf_counter()
        m = self.model
        self._mode("fixed" if m.integer.any() else "lp", pattern)
        first = m.h.getNumRow()
        rows, cols, vals = self.link  # type: ignore[misc]
        for n in range(len(self.setup.linking)):  # type: ignore[union-attr]
            sel = rows == n
            if not sel.any():
                continue
            tol = 1e-9 * (1.0 + abs(target[n]))
            m.h.addRow(target[n] - tol, target[n] + tol, int(sel.sum()), cols[sel].astype(np.int32), vals[sel])
        c1 = np.where(self.owned, self.stage1, 0.0)
        nz = np.flatnonzero(c1)
        if len(nz):
            m.h.addRow(-math.inf, stage1_cap + 1e-9 * (1.0 + abs(stage1_cap)), len(nz), nz.astype(np.int32), c1[nz])
        try:
            x, _ = self._run(self._objective(2, np.zeros(len(target)), 0.0), "block_final")
        finally:
            added = m.h.getNumRow() - first
            if added:
                m.h.deleteRows(added, np.arange(first, first + added, dtype=np.int32))
        money = [(u, i, t, f, float(x[j])) for j, u, i, t, f in self.money if x[j] > ZERO_THRESHOLD]
        activity = [(u, i, t, float(x[j])) for j, u, i, t in self.activity if abs(x[j]) > ZERO_THRESHOLD]
        c1, c2 = np.where(self.owned, self.stage1, 0.0), np.where(self.owned, self.stage2, 0.0)
        return BlockPlan(money, activity, float(c1 @ x), float(c2 @ x), self.usage(x), time.perf_counter() - t0)


def _block(scenario: Scenario, job: str, units: tuple[str, ...], setup: BlockSetup | None, full: bool = False) -> Block:
    cache = worker_cache(CACHE)
    key = (job, units)
    block = cache.get(key)
    if block is None:
        block = cache[key] = Block.build(scenario, units, full)
    if setup is not None and block.setup is None:
        block.configure(setup)
    return block


def forget(job: str) -> None:
    """Drop a finished job's blocks from this worker's cache."""
    cache = worker_cache(CACHE)
    for key in [k for k in cache if k[0] == job]:
        del cache[key]


def report_task(scenario: Scenario, job: str, full: bool, units: tuple[str, ...]) -> BlockReport:
    """Task: build a block (kept in the worker's cache) and report its rows that may link groups."""
    return _block(scenario, job, units, None, full).report


def price_task(
    scenario: Scenario, stage: int, prices: np.ndarray, hold_price: float, setup: BlockSetup, mode: str, pattern: tuple[float, ...] | None
) -> Proposal:
    """Task: the block's best plan under the master's prices (``mode`` lp, milp, or fixed at ``pattern``)."""
    return _block(scenario, setup.job, setup.units, setup).price(mode, pattern, stage, prices, hold_price)


def final_task(
    scenario: Scenario, setup: BlockSetup, pattern: tuple[float, ...] | None, target: np.ndarray, stage1_cap: float
) -> BlockPlan:
    """Task: the block's final plan, its use of the linking rows pinned to the master's share."""
    return _block(scenario, setup.job, setup.units, setup).final(pattern, target, stage1_cap)
