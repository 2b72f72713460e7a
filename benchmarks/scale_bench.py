"""Speed at every size, in one table: plan by size against HiGHS alone, the sweep ratio, risk re-solves per
second, and the decomposition's time and gap.

Run: ``python benchmarks/scale_bench.py [--sizes bundled,25,50,100,300] [--repeat 3] [--province 8x10]``.

* Plan by size: the bundled scenario and ``make_scenario(units, initiatives=25, lumpy=2)``; for each,
  ``allocator plan --no-marginals``, the default ``allocator plan`` (both as commands, process start
  included), and HiGHS alone on the same model (stage 2: the progress MILP with stage 1's optimum held)
  written to MPS, solved in process with the options allocator gives it. Ratios are to HiGHS alone.
* Sweep: a 21-level increment sweep of the bundled scenario against one plan (both commands).
* Risk: ``whatif risk --resolve`` re-solves per second with 1 and 2 local workers (the draws' own time).
* Decomposition: ``plan --decompose university`` on ``make_province(G, C)`` with its proven gap; where
  ``--province-mono`` asks for it, the monolithic plan of the same province and the ratio between them.

Every figure is the median of ``--repeat`` runs taken in alternation (A, B, C, A, B, C, ...), and the
machine's load average is printed before and after: numbers taken while other jobs run are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import make_province, make_scenario  # noqa: E402

BUNDLED = ROOT / "scenarios" / "zjut-2021-2025"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def command(args: list[str], tmp: Path) -> tuple[float, dict]:
    """Seconds for one allocator command (a new process, as a user runs it) and its run manifest."""
    out = tmp / f"run-{time.monotonic_ns()}"
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "allocator", *args, "--out", str(out)], capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"allocator {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return seconds, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def write_stage2_mps(scenario, path: Path) -> float:
    """The stage-2 MILP of a scenario (progress, stage 1 held at its optimum) as MPS; returns the MIP gap allocator uses."""
    import pulp

    from allocator.formulation import build_problem
    from allocator.solve import LEAK_RELATIVE, SolverSettings, gap_for, solve

    bp = build_problem(scenario)
    z1 = solve(bp, SolverSettings()).objective("stage1") if len(bp.stage1) else 0.0
    if len(bp.stage1):
        bp.problem.addConstraint(pulp.LpConstraint(bp.stage1, pulp.LpConstraintLE, "stage1_hold", z1 + LEAK_RELATIVE * max(1.0, abs(z1))))
    bp.problem.sense = pulp.LpMaximize
    bp.problem.setObjective(bp.stage2)
    bp.problem.writeMPS(str(path))
    return gap_for(None, len(bp.problem.variables()))


def highs_alone(path: Path, gap: float) -> float:
    """Seconds HiGHS takes on the MPS file with allocator's options (read excluded)."""
    import highspy

    from allocator.solve import MIP_OPTIONS, _new_highs

    h = _new_highs()  # the same silent instance allocator uses
    h.setOptionValue("mip_rel_gap", gap)
    h.setOptionValue("mip_abs_gap", 1e-6)
    for option, value in MIP_OPTIONS.items():
        h.setOptionValue(option, value)
    h.readModel(str(path))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    t0 = time.perf_counter()
    h.run()
    return time.perf_counter() - t0


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def plan_by_size(sizes: list[str], repeat: int, tmp: Path) -> None:
    from allocator import load_scenario
    from allocator.io.scenario_files import write_scenario_folder

    print("\nplan by size (seconds, medians; ratio = time / HiGHS alone on the same stage-2 model)")
    print(f"{'size':>22} {'--no-marginals':>15} {'ratio':>6} {'plan':>9} {'ratio':>6} {'HiGHS alone':>12} {'columns':>8}")
    for size in sizes:
        if size == "bundled":
            folder, sc = BUNDLED, load_scenario(BUNDLED)
            label = f"bundled ({len(sc.units)}x{len(sc.initiatives)}x{len(sc.years)})"
        else:
            sc = make_scenario(units=int(size), initiatives=25, lumpy=2)
            folder = write_scenario_folder(sc, tmp / f"synthetic-{size}")
            label = f"{size}x25x5"
        mps = tmp / f"{size}.mps"
        gap = write_stage2_mps(sc, mps)
        quick, full, alone = [], [], []
        manifest: dict = {}
        for _ in range(repeat):
            t, manifest = command(["plan", str(folder), "--no-marginals"], tmp)
            quick.append(t)
            full.append(command(["plan", str(folder)], tmp)[0])
            alone.append(highs_alone(mps, gap))
        h = median(alone)
        cols = manifest.get("model", {}).get("variables", "?")
        q, f = median(quick), median(full)
        print(f"{label:>22} {q:>15.2f} {q / h:>6.2f} {f:>9.2f} {f / h:>6.2f} {h:>12.2f} {cols:>8}", flush=True)


