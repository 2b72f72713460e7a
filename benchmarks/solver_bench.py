"""Which solver should be the default? HiGHS (in process) vs CBC (PuLP's bundled binary) on the bundled
scenario and on larger synthetic ones. Run: ``python benchmarks/solver_bench.py [--repeat 3]``."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import make_scenario  # noqa: E402

from allocator import load_scenario, plan  # noqa: E402
from allocator.formulation import build_problem  # noqa: E402


def timed(scenario, solver: str, repeat: int, limit: float):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = plan(scenario, solver=solver, time_limit=limit)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="25x25,60x30")
    parser.add_argument("--lumpy", type=int, default=2, help="whole-unit initiatives in the synthetic scenarios")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per solve")
    args = parser.parse_args()
    cases = []
    bundled = ROOT / "scenarios" / "zjut-2021-2025"
    if (bundled / "scenario.yaml").exists():
        cases.append(("bundled zjut-2021-2025", load_scenario(bundled)))
    for size in args.sizes.split(","):
        u, i = (int(x) for x in size.split("x"))
        cases.append((f"synthetic {u} units x {i} initiatives", make_scenario(units=u, initiatives=i, lumpy=args.lumpy)))
    print(f"{'scenario':42} {'vars':>7} {'rows':>7} {'int':>5} {'HiGHS s':>9} {'CBC s':>9} {'CBC/HiGHS':>10} "
          f"{'HiGHS stage 2':>14} {'CBC stage 2':>12}")
    for name, sc in cases:
        bp = build_problem(sc)
        n_int = sum(1 for v in bp.problem.variables() if v.cat == "Integer")
        th, rh = timed(sc, "highs", args.repeat, args.time_limit)
        tc, rc = timed(sc, "cbc", args.repeat, args.time_limit)
        mark = {"optimal": "", "time_limit_feasible": " (limit)"}
        sh = f"{rh.stage2_progress:.5f}{mark.get(rh.status.value, '?')}"
        sc_ = f"{rc.stage2_progress:.5f}{mark.get(rc.status.value, '?')}"
        print(
            f"{name:42} {len(bp.problem.variables()):>7} {len(bp.problem.constraints):>7} {n_int:>5} {th:>9.2f} {tc:>9.2f} "
            f"{tc / th:>10.1f} {sh:>14} {sc_:>12}",
            flush=True,
        )

if __name__ == "__main__":
    main()
