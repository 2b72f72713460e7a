"""Record the bundled plan's results as the golden file tests/data/bundled_plan.json: ``python tests/regen_bundled_baseline.py``.

Run it only after an intended change of the bundled plan's results (and say why in the commit). The file
holds the objectives, every indicator's value in every year, and the money allocated per year, pool and
source; tests/test_priorities.py checks a fresh plan against it. How the money is split among units is left
out on purpose: the bundled optimum is not unique, and any solver or model detail may pick another
equally good split.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "bundled_plan.json"


def snapshot() -> dict:
    """The bundled plan's objectives, indicator values and money by year, pool and source."""
    from allocator import load_scenario, plan

    res = plan(load_scenario(ROOT / "scenarios" / "zjut-2021-2025"))
    money: dict[str, float] = {}
    for b in res.budget:
        money[f"{b.year}:{b.pool}:{b.source}"] = round(b.allocated, 9)
    return {
        "stage1_shortfall": res.stage1_shortfall,
        "stage2_progress": res.stage2_progress,
        "indicators": {f"{r.indicator}:{r.year}": round(r.value, 9) for r in res.indicators},
        "money": money,
    }


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(snapshot(), indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(ROOT)}")
