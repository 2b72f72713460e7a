"""Time the DEA engine against a plain scipy.optimize.linprog loop over the same LPs.

Usage:
    python benchmarks/dea_bench.py [--sizes 100 1000 10000] [--scipy-max 1000] [--check 200]

For each size and model (CCR and BCC, input-oriented; 3 inputs, 4 outputs,
Cobb-Douglas-like data with half-normal inefficiency from a fixed seed) it
prints:
    ours_scores   phase one only (theta per DMU): the same LPs scipy solves;
    ours_full     ``dea(...)``: scores, max-slack phase two, returns to scale;
    scipy         one ``linprog(method="highs")`` call per DMU, every DMU in
                  every LP; above --scipy-max DMUs it is extrapolated from the
                  largest measured size as ~N^2 (each of N LPs has N columns)
                  and marked with '~';
    max_abs_diff  largest |theta_ours - theta_scipy| over all DMUs (or, where
                  scipy is extrapolated, over --check DMUs drawn at random).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.optimize import linprog

from allocator.dea import dea
from allocator.dea.envelopment import radial_scores
from allocator.dea.scaling import Scaling


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


def timed(fn, *args, **kw):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn(*args, **kw)
    return value, time.perf_counter() - start


def bench_one(n: int, model: str, scipy_max: int, check: int, scipy_times: dict[str, tuple[int, float]]) -> dict[str, object]:
    x, y = make_data(n)
    vrs = model == "bcc"
    sc = Scaling.from_data((x, y))
    xs, ys = sc.inputs(x), sc.outputs(y)
    (theta, _), t_scores = timed(radial_scores, xs, ys, xs, ys, orientation="input", vrs=vrs)
    _, t_full = timed(dea, x, y, model=model, orientation="input")
    if n <= scipy_max:
        ref, t_scipy = timed(scipy_theta, x, y, np.arange(n), vrs)
        diff = float(np.max(np.abs(ref - theta)))
        scipy_times[model] = (n, t_scipy)
        scipy_label = f"{t_scipy:9.3f}"
    else:
        base_n, base_t = scipy_times[model]
        t_scipy = base_t * (n / base_n) ** 2
        sample = np.random.default_rng(7).choice(n, size=min(check, n), replace=False)
        ref = scipy_theta(x, y, sample, vrs)
        diff = float(np.max(np.abs(ref - theta[sample])))
        scipy_label = f"~{t_scipy:8.1f}"
    return dict(n=n, model=model, scores=t_scores, full=t_full, scipy=scipy_label, ratio=t_scipy / t_scores, diff=diff)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--scipy-max", type=int, default=1000, help="largest size for which the scipy loop is run in full (default 1000)")
    parser.add_argument("--check", type=int, default=200, help="DMUs checked against scipy where its time is extrapolated (default 200)")
    args = parser.parse_args()
    head = f"{'DMUs':>6} {'model':>5} {'ours_scores_s':>13} {'ours_full_s':>11} {'scipy_s':>9} {'scipy/ours':>10} {'max_abs_diff':>12}"
    print(head)
    print("-" * len(head))
    scipy_times: dict[str, tuple[int, float]] = {}
    for n in sorted(args.sizes):
        for model in ("ccr", "bcc"):
            r = bench_one(n, model, args.scipy_max, args.check, scipy_times)
            print(
                f"{r['n']:>6} {r['model']:>5} {r['scores']:>13.3f} {r['full']:>11.3f} {r['scipy']:>9} "
                f"{r['ratio']:>10.0f} {r['diff']:>12.1e}"
            )
    print(
        "input-oriented, 3 inputs, 4 outputs; '~' = scipy time extrapolated as N^2 from the largest "
        "full run, its max_abs_diff over a random sample"
    )


if __name__ == "__main__":
    main()
