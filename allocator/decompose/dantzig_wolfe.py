"""Price-directed decomposition by Dantzig-Wolfe column generation, one stage of the lexicographic plan at a time.

Per stage (1: least missing-indicator shortfall; 2: most weighted progress, holding stage 1):

A. LP phase: every block priced as an LP (whole-unit decisions relaxed) until no block can improve the
   master: the LP bound of the stage.
B. Integer phase (blocks with whole-unit decisions): the master keeps only whole-unit plans, blocks are
   priced as MILPs; each round gives whole-unit plans and a Lagrangian bound (the master plus each
   block's best bound), which is what the reported gap is measured against.
C. Choice: one whole-unit pattern per block, chosen by a small MILP over the whole-unit proposals (the
   shared rows priced by artificial columns where the proposals alone cannot meet them).
D. Repair: those patterns fixed, the blocks are LPs again and column generation runs to the optimum (if
   the shared rows still cannot hold, the decomposition cannot restore feasibility: exit 3). The
   master's convex combination of each block's proposals is then a plan that keeps every rule: each
   block re-solves with its use of every linking row pinned to the master's share (``block.final``).

Plain subgradient on the prices would need hundreds of rounds and never gives a primal plan; the master
LP gives both the prices and the plan, and its dual gives the bound.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from models import Scenario

from ..distributed import Cluster
from ..errors import InfeasibleError
from ..solve import LEAK_RELATIVE
from .block import BlockPlan, Proposal, final_task, price_task
from .master import MasterSolution, solve_master
from .structure import Structure

logger = logging.getLogger(__name__)

TOLERANCE = 1e-7
"""Relative: the repair's column generation stops when no block can improve the master by more than this."""
LP_TOLERANCE = 1e-5
"""The LP phase only gives a first bound and prices; its tail of small improvements is not worth the rounds."""
MAX_ROUNDS = 300
INTEGER_ROUNDS = 8
"""Most rounds of MILP pricing per stage: they find the whole-unit patterns early; the bound they tighten
afterwards converges slowly, and each round costs a MILP per block."""
INTEGER_TOLERANCE = 1e-5
SMOOTHING = 0.5
"""Dual smoothing of the LP and repair phases: blocks are priced halfway between the last prices and the
master's new ones, which damps the oscillation of column generation (priced again at the master's own
prices whenever the smoothed ones find nothing, so the result is the same)."""


