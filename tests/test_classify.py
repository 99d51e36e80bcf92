"""Classifier verdicts: the registry (BLUEPRINT §9 table) and several expressions per class beyond it."""
import pytest

from symbolic.activations import load_activations
from symbolic.arguments import all_arguments
from symbolic.arguments.base import Argument, undecided
from symbolic.classify import classify, classify_expression, classify_text
from symbolic.expr import parse_expression

EXPECTED = {
    "relu": ("conditional", "sign-flip", "1"), "leaky_relu": ("conditional", "sign-flip", "101/100"),
    "gelu": ("conditional", "sign-flip", "1"), "gelu_tanh": ("conditional", "sign-flip", "1"),
    "silu": ("conditional", "sign-flip", "1"), "quick_gelu": ("conditional", "sign-flip", "1"),
    "softplus": ("conditional", "sign-flip", "1"), "hardswish": ("conditional", "sign-flip", "1"),
    "glu": ("conditional", "gated-sign-flip", "1"),
    "relu2": ("impossible", "degree", None), "relu3": ("impossible", "degree", None),
    "tanh": ("impossible", "bounded", None), "sigmoid": ("impossible", "bounded", None),
    "mish": ("impossible", "analytic-parity", None), "reglu": ("impossible", "degree", None),
    "swiglu": ("impossible", "flat", None), "geglu": ("impossible", "flat", None),
    "bilinear": ("impossible", "degree", None),
}
REGISTRY = {a.name: a for a in load_activations()}


def _assert_certificate(result):
    assert result["certificate"], "a verdict without a certificate"
    for step in result["certificate"]:
        assert step["verified"] is True
        assert step["claim"] and step["method"] and step["relation"] in {"=", "!=", "<", "<=", ">", ">="}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_registry_verdicts_match_the_blueprint(name):
    verdict, argument, c = EXPECTED[name]
    result = classify(REGISTRY[name])
    assert (result["verdict"], result["argument"], result["c"]) == (verdict, argument, c)
    _assert_certificate(result)


def test_elu_is_not_covered_with_exact_refutations():
    result = classify(REGISTRY["elu"])
    assert result["verdict"] in ("not_covered", "undecided")
    assert result["theorems"] == []
    _assert_certificate(result)  # the refutations are checked steps too


def test_degrees_and_generic_iff_hypotheses():
    assert classify(REGISTRY["relu2"])["degree"] == "2"
    assert classify(REGISTRY["reglu"])["degree"] == "2"
    relu = classify(REGISTRY["relu"])
    assert relu["generic_iff"]["type"] == "relu" and "d >= 2" in relu["generic_iff"]["requires"]
    assert "relu-d1-counterexample" in relu["theorems"]
    gelu = classify(REGISTRY["gelu"])
    assert gelu["generic_iff"]["type"] == "analytic" and "generic-iff" in gelu["theorems"]
    assert classify(REGISTRY["hardswish"])["generic_iff"]["type"] == "kink"
    assert r"\tfrac" in classify(REGISTRY["leaky_relu"])["condition"] or "101" in classify(REGISTRY["leaky_relu"])["condition"]


@pytest.mark.parametrize("text, argument, extra", [
    ("Abs(z)", "parity", None), ("cosh(z) - 1", "parity", None), ("Max(z, -z)", "parity", None),
    ("z**3", "degree", "3"), ("Heaviside(z)", "degree", "0"), ("z*Abs(z)", "degree", "2"),
    ("Max(z, 0)**2 + 2*Min(z, 0)**2", "degree", "2"),
    ("z**2*sigmoid(z)", "flat", None), ("z**3 + z**4", "flat", None),
    ("erf(z)", "bounded", None), ("sin(z)", "bounded", None), ("2 + sigmoid(3*z)", "bounded", None),
    ("exp(z)", "analytic-parity", None), ("exp(z) - 1", "analytic-parity", None),
])
def test_impossible_classes_beyond_the_registry(text, argument, extra):
    result = classify_text(text)
    assert result["verdict"] == "impossible", result["notes"]
    assert result["argument"] == argument
    if extra is not None:
        assert result["degree"] == extra
    _assert_certificate(result)


