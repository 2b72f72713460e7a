"""Marginal values: duals agree with finite differences, and hand-worked examples give the known numbers."""

from __future__ import annotations

import pytest
from scenario_factory import multi_year

from allocator import load_scenario, plan
from allocator.formulation import build_problem
from allocator.marginals import agrees, marginal_values
from allocator.solve import solve
from models import Scenario


def lp_scenario(seed: int) -> Scenario:
    """multi_year without its integer initiative: a pure LP."""
    data = multi_year(seed=seed, increment=50).model_dump()
    del data["initiatives"]["institute"]
    del data["indicators"]["institute"]
    return Scenario.model_validate(data)


def _bumped(sc: Scenario, pool: str, year: int, delta: float) -> Scenario:
    data = sc.model_dump()
    data["budget"][pool][year] += delta
    return Scenario.model_validate(data)


@pytest.mark.parametrize("seed", [1, 4])
def test_budget_duals_match_independent_finite_differences(seed):
    sc = lp_scenario(seed)
    bp = build_problem(sc)
    sol = solve(bp)
    marg = {m.constraint: m for m in marginal_values(bp, sol, confirm=False)}
    base = plan(sc).stage2_progress
    delta = 1e-3
    checked = 0
    for year in sc.years:
        for pool in ("stock", "increment"):
            m = marg[f"fund_limit__school_{pool}__{year}"]
            up = (plan(_bumped(sc, pool, year, delta)).stage2_progress - base) / delta
            down = (base - plan(_bumped(sc, pool, year, -delta)).stage2_progress) / delta
            # the dual is a supergradient of a concave value function: it lies between the one-sided slopes
            assert down + 1e-6 >= m.dual_stage2 >= up - 1e-6
            if agrees(up, down):
                assert agrees(m.dual_stage2, up), (pool, year, m.dual_stage2, up)
                checked += 1
    assert checked >= 4


def test_hand_worked_marginals(examples):
    res = plan(load_scenario(examples / "floors_and_gaps.yaml"), marginals=True)
    marg = {m.constraint: m for m in res.marginals}
    # one more 万元 in any year buys 0.1 course at A: 2 * 0.1 / 25 / 4 = 0.002 of weighted progress
    for year in (2021, 2022):
        for fund in ("school_stock", "school_increment"):
            m = marg[f"fund_limit__{fund}__{year}"]
            assert m.value_stage2 == pytest.approx(0.002, abs=1e-9)
            assert "confirmed by re-solve" in m.method
            assert "english_courses" in m.spent_on  # no English name given: the id
    floor = marg["stock_floor__D__2021"]
    assert floor.dual_stage2 == pytest.approx(-0.002, abs=1e-9)
    assert "lowering College D's stock floor in 2021" in floor.words


def test_missing_indicator_marginal_is_reported_in_stage1(examples):
    # 30 a year and no stock: the 50-万元 institute is out of reach; 20 more in 2021 would clear it
    sc = load_scenario(
        examples / "floors_and_gaps.yaml",
        sets=[
            "budget.stock.2021=0",
            "budget.stock.2022=0",
            "budget.increment.2021=30",
            "budget.increment.2022=30",
            "units.A.base={}",
            "units.D.base={}",
        ],
    )
    res = plan(sc, marginals=True)
    m = next(m for m in res.marginals if m.constraint == "fund_limit__school_increment__2021")
    assert res.stage1_shortfall == pytest.approx(1.0)
    # one more 万元 does not buy a whole institute: neither the dual nor the re-solve moves stage 1
    assert m.dual_stage1 == pytest.approx(0.0) and m.fd_up_stage1 == pytest.approx(0.0)
    # 20 more 万元 in 2021 do: the re-solve sees the gap close, the fixed-integer dual cannot
    bp = build_problem(sc)
    big = {x.constraint: x for x in marginal_values(bp, solve(bp), delta=20.0, resolve="milp")}["fund_limit__school_increment__2021"]
    assert big.fd_up_stage1 == pytest.approx(-1 / 20)
    assert big.method.startswith("re-solve of the full integer model")
    assert "clears 0.05 more missing indicators" in big.words


def test_restricted_source_marginal(examples):
    res = plan(load_scenario(examples / "restricted_fund.yaml"), marginals=True)
    m = next(m for m in res.marginals if m.fund == "discipline_fund")
    # beyond the visits target only the 0.01 credit remains: 0.01 * (1/60) / 2 per 万元
    assert m.value_stage2 == pytest.approx(0.01 / 60 / 2, rel=1e-6)
    assert "Discipline-construction fund" in m.words  # the scenario is in English


