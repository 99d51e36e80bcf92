"""Lemma 8.2 branch-and-bound trees (issue 17 point 5): where n > d^2 the root Farkas certificate cannot exist, yet
the tree certifies a distance lower bound within a small factor of the exact minimum."""
from fractions import Fraction

import numpy as np
import pytest

from indexset import radius as rad
from indexset.api import certify_pair
from indexset.search import numpy_enumeration
from indexset.trusted import Block, leaf_phi


def _leaves(node):
    if "branch" in node:
        return _leaves(node["out"]) + _leaves(node["in"])
    return [node]


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_tree_bound_is_within_a_factor_10_of_the_exact_minimum(seed):
    rng = np.random.default_rng(seed)
    w_up, w_down = rng.standard_normal((18, 3)), rng.standard_normal((3, 18))
    cert, out = certify_pair(w_up, w_down, activation="relu")
    exact_min = numpy_enumeration(w_up, w_down, np.eye(3))["distance"]
    assert cert.evidence.kind in ("tree", "farkas"), cert.evidence
    lower = float(cert.distance_lower_bound)
    assert 0.1 * exact_min <= lower <= exact_min
    assert out["distance_lower_bound"] == lower and lower > 1e-3  # not tau ||A/c|| ~ 1.7e-9
    assert cert.answer == "not_absorbable" and cert.theorem == "generic-iff"


def test_tree_leaves_cover_every_subset_and_state_exact_phi():
    rng = np.random.default_rng(0)
    w_up, w_down = rng.standard_normal((18, 3)), rng.standard_normal((3, 18))
    cert, _ = certify_pair(w_up, w_down)
    root = cert.evidence.to_json()["root"] if cert.evidence.kind == "tree" else None
    if root is None:
        pytest.skip("closed at the root")
    # walk the tree: every leaf's cylinder, and the cylinders partition {0,1}^n
    cylinders = []

    def walk(node, inc, out):
        if "branch" in node:
            i = node["branch"]
            assert i not in inc and i not in out
            walk(node["out"], inc, out + [i])
            walk(node["in"], inc + [i], out)
        else:
            cylinders.append((node, inc, out))
    walk(root, [], [])
    assert sum(2.0 ** -(len(i) + len(o)) for _, i, o in cylinders) == 1.0
    block = Block(w_up, w_down)
    for node, inc, out in cylinders:
        if "Y" in node:
            free = [i for i in range(18) if i not in inc and i not in out]
            y = np.array([[float(Fraction(v)) for v in row] for row in node["Y"]])
            phi, _, q = leaf_phi(block, y, inc, free, Fraction(1), "identity", Fraction(0), None)
            assert Fraction(node["phi"]) == phi and phi / q >= cert.distance_lower_bound
        else:
            assert node == {"enumerate": True} and 18 - len(inc) - len(out) <= 20


def test_tree_budget_gives_a_search_not_a_partial_tree(monkeypatch):
    import indexset.tree as tree
    monkeypatch.setattr(tree, "NODE_LIMIT", 1)
    monkeypatch.setattr(tree.build_tree, "__defaults__", (1,))
    rng = np.random.default_rng(0)
    w_up, w_down = rng.standard_normal((18, 3)), rng.standard_normal((3, 18))
    cert, out = certify_pair(w_up, w_down, activation="relu", method="mitm")
    assert cert.evidence.kind == "search" and cert.answer == "no_index_set"
    assert any("node and time limits" in n for n in out["notes"])


def test_tree_finds_a_planted_set_instead_of_claiming_no():
    rng = np.random.default_rng(4)
    w_up, w_down = rng.standard_normal((18, 3)), rng.standard_normal((3, 18))
    w_down[:, :3] = np.eye(3)
    w_up[:3] = -np.eye(3)
    from indexset.tree import Found, build_tree
    from indexset.trusted import _grade_existence, exact_residual, frob2
    block = Block(w_up, w_down)
    radius = rad.choose(None, "float64")
    lo, hi = rad.term_norm_bounds(w_up, w_down)

    def within(s):
        return _grade_existence(frob2(exact_residual(w_up, w_down, s, Fraction(1), "identity")), block, s,
                                Fraction(1), "identity", radius, lo) is not None
    with pytest.raises(Found) as hit:
        build_tree(block, Fraction(1), "identity", radius, hi, within)
    assert within(hit.value.subset)


def test_tree_certificate_is_verified_by_the_checker():
    pytest.importorskip("checker")
    rng = np.random.default_rng(2)
    w_up, w_down = rng.standard_normal((18, 3)), rng.standard_normal((3, 18))
    cert, out = certify_pair(w_up, w_down, activation="relu")
    assert out["checked"]["status"] == "verified", out["checked"]


def test_tree_time_budget_gives_a_search(monkeypatch):
    import indexset.tree as tree
    monkeypatch.setattr(tree, "TIME_LIMIT_S", 0.0)
    monkeypatch.setattr(tree._Builder.__init__, "__defaults__", (0.0,))
    rng = np.random.default_rng(0)
    w_up, w_down = rng.standard_normal((18, 3)), rng.standard_normal((3, 18))
    cert, out = certify_pair(w_up, w_down, activation="relu", method="mitm")
    assert cert.evidence.kind == "search" and cert.answer == "no_index_set"
    assert any("time limits" in n for n in out["notes"])
