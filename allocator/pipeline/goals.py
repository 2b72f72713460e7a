"""The goal-programming job on plain tables: read GOALS/TERMS/VARS, solve by levels, write variables, goals and levels."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pandas as pd

from ..io.run_folder import environment, now_iso, write_run
from ..solve import SolverSettings
from .runs import JobRun

VARIABLE_COLUMNS = ["variable", "value"]
GOAL_COLUMNS = ["goal", "priority", "target", "achieved", "under", "over", "under_weight", "over_weight"]
LEVEL_COLUMNS = ["priority", "achievement", "optimum", "hold", "leak"]


def goal_program_tables(result) -> dict[str, pd.DataFrame]:
    """variables.csv, goals.csv and levels.csv of a solved goal program."""
    goals = [{**g.model_dump(), "priority": "hard" if g.priority is None else g.priority} for g in result.goals]
    tables = {
        "variables": pd.DataFrame([{"variable": k, "value": v} for k, v in result.variables.items()], columns=VARIABLE_COLUMNS),
        "goals": pd.DataFrame(goals, columns=GOAL_COLUMNS),
        "levels": pd.DataFrame([lv.model_dump() for lv in result.levels], columns=LEVEL_COLUMNS),
    }
    # as written to the folder: 9 decimals, so what is printed is what the files hold
    return {name: frame.round(9) for name, frame in tables.items()}


def run_goals(
    goals: str | Path,
    terms: str | Path,
    variables: str | Path | None = None,
    out: str | Path | None = None,
    *,
    mode: str = "lexicographic",
    solver: str = "highs",
    time_limit: float | None = None,
    force: bool = False,
    command: str = "allocator goals",
) -> JobRun:
    """Read and check the tables, solve the goal program and (with ``out``) write a run folder of the three tables."""
    from ..goal_programming import solve_goal_program
    from ..goal_tables import read_goal_tables
    from ..io.atomic import ensure_new
    from ..io.outputs import input_paths

    if out is not None:
        ensure_new(out, force=force, inputs=input_paths(goals, terms, variables))
    t0 = time.perf_counter()
    program = read_goal_tables(goals, terms, variables)
    t1 = time.perf_counter()
    result = solve_goal_program(program, mode, SolverSettings(name=solver, time_limit=time_limit))  # type: ignore[arg-type]
    t2 = time.perf_counter()
    tables = goal_program_tables(result)
    manifest: dict[str, Any] = {
        "kind": "goals",
        "command": command,
        "inputs": {"goals": str(goals), "terms": str(terms), "variables": str(variables) if variables else None},
        "mode": mode,
        "solver": {"name": solver, "version": result.solver},
        "status": result.status,
        "levels": [lv.model_dump() for lv in result.levels],
        "allocator_version": environment()["allocator"],
        "environment": environment(),
        "created": now_iso(),
        "timings": {"read": t1 - t0, "solve": t2 - t1},
    }
    folder = Path(out) if out is not None else Path()
    if out is not None:
        write_run(folder, tables, manifest, force=force)
    return JobRun(None, result, folder, manifest, extra=tables)
