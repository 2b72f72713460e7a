"""Which solver should be the default, and what a plan costs at every size.

``python benchmarks/solver_bench.py [--repeat 3]``: HiGHS (in process) vs CBC (PuLP's bundled binary) on the bundled
scenario and on larger synthetic ones.

``python benchmarks/solver_bench.py --marginals bundled,25,50,100 [--repeat 3]``: the default ``allocator plan``
(with marginal values) against ``plan --no-marginals``, both as commands (process start included), alternated;
medians, their ratio (target: at most 1.5 at every size up to 300 units) and the load average.

``python benchmarks/solver_bench.py --big 300 [--repeat 1]``: ``plan --no-marginals`` of
``make_scenario(300, initiatives=25, lumpy=2)``: seconds (target: under 60), the gap its stages proved (at most
1e-4) and the process's peak memory (under 1 GB).
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


def timed(scenario, solver: str, repeat: int, limit: float):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = plan(scenario, solver=solver, time_limit=limit)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def marginal_ratio(sizes: list[str], repeat: int) -> None:
    """Default plan against --no-marginals, alternated, by size."""
    import tempfile

    from commands import alternate, load, median, scenario_folder

    print(f"default plan (marginal values) against plan --no-marginals; medians of {repeat} alternated runs; {load()}")
    print(f"{'scenario':>10} {'--no-marginals s':>17} {'plan s':>9} {'ratio':>6} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            folder = str(scenario_folder(size, Path(tmp)))
            runs = alternate({"quick": ["plan", folder, "--no-marginals"], "full": ["plan", folder]}, repeat, Path(tmp))
            q, f = median(runs["quick"]), median(runs["full"])
            peak = max(r[2] for r in runs["full"])
            print(f"{size:>10} {q:>17.2f} {f:>9.2f} {f / q:>6.2f} {peak:>9.0f}", flush=True)
    print(load())


def big_plan(units: str, repeat: int) -> None:
    """One large plan without marginal values: seconds, proven gap, peak memory."""
    import tempfile

    from commands import load, run, scenario_folder

    print(f"plan --no-marginals of make_scenario({units}, initiatives=25, lumpy=2); {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = str(scenario_folder(units, Path(tmp)))
        for _ in range(repeat):
            seconds, manifest, peak = run(["plan", folder, "--no-marginals"], Path(tmp))
            stages = ", ".join(
                f"{s['name']} {s['seconds']:.1f} s gap {s['mip_gap'] if s['mip_gap'] is not None else '-'} ({s.get('proof') or 'lp'})"
                for s in manifest["stages"]
            )
            t = manifest["timings"]
            print(
                f"  {seconds:.1f} s (build {t['build']:.1f}, solve {t['solve']:.1f}); {manifest['model']['variables']} columns; "
                f"peak {peak:.0f} MiB; {stages}",
                flush=True,
            )
    print(load())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--marginals", metavar="SIZES", help="default plan vs --no-marginals at these sizes (bundled,25,50,...)")
    parser.add_argument("--big", metavar="UNITS", help="one large plan: time, proven gap, peak memory")
    parser.add_argument("--sizes", default="25x25,60x30")
    parser.add_argument("--lumpy", type=int, default=2, help="whole-unit initiatives in the synthetic scenarios")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per solve")
    args = parser.parse_args()
    if args.marginals:
        return marginal_ratio(args.marginals.split(","), args.repeat)
    if args.big:
        return big_plan(args.big, args.repeat)
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
