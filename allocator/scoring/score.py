"""Score every unit's year in 100 points, rank and rate it within its track, split the pool, set next year's floors.

Colleges are held to their own targets; a functional department to the school's totals of the indicators it
leads (the first unit named in ``departments``), else of those it supports, plus its own budget execution.
DEA is computed per track as an annex; it is a part of the score only when ``weights.dea`` is above 0.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from models import Award, LineExecution, NextFloor, PartScore, Scenario, UnitCost, UnitScore

from ..responsibility import Responsibility, responsibility
from .awards import FEN_PER_WAN, split_pool
from .efficiency import YearData, dea_for_year, dea_frame, malmquist_frame, year_data
from .floors import next_floors
from .grades import assign_grades, ranks, rating
from .inputs import ScoringInputs
from .measures import CostLine, Task, cost_lines, line_execution, own_tasks, planned_by_unit, school_tasks, spending_by_unit
from .parts import Scored, UnitYear, completion_share, explanation, score_parts
from .wording import basis_text, cost_text

logger = logging.getLogger(__name__)
TRACKS = ("college", "department")


@dataclass(frozen=True)
class ScoreResult:
    """Scores, parts, unit costs, execution, awards and next year's floors of every unit, with the DEA annex."""

    scores: tuple[UnitScore, ...]
    parts: tuple[PartScore, ...]
    unit_costs: tuple[UnitCost, ...]
    execution: tuple[LineExecution, ...]
    awards: tuple[Award, ...]
    next_floors: tuple[NextFloor, ...] = ()
    dea: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    malmquist: pd.DataFrame | None = field(default=None, repr=False)
    award_fen: dict[tuple[str, int], int] = field(default_factory=dict, repr=False)
    undistributed_fen: dict[int, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


@dataclass
class _Measures:
    """The plain measures of all units and years, computed once."""

    spend: dict[tuple[str, int], float]
    planned: dict[tuple[str, int], float] | None
    own: dict[tuple[str, int], list[Task]]
    school: dict[tuple[str, int], Task]
    costs: dict[tuple[str, int], list[CostLine]]
    actual: dict[tuple[str, str, int], float]


def _measures(sc: Scenario, inputs: ScoringInputs) -> _Measures:
    costs: dict[tuple[str, int], list[CostLine]] = defaultdict(list)
    for c in cost_lines(sc, inputs):
        costs[c.unit, c.year].append(c)
    return _Measures(
        spending_by_unit(inputs),
        planned_by_unit(inputs) if inputs.planned is not None else None,
        own_tasks(inputs),
        school_tasks(inputs),
        dict(costs),
        {(r.unit, r.indicator, r.year): r.value for r in inputs.outputs},
    )


def held_to(resp: Responsibility, unit: str) -> tuple[str, tuple[str, ...]]:
    """What a department answers for: ('leads', its indicators), else ('supports', ...), else ('none', ())."""
    led = resp.led_by(unit)
    if led:
        return "leads", led
    supported = resp.supported_by(unit)
    return ("supports", supported) if supported else ("none", ())


def _unit_year(sc: Scenario, m: _Measures, resp: Responsibility, unit: str, year: int, dea: float | None) -> tuple[UnitYear, str, str]:
    """The facts one unit's parts are computed from, what it is held to, and (for a department) that in words."""
    track = sc.units[unit].type
    costs = m.costs.get((unit, year), [])
    basis, how = "", "own"
    if track == "college":
        tasks, school = m.own.get((unit, year), []), {}
    else:
        how, keys = held_to(resp, unit)
        tasks = [m.school[k, year] for k in keys if (k, year) in m.school]
        school = {k: resp.role(unit, k) for k in keys}
        costs = [c for c in costs if c.indicator in keys]
        basis = basis_text(sc, how, keys)
    landmarks = tuple(
        k for k, ind in sorted(sc.indicators.items()) if ind.landmark and m.actual.get((unit, k, year), 0.0) >= max(ind.clear_value, 1e-9)
    )
    planned = None if m.planned is None else m.planned.get((unit, year), 0.0)
    facts = UnitYear(unit, year, track, tuple(tasks), school, planned, m.spend.get((unit, year), 0.0), tuple(costs), dea, landmarks)
    return facts, how, basis


def _candidates(sc: Scenario, inputs: ScoringInputs, m: _Measures, resp: Responsibility, year: int) -> list[str]:
    """Units with money, spending, outputs or targets this year, and departments answering for a school task due."""
    found = {u for (u, y), x in m.spend.items() if y == year and x > 0}
    found |= {u for (u, y), x in (m.planned or {}).items() if y == year and x > 0}
    found |= {r.unit for r in inputs.outputs if r.year == year}
    found |= {u for (u, y) in m.own if y == year}
    found |= {u for k, u in resp.lead.items() if (k, year) in m.school}
    return sorted(found)


def _dea_year(sc: Scenario, inputs: ScoringInputs, year: int, frames: list, data: dict) -> dict[str, float]:
    """DEA per track (annex): efficiency of each unit with money due this year; 0 when it has no optimal score."""
    eff: dict[str, float] = {}
    for track in TRACKS:
        yd = year_data(sc, inputs, year, track=track)
        data[track, year] = yd
        res = dea_for_year(sc, yd)
        if res is None:
            continue
        frames.append(dea_frame(sc, yd, res))
        for n, unit in enumerate(yd.units):
            value = float(res.efficiency[n])
            eff[unit] = value if res.status[n] == "optimal" and not math.isnan(value) else 0.0
    return eff


def _split(
    sc: Scenario, year: int, track: str, points: dict[str, float], warnings: list[str]
) -> tuple[dict[str, int], dict[str, str], int]:
    """The track's share of the year's pool, split by points above the award threshold."""
    policy = sc.policy.scoring
    pool = policy.incentive_pool * policy.track_shares[track]
    merit = {u: max(0.0, p - policy.award_threshold) for u, p in points.items()}
    fen, limited, left = split_pool(pool, merit, cap_wan=policy.award_cap, floor_wan=policy.award_floor)
    if pool > 0 and not fen:
        warnings.append(
            f"{year} {track}: no unit scored above the award threshold {policy.award_threshold:g}; its pool share stays undistributed"
        )
    elif left:
        warnings.append(
            f"{year} {track}: {left / FEN_PER_WAN:,.6f} 万元 of the pool share stay undistributed: every eligible unit reached "
            f"the award cap {policy.award_cap:g}"
        )
    return fen, limited, left


def _unit_costs(sc: Scenario, m: _Measures, counted: set[tuple[str, str, int]]) -> tuple[UnitCost, ...]:
    rows = []
    for lines in m.costs.values():
        for c in lines:
            rows.append(
                UnitCost(
                    unit=c.unit,
                    indicator=c.indicator,
                    year=c.year,
                    spending=c.spending,
                    output=c.output,
                    unit_cost=c.unit_cost,
                    standard=c.standard,
                    ratio=c.ratio,
                    counted=(c.unit, c.indicator, c.year) in counted,
                    explanation=cost_text(sc, c),
                )
            )
    return tuple(sorted(rows, key=lambda r: (r.year, r.unit, r.indicator)))


def _row(sc: Scenario, facts: UnitYear, scored: Scored, basis: str, dea: float | None) -> dict:
    """The UnitScore fields that do not depend on the ranking."""
    return {
        "unit": facts.unit,
        "unit_name": sc.units[facts.unit].name_zh if sc.language == "zh" else (sc.units[facts.unit].name_en or facts.unit),
        "year": facts.year,
        "track": facts.track,
        "points": scored.points,
        "completion": completion_share(sc, facts.tasks),
        "execution_rate": facts.spent / facts.planned if facts.planned else None,
        "unit_cost_score": scored.score("unit_cost"),
        "timeliness": scored.score("timeliness"),
        **{f"points_{p}": scored.points_of(p) for p in ("completion", "execution", "unit_cost", "timeliness", "dea")},
        "points_landmark": scored.bonus,
        "planned": facts.planned,
        "spending": facts.spent,
        "dea_efficiency": dea,
        "explanation": explanation(sc, scored, basis),
    }


def _status(facts: UnitYear, m: _Measures) -> str:
    if (
        facts.track == "college"
        and facts.tasks
        and facts.spent <= 0
        and not any((facts.unit, t.indicator, facts.year) in m.actual for t in facts.tasks)
    ):
        return "no spending or outputs reported against its targets"
    return "ok"


def score_units(sc: Scenario, inputs: ScoringInputs, stock_basis: dict[str, float] | None = None) -> ScoreResult:
    """Score each unit and year in 100 points; rank, rate and reward within each track; floors from the last year's grades."""
    resp = responsibility(sc)
    m = _measures(sc, inputs)
    rows: list[dict] = []
    parts: list[PartScore] = []
    counted: set[tuple[str, str, int]] = set()
    dea_frames: list[pd.DataFrame] = []
    yearly: dict[tuple[str, int], YearData] = {}
    warnings: list[str] = []
    award_fen: dict[tuple[str, int], int] = {}
    awards: list[Award] = []
    undistributed: dict[int, int] = {}
    grades_by_year: dict[int, dict[str, str]] = {}
    if inputs.planned is None:
        warnings.append(
            "no planned money given (--plan RUN or --planned FILE): 预算执行率 is not scored; the other parts are scaled to 100"
        )
    for year in inputs.years:
        eff = _dea_year(sc, inputs, year, dea_frames, yearly)
        year_rows = []
        for unit in _candidates(sc, inputs, m, resp, year):
            facts, how, basis = _unit_year(sc, m, resp, unit, year, eff.get(unit))
            scored = score_parts(sc, facts)
            parts.extend(scored.parts)
            counted |= {(c.unit, c.indicator, c.year) for c in facts.costs}
            row = _row(sc, facts, scored, basis, eff.get(unit)) | {"held_to": how}
            row["status"] = _status(facts, m) if scored.points is not None else "not assessed: no part of the score applies this year"
            year_rows.append(row)
        grades_by_year[year] = {}
        undistributed[year] = 0
        for track in TRACKS:
            assessed = {r["unit"]: r["points"] for r in year_rows if r["track"] == track and r["points"] is not None}
            grades = assign_grades(sc.policy.scoring, assessed)
            rank = ranks(assessed)
            fen, limited, left = _split(sc, year, track, assessed, warnings)
            undistributed[year] += left
            grades_by_year[year].update(grades)
            for r in (r for r in year_rows if r["track"] == track):
                u = r["unit"]
                g = grades.get(u, "-")
                r.update(rank=rank.get(u), grade=g, rating=rating(g), award=fen.get(u, 0) / FEN_PER_WAN)
                award_fen[u, year] = fen.get(u, 0)
                merit = max(0.0, r["points"] - sc.policy.scoring.award_threshold) if r["points"] is not None else 0.0
                awards.append(
                    Award(
                        unit=u,
                        year=year,
                        track=track,
                        points=r["points"],
                        grade=g,
                        merit=merit,
                        award=r["award"],
                        limited_by=limited.get(u, ""),
                    )
                )
        rows.extend(year_rows)
    last = inputs.years[-1]
    graded = dict(grades_by_year[last])
    for r in rows:  # not assessed: next year's floor follows the unit's last known grade
        if r["year"] == last and r["grade"] == "-":
            graded.setdefault(r["unit"], sc.grade_of(r["unit"]))
    scores = sorted((UnitScore(**r) for r in rows), key=lambda s: (s.year, TRACKS.index(s.track), s.rank or 10**9, s.unit))
    malm = _malmquist(sc, inputs, yearly)
    return ScoreResult(
        scores=tuple(scores),
        parts=tuple(sorted(parts, key=lambda p: (p.year, p.unit))),
        unit_costs=_unit_costs(sc, m, counted),
        execution=tuple(line_execution(inputs)),
        awards=tuple(sorted(awards, key=lambda a: (a.year, a.unit))),
        next_floors=tuple(next_floors(sc, graded, stock_basis or {}, last)),
        dea=pd.concat(dea_frames, ignore_index=True) if dea_frames else pd.DataFrame(),
        malmquist=malm,
        award_fen=award_fen,
        undistributed_fen=undistributed,
        warnings=tuple(warnings),
    )


def _malmquist(sc: Scenario, inputs: ScoringInputs, yearly: dict[tuple[str, int], YearData]) -> pd.DataFrame | None:
    """Malmquist index per track between the last two years scored."""
    if len(inputs.years) < 2:
        return None
    first, last = inputs.years[-2], inputs.years[-1]
    frames = []
    for track in TRACKS:
        frame = malmquist_frame(sc, yearly[track, first], yearly[track, last])
        if not frame.empty:
            frames.append(frame.assign(track=track))
    return pd.concat(frames, ignore_index=True) if frames else None
