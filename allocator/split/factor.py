"""The factor method (按因素法分配) as arithmetic: shares by weight, floors and caps, pro-rating, whole quanta.

Rule, for an amount X over rows with weight w_i >= 0 (sum W > 0):

- recommendation r_i = w_i / W x X (the formula share);
- floor L_i = max((1 - S) x prior_i, min_i): a stop-loss S keeps every row within S x its prior of its
  prior (S = 0: hold harmless, at least the prior); ``min`` is a further per-row floor;
- cap U_i = max_i (none when not given);
- X >= sum L_i ("shared"): x_i = clamp(lambda w_i, L_i, U_i) with lambda such that sum x_i = X: rows held
  at a floor or cap get exactly that, the rest share what is left in proportion to weight (water-filling;
  lambda is found exactly by walking the breakpoints L_i / w_i and U_i / w_i, no iteration to converge);
- X < sum L_i ("pro-rated"): the floors cannot all be paid, so each row gets x_i = L_i x X / sum L_i;
- the amounts are rounded to whole quanta by largest remainder (``rounding.largest_remainder``, ties by
  sorted id), never below a floor or above a cap that is paid in full, and sum exactly to X.

All amounts are in the caller's currency; results are whole quanta (e.g. fen when amounts are in 元 and
the quantum is 0.01).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..rounding import apportion, from_quanta, in_quanta, largest_remainder, to_quanta

SHARED = "shared"
PRORATED = "pro-rated"


@dataclass(frozen=True)
class FactorSplit:
    """The outcome of a factor split: exact and rounded amounts per row, and which rule decided each."""

    quanta: tuple[int, ...]
    """Rounded amounts in whole quanta (sum exactly the amount in quanta)."""
    exact: tuple[float, ...]
    """Amounts before rounding."""
    recommendation: tuple[float, ...]
    """The formula share w_i / W x X of each row."""
    limited_by: tuple[str, ...]
    """'' (formula share), 'protected' (held at its stop-loss floor), 'min', 'max' or 'pro-rated'."""
    case: str
    """'shared' (the amount covers every floor) or 'pro-rated' (it does not)."""
    per_weight: float | None
    """lambda, money per unit of weight of the rows left free (shared case); None when pro-rated."""
    floor_total: float
    quantum: float

    @property
    def amounts(self) -> tuple[float, ...]:
        """Rounded amounts in currency."""
        return tuple(from_quanta(n, self.quantum) for n in self.quanta)


def factor_amounts(
    weights: Sequence[float],
    amount: float,
    *,
    prior: Sequence[float] | None = None,
    stop_loss: float | None = None,
    minimum: Sequence[float | None] | None = None,
    maximum: Sequence[float | None] | None = None,
    keys: Sequence[str] | None = None,
    quantum: float = 0.01,
) -> FactorSplit:
    """Split ``amount`` over rows by weight with stop-loss floors, min/max per row, exact to the quantum.

    Inputs are assumed valid (``factor_split`` checks a table and names the cell at fault); raises
    ``ValueError`` when the rows cannot absorb the amount (every row with weight is capped below it).
    """
    n = len(weights)
    w = [float(x) for x in weights]
    total_weight = math.fsum(w)
    if n == 0 or total_weight <= 0:
        raise ValueError("weights must sum to more than zero")
    protected = [0.0] * n if prior is None or stop_loss is None else [(1.0 - stop_loss) * float(p) for p in prior]
    mins = [0.0 if minimum is None or minimum[j] is None else float(minimum[j]) for j in range(n)]  # type: ignore[arg-type]
    caps = [math.inf if maximum is None or maximum[j] is None else float(maximum[j]) for j in range(n)]  # type: ignore[arg-type]
    floors = [max(p, m) for p, m in zip(protected, mins)]
    recommendation = tuple(x / total_weight * amount for x in w)
    floor_total = math.fsum(floors)
    floor_quanta = sum(_whole_quanta_up(f, quantum) for f in floors)  # protection is paid in whole quanta
    if amount < floor_total or to_quanta(amount, quantum) < floor_quanta:
        exact = [f * amount / floor_total for f in floors]
        limited = ["pro-rated"] * n
        quanta = largest_remainder(exact, amount, quantum, keys=keys, upper=caps_or_none(caps))
        return FactorSplit(tuple(quanta), tuple(exact), recommendation, tuple(limited), PRORATED, None, floor_total, quantum)
    reachable = math.fsum(c if x > 0 else f for x, f, c in zip(w, floors, caps))
    if amount > reachable * (1 + 1e-12) + 1e-9:
        raise ValueError(
            f"the rows can take at most {reachable:,.2f} (their max, or the floor of rows without weight); {amount:,.2f} is more"
        )
    lam = _per_weight(w, floors, caps, amount)
    exact = [min(max(lam * x, f), c) for x, f, c in zip(w, floors, caps)]
    limited = [_limit(lam * x, f, c, p, m) for x, f, c, p, m in zip(w, floors, caps, protected, mins)]
    quanta = _round_within(exact, amount, quantum, keys, floors, caps)
    return FactorSplit(tuple(quanta), tuple(exact), recommendation, tuple(limited), SHARED, lam, floor_total, quantum)


def caps_or_none(caps: list[float]) -> list[float | None] | None:
    """Caps for ``largest_remainder``: None where a row has none."""
    out = [None if math.isinf(c) else c for c in caps]
    return out if any(c is not None for c in out) else None


def _per_weight(w: list[float], floors: list[float], caps: list[float], amount: float) -> float:
    """Money per unit of weight: the lambda with sum clamp(lambda w_i, L_i, U_i) = amount.

    g is continuous, piecewise linear and non-decreasing with breakpoints L_i / w_i and U_i / w_i; on the
    piece between two breakpoints, rows are fixed (at a floor or cap) or free, and g = fixed + lambda x
    (free weight), which is solved for the amount.
    """
    points = sorted({b for x, f, c in zip(w, floors, caps) if x > 0 for b in (f / x, c / x) if math.isfinite(b)})

    def g(lam: float) -> float:
        return math.fsum(min(max(lam * x, f), c) for x, f, c in zip(w, floors, caps))

    lo = 0.0
    for p in points:
        if g(p) >= amount:
            break
        lo = p
    hi = next((p for p in points if p > lo), math.inf)
    mid = lo + 1.0 if math.isinf(hi) else (lo + hi) / 2
    fixed = math.fsum(f if mid * x <= f else c for x, f, c in zip(w, floors, caps) if not f < mid * x < c)
    free = math.fsum(x for x, f, c in zip(w, floors, caps) if f < mid * x < c)
    if free <= 0:
        return lo  # g is flat here and equals the amount
    lam = (amount - fixed) / free
    return min(max(lam, lo), hi)


def _limit(share: float, floor: float, cap: float, protected: float, minimum: float) -> str:
    if share >= cap and math.isfinite(cap):
        return "max"
    if share <= floor and floor > 0:
        return "protected" if protected >= minimum else "min"
    return ""


def _round_within(exact: list[float], amount: float, quantum: float, keys, floors: list[float], caps: list[float]) -> list[int]:
    """Whole quanta summing to the amount, with floors and caps kept.

    A floor off the quantum grid is kept at the next whole quantum up where the total allows it, else
    (when every row sits at such a floor) to within one quantum.
    """
    upper = caps_or_none(caps)
    lower = [f if f > 0 else None for f in floors]
    try:
        return largest_remainder(exact, amount, quantum, keys=keys, lower=lower, upper=upper)
    except ValueError:
        pass
    # Floors off the grid, each paid a whole quantum up, can need more than the rows above their floors
    # leave: take that difference from those rows in proportion to what they hold above their floors.
    raw = [in_quanta(x, quantum) for x in exact]
    need = [float(_whole_quanta_up(f, quantum)) for f in floors]
    lifted = [max(r, q) for r, q in zip(raw, need)]
    excess = math.fsum(lifted) - math.fsum(raw)
    room = [r - q if r > q else 0.0 for r, q in zip(raw, need)]
    spare = math.fsum(room)
    if excess > 0 and spare >= excess - 1e-9:
        share = min(1.0, excess / spare)
        lifted = [x - share * s for x, s in zip(lifted, room)]
        lo = [int(q) if q > 0 else None for q in need]
        hi = None if upper is None else [None if c is None else math.floor(in_quanta(c, quantum)) for c in upper]
        try:
            return apportion(lifted, to_quanta(amount, quantum), keys=keys, lower=lo, upper=hi)
        except ValueError:
            pass
    return largest_remainder(exact, amount, quantum, keys=keys, upper=upper)


def _whole_quanta_up(value: float, quantum: float) -> int:
    """A non-negative amount in whole quanta, rounded up (floating noise below a millionth of a quantum ignored)."""
    return max(0, math.ceil(in_quanta(value, quantum) - 1e-6))


def on_grid(value: float, quantum: float) -> bool:
    """Whether an amount is a whole number of quanta (to solver and float round-off)."""
    x = in_quanta(value, quantum)
    return x == round(x)
