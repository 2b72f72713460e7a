"""Time the DEA engine at 1,000 and 10,000 DMUs: scores, full ``dea()``, and the ``allocator dea`` CLI.

Usage:
    python benchmarks/dea_bench.py [--sizes 1000 10000] [--repeat 5] [--check 200] [--highs]

Data: 3 inputs, 4 outputs, Cobb-Douglas-like outputs with half-normal
inefficiency from a fixed seed (``make_data``), input orientation. Measures:

    ccr scores / bcc scores  phase one only (theta per DMU), frame search included;
    ccr dea() / bcc dea()    ``dea(...)``: scores, max-slack phase two, peers, returns to scale;
    ccr cli / bcc cli        ``allocator dea`` on a CSV in a temporary folder, run as a
                             subprocess (Python start-up, imports, reading, writing included);
    ... HiGHS                with --highs: the same scores or ``dea()`` results computed one
                             DMU at a time by HiGHS (the engine's fallback, and how every
                             DMU was scored before the frame-first batch).

Every measure runs ``--repeat`` times; the rounds interleave all measures (A, B, A, B, ...)
so a burst of load from other processes hits them alike, and the table shows medians with
the fastest and slowest run. The load average is printed at the start and the end. The
accuracy line compares theta with one ``scipy.optimize.linprog`` call per DMU (every DMU in
the LP) on ``--check`` DMUs drawn at random.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linprog

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from allocator.dea import dea  # noqa: E402
from allocator.dea.envelopment import radial_scores, returns_to_scale_highs, solve_radial  # noqa: E402
from allocator.dea.scaling import Scaling  # noqa: E402

#: Header of the result table (docs/dea.md quotes the table under it).
HEADER = f"{'DMUs':>6}  {'measure':<22} {'median_s':>9} {'min_s':>8} {'max_s':>8}"


def make_data(n: int, m: int = 3, s: int = 4, seed: int = 2024) -> tuple[np.ndarray, np.ndarray]:
    """Cobb-Douglas-like outputs of uniform inputs, times exp(-|u|) inefficiency."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 10.0, (n, m))
    alpha = rng.uniform(0.1, 0.4, (s, m))
    y = np.exp(np.log(x) @ alpha.T) * rng.uniform(0.5, 1.0, (n, s))
    return x, y * np.exp(-np.abs(rng.normal(0.0, 0.3, (n, 1))))


def scipy_theta(x: np.ndarray, y: np.ndarray, dmus: np.ndarray, vrs: bool) -> np.ndarray:
    """Input-oriented theta of each DMU in ``dmus`` by one linprog call each (full LP)."""
    n, m = x.shape
    s = y.shape[1]
    a_ub = np.zeros((m + s, n + 1))
    a_ub[:m, 1:] = x.T
    a_ub[m:, 1:] = -y.T
    c = np.zeros(n + 1)
    c[0] = 1.0
    eq = dict(A_eq=np.r_[0.0, np.ones(n)][None, :], b_eq=[1.0]) if vrs else {}
    out = np.empty(len(dmus))
    for k, o in enumerate(dmus):
        a_ub[:m, 0] = -x[o]
        res = linprog(c, A_ub=a_ub, b_ub=np.r_[np.zeros(m), -y[o]], bounds=(0, None), method="highs", **eq)
        out[k] = res.fun if res.status == 0 else np.nan
    return out


def scores(x: np.ndarray, y: np.ndarray, vrs: bool) -> np.ndarray:
    """Phase-one theta of every DMU by the engine (frame search and batch)."""
    sc = Scaling.from_data((x, y))
    xs, ys = sc.inputs(x), sc.outputs(y)
    return radial_scores(xs, ys, xs, ys, orientation="input", vrs=vrs)[0]


def highs_scores(x: np.ndarray, y: np.ndarray, vrs: bool) -> np.ndarray:
    """Phase-one theta of every DMU by HiGHS, one LP at a time."""
    sc = Scaling.from_data((x, y))
    xs, ys = sc.inputs(x), sc.outputs(y)
    return radial_scores(xs, ys, xs, ys, orientation="input", vrs=vrs, batch=False)[0]


