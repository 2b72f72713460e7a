"""The PuLP -> HiGHS hand-off reads PuLP internals (``_constraints``, expressions as dicts): it must give exactly
the model PuLP's public API describes, entry for entry, and HiGHS must receive that model."""

from __future__ import annotations

import warnings

import numpy as np
import pulp
import pytest

from allocator import load_scenario
from allocator.formulation import build_problem
from allocator.solve import HighsModel, SolverSettings, model_arrays
from tests.conftest import BUNDLED


def _public_reading(problem: pulp.LpProblem):
    """The model read term by term through PuLP's public API (what the hand-off did before it was vectorized)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        columns = problem.variables()
        rows = list(problem.constraints.items())
    col = {v.name: n for n, v in enumerate(columns)}
    entries: dict[tuple[int, int], float] = {}
    lower, upper = [], []
    for r, (_, con) in enumerate(rows):
        for var, coef in con.items():
            if coef:
                entries[r, col[var.name]] = coef
        rhs = -con.constant
        lower.append(-np.inf if con.sense == pulp.LpConstraintLE else rhs)
        upper.append(np.inf if con.sense == pulp.LpConstraintGE else rhs)
    return columns, [name for name, _ in rows], entries, np.array(lower), np.array(upper)


def _cases(examples, bundled_path):
    yield load_scenario(examples / "priorities.yaml")
    yield load_scenario(examples / "restricted_fund.yaml")
    if (bundled_path / "scenario.yaml").exists():
        yield load_scenario(bundled_path)


@pytest.mark.parametrize("elastic", [False, True])
def test_handoff_is_the_model_pulp_describes(examples, elastic):
    for scenario in _cases(examples, BUNDLED):
        bp = build_problem(scenario, elastic=elastic)
        columns, row_names, entries, row_lower, row_upper = _public_reading(bp.problem)
        arrays = model_arrays(bp.problem)
        assert [v.name for v in arrays.columns] == [v.name for v in columns]
        assert arrays.row_names == row_names
        got = {}
        for c in range(len(arrays.columns)):
            for k in range(arrays.start[c], arrays.start[c + 1]):
                got[int(arrays.index[k]), c] = float(arrays.value[k])
        assert got == entries
        assert np.array_equal(arrays.row_lower, row_lower) and np.array_equal(arrays.row_upper, row_upper)
        assert np.array_equal(arrays.col_lower, [-np.inf if v.lowBound is None else v.lowBound for v in columns])
        assert np.array_equal(arrays.col_upper, [np.inf if v.upBound is None else v.upBound for v in columns])
        assert arrays.integer.tolist() == [v.cat == pulp.LpInteger for v in columns]
        # what HiGHS holds is what was handed over
        lp = HighsModel(bp.problem, SolverSettings()).h.getLp()
        assert (lp.num_col_, lp.num_row_) == (len(columns), len(row_names))
        assert np.array_equal(np.asarray(lp.a_matrix_.value_), arrays.value)
        assert np.array_equal(np.asarray(lp.a_matrix_.index_), arrays.index)
