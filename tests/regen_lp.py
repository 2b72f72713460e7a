"""Rewrite the golden LP files after an intended formulation change: ``python tests/regen_lp.py``."""

from pathlib import Path

from allocator import load_scenario
from allocator.formulation import build_problem

HERE = Path(__file__).resolve().parent
for name in ("floors_and_gaps", "restricted_fund", "priorities"):
    bp = build_problem(load_scenario(HERE.parent / "scenarios" / "examples" / f"{name}.yaml"))
    bp.problem.writeLP(str(HERE / "data" / f"{name}.lp"))
    print(f"wrote tests/data/{name}.lp")
