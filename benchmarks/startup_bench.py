"""Start-up time of the command line: ``allocator --help`` (target: under 0.15 s) and what it imports.

Run: ``python benchmarks/startup_bench.py [--runs 9] [--against OTHER_TREE]``. Each run is a fresh
``python -m allocator --help`` process, and, when the console script is on PATH, ``allocator --help``;
medians are reported. With ``--against`` the same command runs from another checkout too (PYTHONPATH),
alternating with this one so that load from other processes falls on both alike. The import time of
``allocator.cli`` (cumulative, from ``python -X importtime``) and the heavy modules loaded are listed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pulp", "highspy", "pandas", "numpy", "pydantic", "yaml", "openpyxl")


def _env(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree)}


def _wall(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def _import_ms(tree: Path) -> float:
    """Cumulative import time of allocator.cli in microseconds -> ms, from -X importtime."""
    err = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import allocator.cli"], env=_env(tree), capture_output=True, text=True, check=True
    ).stderr
    for line in err.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \| allocator\.cli$", line)
        if m:
            return int(m.group(1)) / 1000
    return float("nan")


def _heavy(tree: Path) -> list[str]:
    code = "import sys; from allocator.cli import cli; cli.main(['--help'], standalone_mode=False); " + (
        f"print('HEAVY:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=_env(tree), capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("HEAVY:"))
    return [m for m in line.removeprefix("HEAVY:").split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--against", type=Path, help="another checkout to time alternately (e.g. one of main)")
    args = parser.parse_args()
    trees = {"this": ROOT} | ({"other": args.against.resolve()} if args.against else {})
    times: dict[str, list[float]] = {name: [] for name in trees}
    for _ in range(args.runs):
        for name, tree in trees.items():
            times[name].append(_wall([sys.executable, "-m", "allocator", "--help"], _env(tree)))
    script = shutil.which("allocator")
    script_times = [_wall([script, "--help"], dict(os.environ)) for _ in range(args.runs)] if script else []
    for name, tree in trees.items():
        print(f"{name} ({tree}):")
        med, low = statistics.median(times[name]), min(times[name])
        print(f"  python -m allocator --help   median {med:.3f} s  (min {low:.3f}, {args.runs} runs)")
        print(f"  import allocator.cli          {_import_ms(tree):.1f} ms cumulative")
        print(f"  heavy modules after --help    {', '.join(_heavy(tree)) or 'none'}")
    if script_times:
        print(f"allocator --help ({script})  median {statistics.median(script_times):.3f} s  (min {min(script_times):.3f})")
    bare = [_wall([sys.executable, "-c", "pass"], dict(os.environ)) for _ in range(args.runs)]
    print(f"python -c pass (the floor)        median {statistics.median(bare):.3f} s")


if __name__ == "__main__":
    main()
