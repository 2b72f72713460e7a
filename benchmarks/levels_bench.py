"""Time of the bundled plan (build + all levels + extract, with and without marginals), against another checkout.

Run: ``python benchmarks/levels_bench.py [--runs 7] [--against OTHER_TREE]``. Each run is a fresh process that
loads the bundled scenario and plans it, reporting the wall and CPU seconds the plan took (loading excluded); with
``--against`` the other checkout (e.g. an export of main) runs alternately with this one, so that load from
other processes falls on both alike. Medians (and minima) are printed, with the objectives each tree found.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = """
import json, time
from allocator import load_scenario, plan
sc = load_scenario({scenario!r})
t0, c0 = time.perf_counter(), time.process_time()
res = plan(sc, marginals={marginals})
print(json.dumps({{"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0, "stage1": res.stage1_shortfall,
                  "stage2": res.stage2_progress, "solve": res.timings.get("solve")}}))
"""


def _once(tree: Path, marginals: bool) -> dict:
    code = CODE.format(scenario=str(ROOT / "scenarios" / "zjut-2021-2025"), marginals=marginals)
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--against", type=Path, help="another checkout to time alternately (e.g. an export of main)")
    args = parser.parse_args()
    trees = {"this": ROOT} | ({"other": args.against.resolve()} if args.against else {})
    for marginals in (False, True):
        runs: dict[str, list[dict]] = {name: [] for name in trees}
        for _ in range(args.runs):
            for name, tree in trees.items():
                runs[name].append(_once(tree, marginals))
        print(f"plan of the bundled scenario, marginals={marginals} ({args.runs} alternated runs):")
        for name, tree in trees.items():
            total = [r["seconds"] for r in runs[name]]
            cpu = [r["cpu"] for r in runs[name]]
            solve = [r["solve"] for r in runs[name]]
            last = runs[name][-1]
            print(
                f"  {name:5s} wall median {statistics.median(total):.3f} s (min {min(total):.3f}), "
                f"CPU median {statistics.median(cpu):.3f} s (min {min(cpu):.3f}), solve median {statistics.median(solve):.3f} s; "
                f"stage 1 {last['stage1']:.6g}, stage 2 {last['stage2']:.12g}  [{tree}]"
            )


if __name__ == "__main__":
    main()
