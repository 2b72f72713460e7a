"""Time and peak memory of refusing each resource bomb of the hardening issue (#12).

Each bomb is built in a temporary folder and run as a fresh ``python -m allocator`` process; the table gives
the exit code, the median wall and CPU time and the largest peak resident memory of ``--repeat`` runs
(all include starting Python and importing the package; the first row, validating the hand-worked example,
is that baseline). CPU time is the steadier figure on a shared machine. Target: every bomb refused
(exit 1) in under 2 s and 200 MB.

Run: ``python benchmarks/bomb_bench.py [--repeat 3]`` (building the 1.6 GB zip bomb takes a few seconds).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import hostile_inputs as h  # noqa: E402

EXAMPLE = ROOT / "scenarios" / "examples" / "two_programmes.yaml"


def run(args: list[str], cwd: Path) -> tuple[int, float, float, str, float]:
    """(exit code, wall seconds, peak MB, first line of stderr, CPU seconds) of one allocator process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "allocator", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, seconds, usage.ru_maxrss / 1024, (err.splitlines() or [""])[0], usage.ru_utime + usage.ru_stime


def build(work: Path) -> dict[str, list[str]]:
    """Every bomb of the issue, as the command line that meets it."""
    subprocess.run([sys.executable, "-m", "allocator", "convert", str(EXAMPLE), "--to", "S"], cwd=work, check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "allocator", "convert", "S", "--to", "w.xlsx"], cwd=work, check=True, capture_output=True)
    h.yaml_alias_bomb(work / "S", work / "alias")
    h.override_bomb(work / "bomb.yaml")
    h.far_cell_workbook(work / "w.xlsx", work / "far.xlsx")
    h.zip_bomb_workbook(work / "w.xlsx", work / "zip.xlsx", 1600)
    return {
        "baseline: validate the hand-worked example": ["validate", "S"],
        f"YAML alias bomb ({(work / 'alias' / 'scenario.yaml').stat().st_size:,} B)": ["plan", "alias", "--out", "o1"],
        f"--override alias bomb ({(work / 'bomb.yaml').stat().st_size:,} B)": ["plan", "S", "--override", "bomb.yaml", "--out", "o2"],
        f"xlsx with a value at XFD1048576 ({(work / 'far.xlsx').stat().st_size:,} B)": ["plan", "far.xlsx", "--out", "o3"],
        f"xlsx zip bomb, 1.6 GB inside ({(work / 'zip.xlsx').stat().st_size:,} B)": ["plan", "zip.xlsx", "--out", "o4"],
        "whatif sweep --increment 0:1:1e-9": ["whatif", "sweep", "S", "--increment", "0:1:1e-9", "--out", "o5"],
        "whatif risk --draws 1e9": ["whatif", "risk", "S", "--draws", "1000000000", "--out", "o6"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cases = build(work)
        print(f"{'bomb':<52} {'exit':>4} {'wall s':>7} {'CPU s':>6} {'peak MB':>8}  message")
        for name, argv in cases.items():
            runs = [run(argv, work) for _ in range(args.repeat)]
            codes = {r[0] for r in runs}
            print(
                f"{name:<52} {'/'.join(map(str, sorted(codes))):>4} {statistics.median(r[1] for r in runs):>7.2f} "
                f"{statistics.median(r[4] for r in runs):>6.2f} {max(r[2] for r in runs):>8.0f}  {runs[0][3][:80]}"
            )


if __name__ == "__main__":
    main()
