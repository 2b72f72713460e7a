"""Whole jobs in sequence (load -> solve -> write a run folder); the CLI calls these and prints.

Each ``run_*`` takes what to run on as a ScenarioRequest (or a plain scenario path) and returns a
JobRun. One module per job family: ``plans`` (plan, compare), ``whatif`` (sweep, clear, risk),
``scores`` (score, tasks), ``tables`` (the factor split and DEA of any table, through ``run_on_table``),
``goals`` (goal programming on plain tables); ``runs`` holds what they share (the run folder, the
manifest's common fields).
"""

from __future__ import annotations

from ..request import ScenarioRequest
from .goals import run_goals
from .plans import performance_overrides, plan_manifest, plan_tables, run_compare, run_plan
from .runs import JobRun, base_manifest, new_folder
from .scores import run_score, run_tasks, score_frames
from .tables import run_dea, run_on_table, run_split
from .whatif import run_clear, run_risk, run_sweep

__all__ = [
    "JobRun",
    "ScenarioRequest",
    "base_manifest",
    "new_folder",
    "performance_overrides",
    "plan_manifest",
    "plan_tables",
    "run_clear",
    "run_compare",
    "run_dea",
    "run_goals",
    "run_on_table",
    "run_plan",
    "run_risk",
    "run_score",
    "run_split",
    "run_sweep",
    "run_tasks",
    "score_frames",
]
