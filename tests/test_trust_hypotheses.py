"""Hypotheses decided exactly on the instance (issue 17 point 3)."""
from fractions import Fraction

import numpy as np

from indexset.hypotheses import check_hypotheses


def _by(hyps):
    return {h.name: h for h in hyps}


def test_generic_random_block_satisfies_everything():
    rng = np.random.default_rng(0)
    hyps = _by(check_hypotheses(rng.standard_normal((8, 3)), rng.standard_normal((3, 8))))
    assert all(h.holds for h in hyps.values()) and list(hyps) == ["G0", "G-line", "G-class", "d>=2"]


def test_g0_names_the_zero_neuron():
    rng = np.random.default_rng(1)
    w_up, w_down = rng.standard_normal((6, 3)), rng.standard_normal((3, 6))
    w_down[:, 4] = 0.0
    h = _by(check_hypotheses(w_up, w_down))["G0"]
    assert not h.holds and h.witness == (4,) and "neuron 4" in h.describe()
    w_down[:, 4] = 1.0
    w_up[2] = 0.0
    assert _by(check_hypotheses(w_up, w_down))["G0"].witness == (2,)


def test_g0_projected_sees_constant_columns():
    rng = np.random.default_rng(2)
    w_up, w_down = rng.standard_normal((5, 3)), rng.standard_normal((3, 5))
    w_down[:, 3] = 2.5  # P a_3 = 0
    assert _by(check_hypotheses(w_up, w_down))["G0"].holds
    assert _by(check_hypotheses(w_up, w_down, skip="projected"))["G0"].witness == (3,)


def test_line_and_class_distinguish_scaled_from_negated_rows():
    rng = np.random.default_rng(3)
    w_up, w_down = rng.standard_normal((6, 3)), rng.standard_normal((3, 6))
    w_up[5] = 4.0 * w_up[1]  # parallel (exactly: a power of two), not +-equal
    h = _by(check_hypotheses(w_up, w_down))
    assert h["G-line"].witness == (1, 5) and h["G-class"].holds
    w_up[5] = -w_up[1]
    h = _by(check_hypotheses(w_up, w_down))
    assert h["G-line"].witness == (1, 5) and h["G-class"].witness == (1, 5)


def test_parallel_exactly_even_when_the_quotient_rounds():
    """b_j = b_i / 3 exactly is impossible in floats, but b_j = 0.1 * b_i rounded is not parallel: the exact
    confirmation must reject a float-key collision that is not an exact dependence, and keep true ones."""
    w_down = np.ones((2, 2))
    w_up = np.array([[3.0, 1.0], [3.0, 1.0 + 2 ** -52]])  # not parallel
    assert _by(check_hypotheses(w_up, w_down))["G-line"].holds
    w_up = np.array([[3.0, 1.0], [3.0, 1.0]]) * 3.0  # 3 * (3, 1) = (9, 3): exact, parallel to (3, 1) ...
    w_up[0] = [3.0, 1.0]
    assert _by(check_hypotheses(w_up, w_down))["G-line"].witness == (0, 1)
    w_up = np.array([[0.1, 0.3], [0.1 * 3.0, 0.3 * 3.0]])  # ... but 3 * fl(0.1) rounds: not parallel exactly
    assert (Fraction(w_up[1, 0]) * Fraction(w_up[0, 1]) == Fraction(w_up[1, 1]) * Fraction(w_up[0, 0])) == \
        (not _by(check_hypotheses(w_up, w_down))["G-line"].holds)
    w_up = np.array([[1e-300, 3e-300], [np.ldexp(1e-300, 1990), np.ldexp(3e-300, 1990)]])  # 600 orders apart
    assert _by(check_hypotheses(w_up, w_down))["G-line"].witness == (0, 1)
    w_up = np.array([[5e-324, 1.0], [1e-323, 2.0]])  # subnormal pivots
    assert _by(check_hypotheses(w_up, w_down))["G-line"].witness == (0, 1)


def test_d1_fails_line_and_dimension():
    w_up, w_down = np.array([[1.0], [2.0]]), np.array([[1.0, 1.0]])
    h = _by(check_hypotheses(w_up, w_down))
    assert not h["d>=2"].holds and not h["G-line"].holds and h["G-class"].holds


def test_biased_forms_use_b_tilde():
    w_up, w_down = np.array([[1.0], [2.0], [-1.0]]), np.array([[1.0, 1.0, 1.0]])
    h = _by(check_hypotheses(w_up, w_down, up_bias=np.array([0.5, 1.5, 0.25])))  # kinks -0.5, -0.75, 0.25
    assert list(h) == ["G0b", "G-line-b", "G-class-b", "d>=2"]
    assert h["G0b"].holds and h["G-line-b"].holds and h["G-class-b"].holds
    h = _by(check_hypotheses(w_up, w_down, up_bias=np.array([0.5, 1.0, 0.25])))  # kinks -0.5, -0.5: same plane
    assert h["G-line-b"].witness == (0, 1) and h["G-class-b"].holds
    h = _by(check_hypotheses(w_up, w_down, up_bias=np.array([0.5, 1.0, -0.5])))  # (1, .5) = -(-1, -.5)
    assert h["G-class-b"].witness == (0, 2)
