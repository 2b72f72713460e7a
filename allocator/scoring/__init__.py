"""Annual performance-incentive scoring: completion, cost-efficiency, DEA, grades, awards and next-year floors."""

from .inputs import ScoringInputs, Table, validate_inputs
from .score import ScoreResult, score_units

__all__ = ["ScoreResult", "ScoringInputs", "Table", "score_units", "validate_inputs"]
