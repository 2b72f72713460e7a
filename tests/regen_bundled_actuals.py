"""Regenerate the bundled scenario's illustrative 2021 performance data: ``python tests/regen_bundled_actuals.py``.

ILLUSTRATIVE, NOT REAL. The targets are the bundled plan's task decomposition for 2021 (whole numbers, the lead
department carrying what the school gains without this budget); the planned money is the plan's 2021 money per
line; each unit is taken to spend 92-103% of its planned money and to deliver a fixed share (45-115%, by unit,
from a seeded generator) of its targets, rounded to whole people and items. Replace all four files with the
offices' real figures before using the scores.
"""

import random
import tempfile
from pathlib import Path

import pandas as pd

from allocator import load_scenario
from allocator.io.plan_run import read_plan_run, tasks_frame
from allocator.pipeline import run_plan

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "zjut-2021-2025"
OUT = SCENARIO / "performance-2021"
YEAR = 2021


def main() -> None:
    sc = load_scenario(SCENARIO)
    # read back from a run folder, as `allocator tasks` and `score --plan` do, so rounding ties break the same way
    with tempfile.TemporaryDirectory() as tmp:
        run_plan(SCENARIO, Path(tmp) / "plan", marginals=False)
        tasks = tasks_frame(read_plan_run(Path(tmp) / "plan"))
        allocation = pd.read_csv(Path(tmp) / "plan" / "allocation.csv", encoding="utf-8-sig")
    rng = random.Random(2021)
    delivery = {u: round(rng.uniform(0.45, 1.15), 2) for u in sorted(sc.units)}
    spend_share = {u: round(rng.uniform(0.92, 1.03), 3) for u in sorted(sc.units)}
    planned: dict[tuple[str, str], float] = {}
    for r in allocation.itertuples():
        if r.year == YEAR:
            planned[r.unit, r.initiative] = planned.get((r.unit, r.initiative), 0.0) + r.amount
    planned_rows = [
        {"unit": u, "initiative": i, "year": YEAR, "amount": round(a, 2)} for (u, i), a in sorted(planned.items()) if a >= 0.005
    ]
    spend_rows = [{**r, "amount": round(r["amount"] * spend_share[r["unit"]], 2)} for r in planned_rows]
    targets, actuals = [], []
    for t in tasks.itertuples():
        if t.year != YEAR or t.target <= 0 or not isinstance(t.unit, str) or not t.unit:
            continue
        targets.append({"unit": t.unit, "indicator": t.indicator, "year": YEAR, "target": t.target})
        actuals.append({"unit": t.unit, "indicator": t.indicator, "year": YEAR, "value": round(t.target * delivery[t.unit])})
    OUT.mkdir(exist_ok=True)
    pd.DataFrame(planned_rows).to_csv(OUT / "planned_spending.csv", index=False, encoding="utf-8-sig")
    pd.DataFrame(spend_rows).to_csv(OUT / "actual_spending.csv", index=False, encoding="utf-8-sig")
    pd.DataFrame(targets).to_csv(OUT / "targets.csv", index=False, encoding="utf-8-sig")
    pd.DataFrame(actuals).to_csv(OUT / "actual_outputs.csv", index=False, encoding="utf-8-sig")
    print(f"wrote {len(planned_rows)} planned, {len(spend_rows)} spending, {len(targets)} target and {len(actuals)} output rows to {OUT}")


if __name__ == "__main__":
    main()
