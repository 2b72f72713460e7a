"""Regenerate the bundled scenario's illustrative 2021 performance data: ``python tests/regen_bundled_actuals.py``.

ILLUSTRATIVE, NOT REAL: each unit is taken to spend 92-103% of what the bundled plan gives it in 2021 and
to deliver a fixed share (45-115%, by unit, from a seeded generator) of the outputs the plan expects from
it in 2021. The targets are the plan's own per-unit 2021 outputs. Replace all three files with the
offices' real figures before using the scores.
"""

import random
from pathlib import Path

import pandas as pd

from allocator import load_scenario, plan

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "zjut-2021-2025"
OUT = SCENARIO / "performance-2021"
YEAR = 2021

sc = load_scenario(SCENARIO)
res = plan(sc)
rng = random.Random(2021)
delivery = {u: round(rng.uniform(0.45, 1.15), 2) for u in sorted(sc.units)}
spend_share = {u: round(rng.uniform(0.92, 1.03), 3) for u in sorted(sc.units)}

spending: dict[tuple[str, str], float] = {}
for r in res.allocation:
    if r.year == YEAR:
        spending[r.unit, r.initiative] = spending.get((r.unit, r.initiative), 0.0) + r.amount
spend_rows = [
    {"unit": u, "initiative": i, "year": YEAR, "amount": round(a * spend_share[u], 2)} for (u, i), a in sorted(spending.items()) if a > 0.005
]
targets, actuals = [], []
for r in res.unit_indicators:
    if r.year != YEAR or r.output <= 1e-6:
        continue
    targets.append({"unit": r.unit, "indicator": r.indicator, "year": YEAR, "target": round(r.output, 2)})
    actuals.append({"unit": r.unit, "indicator": r.indicator, "year": YEAR, "value": round(r.output * delivery[r.unit], 2)})
OUT.mkdir(exist_ok=True)
pd.DataFrame(spend_rows).to_csv(OUT / "actual_spending.csv", index=False, encoding="utf-8-sig")
pd.DataFrame(targets).to_csv(OUT / "targets.csv", index=False, encoding="utf-8-sig")
pd.DataFrame(actuals).to_csv(OUT / "actual_outputs.csv", index=False, encoding="utf-8-sig")
print(f"wrote {len(spend_rows)} spending, {len(targets)} target and {len(actuals)} output rows to {OUT}")
