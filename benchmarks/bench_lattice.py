"""The lattice engine against HiGHS, meet-in-the-middle and `auto` (issue 20), and on market-split instances.

    .venv/bin/python benchmarks/bench_lattice.py [--cap SECONDS] [--quick]

Part 1, one run, the same instances in every column: d = 4 at n = 80 and 96, d = 3 at n = 56 and 64, d = 2 at
n = 48; planted, near-miss (planted set perturbed by 1e-4) and random instances from bench_portfolio's generator
(seed 1000 d + n). Columns: `--method lattice`, HiGHS alone (`--method milp`, capped at --cap seconds; a capped cell
counts as the cap), meet-in-the-middle where its estimate fits the cap, and `auto`. Cells under 0.5 s are the best of
3 calls. The last column is HiGHS alone over auto.

Part 2, the outside benchmark: market-split instances from the published generator (Cornuejols and Dawande 1999:
a_ij uniform integers in [0, 99], d_i = floor(sum_j a_ij / 2), n = 10 (m - 1); numpy default_rng(seed), seeds 0 and
1, m = 4..7) through the same lattice core (`indexset.lattice.solve_integer`, deadline --cap) and HiGHS
(scipy.optimize.milp, equality rows, time limit --cap). Every "found" is checked in integer arithmetic.

Part 3, certified answers: `indexset.api.certify_pair(..., activation="relu")` on the near and random instances of
part 1 (certify: decide, then lattice evidence or the Lemma 8.2 tree), then the independent checker on the certificate
(`checker.check`, exact enumeration). Columns: the evidence, the distance lower bound the user reads, the checker's
verdict and nodes, and the two times. `--certified-only` runs this part alone.

The tables are printed and written to build/bench/lattice.md.
"""
import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_portfolio import instance, timed  # noqa: E402
from indexset import lattice, methods  # noqa: E402
from indexset.decide import decide  # noqa: E402
from symbolic.io import write_text_atomic  # noqa: E402
from symbolic.paths import build_dir  # noqa: E402

GRID = {4: (80, 96), 3: (56, 64), 2: (48,)}
QUICK = {4: (80,), 3: (56,), 2: (48,)}
MARKET = (4, 5, 6, 7)
SEEDS = (0, 1)

SHORT = {"farkas-ls": "Farkas", "farkas-box": "Farkas", "enumeration": "enum", "milp-infeasible": "HiGHS-inf",
         "meet-in-the-middle": "MITM", "lattice-search": "lattice-search", "existence": "found"}


def cell(t, res, cap=None) -> str:
    if res.index_set_exists is None:
        return f"> {cap:g} s (undecided)" if cap else f"{t:.3g} s (undecided)"
    return f"{t:.3g} s ({SHORT[res.certificate]})"


def portfolio_table(grid, cap) -> list:
    lines = ["| d | n | instance | lattice | HiGHS alone | meet-in-the-middle | auto | HiGHS / auto |",
             "|---|---|---|---|---|---|---|---|"]
    print("\n".join(lines), flush=True)
    for d, ns in grid.items():
        for n in ns:
            for kind in ("planted", "near", "random"):
                w_up, w_down = instance(kind, d, n, seed=1000 * d + n)
                t_lat, r_lat = timed(lambda: decide(w_up, w_down, method="lattice"))
                lat_k = next((s for s in r_lat.steps if s.startswith("lattice")), "")
                t_milp, r_milp = timed(lambda: decide(w_up, w_down, method="milp"))
                milp_s = cell(t_milp, r_milp, cap)
                t_milp_eff = cap if r_milp.index_set_exists is None else t_milp
                est = methods.REGISTRY["mitm"].estimate(n, d)["seconds"]
                if n <= methods.MITM_MAX_N and est <= cap:
                    t_mitm, r_mitm = timed(lambda: decide(w_up, w_down, method="mitm", force=True))
                    mitm_s = cell(t_mitm, r_mitm)
                elif n > methods.MITM_MAX_N:
                    r_mitm, mitm_s = None, f"(n > {methods.MITM_MAX_N})"
                else:
                    r_mitm, mitm_s = None, f"(est. {methods.format_seconds(est)})"
                t_auto, r_auto = timed(lambda: decide(w_up, w_down, method="auto"))
                answers = {r.index_set_exists for r in (r_lat, r_milp, r_mitm, r_auto) if r is not None} - {None}
                assert len(answers) <= 1, (d, n, kind, answers)  # the columns never contradict each other
                ratio = f"{t_milp_eff / t_auto:.3g}" + ("+" if r_milp.index_set_exists is None else "")
                row = (f"| {d} | {n} | {kind} | {cell(t_lat, r_lat)} {lat_k[lat_k.find('K ='):].rstrip(')')} | "
                       f"{milp_s} | {mitm_s} | {cell(t_auto, r_auto)} | {ratio} |")
                print(row, flush=True)
                lines.append(row)
    return lines


