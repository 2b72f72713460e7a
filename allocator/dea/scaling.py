"""Column scaling: every LP sees data of order one, results go back in the user's units.

Money in the millions next to counts in single digits gives an LP whose
coefficients span many orders of magnitude; simplex tolerances are absolute,
so such an LP can declare a unit efficient that is not. Dividing each input
and output column by its mean over all DMUs (evaluated and reference) makes
every coefficient of order one. Radial scores, intensities and SBM scores are
invariant under this change of units; slacks and targets are multiplied back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Scaling:
    """Per-column divisors for inputs and outputs.

    Attributes:
        x: Divisor of each input column (its mean), length ``m``.
        y: Divisor of each output column, length ``s``.
    """

    x: np.ndarray
    y: np.ndarray

    @classmethod
    def from_data(cls, *blocks: tuple[np.ndarray, np.ndarray]) -> Scaling:
        """Use the column means over all ``(inputs, outputs)`` blocks given.

        Columns whose mean is zero keep divisor 1 (such columns are rejected by
        validation before any LP is built, so this is only a guard).
        """
        xs = np.vstack([b[0] for b in blocks])
        ys = np.vstack([b[1] for b in blocks])
        return cls(_divisor(xs), _divisor(ys))

    def inputs(self, x: np.ndarray) -> np.ndarray:
        """Inputs in scaled units."""
        return x / self.x

    def outputs(self, y: np.ndarray) -> np.ndarray:
        """Outputs in scaled units."""
        return y / self.y


def _divisor(a: np.ndarray) -> np.ndarray:
    mean = a.mean(axis=0)
    return np.where(mean > 0, mean, 1.0)
