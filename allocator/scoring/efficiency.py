"""DEA of units' money against their outputs, per track and year (an annex to the score), and the Malmquist index."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from models import DIMENSION_ZH, Scenario

from ..dea import DEAResult, dea, malmquist
from .inputs import ScoringInputs
from .measures import matched_spending, scaled_outputs


@dataclass(frozen=True)
class YearData:
    """DEA inputs and outputs of the units that spent money in one year."""

    year: int
    units: tuple[str, ...]
    input_names: tuple[str, ...]
    output_names: tuple[str, ...]
    x: np.ndarray
    y: np.ndarray


def year_data(
    sc: Scenario, inputs: ScoringInputs, year: int, output_names: tuple[str, ...] | None = None, track: str | None = None
) -> YearData:
    """Money whose output is due this year (and optionally full-time faculty) in; outputs per dimension or indicator out.

    An output column is the weighted sum of its indicators, each divided by a fixed yardstick (the school
    total in the first year scored), so counts and people of different sizes can be added. With a track,
    only its units form the frontier (colleges and departments are not compared with each other).
    """
    policy = sc.policy.scoring
    spend = matched_spending(sc, inputs)  # money whose output is due this year
    units = tuple(sorted(u for (u, y), s in spend.items() if y == year and s > 0 and (track is None or sc.units[u].type == track)))
    shares = scaled_outputs(inputs)  # fixed yardsticks: DEA scores are unit-free, and years stay comparable
    per_col: dict[tuple[str, str], float] = defaultdict(float)
    for (u, k, y), share in shares.items():
        if y != year or u not in units:
            continue
        col = sc.indicators[k].dimension if policy.dea_outputs == "dimension" else k
        per_col[u, col] += sc.indicators[k].weight * share
    if output_names is None:
        output_names = tuple(sorted({c for (_, c), v in per_col.items() if v > 0}))  # no all-zero column
    x_cols = [np.array([spend[u, year] for u in units])]
    in_names = ["money"]
    if policy.dea_faculty_input:
        x_cols.append(np.array([sc.units[u].full_time_faculty for u in units]))
        in_names.append("full_time_faculty")
    x = np.column_stack(x_cols)
    y = np.array([[per_col.get((u, c), 0.0) for c in output_names] for u in units]).reshape(len(units), len(output_names))
    return YearData(year, units, tuple(in_names), tuple(output_names), x, y)


def dea_for_year(sc: Scenario, data: YearData) -> DEAResult | None:
    """The policy's DEA model and orientation, with super-efficiency to rank efficient units (None without units or outputs)."""
    policy = sc.policy.scoring
    if not data.units or not data.output_names:
        return None
    return dea(data.x, data.y, model=policy.dea_model, orientation=policy.dea_orientation, super_efficiency=True, ids=data.units)


def dea_frame(sc: Scenario, data: YearData, res: DEAResult) -> pd.DataFrame:
    """dea.csv rows of one year: efficiency (and phi), slacks, targets, peers, returns to scale, super-efficiency."""
    rows = []
    for n, unit in enumerate(data.units):
        row: dict = {
            "unit": unit,
            "year": data.year,
            "track": sc.units[unit].type,
            "model": res.model,
            "orientation": res.orientation,
            "efficiency": float(res.efficiency[n]),
        }
        if res.phi is not None:
            row["phi"] = float(res.phi[n])
        for j, name in enumerate(data.input_names):
            row[f"input_{name}"] = float(data.x[n, j])
            row[f"slack_{name}"] = float(res.input_slacks[n, j])
            row[f"target_{name}"] = float(res.input_targets[n, j])
        for j, name in enumerate(data.output_names):
            label = name
            row[f"output_{label}"] = float(data.y[n, j])
            row[f"slack_{label}"] = float(res.output_slacks[n, j])
            row[f"target_{label}"] = float(res.output_targets[n, j])
        row["peers"] = "; ".join(f"{p}:{w:.4g}" for p, w in res.peers(n) if w >= 1e-6)
        row["rts"] = res.rts[n] if res.rts else None
        row["super_efficiency"] = float(res.super_efficiency[n]) if res.super_efficiency is not None else None
        row["status"] = res.status[n]
        row["explanation"] = explain_unit(sc, data, res, n)
        rows.append(row)
    return pd.DataFrame(rows)


def _label(sc: Scenario, name: str) -> str:
    if name in DIMENSION_ZH:
        return DIMENSION_ZH[name] if sc.language == "zh" else name
    if name in sc.indicators:
        return sc.indicators[name].name_zh if sc.language == "zh" else (sc.indicators[name].name_en or name)
    return name


def explain_unit(sc: Scenario, data: YearData, res: DEAResult, n: int) -> str:
    """One sentence per unit: efficient or not, against whom, and what an efficient unit with its money produces."""
    zh = sc.language == "zh"
    if res.status[n] != "optimal":
        return f"无DEA得分：{res.status[n]}" if zh else f"no DEA score: {res.status[n]}"
    eff = float(res.efficiency[n])
    if eff >= 1 - 1e-6 and not np.any(res.output_slacks[n] > 1e-6) and not np.any(res.input_slacks[n] > 1e-6):
        return "位于效率前沿：没有单位能用同样的经费产出更多" if zh else "on the frontier: no unit produces more with this money"
    names = [(sc.units[p].name_zh if zh else (sc.units[p].name_en or p)) if p in sc.units else p for p, w in res.peers(n) if w >= 1e-6]
    gaps = [
        f"{_label(sc, name)} {data.y[n, j]:.3g} -> {res.output_targets[n, j]:.3g}"
        for j, name in enumerate(data.output_names)
        if res.output_targets[n, j] > data.y[n, j] + 1e-6
    ]
    if zh:
        text = f"效率{eff:.3f}，参照单位：{'、'.join(names)}"
        return text + ("；同样经费下，有效率的单位可达到：" + "；".join(gaps) if gaps else "")
    text = f"efficiency {eff:.3f} against peers {', '.join(names)}"
    return text + ("; with the same money an efficient unit would reach " + "; ".join(gaps) if gaps else "")


def malmquist_frame(sc: Scenario, first: YearData, second: YearData) -> pd.DataFrame:
    """Malmquist index of units present in both years: efficiency change x technical change."""
    common = [u for u in first.units if u in second.units]
    if len(common) < 2:
        return pd.DataFrame()
    names = tuple(sorted(set(first.output_names) | set(second.output_names)))
    a = _aligned(first, names)
    b = _aligned(second, names)
    ia = [first.units.index(u) for u in common]
    ib = [second.units.index(u) for u in common]
    policy = sc.policy.scoring
    res = malmquist(
        a.x[ia],
        a.y[ia],
        b.x[ib],
        b.y[ib],
        orientation=policy.dea_orientation,
        rts="crs" if policy.dea_model == "ccr" else "vrs",
        ids=common,
    )
    return pd.DataFrame(
        {
            "unit": common,
            "from_year": first.year,
            "to_year": second.year,
            "malmquist": res.mi,
            "efficiency_change": res.ec,
            "technical_change": res.tc,
            "status": list(res.status),
        }
    )


def _aligned(data: YearData, names: tuple[str, ...]) -> YearData:
    idx = {n: j for j, n in enumerate(data.output_names)}
    y = np.column_stack([data.y[:, idx[n]] if n in idx else np.zeros(len(data.units)) for n in names]) if names else data.y
    return YearData(data.year, data.units, data.input_names, names, data.x, y)
