"""Lattice evidence (issue 20): a certified "no index set" where the Lemma 8.2 tree cannot close. The producer
(indexset/lattice_cert.py, fplll) hands over a reduced basis; the checker (checker/lattice.py) re-derives the
embedding from the weights, checks that the basis spans it, and enumerates it exactly. Here: the checker's exact
enumeration and determinant against brute force, end-to-end certificates at n above the tree's reach, tampering, and
the bound against brute force over all 2^n subsets."""
import dataclasses
import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

pytest.importorskip("fpylll")

from checker import lattice as exact_lattice  # noqa: E402
from indexset import lattice_cert  # noqa: E402
from indexset import radius as rad  # noqa: E402
from indexset.api import certify_pair, validate  # noqa: E402
from indexset.evidence import Lattice  # noqa: E402
from indexset.trusted import exact_residual, frob2  # noqa: E402


def kaiming(seed, d, n):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)) / math.sqrt(d), rng.standard_normal((d, n)) / math.sqrt(n)


# ------------------------------------------------------------------------------------ the checker's pieces
@pytest.mark.parametrize("seed", range(6))
def test_exact_enumeration_is_complete_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    dim = 2 + seed % 3
    while True:
        basis = rng.integers(-6, 7, size=(dim, dim + 1)).tolist()
        if np.linalg.matrix_rank(np.array(basis, dtype=float)) == dim:
            break
    radius2 = Fraction(int(rng.integers(20, 120)))
    found = {tuple(exact_lattice.times(x, basis)) for x in exact_lattice.short_vectors(basis, radius2)}
    # brute force over a coefficient box that contains every solution: |x| <= sqrt(radius2) / lambda_min(B B^T)^(1/2)
    gram = np.array(basis, dtype=float) @ np.array(basis, dtype=float).T
    box = int(math.sqrt(float(radius2) / np.linalg.eigvalsh(gram)[0])) + 1
    brute = set()
    for x in itertools.product(range(-box, box + 1), repeat=dim):
        y = tuple(exact_lattice.times(list(x), basis))
        if any(x) and sum(v * v for v in y) <= radius2:
            brute.add(max(y, tuple(-v for v in y)))
    assert {max(y, tuple(-v for v in y)) for y in found} == brute
    assert len(found) == len(brute)  # one of each +-pair, never both


def test_determinant_against_fraction_elimination():
    rng = np.random.default_rng(3)
    for size in range(1, 7):
        m = rng.integers(-9, 10, size=(size, size)).tolist()
        a = [[Fraction(x) for x in row] for row in m]
        det = Fraction(1)
        for i in range(size):
            p = next((r for r in range(i, size) if a[r][i]), None)
            if p is None:
                det = Fraction(0)
                break
            if p != i:
                a[i], a[p] = a[p], a[i]
                det = -det
            det *= a[i][i]
            for r in range(i + 1, size):
                f = a[r][i] / a[i][i]
                a[r] = [x - f * y for x, y in zip(a[r], a[i])]
        assert exact_lattice.determinant(m) == det


def test_dependent_basis_rows_are_refused():
    with pytest.raises(ValueError, match="linearly dependent"):
        list(exact_lattice.short_vectors([[1, 2, 3], [2, 4, 6]], Fraction(100)))


# ------------------------------------------------------------------------------------ end to end
@pytest.fixture(scope="module")
def certified():
    """A random d = 4, n = 40 ReLU block (twice the tree's enumeration limit): auto answers with lattice evidence."""
    w_up, w_down = kaiming(7, 4, 40)
    cert, out = certify_pair(w_up, w_down, activation="relu")
    return cert, out


def test_random_block_above_the_tree_is_certified_not_absorbable(certified):
    cert, out = certified
    assert cert.evidence.kind == "lattice", out["evidence"]
    assert out["answer"] == "not_absorbable" and out["checked"]["status"] == "verified", out["checked"]
    # the bound is the certificate's radius, not tau ||A/c|| (2e-9 here)
    assert cert.distance_lower_bound > Fraction(4, 10 ** 9)


def _with_basis(cert, basis, **changes):
    evidence = dataclasses.replace(cert.evidence, basis=tuple(tuple(r) for r in basis), **changes)
    return dataclasses.replace(cert, evidence=evidence)