@dataclass
class StageRun:
    """How one stage went: its value (as minimized), best bound, rounds and seconds per phase."""

    stage: int
    primal: float = math.nan
    bound: float = -math.inf
    rounds: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class ColumnGeneration:
    """The state of a decomposition: proposals found so far (kept across stages) and where tasks run."""

    scenario: Scenario
    structure: Structure
    cluster: Cluster
    integer: list[bool]
    proposals: list[Proposal] = field(default_factory=list)
    task_seconds: list[float] = field(default_factory=list)
    master_seconds: float = 0.0
    rounds: int = 0
    progress: Callable[[str], None] | None = None
    _seen: set = field(default_factory=set)

    def _add(self, props: list[Proposal]) -> None:
        for p in props:
            key = (p.block, p.pattern, round(p.stage1, 9), round(p.stage2, 9), tuple(np.round(p.usage, 6)))
            if key not in self._seen:
                self._seen.add(key)
                self.proposals.append(p)

    def price(
        self, duals: tuple[np.ndarray, float] | None, stage: int, modes: list[str], patterns: dict[int, tuple[float, ...]]
    ) -> list[Proposal]:
        """Every block's best proposal at the given prices of the linking rows and the hold (zero prices if None)."""
        st = self.structure
        prices, hold_price = duals if duals is not None else (np.zeros(len(st.linking)), 0.0)
        tasks = [(setup, modes[b], patterns.get(b)) for b, setup in enumerate(st.setups)]
        props = self.cluster.map(price_task, tasks, shared=(self.scenario, stage, prices, hold_price), affinity=list(range(len(tasks))))
        self.task_seconds += [p.seconds for p in props]
        return props

    def generate(
        self,
        run: StageRun,
        phase: str,
        stage: int,
        hold: float | None,
        modes: list[str],
        allowed: Callable[[Proposal], bool],
        patterns: dict[int, tuple[float, ...]],
        max_rounds: int = MAX_ROUNDS,
        start: MasterSolution | None = None,
    ) -> MasterSolution:
        """Column generation until no block improves the master; updates the stage's bound (valid for ``modes``).

        A block without an allowed proposal yet is first priced at ``start``'s prices (zero prices if None).
        """
        t0 = time.perf_counter()
        have = {p.block for p in self.proposals if allowed(p)}
        if len(have) < len(self.structure.setups):
            first = (start.prices, start.hold_price) if start is not None else None
            self._add([p for p in self.price(first, stage, modes, patterns) if allowed(p)])
        rounds = 0
        smooth = SMOOTHING if phase != "integer" else 0.0
        centre: tuple[np.ndarray, float] | None = None
        while True:
            ids = [n for n, p in enumerate(self.proposals) if allowed(p)]
            tm = time.perf_counter()
            ms = solve_master(self.structure, self.proposals, ids, stage, hold)
            self.master_seconds += time.perf_counter() - tm
            if rounds >= max_rounds:
                break
            own = (ms.prices, ms.hold_price)
            duals = (
                own
                if centre is None or not smooth
                else (smooth * centre[0] + (1 - smooth) * own[0], smooth * centre[1] + (1 - smooth) * own[1])
            )
            new = self.price(duals, stage, modes, patterns)
            rounds += 1
            self.rounds += 1
            gains = [_gain(p, ms, stage) for p in new]
            tol = {"lp": LP_TOLERANCE, "integer": INTEGER_TOLERANCE}.get(phase, TOLERANCE)
            if duals is not own and sum(max(g, 0.0) for g in gains) <= tol * max(1.0, abs(ms.objective)):
                duals = own  # smoothed prices found nothing (a mispricing): price at the master's own
                new = self.price(duals, stage, modes, patterns)
                self.rounds += 1
                gains = [_gain(p, ms, stage) for p in new]
            centre = duals
            if phase != "repair" and duals is own:  # a Lagrangian bound, valid at the master's duals (artificials only weaken it)
                bounds = [p.bound + ms.convexity[p.block] for p in new]
                run.bound = max(run.bound, ms.objective - sum(max(b, 0.0) if phase == "lp" else b for b in bounds))
            # whole-unit plans are kept even when they do not improve the master: the pattern choice needs them
            self._add([p for p, g in zip(new, gains) if allowed(p) and (g > 0 or (phase == "integer" and p.integral))])
            if self.progress:
                self.progress(f"stage {stage} {phase} round {rounds}: {ms.objective:.9g} (bound {run.bound:.9g})")
            logger.info("stage %d %s round %d: master %.9g, best gain %.3g", stage, phase, rounds, ms.objective, max(gains))
            if sum(max(g, 0.0) for g in gains) <= tol * max(1.0, abs(ms.objective)):
                break
        run.rounds[phase] = run.rounds.get(phase, 0) + rounds
        run.seconds[phase] = run.seconds.get(phase, 0.0) + time.perf_counter() - t0
        return ms

    def stage(self, stage: int, hold: float | None) -> tuple[StageRun, MasterSolution, dict[int, tuple[float, ...]]]:
        """Phases A-D of one stage: LP bound, whole-unit proposals and bound, a pattern per block, the repaired optimum."""
        run = StageRun(stage)
        n = len(self.structure.setups)
        lp = ["lp"] * n
        relaxed = self.generate(run, "lp", stage, hold, lp, lambda p: True, {})
        chosen: dict[int, tuple[float, ...]] = {}
        if any(self.integer):
            milp = ["milp" if self.integer[b] else "lp" for b in range(n)]
            self.generate(run, "integer", stage, hold, milp, lambda p: p.integral, {}, max_rounds=INTEGER_ROUNDS, start=relaxed)
            t0 = time.perf_counter()
            ids = [k for k, p in enumerate(self.proposals) if p.integral]
            pick = solve_master(self.structure, self.proposals, ids, stage, hold, choose=True)
            run.seconds["choice"] = time.perf_counter() - t0
            chosen = pick.chosen
        fixed = ["fixed" if self.integer[b] else "lp" for b in range(n)]
        keep = (lambda p: p.integral and (not self.integer[p.block] or p.pattern == chosen[p.block])) if chosen else (lambda p: True)
        ms = self.generate(run, "repair", stage, hold, fixed, keep, chosen, start=relaxed)
        if ms.artificial:
            rows = ", ".join(f"{r} (off by {v:.6g})" for r, v in sorted(ms.artificial.items())[:5])
            raise InfeasibleError(
                f"decomposition: with the groups' whole-unit decisions chosen, their plans cannot be made to fit the shared rows: {rows}; "
                "solve without --decompose, or loosen those budgets"
            )
        run.primal = ms.objective
        if not any(self.integer):
            run.bound = max(run.bound, ms.objective)
        return run, ms, chosen

    def finish(self, ms: MasterSolution, chosen: dict[int, tuple[float, ...]]) -> list[BlockPlan]:
        """Each block's final plan from the master's convex combination of its proposals."""
        st = self.structure
        target = [np.zeros(len(st.linking)) for _ in st.setups]
        cap = [0.0] * len(st.setups)
        for p, w in ms.weights.items():
            prop = self.proposals[p]
            target[prop.block] += w * prop.usage
            cap[prop.block] += w * prop.stage1
        tasks = [(setup, chosen.get(b), target[b], cap[b]) for b, setup in enumerate(st.setups)]
        plans = self.cluster.map(final_task, tasks, shared=(self.scenario,), affinity=list(range(len(tasks))))
        self.task_seconds += [p.seconds for p in plans]
        return plans


def _gain(p: Proposal, ms: MasterSolution, stage: int) -> float:
    """How much a proposal would improve the master at its own duals (its reduced cost, as a gain)."""
    value = -p.stage1 if stage == 1 else p.stage2 - ms.hold_price * p.stage1
    return value - float(ms.prices @ p.usage) + float(ms.convexity[p.block])


def hold_level(stage1: float) -> float:
    """The stage-1 shortfall stage 2 must keep: stage 1's value, within the leak a direct solve allows (1e-9 relative)."""
    return stage1 + LEAK_RELATIVE * max(1.0, abs(stage1))
