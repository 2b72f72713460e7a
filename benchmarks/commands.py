"""Timing allocator commands as a user runs them (a new process each, process start included), for the benchmarks.

``run`` returns the wall time, the run folder's manifest and the process's peak memory; ``alternate`` runs several
commands in turn (A, B, A, B, ...) so that load from other jobs falls on all of them alike; ``load`` is the
machine's load average, printed with every table because figures taken while other jobs run are noisy.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "scenarios" / "zjut-2021-2025"
_PEAK = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(done.returncode)"
)


def load() -> str:
    """The load average, as printed with each table."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def scenario_folder(size: str, tmp: Path) -> Path:
    """``bundled`` or a number of units: ``make_scenario(units, initiatives=25, lumpy=2)`` written as a scenario folder."""
    if size == "bundled":
        return BUNDLED
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import make_scenario

    from allocator.io.scenario_files import write_scenario_folder

    folder = tmp / f"synthetic-{size}"
    if not (folder / "scenario.yaml").exists():
        write_scenario_folder(make_scenario(units=int(size), initiatives=25, lumpy=2), folder)
    return folder


def run(args: list[str], tmp: Path) -> tuple[float, dict, float]:
    """Seconds for one ``allocator`` command in a new process, its manifest, and its peak memory in MiB."""
    out = tmp / f"run-{time.monotonic_ns()}"
    cmd = [sys.executable, "-c", _PEAK, sys.executable, "-m", "allocator", "-q", *args, "--out", str(out)]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"allocator {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-800:]}")
    peak_kib = float(done.stderr.strip().splitlines()[-1])
    return seconds, json.loads((out / "manifest.json").read_text(encoding="utf-8")), peak_kib / 1024


def alternate(commands: dict[str, list[str]], repeat: int, tmp: Path) -> dict[str, list[tuple[float, dict, float]]]:
    """Each command ``repeat`` times, in turn; every run's (seconds, manifest, peak MiB) by name."""
    out: dict[str, list[tuple[float, dict, float]]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, args in commands.items():
            out[name].append(run(args, tmp))
    return out


def median(runs: list[tuple[float, dict, float]]) -> float:
    """Median seconds of some runs."""
    return statistics.median(r[0] for r in runs)


def proven_gap(manifest: dict) -> str:
    """The largest relative gap the run's stages proved, as printed (``?`` where none is recorded)."""
    stages = manifest.get("stages", [])
    gaps = [s.get("mip_gap") for s in stages if s.get("mip_gap") is not None]
    return f"{max(gaps):.1e}" if gaps else "?"
