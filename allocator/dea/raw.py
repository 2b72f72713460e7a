"""Internal per-DMU result in scaled units, filled by the model drivers."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from allocator.dea.master import Outcome

#: A score within this distance of 1 counts as efficient (for super-efficiency and RTS).
EFF_TOL = 1e-6
#: Slacks below this (scaled units, data of order one) are solver noise and reported as 0.
ZERO_TOL = 1e-7


@dataclass
class RawResult:
    """Mutable accumulator used while looping over DMUs (scaled units).

    Attributes:
        score: theta (input), phi (output) or rho (SBM) per DMU; NaN when not optimal.
        slack_x: Input slacks, ``n x m``.
        slack_y: Output slacks, ``n x s``.
        peers: Reference indices per DMU.
        weights: Intensities per DMU.
        status: Status per DMU.
        rts: Returns-to-scale class per DMU, or None when not computed.
        super_score: Super-efficiency score (theta-type, phi-type or super-SBM delta).
        super_status: Status of each super-efficiency solve.
    """

    n: int
    m: int
    s: int
    score: np.ndarray = field(init=False)
    slack_x: np.ndarray = field(init=False)
    slack_y: np.ndarray = field(init=False)
    peers: list[np.ndarray] = field(init=False)
    weights: list[np.ndarray] = field(init=False)
    status: list[str] = field(init=False)
    rts: list[str] | None = None
    super_score: np.ndarray | None = None
    super_status: list[str] | None = None

    def __post_init__(self) -> None:
        self.score = np.full(self.n, np.nan)
        self.slack_x = np.full((self.n, self.m), np.nan)
        self.slack_y = np.full((self.n, self.s), np.nan)
        empty_i, empty_f = np.empty(0, dtype=np.int64), np.empty(0)
        self.peers = [empty_i] * self.n
        self.weights = [empty_f] * self.n
        self.status = ["not solved"] * self.n

    def enable_super(self) -> None:
        """Allocate the super-efficiency columns."""
        self.super_score = np.full(self.n, np.nan)
        self.super_status = ["not solved"] * self.n

    def record(self, o: int, score: float, outcome: Outcome, slack_x: np.ndarray, slack_y: np.ndarray, scale: float = 1.0) -> None:
        """Store DMU ``o``'s optimal score, slacks and peers (intensities divided by ``scale``)."""
        self.score[o] = score
        self.slack_x[o] = np.where(slack_x > ZERO_TOL, slack_x, 0.0)
        self.slack_y[o] = np.where(slack_y > ZERO_TOL, slack_y, 0.0)
        self.peers[o] = outcome.peers
        self.weights[o] = outcome.weights / scale
        self.status[o] = "optimal"

    def record_many(
        self,
        dmus: np.ndarray,
        score: np.ndarray,
        slack_x: np.ndarray,
        slack_y: np.ndarray,
        peers: list[np.ndarray],
        weights: list[np.ndarray],
    ) -> None:
        """:meth:`record` for several DMUs at once (rows of the arrays follow ``dmus``)."""
        self.score[dmus] = score
        self.slack_x[dmus] = np.where(slack_x > ZERO_TOL, slack_x, 0.0)
        self.slack_y[dmus] = np.where(slack_y > ZERO_TOL, slack_y, 0.0)
        for o, p, w in zip(dmus.tolist(), peers, weights):
            self.peers[o] = p
            self.weights[o] = w
            self.status[o] = "optimal"
