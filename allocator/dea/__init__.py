"""Data envelopment analysis (DEA): efficiency of decision-making units.

Public API:
    dea: CCR, BCC and SBM scores, slacks, targets, peers, returns to scale and
        super-efficiency for arrays of inputs and outputs.
    malmquist: Malmquist productivity index (efficiency change x technical change).
    dea_table: validated table in, one row per DMU out (for the CLI and reports).

The math of every model is in docs/dea.md.
"""

from allocator.dea.core import dea
from allocator.dea.malmquist import malmquist
from allocator.dea.result import DEAResult, MalmquistResult
from allocator.dea.table import dea_table

__all__ = ["DEAResult", "MalmquistResult", "dea", "dea_table", "malmquist"]
