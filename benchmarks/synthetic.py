"""A synthetic scenario shaped like the bundled one but larger, for solver and what-if benchmarks.

``make_scenario(units=60, initiatives=30)`` gives every unit a base allocation, initiatives with
diminishing-returns segments and lead times, a few lumpy (whole-unit) ones, indicators of every kind,
a restricted source and stock floors — so the benchmark measures the model we actually solve.
"""

from __future__ import annotations

import random

from models import Scenario

KINDS = ("cumulative_new", "level", "ratio", "annual_rate", "per_unit_min", "breakthrough")
DIMENSIONS = ("education_quality", "people_scale", "research", "platforms", "organizations", "conferences", "competitions")


def make_scenario(units: int = 60, initiatives: int = 30, indicators: int = 20, years: int = 5, lumpy: int = 4, seed: int = 0) -> Scenario:
    """A valid scenario of the given size; same arguments, same scenario."""
    rng = random.Random(seed)
    yrs = list(range(2021, 2021 + years))
    unit_keys = [f"U{n:03d}" for n in range(units)]
    ind_keys = [f"k{n:02d}" for n in range(indicators)]
    ini_keys = [f"i{n:02d}" for n in range(initiatives)]
    inds = {}
    for n, k in enumerate(ind_keys):
        kind = KINDS[n % len(KINDS)]
        ind = {
            "name_zh": f"指标{n}",
            "kind": kind,
            "target_year": yrs[-1],
            "dimension": DIMENSIONS[n % len(DIMENSIONS)],
            "weight": rng.choice([1, 1, 2]),
        }
        if kind == "breakthrough":
            ind.update(target=1, clear_by=yrs[min(2, years - 1)])
        elif kind == "ratio":
            ind.update(baseline=0.02, target=0.05, denominator=2500, decay=0.05)
        elif kind == "per_unit_min":
            ind.update(target=1, qualifying="top_peak")
        elif kind == "annual_rate":
            ind.update(baseline=200, target=400, exogenous=100)
        elif kind == "level":
            ind.update(baseline=1000, target=1800, decay=0.2, milestones={yrs[1]: 1200})
        else:
            ind.update(target=rng.choice([50, 200, 1000]))
        inds[k] = ind
    inis = {}
    for n, i in enumerate(ini_keys):
        targets = rng.sample(ind_keys, 2)
        is_lumpy = n < lumpy
        if is_lumpy:
            targets = [k for k in ind_keys if inds[k]["kind"] in ("breakthrough", "per_unit_min")][: 1 + n % 2] or targets[:1]
        effects = {}
        for k in targets:
            kind = inds[k]["kind"]
            scale = 1.0 if kind in ("breakthrough", "per_unit_min", "ratio") else rng.uniform(0.5, 3)
            effects[k] = {"yield_per_unit": round(scale, 3)}
        ini = {
            "name_zh": f"举措{n}",
            "unit_cost": round(rng.uniform(1, 8), 2),
            "lag": rng.choice([0, 0, 1]),
            "effects": effects,
            "segments": [{"width": 10, "efficiency": 1.0}, {"width": 20, "efficiency": 0.7}, {"efficiency": 0.4}],
        }
        if is_lumpy:
            ini.update(unit_cost=rng.choice([100, 200, 300]), integer=True, segments=[], horizon_capacity=2, units="top_peak")
        inis[i] = ini
    moved = {k for ini in inis.values() for k in ini["effects"]}
    for n, k in enumerate(sorted(set(ind_keys) - moved)):  # every indicator can be moved by something
        inis[ini_keys[lumpy + n % (initiatives - lumpy)]]["effects"][k] = {"yield_per_unit": 1.0}
    unit_data = {}
    for n, u in enumerate(unit_keys):
        base = {i: round(rng.uniform(5, 30), 1) for i in rng.sample(ini_keys[lumpy:], 3)}
        unit_data[u] = {
            "name_zh": f"学院{n}",
            "type": "college",
            "top_peak": n % 10 == 0,
            "grade": rng.choice("ABBBCD"),
            "full_time_faculty": rng.randint(30, 150),
            "base": base,
        }
    stock = sum(sum(u["base"].values()) for u in unit_data.values())
    return Scenario.model_validate(
        {
            "name": f"synthetic_{units}x{initiatives}",
            "start_year": yrs[0],
            "end_year": yrs[-1],
            "indicators": inds,
            "units": unit_data,
            "initiatives": inis,
            "budget": {
                "stock": dict.fromkeys(yrs, round(stock, 1)),
                "increment": {y: round(0.15 * stock * (1 + 0.1 * t), 1) for t, y in enumerate(yrs)},
            },
            "sources": {
                "discipline": {
                    "name_zh": "学科建设经费",
                    "pool": "increment",
                    "amount": dict.fromkeys(yrs, round(0.05 * stock, 1)),
                    "units": "top_peak",
                }
            },
            "policy": {"missing_reserve_share": 0.1, "change_cap": {"up_share": 0.3, "up_abs": 20, "down_share": 0.15}},
        }
    )


