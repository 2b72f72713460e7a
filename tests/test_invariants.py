"""Invariants of the planning model: more money never hurts, names and order do not matter, and the
solver's indicator values agree with an independent recomputation from the allocation."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_factory import multi_year

from allocator import plan
from allocator.extract import check_consistency, trajectory_of
from allocator.formulation import build_problem
from allocator.solve import solve
from models import Scenario

TOL = 1e-5


def lexi_not_worse(better, worse) -> bool:
    """``better`` is at least as good as ``worse`` in the plan's own priority order."""
    if better.stage1_shortfall < worse.stage1_shortfall - TOL:
        return True
    if better.stage1_shortfall > worse.stage1_shortfall + TOL:
        return False
    return better.stage2_progress >= worse.stage2_progress - TOL


LINE_RULES = {"down_share": 0.3, "up_share": 0.5, "up_abs": 1, "start_abs": 10, "must_fund": "visits", "must_fund_share": 0.5}
"""Line rules for the invariants: a fall limit, a rise cap with slack and start allowance, a must-fund floor."""


def with_rules(sc: Scenario, lines: bool, pipeline: float = 0.0, reserve: float = 0.0) -> Scenario:
    """The scenario with (or without) line rules, a pipeline share and an earmark."""
    update = {"missing_reserve_share": reserve, "pipeline_share": pipeline}
    if lines:
        update["lines"] = sc.policy.lines.model_validate(LINE_RULES)
    return sc.model_copy(update={"policy": sc.policy.model_copy(update=update)})


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    increment=st.floats(0, 200),
    extra=st.floats(1, 200),
    reserve=st.sampled_from([0.0, 0.2]),
    lines=st.booleans(),
    pipeline=st.sampled_from([0.0, 0.5]),
)
def test_more_increment_never_worse(seed, increment, extra, reserve, lines, pipeline):
    base = with_rules(multi_year(seed=seed, increment=increment), lines, pipeline, reserve)
    data = base.model_dump()
    data["budget"]["increment"] = {y: v + extra for y, v in data["budget"]["increment"].items()}
    richer = Scenario.model_validate(data)
    assert lexi_not_worse(plan(richer), plan(base))


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), lines=st.booleans())
def test_renaming_and_reordering_units_changes_nothing(seed, lines):
    sc = with_rules(multi_year(seed=seed, n_units=4), lines, pipeline=0.5 if lines else 0.0)
    data = sc.model_dump()
    rename = {u: f"Z{9 - n}x" for n, u in enumerate(data["units"])}
    data["units"] = {rename[u]: v for u, v in reversed(list(data["units"].items()))}
    data["indicators"] = dict(reversed(list(data["indicators"].items())))
    data["initiatives"] = dict(reversed(list(data["initiatives"].items())))
    data["initiatives"]["institute"]["units"] = (rename["U0"],)
    other = Scenario.model_validate(data)
    a, b = plan(sc), plan(other)
    assert a.stage1_shortfall == pytest.approx(b.stage1_shortfall, abs=TOL)
    assert a.stage2_progress == pytest.approx(b.stage2_progress, abs=TOL)
    met_a = {(r.indicator, r.year): r.met for r in a.indicators}
    met_b = {(r.indicator, r.year): r.met for r in b.indicators}
    assert met_a == met_b
    money_a = {r.year: 0.0 for r in a.budget}
    money_b = dict(money_a)
    for r in a.allocation:
        money_a[r.year] += r.amount
    for r in b.allocation:
        money_b[r.year] += r.amount
    assert money_a == pytest.approx(money_b, abs=1e-4)


KNOWN_IDLE = (
    "known: money that can buy nothing within the horizon may be left unused in one order of the units and spent "
    "in the other (same objectives); a final 'use the money' level would fix it"
)


@pytest.mark.xfail(strict=True, reason=KNOWN_IDLE)
def test_renaming_keeps_the_money_spent_when_the_extra_money_buys_nothing():
    # found by the property above (seed 268, line rules on): the renamed plan leaves 0.99 万元 of the 2022
    # increment unused, with the same stage 1 and stage 2 optimum and three targets unmet
    test_renaming_and_reordering_units_changes_nothing.hypothesis.inner_test(seed=268, lines=True)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_lp_values_match_recomputed_trajectory(seed):
    bp = build_problem(multi_year(seed=seed))
    sol = solve(bp)
    traj = trajectory_of(bp, sol.values)
    assert check_consistency(bp, sol.values, traj) == []
    # per-unit levels too
    for (k, u, t), var in bp.unit_value.items():
        assert sol.values[var.name] == pytest.approx(
            float(traj.unit_values[bp.sets.indicators.index(k), bp.sets.units.index(u), bp.sets.years.index(t)]), abs=1e-6
        )


