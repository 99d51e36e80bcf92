"""Tests for symbolic.derivations: every derivation and step is SymPy-verified, wrong identities are not, and
build/symbolic/derivations.json is written deterministically."""
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import sympy as sp

from symbolic.certificate import RELATIONS
from symbolic.derivations import DERIVATIONS, run_all
from symbolic.derivations import gated_sign_flip, odd_linear, sign_flip
from symbolic.derivations._common import matrix, matrix_equal, scalar_equal
from symbolic.derivations.__main__ import main
from symbolic.expr import Z
from symbolic.io import dumps

EXPECTED_IDS = {"degree", "flat", "sign-flip", "gated-sign-flip", "gram-hadamard", "reduction", "sinkhorn-invertible",
                "class-identifiable", "analytic-parity", "rank-bound", "odd-linear-characterization", "linear",
                "sign-flip-bias", "prenorm-impossible", "postnorm-projected", "gelu-class-identifiable", "class-bias",
                "partial-farkas", "storage-precision"}
STEP_KEYS = {"claim", "lhs", "rhs", "relation", "method", "verified"}


@pytest.fixture(scope="module")
def results():
    return run_all()


def test_ids_are_blueprint_theorem_ids(results):
    assert set(results) == EXPECTED_IDS == set(DERIVATIONS)


@pytest.mark.parametrize("tid", sorted(EXPECTED_IDS))
def test_every_derivation_and_step_verified(results, tid):
    r = results[tid]
    assert set(r) == {"title", "function", "verified", "steps"}
    assert r["function"].startswith("symbolic.derivations.")
    assert r["steps"], tid
    for step in r["steps"]:
        assert set(step) == STEP_KEYS
        assert step["relation"] in RELATIONS
        assert step["claim"].strip() and "\n" not in step["claim"]
        assert "\n" not in step["lhs"] and "\n" not in step["rhs"]
        assert "_Dummy" not in step["lhs"] + step["rhs"] and "_xi" not in step["lhs"] + step["rhs"]
        assert not step["method"].startswith("not verified"), (tid, step["claim"])
        assert step["verified"] is True, (tid, step["claim"], step["method"])
    assert r["verified"] is True


def _balanced(tex):
    depth = 0
    for ch in tex.replace(r"\{", "").replace(r"\}", ""):
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


def test_claims_render_as_display_math(results):
    """The appendix prints each claim inside \\[ ... \\] unless it contains $, \\( , \\[ or \\begin."""
    for tid, r in results.items():
        for step in r["steps"]:
            claim = step["claim"]
            assert not re.search(r"[\x00-\x1f]", claim), (tid, claim)  # e.g. a lost backslash: "\f" -> form feed
            assert "$" not in claim and "\\begin" not in claim and "\\[" not in claim, (tid, claim)
            assert _balanced(claim), (tid, claim)


def test_degree_instances_from_registry(results):
    claims = [s["claim"] for s in results["degree"]["steps"]]
    for name in ("relu2", "relu3", "reglu", "bilinear"):
        assert any(name in c for c in claims), name


def test_function_field_names_the_function(results):
    import importlib
    for r in results.values():
        module, fn = r["function"].rsplit(".", 1)
        assert callable(getattr(importlib.import_module(module), fn))


def test_expected_content(results):
    steps = {tid: [s["claim"] for s in r["steps"]] for tid, r in results.items()}
    assert any(s["lhs"] == "{1}" and s["rhs"] == "{1}" for s in results["degree"]["steps"])  # solveset 2^k = 2
    ci = results["class-identifiable"]["steps"]
    assert sum(1 for s in ci if s["claim"].startswith("e_{") and s["relation"] == "=") >= 8
    mish = {s["rhs"] for s in results["analytic-parity"]["steps"] if s["claim"].startswith("m_{")}
    assert {"8/25", "-2/125", "-86/1875", "-7/18750"} <= mish
    flip = [s for s in results["sign-flip"]["steps"] if s["claim"].startswith("g(x) - f(x) = -")]
    assert flip and "c*" in flip[0]["rhs"] and "sigma" in flip[0]["lhs"]
    odd = results["odd-linear-characterization"]["steps"]
    consts = {s["lhs"] for s in odd if s["relation"] == "!=" and s["claim"].startswith("c_")}
    assert consts == {"1", "101/100"}  # ReLU, GELU, ... have c = 1; LeakyReLU(1/100) has c = 101/100
    assert any("IC" in c for c in steps["rank-bound"])


