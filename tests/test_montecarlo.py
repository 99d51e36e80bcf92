"""Monte Carlo engine: planted recovery, random refutation, exact certificates (and tampered ones), agreement of
exhaustive search and relaxations, determinism across runs and thread counts, generated kernels, experiments."""
import json
import os
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numba
import numpy as np
import pytest
from scipy.optimize import lsq_linear

from indexset import certificate as cert
from indexset.decide import decide
from indexset.gram import explicit_m, hadamard_gram, linear_term, quadratic_form, residual_matrix
from indexset.search import exhaustive_search, numpy_enumeration
from symbolic.paths import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "mc_activations.json"


def planted(rng, d, n, k, c=1.0):
    subset = sorted(int(i) for i in rng.choice(n, size=k, replace=False))
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    w_down[:, subset] = -np.linalg.pinv(w_up[subset, :]) / c
    return w_up, w_down, subset


@pytest.fixture
def mc_build(tmp_path, monkeypatch):
    (tmp_path / "symbolic").mkdir()
    shutil.copy(FIXTURE, tmp_path / "symbolic" / "activations.json")
    monkeypatch.setenv("ABSORB_BUILD", str(tmp_path))
    monkeypatch.setenv("ABSORB_PROGRESS", "0")
    return tmp_path


def test_planted_recovery_all_methods():
    rng = np.random.default_rng(11)
    for d, n, k in [(3, 9, 4), (4, 12, 6), (4, 14, 4)]:
        w_up, w_down, subset = planted(rng, d, n, k)
        assert exhaustive_search(w_up, w_down)["subset"] == subset
        for method in ("auto", "relaxation", "exhaustive"):
            res = decide(w_up, w_down, method=method)
            assert res["index_set_exists"] is True and res["subset"] == subset, (method, res)
            assert res["distance"] < 1e-12


def test_planted_with_c_and_general_skip():
    rng = np.random.default_rng(5)
    d, n = 3, 8  # n < d^2: G positive definite, the full-rank decision applies
    skip = rng.standard_normal((d, d))
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    subset = [1, 4, 6, 7]
    c = Fraction(101, 100)
    w_down[:, subset] = -skip @ np.linalg.pinv(w_up[subset, :]) / float(c)
    res = decide(w_up, w_down, c=c, skip=skip, method="relaxation")
    assert res["index_set_exists"] is True and res["subset"] == subset
    assert exhaustive_search(w_up, w_down, skip / float(c))["subset"] == subset
    assert decide(w_up, w_down, c=Fraction(1), skip=skip)["index_set_exists"] is False  # wrong c: refuted


def test_random_refutation_is_certified():
    rng = np.random.default_rng(2)
    for d, n in [(3, 6), (4, 10), (6, 30)]:
        w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
        res = decide(w_up, w_down, method="auto")
        assert res["index_set_exists"] is False and res["certificate_verified"] is True
        assert res["certificate"] == "farkas-ls" and 0 < res["distance_lower_bound"] <= res["r_ls"] * (1 + 1e-6) + 1e-9
        if n <= 20:
            assert res["distance_lower_bound"] <= exhaustive_search(w_up, w_down)["distance"] + 1e-12


def test_exact_certificate_equals_fraction_reference_and_tampering_fails():
    rng = np.random.default_rng(3)
    d, n = 4, 11
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    w_up[0, 0], w_down[1, 2] = 3e-9, 7e5  # a wide exponent spread exercises the digit splitting
    ls = cert.least_squares(w_up, w_down, np.eye(d))
    chk = cert.verify_certificate(w_up, w_down, ls["residual"])
    assert chk["verified"] and chk["exact"]
    assert chk["phi_exact"] == cert.phi_fraction(w_up, w_down, chk["y_int"])
    # general skip and rational c against the reference
    skip = rng.standard_normal((d, d))
    chk2 = cert.verify_certificate(w_up, w_down, ls["residual"], skip=skip, c=Fraction(101, 100))
    assert chk2["phi_exact"] == cert.phi_fraction(w_up, w_down, chk2["y_int"], skip=skip, c=Fraction(101, 100))
    # tampered certificates: negated Y, and Y moved to an instance where an index set exists
    assert not cert.verify_certificate(w_up, w_down, -ls["residual"])["verified"]
    w_up_p, w_down_p, _ = planted(rng, d, n, 5)
    assert not cert.verify_certificate(w_up_p, w_down_p, ls["residual"])["verified"]
    # tampered data: the certificate of one instance does not certify an instance with a planted S
    y = cert.least_squares(w_up_p, w_down_p, np.eye(d))["residual"]
    assert not cert.verify_certificate(w_up_p, w_down_p, y)["verified"]


