"""The independent checker (checker/): every verdict against brute-force enumeration in Fraction, tampered
certificates rejected, the hypotheses and theorem table, storage precision, and `absorb check` exit codes."""
import copy
import json
import os
import subprocess
import sys
from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

import checker
from checker.exact import rows_times_rows, sqrt_bounds
from checker_certgen import Problem, decide_hypotheses, make_certificate, sha256, write_safetensors

EXACT = {"kind": "exact", "tau": None, "u": None}
# a few seconds per property test; CHECKER_EXAMPLES=400 for a longer local run
FAST = settings(max_examples=int(os.environ.get("CHECKER_EXAMPLES", "40")), deadline=None,
                suppress_health_check=list(HealthCheck))
ADVERSARIAL = [0.0, 1.0, -1.0, 0.5, -2.0, 3.0, 1e-320, -5e-324, 2.2250738585072014e-308, 1e300, -1e300, 1e-10,
               7.5, 1e10]


def verdict(cert, root=None):
    return checker.check(cert, root)


def planted(rng, d, n, k=None, scale=1.0):
    """Gaussian weights with an exact index set S = {0..k-1} (a_i = e_i, b_i = -e_i), k <= d."""
    up, down = rng.standard_normal((n, d)) * scale, rng.standard_normal((d, n)) * scale
    k = d if k is None else k
    up[:k], down[:, :k] = -np.eye(d)[:k], np.eye(d)[:, :k]
    return up, down


# ---------------------------------------------------------------- exact arithmetic helpers

@settings(max_examples=60, deadline=None)
@given(st.integers(0, 4), st.integers(0, 4), st.integers(1, 4), st.data())
def test_packed_product_equals_the_triple_loop(rows, count, inner, data):
    ints = st.one_of(st.integers(-3, 3), st.integers(-2 ** 200, 2 ** 200))
    left = [[data.draw(ints) for _ in range(inner)] for _ in range(rows)]
    right = [[data.draw(ints) for _ in range(inner)] for _ in range(count)]
    assert rows_times_rows(left, right) == [[sum(x * y for x, y in zip(l, r)) for r in right] for l in left]


@given(st.fractions(min_value=0, max_denominator=10 ** 30) | st.integers(0, 10 ** 80).map(Fraction))
def test_sqrt_bounds_bracket(x):
    lo, hi = sqrt_bounds(x)
    assert lo * lo <= x <= hi * hi and lo >= 0
    assert hi - lo <= hi / 2 ** 60


# ---------------------------------------------------------------- against brute force

@st.composite
def instances(draw):
    d, n = draw(st.integers(1, 3)), draw(st.integers(1, 8))
    value = st.one_of(st.sampled_from(ADVERSARIAL), st.floats(-4, 4, width=32))
    up = np.array([[draw(value) for _ in range(d)] for _ in range(n)])
    down = np.array([[draw(value) for _ in range(n)] for _ in range(d)])
    if d <= n and draw(st.booleans()):  # plant an exact index set S (|S| = d, a_i = e_j, b_i = -e_j)
        for j, i in enumerate(draw(st.permutations(range(n)))[:d]):
            up[i], down[:, i] = 0.0, 0.0
            up[i, j], down[j, i] = -1.0, 1.0
    tau = draw(st.sampled_from([None, "1/1000000000", "1/1000", "1/10"]))
    radius = EXACT if tau is None else {"kind": "relative", "tau": tau, "u": None}
    return up, down, radius


@FAST
@given(instances())
def test_every_verified_answer_is_true(tmp_path_factory, inst):
    up, down, radius = inst
    path = tmp_path_factory.mktemp("w") / "w.safetensors"
    cert, p = make_certificate(path, up, down, radius=radius, hypotheses=())
    v = verdict(cert)
    assert v.status == "verified", v.message  # the test producer is honest
    norms = p.all_norms()
    tau = Fraction(radius["tau"]) if radius["tau"] else Fraction(0)
    rel2 = tau * tau * p.v_norm2()
    if cert["answer"] == "absorbable":
        s = tuple(cert["evidence"]["subset"])
        assert norms[s] <= rel2 and (norms[s] == 0) == (cert["grade"] == "exact")
    else:
        assert all(r2 > rel2 for r2 in norms.values())
        bound = Fraction(cert["distance_lower_bound"])
        assert all(r2 >= bound * bound for r2 in norms.values())