def highs_integer(a, b, cap):
    from scipy.optimize import Bounds, LinearConstraint, milp
    t = time.perf_counter()
    res = milp(np.zeros(a.shape[1]), constraints=[LinearConstraint(a, b, b)], integrality=np.ones(a.shape[1]),
               bounds=Bounds(0, 1), options={"time_limit": cap, "presolve": True})
    dt = time.perf_counter() - t
    if res.status == 2:
        return dt, "infeasible"
    if res.status == 0 and res.x is not None:
        x = np.rint(res.x).astype(np.int64)
        assert np.array_equal(a @ x, b)
        return dt, "found"
    return dt, "time limit" if res.status == 1 else f"status {res.status}"


def market_table(cap) -> list:
    lines = ["| m | n | seed | lattice | HiGHS alone |", "|---|---|---|---|---|"]
    print("\n" + "\n".join(lines), flush=True)
    for m in MARKET:
        for seed in SEEDS:
            a, b = lattice.market_split(m, seed)
            t = time.perf_counter()
            out = lattice.solve_integer(a, b, deadline=time.perf_counter() + cap)
            t_lat = time.perf_counter() - t
            if out.status == "found":
                x = np.zeros(a.shape[1], dtype=np.int64)
                x[list(out.subset)] = 1
                assert np.array_equal(a @ x, b)
            t_h, h = highs_integer(a, b, cap)
            assert {out.status, h} != {"found", "infeasible"} and not (out.status == "none" and h == "found")
            lat_s = f"> {cap:g} s (stopped)" if out.status in ("time_limit", "inconclusive") else f"{t_lat:.3g} s ({out.status})"
            h_s = f"> {cap:g} s (time limit)" if h == "time limit" else f"{t_h:.3g} s ({h})"
            row = f"| {m} | {a.shape[1]} | {seed} | {lat_s} | {h_s} |"
            print(row, flush=True)
            lines.append(row)
    return lines


def certified_table(grid) -> list:
    import re

    from indexset.api import certify_pair
    lines = ["| d | n | instance | evidence | distance >= | checker | certify | check |",
             "|---|---|---|---|---|---|---|---|"]
    print("\n" + "\n".join(lines), flush=True)
    for d, ns in grid.items():
        for n in ns:
            for kind in ("near", "random"):
                w_up, w_down = instance(kind, d, n, seed=1000 * d + n)
                t = time.perf_counter()
                cert, out = certify_pair(w_up, w_down, activation="relu", check=False)
                t_cert = time.perf_counter() - t
                t = time.perf_counter()
                verdict = cert.check()
                t_check = time.perf_counter() - t
                nodes = re.search(r"(\d+) nodes", verdict.message)
                status = verdict.status + (f", {nodes.group(1)} nodes" if nodes else "")
                bound = "-" if cert.distance_lower_bound is None else f"{float(cert.distance_lower_bound):.3g}"
                row = (f"| {d} | {n} | {kind} | {cert.evidence.kind} | {bound} | {status} | {t_cert:.3g} s | "
                       f"{t_check:.3g} s |")
                print(row, flush=True)
                lines.append(row)
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cap", type=float, default=60.0, help="seconds per HiGHS / lattice cell (default 60)")
    ap.add_argument("--quick", action="store_true", help="a smaller grid, no market split beyond m = 5")
    ap.add_argument("--certified-only", action="store_true", help="part 3 alone (certify + check)")
    args = ap.parse_args(argv)
    methods.MILP_TIME_LIMIT = args.cap  # HiGHS's limit, alone and inside auto
    decide(*instance("random", 2, 24, 0), method="milp")  # scipy/HiGHS import outside the timings
    lattice.solve_integer(*lattice.market_split(4, 99))  # fpylll import outside the timings
    t_all = time.perf_counter()
    global MARKET
    if args.quick:
        MARKET = (4, 5)
    grid = QUICK if args.quick else GRID
    if args.certified_only:
        lines = certified_table(grid)
    else:
        lines = portfolio_table(grid, args.cap)
        lines += [""] + market_table(args.cap)
        lines += [""] + certified_table(grid)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    tail = (f"whole run {time.perf_counter() - t_all:.0f} s; cap {args.cap:g} s per HiGHS / lattice cell; "
            f"{os.cpu_count()} CPUs, shared; load average {load:.1f} at the end")
    print("\n" + tail)
    write_text_atomic(build_dir() / "bench" / "lattice.md", "\n".join(lines + ["", tail]) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
