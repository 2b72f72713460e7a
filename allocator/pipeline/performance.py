"""A score run's points carried into a plan, where they split the performance money (绩效资金) of later years."""

from __future__ import annotations

import logging
from collections import defaultdict
from pathlib import Path

import pandas as pd

from ..io.run_folder import read_table
from ..overrides import Override
from ..request import ScenarioRequest
from ..solve import SolverSettings

logger = logging.getLogger(__name__)


def points_overrides(score_run: str | Path, origin: str) -> list:
    """Each assessed unit's points of the score run's last year, which split the performance money of later years."""
    scores = read_table(score_run, "scores", ("unit", "year", "points"))
    scores = scores[pd.to_numeric(scores["points"], errors="coerce").notna()]
    if scores.empty:
        return []
    year = int(pd.to_numeric(scores["year"]).max())
    latest = scores[pd.to_numeric(scores["year"]) == year]
    out = [Override(("policy", "performance_money", "graded_year"), "=", year, origin)]
    out += [Override(("policy", "performance_money", "points", str(r.unit)), "=", float(r.points), origin) for r in latest.itertuples()]
    return out


def reference_overrides(score_run: str | Path, request: ScenarioRequest, settings: SolverSettings) -> list:
    """Each unit's money per year in the plan before grades: the plan the score was made against.

    That is the score run's ``--plan`` run when its folder can still be read (the plan the past years are locked to);
    otherwise the request as given, solved without the score run. ``plan --performance`` keeps it as
    ``policy.performance_money.reference``: after the graded year, units of the grades ``follow`` names get at least
    (or at most) that money plus the change of their performance money. Nothing when the scenario declares no
    performance money.
    """
    from ..io.run_folder import read_manifest

    if request.load().scenario.policy.performance_money.share <= 0:
        return []
    money: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    plan_run = (read_manifest(score_run).get("inputs") or {}).get("plan_run")
    if plan_run and (Path(plan_run) / "allocation.csv").exists():
        table = read_table(plan_run, "allocation", ("unit", "year", "amount"))
        for r in table.itertuples(index=False):
            money[str(r.unit)][int(r.year)] += float(r.amount)
        used = f"plan run {plan_run}"
    else:
        from ..planning import plan

        logger.info("solving the plan before grades (the reference of money that follows grades)")
        for row in plan(request.load().scenario, settings=settings).allocation:
            money[row.unit][row.year] += row.amount
        used = "the request solved without the score run"
    origin = f"--performance {score_run}: reference money from {used}"
    return [
        Override(("policy", "performance_money", "reference", u), "=", {t: round(m, 2) for t, m in sorted(years.items())}, origin)
        for u, years in sorted(money.items())
    ]