@pytest.mark.parametrize("seed", [0, 5])
def test_highs_and_cbc_agree(seed):
    sc = multi_year(seed=seed)
    a, b = plan(sc, solver="highs"), plan(sc, solver="cbc")
    assert a.stage1_shortfall == pytest.approx(b.stage1_shortfall, abs=1e-5)
    assert a.stage2_progress == pytest.approx(b.stage2_progress, abs=1e-5)


def test_budget_is_never_overspent_and_floors_hold():
    sc = multi_year(seed=7, n_units=5)
    res = plan(sc)
    for row in res.budget:
        assert row.allocated <= row.available  # published amounts never round above a fund's money
    line = {}
    for r in res.allocation:
        line[r.unit, r.initiative, r.year] = line.get((r.unit, r.initiative, r.year), 0.0) + r.amount
    # published amounts are whole 0.01 万元, each within 0.01 of the LP's: the rules hold to that precision
    for u, unit in sc.units.items():
        # a unit keeps phi^(n+1) of its base money in plan year n (compounding from the base)
        for n, y in enumerate(sc.years):
            money = sum(v for (uu, _, yy), v in line.items() if (uu, yy) == (u, y))
            assert money >= sc.floor_of(u) ** (n + 1) * unit.base_total - 0.01 * len(unit.base)
        # and the stock pays each base line's continuing part (its money up to its base) first: the pool rule
        for y in sc.years:
            for i, b in unit.base.items():
                stock = sum(r.amount for r in res.allocation if (r.unit, r.initiative, r.year, r.pool) == (u, i, y, "stock"))
                assert stock >= min(line.get((u, i, y), 0.0), b) - 0.02


def test_highs_and_cbc_agree_on_the_bundled_scenario(bundled):
    from allocator import load_scenario

    sc = load_scenario(bundled)
    a, b = plan(sc, solver="highs"), plan(sc, solver="cbc")
    assert a.stage1_shortfall == pytest.approx(b.stage1_shortfall, abs=1e-6)
    # a model this small (about 4,100 columns) is solved to a 1e-6 relative MIP gap: at HiGHS's default 1e-4 it
    # stopped at 0.955986 and called it optimal, where both solvers now find 0.956027 (issue 9)
    assert a.stage2_progress == pytest.approx(b.stage2_progress, rel=1e-6)
    # with the line rules (issue 9) the proven optimum was 0.951993 (smooth lines, must-fund floors, commitments and
    # the pipeline cost about 0.004 of weighted progress against the unconstrained 0.956027); performance money
    # (a fifth of the increment spent by each unit on its own lines, issue 10) costs another 0.0015: 0.950539
    assert a.stage2_progress == pytest.approx(0.950539, abs=2e-6)
    stage2 = a.solver.stages[-1]
    assert stage2.gap_limit == 1e-6 and stage2.mip_gap is not None and stage2.mip_gap <= 1e-6


def test_mip_gap_follows_model_size():
    from allocator.errors import OverrideError
    from allocator.solve import COARSE_GAP, FINE_GAP, FINE_GAP_COLUMNS, SolverSettings, gap_for

    # small models close to 1e-6 relative (the bundled plan has about 4,100 columns), large ones keep HiGHS's 1e-4
    assert gap_for(None, 5_106) == FINE_GAP == 1e-6
    assert gap_for(None, FINE_GAP_COLUMNS) == 1e-6
    assert gap_for(None, FINE_GAP_COLUMNS + 1) == COARSE_GAP == 1e-4
    assert gap_for(1e-3, 5_106) == 1e-3  # asked for explicitly: taken as is
    for bad in (1.5, -0.1, float("nan")):  # bad input (exit 1), named as the option that sets it
        with pytest.raises(OverrideError, match="--gap"):
            SolverSettings(mip_gap=bad)
