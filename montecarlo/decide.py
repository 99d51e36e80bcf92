"""Deciding the index-set condition V + sum_{i in S} a_i b_i^T = 0 (V = A/c) for given weights: the `auto` policy.

- full-rank decision (G positive definite, generic for n <= d^2): the unique real solution s_LS is rounded; a 0/1
  solution with (numerically) zero residual is the index set, otherwise the exact certificate phi(R_LS) refutes;
- exhaustive Gray-code search when n <= EXHAUSTIVE_AUTO_MAX_N;
- otherwise the box relaxation with phi(R_box); if nothing is certified the answer is an honest null.
"""
import time
from fractions import Fraction

import numpy as np

from montecarlo import certificate as cert
from montecarlo.gram import skip_over_c
from montecarlo.search import MAX_N, exhaustive_search
from symbolic.errors import InputError

METHODS = ("auto", "exhaustive", "relaxation", "box")
EXHAUSTIVE_AUTO_MAX_N = 26
EXHAUSTIVE_AUTO_MAX_WORK = 4e10  # 2^n d^2 flops: about half a minute on two cores
ROUND_TOL = 1e-6
ZERO_TOL = 1e-9  # residual counts as zero when <= ZERO_TOL * (||V|| + sum_S ||a_i|| ||b_i||)


def _zero_tol(w_down, w_up, v, subset) -> float:
    s = list(subset)
    return ZERO_TOL * (np.linalg.norm(v) + float(np.sum(np.linalg.norm(w_down[:, s], axis=0)
                                                        * np.linalg.norm(w_up[s, :], axis=1))))


def _existence(w_down, w_up, v, subset, skip, c) -> dict:
    r = v + w_down[:, subset] @ w_up[subset, :]
    dist = float(np.linalg.norm(r))
    ok = dist <= _zero_tol(w_down, w_up, v, subset)
    exact_zero = cert.residual_is_exactly_zero(w_down, w_up, subset, skip, c) if ok else False
    return {"distance": dist, "zero": ok, "exact_zero": exact_zero}


def _certify_with(w_down, w_up, y, skip, c, name) -> dict:
    chk = cert.verify_certificate(w_down, w_up, y, skip, c)
    return {"certificate": name, "certificate_verified": chk["verified"],
            "distance_lower_bound": chk["lower_bound"], "phi": chk["phi"]}


def decide(w_up, w_down, c=Fraction(1), method="auto", skip=None) -> dict:
    """The `absorb certify` answer. w_up is (n, d), w_down is (d, n); skip is A (default identity)."""
    if method not in METHODS:
        raise InputError(f"unknown method {method!r}: choose one of {', '.join(METHODS)}")
    t0 = time.perf_counter()
    c = Fraction(c)
    w_up = np.ascontiguousarray(w_up, dtype=np.float64)
    w_down = np.ascontiguousarray(w_down, dtype=np.float64)
    d, n = w_down.shape
    if method == "exhaustive" and n > MAX_N:
        raise InputError(f"--method exhaustive enumerates 2^n subsets and needs n <= {MAX_N}; got n = {n} "
                         f"(use --method relaxation or box)")
    v = skip_over_c(d, skip, c)
    out = {"d": d, "n": n, "c": str(c), "method": method, "index_set_exists": None, "subset": None,
           "distance": None, "distance_lower_bound": 0.0, "certificate": None, "certificate_verified": None}
    steps = []

    def finish():
        out["steps"] = steps
        out["elapsed_s"] = round(time.perf_counter() - t0, 4)
        return out

    def run_exhaustive():
        res = exhaustive_search(w_down, w_up, v)
        steps.append("exhaustive")
        out["distance"] = res["distance"]
        out["max_drift_rel"] = res["max_drift_rel"]
        ex = _existence(w_down, w_up, v, res["subset"], skip, c) if res["subset"] else {"zero": False}
        if ex["zero"]:
            out.update(index_set_exists=True, subset=res["subset"], distance_lower_bound=0.0,
                       certificate="existence", certificate_verified=ex["exact_zero"])
        else:
            # exhaustive minimum is the distance; the enumeration itself is the (floating-point) proof
            out.update(index_set_exists=False, distance_lower_bound=res["distance"], certificate="enumeration",
                       certificate_verified=None)
        return out

    if method == "exhaustive":
        return finish() if run_exhaustive() else None

    fac = cert.factor_gram(w_down, w_up, v)
    if method in ("auto", "relaxation"):
        ls = cert.least_squares(w_down, w_up, v, fac)
        steps.append("least-squares")
        out["r_ls"] = ls["r"]
        out["gram_full_rank"] = ls["full_rank"]
        if ls["full_rank"]:
            s = ls["s"]
            s_hat = np.rint(s)
            if np.all((s_hat == 0) | (s_hat == 1)) and np.max(np.abs(s - s_hat)) <= ROUND_TOL:
                subset = [int(i) for i in np.flatnonzero(s_hat)]
                ex = _existence(w_down, w_up, v, subset, skip, c) if subset else {"zero": False}
                steps.append("round")
                if ex["zero"]:
                    out.update(index_set_exists=True, subset=subset, distance=ex["distance"],
                               certificate="existence", certificate_verified=ex["exact_zero"])
                    return finish()
        ce = _certify_with(w_down, w_up, ls["residual"], skip, c, "farkas-ls")
        steps.append("farkas-ls")
        if ce["certificate_verified"]:
            out.update(index_set_exists=False, **ce)
            return finish()
        if method == "relaxation":
            out.update(ce)
            return finish()
        if n <= EXHAUSTIVE_AUTO_MAX_N and (1 << n) * d * d <= EXHAUSTIVE_AUTO_MAX_WORK:
            return finish() if run_exhaustive() else None
    # box relaxation
    bx = cert.box(w_down, w_up, v, fac)
    steps.append("box")
    out["r_box"] = bx["r"]
    ce = _certify_with(w_down, w_up, bx["residual"], skip, c, "farkas-box")
    steps.append("farkas-box")
    if ce["certificate_verified"]:
        out.update(index_set_exists=False, **ce)
    else:
        out.update(ce)
        s_hat = np.rint(bx["s"])
        if np.max(np.abs(bx["s"] - s_hat)) <= ROUND_TOL and s_hat.any():
            subset = [int(i) for i in np.flatnonzero(s_hat)]
            ex = _existence(w_down, w_up, v, subset, skip, c)
            if ex["zero"]:
                out.update(index_set_exists=True, subset=subset, distance=ex["distance"], certificate="existence",
                           certificate_verified=ex["exact_zero"], distance_lower_bound=0.0)
    return finish()
