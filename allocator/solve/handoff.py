"""The hand-off from PuLP to HiGHS: a built PuLP problem as arrays (bounds, integrality and the matrix by columns).

PuLP is the modelling layer; HiGHS gets the model once, as arrays, and every later change edits the HiGHS
model in place. Reading a large model term by term in Python cost seconds (2.9-3.7 s at 300 units); here the
terms are gathered with C-level iteration over PuLP's expressions (they are dicts of variable -> coefficient)
and the matrix is assembled with numpy. Columns come in PuLP's own order (by name) and rows in the order they
were added, so the model HiGHS sees is the one PuLP would write, entry for entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from operator import attrgetter

import numpy as np
import pulp

_hash = attrgetter("hash")
_name = attrgetter("name")


@dataclass
class ModelArrays:
    """A PuLP problem as arrays: columns (PuLP's order), rows (by name), bounds and the matrix by columns."""

    columns: list[pulp.LpVariable]
    row_names: list[str]
    col_lower: np.ndarray
    col_upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    integer: np.ndarray
    start: np.ndarray
    index: np.ndarray
    value: np.ndarray

    @cached_property
    def col_index(self) -> dict[str, int]:
        """Column number of each variable name."""
        return {v.name: n for n, v in enumerate(self.columns)}


def constraints_of(problem: pulp.LpProblem) -> dict[str, pulp.LpConstraint]:
    """The problem's rows by name, without PuLP 3.3's per-access deprecation warning on ``problem.constraints``."""
    rows = getattr(problem, "_constraints", None)
    return rows if isinstance(rows, dict) else dict(problem.constraints)


def _expression(con) -> pulp.LpAffineExpression:
    """The variable -> coefficient mapping of a row (PuLP 3.3 keeps it in ``.expr``; older rows are the mapping)."""
    return getattr(con, "expr", con)


def model_arrays(problem: pulp.LpProblem) -> ModelArrays:
    """Read a PuLP problem into arrays in one pass over its terms; zero coefficients are left out."""
    rows = constraints_of(problem)
    cons = list(rows.values())
    exprs = [_expression(c) for c in cons]
    lengths = np.fromiter(map(len, exprs), dtype=np.int64, count=len(exprs))
    keys = list(chain.from_iterable(exprs))
    coefs = np.fromiter(chain.from_iterable(map(dict.values, exprs)), dtype=float, count=len(keys))
    hashes = list(map(_hash, keys))
    # every variable of the problem: registered ones, the objective's and the rows' (as PuLP's variables())
    found: dict[int, pulp.LpVariable] = dict(getattr(problem, "_variable_ids", {}))
    if problem.objective is not None:
        found.update(zip(map(_hash, problem.objective), problem.objective))
    found.update(zip(hashes, keys))
    columns = sorted(found.values(), key=_name)
    col_of = dict(zip(map(_hash, columns), range(len(columns))))
    cols = np.fromiter(map(col_of.__getitem__, hashes), dtype=np.int64, count=len(hashes))
    row_of_term = np.repeat(np.arange(len(cons), dtype=np.int64), lengths)
    keep = coefs != 0
    cols, row_of_term, coefs = cols[keep], row_of_term[keep], coefs[keep]
    order = np.argsort(cols, kind="stable")  # by column, rows ascending within a column
    start = np.zeros(len(columns) + 1, dtype=np.int32)
    np.cumsum(np.bincount(cols, minlength=len(columns)), out=start[1:])
    rhs = -np.fromiter((c.constant for c in cons), dtype=float, count=len(cons))
    sense = np.fromiter((c.sense for c in cons), dtype=np.int8, count=len(cons))
    row_lower = np.where(sense == pulp.LpConstraintLE, -np.inf, rhs)
    row_upper = np.where(sense == pulp.LpConstraintGE, np.inf, rhs)
    col_lower = np.array([v.lowBound for v in columns], dtype=float)
    col_upper = np.array([v.upBound for v in columns], dtype=float)
    col_lower[np.isnan(col_lower)] = -np.inf
    col_upper[np.isnan(col_upper)] = np.inf
    integer = np.fromiter((v.cat == pulp.LpInteger for v in columns), dtype=bool, count=len(columns))
    return ModelArrays(
        columns=columns,
        row_names=list(rows),
        col_lower=col_lower,
        col_upper=col_upper,
        row_lower=row_lower,
        row_upper=row_upper,
        integer=integer,
        start=start,
        index=row_of_term[order].astype(np.int32),
        value=coefs[order],
    )


def highs_lp(arrays: ModelArrays):
    """A ``highspy.HighsLp`` of the arrays (zero costs: each level sets its own objective)."""
    import highspy

    n_col, n_row = len(arrays.columns), len(arrays.row_names)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_col, n_row
    lp.col_cost_ = np.zeros(n_col)
    lp.col_lower_, lp.col_upper_ = arrays.col_lower, arrays.col_upper
    lp.row_lower_, lp.row_upper_ = arrays.row_lower, arrays.row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = arrays.start
    lp.a_matrix_.index_ = arrays.index
    lp.a_matrix_.value_ = arrays.value
    if arrays.integer.any():
        kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
        lp.integrality_ = [kinds[i] for i in arrays.integer.tolist()]
    return lp