@FAST
@given(instances(), st.sampled_from([2 ** -24, 2 ** -8, 0.1]), st.booleans())
def test_verified_no_at_a_storage_radius_is_true(tmp_path_factory, inst, u, default):
    """A 'no' verified at the storage (or default) radius holds: every S has ||R_S|| > rho(S) (and > tau ||A/c||),
    with rho evaluated in 80-digit decimal arithmetic, independently of the checker's isqrt bounds."""
    import decimal
    up, down, _ = inst
    path = tmp_path_factory.mktemp("w") / "w.safetensors"
    cert, p = make_certificate(path, up, down)
    assume(cert["answer"] == "no_index_set")
    radius = {"kind": "default" if default else "storage", "tau": "1/1000000000" if default else None,
              "u": str(Fraction(u))}
    cert["question"]["radius"] = radius
    v = verdict(cert)
    event(v.status)
    if not v.ok:
        return  # the test producer ignores the storage terms: a rejection is allowed, a false 'verified' is not
    ctx = decimal.Context(prec=80)
    uq = Fraction(u)
    k = (2 * uq + uq * uq) / (1 - uq) ** 2
    dec = lambda x: ctx.divide(decimal.Decimal(x.numerator), decimal.Decimal(x.denominator))  # noqa: E731
    w = [ctx.multiply(dec(k), ctx.sqrt(dec(sum(x * x for x in p.down_col(i)) * sum(x * x for x in p.b[i]))))
         for i in range(p.n)]
    tau2 = Fraction(1, 10 ** 18) * p.v_norm2() if default else Fraction(0)
    for subset, r2 in p.all_norms().items():
        rho = sum((w[i] for i in subset), decimal.Decimal(0))
        assert r2 > tau2 and dec(r2) > ctx.multiply(rho, rho) * (1 + decimal.Decimal(10) ** -60), (subset, v.message)


