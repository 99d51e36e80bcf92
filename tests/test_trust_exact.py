"""Exact arithmetic for any finite float64 input (issue 17 point 1): wide dynamic ranges, subnormals, 1e+-300."""
from fractions import Fraction

import numpy as np
import pytest

from indexset import certificate as cert
from indexset import exact
from indexset.decide import decide
from indexset.instance import prepare

WIDE = [0.0, 5e-324, 1e-314, -2.2250738585072014e-308, 1e-300, -3.5e-200, 1.0, -7.25, 1e200, -1e300,
        1.7976931348623157e308]


def _frac(x):
    return Fraction(float(x))


def _wide_matrix(rng, shape):
    x = rng.standard_normal(shape) * np.exp(rng.uniform(-40, 40, shape))
    flat = x.ravel()
    idx = rng.choice(flat.size, size=min(flat.size, 4), replace=False)
    flat[idx] = rng.choice(WIDE, size=idx.size)
    return flat.reshape(shape)


def test_limbs_round_trip_on_any_finite_values():
    rng = np.random.default_rng(9)
    for trial in range(30):
        x = _wide_matrix(rng, (5, 4))
        if trial % 3 == 0:
            x = (rng.standard_normal((5, 4)) * 1e-40).astype(np.float32).astype(np.float64)  # float32 subnormals
        bits = exact.limb_bits(int(rng.integers(2, 2000)))
        limbs, e = exact.to_limbs(x, bits)
        assert all(np.all(np.abs(v) < 2 ** bits) for v in limbs.values())
        acc = exact.Accumulator()
        for k, v in limbs.items():
            acc.add(k, v.astype(np.int64))
        vals = acc.to_ints(bits, x.size)
        assert [Fraction(v) * Fraction(2) ** e for v in vals] == [_frac(v) for v in x.ravel()]


def test_matmul_and_ridge_values_exact_on_adversarial_ranges():
    rng = np.random.default_rng(3)
    for trial in range(12):
        d, k = int(rng.integers(1, 4)), int(rng.integers(1, 6))
        a, b = _wide_matrix(rng, (d, k)), _wide_matrix(rng, (k, d))
        got, e = exact.matmul_ints(a, b)
        ref = [sum((_frac(a[i, t]) * _frac(b[t, j]) for t in range(k)), Fraction(0)) for i in range(d)
               for j in range(d)]
        assert [Fraction(v) * Fraction(2) ** e for v in got] == ref
        y = rng.integers(-2 ** 20, 2 ** 20, (d, d)).astype(np.float64)
        ints, e = exact.ridge_ints(b, a, y)
        ref = [sum((_frac(a[r, i]) * _frac(y[r, s]) * _frac(b[i, s]) for r in range(d) for s in range(d)),
                   Fraction(0)) for i in range(k)]
        assert [Fraction(v) * Fraction(2) ** e for v in ints] == ref


def _planted_with_subnormal():
    rng = np.random.default_rng(0)
    d, n = 3, 16
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    w_down[:, :3] = np.eye(3)
    w_up[:3] = -np.eye(3)
    w_up[7, 1] = 1e-314  # one subnormal in an unrelated neuron: the matrix spans > 1023 binary orders
    return w_up, w_down


def test_no_false_farkas_certificate_with_a_subnormal_entry():
    """The issue's instance: an exact index set exists, so no Y may verify phi(Y) > 0 (Y = I has phi < 0)."""
    w_up, w_down = _planted_with_subnormal()
    assert cert.phi_fraction(w_up, w_down, np.eye(3)) < 0
    assert not cert.verify_certificate(w_up, w_down, np.eye(3))["verified"]
    inst = prepare(w_up, w_down)
    r, zero = cert.exact_residual(inst, [0, 1, 2])
    assert zero is True and not r.any()
    assert not cert.verify_certificate(inst.w_up, inst.w_down, np.eye(3), None, inst.c * 2 ** inst.g)["verified"]


@pytest.mark.parametrize("method", ["auto", "exhaustive", "relaxation", "box", "mitm", "milp"])
def test_planted_subnormal_instance_is_never_called_no(method):
    w_up, w_down = _planted_with_subnormal()
    res = decide(w_up, w_down, method=method)
    assert res.index_set_exists is not False


@pytest.mark.parametrize("method", ["auto", "exhaustive", "relaxation", "box", "mitm", "milp"])
@pytest.mark.parametrize("scales", [(1e-300, 1.0), (1e-300, 1e300), (1e-160, 1e-160), (1e150, 1e150)])
def test_extreme_scales_never_overflow(method, scales):
    rng = np.random.default_rng(1)
    w_up = rng.standard_normal((10, 3)) * scales[0]
    w_down = rng.standard_normal((3, 10)) * scales[1]
    res = decide(w_up, w_down, method=method)
    assert res.index_set_exists in (True, False, None)


def test_residual_exactly_zero_with_mixed_ranges():
    """1e300 * 1e-300 is not exactly 1 in binary: the exact test must see the difference."""
    w_down = np.array([[1e300, 0.0], [0.0, 1.0]])
    w_up = np.array([[-1e-300, 0.0], [0.0, -1.0]])
    prod = Fraction(1e300) * Fraction(1e-300)
    assert prod != 1
    assert cert.residual_is_exactly_zero(w_up, w_down, [0, 1]) is False
    assert cert.residual_is_exactly_zero(w_up, w_down, [0, 1], skip=np.diag([1.0, 1.0])) is False
    w_down[0, 1] = 5e-324  # a subnormal where the product is zero: now R_01 = 5e-324 * -1 != 0
    w_up[0, 0] = -1.0 / 1e300
    assert cert.residual_is_exactly_zero(w_up, w_down, [0, 1]) is False


def test_a_subnormal_factor_next_to_a_normal_one_is_answered_not_refused():
    """Found by the property test: W_up = [[0.126, -0.132]], W_down = [[0.64], [5e-324]] -- the balanced split of the
    term underflows; prepare() now puts the scale on one side instead of refusing."""
    from indexset.api import certify_pair
    cert, out = certify_pair(np.array([[0.12573022, -0.13210486]]), np.array([[6.4042265e-001], [4.9406565e-324]]),
                             check=False)
    assert out["answer"] == "no_index_set" and cert.evidence.is_certificate
    cert, out = certify_pair(np.array([[1e300]]), np.array([[1e150]]), check=False)  # radius beyond float range
    assert out["answer"] in ("no_index_set", "undecided")