def test_wrong_sign_flip_constant_is_not_verified():
    good = sign_flip.derive()
    bad = sign_flip.derive(claimed_c_factor=2)  # g - f = -(I + 2c W_S) x is false
    assert all(s.verified for s in good)
    wrong = [s for s in bad if "2c" in s.claim]
    assert wrong and not any(s.verified for s in wrong)
    assert all(s.method.startswith("not verified") for s in wrong)


def test_wrong_gated_sign_flip_constant_is_not_verified():
    bad = gated_sign_flip.derive(claimed_c_factor=2)
    wrong = [s for s in bad if "2c" in s.claim]
    assert wrong and not any(s.verified for s in wrong)


def test_sign_flip_other_sizes():
    steps = sign_flip.derive(S=(0, 1, 3), d=3, n=4)
    assert all(s.verified for s in steps)
    # |S| < d: the construction identity still holds, the explicit absorber step is not claimed
    steps = sign_flip.derive(S=(1,), d=2, n=3)
    assert all(s.verified for s in steps) and not any("absorbs" in s.claim for s in steps)


def test_false_identities_are_not_verified():
    Wd, Wu = matrix("Wd", 2, 3), matrix("Wu", 3, 2)
    G_wrong = (Wd * Wd.T).multiply_elementwise(Wu.T * Wu)  # wrong Gram formula (d x d instead of n x n)
    assert not matrix_equal(Wd.T * Wd, Wu * Wu.T, "wrong").verified
    assert not matrix_equal(sp.eye(2), G_wrong, "wrong shape").verified
    p = sp.Symbol("p", positive=True)
    assert not scalar_equal(sp.log(1 + sp.exp(p)) - sp.log(1 + sp.exp(-p)), 2 * p, "softplus with 2c").verified
    # Mish is not odd-linear: the member identity must fail; ReLU is odd-linear: the refutation must fail.
    from symbolic.activations import get_activation
    mish = get_activation("mish").expr
    assert not odd_linear.member_steps("mish", mish)[0].verified
    assert not odd_linear.non_member_step("relu", get_activation("relu").expr).verified
    hs = get_activation("hardswish").expr
    assert not scalar_equal(hs.subs(Z, p) - hs.subs(Z, -p), 2 * p, "hardswish with 2c").verified


def test_arguments_are_rejected(capsys):
    assert main(["no-such-derivation"]) == 2
    assert "usage" in capsys.readouterr().err


def test_json_written_deterministically(results, tmp_path):
    env = dict(os.environ, ABSORB_BUILD=str(tmp_path), PYTHONHASHSEED="12345")
    proc = subprocess.run([sys.executable, "-m", "symbolic.derivations"], env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / "symbolic" / "derivations.json"
    data = path.read_bytes()
    # byte-identical to an independent in-process run (different hash seed, different process)
    assert data == dumps(results).encode("utf-8")
    assert set(json.loads(data)) == EXPECTED_IDS


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_claims_compile_with_pdflatex(results, tmp_path):
    body = "\n".join(rf"\[ {s['claim']} \]" for r in results.values() for s in r["steps"])
    (tmp_path / "claims.tex").write_text("\\documentclass{article}\n\\usepackage{amsmath,amssymb,mathtools}\n"
                                         f"\\begin{{document}}\n{body}\n\\end{{document}}\n", encoding="utf-8")
    proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "claims.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:]