def sweep_ratio(repeat: int, tmp: Path) -> None:
    sweeps, plans, quick = [], [], []
    for _ in range(repeat):
        sweeps.append(command(["whatif", "sweep", str(BUNDLED), "--increment", "0.5:1.5:0.05"], tmp)[0])
        plans.append(command(["plan", str(BUNDLED)], tmp)[0])
        quick.append(command(["plan", str(BUNDLED), "--no-marginals"], tmp)[0])
    s, p, q = median(sweeps), median(plans), median(quick)
    print(
        f"\nsweep: 21 increment levels of the bundled scenario {s:.2f} s; one plan {p:.2f} s (ratio {s / p:.2f}); "
        f"one plan --no-marginals {q:.2f} s (ratio {s / q:.2f})"
    )


def risk_rates(draws: int, repeat: int, tmp: Path) -> None:
    rates: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(repeat):
        for workers in (1, 2):
            _, m = command(["whatif", "risk", str(BUNDLED), "--resolve", "--draws", str(draws), "--workers", str(workers)], tmp)
            rates[workers].append(draws / m["timings"]["draws"])
    one, two = median(rates[1]), median(rates[2])
    print(f"\nrisk --resolve, {draws} draws of the bundled scenario: {one:.1f} re-solves/s on 1 worker, {two:.1f} on 2 ({two / one:.2f}x)")


def decomposition(province: str, mono: bool, repeat: int, tmp: Path) -> None:
    from allocator.io.scenario_files import write_scenario_folder

    g, c = (int(x) for x in province.split("x"))
    sc = make_province(universities=g, colleges=c)
    folder = write_scenario_folder(sc, tmp / f"province-{province}")
    args = ["plan", str(folder), "--decompose", "university"]  # on ALLOCATOR_SCHEDULER's cluster when it is set
    times, monos, info = [], [], {}
    for _ in range(repeat):
        t, m = command(args, tmp)
        times.append(t)
        info = m["decomposition"]
        if mono:
            monos.append(command(["plan", str(folder), "--no-marginals"], tmp)[0])
    t = median(times)
    s2 = info["stage2"]
    print(
        f"\ndecomposition of a {g} x {c} x 25 x 5 province ({len(sc.units)} units, {info['linking_rows']} shared rows) "
        f"on {info['ran_on']}: {t:.1f} s, stage 2 {s2['value']:.6f}, bound {s2['bound']:.6f}, gap {100 * s2['gap']:.3f}%"
    )
    ts = info["task_seconds"]
    print(
        f"  rounds {info['rounds']}; {ts['tasks']} tasks, {ts['total']:.1f} s of solver work (median {ts['median']:.3f} s, "
        f"p90 {ts['p90']:.3f} s, max {ts['max']:.3f} s)"
    )
    if monos:
        print(f"  monolithic plan --no-marginals: {median(monos):.1f} s (decomposition / monolithic {t / median(monos):.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="bundled,25,50,100", help="comma list: bundled and unit counts (300 is slow)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--draws", type=int, default=500)
    parser.add_argument("--province", default="8x10", help="UNIVERSITIESxCOLLEGES of the generated province")
    parser.add_argument("--province-mono", action="store_true", help="also solve the province without decomposition")
    parser.add_argument("--skip", default="", help="comma list of parts to skip: plans, sweep, risk, decomposition")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    print(load())
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as d:
        tmp = Path(d)
        if "plans" not in skip:
            plan_by_size(args.sizes.split(","), args.repeat, tmp)
        if "sweep" not in skip:
            sweep_ratio(args.repeat, tmp)
        if "risk" not in skip:
            risk_rates(args.draws, args.repeat, tmp)
        if "decomposition" not in skip:
            decomposition(args.province, args.province_mono, args.repeat, tmp)
    print(load())


if __name__ == "__main__":
    main()
