"""What-if speed on the bundled scenario: a 20-level budget sweep (warm, one HiGHS model, against independent
solves) and 500 risk draws (plan evaluated; and re-optimized per draw on 2 processes).

Run: ``python benchmarks/whatif_bench.py [--scenario PATH] [--levels 20] [--draws 500] [--skip-resolve]``.
Targets (issue 3): sweep under 3 s in total; 500 draws evaluated under 5 s; with --resolve under 60 s on 2 cores.

``python benchmarks/whatif_bench.py --sweep-ratio [--repeat 3] [--gap G]``: the 21-level increment sweep of the bundled
scenario (0.5 to 1.5) against one plan, both as commands (process start included), alternated; medians, the ratio
(target: at most 2.5) and how the sweep's levels were proved (by the relaxation bound or the MILP) and to what gap.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from allocator import load_scenario  # noqa: E402
from allocator.risk import assess_risk  # noqa: E402
from allocator.sweep import sweep_budget  # noqa: E402


def sweep_ratio(repeat: int, gap: str | None) -> None:
    """The 21-level bundled sweep against one default plan and one plan --no-marginals, as commands."""
    import collections
    import tempfile

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from commands import BUNDLED, alternate, load, median

    extra = ["--gap", gap] if gap else []
    commands = {
        "plan": ["plan", str(BUNDLED)],
        "plan --no-marginals": ["plan", str(BUNDLED), "--no-marginals"],
        "sweep": ["whatif", "sweep", str(BUNDLED), "--increment", "0.5:1.5:0.05", *extra],
    }
    print(f"21-level bundled sweep against one plan; medians of {repeat} alternated runs; {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        runs = alternate(commands, repeat, Path(tmp))
    sweep = median(runs["sweep"])
    for name in ("plan", "plan --no-marginals"):
        one = median(runs[name])
        print(f"  {name:22} {one:6.2f} s   sweep {sweep:6.2f} s   ratio {sweep / one:5.2f}")
    levels = runs["sweep"][-1][1]["levels"]
    proofs = collections.Counter(lv.get("proof") or "not proved" for lv in levels)
    worst = max((lv["gap"] for lv in levels if lv.get("gap") is not None), default=float("nan"))
    print(f"  levels proved by: {dict(proofs)}; largest proven gap {worst:.1e}")
    print(load())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sweep-ratio", action="store_true", help="the 21-level bundled sweep against one plan, as commands")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--gap", help="--gap for the sweep (default: the plan's)")
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "zjut-2021-2025"))
    parser.add_argument("--levels", type=int, default=20)
    parser.add_argument("--draws", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-resolve", action="store_true")
    args = parser.parse_args()
    if args.sweep_ratio:
        return sweep_ratio(args.repeat, args.gap)
    sc = load_scenario(args.scenario)
    levels = [round(0.5 + k * (1.0 / (args.levels - 1)), 6) for k in range(args.levels)]  # 0.5 .. 1.5

    t0 = time.perf_counter()
    warm = sweep_budget(sc, levels, "increment", warm=True, keep_allocation=False)
    t_warm = time.perf_counter() - t0
    t0 = time.perf_counter()
    cold = sweep_budget(sc, levels, "increment", warm=False, keep_allocation=False)
    t_cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    fixed_pts = sweep_budget(sc, levels, "increment", keep_allocation=False, integers="fixed")
    t_fixed_sweep = time.perf_counter() - t0
    redecided = sum(p.integers == "re-decided" for p in fixed_pts)
    worst = max(abs(a.stage2_progress - b.stage2_progress) for a, b in zip(warm, cold) if a.status == b.status == "optimal")
    print(f"sweep of {args.levels} increment levels 0.5-1.5 on {sc.name}:")
    print(f"  warm (one model, changed right-hand sides): {t_warm:7.2f} s  ({t_warm / args.levels * 1000:.0f} ms a level)")
    print(f"  independent builds and solves:              {t_cold:7.2f} s  -> speed-up {t_cold / t_warm:.1f}x")
    print(f"  largest stage-2 difference warm vs cold: {worst:.2e}")
    print(f"  --integers fixed (lumpy items held where they fit; {redecided} levels re-decided): {t_fixed_sweep:7.2f} s")

    t0 = time.perf_counter()
    fixed = assess_risk(sc, draws=args.draws, yield_cv=0.2, seed=1)
    t_fixed = time.perf_counter() - t0
    print(f"risk, {args.draws} draws, plan fixed (incl. the one plan solve): {t_fixed:.2f} s")
    if not args.skip_resolve:
        t0 = time.perf_counter()
        assess_risk(sc, draws=args.draws, yield_cv=0.2, seed=1, resolve=True, workers=args.workers)
        t_res = time.perf_counter() - t0
        print(f"risk, {args.draws} draws, re-optimized per draw on {args.workers} processes: {t_res:.2f} s")
    lowest = min(fixed.probability.items(), key=lambda kv: kv[1])
    print(f"  (least likely target under cv 0.2: {lowest[0]} at {lowest[1]:.1%})")


if __name__ == "__main__":
    main()
