"""What does a 1e-6 relative MIP gap cost against HiGHS's default 1e-4? Both stages, on the bundled scenario
and on synthetic ones; the medians of alternated runs, the stage-2 optimum and the gap HiGHS proved.

Run: ``python benchmarks/gap_bench.py [--repeat 3] [--sizes 25x25,60x30]``. The figures set
``allocator.solve.FINE_GAP_COLUMNS`` (models up to that many columns are solved to 1e-6).
"""

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
from allocator.solve import SolverSettings  # noqa: E402

GAPS = (1e-4, 1e-6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="25x25,60x30")
    parser.add_argument("--time-limit", type=float, default=600.0, help="seconds per solve")
    args = parser.parse_args()
    cases = [("bundled zjut-2021-2025", load_scenario(ROOT / "scenarios" / "zjut-2021-2025"))]
    for size in filter(None, args.sizes.split(",")):
        u, i = (int(x) for x in size.split("x"))
        cases.append((f"synthetic {u} units x {i} initiatives", make_scenario(units=u, initiatives=i, lumpy=2)))
    print(f"{'scenario':40} {'columns':>8} {'gap':>6} {'median s':>9} {'stage 2':>12} {'proven gap':>11}")
    for name, sc in cases:
        columns = len(build_problem(sc).problem.variables())
        times: dict[float, list[float]] = {g: [] for g in GAPS}
        last = {}
        for _ in range(args.repeat):
            for gap in GAPS:  # alternated, so load from other work hits both alike
                t0 = time.perf_counter()
                last[gap] = plan(sc, settings=SolverSettings(mip_gap=gap, time_limit=args.time_limit))
                times[gap].append(time.perf_counter() - t0)
        for gap in GAPS:
            res = last[gap]
            proven = res.solver.stages[-1].mip_gap
            print(
                f"{name:40} {columns:>8,} {gap:>6.0e} {statistics.median(times[gap]):>9.2f} {res.stage2_progress:>12.8f} "
                f"{'-' if proven is None else f'{proven:.1e}':>11}",
                flush=True,
            )


if __name__ == "__main__":
    main()
