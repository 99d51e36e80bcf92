"""The exact-decision portfolio (issue 11 §1): planted, near-miss (planted set perturbed by 1e-4) and random
instances answered by every method with the evidence named, the methods agreeing with enumeration, one registry."""
import argparse

import numpy as np
import pytest

from absorb import cmd_certify
from indexset import methods, mitm
from indexset.decide import decide
from indexset.instance import prepare
from indexset.result import result_json
from indexset.search import exhaustive_search


def instance(kind, d, n, seed):
    rng = np.random.default_rng(seed)
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    subset = sorted(rng.choice(n, d + 2, replace=False).tolist())
    if kind == "random":
        return w_up, w_down, None
    w_down[:, subset] = -np.linalg.pinv(w_up[subset, :])
    if kind == "near":
        w_down[:, subset] += 1e-4 * rng.standard_normal((d, len(subset)))
    return w_up, w_down, subset


EVIDENCE = {"existence": "index set", "meet-in-the-middle": "meet-in-the-middle", "milp-infeasible": "HiGHS", "lattice-search": "lattice",
            "enumeration": "enumeration", "farkas-ls": "Farkas", "farkas-box": "Farkas"}


@pytest.mark.parametrize("kind", ["planted", "near", "random"])
@pytest.mark.parametrize("d,n", [(2, 20), (3, 22), (4, 20)])
def test_every_exact_method_agrees_with_enumeration(kind, d, n):
    w_up, w_down, subset = instance(kind, d, n, seed=10 * d + n)
    truth = exhaustive_search(w_up, w_down, np.eye(d))
    exists = kind == "planted"
    assert (truth["distance"] < 1e-9) is exists
    for method in ("auto", "milp", "mitm", "exhaustive"):
        res = decide(w_up, w_down, method=method)
        assert res.index_set_exists is exists, (method, res)
        assert EVIDENCE[res.certificate] in res.evidence, (method, res.evidence)
        if exists:
            assert res.subset == subset and res.distance < 1e-12 and res.certificate == "existence"
        else:
            assert res.subset is None and res.distance_lower_bound <= truth["distance"] + 1e-12
            assert res.certificate_verified in (None, True)  # only an exact Farkas certificate says True


@pytest.mark.parametrize("kind", ["planted", "near", "random"])
def test_d2_n40_is_answered_in_seconds(kind):
    """Where HiGHS alone needs minutes (issue 11), meet-in-the-middle answers within tolerance tau."""
    w_up, w_down, subset = instance(kind, 2, 40, seed=3)
    res = decide(w_up, w_down, method="auto")
    assert res.index_set_exists is (kind == "planted"), res
    if kind == "planted":
        assert res.subset == subset and res.exact_zero is False and "within tau" in res.evidence
    else:
        assert res.certificate in ("meet-in-the-middle", "lattice-search") and "not a certificate" in res.evidence
    assert res.elapsed_s < 30


def test_d4_n48_planted_and_near_miss_with_highs():
    for kind in ("planted", "near"):
        w_up, w_down, subset = instance(kind, 4, 48, seed=5)
        res = decide(w_up, w_down, method="auto")
        assert res.index_set_exists is (kind == "planted"), res
        if kind == "near":
            assert res.certificate in ("milp-infeasible", "meet-in-the-middle", "lattice-search") and res.theorem is None


def test_full_rank_instances_keep_the_exact_certificate():
    w_up, w_down, _ = instance("random", 4, 12, seed=1)
    res = decide(w_up, w_down, method="auto")
    assert res.certificate == "farkas-ls" and res.certificate_verified is True
    assert res.theorem == "farkas-certificate" and res.steps[0] == "least-squares"


def test_exact_zero_is_reported_for_dyadic_data():
    """A planted set with an exactly representable inverse: 'exactly zero on the data as given', by every method."""
    d, n = 2, 14
    rng = np.random.default_rng(2)
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    w_up[[1, 6], :] = [[1.0, 0.5], [0.0, 2.0]]  # B_S with inverse [[1, -0.25], [0, 0.5]]
    w_down[:, [1, 6]] = -np.array([[1.0, -0.25], [0.0, 0.5]])
    for method in ("auto", "milp", "mitm", "exhaustive"):
        res = decide(w_up, w_down, method=method)
        assert res.subset == [1, 6] and res.exact_zero is True and res.certificate_verified is True
        assert "exactly zero on the data as given" in res.evidence


def test_mitm_degenerate_projection_is_inconclusive_not_wrong():
    """All terms equal to zero: every pair matches the projection; the search gives up instead of guessing."""
    n, d = 30, 2
    inst = prepare(np.zeros((n, d)), np.zeros((d, n)))
    out = mitm.solve(inst, verify=lambda s: (1.0, False, False))
    assert out.status in ("inconclusive", "none") and not (out.status == "inconclusive" and out.decisive)
    res = decide(np.zeros((n, d)), np.zeros((d, n)), method="auto")
    assert res.index_set_exists is False  # A/c = I is never reached by zero terms


def test_one_registry_of_methods():
    parser = argparse.ArgumentParser()
    cmd_certify.register(parser.add_subparsers())
    action = next(a for a in parser._subparsers._group_actions[0].choices["certify"]._actions
                  if a.dest == "method")
    assert tuple(action.choices) == methods.NAMES
    w_up, w_down, _ = instance("random", 2, 8, seed=0)
    for name in methods.NAMES:
        assert methods.METHODS[name].estimate(8, 2)["seconds"] >= 0 and callable(methods.METHODS[name].solver())
        assert decide(w_up, w_down, method=name).method == name


def test_result_json_is_the_documented_object():
    w_up, w_down, _ = instance("planted", 3, 10, seed=4)
    out = result_json(decide(w_up, w_down))
    assert set(out) >= {"d", "n", "c", "method", "index_set_exists", "subset", "distance", "distance_lower_bound",
                        "evidence", "certificate_verified", "elapsed_s"}
    assert set(out) - {"d", "n", "c", "method", "index_set_exists", "subset", "distance", "distance_lower_bound",
                       "evidence", "certificate_verified", "elapsed_s"} <= {"r_ls", "r_box", "theorem"}
