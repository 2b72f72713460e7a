"""Annual performance scoring: 100 points from named parts (completion, 预算执行率, unit cost, timeliness), tracks, awards, floors."""

from .inputs import ScoringInputs, Table, validate_inputs
from .score import ScoreResult, score_units

__all__ = ["ScoreResult", "ScoringInputs", "Table", "score_units", "validate_inputs"]