@pytest.mark.parametrize("text, c, only_if", [
    ("z*sigmoid(2*z)", "1", "analytic"), ("2*Max(z, 0)", "2", "relu"), ("Max(z, 0) + Min(z, 0)/2", "3/2", "relu"),
    ("softplus(2*z)/2", "1", "analytic"), ("z + z**2", "2", None), ("3*z + Abs(z)", "6", "relu"),
])
def test_sign_flip_class_beyond_the_registry(text, c, only_if):
    result = classify_text(text)
    assert (result["verdict"], result["argument"], result["c"]) == ("conditional", "sign-flip", c)
    assert (result["generic_iff"] or {}).get("type") == only_if
    assert ("generic-iff" in result["theorems"]) == (only_if is not None)
    _assert_certificate(result)


@pytest.mark.parametrize("gate, verdict, argument, c", [
    ("z**2", "impossible", "degree", None), ("Abs(z)", "impossible", "degree", None),
    ("tanh(z)", "impossible", "flat", None), ("sin(z)", "impossible", "flat", None),
    ("sigmoid(2*z)", "conditional", "gated-sign-flip", "1"), ("1 + tanh(z)", "conditional", "gated-sign-flip", "2"),
    ("Heaviside(z)", "conditional", "gated-sign-flip", "1"),
])
def test_gated_classes(gate, verdict, argument, c):
    result = classify_expression(parse_expression(gate), "gated")
    assert (result["verdict"], result["argument"], result["c"]) == (verdict, argument, c)
    _assert_certificate(result)


def test_gated_not_covered():
    result = classify_expression(parse_expression("exp(z)"), "gated")
    assert result["verdict"] == "not_covered" and result["argument"] is None


def test_refutations_are_recorded_with_exact_witnesses():
    result = classify(REGISTRY["mish"])
    refuted = {r["argument"] for r in result["refuted"]}
    assert {"parity", "degree", "flat", "bounded", "sign-flip"} <= refuted
    for entry in result["refuted"]:
        assert entry["steps"] and all(s["verified"] for s in entry["steps"])


def test_an_undecided_check_is_never_a_guess(monkeypatch):
    """If an argument cannot settle its check and no later one applies, the verdict is undecided."""

    class Stubborn(Argument):
        id, kind, verdict, order = "test-stubborn", "ungated", "impossible", 0

        def check(self, expr):
            return undecided([], "cannot decide")

    import symbolic.classify as module
    monkeypatch.setattr(module, "all_arguments", lambda kind: [Stubborn()] + [
        a for a in all_arguments(kind) if a.id in ("parity", "sign-flip")])
    result = module.classify_expression(parse_expression("exp(z)"), "ungated")
    assert result["verdict"] == "undecided"
    assert any("test-stubborn" in note for note in result["notes"])
    # an argument that applies still wins: its certificate is a proof regardless of earlier undecided checks
    assert module.classify_expression(parse_expression("Max(z, 0)"), "ungated")["verdict"] == "conditional"


def test_arguments_are_discovered_per_kind():
    ungated = [a.id for a in all_arguments("ungated")]
    gated = [a.id for a in all_arguments("gated")]
    assert ungated == ["parity", "linear", "degree", "flat", "bounded", "sign-flip", "analytic-parity"]
    assert gated == ["degree", "flat", "gated-sign-flip"]


@pytest.mark.parametrize("text, alpha, beta", [
    ("z", "1", "0"), ("z + 1", "1", "1"), ("log(exp(z))", "1", "0"), ("2*z", "2", "0"), ("3*z", "3", "0"),
    ("Max(z, 0) + Min(z, 0)", "1", "0"), ("1 - z/2", "-1/2", "1"), ("relu(z) - relu(-z)", "1", "0"),
])
def test_linear_and_affine_sigma_is_always_absorbable(text, alpha, beta):
    """BLUEPRINT §6.7: sigma = alpha z + beta (alpha != 0) is absorbable for every weight matrix once the width
    allows; it used to be reported as 'conditional' (an index condition that plays no role)."""
    result = classify_text(text)
    assert (result["verdict"], result["argument"], result["theorems"]) == ("always", "linear", ["linear"])
    assert f"alpha = {alpha}, beta = {beta}" in result["notes"][1]
    assert ("m\\ge d+1" in result["condition"]) == (beta != "0")
    _assert_certificate(result)


