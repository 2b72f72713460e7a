"""Ranking and ratings within a track: 优/良/中/差 (ids A-D) by points thresholds or by a forced distribution."""

from __future__ import annotations

import math

from models import RATINGS, ScoringPolicy

GRADES = ("A", "B", "C", "D")


def ranks(scores: dict[str, float]) -> dict[str, int]:
    """Competition ranking (1, 2, 2, 4), best first; ties (within 1e-9 points) share a rank."""
    ordered = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    out: dict[str, int] = {}
    for pos, (unit, score) in enumerate(ordered, start=1):
        prev = ordered[pos - 2] if pos > 1 else None
        out[unit] = out[prev[0]] if prev is not None and abs(prev[1] - score) <= 1e-9 else pos
    return out


def rating(grade: str) -> str:
    """优/良/中/差 of a grade id ('-' for none)."""
    return RATINGS.get(grade, "-")


def grade_by_thresholds(policy: ScoringPolicy, score: float) -> str:
    """Best grade whose threshold (points) the score reaches."""
    for g in GRADES:
        if score >= policy.thresholds[g] - 1e-9:
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
    """Grades of the units of one track and year, by the policy's grading mode."""
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
