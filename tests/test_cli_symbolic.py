"""`absorb list` / `absorb classify` as a user runs them: exact JSON, readable text, one-line errors with exit 2."""
import json
import os
import subprocess
import sys

import pytest

ABSORB = [sys.executable, "-m", "absorb.cli"]


def run(*args):
    return subprocess.run(ABSORB + list(args), capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONHASHSEED": "0"})


def test_list_json_has_every_required_entry():
    out = run("list", "--json")
    assert out.returncode == 0
    names = {row["name"] for row in json.loads(out.stdout)}
    required = {"relu", "leaky_relu", "gelu", "gelu_tanh", "silu", "quick_gelu", "softplus", "hardswish", "relu2",
                "relu3", "tanh", "sigmoid", "elu", "mish", "reglu", "swiglu", "geglu", "glu", "bilinear"}
    assert required <= names


def test_classify_json_contract():
    out = run("classify", "relu", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    for key in ("name", "kind", "expression", "verdict", "argument", "degree", "c", "theorems", "certificate"):
        assert key in data
    assert data["verdict"] == "conditional" and data["c"] == "1" and data["kind"] == "ungated"
    for step in data["certificate"]:
        assert set(step) >= {"claim", "lhs", "rhs", "method", "verified"} and step["verified"] is True


def test_classify_by_alias_expr_and_gate():
    assert "verdict: impossible" in run("classify", "SwiGLU").stdout
    assert "refuted: parity (sigma is not even)" in run("classify", "elu").stdout
    human = run("classify", "--expr", "z*sigmoid(z)")
    assert human.returncode == 0 and "conditional" in human.stdout and "W_down[:,S] W_up[S,:] = -I" in human.stdout
    gate = json.loads(run("classify", "--gate", "sigmoid(z)", "--json").stdout)
    assert gate["kind"] == "gated" and gate["argument"] == "gated-sign-flip"


@pytest.mark.parametrize("args", [
    ["classify", "--expr", "foo(z)"], ["classify", "--expr", "x*z"], ["classify", "--expr", "z+*"],
    ["classify", "--expr", ""], ["classify", "--expr", "z**99999"], ["classify", "no_such_activation"],
    ["classify"], ["classify", "relu", "--expr", "z"], ["nonsense-command"],
])
def test_bad_input_exit_2_one_line_no_traceback(args):
    out = run(*args)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr


def test_classify_json_always_verdict_for_linear_sigma():
    """DESIGN.md contract: verdict `always` for linear/affine sigma, argument and theorem `linear`, exact nulls."""
    data = json.loads(run("classify", "--expr", "2*z - 1", "--json").stdout)
    assert (data["verdict"], data["argument"], data["theorems"]) == ("always", "linear", ["linear"])
    assert data["c"] is None and data["degree"] is None and "d+1" in data["condition"]
    assert data["certificate"] and all(step["verified"] for step in data["certificate"])


def test_classify_accepts_registry_names_and_a_leading_minus():
    out = run("classify", "--expr", "-relu(-z)", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["verdict"], data["argument"], data["c"]) == ("conditional", "sign-flip", "1")