@pytest.mark.parametrize("text, argument", [("1", "parity"), ("-3", "parity"), ("0", "parity")])
def test_constant_sigma_is_impossible_not_always(text, argument):
    """alpha = 0: a constant sigma never absorbs A != 0; the linear argument must not claim it."""
    result = classify_text(text)
    assert result["verdict"] == "impossible" and result["argument"] == argument
    assert "linear" not in result["theorems"]


def test_linear_argument_refutes_non_affine_sigma_with_a_witness():
    result = classify_text("z + z**3")
    linear = [r for r in result["refuted"] if r["argument"] == "linear"]
    assert linear and linear[0]["steps"] and all(s["verified"] for s in linear[0]["steps"])


def test_gated_linear_gate_is_not_an_affine_block():
    """A linear gate gives the bilinear block (degree 2): the ungated linear argument must not apply."""
    result = classify_expression(parse_expression("z"), "gated")
    assert (result["verdict"], result["argument"]) == ("impossible", "degree")


def test_typed_result_serialises_to_the_documented_json():
    from symbolic.classify import Classification, classification

    typed = classification(REGISTRY["relu"].expr, "ungated", name="relu", expression="Max(z, 0)",
                           latex=REGISTRY["relu"].latex, cite=REGISTRY["relu"].cite)
    assert isinstance(typed, Classification)
    assert typed.to_json() == classify(REGISTRY["relu"])
    assert set(typed.to_json()) == {"name", "kind", "expression", "latex", "cite", "verdict", "argument", "degree",
                                    "c", "theorems", "certificate", "condition", "generic_iff", "notes", "refuted"}
    assert set(typed.to_json(subject=False)) == set(classify_expression(REGISTRY["relu"].expr))


def test_flatness_returns_one_type():
    from symbolic.arguments.base import Outcome
    from symbolic.arguments.flat import flatness

    for text in ("z**2", "z", "sigmoid(z)"):
        assert isinstance(flatness(parse_expression(text), r"\sigma", divide_by_p=True), Outcome)


@pytest.mark.parametrize("module", ["symbolic.expr", "symbolic.activations", "symbolic.latex_guard",
                                    "symbolic.classify", "symbolic.arguments.linear", "symbolic.analysis",
                                    "absorb.cli"])
def test_docstring_examples_run(module):
    """The Examples in the docstrings of the public symbolic API are doctests."""
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0, f"{module} has no Examples"


def test_linear_derivation_verifies_and_detects_a_wrong_construction():
    """The Prop 6.7 derivation is all verified, and its checker fails when the construction is wrong."""
    import sympy as sp

    from symbolic.derivations import linear as module
    from symbolic.derivations._common import matrix_equal

    result = module.linear()
    assert result["verified"] and len(result["steps"]) >= 5
    _, Wd, _, x, sigma, f, M = module._blocks(2, 3, module.ALPHA, module.BETA)
    wrong_v = sp.Matrix.hstack(sp.eye(2), sp.zeros(2, 1))  # forgets the neuron that carries beta W_down 1
    wrong_u = sp.Matrix.vstack(M / module.ALPHA, sp.zeros(1, 2))
    assert not matrix_equal(wrong_v * sigma(wrong_u * x), f, "wrong").verified


def test_time_budget_gives_undecided_never_a_guess(monkeypatch):
    """A check that runs past the budget is interrupted: it and the arguments after it are undecided, the alarm is
    disarmed afterwards, and without a budget nothing changes (registry builds stay machine-independent)."""
    import signal
    import time

    class Slow(Argument):
        id, kind, verdict, order = "test-slow", "ungated", "impossible", 0

        def check(self, expr):
            time.sleep(30)
            raise AssertionError("the budget did not interrupt the check")

    import symbolic.classify as module
    monkeypatch.setattr(module, "all_arguments", lambda kind: [Slow()] + [
        a for a in all_arguments(kind) if a.id in ("parity", "sign-flip")])
    start = time.perf_counter()
    result = module.classification(parse_expression("Max(z, 0)"), "ungated", time_budget_s=0.5)
    assert time.perf_counter() - start < 5
    assert result.verdict == "undecided" and result.argument is None
    assert [r.argument for r in result.refuted] == []
    assert any("time budget of 0.5 s" in note for note in result.notes)
    assert any("sign-flip: undecided (not tried" in note for note in result.notes)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_budget_does_not_change_a_fast_verdict():
    assert classify_text("Max(z, 0)", time_budget_s=60) == classify_text("Max(z, 0)")
