"""The 100-point score of one unit and year from its named, weighted parts, each explained in native units.

points_p = 100 x w_p x s_p / sum of the weights of the parts that apply to the unit (s_p in [0, 1])
total    = min(100, sum_p points_p + landmark bonus)

completion s = sum_k w_k min(actual_k / target_k, cap) / sum_k w_k, at most 1 (colleges: their own targets;
departments: the school's totals on the indicators they lead); execution s = min(spent / planned, 1);
unit_cost s = sum_k w_k min(1, standard_k / unit cost_k) / sum_k w_k; timeliness s = tasks met in full / tasks;
dea s = efficiency within the track (only when weighted).
"""

from __future__ import annotations

from dataclasses import dataclass

from models import SCORE_PARTS, PartScore, Scenario

from . import wording as w
from .measures import CostLine, Task


@dataclass(frozen=True)
class UnitYear:
    """Everything the parts of one unit's year are computed from."""

    unit: str
    year: int
    track: str
    tasks: tuple[Task, ...]
    school: dict[str, str]  # indicator -> lead/support, for a department's school-wide tasks
    planned: float | None  # None: no plan given
    spent: float
    costs: tuple[CostLine, ...]  # the counted ones
    dea: float | None
    landmarks: tuple[str, ...]  # landmark indicators delivered


@dataclass(frozen=True)
class Scored:
    """A unit's parts, landmark bonus and total."""

    parts: tuple[PartScore, ...]
    bonus: float
    points: float | None  # None: no part applies

    def score(self, part: str) -> float | None:
        """The share earned of one part (None when it does not apply)."""
        return next((p.score for p in self.parts if p.part == part and p.max_points > 0), None)

    def points_of(self, part: str) -> float | None:
        """Points of one part (None when it does not apply)."""
        return next((p.points for p in self.parts if p.part == part and p.max_points > 0), None)


def _weighted(sc: Scenario, items: list[tuple[str, float]]) -> float:
    total = sum(sc.indicators[k].weight for k, _ in items)
    if total <= 0:
        return sum(v for _, v in items) / len(items)
    return sum(sc.indicators[k].weight * v for k, v in items) / total


def completion_share(sc: Scenario, tasks: tuple[Task, ...]) -> float | None:
    """Weighted min(actual / target, cap) over the tasks, at most 1 (None without tasks)."""
    if not tasks:
        return None
    cap = sc.policy.scoring.completion_cap
    return min(1.0, _weighted(sc, [(t.indicator, min(t.ratio, cap)) for t in tasks]))


def _completion(sc: Scenario, uy: UnitYear) -> tuple[float | None, str]:
    if not uy.tasks:
        return None, w.not_applying(sc, "completion", "no_tasks")
    return completion_share(sc, uy.tasks), "; ".join(w.task_text(sc, t, uy.school.get(t.indicator, "")) for t in uy.tasks)


def _execution(sc: Scenario, uy: UnitYear) -> tuple[float | None, str]:
    if uy.planned is None:
        return None, w.not_applying(sc, "execution", "no_plan")
    if uy.planned <= 0:
        return None, w.not_applying(sc, "execution", "no_money")
    return min(uy.spent / uy.planned, 1.0), w.execution_text(sc, uy.spent, uy.planned)


def _unit_cost(sc: Scenario, uy: UnitYear) -> tuple[float | None, str]:
    if not uy.costs:
        return None, w.not_applying(sc, "unit_cost", "no_cost")
    return _weighted(sc, [(c.indicator, c.score) for c in uy.costs]), "; ".join(w.cost_text(sc, c) for c in uy.costs)


def _timeliness(sc: Scenario, uy: UnitYear) -> tuple[float | None, str]:
    if not uy.tasks:
        return None, w.not_applying(sc, "timeliness", "no_tasks")
    return sum(t.met for t in uy.tasks) / len(uy.tasks), w.timeliness_text(sc, list(uy.tasks))


def _dea(sc: Scenario, uy: UnitYear) -> tuple[float | None, str]:
    if uy.dea is None:
        return None, w.not_applying(sc, "dea", "no_dea")
    return min(uy.dea, 1.0), w.dea_text(sc, uy.track, uy.dea)


MEASURES = {"completion": _completion, "execution": _execution, "unit_cost": _unit_cost, "timeliness": _timeliness, "dea": _dea}


def score_parts(sc: Scenario, uy: UnitYear) -> Scored:
    """Every weighted part (those that do not apply shown with 0 points and why), the landmark bonus and the total."""
    weights = sc.policy.scoring.weights
    found = {p: MEASURES[p](sc, uy) for p in SCORE_PARTS if weights.get(p, 0.0) > 0}
    applying = sum(weights[p] for p, (s, _) in found.items() if s is not None)
    parts = []
    for p, (s, text) in found.items():
        share = 100.0 * weights[p] / applying if s is not None and applying > 0 else 0.0
        parts.append(
            PartScore(
                unit=uy.unit,
                year=uy.year,
                track=uy.track,
                part=p,
                weight=weights[p],
                max_points=share,
                score=s if s is not None else 0.0,
                points=share * (s or 0.0),
                explanation=text,
            )
        )
    if applying <= 0:
        return Scored(tuple(parts), 0.0, None)
    bonus = sc.policy.scoring.landmark_bonus * len(uy.landmarks)
    if uy.landmarks and bonus > 0:
        parts.append(
            PartScore(
                unit=uy.unit,
                year=uy.year,
                track=uy.track,
                part="landmark",
                weight=0.0,
                max_points=bonus,
                score=1.0,
                points=bonus,
                explanation=w.landmark_text(sc, list(uy.landmarks), sc.policy.scoring.landmark_bonus),
            )
        )
    total = min(100.0, sum(p.points for p in parts))
    return Scored(tuple(parts), bonus, total)


def explanation(sc: Scenario, scored: Scored, basis: str = "") -> str:
    """One line for scores.csv: each part's points out of its maximum and its native-unit reason."""
    names = w.PART_NAMES[w.lang(sc)]
    bits = [basis] if basis else []
    for p in scored.parts:
        if p.max_points <= 0:
            bits.append(f"{names[p.part]}: {p.explanation}")
        elif p.part == "landmark":
            bits.append(f"{names[p.part]} +{w.points(p.points)}: {p.explanation}")
        else:
            bits.append(f"{names[p.part]} {w.points(p.points)}/{w.points(p.max_points)}: {p.explanation}")
    if scored.points is not None and scored.points >= 100 - 1e-9 and scored.bonus > 0:
        bits.append("总分以100分为限" if w.lang(sc) == "zh" else "the total is capped at 100")
    return " | ".join(bits)
