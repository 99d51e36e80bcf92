"""Issue 13 (certify side): one test per defect -- each fails on the code before the fix -- and a Hypothesis property:
certify gives the same answer on positive rescalings (powers of two and arbitrary) and permutations of one block."""
import json
import math
import os
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexset.result import result_json
from indexset.decide import decide
from symbolic.errors import InputError

ABSORB = str(Path(sys.executable).with_name("absorb"))


def absorb(*argv, timeout=120):
    env = dict(os.environ, ABSORB_PROGRESS="0")
    return subprocess.run([ABSORB, "certify", *map(str, argv)], capture_output=True, text=True, env=env,
                          timeout=timeout)


def planted(rng, d, n, subset):
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    w_down[:, subset] = -np.linalg.pinv(w_up[subset, :])
    return w_up, w_down


# item 1: large cancelling terms must not inflate the zero test
CANCEL_UP = np.array([[1e4], [1e4]])
CANCEL_DOWN = np.array([[1e4, -(1e8 + 0.95) / 1e4]])


@pytest.mark.parametrize("method", ["auto", "exhaustive", "milp", "mitm", "relaxation", "box"])
def test_cancelling_terms_are_no_index_set(method):
    res = decide(CANCEL_UP, CANCEL_DOWN, method=method)
    assert res.index_set_exists is not True, (method, res)
    if method in ("auto", "exhaustive"):  # the true minimum distance is 0.05 (S = {0, 1})
        assert res.index_set_exists is False and abs(res.distance - 0.05) < 1e-6
        assert 0.049 < res.distance_lower_bound <= res.distance


def test_cancelling_terms_cli_prints_no_index_set(tmp_path):
    np.savez(tmp_path / "t.npz", W_up=CANCEL_UP, W_down=CANCEL_DOWN)
    r = absorb(tmp_path / "t.npz")
    assert r.returncode == 0 and "INDEX SET FOUND" not in r.stdout and "NO INDEX SET" in r.stdout, r.stdout


def test_zero_test_is_relative_to_the_target_and_tol_is_settable():
    """A residual of 1e-6 ||A/c||_F is not found at the default tau = 1e-9, and is found at --tol 1e-5."""
    rng = np.random.default_rng(7)
    d, n, subset = 3, 10, [1, 4, 6, 8]
    w_up, w_down = planted(rng, d, n, subset)
    w_down[:, subset] *= 1 + 1e-6
    assert decide(w_up, w_down, method="exhaustive").index_set_exists is False
    res = decide(w_up, w_down, method="exhaustive", tol=1e-5)
    assert res.index_set_exists is True and res.subset == subset and res.exact_zero is False
    assert "within tau" in res.evidence


# item 2: scale invariance at s = 1e80, 1e155, 1e160 (no inf, no LinAlgError, same answer)
@pytest.mark.parametrize("s", [1e80, 1e155, 1e160, 2.0 ** 520])
@pytest.mark.parametrize("method", ["auto", "exhaustive", "relaxation", "box", "milp"])
def test_split_of_the_scale_does_not_change_the_answer(s, method):
    rng = np.random.default_rng(1)
    d, n, subset = 4, 12, [0, 2, 5, 7, 11]
    w_up, w_down = planted(rng, d, n, subset)
    w_rand_up, w_rand_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    for up, down, exists in ((w_up, w_down, True), (w_rand_up, w_rand_down, False)):
        base = decide(up, down, method=method)
        scaled = decide(up / s, down * s, method=method)
        assert base.index_set_exists is exists and scaled.index_set_exists is exists, (s, method, scaled)
        assert scaled.subset == base.subset
        js = json.dumps(result_json(scaled), allow_nan=False)  # no inf/NaN anywhere
        assert "Infinity" not in js
        if exists:
            assert scaled.distance < 1e-12
        elif base.distance is not None:
            assert math.isclose(scaled.distance, base.distance, rel_tol=1e-9)


# item 5: --c out of range
@pytest.mark.parametrize("c", ["1e400", "1e-400", "-1e999"])
def test_c_out_of_range_is_one_line(tmp_path, c):
    rng = np.random.default_rng(2)
    np.savez(tmp_path / "r.npz", W_up=rng.standard_normal((6, 3)), W_down=rng.standard_normal((3, 6)))
    r = absorb(tmp_path / "r.npz", f"--c={c}", "--json")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "1e-300 <= |c| <= 1e300" in r.stderr, r.stderr
    with pytest.raises(InputError, match="1e-300"):
        decide(rng.standard_normal((6, 3)), rng.standard_normal((3, 6)), c=Fraction(c))


@pytest.mark.parametrize("c", ["1e300", "1e-300", "-3/7"])
def test_c_at_the_ends_of_the_range_gives_finite_json(tmp_path, c):
    rng = np.random.default_rng(2)
    np.savez(tmp_path / "r.npz", W_up=rng.standard_normal((6, 3)), W_down=rng.standard_normal((3, 6)))
    r = absorb(tmp_path / "r.npz", f"--c={c}", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)  # json.loads would accept NaN; check explicitly
    assert out["index_set_exists"] is False and math.isfinite(out["distance_lower_bound"])
    assert out["distance_lower_bound"] >= 0 and out["c"] == str(Fraction(c))


