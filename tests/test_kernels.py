"""The Gray-code enumeration kernel against a NumPy reference: exact minimum and argmin (ties included), the drift
bound of re-anchoring, independence of thread count and call size, and a clean stop on Ctrl-C."""
import itertools
import os
import signal
import subprocess
import sys
import time

import numba
import numpy as np
import pytest

from indexset.search import LOG_WALK, exhaustive_search, numpy_enumeration
from symbolic.paths import ROOT

EPS = np.finfo(np.float64).eps


def all_distances(w_up, w_down, v):
    """Reference: ||V + sum_S a_i b_i^T||_F for every subset S, computed directly (no incremental updates)."""
    n = w_down.shape[1]
    out = {}
    for k in range(n + 1):
        for s in itertools.combinations(range(n), k):
            s = list(s)
            out[tuple(s)] = float(np.linalg.norm(v + w_down[:, s] @ w_up[s, :]))
    return out


@pytest.mark.parametrize("d,n", [(1, 0), (2, 1), (2, 2), (2, 3), (3, 5), (2, 8), (3, 9), (4, 11)])
def test_minimum_and_argmin_match_reference(d, n):
    rng = np.random.default_rng(100 * d + n)
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    v = rng.standard_normal((d, d))
    ref = all_distances(w_up, w_down, v)
    best = min(ref.values())
    res = exhaustive_search(w_up, w_down, v)
    assert abs(res["distance"] - best) <= 1e-12 * (1 + best)
    assert abs(res["distance_running"] - best) <= 1e-10 * (1 + best)
    winners = [s for s, x in ref.items() if x <= best * (1 + 1e-12) + 1e-15]
    assert tuple(res["subset"]) in winners
    if len(winners) == 1:  # a unique minimiser must be found exactly
        assert numpy_enumeration(w_up, w_down, v)["subset"] == res["subset"]
    assert res["subsets"] == 1 << n


def test_ties_resolve_to_a_minimiser_independently_of_threads_and_call_size():
    rng = np.random.default_rng(3)
    d, n = 3, 14
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    w_down[:, 4] = 0.0  # S and S + {4} tie exactly
    w_up[9] = w_up[2]
    w_down[:, 9] = w_down[:, 2]  # equal columns: S + {2} and S + {9} tie
    ref = all_distances(w_up, w_down, np.eye(d))
    best = min(ref.values())
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = exhaustive_search(w_up, w_down, call_subsets=1 << 10)
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        two = exhaustive_search(w_up, w_down)
    finally:
        numba.set_num_threads(before)
    assert one == two
    assert abs(ref[tuple(one["subset"])] - best) <= 1e-12 * (1 + best)


def test_planted_subset_is_recovered_at_distance_zero():
    rng = np.random.default_rng(4)
    d, n, subset = 4, 18, [1, 5, 6, 11, 17]
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    w_down[:, subset] = -np.linalg.pinv(w_up[subset, :])
    res = exhaustive_search(w_up, w_down)
    assert res["subset"] == subset and res["distance"] < 1e-12


@pytest.mark.parametrize("log_walk", [4, LOG_WALK])
def test_drift_is_measured_and_bounded_by_reanchoring(log_walk):
    """Each entry sees at most 2^log_walk incremental additions between anchors, each off by <= eps * scale."""
    rng = np.random.default_rng(5)
    d, n = 4, 20
    w_up, w_down = 1e3 * rng.standard_normal((n, d)), rng.standard_normal((d, n))  # large terms, small target
    res = exhaustive_search(w_up, w_down, log_walk=log_walk)
    assert res["log_walk"] == log_walk
    assert 0.0 < res["max_drift_rel"] <= (1 << log_walk) * EPS
    ref = numpy_enumeration(w_up, w_down)
    assert abs(res["distance"] - ref["distance"]) <= 1e-9 * res["scale"]


def test_ctrl_c_stops_a_long_search_within_a_second():
    code = ("import sys, numpy as np; from indexset.search import exhaustive_search; r = np.random.default_rng(0); "
            "exhaustive_search(r.standard_normal((2, 4)), r.standard_normal((4, 2)));"
            "print('ready', flush=True); exhaustive_search(r.standard_normal((38, 4)), r.standard_normal((4, 38)))")
    env = dict(os.environ, ABSORB_PROGRESS="0")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(0.5)
        t0 = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
        waited = time.monotonic() - t0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "KeyboardInterrupt" in err
    assert waited < 2.0, waited
