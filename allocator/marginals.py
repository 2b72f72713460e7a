"""Marginal values: what one more unit of each budget (and each binding floor, cap or capacity) is worth.

Duals come from the LP around the plan: integer decisions fixed at the optimum, stage 1 solved, its
optimum held, stage 2 solved. Budget duals are then confirmed by re-solving with the budget moved by
+/- delta: by default the same LP (warm, milliseconds), or with ``resolve="milp"`` the full model with
integers free (which also sees lumpy decisions flip). Where the two disagree (a kink where the dual is not
unique, or an integer decision that changes) the re-solve is what we report, and the row says so.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING

import numpy as np

from models import MarginalRow as Marginal
from models import SolveStatus, StageReport

from .formulation import BuiltProblem, amount_rows
from .solve import HighsModel, LevelPoint, LexSolution, SolverSettings, WarmLevels, lexicographic_highs

if TYPE_CHECKING:
    from .distributed import Cluster

logger = logging.getLogger(__name__)

DUAL_TOL = 1e-9
CAPACITY_FAMILIES = ("capacity", "total_capacity", "horizon_capacity")
AGREE_TOL = 1e-4


def _parse(name: str, bp: BuiltProblem) -> dict:
    family, *ids = name.split("__")
    info: dict = {"family": family, "fund": None, "year": None, "unit": None, "initiative": None}
    units, inis = set(bp.sets.units), set(bp.sets.initiatives)
    funds = {f.key for f in bp.sets.funds}
    for part in ids:
        if part.isdigit():
            info["year"] = int(part)
        elif part in funds and info["fund"] is None:
            info["fund"] = part
        elif part in units and info["unit"] is None:
            info["unit"] = part
        elif part in inis and info["initiative"] is None:
            info["initiative"] = part
    return info


def _lp_duals(engine: WarmLevels, bp: BuiltProblem):
    """Each level's objective and row duals, then column duals, column and row values of the last level."""
    point = engine.optimize()
    objectives = {lv.name: float(lv.objective.constant) for lv in bp.levels}
    duals: dict[str, dict[str, float]] = {lv.name: {} for lv in bp.levels}
    for n, m in engine.models.items():
        report = point.stages[n] if n < len(point.stages) else None
        if report is not None and report.status.has_solution:
            objectives[bp.levels[n].name] = report.objective
            duals[bp.levels[n].name] = m.row_duals()
    last = engine.last
    found = point.values
    cols = last.col_duals() if found is not None else np.zeros(len(last.columns))
    activity = found if found is not None else np.zeros(len(last.columns))
    return objectives, duals, cols, activity, last.row_values()


def _shortcut(bp: BuiltProblem, z: dict[str, float], step: float) -> bool:
    """Whether only the last level needs re-solving: the two default levels, stage 1 unable to move.

    Stage 1 cannot move when it is 0 and money only grows, or when money shrinks and stage 2 stays feasible
    with stage 1 held (less money never clears more gaps). With more levels, every level is re-solved.
    """
    names = [lv.name for lv in bp.levels]
    return names == ["stage1", "stage2"] and (z["stage1"] <= 1e-9 or step < 0)


def _resolve_lp(engine: WarmLevels, bp: BuiltProblem, settings: SolverSettings, moves, step: float, z: dict[str, float]) -> LevelPoint:
    """Re-solve the LP around the plan with the rows of ``moves`` shifted by ``coef * step``, each level on its warm model."""
    engine.move_rows(moves, step)
    try:
        if _shortcut(bp, z, step):
            report, values = engine.solve_last(settings.time_limit)
            if values is not None:
                held = [StageReport(name=lv.name, objective=z[lv.name], status=SolveStatus.OPTIMAL, seconds=0.0) for lv in bp.levels[:-1]]
                return LevelPoint(report.status, [*held, report], values)
        point = engine.optimize(settings.time_limit)
        engine.hold_base()
        return point
    finally:
        engine.move_rows(moves, -step)


def _resolve_milp(model: HighsModel, bp: BuiltProblem, settings: SolverSettings, moves, step: float) -> LevelPoint:
    """Re-solve the full integer model with the rows of ``moves`` shifted by ``coef * step``, then put them back."""
    _shift(model, moves, step)
    try:
        sol = lexicographic_highs(model, bp, settings.time_limit)
    finally:
        _shift(model, moves, -step)
    return LevelPoint(sol.status, sol.stages, model.values_array(sol.values) if sol.status.has_solution else None)


def _shift(model: HighsModel, moves: list[tuple[str, str, float]], step: float) -> None:
    for row, side, coef in moves:
        r = model.row_index[row]
        if side == "upper":
            model.set_row_upper(row, model.row_upper[r] + coef * step)
        else:
            model.set_row_lower(row, model.row_lower[r] + coef * step)


