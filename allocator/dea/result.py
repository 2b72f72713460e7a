"""Typed, immutable results of DEA and Malmquist runs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Returns-to-scale classes (from the CCR intensities; see docs/dea.md).
INCREASING = "increasing"
CONSTANT = "constant"
DECREASING = "decreasing"


def frozen(a: np.ndarray) -> np.ndarray:
    """Return ``a`` as a read-only float array (results must not be edited in place)."""
    out = np.array(a, dtype=float)
    out.setflags(write=False)
    return out


@dataclass(frozen=True)
class DEAResult:
    """Per-DMU outcome of one DEA model (rows follow the order of the input arrays).

    Attributes:
        model: ``"ccr"``, ``"bcc"`` or ``"sbm"``.
        orientation: ``"input"``, ``"output"`` or ``"non"``.
        ids: DMU identifiers.
        reference_ids: Identifiers of the reference DMUs (the DMUs themselves
            unless a separate reference set was given).
        efficiency: Score in (0, 1]: theta (input), 1/phi (output) or the SBM rho.
        phi: Output-oriented expansion factor phi >= 1 (``None`` unless
            output-oriented); ``efficiency == 1 / phi``.
        input_slacks: ``n x m`` input excesses left after the radial step
            (max-slack phase two) or the SBM input slacks, in the user's units.
        output_slacks: ``n x s`` output shortfalls, in the user's units.
        input_targets: ``n x m`` inputs of the projection on the frontier.
        output_targets: ``n x s`` outputs of the projection on the frontier.
        peer_index: Per DMU, indices into ``reference_ids`` with intensity > 1e-9.
        peer_weight: Per DMU, the matching intensities lambda_j.
        rts: Returns-to-scale class per DMU (CCR/BCC only, else ``None``).
        super_efficiency: Andersen-Petersen (radial) or Tone super-SBM score,
            input-type (> 1 only for efficient DMUs); ``None`` unless asked.
        super_phi: Output-oriented super-efficiency factor (``1 / super_efficiency``);
            ``None`` unless asked with output orientation.
        super_status: Status of each super-efficiency LP; ``None`` unless asked.
        status: ``"optimal"`` or the reason a DMU has no (full) answer.
    """

    model: str
    orientation: str
    ids: tuple[str, ...]
    reference_ids: tuple[str, ...]
    efficiency: np.ndarray
    phi: np.ndarray | None
    input_slacks: np.ndarray
    output_slacks: np.ndarray
    input_targets: np.ndarray
    output_targets: np.ndarray
    peer_index: tuple[np.ndarray, ...]
    peer_weight: tuple[np.ndarray, ...]
    rts: tuple[str, ...] | None
    super_efficiency: np.ndarray | None
    super_phi: np.ndarray | None
    super_status: tuple[str, ...] | None
    status: tuple[str, ...]

    def peers(self, i: int) -> list[tuple[str, float]]:
        """Reference DMUs of DMU ``i`` with their intensities, largest first."""
        order = np.argsort(-self.peer_weight[i], kind="stable")
        return [(self.reference_ids[int(j)], float(w)) for j, w in zip(self.peer_index[i][order], self.peer_weight[i][order])]

    def lambdas(self) -> np.ndarray:
        """Dense ``n x n_ref`` intensity matrix (for small problems and tests)."""
        out = np.zeros((len(self.ids), len(self.reference_ids)))
        for i, (j, w) in enumerate(zip(self.peer_index, self.peer_weight)):
            out[i, j] = w
        return out


@dataclass(frozen=True)
class MalmquistResult:
    """Malmquist productivity index between period t and t+1, per DMU.

    Distance values are efficiency-type (theta, or 1/phi), so each is <= 1
    against its own period's frontier and MI > 1 means productivity growth.

    Attributes:
        ids: DMU identifiers.
        orientation: ``"input"`` or ``"output"``.
        rts: ``"crs"`` or ``"vrs"``.
        d_t_t: D^t(x^t, y^t), period-t data against the period-t frontier.
        d_t_t1: D^t(x^{t+1}, y^{t+1}), period-t+1 data against the period-t frontier.
        d_t1_t: D^{t+1}(x^t, y^t).
        d_t1_t1: D^{t+1}(x^{t+1}, y^{t+1}).
        mi: Malmquist index sqrt[(d_t_t1 / d_t_t) * (d_t1_t1 / d_t1_t)].
        ec: Efficiency change d_t1_t1 / d_t_t.
        tc: Technical change sqrt[(d_t_t1 / d_t1_t1) * (d_t_t / d_t1_t)]; mi == ec * tc.
        status: ``"optimal"`` or which distance failed and why.
    """

    ids: tuple[str, ...]
    orientation: str
    rts: str
    d_t_t: np.ndarray
    d_t_t1: np.ndarray
    d_t1_t: np.ndarray
    d_t1_t1: np.ndarray
    mi: np.ndarray
    ec: np.ndarray
    tc: np.ndarray
    status: tuple[str, ...]
