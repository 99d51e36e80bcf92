"""Meet-in-the-middle (Horowitz-Sahni) decision of the index condition at tolerance tau, for small d and n <= ~50.

Split the n terms into a left part (k terms, all 2^k subset sums kept and sorted) and a right part (2^(n-k) subset
sums streamed in chunks of 2^CHUNK_LOG). Matching is tolerance-aware: sums are compared on one coordinate, the
projection p . vec(.) with a fixed random unit vector p (never a coordinate that could be identically zero), since
|p . vec R| <= ||R||_F; every pair within rho + (rounding bound) on that coordinate is confirmed on all d^2
coordinates, and the best confirmed candidate is checked exactly by the caller. So "no match" means: no S with
||R||_F <= rho = tau ||A/c||_F (a complete search at tolerance tau -- not a certificate, and not a minimum distance).
Work O(2^(n-k) (k + CHUNK) ) comparisons, memory 16 * 2^k bytes plus one chunk.
"""
import time

import numpy as np

from indexset.outcome import Outcome

LEFT_MAX_LOG = 23  # at most 2^23 stored half-sums (~200 MB with the sort permutation)
CHUNK_LOG = 20
MAX_CANDIDATES = 2_000_000  # projected matches to confirm before giving up (degenerate data)
EPS = np.finfo(float).eps


def split(n: int) -> int:
    """Number of left terms k: half, capped so that the stored table stays within LEFT_MAX_LOG."""
    return min((n + 1) // 2, LEFT_MAX_LOG)


def estimate(n: int, d: int) -> dict:
    """Seconds and bytes; constants measured on the 2-core build machine while shared (load ~6)."""
    k = split(n)
    left, right = 2.0 ** k, 2.0 ** (n - k)
    seconds = 2.4e-7 * left * (1 + k / 10) + 4.0e-7 * right * (1 + k / 20) + 1e-5 * n * d * d + 0.005
    return {"seconds": seconds, "bytes": 24.0 * left + 40.0 * min(right, 2.0 ** CHUNK_LOG)}


def subset_sums(x: np.ndarray) -> np.ndarray:
    """All 2^k subset sums of x (k,), indexed by mask (bit i set: x[i] included)."""
    out = np.zeros(1)
    for val in x:
        out = np.concatenate([out, out + val])
    return out


def _mask_rows(masks: np.ndarray, k: int) -> np.ndarray:
    return ((masks[:, None] >> np.arange(k, dtype=np.int64)) & 1).astype(np.float64)


def solve(inst, verify, deadline=None, seed=0, stop=None) -> Outcome:
    """An Outcome: found | none | inconclusive | time_limit | stopped. `verify(subset) -> (residual, exact_zero, within)` is the exact check;
    `stop` (a threading.Event) is polled between chunks: another solver answered first."""
    t0 = time.perf_counter()
    n, d = inst.n, inst.d
    terms = inst.terms()  # (n, d^2)
    vvec = inst.v.ravel()
    rng = np.random.default_rng(seed)
    p = rng.standard_normal(d * d)
    p /= np.linalg.norm(p)
    proj = terms @ p
    pv = float(vvec @ p)
    rho = inst.zero_radius
    # rounding of a sum of up to n projected terms (each product/sum adds <= eps relative), generous factor 4
    # entries near 1e300 overflow these float bounds to inf (a slack that admits every candidate, each then
    # re-checked exactly): correct, so the RuntimeWarning that used to reach the user is silenced here
    with np.errstate(over="ignore", invalid="ignore"):
        mag = float(np.sum(np.abs(proj)) + abs(pv)) + float(np.sum(np.abs(terms) @ np.abs(p)))
        delta = rho * (1 + 1e-9) + 4.0 * (n + d * d) * EPS * mag
        fro_slack = 4.0 * (n + d * d) * EPS * (float(np.sum(np.linalg.norm(terms, axis=1))) + inst.v_norm)
    k = split(n)
    left = subset_sums(proj[:k])
    left_sorted_perm = np.argsort(left, kind="stable")
    left_sorted = left[left_sorted_perm]
    del left
    if stop is not None and stop.is_set():
        return Outcome("stopped", elapsed=time.perf_counter() - t0,
                       message="meet-in-the-middle stopped: HiGHS answered first")
    nr = n - k
    low_log = min(nr, CHUNK_LOG)
    low = subset_sums(proj[k:k + low_log])
    # needles sorted once (descending low -> ascending wanted value): sorted lookups are cache-friendly (~30x)
    low_perm = np.argsort(low, kind="stable")[::-1]
    low_desc = low[low_perm]
    high_terms = proj[k + low_log:]
    t_left, t_right = terms[:k], terms[k:]
    candidates = 0
    best = None
    for h in range(1 << (nr - low_log)):
        if stop is not None and stop.is_set():
            return Outcome("stopped", elapsed=time.perf_counter() - t0, candidates=candidates,
                           message="meet-in-the-middle stopped: HiGHS answered first")
        if deadline is not None and time.perf_counter() > deadline:
            return Outcome("time_limit", elapsed=time.perf_counter() - t0, candidates=candidates,
                           message="meet-in-the-middle stopped at its time limit")
        off = pv + sum(float(high_terms[j]) for j in range(len(high_terms)) if (h >> j) & 1)
        need = -(low_desc + off)  # left value wanted for each right sum, ascending
        lo = np.searchsorted(left_sorted, need - delta, side="left")
        hi = np.searchsorted(left_sorted, need + delta, side="right")
        cnt = hi - lo
        hit = np.flatnonzero(cnt)
        if hit.size == 0:
            continue
        total = int(cnt[hit].sum())
        candidates += total
        if candidates > MAX_CANDIDATES:
            return Outcome("inconclusive", elapsed=time.perf_counter() - t0, candidates=candidates,
                           message=f"more than {MAX_CANDIDATES} projected matches (degenerate data)")
        r_low = low_perm[np.repeat(hit, cnt[hit])]
        starts = np.repeat(lo[hit], cnt[hit])
        offs = np.arange(total) - np.repeat(np.cumsum(cnt[hit]) - cnt[hit], cnt[hit])
        l_masks = left_sorted_perm[starts + offs].astype(np.int64)
        r_masks = r_low.astype(np.int64) | (np.int64(h) << low_log)
        full = vvec + _mask_rows(l_masks, k) @ t_left + _mask_rows(r_masks, nr) @ t_right
        norms = np.linalg.norm(full, axis=1)
        ok = np.flatnonzero(norms <= rho * (1 + 1e-9) + fro_slack)
        for j in ok[np.argsort(norms[ok], kind="stable")]:
            lm, rm = int(l_masks[j]), int(r_masks[j])
            subset = [i for i in range(k) if (lm >> i) & 1] + [k + i for i in range(nr) if (rm >> i) & 1]
            resid, exact_zero, within = verify(subset)
            if within:
                best = (subset, resid, exact_zero)
                break
        if best is not None:
            break
    elapsed = time.perf_counter() - t0
    if best is not None:
        return Outcome("found", tuple(best[0]), best[1], best[2], elapsed, candidates=candidates)
    return Outcome("none", elapsed=elapsed, candidates=candidates,
                   message=f"no S within tau (complete search of 2^{n} subsets, split {k}+{nr})")
