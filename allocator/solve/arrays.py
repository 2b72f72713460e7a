"""An LP (or small MILP) given as arrays, solved by HiGHS: the master problem of a decomposition."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from models import SolveStatus

from .highs import _HIGHS_LIMITS, _HIGHS_STATUS, _new_highs


@dataclass
class ArraySolution:
    """Outcome of an LP (or small MILP) given as arrays: status, objective, column values and row duals."""

    status: SolveStatus
    objective: float
    columns: np.ndarray
    row_duals: np.ndarray


def solve_arrays(
    cost: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    matrix: tuple[np.ndarray, np.ndarray, np.ndarray],
    *,
    integer: np.ndarray | None = None,
    time_limit: float | None = None,
) -> ArraySolution:
    """Minimize ``cost @ x`` subject to ``row_lower <= A x <= row_upper`` and column bounds, with HiGHS.

    ``matrix`` is A in compressed columns (start, index, value). Row duals follow HiGHS's convention for a
    minimization: the reduced cost of a column is ``cost - A^T duals``.
    """
    import highspy

    start, index, value = matrix
    n_col, n_row = len(cost), len(row_lower)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_col, n_row
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_, lp.col_upper_ = np.asarray(col_lower, dtype=float), np.asarray(col_upper, dtype=float)
    lp.row_lower_, lp.row_upper_ = np.asarray(row_lower, dtype=float), np.asarray(row_upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.asarray(start, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(value, dtype=float)
    if integer is not None and integer.any():
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in integer]
    h = _new_highs()
    h.setOptionValue("time_limit", float(time_limit) if time_limit else math.inf)
    h.setOptionValue("mip_rel_gap", 1e-9)
    h.passModel(lp)
    h.run()
    raw = h.getModelStatus()
    name = getattr(raw, "name", str(raw).split(".")[-1])
    status = _HIGHS_STATUS.get(name, SolveStatus.ERROR)
    if name in _HIGHS_LIMITS:
        status = SolveStatus.FEASIBLE if getattr(h.getInfo(), "primal_solution_status", 0) == 2 else SolveStatus.NO_SOLUTION
    sol = h.getSolution()
    ok = status.has_solution
    return ArraySolution(
        status,
        float(h.getObjectiveValue()) if ok else math.nan,
        np.array(sol.col_value) if ok else np.zeros(n_col),
        np.array(sol.row_dual) if ok and sol.dual_valid else np.zeros(n_row),
    )
