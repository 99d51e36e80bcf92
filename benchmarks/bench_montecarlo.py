"""Speed of the Monte Carlo engine (figures for the README; not a timed test).

    .venv/bin/python benchmarks/bench_montecarlo.py [--quick]

1. exhaustive Gray-code search (Numba, 8 lanes in lock-step, prange over groups) vs the straightforward NumPy
   enumeration (subset masks in chunks, one BLAS product per chunk) at d = 4, n = 25, in the same run, same data;
   subsets/s, speed-up (goal >= 30x) and the measured drift of the incremental updates;
2. relaxation certificate (Gram, Cholesky, r_LS, exact phi(R_LS)) at (384, 1536) and (768, 3072);
3. box bound r_box with exact phi(R_box) at (384, 1536);
4. first run (cold Numba cache: compile) vs warm run (cache hit) vs in-process repeat.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numba
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexset.decide import decide  # noqa: E402
from indexset.search import exhaustive_search, numpy_enumeration  # noqa: E402

_SNIPPET = ("import time, numpy as np; t = time.perf_counter(); from indexset.search import exhaustive_search; "
            "r = np.random.default_rng(0); exhaustive_search(r.standard_normal((12, 4)), r.standard_normal((4, 12))); "
            "print(time.perf_counter() - t)")


def _subprocess_time(cache_dir: str) -> float:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    out = subprocess.run([sys.executable, "-c", _SNIPPET], capture_output=True, text=True, env=env, cwd=ROOT,
                         check=True)
    return float(out.stdout.strip().splitlines()[-1])


def _layer(rng, d, n):
    return rng.standard_normal((n, d)) / np.sqrt(d), rng.standard_normal((d, n)) / np.sqrt(n)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="n = 22 instead of 25 for the enumeration race")
    ap.add_argument("--repeats", type=int, default=3, help="repeats of the relaxation and box timings (best is shown)")
    args = ap.parse_args(argv)
    rng = np.random.default_rng(0)
    rows = []

    with tempfile.TemporaryDirectory() as cache:
        cold = _subprocess_time(cache)
        warm = _subprocess_time(cache)
    rows.append(("Numba compile: first run (cold cache, new process)", f"{cold:.2f} s", ""))
    rows.append(("Numba compile: warm run (cache hit, new process)", f"{warm:.2f} s", ""))

    d, n = 4, 22 if args.quick else 25
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    exhaustive_search(w_up[:12], w_down[:, :12])  # load from cache outside the timing

    def best_of(fn, repeats):
        """(best wall time, CPU time of that run, result): CPU time (all threads) is what load does not inflate."""
        best = (np.inf, np.inf, None)
        for _ in range(repeats):
            t, c = time.perf_counter(), time.process_time()
            res = fn()
            best = min(best, (time.perf_counter() - t, time.process_time() - c, res), key=lambda x: x[0])
        return best

    # best of several on both sides: the machine is shared
    t_nb, c_nb, nb = best_of(lambda: exhaustive_search(w_up, w_down), 3)
    t_np, c_np, ref = best_of(lambda: numpy_enumeration(w_up, w_down), 1 if args.quick else 2)
    assert nb["subset"] == ref["subset"] and abs(nb["distance"] - ref["distance"]) < 1e-12
    total = 1 << n
    rows.append((f"exhaustive d={d}, n={n}: Numba Gray code ({numba.get_num_threads()} threads)",
                 f"{t_nb:.2f} s", f"{total / t_nb:.3g} subsets/s; CPU {c_nb:.2f} s"))
    rows.append((f"exhaustive d={d}, n={n}: NumPy chunked enumeration", f"{t_np:.2f} s",
                 f"{total / t_np:.3g} subsets/s; CPU {c_np:.2f} s"))
    rows.append(("speed-up Numba / NumPy (same run)", f"{t_np / t_nb:.1f}x",
                 f"goal >= 30x; CPU-time ratio {c_np / c_nb:.1f}x; drift {nb['max_drift_rel']:.1e} of scale "
                 f"(re-anchored every 2^{nb['log_walk']} steps)"))

    def timed(fn, repeats):
        times, res = [], None
        for _ in range(repeats):
            t = time.perf_counter()
            res = fn()
            times.append(time.perf_counter() - t)
        return times, res

    for d, n, goal in ((384, 1536, 1.0), (768, 3072, 5.0)):
        w_up, w_down = _layer(rng, d, n)
        times, res = timed(lambda: decide(w_up, w_down, method="relaxation"), args.repeats)
        assert res["index_set_exists"] is False and res["certificate_verified"]
        rows.append((f"relaxation certificate (d, n) = ({d}, {n})", f"{min(times):.2f} s",
                     f"goal < {goal:g} s; first call {times[0]:.2f} s, best of {len(times)}; r_LS = "
                     f"{res['r_ls']:.4g}, exact phi verified"))
    w_up, w_down = _layer(rng, 384, 1536)
    times, res = timed(lambda: decide(w_up, w_down, method="box"), args.repeats)
    assert res["certificate_verified"]
    rows.append(("box bound (d, n) = (384, 1536)", f"{min(times):.2f} s",
                 f"goal < 5 s; first call {times[0]:.2f} s, best of {len(times)}; r_box = {res['r_box']:.4g}, "
                 f"exact phi verified"))

    print("| measurement | time | note |")
    print("|---|---|---|")
    for name, val, note in rows:
        print(f"| {name} | {val} | {note} |")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\n{os.cpu_count()} CPUs visible, numba threads {numba.get_num_threads()}, load average {load:.1f} at the "
          f"end, numpy {np.__version__}, numba {numba.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
