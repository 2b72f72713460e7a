"""Composite score, ranking and grades (A-D by thresholds or by a forced distribution)."""

from __future__ import annotations

import math

from models import ScoringPolicy

GRADES = ("A", "B", "C", "D")


def composite(policy: ScoringPolicy, completion: float | None, dea_eff: float | None, ce_score: float | None) -> float:
    """Weighted mean of the available components (weights renormalized over those present)."""
    parts = [(policy.weight_completion, completion), (policy.weight_efficiency, dea_eff), (policy.weight_cost_efficiency, ce_score)]
    present = [(w, v) for w, v in parts if v is not None and not math.isnan(v) and w > 0]
    total = sum(w for w, _ in present)
    return sum(w * v for w, v in present) / total if total else 0.0


def ranks(scores: dict[str, float]) -> dict[str, int]:
    """Competition ranking (1, 2, 2, 4), best first; ties share a rank."""
    ordered = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    out: dict[str, int] = {}
    for pos, (unit, score) in enumerate(ordered, start=1):
        prev = ordered[pos - 2] if pos > 1 else None
        out[unit] = out[prev[0]] if prev is not None and abs(prev[1] - score) <= 1e-12 else pos
    return out


def grade_by_thresholds(policy: ScoringPolicy, score: float) -> str:
    """Best grade whose threshold the score reaches."""
    for g in GRADES:
        if score >= policy.thresholds[g] - 1e-12:
            return g
    return "D"


def forced_counts(policy: ScoringPolicy, n: int) -> dict[str, int]:
    """Units per grade for a forced distribution: shares x n, rounded by largest remainder (ties to the better grade)."""
    raw = {g: policy.distribution[g] * n for g in GRADES}
    counts = {g: math.floor(v) for g, v in raw.items()}
    left = n - sum(counts.values())
    for g in sorted(GRADES, key=lambda g: (-(raw[g] - counts[g]), GRADES.index(g)))[:left]:
        counts[g] += 1
    return counts


def assign_grades(policy: ScoringPolicy, scores: dict[str, float]) -> dict[str, str]:
    """Grades of all units of one year, by the policy's grading mode."""
    if policy.grading == "thresholds":
        return {u: grade_by_thresholds(policy, s) for u, s in scores.items()}
    counts = forced_counts(policy, len(scores))
    ordered = [u for u, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))]
    out: dict[str, str] = {}
    pos = 0
    for g in GRADES:
        for u in ordered[pos : pos + counts[g]]:
            out[u] = g
        pos += counts[g]
    return out