class _Pairs:
    """The money columns of each (unit, initiative) pair, to say where extra money went."""

    def __init__(self, bp: BuiltProblem, model: HighsModel):
        keys = sorted({(u, i) for (u, i, _t, _f) in bp.money})
        number = {k: n for n, k in enumerate(keys)}
        self.keys = keys
        self.cols = np.array([model.col_index[var.name] for var in bp.money.values()], dtype=np.int64)
        self.pair = np.array([number[u, i] for (u, i, _t, _f) in bp.money], dtype=np.int64)

    def gains(self, before: np.ndarray, after: np.ndarray) -> list[tuple[float, tuple[str, str]]]:
        """Money gained by each pair, largest first (ties by pair, as sorted tuples would)."""
        moved = np.bincount(self.pair, weights=after[self.cols] - before[self.cols], minlength=len(self.keys))
        return sorted(zip(moved.tolist(), self.keys), reverse=True)


def _spent_on(bp: BuiltProblem, pairs: _Pairs, before: np.ndarray, after: np.ndarray, delta: float) -> str:
    """Where the extra money went: the (unit, initiative) pairs that gained, when the re-solve kept the plan.

    A degenerate LP may answer with a different, equally good plan (money shuffled far beyond delta);
    then no single use can be named and the answer says so.
    """
    gains = pairs.gains(before, after)
    if sum(g for g, _ in gains if g > 0) > 2 * delta + 1e-6:
        return "no single use: equally good plans spend it differently"
    parts = []
    for gain, (u, i) in gains[:3]:
        if gain <= 1e-6 * max(1.0, delta):
            break
        parts.append(f"{_name(bp, 'units', u)}/{_name(bp, 'initiatives', i)} (+{gain:.3g})")
    return "; ".join(parts)


def _name(bp: BuiltProblem, kind: str, key: str | None) -> str:
    if key is None:
        return ""
    obj = getattr(bp.scenario, kind).get(key)
    if obj is None:
        return key
    return obj.name_zh if bp.scenario.language == "zh" else (obj.name_en or key)


def _fund_name(bp: BuiltProblem, fund: str) -> str:
    zh = bp.scenario.language == "zh"
    if fund == "school_stock":
        return "学校存量经费" if zh else "school stock"
    if fund == "school_increment":
        return "学校增量经费" if zh else "school increment"
    return _name(bp, "sources", fund)


def _head(m: Marginal, bp: BuiltProblem) -> tuple[str, int]:
    """What is relaxed, in words, and the sign that turns the dual into "more of it"."""
    zh, cur = bp.scenario.language == "zh", bp.scenario.currency
    unit, ini = _name(bp, "units", m.unit), _name(bp, "initiatives", m.initiative)
    if m.family == "fund_limit":
        return (
            f"{m.year}年{_fund_name(bp, m.fund or '')}每增加1{cur}"
            if zh
            else f"one more {cur} of {_fund_name(bp, m.fund or '')} in {m.year}"
        ), 1
    if m.family == "stock_floor":
        return (f"{unit}{m.year}年存量保底每降低1{cur}" if zh else f"lowering {unit}'s stock floor in {m.year} by one {cur}"), -1
    if m.family.startswith("change_cap"):
        sign = -1 if m.family.endswith("down") else 1
        return (f"{unit}{m.year}年经费变动上限每放宽1{cur}" if zh else f"loosening the change cap of {unit} in {m.year} by one {cur}"), sign
    if m.family in CAPACITY_FAMILIES:
        where = (f"（{unit}）" if zh else f" at {unit}") if m.unit else ""
        when = (f"{m.year}年" if zh else f" in {m.year}") if m.year else ""
        return (f"{when}{ini}{where}容量每增加1个单位" if zh else f"one more unit of capacity for {ini}{where}{when}"), 1
    return (f"放宽{m.constraint}一个单位" if zh else f"relaxing {m.constraint} by one unit"), 1


def _words(m: Marginal, bp: BuiltProblem) -> str:
    zh, cur = bp.scenario.language == "zh", bp.scenario.currency
    head, sign = _head(m, bp)
    s1, s2 = sign * m.value_stage1, sign * m.value_stage2
    pp = 100 * abs(s2)
    if s1 < -DUAL_TOL:
        effect = f"，可多清零{-s1:.4g}个缺项指标" if zh else f" clears {-s1:.4g} more missing indicators"
    elif abs(s2) <= DUAL_TOL:
        effect = "，方案不变（该约束不紧）" if zh else " changes nothing (not binding)"
    elif zh:
        money = m.family not in CAPACITY_FAMILIES
        scale = f"{pp:.4g}个百分点" if pp >= 0.01 or not money else f"每100{cur}约{100 * pp:.3g}个百分点"
        effect = f"，加权进展{'提高' if s2 > 0 else '降低'}{abs(s2):.4g}（{scale}）"
    else:
        money = m.family not in CAPACITY_FAMILIES
        scale = f"{pp:.4g} percentage points" if pp >= 0.01 or not money else f"{100 * pp:.3g} percentage points per 100 {cur}"
        effect = f" {'raises' if s2 > 0 else 'lowers'} weighted progress by {abs(s2):.4g} ({scale})"
    text = head + effect
    if m.spent_on and not m.spent_on.startswith("no single use"):
        text += f"，用于{m.spent_on}" if zh else f", spent on {m.spent_on}"
    if m.method != "dual":
        text += f" [{m.method}]"
    return text


