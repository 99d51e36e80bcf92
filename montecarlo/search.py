"""Exhaustive search over all 2^n index sets by Gray code (BLUEPRINT §8): one rank-one update per step.

The subset space is cut into 2^n / CHUNK chunks of consecutive Gray-code ranks, processed in parallel with prange.
Each chunk starts from a freshly computed anchor V + sum_{i in S} a_i b_i^T (this is the periodic re-anchoring, every
CHUNK steps), keeps its own best value, and measures its floating-point drift against a fresh recomputation at its
last subset. The per-chunk results are reduced in chunk order, so the answer does not depend on the thread count.
"""
import numba
import numpy as np
from numba import prange

from montecarlo.weights import MAX_EXHAUSTIVE_N as MAX_N
from symbolic.errors import InputError

LOG_CHUNK = 12  # re-anchor every 4096 steps


@numba.njit(cache=True, inline="always")
def _ctz(t):
    i = 0
    while (t & 1) == 0:
        t >>= 1
        i += 1
    return i


@numba.njit(cache=True)
def _anchor(w_down, w_up, v, g, n, out):
    d = v.shape[0]
    for r in range(d):
        for s in range(d):
            out[r, s] = v[r, s]
    for i in range(n):
        if (g >> i) & 1:
            for r in range(d):
                ar = w_down[r, i]
                for s in range(d):
                    out[r, s] += ar * w_up[i, s]


@numba.njit(parallel=True, cache=True, fastmath=True)
def _gray_chunks(w_down, w_up, v, outer, n, log_chunk):
    """outer[i] = vec(a_i b_i^T): each Gray step is one fused update-and-norm pass over d^2 contiguous entries."""
    d = v.shape[0]
    dd = d * d
    chunk = np.int64(1) << log_chunk
    nchunks = (np.int64(1) << n) >> log_chunk
    best_val = np.empty(nchunks)
    best_mask = np.empty(nchunks, dtype=np.int64)
    drift = np.empty(nchunks)
    for k in prange(nchunks):
        p2 = np.empty((d, d))
        q = np.empty((d, d))
        start = k * chunk
        g = start ^ (start >> 1)
        _anchor(w_down, w_up, v, g, n, p2)
        p = p2.ravel()
        val = 0.0
        for j in range(dd):
            val += p[j] * p[j]
        bv = val
        bg = g
        for t in range(start + 1, start + chunk):
            i = _ctz(t)
            g ^= np.int64(1) << i
            row = outer[i]
            val = 0.0
            if (g >> i) & 1:
                for j in range(dd):
                    x = p[j] + row[j]
                    p[j] = x
                    val += x * x
            else:
                for j in range(dd):
                    x = p[j] - row[j]
                    p[j] = x
                    val += x * x
            if val < bv:
                bv = val
                bg = g
        _anchor(w_down, w_up, v, g, n, q)
        dmax = 0.0
        for r in range(d):
            for s in range(d):
                e = abs(p[r * d + s] - q[r, s])
                if e > dmax:
                    dmax = e
        best_val[k] = bv
        best_mask[k] = bg
        drift[k] = dmax
    return best_val, best_mask, drift


def scale_of(w_down, w_up, v) -> float:
    """||V||_F + sum_i ||a_i|| ||b_i||: the size of every partial sum; drift and tolerances are relative to it."""
    return float(np.linalg.norm(v) + np.sum(np.linalg.norm(w_down, axis=0) * np.linalg.norm(w_up, axis=1)))


def mask_to_subset(mask: int, n: int) -> list:
    return [i for i in range(n) if (mask >> i) & 1]


def exhaustive_search(w_down, w_up, v=None, log_chunk=LOG_CHUNK) -> dict:
    """min over S of ||V + sum_{i in S} a_i b_i^T||_F (V = A/c, default I); returns subset, distance, drift."""
    w_down = np.ascontiguousarray(w_down, dtype=np.float64)
    w_up = np.ascontiguousarray(w_up, dtype=np.float64)
    d, n = w_down.shape
    if n > MAX_N:
        raise InputError(f"exhaustive search needs n <= {MAX_N} (2^n subsets), got n = {n}")
    v = np.eye(d) if v is None else np.ascontiguousarray(v, dtype=np.float64)
    lc = min(log_chunk, n)
    outer = np.ascontiguousarray(np.einsum("ri,is->irs", w_down, w_up).reshape(n, d * d))
    vals, masks, drift = _gray_chunks(w_down, w_up, v, outer, n, lc)
    k = int(np.argmin(vals))  # first minimum in chunk order: thread-count independent
    mask = int(masks[k])
    subset = mask_to_subset(mask, n)
    r = v + w_down[:, subset] @ w_up[subset, :]
    scale = scale_of(w_down, w_up, v)
    return {"subset": subset, "distance": float(np.linalg.norm(r)), "distance_running": float(np.sqrt(vals[k])),
            "subsets": 1 << n, "max_drift_rel": float(drift.max() / scale) if scale > 0 else 0.0, "scale": scale}


def numpy_enumeration(w_down, w_up, v=None, chunk=1 << 16):
    """The straightforward reference: subset masks in chunks, one BLAS product per chunk (benchmarks, tests)."""
    d, n = w_down.shape
    v = np.eye(d) if v is None else v
    m = np.stack([np.outer(w_down[:, i], w_up[i, :]).ravel() for i in range(n)])  # n x d^2
    vv = v.ravel()
    best, best_mask = np.inf, 0
    bits = np.arange(n, dtype=np.int64)
    for start in range(0, 1 << n, chunk):
        idx = np.arange(start, min(start + chunk, 1 << n), dtype=np.int64)
        sel = ((idx[:, None] >> bits) & 1).astype(np.float64)
        vals = np.einsum("ij,ij->i", *(2 * [sel @ m + vv]))
        k = int(np.argmin(vals))
        if vals[k] < best:
            best, best_mask = float(vals[k]), int(idx[k])
    return {"subset": mask_to_subset(best_mask, n), "distance": float(np.sqrt(best))}
