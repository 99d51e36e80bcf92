"""SymPy derivations of the biased sign flip and the norm invariances (symbolic/derivations/bias_norm.py): every step
verifies, and the same steps with a wrong correction, a sign-indefinite scale or eps > 0 do not."""
import sympy as sp

from symbolic.derivations import bias_norm
from symbolic.derivations._common import matrix_equal, vector


def _all_verified(result):
    return result["verified"] and all(s["verified"] for s in result["steps"])


def test_the_three_derivations_verify():
    for fn in (bias_norm.sign_flip_bias, bias_norm.prenorm_invariances, bias_norm.postnorm_projection):
        assert _all_verified(fn()), fn.__name__


def test_sign_flip_bias_covers_several_sizes():
    steps = bias_norm.sign_flip_bias()["steps"]
    assert len(steps) == 3 * len(bias_norm.SIGN_FLIP_CASES)
    assert {(d, len(S)) for d, _, S in bias_norm.SIGN_FLIP_CASES} == {(1, 1), (2, 2), (3, 3)}


def test_a_wrong_output_bias_correction_is_not_verified():
    steps = bias_norm.derive_sign_flip_bias(2, 3, (0, 2), claimed_factor=2)
    assert steps[0].verified  # the count of flipped terms does not depend on the correction
    assert not steps[1].verified and not steps[2].verified


def test_rms_scale_invariance_needs_t_positive():
    x, gain = vector("x", 2, real=True), vector("gamma", 2, real=True)
    t_real = sp.Symbol("t", real=True)
    assert not bias_norm._rms_scale_step(2, x, t_real, gain)[1].verified
    t_pos = sp.Symbol("t", positive=True)
    assert bias_norm._rms_scale_step(2, x, t_pos, gain)[1].verified


def test_rms_with_positive_eps_is_not_scale_invariant_and_layernorm_is_not_shift_free_without_centering():
    x, gain = vector("x", 2, real=True), vector("gamma", 2, real=True)
    t, eps = sp.Symbol("t", positive=True), sp.Symbol("epsilon", positive=True)
    step = matrix_equal(bias_norm.rms_norm(t * x, eps, gain), bias_norm.rms_norm(x, eps, gain), "rms eps",
                        reducers=bias_norm.NORM_REDUCERS)
    assert not step.verified
    s = sp.Symbol("s", real=True)
    shifted = bias_norm.rms_norm(x + s * sp.ones(2, 1), 0, gain)
    assert not matrix_equal(shifted, bias_norm.rms_norm(x, 0, gain), "rms shift").verified


def test_gelu_even_part_derivations_verify_and_a_wrong_coefficient_does_not():
    from symbolic.derivations import gelu_even
    assert _all_verified(gelu_even.gelu_class_identifiable())
    assert _all_verified(gelu_even.class_bias())
    wrong = gelu_even.gelu_class_identifiable(order=3, formula=lambda m: 2 * gelu_even.coefficient_formula(m))
    assert not wrong["verified"]


def test_certificate_derivations_verify_and_an_index_outside_the_cylinder_does_not():
    from symbolic.derivations import radius
    assert _all_verified(radius.partial_farkas())
    assert _all_verified(radius.storage_precision())
    # S containing an index of O is outside the cylinder of (I, O): the split no longer holds
    assert not radius.partial_farkas(S=(0, 3))["verified"]