def lp_with_reserve_and_source(seed: int) -> Scenario:
    """An LP with a continuous missing indicator, a 30% earmark until 2022 and a restricted source with shares."""
    data = lp_scenario(seed).model_dump()
    data["indicators"]["partners"] = {
        "name_zh": "合作伙伴",
        "kind": "level",
        "baseline": 0,
        "target": 12,
        "target_year": 2023,
        "clear_by": 2022,
        "dimension": "platforms",
    }
    data["initiatives"]["partnership"] = {"name_zh": "合作", "unit_cost": 6, "capacity": 2, "effects": {"partners": {"yield_per_unit": 1}}}
    data["policy"]["missing_reserve_share"] = 0.3
    data["policy"]["missing_reserve_until"] = 2022
    data["sources"] = {
        "peak": {
            "name_zh": "学科建设经费",
            "pool": "increment",
            "amount": {2021: 30.0, 2022: 30.0, 2023: 30.0},
            "units": ("top_peak", "U1"),
            "initiatives": ("exchange", "visits"),
            "max_unit_share": 0.7,
            "min_unit_share": 0.1,
        }
    }
    return Scenario.model_validate(data)


@pytest.mark.parametrize("seed", [2, 6])
def test_budget_marginals_count_the_earmark_and_source_shares(seed):
    sc = lp_with_reserve_and_source(seed)
    bp = build_problem(sc)
    marg = {m.constraint: m for m in marginal_values(bp, solve(bp), confirm=False)}
    base = plan(sc).stage2_progress
    delta = 1e-3
    checked = 0
    for year in sc.years:
        for fund, path in (("school_increment", ("budget", "increment")), ("peak", ("sources", "peak", "amount"))):

            def bumped(d, path=path, year=year):
                data = sc.model_dump()
                node = data
                for p in path:
                    node = node[p]
                node[year] += d
                return plan(Scenario.model_validate(data)).stage2_progress

            up, down = (bumped(delta) - base) / delta, (base - bumped(-delta)) / delta
            m = marg[f"fund_limit__{fund}__{year}"]
            assert down + 1e-6 >= m.dual_stage2 >= up - 1e-6, (fund, year, m.dual_stage2, up, down)
            if agrees(up, down):
                assert agrees(m.dual_stage2, up), (fund, year, m.dual_stage2, up)
                checked += 1
    assert checked >= 3


def _independent_confirmations(bp, solution, delta):
    """Each budget row's re-solves the slow, obvious way: a fresh model per move, integers fixed at the plan, every
    level solved in turn on that one model (``lexicographic_highs``)."""
    from allocator.formulation import amount_rows
    from allocator.solve import HighsModel, SolverSettings, lexicographic_highs

    out = {}
    for (fund, year), row in bp.fund_rows.items():
        moves = amount_rows(bp, fund, year)
        by_step = {}
        for step in (0.0, delta, -delta):
            model = HighsModel(bp.problem, SolverSettings())
            model.fix_integers(model.values_array(solution.values))
            for name, side, coef in moves:
                r = model.row_index[name]
                if side == "upper":
                    model.set_row_upper(name, model.row_upper[r] + coef * step)
                else:
                    model.set_row_lower(name, model.row_lower[r] + coef * step)
            sol = lexicographic_highs(model, bp)
            by_step[step] = {s.name: s.objective for s in sol.stages} if sol.status.has_solution else None
        out[row] = by_step
    return out


def _cases_for_confirmations(examples):
    # stage 1 above 0 (every "+1" re-solves every level), four levels, stage 1 moved by money, a small integer model
    short = load_scenario(
        examples / "floors_and_gaps.yaml",
        sets=[
            "budget.stock.2021=0",
            "budget.stock.2022=0",
            "budget.increment.2021=30",
            "budget.increment.2022=30",
            "units.A.base={}",
            "units.D.base={}",
        ],
    )
    yield "short of the institute", short
    yield "four levels", load_scenario(examples / "priorities.yaml")
    yield "earmark and source shares", lp_with_reserve_and_source(2)
    # partners must reach 12 by 2022 at 40 万元 each: stage 1 at 0.52 and moved by every 万元 of 2021-2022
    data = lp_with_reserve_and_source(2).model_dump()
    data["initiatives"]["partnership"].update(unit_cost=40, capacity=20)
    data["indicators"]["partners"]["clear_level"] = 12
    yield "stage 1 moves with money", Scenario.model_validate(data)
    yield "lumpy", multi_year(seed=3, increment=50)


def test_warm_level_confirmations_equal_independent_re_solves(examples):
    # Confirmations run on one warm LP per level objective; each must give the objective values a fresh model
    # solved level by level gives, to 1e-6, at +delta and -delta (and the same base).
    delta = 1.0
    for label, sc in _cases_for_confirmations(examples):
        bp = build_problem(sc)
        sol = solve(bp)
        marg = {m.constraint: m for m in marginal_values(bp, sol, delta=delta)}
        reference = _independent_confirmations(bp, sol, delta)
        assert reference, label
        for row, by_step in reference.items():
            m = marg[row]
            base = by_step[0.0]
            fd_up = {"stage1": m.fd_up_stage1, "stage2": m.fd_up_stage2, **m.fd_up_levels}
            fd_down = {"stage1": m.fd_down_stage1, "stage2": m.fd_down_stage2, **m.fd_down_levels}
            for name, z in base.items():
                if by_step[delta] is not None:
                    assert fd_up[name] == pytest.approx((by_step[delta][name] - z) / delta, abs=1e-6), (label, row, name)
                if by_step[-delta] is not None and m.rhs - delta >= 0:
                    assert fd_down[name] == pytest.approx((z - by_step[-delta][name]) / delta, abs=1e-6), (label, row, name)