def test_exact_existence_on_dyadic_planted_instance():
    d, n = 3, 7
    rng = np.random.default_rng(4)
    lower = np.tril(rng.integers(-3, 4, (d, d)), -1) + np.eye(d)
    upper = np.triu(rng.integers(-3, 4, (d, d)), 1) + np.eye(d)
    b_s = (lower @ upper).astype(float) / 4.0  # dyadic, with a dyadic inverse
    w_up = rng.standard_normal((n, d))
    w_down = rng.standard_normal((d, n))
    subset = [0, 3, 5]
    w_up[subset, :] = b_s
    w_down[:, subset] = -4.0 * np.rint(np.linalg.inv(lower @ upper))  # unimodular: the inverse is an integer matrix
    assert np.array_equal(w_down[:, subset] @ b_s, -np.eye(d))
    assert cert.residual_is_exactly_zero(w_up, w_down, subset) is True
    res = decide(w_up, w_down, method="relaxation")
    assert res["subset"] == subset and res["certificate_verified"] is True
    w_down[0, 0] = np.nextafter(w_down[0, 0], 10.0)  # one ulp off: no longer exactly zero
    assert cert.residual_is_exactly_zero(w_up, w_down, subset) is False


def test_exhaustive_and_relaxations_agree_on_small_instances():
    rng = np.random.default_rng(6)
    for trial in range(24):
        d = int(rng.integers(2, 5))
        n = int(rng.integers(d, min(3 * d * d, 14) + 1))
        if trial % 3 == 0:
            w_up, w_down, _ = planted(rng, d, n, int(rng.integers(d, min(n, d * (d + 1) // 2) + 1)))
        else:
            w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
        ex = decide(w_up, w_down, method="exhaustive")
        ref = numpy_enumeration(w_up, w_down)
        assert abs(ex["distance"] - ref["distance"]) <= 1e-12 * (1 + ref["distance"])
        for method in ("relaxation", "box", "auto"):
            res = decide(w_up, w_down, method=method)
            if res["index_set_exists"] is not None:
                assert res["index_set_exists"] == ex["index_set_exists"], (trial, method)
            assert res["distance_lower_bound"] <= ex["distance"] + 1e-9
        fac = cert.factor_gram(w_up, w_down, np.eye(d))
        ls, bx = cert.least_squares(w_up, w_down, np.eye(d), fac), cert.box(w_up, w_down, np.eye(d), fac)
        assert ls["r"] <= bx["r"] + 1e-9 and bx["r"] <= ex["distance"] + 1e-9
        f, y, const = fac.ls_form()
        ref_box = lsq_linear(f, y, bounds=(0, 1), method="bvls", tol=1e-14)
        assert bx["r"] <= np.sqrt(max(2 * ref_box.cost + const, 0.0)) + 1e-8


def test_gram_identity_without_forming_m():
    rng = np.random.default_rng(7)
    d, n = 5, 13
    w_up, w_down, v = rng.standard_normal((n, d)), rng.standard_normal((d, n)), rng.standard_normal((d, d))
    m = explicit_m(w_up, w_down)
    g, q = hadamard_gram(w_up, w_down), linear_term(w_up, w_down, v)
    assert np.allclose(g, m.T @ m, rtol=1e-13, atol=1e-12)
    assert np.allclose(q, m.T @ v.ravel(), rtol=1e-13, atol=1e-12)
    s = rng.uniform(size=n)
    direct = float(np.sum(residual_matrix(w_up, w_down, v, s) ** 2))
    assert abs(quadratic_form(g, q, v, s) - direct) <= 1e-12 * direct


def test_gray_code_drift_and_thread_count_independence():
    rng = np.random.default_rng(8)
    d, n = 3, 20
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = exhaustive_search(w_up, w_down)
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        two = exhaustive_search(w_up, w_down)
    finally:
        numba.set_num_threads(before)
    assert one == two
    assert one["max_drift_rel"] < 1e-12
    assert one["subsets"] == 1 << n
    # the minimum is a real minimum: brute force over a random sample of subsets never beats it
    for _ in range(200):
        s = rng.random(n) < 0.5
        assert np.linalg.norm(np.eye(d) + w_down[:, s] @ w_up[s, :]) >= one["distance"] - 1e-12


def test_generated_kernels_match_numpy_fallback():
    from montecarlo.kernels import make_kernel
    from symbolic.activations import load_activations
    x = np.linspace(-6, 6, 241)
    for act in load_activations():
        k_nb, k_np = make_kernel(act.name, act.expr), make_kernel(act.name, act.expr, force_numpy=True)
        assert k_nb.backend == "numba" and k_np.backend == "numpy"
        a, b = k_nb(x), k_np(x)
        assert np.max(np.abs(a - b)) <= 1e-13 * (1 + np.max(np.abs(b))), act.name


def _files(build):
    return {p.name: p.read_bytes() for p in sorted((build / "mc").glob("*.*"))}


def test_experiments_deterministic_across_runs_and_threads(mc_build):
    from montecarlo.experiments import run_experiment
    small = {"measure-zero": 2, "planted": 1, "sinkhorn": 40, "obstructions": 1, "width": 1}
    for exp_id, samples in small.items():
        res = run_experiment(exp_id, samples=samples, seed=3)
        assert set(res) >= {"experiment", "seed", "samples", "command", "checks"}
        assert res["checks"] and all(set(v) == {"passed", "detail"} for v in res["checks"].values())
        assert all(v["passed"] for v in res["checks"].values()), (exp_id, res["checks"])
    first = _files(mc_build)
    assert len(first) == 11  # five experiments x (json, csv) + measure-zero-distances.csv
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        for exp_id, samples in small.items():
            run_experiment(exp_id, samples=samples, seed=3)
    finally:
        numba.set_num_threads(before)
    assert _files(mc_build) == first
    data = json.loads((mc_build / "mc" / "obstructions.json").read_text())
    assert {"degree", "flat", "bounded", "analytic-parity", "depth-flat", "depth-degree", "depth-bounded"} <= set(
        data["checks"])
    assert "parity" not in data["checks"]  # no even activation in the fixture registry
    assert run_experiment("sinkhorn", samples=40, seed=4)["by_streams"] != json.loads(
        first["sinkhorn.json"])["by_streams"]


def test_mc_cli_errors(tmp_path):
    env = dict(os.environ, ABSORB_BUILD=str(tmp_path), ABSORB_PROGRESS="0")
    absorb = str(Path(sys.executable).with_name("absorb"))
    for argv, needle in ((["mc", "nonsense"], "unknown experiment"), (["mc", "width"], "make symbolic"),
                         (["mc", "width", "--samples", "0"], "--samples")):
        r = subprocess.run([absorb, *argv], capture_output=True, text=True, env=env, timeout=120)
        assert r.returncode == 2, r.stderr
        assert r.stderr.count("\n") == 1 and needle in r.stderr and "Traceback" not in r.stderr


def test_mc_cli_writes_files(mc_build, capsys):
    from absorb.cli import main
    assert main(["mc", "sinkhorn", "--samples", "20", "--seed", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["command"] == "absorb mc sinkhorn --samples 20 --seed 1" and out["seed"] == 1
    assert json.loads((mc_build / "mc" / "sinkhorn.json").read_text()) == out
    header = (mc_build / "mc" / "sinkhorn.csv").read_text().splitlines()[0].split(",")
    assert header == out["csv_columns"] and "defect_median" in header
