"""The factor method (按因素法分配): split an amount over rows by weight, with stop-loss, min/max, exact to the fen.

Public API:
    factor_split: a table (DataFrame) in, the same table with ``recommendation``, ``amount``,
        ``percent_funded`` and ``limited_by`` out; every bad cell named by row and column.
    factor_amounts: the same arithmetic on plain sequences (weights, priors, bounds), returning whole
        quanta per row; for callers that hold validated numbers (e.g. performance money by score).
    describe: the rule a split applied, in words, for a printed summary.

Example::

    from allocator.split import factor_split
    out = factor_split(units, id_col="unit", amount=300.0, weight="score", prior="last_year", stop_loss=0.1)
"""

from allocator.split.factor import FactorSplit, factor_amounts
from allocator.split.table import OUTPUT_COLUMNS, describe, factor_split

__all__ = ["OUTPUT_COLUMNS", "FactorSplit", "describe", "factor_amounts", "factor_split"]