def highs_full(x: np.ndarray, y: np.ndarray, vrs: bool) -> None:
    """Two-phase results and returns to scale, every DMU by HiGHS one at a time."""
    sc = Scaling.from_data((x, y))
    xs, ys = sc.inputs(x), sc.outputs(y)
    raw = solve_radial(xs, ys, xs, ys, orientation="input", vrs=vrs, super_efficiency=False)
    returns_to_scale_highs(xs, ys, orientation="input", ccr=None if vrs else raw)


def cli_run(csv: Path, out_dir: Path, model: str) -> None:
    """``allocator dea`` as a new process writing a new file."""
    out = out_dir / f"{model}-{time.perf_counter_ns()}.csv"
    cmd = [sys.executable, "-m", "allocator", "dea", str(csv), "--id", "unit", "--inputs", "x1,x2,x3"]
    cmd += ["--outputs", "y1,y2,y3,y4", "--model", model, "--orientation", "input", "--out", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"allocator dea failed ({done.returncode}): {done.stderr[-2000:]}")


def write_csv(x: np.ndarray, y: np.ndarray, path: Path) -> None:
    cols = {"unit": [f"U{i:05d}" for i in range(len(x))]}
    cols.update({f"x{i + 1}": x[:, i] for i in range(x.shape[1])})
    cols.update({f"y{r + 1}": y[:, r] for r in range(y.shape[1])})
    pd.DataFrame(cols).to_csv(path, index=False)


#: Every measure the table can show ("... HiGHS" only with --highs), in table order.
MEASURES = (
    "ccr scores",
    "ccr scores HiGHS",
    "bcc scores",
    "bcc scores HiGHS",
    "ccr dea()",
    "ccr dea() HiGHS",
    "bcc dea()",
    "bcc dea() HiGHS",
    "ccr cli",
    "bcc cli",
)


def tasks(n: int, tmp: Path, highs: bool) -> list[tuple[str, Callable[[], object]]]:
    """The measures at ``n`` DMUs, in :data:`MEASURES` order."""
    x, y = make_data(n)
    csv = tmp / f"dea-{n}.csv"
    write_csv(x, y, csv)
    run: dict[str, Callable[[], object]] = {}
    for model in ("ccr", "bcc"):
        vrs = model == "bcc"
        run[f"{model} scores"] = lambda vrs=vrs: scores(x, y, vrs)
        run[f"{model} scores HiGHS"] = lambda vrs=vrs: highs_scores(x, y, vrs)
        run[f"{model} dea()"] = lambda model=model: dea(x, y, model=model, orientation="input")
        run[f"{model} dea() HiGHS"] = lambda vrs=vrs: highs_full(x, y, vrs)
        run[f"{model} cli"] = lambda model=model: cli_run(csv, tmp, model)
    return [(name, run[name]) for name in MEASURES if highs or not name.endswith("HiGHS")]


def accuracy(n: int, check: int) -> str:
    x, y = make_data(n)
    sample = np.random.default_rng(7).choice(n, size=min(check, n), replace=False)
    parts = []
    for model in ("ccr", "bcc"):
        theta = scores(x, y, model == "bcc")
        diff = float(np.max(np.abs(scipy_theta(x, y, sample, model == "bcc") - theta[sample])))
        parts.append(f"{model} {diff:.1e}")
    return f"{n:>6}  max |theta - scipy| over {len(sample)} random DMUs: " + ", ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=5, help="runs of every measure (default 5)")
    parser.add_argument("--check", type=int, default=200, help="DMUs checked against scipy per size (default 200)")
    parser.add_argument("--highs", action="store_true", help="also time the one-DMU-at-a-time HiGHS engine")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(HEADER)
    print("-" * len(HEADER))
    with tempfile.TemporaryDirectory(prefix="dea-bench-") as tmp:
        for n in sorted(args.sizes):
            work = tasks(n, Path(tmp), args.highs)
            times: dict[str, list[float]] = {name: [] for name, _ in work}
            for _ in range(args.repeat):
                for name, fn in work:
                    start = time.perf_counter()
                    fn()
                    times[name].append(time.perf_counter() - start)
            for name, _ in work:
                t = np.array(times[name])
                print(f"{n:>6}  {name:<22} {np.median(t):>9.3f} {t.min():>8.3f} {t.max():>8.3f}")
    for n in sorted(args.sizes):
        print(accuracy(n, args.check))
    print("load average at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"medians of {args.repeat} interleaved runs; input orientation, 3 inputs, 4 outputs")


if __name__ == "__main__":
    main()