def _prefixed(data: dict, uni: str) -> dict:
    """One university's records from ``make_scenario``, keys prefixed and selectors kept within the university."""
    p = f"{uni}_"
    top = [p + k for k, u in data["units"].items() if u["top_peak"]]
    units = {p + k: {**u, "university": uni, "base": {p + i: v for i, v in u["base"].items()}} for k, u in data["units"].items()}
    inis = {}
    for k, ini in data["initiatives"].items():
        who = top if tuple(ini["units"]) == ("top_peak",) else [f"university:{uni}"]
        inis[p + k] = {**ini, "units": who, "effects": {p + e: v for e, v in ini["effects"].items()}}
    inds = {}
    for k, ind in data["indicators"].items():
        inds[p + k] = {**ind, "qualifying": top} if ind["kind"] == "per_unit_min" else dict(ind)
    sources = {p + k: {**s, "units": top} for k, s in data["sources"].items()}
    return {"units": units, "initiatives": inis, "indicators": inds, "sources": sources}


def make_province(
    universities: int = 50, colleges: int = 20, initiatives: int = 25, years: int = 5, indicators: int = 20, lumpy: int = 2, seed: int = 0
) -> Scenario:
    """A provincial plan: ``universities`` copies of ``make_scenario`` (each its own colleges, initiatives,
    indicators and discipline fund, marked by the units' ``university``), one provincial stock and increment
    pool (the sum of theirs), a provincial special fund for every top-peak college, and one province-wide
    indicator that every university's first recurrent initiative moves. Same arguments, same scenario."""
    parts, stock, increment = [], {}, {}
    for g in range(universities):
        uni = f"y{g:02d}"
        data = make_scenario(units=colleges, initiatives=initiatives, indicators=indicators, years=years, lumpy=lumpy, seed=seed + g)
        data = data.model_dump(mode="json")
        for y, v in data["budget"]["stock"].items():
            stock[y] = round(stock.get(y, 0.0) + v, 1)
        for y, v in data["budget"]["increment"].items():
            increment[y] = round(increment.get(y, 0.0) + v, 1)
        parts.append((uni, _prefixed(data, uni), data))
    merged: dict = {"units": {}, "initiatives": {}, "indicators": {}, "sources": {}}
    for _, part, _ in parts:
        for table in merged:
            merged[table].update(part[table])
    first = parts[0][2]
    yrs = sorted(int(y) for y in stock)
    merged["indicators"]["province_students"] = {
        "name_zh": "全省来华留学生新增",
        "kind": "cumulative_new",
        "target": 40.0 * universities,
        "target_year": yrs[-1],
        "dimension": "people_scale",
        "weight": 2,
    }
    for uni, _, _ in parts:
        merged["initiatives"][f"{uni}_i{lumpy:02d}"]["effects"]["province_students"] = {"yield_per_unit": 0.5}
    total_stock = sum(stock.values()) / len(stock)
    merged["sources"]["province_special"] = {
        "name_zh": "省级国际化专项",
        "pool": "increment",
        "amount": dict.fromkeys(yrs, round(0.02 * total_stock, 1)),
        "units": "top_peak",
        "max_unit_share": 0.2,
    }
    return Scenario.model_validate(
        {
            "name": f"province_{universities}x{colleges}",
            "start_year": yrs[0],
            "end_year": yrs[-1],
            "budget": {"stock": stock, "increment": increment},
            "policy": first["policy"],
            **merged,
        }
    )