def marginal_values(
    bp: BuiltProblem,
    solution: LexSolution,
    settings: SolverSettings | None = None,
    *,
    delta: float = 1.0,
    confirm: bool = True,
    resolve: str = "lp",
    cluster: Cluster | None = None,
) -> list[Marginal]:
    """Marginal values of every budget row and of every binding floor, cap and capacity of a solved plan.

    ``resolve`` says how budget duals are confirmed: "lp" re-solves the LP with integers fixed (fast),
    "milp" the full model (slow on large integer models, but it sees lumpy decisions change). With a
    ``cluster`` that is not this process, the confirmations run as tasks of CONFIRM_BATCH budget rows,
    each on its own copy of the LP around the plan.
    """
    settings = SolverSettings(name="highs", time_limit=(settings.time_limit if settings else None))
    # the model the plan was solved on, when it is this problem's: no second hand-off. It is taken from the solution,
    # since it is left as the LP around the plan (and a solution shipped to a cluster's workers carries no model).
    solved, solution.model = solution.model, None
    model = solved if isinstance(solved, HighsModel) and solved.source is bp.problem else HighsModel(bp.problem, settings)
    engine = _engine(model, bp, model.values_array(solution.values), resolve)
    z_lp, duals, cols, activity, row_act = _lp_duals(engine, bp)
    out: list[Marginal] = []
    budget_rows = set(bp.fund_rows.values())
    pending: list[int] = []
    last = engine.last
    for name in last.row_names:
        info = _parse(name, bp)
        r = last.row_index[name]
        is_le = math.isfinite(last.row_upper[r])
        rhs = last.row_upper[r] if is_le else last.row_lower[r]
        slack = (rhs - row_act[r]) if is_le else (row_act[r] - rhs)
        d = {level: by_row.get(name, 0.0) for level, by_row in duals.items()}
        if name not in budget_rows and (info["family"] not in _REPORTED or all(abs(v) <= DUAL_TOL for v in d.values())):
            continue
        if name in budget_rows:
            # One more 万元 of a fund moves every row tied to its amount: its limit, a source's per-unit
            # shares and the increment earmark. The budget's value is the sum of their duals, so weighted.
            moves = amount_rows(bp, info["fund"], info["year"])
            d = {level: sum(c * by_row.get(r, 0.0) for r, _, c in moves) for level, by_row in duals.items()}
            pending.append(len(out))
        out.append(Marginal(constraint=name, **info, rhs=float(rhs), slack=float(slack), **_split(d, "dual")))
    if confirm and pending:
        todo = [out[n] for n in pending]
        if cluster is not None and not cluster.inline:
            batches = [(todo[s : s + CONFIRM_BATCH],) for s in range(0, len(todo), CONFIRM_BATCH)]
            done = [m for b in cluster.map(_confirm_task, batches, shared=(bp.scenario, solution, delta, resolve)) for m in b]
        else:
            done = _confirm_all(engine, model, bp, settings, solution, z_lp, activity, todo, delta, resolve)
        for n, m in zip(pending, done):
            out[n] = m
    out += _capacity_marginals(bp, last, cols, activity)
    return [_with_words(m, bp) for m in out]


def _engine(model: HighsModel, bp: BuiltProblem, plan: np.ndarray, resolve: str) -> WarmLevels:
    """The LP around the plan, one warm model per level; with ``resolve="milp"`` on a twin, the model staying a MILP."""
    return WarmLevels(model.twin() if resolve == "milp" else model, bp.levels, plan)


CONFIRM_BATCH = 4
"""Budget rows per confirmation task (only when confirmations run on a cluster)."""


def _confirm_all(engine, model, bp, settings, solution, z_lp, activity, todo: list[Marginal], delta, resolve) -> list[Marginal]:
    """Confirm budget duals by re-solving, in order: the warm LP per level, or with ``resolve="milp"`` the integer model."""
    full = resolve == "milp"
    if full:
        z, reference = {lv.name: solution.objective(lv.name) for lv in bp.levels}, model.values_array(solution.values)

        def resolver(moves, step):
            return _resolve_milp(model, bp, settings, moves, step)
    else:
        z, reference = z_lp, activity

        def resolver(moves, step):
            return _resolve_lp(engine, bp, settings, moves, step, z)

    base = (_Pairs(bp, model), reference)
    return [_confirm(resolver, bp, m, amount_rows(bp, m.fund, m.year), z, delta, base, integer=engine.integer, full=full) for m in todo]


