"""Build small scenarios in code for tests (one place, so each test states only what it varies)."""

from __future__ import annotations

from typing import Any

from models import Scenario


def tiny(**changes: Any) -> Scenario:
    """Two units, two programmes, one year: the hand-worked example of scenarios/examples/two_programmes.yaml."""
    data: dict[str, Any] = {
        "name": "tiny",
        "start_year": 2021,
        "end_year": 2021,
        "indicators": {
            "students": {"name_zh": "学生", "kind": "cumulative_new", "target": 30, "target_year": 2021, "dimension": "people_scale"},
            "courses": {"name_zh": "课程", "kind": "cumulative_new", "target": 10, "target_year": 2021, "dimension": "education_quality"},
        },
        "units": {"A": {"name_zh": "甲", "type": "college"}, "B": {"name_zh": "乙", "type": "college"}},
        "initiatives": {
            "send": {"name_zh": "派出", "unit_cost": 2, "effects": {"students": {"yield_per_unit": 1}}},
            "course": {"name_zh": "课程", "unit_cost": 5, "effects": {"courses": {"yield_per_unit": 1}}},
        },
        "budget": {"stock": {2021: 0}, "increment": {2021: 100}},
    }
    for path, value in changes.items():
        node = data
        parts = path.split("__")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value
    return Scenario.model_validate(data)


def multi_year(n_units: int = 3, years: int = 3, increment: float = 60.0, seed: int = 0) -> Scenario:
    """A random but well-formed multi-year scenario with stock, floors, segments, lags and a missing indicator."""
    import random

    rng = random.Random(seed)
    start = 2021
    yrs = list(range(start, start + years))
    units = {
        f"U{n}": {
            "name_zh": f"学院{n}",
            "type": "college",
            "top_peak": n == 0,
            "grade": rng.choice("ABCD"),
            "base": {"exchange": round(rng.uniform(5, 20), 1), "courses": round(rng.uniform(5, 20), 1)},
        }
        for n in range(n_units)
    }
    stock = sum(sum(u["base"].values()) for u in units.values())
    return Scenario.model_validate(
        {
            "name": f"random{seed}",
            "start_year": start,
            "end_year": yrs[-1],
            "indicators": {
                "students": {
                    "name_zh": "学生",
                    "kind": "cumulative_new",
                    "target": 200,
                    "target_year": yrs[-1],
                    "dimension": "people_scale",
                },
                "course_stock": {
                    "name_zh": "课程",
                    "kind": "level",
                    "baseline": 20,
                    "target": 60,
                    "target_year": yrs[-1],
                    "decay": 0.05,
                    "dimension": "education_quality",
                    "milestones": {yrs[0]: 30},
                },
                "visits": {
                    "name_zh": "出访",
                    "kind": "annual_rate",
                    "baseline": 30,
                    "target": 50,
                    "target_year": yrs[-1],
                    "exogenous": 10,
                    "dimension": "conferences",
                },
                "foreign_ratio": {
                    "name_zh": "外籍比例",
                    "kind": "ratio",
                    "baseline": 0.02,
                    "target": 0.05,
                    "target_year": yrs[-1],
                    "denominator": 500,
                    "decay": 0.1,
                    "dimension": "people_scale",
                },
                "institute": {"name_zh": "机构", "kind": "breakthrough", "target": 1, "target_year": yrs[-1], "dimension": "platforms"},
            },
            "units": units,
            "initiatives": {
                "exchange": {
                    "name_zh": "交流",
                    "unit_cost": round(rng.uniform(1, 3), 2),
                    "segments": [{"width": 10, "efficiency": 1.0}, {"width": 10, "efficiency": 0.6}, {"efficiency": 0.3}],
                    "effects": {"students": {"yield_per_unit": 1}},
                },
                "courses": {
                    "name_zh": "课程",
                    "unit_cost": round(rng.uniform(3, 6), 2),
                    "lag": 1,
                    "effects": {"course_stock": {"yield_per_unit": 1}},
                },
                "visits": {"name_zh": "出访", "unit_cost": 1.5, "effects": {"visits": {"yield_per_unit": 1}}, "units": "all"},
                "hires": {"name_zh": "引进", "unit_cost": 30, "effects": {"foreign_ratio": {"yield_per_unit": 1}}},
                "institute": {
                    "name_zh": "机构",
                    "unit_cost": 40,
                    "integer": True,
                    "horizon_capacity": 1,
                    "units": "U0",
                    "effects": {"institute": {"yield_per_unit": 1}},
                },
            },
            "budget": {"stock": {y: stock for y in yrs}, "increment": {y: increment for y in yrs}},
        }
    )
