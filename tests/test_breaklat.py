"""Adversarial review of the lattice evidence (issue 20): hostile evidence must be rejected within bounded work, and
the enumeration must stay exact. Each test failed (or hung) before its fix in checker/lattice.py."""
import dataclasses
import math
import signal
from fractions import Fraction

import numpy as np
import pytest

from checker import lattice


@pytest.fixture
def alarm():
    """Fail instead of hanging: the unfixed enumeration walked a gigantic interval one integer at a time."""
    def _raise(*_):
        raise TimeoutError("the enumeration did not stay bounded")
    old = signal.signal(signal.SIGALRM, _raise)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def test_gigantic_radius_is_refused_quickly(alarm):
    """radius2 = 10^600 passes `covers` (a lower bound only); the interval at the top level has 10^300 integers."""
    basis = [[3, 1, 0], [1, 4, 1]]
    with pytest.raises(lattice.TooManyNodes):
        for _ in lattice.short_vectors(basis, Fraction(10) ** 600, max_nodes=1000):
            pass


def test_leaves_count_as_nodes(alarm):
    """Rank 1: every vector is a leaf; the unfixed walk counted only calls, so 10^6 leaves passed a 100-node cap."""
    with pytest.raises(lattice.TooManyNodes):
        for _ in lattice.short_vectors([[1, 0]], Fraction(10) ** 12, max_nodes=100):
            pass


@pytest.mark.parametrize("seed", range(8))
def test_interval_ends_match_brute_force(seed):
    """The closed-form interval ends (isqrt, then a few exact steps) against a brute force over a coefficient box,
    with fractional centers (non-orthogonal bases) and radii from tiny to large."""
    rng = np.random.default_rng(50 + seed)
    dim = 2 + seed % 2
    while True:
        basis = rng.integers(-9, 10, size=(dim, dim)).tolist()
        if round(abs(np.linalg.det(np.array(basis, dtype=float)))) >= 1:
            break
    gram = np.array(basis, dtype=float) @ np.array(basis, dtype=float).T
    for radius2 in (Fraction(1, 3), Fraction(7), Fraction(int(rng.integers(50, 400)), 3)):
        found = {tuple(lattice.times(x, basis)) for x in lattice.short_vectors(basis, radius2)}
        box = int(math.sqrt(float(radius2) / np.linalg.eigvalsh(gram)[0])) + 1
        brute = set()
        for x in np.ndindex(*([2 * box + 1] * dim)):
            c = [v - box for v in x]
            y = tuple(lattice.times(c, basis))
            if any(c) and sum(v * v for v in y) <= radius2:
                brute.add(max(y, tuple(-v for v in y)))
        assert {max(y, tuple(-v for v in y)) for y in found} == brute


def test_too_large_basis_is_named():
    assert "bits" in lattice.too_large([[2 ** 40, 0], [0, 1]])
    assert "too large" in lattice.too_large([[1] * 200 for _ in range(199)])
    assert lattice.too_large([[70, -3], [5, 9]]) == ""


def test_huge_entries_are_rejected_before_any_exact_work():
    """A unimodular change of an honest basis with a 2^3000 multiplier spans the same lattice; before the size cap
    the exact Gram-Schmidt and walk on such numbers ran for many minutes. Now: rejected, naming the size."""
    pytest.importorskip("fpylll")
    from indexset.api import certify_pair
    rng = np.random.default_rng(7)
    w_up, w_down = rng.standard_normal((40, 4)) / 2, rng.standard_normal((4, 40)) / math.sqrt(40)
    cert, out = certify_pair(w_up, w_down, activation="relu")
    assert cert.evidence.kind == "lattice" and out["checked"]["status"] == "verified", out["checked"]
    basis = [list(r) for r in cert.evidence.basis]
    basis[0] = [x + (2 ** 3000 + 1) * y for x, y in zip(basis[0], basis[1])]
    bad = dataclasses.replace(cert, evidence=dataclasses.replace(cert.evidence, basis=tuple(map(tuple, basis))))
    verdict = bad.check()
    assert not verdict.ok and "bits" in verdict.message, verdict.message


def test_producer_never_hands_over_a_basis_the_checker_refuses_for_size(monkeypatch):
    """The checker's size cap (MAX_ENTRY_BITS) must not turn an honest schedule into a rejected certificate: the
    producer stops at a basis the checker would refuse (here: a cap of 3 bits refuses every reduced basis)."""
    pytest.importorskip("fpylll")
    from indexset import lattice_cert
    from indexset import radius as rad
    from indexset.api import validate
    from indexset.trusted import exact_residual, frob2
    rng = np.random.default_rng(7)
    w_up, w_down = rng.standard_normal((40, 4)) / 2, rng.standard_normal((4, 40)) / math.sqrt(40)
    blk = validate(w_up, w_down, activation="relu").block
    radius = rad.choose(None, blk.dtype, None)
    hi = rad.term_norm_bounds(blk.w_up, blk.w_down)[1]

    def run():
        return lattice_cert.lattice_evidence(blk, Fraction(1), "identity", radius, hi, lambda s: frob2(
            exact_residual(blk.w_up, blk.w_down, s, Fraction(1), "identity")))
    evidence, _ = run()
    assert evidence is not None and not lattice.too_large(evidence.basis)
    monkeypatch.setattr(lattice, "MAX_ENTRY_BITS", 3)
    assert run() == (None, None)
