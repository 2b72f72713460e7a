"""Score every unit's year: completion, cost-efficiency, DEA, composite, grade, award, next year's floor."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

import pandas as pd

from models import Award, NextFloor, Scenario, UnitScore

from .awards import FEN_PER_WAN, split_pool
from .efficiency import dea_for_year, dea_frame, malmquist_frame, year_data
from .floors import next_floors
from .grades import assign_grades, composite, ranks
from .inputs import ScoringInputs
from .measures import completion, cost_efficiency, output_index, spending_by_unit

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScoreResult:
    """Scores, awards and next year's floors of every unit, with the DEA detail behind them."""

    scores: tuple[UnitScore, ...]
    awards: tuple[Award, ...]
    next_floors: tuple[NextFloor, ...]
    dea: pd.DataFrame = field(repr=False)
    malmquist: pd.DataFrame | None = field(default=None, repr=False)
    award_fen: dict[tuple[str, int], int] = field(default_factory=dict, repr=False)
    undistributed_fen: dict[int, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def _efficiencies(data, res) -> tuple[dict[str, float], dict[str, str]]:
    """DEA efficiency per unit; a unit without an optimal score (no output for its money) counts 0, with a note."""
    eff: dict[str, float] = {}
    status: dict[str, str] = {}
    for n, unit in enumerate(data.units):
        value = float(res.efficiency[n])
        if res.status[n] != "optimal" or math.isnan(value):
            eff[unit] = 0.0
            status[unit] = f"DEA {res.status[n]} (counted as 0: no output for its money)"
        else:
            eff[unit] = value
    return eff, status


def _split(policy, merit: dict[str, float], year: int, warnings: list[str]) -> tuple[dict[str, int], dict[str, str], int]:
    """The year's incentive pool split by merit; a pool that stays (partly) undistributed is a warning."""
    fen, limited, left = split_pool(policy.incentive_pool, merit, cap_wan=policy.award_cap, floor_wan=policy.award_floor)
    if policy.incentive_pool > 0 and not fen:
        warnings.append(f"{year}: no unit scored above the award threshold {policy.award_threshold:g}; the pool stays undistributed")
    elif left:
        warnings.append(
            f"{year}: {left / FEN_PER_WAN:,.6f} 万元 of the pool stay undistributed: every eligible unit reached the award cap "
            f"{policy.award_cap:g}"
        )
    return fen, limited, left


def score_units(sc: Scenario, inputs: ScoringInputs, stock_basis: dict[str, float] | None = None) -> ScoreResult:
    """Score each unit and year; grades and awards per year; floors from the last year's grades."""
    policy = sc.policy.scoring
    comp = completion(sc, inputs)
    ce = cost_efficiency(sc, inputs)
    index = output_index(sc, inputs)
    spend = spending_by_unit(inputs)
    scores: list[UnitScore] = []
    awards: list[Award] = []
    award_fen: dict[tuple[str, int], int] = {}
    dea_parts = []
    yearly = {}
    warnings: list[str] = []
    undistributed: dict[int, int] = {}
    grades_by_year: dict[int, dict[str, str]] = {}
    not_assessed: list[tuple[str, int]] = []
    for year in inputs.years:
        data = year_data(sc, inputs, year)
        yearly[year] = data
        res = dea_for_year(sc, data)
        dea_parts.append(dea_frame(sc, data, res))
        eff, status = _efficiencies(data, res)
        spenders = sorted(
            {u for (u, y), x in spend.items() if y == year and x > 0}
            | {r.unit for r in inputs.outputs if r.year == year}
            | {t.unit for t in inputs.targets if t.year == year and t.target > 0}  # nothing reported still counts
        )
        # A unit is assessed when some of its money has output due this year or it was assigned targets.
        units = [u for u in spenders if u in data.units or comp.get((u, year)) is not None]
        for u in spenders:
            if u not in units:
                not_assessed.append((u, year))
        for u in units:
            if spend.get((u, year), 0.0) <= 0 and not any(r.unit == u and r.year == year for r in inputs.outputs):
                status.setdefault(u, "no spending or outputs reported against its targets")
        comps = {u: composite(policy, comp.get((u, year)), eff.get(u), ce.get((u, year), (None, None))[1]) for u in units}
        grades = assign_grades(policy, comps)
        grades_by_year[year] = grades
        rank = ranks(comps)
        merit = {u: max(0.0, comps[u] - policy.award_threshold) for u in units}
        fen, limited, left = _split(policy, merit, year, warnings)
        undistributed[year] = left
        for u in units:
            f = fen.get(u, 0)
            award_fen[u, year] = f
            ratio, ce_score = ce.get((u, year), (None, None))
            scores.append(
                UnitScore(
                    unit=u,
                    year=year,
                    spending=spend.get((u, year), 0.0),
                    completion=comp.get((u, year)),
                    output_index=index.get((u, year), 0.0),
                    cost_efficiency=ratio,
                    cost_efficiency_score=ce_score,
                    dea_efficiency=eff.get(u),
                    composite=comps[u],
                    rank=rank[u],
                    grade=grades[u],
                    award=f / FEN_PER_WAN,
                    status=status.get(u, "ok"),
                )
            )
            awards.append(
                Award(
                    unit=u,
                    year=year,
                    composite=comps[u],
                    grade=grades[u],
                    merit=merit[u],
                    award=f / FEN_PER_WAN,
                    limited_by=limited.get(u, ""),
                )
            )
    for u, year in not_assessed:
        scores.append(
            UnitScore(
                unit=u,
                year=year,
                spending=spend.get((u, year), 0.0),
                completion=None,
                output_index=index.get((u, year), 0.0),
                cost_efficiency=None,
                cost_efficiency_score=None,
                dea_efficiency=None,
                composite=None,
                rank=None,
                grade="-",
                status="not assessed: no output due this year (its money goes to initiatives with a lead time)",
            )
        )
        awards.append(Award(unit=u, year=year, composite=None, grade="-", merit=0.0, award=0.0))
        award_fen[u, year] = 0
    last = inputs.years[-1]
    graded = dict(grades_by_year[last])
    for u, year in not_assessed:  # not assessed: next year's floor follows the unit's last known grade
        if year == last:
            graded.setdefault(u, sc.grade_of(u))
    floors = next_floors(sc, graded, stock_basis or {}, last)
    scores.sort(key=lambda s: (s.year, s.unit))
    awards.sort(key=lambda a: (a.year, a.unit))
    malm = malmquist_frame(sc, yearly[inputs.years[-2]], yearly[last]) if len(inputs.years) >= 2 else None
    return ScoreResult(
        tuple(scores),
        tuple(awards),
        tuple(floors),
        pd.concat(dea_parts, ignore_index=True),
        malm,
        award_fen,
        undistributed,
        tuple(warnings),
    )
