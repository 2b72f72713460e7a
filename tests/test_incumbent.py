"""MILP levels start from the LP relaxation and a rounding repair (a dive): where the repaired plan meets the bound the
level is proved without branching, and the optimum is the one branch-and-bound alone finds."""

from __future__ import annotations

import pulp
import pytest

from allocator.formulation import Level, build_problem
from allocator.solve import HighsModel, SolverSettings, solve, solve_levels
from allocator.solve.incumbent import relaxation_first
from benchmarks.synthetic import make_scenario


def knapsack(capacity: float):
    """max 10a + 6b + 4c  s.t.  5a + 4b + 3c <= capacity, a, b, c in {0, 1}."""
    problem = pulp.LpProblem("knapsack", pulp.LpMaximize)
    a, b, c = (problem.add_variable(n, 0, 1, cat=pulp.LpInteger) for n in "abc")
    problem.addConstraint(pulp.LpConstraint(5 * a + 4 * b + 3 * c, pulp.LpConstraintLE, "weight", capacity))
    return problem, [Level(1, "value", 10 * a + 6 * b + 4 * c, maximize=True)]


def test_a_relaxation_that_is_whole_proves_the_level():
    # capacity 9: the relaxation takes a and b whole (weight 9, value 16): nothing to round, no branching
    problem, levels = knapsack(9)
    sol = solve_levels(problem, levels)
    assert sol.objective("value") == pytest.approx(16)
    assert sol.stages[0].proof == "relaxation" and sol.stages[0].mip_gap == 0


def test_a_repair_short_of_the_bound_starts_the_milp():
    # capacity 8: the relaxation takes a and 3/4 of b (14.5). The dive rounds b up (a falls to 0.8, still 14.5),
    # then a up (weight 9: does not fit) so down: b and c, value 10, short of 14.5. Branch-and-bound finds a and c: 14.
    problem, levels = knapsack(8)
    model = HighsModel(problem, SolverSettings())
    model.set_objective(levels[0].objective, True)
    report, repaired = relaxation_first(model, levels[0], [], None)
    assert report is None and repaired.tolist() == [0, 1, 1]  # b and c: not proved, offered to the MILP
    sol = solve_levels(problem, levels)
    assert sol.objective("value") == pytest.approx(14)
    assert sol.stages[0].proof == "milp"
    assert sol.values["a"] == pytest.approx(1) and sol.values["c"] == pytest.approx(1) and sol.values["b"] == pytest.approx(0)


@pytest.mark.parametrize(("units", "seed"), [(30, 0), (40, 1)])
def test_relaxation_start_gives_the_optimum_of_branch_and_bound_alone(units, seed):
    # the 300-unit plan relies on the relaxation start; on smaller generated plans it must reach the optimum a cold
    # branch-and-bound reaches, level by level, within the level's gap
    bp = build_problem(make_scenario(units, initiatives=12, lumpy=2, seed=seed))
    first = solve(bp, SolverSettings())
    cold = solve(bp, SolverSettings(relaxation_first=False))
    assert [s.proof for s in cold.stages] == ["milp", "milp"]
    assert "relaxation" in {s.proof for s in first.stages}
    for a, b in zip(first.stages, cold.stages):
        tol = 1e-6 if a.name == "stage1" else a.gap_limit * max(1.0, abs(b.objective))
        assert a.objective == pytest.approx(b.objective, abs=tol), a.name
