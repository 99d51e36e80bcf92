"""Property tests against brute force in Fraction (issue 17): on small instances with adversarial dynamic ranges
(subnormals, 1e-300 ... 1e300, mixed), an `absorbable` answer has an S whose exact residual is within the stated
radius, and every certified "no" (farkas/tree) has no S with R_S = 0 and respects its distance lower bound."""
import itertools
from fractions import Fraction

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexset.api import certify_pair

SCALES = [5e-324, 1e-310, 1e-300, 1e-150, 1e-20, 1e-3, 1.0, 7.0, 1e20, 1e150, 1e300]


def _fr(x):
    return Fraction(float(x))


def brute(w_up, w_down):
    """{S: ||R_S||_F^2} exactly, A = I, c = 1."""
    d, n = w_down.shape
    out = {}
    for k in range(n + 1):
        for s in itertools.combinations(range(n), k):
            r = [[Fraction(int(i == j)) + sum((_fr(w_down[i, t]) * _fr(w_up[t, j]) for t in s), Fraction(0))
                  for j in range(d)] for i in range(d)]
            out[s] = sum(v * v for row in r for v in row)
    return out


@st.composite
def instances(draw):
    d = draw(st.integers(1, 2))
    n = draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    for _ in range(draw(st.integers(0, 3))):  # adversarial entries
        i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, d - 1))
        scale = draw(st.sampled_from(SCALES))
        if draw(st.booleans()):
            w_up[i, j] = scale * draw(st.sampled_from([1.0, -1.0, 0.5]))
        else:
            w_down[j, i] = scale * draw(st.sampled_from([1.0, -1.0, 0.5]))
    if draw(st.booleans()) and n >= d:  # plant an exact index set on the first d neurons
        w_down[:, :d] = np.eye(d)
        w_up[:d] = -np.eye(d)
    return w_up, w_down


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_answers_agree_with_brute_force(inst):
    w_up, w_down = inst
    cert, out = certify_pair(w_up, w_down, method="exhaustive", check=False)
    table = brute(w_up, w_down)
    if cert.evidence.kind == "existence":
        s = tuple(cert.evidence.subset)
        assert table[s] == cert.evidence.residual_squared
        if cert.grade == "exact":
            assert table[s] == 0
    if cert.evidence.is_certificate and cert.answer in ("no_index_set", "not_absorbable"):
        assert all(v > 0 for v in table.values()), "a certified no for weights that have an exact index set"
        lower = cert.distance_lower_bound or Fraction(0)
        assert all(v >= lower * lower for v in table.values())
    if any(v == 0 for v in table.values()):
        assert cert.answer == "absorbable"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.sampled_from(["auto", "relaxation", "box"]))
def test_auto_and_relaxations_agree_with_brute_force(inst, method):
    w_up, w_down = inst
    cert, out = certify_pair(w_up, w_down, method=method, check=False)
    table = brute(w_up, w_down)
    if cert.evidence.kind == "existence":
        assert table[tuple(cert.evidence.subset)] == cert.evidence.residual_squared
    if cert.evidence.is_certificate and cert.answer in ("no_index_set", "not_absorbable"):
        assert all(v > 0 for v in table.values())
        lower = cert.distance_lower_bound or Fraction(0)
        assert all(v >= lower * lower for v in table.values())
