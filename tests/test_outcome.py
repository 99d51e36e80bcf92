"""Issue 17, "below the CLI, around one type": every solver step of `decide` returns the typed Outcome (the
relaxations and the enumeration included), each Outcome means what it says when re-checked in Fraction arithmetic,
and every internal of indexset/ takes (w_up, w_down, ...) in that order, like the public calls."""
import inspect
from fractions import Fraction

import numpy as np
import pytest

from indexset import certificate as cert
from indexset import decide as dec
from indexset import gram, search
from indexset.instance import prepare
from indexset.outcome import Outcome
from indexset.result import CertifyResult


def _run(w_up, w_down):
    inst = prepare(w_up, w_down)
    return dec._Run(inst, CertifyResult(d=inst.d, n=inst.n, c=str(inst.c), method="test", tol=inst.tol), 0.0)


def _planted(d, n, subset, seed):
    rng = np.random.default_rng(seed)
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    w_up[subset], w_down[:, subset] = -np.eye(d), np.eye(d)  # |S| = d: W_down[:, S] W_up[S, :] = -I exactly
    return w_up, w_down


def _exact_zero(w_up, w_down, subset) -> bool:
    """V + sum_S a_i b_i^T == 0 with every product taken in Fraction (V = I)."""
    d = w_down.shape[0]
    return all(Fraction(int(r == s)) + sum(Fraction(float(w_down[r, i])) * Fraction(float(w_up[i, s])) for i in subset)
               == 0 for r in range(d) for s in range(d))


def test_enumeration_returns_an_outcome_with_the_minimum():
    w_up, w_down = _planted(3, 9, [1, 4, 7], seed=0)
    out = dec._enumerate(_run(w_up, w_down), tiny=True)
    assert isinstance(out, Outcome) and out.status == "found" and out.decisive
    assert out.subset == (1, 4, 7) and out.exact_zero is True and _exact_zero(w_up, w_down, out.subset)
    rng = np.random.default_rng(1)
    w_up, w_down = rng.standard_normal((9, 3)), rng.standard_normal((3, 9))
    out = dec._enumerate(_run(w_up, w_down), tiny=False)
    truth = search.numpy_enumeration(w_up, w_down)
    assert out.status == "none" and out.residual == pytest.approx(truth["distance"], rel=1e-9)
    assert 0.0 <= out.lower_bound <= out.residual and out.covered["subsets"] == 512


@pytest.mark.parametrize("step", [dec._least_squares_outcome, dec._box_outcome])
def test_relaxations_return_an_outcome_whose_farkas_y_is_positive_in_fractions(step):
    rng = np.random.default_rng(2)
    w_up, w_down = rng.standard_normal((8, 3)), rng.standard_normal((3, 8))  # n < d^2: G positive definite
    run = _run(w_up, w_down)
    out = step(run, dec._factor(run))
    assert isinstance(out, Outcome) and out.status == "none" and out.farkas_y is not None
    assert out.relaxation > 0 and out.lower_bound > 0
    assert cert.phi_fraction(w_up, w_down, out.farkas_y) > 0  # on the data as given (the scaling keeps the sign)


def test_least_squares_outcome_found_is_an_exact_index_set():
    w_up, w_down = _planted(2, 4, [0, 3], seed=3)  # n = d^2: full rank generically
    run = _run(w_up, w_down)
    out = dec._least_squares_outcome(run, dec._factor(run))
    assert out.status == "found" and out.covered["gram_full_rank"] is True
    assert _exact_zero(w_up, w_down, out.subset)


def test_a_failed_farkas_step_is_inconclusive_and_decide_says_so():
    """n > d^2 with an index set: phi(R_LS) cannot verify (an S exists); the step says inconclusive, `--method
    relaxation` ends undecided, never "no index set"."""
    w_up, w_down = _planted(2, 9, [2, 5], seed=4)
    run = _run(w_up, w_down)
    out = dec._least_squares_outcome(run, dec._factor(run))
    assert out.status == "inconclusive" and not out.decisive and out.farkas_y is None
    res = dec.decide(w_up, w_down, method="relaxation")
    assert res.index_set_exists is None and res.certificate_verified is False


def test_apply_is_the_one_place_an_outcome_becomes_the_answer():
    w_up, w_down = _planted(2, 6, [1, 2], seed=5)
    run = _run(w_up, w_down)
    run.apply(Outcome("time_limit", message="HiGHS time limit of 1 s reached"), dec.MILP)
    assert run.res.index_set_exists is None and run.res.notes == ["HiGHS time limit of 1 s reached"]
    dist, exact_zero, _ = run.verify([1, 2])
    run.apply(Outcome("found", (2, 1), dist, exact_zero, 0.5), dec.MITM)
    assert run.res.index_set_exists is True and run.res.subset == [1, 2] and run.res.certificate == "existence"
    assert run.res.steps == ["milp: time_limit (0 s)", "meet-in-the-middle: found (0.5 s)"]


INTERNALS = [gram.hadamard_gram, gram.linear_term, gram.residual_matrix, gram.explicit_m, cert.factor_gram,
             cert.least_squares, cert.box, cert.ridge_values_exact, cert.verify_certificate, cert.phi_fraction,
             cert.residual_is_exactly_zero, search.scale_of, search.outer_rows, search.exhaustive_search,
             search.numpy_enumeration]


@pytest.mark.parametrize("fn", INTERNALS, ids=lambda f: f.__name__)
def test_every_internal_takes_w_up_first(fn):
    assert list(inspect.signature(fn).parameters)[:2] == ["w_up", "w_down"]


def test_instance_fields_are_in_the_same_order():
    rng = np.random.default_rng(7)
    names = list(prepare(rng.standard_normal((3, 2)), rng.standard_normal((2, 3))).__dataclass_fields__)
    assert names.index("w_up") < names.index("w_down")


def test_internals_agree_with_each_other_for_n_not_d():
    """A swapped pair would fail the shapes or give another problem: check values, not only shapes, for n != d."""
    rng = np.random.default_rng(6)
    w_up, w_down, v = rng.standard_normal((5, 2)), rng.standard_normal((2, 5)), np.eye(2)
    s = rng.random(5)
    g, q = gram.hadamard_gram(w_up, w_down), gram.linear_term(w_up, w_down, v)
    direct = float(np.sum(gram.residual_matrix(w_up, w_down, v, s) ** 2))
    assert gram.quadratic_form(g, q, v, s) == pytest.approx(direct, rel=1e-12)
    m = gram.explicit_m(w_up, w_down)
    assert np.allclose(m @ s + v.ravel(), gram.residual_matrix(w_up, w_down, v, s).ravel())
    assert np.allclose(search.outer_rows(w_up, w_down), m.T)