def _digits(obj, path=()):
    """Every (path, position) of a digit inside a rational string of Y or phi."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _digits(v, path + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _digits(v, path + (i,))
    elif isinstance(obj, str) and ("Y" in path or "phi" in path):
        for pos, ch in enumerate(obj):
            if ch.isdigit():
                yield path, pos


def _set(obj, path, value):
    for key in path[:-1]:
        obj = obj[key]
    obj[path[-1]] = value


def _get(obj, path):
    for key in path:
        obj = obj[key]
    return obj


@FAST
@given(instances(), st.data())
def test_tampered_certificates_are_rejected(tmp_path_factory, inst, data):
    """One digit of Y or phi, one byte of the weights, a flipped hypothesis, a collapsed branch: REJECTED, or (for
    Y and branches, where the changed certificate may still be a proof) a verdict that brute force confirms."""
    up, down, radius = inst
    path = tmp_path_factory.mktemp("w") / "w.safetensors"
    cert, p = make_certificate(path, up, down, radius=radius, hypotheses=decide_hypotheses(Problem(up, down)))
    assert verdict(cert).ok
    how = data.draw(st.sampled_from(["digit", "weights", "hypothesis", "branch", "residual"]))
    bad = copy.deepcopy(cert)
    if how == "digit":
        spots = list(_digits(bad["evidence"]))
        assume(spots)
        where, pos = data.draw(st.sampled_from(spots))
        text = _get(bad, ("evidence",) + where)
        new = data.draw(st.sampled_from([c for c in "0123456789" if c != text[pos]]))
        changed = text[:pos] + new + text[pos + 1:]
        assume("/0" not in changed.replace("/0.", "") or not changed.split("/")[-1].strip("0") == "")
        _set(bad, ("evidence",) + where, changed)
    elif how == "weights":
        raw = bytearray(path.read_bytes())
        pos = data.draw(st.integers(0, len(raw) - 1))
        raw[pos] ^= 1 << data.draw(st.integers(0, 7))
        path.write_bytes(bytes(raw))
    elif how == "hypothesis":
        i = data.draw(st.integers(0, len(bad["hypotheses"]) - 1))
        bad["hypotheses"][i]["holds"] = not bad["hypotheses"][i]["holds"]
    elif how == "branch":
        assume(bad["evidence"]["kind"] == "tree" and "branch" in bad["evidence"]["root"])
        node = bad["evidence"]["root"]
        bad["evidence"]["root"] = node[data.draw(st.sampled_from(["out", "in"]))]
    else:
        assume(bad["evidence"]["kind"] == "existence")
        bad["evidence"]["residual_squared"] = str(Fraction(bad["evidence"]["residual_squared"]) + Fraction(1, 3))
    try:
        v = verdict(bad)
    except checker.CertificateError:
        return  # e.g. a digit change that makes a zero denominator, or a weights byte that breaks the header
    if how in ("weights", "hypothesis", "residual") or (how == "digit" and "phi" in where):
        assert v.status == "rejected", (how, v.message)
        return
    if v.ok:  # a changed Y (same phi) or a collapsed branch can still be a valid proof: then it must be true
        tau = Fraction(radius["tau"]) if radius["tau"] else Fraction(0)
        assert all(r2 > tau * tau * p.v_norm2() for r2 in p.all_norms().values())


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-3, 10 ** 30) | st.floats() |
                           st.text(max_size=8) | st.sampled_from(["1/0", "-1", "0", "1/3", "", "nd", "dn"]),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                       max_size=3), max_leaves=6)


def _paths(obj, path=()):
    yield path
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, path + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, path + (i,))


@FAST
@given(instances(), st.data())
def test_any_garbage_in_a_certificate_is_a_verdict_or_a_certificate_error(tmp_path_factory, inst, data):
    """Replacing any part of a valid certificate by any JSON value never raises anything but CertificateError."""
    up, down, radius = inst
    cert, _ = make_certificate(tmp_path_factory.mktemp("w") / "w.safetensors", up, down, radius=radius,
                               hypotheses=decide_hypotheses(Problem(up, down)), activation="gelu")
    where = data.draw(st.sampled_from(list(_paths(cert))))
    value = data.draw(JSON_VALUES)
    bad = copy.deepcopy(cert)
    if where:
        _set(bad, where, value)
    else:
        bad = value
    try:
        v = verdict(bad)
    except checker.CertificateError:
        return
    assert v.status in ("verified", "rejected", "search")


def test_changed_y_digit_is_caught_by_the_stored_phi(tmp_path):
    up, down = np.random.default_rng(3).standard_normal((3, 2)), np.random.default_rng(4).standard_normal((2, 3))
    cert, _ = make_certificate(tmp_path / "w.safetensors", up, down)
    assert cert["evidence"]["kind"] == "farkas" and verdict(cert).ok
    y = cert["evidence"]["Y"]
    y[0][0] = str(Fraction(y[0][0]) + Fraction(1, 2 ** 40))  # changes tr(Y), hence phi
    v = verdict(cert)
    assert v.status == "rejected" and "phi" in v.message


# ---------------------------------------------------------------- adversarial weights (issue 17, points 1-3)

def test_wide_dynamic_range_with_an_exact_index_set_is_never_called_no(tmp_path):
    """The issue's false certificate (there d = 3, n = 16): S = {0,1,2} exact, a subnormal and a huge entry
    elsewhere."""
    rng = np.random.default_rng(0)
    up, down = planted(rng, 3, 10)
    down[1, 9] = 1e-314
    up[7, 2] = 1e300
    cert, p = make_certificate(tmp_path / "w.npz", up, down)
    assert cert["answer"] == "absorbable" and verdict(cert).ok
    forged = copy.deepcopy(cert)
    y = Problem(up, down).ls_y(frozenset(), frozenset())
    y = y if y is not None else [[Fraction(int(j == k)) for k in range(3)] for j in range(3)]
    phi = Problem(up, down).phi(y, set(), set())
    forged.update(answer="no_index_set", grade=None, evidence={"kind": "farkas", "phi": str(phi),
                                                               "Y": [[str(x) for x in r] for r in y]})
    assert verdict(forged).status == "rejected"


def test_float32_planted_layer_is_absorbable_within_storage_precision(tmp_path):
    """Ideal weights with an exact index set, stored in float32: R_S != 0 but within rho(S) (BLUEPRINT §8.2)."""
    rng = np.random.default_rng(5)
    d, n = 4, 12
    q_mat = rng.standard_normal((d, d))
    up, down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    down[:, :d], up[:d] = q_mat, -np.linalg.inv(q_mat)
    up32, down32 = up.astype(np.float32), down.astype(np.float32)
    p = Problem(up32, down32)
    r2 = p.norm2(tuple(range(d)))
    assert r2 > 0
    path = tmp_path / "w.safetensors"
    write_safetensors(path, {"up": up32, "down": down32})
    cert, _ = make_certificate(path, up32, down32)
    assert cert["answer"] == "no_index_set" or cert["evidence"]["subset"] != list(range(d))
    storage = {"kind": "storage", "tau": None, "u": f"1/{2 ** 24}"}
    cert.update(answer="absorbable", grade="storage_precision", distance_lower_bound=None,
                question={"width": n, "radius": storage},
                evidence={"kind": "existence", "subset": list(range(d)), "residual_squared": str(r2)})
    v = verdict(cert)
    assert v.ok and "storage_precision" in v.message, v.message
    default = {"kind": "default", "tau": "1/1000000000", "u": f"1/{2 ** 24}"}
    assert verdict({**cert, "question": {"width": n, "radius": default}}).ok
    exact = verdict({**cert, "question": {"width": n, "radius": EXACT}})
    assert exact.status == "rejected" and "outside the radius" in exact.message
    coarse = verdict({**cert, "question": {"width": n, "radius": {**storage, "u": "1/256"}}})
    assert coarse.status == "rejected" and "coarser than the storage format" in coarse.message


def test_farkas_at_the_storage_radius_and_its_failure(tmp_path):
    rng = np.random.default_rng(6)
    up, down = rng.standard_normal((6, 3)).astype(np.float32), rng.standard_normal((3, 6)).astype(np.float32)
    cert, _ = make_certificate(tmp_path / "w.safetensors", up, down)
    assert cert["evidence"]["kind"] == "farkas"
    for u in (f"1/{2 ** 24}", "1/256"):
        radius = {"kind": "default", "tau": "1/1000000000", "u": u}
        assert verdict({**cert, "question": {"width": 6, "radius": radius}}).ok
    huge = {"kind": "storage", "tau": None, "u": "9/10"}  # k(u) = 27.9: every S is within the radius
    v = verdict({**cert, "question": {"width": 6, "radius": huge}})
    assert v.status == "rejected" and "does not prove" in v.message


def test_bf16_safetensors_and_int64_npz_existence(tmp_path):
    up, down = planted(np.random.default_rng(7), 2, 5)
    bits = lambda a: (a.astype(np.float32).view(np.uint32) & 0xFFFF0000).view(np.float32)  # noqa: E731
    up16, down16 = bits(up), bits(down)
    cert, _ = make_certificate(tmp_path / "w.safetensors", up16, down16, bf16={"up", "down"})
    assert cert["answer"] == "absorbable" and verdict(cert).ok
    big = 2 ** 53 + 1  # not a float64: read as one, the residual below would be exactly zero
    up_i, down_i = np.array([[big]], dtype=np.int64), np.array([[-1]], dtype=np.int64)
    c = Fraction(1, 2 ** 53)  # V = 2^53, R_{0} = 2^53 - (2^53 + 1) = -1
    cert, p = make_certificate(tmp_path / "w.npz", up_i, down_i, c=c)
    assert p.all_norms() == {(): Fraction(2 ** 106), (0,): Fraction(1)}
    assert cert["answer"] == "no_index_set" and verdict(cert).ok
    forged = {**cert, "answer": "absorbable", "grade": "exact", "distance_lower_bound": None,
              "evidence": {"kind": "existence", "subset": [0], "residual_squared": "0"}}
    v = verdict(forged)
    assert v.status == "rejected" and "||R_S||_F^2 is 1" in v.message


# ---------------------------------------------------------------- hypotheses and theorems

def test_hypotheses_agree_with_their_definitions():
    rows = [[2, 4], [1, 2], [-2, -4], [0, 0], [0, 3]]  # b and 2b: parallel, not the same class
    up = np.array(rows, dtype=np.float64)
    down = np.ones((2, 5))
    p = Problem(up, down)
    truth = {h["name"]: h["holds"] for h in decide_hypotheses(p)}
    assert truth == {"G0": False, "G0b": False, "G-line": False, "G-class": False, "G-line-b": False,
                     "G-class-b": False, "d>=2": True}
    up2 = np.array([[2.0, 4.0], [1.0, 2.0], [0.5, 3.0]])
    truth2 = {h["name"]: h["holds"] for h in decide_hypotheses(Problem(up2, np.ones((2, 3))))}
    assert truth2["G-class"] and not truth2["G-line"]


@FAST
@given(st.integers(1, 3), st.integers(2, 7), st.data())
def test_hypothesis_decisions_match_brute_force(tmp_path_factory, d, n, data):
    pool = [[data.draw(st.sampled_from([0.0, 1.0, -1.0, 2.0, 0.5, 1e-320, 1e300])) for _ in range(d)]
            for _ in range(3)]
    scales = st.sampled_from([1.0, -1.0, 2.0, -0.5, 0.0])
    up = np.array([[data.draw(scales) * x for x in data.draw(st.sampled_from(pool))] for _ in range(n)])
    down = np.array([[data.draw(st.sampled_from([0.0, 1.0, -3.0])) for _ in range(n)] for _ in range(d)])
    beta = np.array([data.draw(st.sampled_from([0.0, 1.0, -1.0, 2.0])) for _ in range(n)])
    path = tmp_path_factory.mktemp("w") / "w.safetensors"
    p = Problem(up, down)
    hyps = decide_hypotheses(p, [Fraction(float(x)) for x in beta])
    cert, _ = make_certificate(path, up, down, hypotheses=hyps, biases={"up_bias": beta}, enum_at=8)
    v = verdict(cert)
    assert v.ok, v.message
    flipped = copy.deepcopy(cert)
    flipped["hypotheses"][data.draw(st.integers(0, 6))]["holds"] ^= True
    assert verdict(flipped).status == "rejected"


def _no_cert(tmp_path, up, down, activation, theorem, **kw):
    cert, p = make_certificate(tmp_path / "w.safetensors", up, down, activation=activation,
                               hypotheses=decide_hypotheses(Problem(up, down, skip=kw.get("skip", "identity"))), **kw)
    assert cert["answer"] == "no_index_set"
    cert.update(answer="not_absorbable", theorem=theorem)
    return cert


def test_not_absorbable_needs_the_theorem_hypotheses(tmp_path):
    rng = np.random.default_rng(8)
    up, down = rng.standard_normal((5, 3)), rng.standard_normal((3, 5))
    v = verdict(_no_cert(tmp_path, up, down, "gelu", "generic-iff"))
    assert v.ok and "not_absorbable" in v.message and "G-class" in v.message
    assert verdict(_no_cert(tmp_path, up, down, "relu", "generic-iff")).ok
    up[1] = 2 * up[0]  # parallel rows: G-line fails, G-class holds
    assert verdict(_no_cert(tmp_path, up, down, "gelu", "generic-iff")).ok
    v = verdict(_no_cert(tmp_path, up, down, "relu", "generic-iff"))
    assert v.status == "rejected" and "G-line" in v.message and "[0, 1]" in v.message
    assert verdict(_no_cert(tmp_path, up, down, "tanh", "generic-iff")).status == "rejected"
    assert verdict(_no_cert(tmp_path, up, down, "gelu", "class-bias")).ok  # no up bias: beta = 0 is a special case
    assert verdict(_no_cert(tmp_path, up, down, "silu", "class-bias")).status == "rejected"
    cert = _no_cert(tmp_path, up, down, "gelu", "generic-iff")
    cert["hypotheses"] = [h for h in cert["hypotheses"] if h["name"] != "G-class"]
    assert "does not list" in verdict(cert).message
    cert = _no_cert(tmp_path, up, down, "gelu", "generic-iff")
    cert["c"] = "2"
    assert verdict(cert).status == "rejected"


def test_relu_d1_needs_d1_relu_no_up_bias(tmp_path):
    rng = np.random.default_rng(9)
    up, down = rng.standard_normal((4, 1)), rng.standard_normal((1, 4))
    cert, _ = make_certificate(tmp_path / "w.safetensors", up, down, activation="relu")
    assert verdict(_no_cert(tmp_path, up, down, "relu", "generic-iff")).status == "rejected"  # d >= 2 fails
    cert.update(answer="absorbable", theorem="relu-d1-counterexample", evidence={"kind": "relu-d1"}, grade=None,
                distance_lower_bound=None)
    assert verdict(cert).ok
    assert verdict({**cert, "activation": "gelu"}).status == "rejected"
    cert2, _ = make_certificate(tmp_path / "w.safetensors", up, down, activation="relu",
                                biases={"up_bias": np.array([0.0, 1.0, 0.0, 0.0])})
    cert2.update(answer="absorbable", theorem="relu-d1-counterexample", evidence={"kind": "relu-d1"}, grade=None,
                 distance_lower_bound=None)
    assert verdict(cert2).status == "rejected"


def test_projected_skip_is_weaker(tmp_path):
    """BLUEPRINT §6.8f: sum_{S=[2]} a_i b_i^T = -I + 1 v^T has no index set but a projected one."""
    v_row = np.array([0.5, 0.25])
    target = -np.eye(2) + np.outer(np.ones(2), v_row)
    down = np.array([[1.0, 0.0], [0.0, 1.0]])
    up = np.array([target[0], target[1]])  # a_1 b_1^T + a_2 b_2^T = target with a_i = e_i
    ident, _ = make_certificate(tmp_path / "w.safetensors", up, down.copy())
    assert ident["answer"] == "no_index_set" and verdict(ident).ok
    proj, _ = make_certificate(tmp_path / "w.safetensors", up, down.copy(), skip="projected")
    assert proj["answer"] == "absorbable" and proj["evidence"]["subset"] == [0, 1] and verdict(proj).ok


def test_prenorm_and_search(tmp_path):
    prenorm = {"format": "skip-absorption-certificate/1", "weights": None, "activation": None, "c": "1",
               "skip": "identity", "question": None, "answer": "not_absorbable", "grade": None,
               "theorem": "prenorm-impossible", "hypotheses": [], "evidence": {"kind": "prenorm", "norm": "layernorm"},
               "distance_lower_bound": None, "absorber": None}
    assert verdict(prenorm).ok
    assert verdict({**prenorm, "hypotheses": [{"name": "G0", "holds": True, "witness": None}]}).status == "rejected"
    assert verdict({**prenorm, "skip": "projected"}).status == "rejected"
    search = {**prenorm, "answer": "no_index_set", "theorem": None,
              "evidence": {"kind": "search", "method": "mitm", "note": "all 2^40 subsets at tau\nin floating point"}}
    v = verdict(search)
    assert v.status == "search" and not v.ok and v.message.startswith("SEARCH (not a certificate)")
    assert "\n" not in v.message
    assert verdict({**search, "answer": "not_absorbable"}).status == "rejected"


def test_tree_structure_errors_and_distance_claims(tmp_path):
    rng = np.random.default_rng(10)
    up, down = rng.standard_normal((6, 1)), rng.standard_normal((1, 6))
    cert, p = make_certificate(tmp_path / "w.safetensors", up, down, enum_at=2)
    assert cert["evidence"]["kind"] == "tree" and verdict(cert).ok
    best = min(p.all_norms().values())
    over = copy.deepcopy(cert)
    over["distance_lower_bound"] = str(Fraction(np.sqrt(float(best))) * Fraction(101, 100))
    assert verdict(over).status == "rejected"
    broken = copy.deepcopy(cert)
    del broken["evidence"]["root"]["in"]
    assert "not a branch" in verdict(broken).message
    repeated = copy.deepcopy(cert)
    repeated["evidence"]["root"]["out"] = {"branch": repeated["evidence"]["root"]["branch"],
                                           "out": {"enumerate": True}, "in": {"enumerate": True}}
    assert "already decided" in verdict(repeated).message
    big = {"branch": 0, "out": {"enumerate": True}, "in": {"enumerate": True}}
    assert verdict({**cert, "evidence": {"kind": "tree", "root": big}}).ok  # 5 free indices: fine
    wide = np.random.default_rng(11)
    path2 = tmp_path / "w2.safetensors"
    write_safetensors(path2, {"up": wide.standard_normal((22, 1)), "down": wide.standard_normal((1, 22))})
    cert2 = copy.deepcopy(cert)
    cert2["weights"].update(root=str(path2), files={"": sha256(path2)})
    cert2.update(question={"width": 22, "radius": EXACT}, distance_lower_bound=None,
                 evidence={"kind": "tree", "root": {"enumerate": True}})
    assert "at most 20" in verdict(cert2).message


@pytest.mark.parametrize("mutate, match", [
    (lambda c: c.update(format="skip-absorption-certificate/2"), "not a skip-absorption"),
    (lambda c: c.update(c="0.5"), "rational string"),
    (lambda c: c.update(c="1/0"), "zero denominator"),
    (lambda c: c["weights"].update(root="/nonexistent/w.safetensors"), "cannot read"),
    (lambda c: c["weights"]["up"].update(file="other"), "not hashed"),
    (lambda c: c["evidence"].update(Y=[["1"]]), "list of rationals"),
    (lambda c: c["question"].update(width=99), "width"),
    (lambda c: c["question"]["radius"].update(kind="huge"), "unknown radius"),
    (lambda c: c["evidence"].update(kind="magic"), "unknown evidence"),
])
def test_unreadable_certificates_raise(tmp_path, mutate, match):
    rng = np.random.default_rng(12)
    cert, _ = make_certificate(tmp_path / "w.safetensors", rng.standard_normal((3, 2)), rng.standard_normal((2, 3)))
    assert cert["evidence"]["kind"] == "farkas"
    mutate(cert)
    with pytest.raises(checker.CertificateError, match=match):
        verdict(cert)


# ---------------------------------------------------------------- absorb check

def absorb(*args, cwd):
    return subprocess.run([sys.executable, "-m", "absorb.cli", "check", *args], capture_output=True, text=True,
                          timeout=120, cwd=cwd)


def test_absorb_check_exit_codes(tmp_path):
    up, down = planted(np.random.default_rng(13), 2, 5)
    cert, _ = make_certificate(tmp_path / "w.safetensors", up, down)
    (tmp_path / "yes.json").write_text(json.dumps(cert))
    out = absorb("yes.json", cwd=tmp_path)
    assert out.returncode == 0 and out.stdout.startswith("VERIFIED: absorbable (exact)"), out
    out = absorb("yes.json", "--json", cwd=tmp_path)
    assert json.loads(out.stdout)["status"] == "verified" and out.returncode == 0
    os.rename(tmp_path / "w.safetensors", tmp_path / "moved.safetensors")
    out = absorb("yes.json", "--weights", "moved.safetensors", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    bad = {**cert, "evidence": {**cert["evidence"], "residual_squared": "1"}}
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    out = absorb("bad.json", "--weights", "moved.safetensors", cwd=tmp_path)
    assert out.returncode == 1 and out.stdout.startswith("REJECTED: ")
    search = {**cert, "answer": "undecided", "evidence": {"kind": "search", "method": "milp", "note": "time out"}}
    (tmp_path / "search.json").write_text(json.dumps(search))
    out = absorb("search.json", cwd=tmp_path)
    assert out.returncode == 1 and out.stdout.startswith("SEARCH (not a certificate)")
    (tmp_path / "dup.json").write_text('{"format": 1, "format": 2}')
    (tmp_path / "deep.json").write_text("[" * 100000 + "]" * 100000)
    (tmp_path / "wrong.json").write_text(json.dumps({**cert, "format": "other"}))
    for args in (["yes.json"], ["dup.json"], ["deep.json"], ["wrong.json"], ["nothing.json"], ["."]):
        out = absorb(*args, cwd=tmp_path)
        lines = out.stderr.strip().splitlines()
        assert out.returncode == 2 and len(lines) == 1 and lines[0].startswith("absorb: error: "), (args, out)
        assert "Traceback" not in out.stderr