def _confirm_task(scenario, solution: LexSolution, delta: float, resolve: str, todo: list[Marginal]) -> list[Marginal]:
    """Task: rebuild the LP around the plan and confirm a batch of budget rows on it."""
    from .formulation import build_problem

    bp = build_problem(scenario, check=False)
    settings = SolverSettings(name="highs")
    model = HighsModel(bp.problem, settings)
    engine = _engine(model, bp, model.values_array(solution.values), resolve)
    z_lp, _duals, _cols, activity, _rows = _lp_duals(engine, bp)
    return _confirm_all(engine, model, bp, settings, solution, z_lp, activity, todo, delta, resolve)


def _split(by_level: dict[str, float | None], prefix: str) -> dict:
    """Per-level values as MarginalRow fields: ``<prefix>_stage1``, ``<prefix>_stage2`` and ``<prefix>_levels`` for the rest."""
    return {
        f"{prefix}_stage1": by_level.get("stage1", 0.0 if prefix == "dual" else None),
        f"{prefix}_stage2": by_level.get("stage2", 0.0 if prefix == "dual" else None),
        f"{prefix}_levels": {k: v for k, v in by_level.items() if k not in ("stage1", "stage2")},
    }


_REPORTED = {
    "stock_floor",
    "change_cap_up",
    "change_cap_down",
    "total_capacity",
    "horizon_capacity",
    "source_share_max",
    "source_share_min",
    "funding_max",
    "missing_reserve",
}


def _confirm(resolver, bp, m: Marginal, moves, z: dict[str, float], delta, base, *, integer: bool, full: bool) -> Marginal:
    """Re-solve with the budget moved up and down by ``delta``; the finite differences and how they compare to the dual."""
    names = [lv.name for lv in bp.levels]
    up = resolver(moves, delta)
    fd_up: dict[str, float | None] = dict.fromkeys(names)
    fd_dn: dict[str, float | None] = dict.fromkeys(names)
    spent = ""
    if up.status.has_solution:
        fd_up = {k: (up.objective(k) - z[k]) / delta for k in names}
        if any(abs(v) > DUAL_TOL for v in fd_up.values()):
            spent = _spent_on(bp, *base, up.values, delta)
    if m.rhs - delta >= 0:
        down = resolver(moves, -delta)
        if down.status.has_solution:
            fd_dn = {k: (z[k] - down.objective(k)) / delta for k in names}
    dual = {"stage1": m.dual_stage1, "stage2": m.dual_stage2, **m.dual_levels}
    same = all(agrees(dual.get(k, 0.0), fd_up[k]) for k in names)
    kink = not all(agrees(fd_up[k], fd_dn[k]) for k in names)
    fixed = " (integers fixed)" if integer and not full else ""
    if same and not kink:
        method = f"dual{fixed}, confirmed by re-solve{fixed}"
    elif integer and full:
        method = "re-solve of the full integer model (the dual with integers fixed differs)"
    else:
        method = f"re-solve{fixed} (a breakpoint lies within +/-{delta:g}: more and less money differ)"
    return m.model_copy(update={**_split(fd_up, "fd_up"), **_split(fd_dn, "fd_down"), "method": method, "spent_on": spent})


def agrees(a: float | None, b: float | None) -> bool:
    """Two marginal estimates agree to 1e-4 relative (either missing counts as agreement)."""
    if a is None or b is None:
        return True
    return abs(a - b) <= AGREE_TOL * max(abs(a), abs(b)) + 1e-9


def _capacity_marginals(bp: BuiltProblem, model: HighsModel, cols: np.ndarray, activity: np.ndarray) -> list[Marginal]:
    out = []
    for (u, i, t), var in bp.activity.items():
        cap = bp.scenario.initiatives[i].capacity
        if cap is None:
            continue
        c = model.col_index[var.name]
        if model.integer[c]:
            continue
        if abs(cols[c]) > DUAL_TOL and activity[c] >= cap - 1e-7:
            out.append(
                Marginal(
                    constraint=f"capacity__{u}__{i}__{t}",
                    family="capacity",
                    year=t,
                    unit=u,
                    initiative=i,
                    rhs=float(cap),
                    slack=float(cap - activity[c]),
                    dual_stage1=0.0,
                    dual_stage2=float(cols[c]),
                )
            )
    return out


def _with_words(m: Marginal, bp: BuiltProblem) -> Marginal:
    return m.model_copy(update={"words": _words(m, bp)})