def test_tampered_lattice_evidence_is_rejected(certified):
    cert, _ = certified
    basis = [list(r) for r in cert.evidence.basis]
    bad = [r[:] for r in basis]
    bad[3][-1] += 1
    assert not _with_basis(cert, bad).check().ok
    doubled = [r[:] for r in basis]
    doubled[0] = [2 * x for x in doubled[0]]  # a sublattice of index 2: det U = 2
    verdict = _with_basis(cert, doubled).check()
    assert not verdict.ok and ("head" in verdict.message or "det" in verdict.message), verdict.message
    small = dataclasses.replace(cert, evidence=dataclasses.replace(cert.evidence,
                                                                     radius2=cert.evidence.radius2 / 2))
    assert "does not cover" in small.check().message
    greedy = dataclasses.replace(cert, distance_lower_bound=cert.distance_lower_bound * 10 ** 6)
    assert not greedy.check().ok


def test_unimodular_changes_of_basis_are_accepted(certified):
    cert, _ = certified
    basis = [list(r) for r in cert.evidence.basis]
    moved = [r[:] for r in basis]
    moved[0], moved[1] = moved[1], moved[0]
    moved[2] = [x + 3 * y for x, y in zip(moved[2], moved[5])]
    moved[4] = [-x for x in moved[4]]
    assert _with_basis(cert, moved).check().ok


# ------------------------------------------------------------------------------------ against brute force
def _min_distance2(w_up, w_down):
    d, n = w_down.shape
    best = None
    for mask in range(1 << n):
        s = [i for i in range(n) if mask >> i & 1]
        r2 = frob2(exact_residual(w_up, w_down, s, Fraction(1), "identity"))
        best = r2 if best is None else min(best, r2)
    return best


@pytest.mark.parametrize("seed,near", [(0, False), (1, False), (2, True), (3, True)])
def test_lattice_bound_never_exceeds_the_brute_force_minimum(seed, near):
    """d = 2, n = 13 (2^13 subsets in Fractions): the certified bound is at most the exact minimum distance, and a
    near miss (a planted set moved by 1e-6) is either met or bounded below its distance."""
    w_up, w_down = kaiming(100 + seed, 2, 13)
    if near:
        m = np.array([[1.5, 0.3], [-0.2, 1.1]])
        w_down[:, :2] = m
        w_up[:2] = -np.linalg.inv(m) + 1e-6
    cert, _ = certify_pair(w_up, w_down, activation="relu", method="relaxation")
    blk = validate(w_up, w_down, activation="relu").block
    radius = rad.choose(None, blk.dtype, None)
    lo, hi = rad.term_norm_bounds(blk.w_up, blk.w_down)
    evidence, bound = lattice_cert.lattice_evidence(
        blk, Fraction(1), "identity", radius, hi,
        lambda s: frob2(exact_residual(blk.w_up, blk.w_down, s, Fraction(1), "identity")))
    assert isinstance(evidence, Lattice)
    minimum2 = _min_distance2(w_up, w_down)
    assert bound * bound <= minimum2
    verdict = dataclasses.replace(cert, evidence=evidence, answer="no_index_set", theorem=None, grade=None,
                                  distance_lower_bound=bound).check()
    assert verdict.ok, verdict.message


def test_checkpoint_size_layers_are_not_embedded(monkeypatch):
    """d = 16, n = 64 (and anything the lattice estimate puts over the budget) is refused before any embedding."""
    called = []
    monkeypatch.setattr(lattice_cert, "exact_terms", lambda *a: called.append(1))
    for d, n in ((16, 64), (4, 2000)):
        w_up, w_down = kaiming(1, d, n)
        blk = validate(w_up, w_down, activation="relu").block
        radius = rad.choose(None, blk.dtype, None)
        assert lattice_cert.lattice_evidence(blk, Fraction(1), "identity", radius, [Fraction(1)] * n,
                                             lambda s: Fraction(1)) == (None, None)
    assert not called


def test_huge_weights_are_graded_per_subset_not_by_the_layers_storage_radius():
    """Terms of 1e300 make k(u) sum_i ||a_i|| ||b_i|| (the storage radius of the whole layer) exceed ||A/c||, so every
    0/1 point looked "within the radius" when compared with that maximum; graded per S (r(S) of S alone) none is,
    and the lattice evidence is verified."""
    rng = np.random.default_rng(1)
    w_up, w_down = rng.standard_normal((24, 2)) * 1e150, rng.standard_normal((2, 24)) * 1e150
    cert, out = certify_pair(w_up, w_down, activation="relu")
    assert cert.evidence.kind == "lattice" and out["checked"]["status"] == "verified", out["notes"]