# item 6: guards with estimates, --force
def test_exhaustive_at_n_40_is_refused_with_an_estimate(tmp_path):
    rng = np.random.default_rng(3)
    np.savez(tmp_path / "r.npz", W_up=rng.standard_normal((40, 4)), W_down=rng.standard_normal((4, 40)))
    r = absorb(tmp_path / "r.npz", "--method", "exhaustive", timeout=60)
    assert r.returncode == 2 and "--force" in r.stderr, r.stderr
    assert re.search(r"about [0-9.]+ (min|h)\b", r.stderr), r.stderr  # the estimate, in minutes or hours
    assert r.stderr.count("\n") == 1


def test_auto_on_a_huge_layer_is_refused_fast():
    """n = 10 000: the n x n Gram matrix (3 GiB) is refused before any allocation, naming the estimate."""
    w_up, w_down = np.ones((10_000, 8)), np.ones((8, 10_000))
    for method in ("auto", "relaxation", "box"):
        with pytest.raises(InputError, match="GiB.*--force"):
            decide(w_up, w_down, method=method)


# item 9: messages that are true
def test_relaxation_on_small_n_does_not_blame_exhaustive(tmp_path):
    rng = np.random.default_rng(4)
    d, n = 3, 12  # n > d^2: phi(R_LS) cannot verify (R_LS ~ 0), so the answer is undecided
    np.savez(tmp_path / "r.npz", W_up=rng.standard_normal((n, d)), W_down=rng.standard_normal((d, n)))
    res = decide(*np.load(tmp_path / "r.npz").values(), method="relaxation")
    assert res.index_set_exists is None and "phi(R_LS) did not verify" in res.evidence
    # the CLI's trusted layer then closes the question with a Lemma 8.2 tree (issue 17 point 5)
    r = absorb(tmp_path / "r.npz", "--method", "relaxation")
    assert r.returncode == 0 and "too large" not in r.stdout, r.stdout
    assert "branch-and-bound tree" in r.stdout or ("UNDECIDED" in r.stdout and "did not verify" in r.stdout)


def test_auto_on_n_30_decides(tmp_path):
    rng = np.random.default_rng(5)
    np.savez(tmp_path / "r.npz", W_up=rng.standard_normal((30, 4)), W_down=rng.standard_normal((4, 30)))
    r = absorb(tmp_path / "r.npz", "--json")
    out = json.loads(r.stdout)
    assert out["index_set_exists"] is False and "too large" not in out["evidence"]


# the property: rescalings and permutations of one block give the same answer (derandomized: the same examples in
# every run, so CI cannot pass or fail by the draw)
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2 ** 16), plant=st.booleans(), pow2=st.booleans(),
       method=st.sampled_from(["auto", "exhaustive", "relaxation"]))
def test_certify_is_invariant_under_rescaling_and_permutation(seed, plant, pow2, method):
    rng = np.random.default_rng(seed)
    # relaxation decides robustly only for n < d^2 (at n = d^2, R_LS is rounding noise and phi(R_LS) > 0 is luck:
    # then "undecided" vs "no" may flip under a non-dyadic rescaling); auto and exhaustive decide every instance
    d, n = 3, (8 if method == "relaxation" else 12)
    subset = sorted(rng.choice(n, 4, replace=False).tolist())
    if plant:
        w_up, w_down = planted(rng, d, n, subset)
    else:
        w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    if pow2:
        t = np.ldexp(1.0, rng.integers(-600, 600, n))
    else:
        t = np.exp(rng.uniform(-300, 300, n))
    perm = rng.permutation(n)
    base = decide(w_up, w_down, method=method)
    other = decide((w_up / t[:, None])[perm], (w_down * t[None, :])[:, perm], method=method)
    assert other.index_set_exists == base.index_set_exists
    if base.subset is not None:
        assert sorted(int(perm[i]) for i in other.subset) == base.subset
    if pow2 and base.distance is not None and other.distance is not None:
        # powers of two: the very same problem (a permutation may change which evidence settles it first: a Farkas
        # certificate at the rounding edge verifies for one summation order and not the other; the answer stays)
        assert other.distance == base.distance


def test_ctrl_c_stops_highs_at_once(tmp_path):
    """HiGHS (C++) ignores signals; it runs in a thread waited for in slices, so Ctrl-C ends the run at once."""
    import signal
    import time
    rng = np.random.default_rng(8)
    np.savez(tmp_path / "r.npz", W_up=rng.standard_normal((48, 2)), W_down=rng.standard_normal((2, 48)))
    env = dict(os.environ, ABSORB_PROGRESS="0")
    proc = subprocess.Popen([ABSORB, "certify", str(tmp_path / "r.npz"), "--method", "milp", "--force"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    time.sleep(4.0)  # imports, then HiGHS is running (d = 2, n = 48: minutes)
    t0 = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert time.perf_counter() - t0 < 5.0
    assert proc.returncode == 130 and out == "" and "Traceback" not in err and err.count("\n") == 1, err
