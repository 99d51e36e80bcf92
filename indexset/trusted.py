"""One immutable `Certificate` per answer, and the function that builds it from the weights (issue 17).

The solvers (decide.py) search in floating point; nothing they say reaches the user as "verified". Here every claim
is re-derived in exact rational arithmetic on the stored values (the user's units, not the solvers' rescaled ones)
and written in the format of docs/CERTIFICATE.md; `Certificate.check()` hands it to the independent checker, and
only its "verified" lets the CLI print "VERIFIED", "certificate" or "not absorbable".

The answer: an index set within the radius -> `absorbable` (the sign flip); a certified "no" -> `not_absorbable`
when a theorem's hypotheses hold on the instance (generic-iff, relu-bias-characterization, class-bias), else
`no_index_set` with the failing hypotheses named; bias-free d = 1 ReLU type with n >= 2 -> `absorbable`
(Counterexample 6.4); a search -> `no_index_set`/`undecided` with search evidence.
"""
import functools
import os
import tempfile
import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from indexset import exact
from indexset import radius as rad
from indexset.evidence import Enumeration, Existence, Farkas, ReluD1, Search, Tree, rat
from indexset.hypotheses import check_hypotheses, failing

FORMAT = "skip-absorption-certificate/1"
ENUMERATE_MAX = 20
# Activations for which Theorem 6.8d (class-identifiable with biases) is proved (BLUEPRINT §6.8: [P for GELU, C for
# SiLU/Softplus]); the registry has no field for it yet.
CLASS_BIAS_PROVED = ("gelu",)


@dataclass(frozen=True)
class Certificate:
    """The answer about one block with everything needed to re-check it (docs/CERTIFICATE.md)."""
    weights: object  # the format's "weights" provenance dict, or None for in-memory arrays
    activation: object
    c: Fraction
    skip: str
    width: int
    radius: rad.Radius
    answer: str
    grade: object
    theorem: object
    hypotheses: tuple
    evidence: object
    distance_lower_bound: object = None  # Fraction or None
    absorber: object = None
    notes: tuple = ()
    arrays: object = field(default=None, compare=False, repr=False)  # (w_up, w_down, up_bias, down_bias, dtype)

    def to_json(self) -> dict:
        return {"format": FORMAT, "weights": self.weights, "activation": self.activation, "c": rat(self.c),
                "skip": self.skip, "question": {"width": int(self.width), "radius": self.radius.to_json()},
                "answer": self.answer, "grade": self.grade, "theorem": self.theorem,
                "hypotheses": [h.to_json() for h in self.hypotheses], "evidence": self.evidence.to_json(),
                "distance_lower_bound": None if self.distance_lower_bound is None else rat(self.distance_lower_bound),
                "absorber": self.absorber}

    @property
    def is_certificate(self) -> bool:
        return self.evidence.is_certificate

    def check(self, weights_root=None):
        """The independent checker's verdict (checker.check). In-memory arrays are written to a temporary .npz
        (values exactly, in their own dtype) that the checker re-reads and hashes, then removed."""
        import checker
        cert = self.to_json()
        if cert["weights"] is not None or self.arrays is None:
            return checker.check(cert, weights_root=weights_root)
        w_up, w_down, up_bias, down_bias, dtype = self.arrays
        store = np.dtype(dtype) if dtype in ("float32", "float16", "float64") else np.float64
        arrays = {"W_up": w_up.astype(store), "W_down": w_down.astype(store)}
        if up_bias is not None:
            arrays["b_up"] = np.asarray(up_bias).astype(store)
        if down_bias is not None:
            arrays["b_down"] = np.asarray(down_bias).astype(store)
        with tempfile.TemporaryDirectory(prefix="absorb-check-") as tmp:
            path = os.path.join(tmp, "weights.npz")
            np.savez(path, **arrays)
            cert["weights"] = npz_provenance(path, up_bias is not None, down_bias is not None)
            return checker.check(cert)


def sha256_file(path) -> str:
    import hashlib
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def npz_provenance(path, up_bias=False, down_bias=False, up="W_up", down="W_down", up_bias_key="b_up",
                   down_bias_key="b_down") -> dict:
    """The "weights" dict for one .npz (or .safetensors) file holding the pair."""
    path = os.path.abspath(path)
    return {"root": path, "files": {"": sha256_file(path)},
            "up": {"file": "", "key": up, "layout": "nd"}, "down": {"file": "", "key": down, "layout": "dn"},
            "up_bias": {"file": "", "key": up_bias_key} if up_bias else None,
            "down_bias": {"file": "", "key": down_bias_key} if down_bias else None, "layer": None}


# ------------------------------------------------------------------------------------------- exact quantities
def exact_residual(w_up, w_down, subset, c: Fraction, skip: str):
    """R_S = A/c + sum_S a_i b_i^T (projected: P times it) as a d x d list of Fractions, in the user's units."""
    d = w_down.shape[0]
    subset = list(subset)
    if subset:
        ints, e = exact.matmul_ints(w_down[:, subset], w_up[subset, :])
        two_e = Fraction(2) ** e
        m = [[Fraction(ints[r * d + s]) * two_e for s in range(d)] for r in range(d)]
    else:
        m = [[Fraction(0)] * d for _ in range(d)]
    inv_c = 1 / Fraction(c)
    r = [[m[i][j] + (inv_c if i == j else 0) for j in range(d)] for i in range(d)]
    if skip == "projected":
        means = [sum(r[i][j] for i in range(d)) / d for j in range(d)]
        r = [[r[i][j] - means[j] for j in range(d)] for i in range(d)]
    return r


def frob2(m) -> Fraction:
    return sum((v * v for row in m for v in row), Fraction(0))


def ridge_values(w_up, w_down, y_int: np.ndarray, skip: str):
    """(y_i = a_i^T Y' b_i as Fractions, <Y', I>) with Y' = Y (identity) or P Y (projected), exactly."""
    d = y_int.shape[0]
    if skip == "projected":  # d P Y is an integer matrix: d Y - 1 (column sums of Y)
        yy = d * y_int - np.ones((d, 1)) * np.sum(y_int, axis=0)[None, :]
        scale = Fraction(1, d)
    else:
        yy, scale = y_int, Fraction(1)
    ints, e = exact.ridge_ints(w_up, w_down, yy)
    two_e = Fraction(2) ** e
    trace = Fraction(int(np.trace(yy))) * scale
    return [Fraction(v) * two_e * scale for v in ints], trace


def leaf_phi(block, y_int, inc, free, c, skip, k, norms_hi):
    """(phi, phi_w, q) of a Lemma 8.2 leaf, exactly: phi = <Y, A/c + sum_I a_i b_i^T> + sum_F min(0, y_i) (no
    storage terms: the value the certificate states), phi_w the same with the storage terms (w_i = k hi_i) and q a
    rational upper bound of ||Y||_F."""
    y_int = np.asarray(y_int, dtype=np.float64)
    ys, trace = ridge_values(block.w_up, block.w_down, y_int, skip)
    q = rad.sqrt_bounds(Fraction(int(np.sum(y_int.astype(object) ** 2))))[1]
    head = trace / Fraction(c) + sum((ys[i] for i in inc), Fraction(0))
    phi = head + sum((min(Fraction(0), ys[i]) for i in free), Fraction(0))
    if not k:
        return phi, phi, q
    phi_w = head - q * sum((k * norms_hi[i] for i in inc), Fraction(0)) + \
        sum((min(Fraction(0), ys[i] - q * k * norms_hi[i]) for i in free), Fraction(0))
    return phi, phi_w, q


# ------------------------------------------------------------------------------------------- the builder
@dataclass
class Block:
    """What the builder needs about one block (validated arrays, float64 exact)."""
    w_up: np.ndarray
    w_down: np.ndarray
    up_bias: object = None
    down_bias: object = None
    dtype: object = None
    weights: object = None  # provenance dict or None

    def read(self):
        """A Block is its own reading (so a list of Blocks can be passed to certify_blocks)."""
        return self

    def __iter__(self):
        """Unpacks as (w_up, w_down), for callers written against the old pair."""
        return iter((self.w_up, self.w_down))

    @property
    def d(self):
        return self.w_down.shape[0]

    @property
    def n(self):
        return self.w_down.shape[1]


@functools.lru_cache(maxsize=64)
def activation_type(activation):
    """'relu' (ReLU type), 'class' (class-identifiable even part) or None, from the symbolic classifier."""
    if activation is None:
        return None
    from symbolic.activations import get_activation
    from symbolic.classify import classify
    info = classify(get_activation(activation)).get("generic_iff") or {}
    if info.get("type") == "relu":
        return "relu"
    if "generic-iff" in info.get("theorems", ()) and "G-class" in info.get("requires", ""):
        return "class"  # analytic or kink-type even part (GELU, SiLU, ..., Hardswish)
    return None


def theorem_for(activation, act_type, biased: bool, skip: str, hyps):
    """(theorem id, hypothesis names it needs) for this block, or (None, reason)."""
    if activation is None:
        return None, "no activation given (--activation NAME): only the index condition was decided"
    if act_type not in ("relu", "class"):
        return None, f"{activation} is not of ReLU type nor class-identifiable: the generic theorem does not apply"
    if biased or skip == "projected":
        if act_type == "relu":
            names = ("G0b", "G-line-b")
            thm = "relu-bias-characterization"
        elif activation in CLASS_BIAS_PROVED:
            names = ("G0b", "G-class-b")
            thm = "class-bias"
        else:
            return None, (f"Theorem 6.8d (class-identifiable with biases) is proved for GELU only; for {activation} it "
                          f"is a conjecture")
        if skip == "projected":
            thm = "postnorm-projected"
        return thm, names
    if act_type == "relu":
        return "generic-iff", ("d>=2", "G0", "G-line")
    return "generic-iff", ("G0", "G-class")


@functools.lru_cache(maxsize=64)
def machine_check_gaps(theorem: str, activation: str) -> tuple:
    """The results that `theorem`, applied to `activation`, uses (transitively, with the activation's own
    class-identifiability instance where the registry has one) and that have no complete Rocq proof linked in
    proofs/rocq_map.toml: what the answer rests on beyond the machine check (empty: checked along every use)."""
    from symbolic.activations import get_activation
    from symbolic.classify import classify
    from symbolic.coverage import CRITERION, activation_claim5, closure, instance_id, linked_status
    from symbolic.theorems import load_registry, load_rocq_map
    entries, rocq_map = load_registry(), load_rocq_map()
    by_id = {e["id"]: e for e in entries}
    if theorem == "generic-iff":
        row = activation_claim5(classify(get_activation(activation)), entries, lambda e: linked_status(rocq_map, e))
        if row is not None:
            return tuple(row["gaps"])
    if theorem not in by_id:
        return (theorem,)
    # the activation's own class-identifiability instance, where the registry has one, replaces the general criterion,
    # and the characterizations of the other case (ReLU type vs class-identifiable), biased forms included, are not
    # walked into: postnorm-projected and relu-bias-characterization use generic-iff, which covers both cases
    from symbolic.arguments._identifiability import CLASS_TYPE, RELU_TYPE
    inst = instance_id(activation)
    swap = {CRITERION: inst} if inst in by_id else {}
    relu = activation_type(activation) == "relu"
    mine, other = (RELU_TYPE, CLASS_TYPE) if relu else (CLASS_TYPE, RELU_TYPE)
    skip = {t for t in other["theorems"] if t not in mine["theorems"]}
    skip |= ({"class-bias"} if relu else {"relu-bias-characterization"}) - {theorem}  # the biased characterizations
    walk = [theorem] + closure(theorem, by_id, skip=skip, swap=swap)
    return tuple(i for i in walk if linked_status(rocq_map, by_id[i]) != "checked")


def proof_note(theorem: str, activation: str) -> str:
    """One line for the answer: whether the cited theorem is machine-checked for this activation, or what it rests on."""
    try:
        gaps = machine_check_gaps(theorem, activation)
    except Exception as exc:  # noqa: BLE001 -- the registry is ours; a broken one must not hide the answer itself
        return f"{theorem}: its proof status could not be read ({type(exc).__name__})"
    if not gaps:
        return f"{theorem} for {activation}: proved in Rocq along every result it uses"
    return (f"{theorem} for {activation} rests on steps without a complete Rocq proof (human proof or partial): "
            f"{', '.join(gaps)}")


def _farkas_evidence(block, y_int, c, skip, radius, norms_hi):
    """(Farkas evidence, distance lower bound) when phi_rho(Y) - q tau_bar > 0 holds with our own rational
    bounds (a margin over the checker's), else (None, None)."""
    y_int = np.asarray(y_int, dtype=np.float64)
    ys, trace = ridge_values(block.w_up, block.w_down, y_int, skip)
    inv_c = 1 / Fraction(c)
    phi = trace * inv_c + sum((min(Fraction(0), v) for v in ys), Fraction(0))
    ynorm2 = Fraction(int(np.sum(y_int.astype(object) ** 2)))
    q = rad.sqrt_bounds(ynorm2)[1]
    phi_w = phi
    if radius.has_storage:
        k = rad.k_of_u(radius.u)
        phi_w = trace * inv_c + sum((min(Fraction(0), v - q * k * h) for v, h in zip(ys, norms_hi)), Fraction(0))
    tau_bar = Fraction(0)
    if radius.has_relative:
        tau_bar = radius.tau * rad.sqrt_bounds(rad.target_norm_squared(block.d, c, skip))[1]
    margin = phi_w - q * tau_bar
    if not (margin > 0 and phi > 0):
        return None, None
    lower = phi / q  # phi >= 0 and phi^2 >= lower^2 ||Y||^2 since q >= ||Y||
    lower = Fraction(int(lower * 2 ** 60), 2 ** 60) if lower < 2 ** 900 else lower  # short digits, rounded down
    yq = tuple(tuple(row) for row in y_int.astype(np.int64).tolist())  # integers (|Y| < 2^21): no Fractions
    return Farkas(yq, phi), lower


def _grade_existence(r2, block, subset, c, skip, radius, norms_lo):
    """'exact' | 'storage_precision' | 'tolerance' | None: the grade at which S answers the question, exactly."""
    if r2 == 0:
        return "exact"
    if radius.has_storage:
        k = rad.k_of_u(radius.u)
        bound = k * sum((norms_lo[i] for i in subset), Fraction(0))
        if r2 <= bound * bound:
            return "storage_precision"
    if radius.has_relative and r2 <= radius.tau ** 2 * rad.target_norm_squared(block.d, c, skip):
        return "tolerance"
    return None


def relu_d1_slopes(block, activation):
    """(alpha_+, alpha_-, p, q): the slopes of f(x) = x + sum a_i sigma(b_i x) on x > 0 and x < 0, and the width-2
    g(x) = p sigma(x) + q sigma(-x) with the same slopes (sigma = c/2 z + kappa |z|; ReLU: p = alpha_+,
    q = -alpha_-)."""
    from symbolic.activations import get_activation
    from symbolic.classify import classify
    info = classify(get_activation(activation))
    c_act = Fraction(info["c"])
    kappa = Fraction((info.get("generic_iff") or {}).get("kappa", "1/2"))
    # sigma(z) = c/2 z + kappa |z|: slope of sigma on z > 0 is c/2 + kappa, on z < 0 it is c/2 - kappa
    sp, sm = c_act / 2 + kappa, c_act / 2 - kappa
    ap, am = Fraction(1), Fraction(1)
    for a, b in zip(block.w_down[0].tolist(), block.w_up[:, 0].tolist()):
        fa, fb = Fraction(a), Fraction(b)
        if fb > 0:
            ap += fa * fb * sp
            am += fa * fb * sm
        elif fb < 0:
            ap += fa * fb * sm
            am += fa * fb * sp
    # g(x) = p sigma(x) + q sigma(-x) has slopes p sp - q sm (x > 0) and p sm - q sp (x < 0)
    det = sm * sm - sp * sp
    p = (sm * am - sp * ap) / det
    q = (sp * am - sm * ap) / det
    return ap, am, p, q


def _tree_evidence(block, c, skip, radius, lo, hi, notes):
    """(Tree evidence, lower bound, None) from a Lemma 8.2 branch-and-bound tree, or (None, None, found) where
    found = (Existence, grade, 0) when the tree met an S within the radius, or (None, None, None) past its budget."""
    from indexset.tree import Found, build_tree

    def within(subset):
        r2 = frob2(exact_residual(block.w_up, block.w_down, subset, c, skip))
        return _grade_existence(r2, block, subset, c, skip, radius, lo) is not None
    try:
        tree = build_tree(block, c, skip, radius, hi, within)
    except Found as hit:
        r2 = frob2(exact_residual(block.w_up, block.w_down, hit.subset, c, skip))
        grade = _grade_existence(r2, block, hit.subset, c, skip, radius, lo)
        return None, None, (Existence(tuple(hit.subset), r2), grade, Fraction(0))
    if tree is None:
        notes.append("the branch-and-bound tree (Lemma 8.2) did not close within its node and time limits (or the "
                     "float64 range)")
        return None, None, None
    return Tree(tree.root, tree.leaves), tree.lower, None


def _lattice_then_tree(block, c, skip, radius, lo, hi, notes):
    """Lattice evidence first where the tree rarely closes (n above ENUMERATE_MAX), then the Lemma 8.2 tree: the
    (evidence, lower bound, found) triple of _tree_evidence."""
    if block.n > ENUMERATE_MAX:
        from indexset.lattice_cert import lattice_evidence

        def distance2(subset):
            return frob2(exact_residual(block.w_up, block.w_down, subset, c, skip))
        evidence, extra = lattice_evidence(
            block, c, skip, radius, hi, distance2,
            within=lambda s: _grade_existence(distance2(s), block, s, c, skip, radius, lo) is not None)
        if evidence is not None:
            return evidence, extra, None
        if extra is not None:
            r2 = distance2(extra)
            grade = _grade_existence(r2, block, extra, c, skip, radius, lo)
            if grade is not None:
                return None, None, (Existence(tuple(extra), r2), grade, Fraction(0))
        notes.append("the lattice evidence for the checker did not fit its node and time budget")
    return _tree_evidence(block, c, skip, radius, lo, hi, notes)


def certify_block(block: Block, *, c=Fraction(1), activation=None, skip="identity", tol=None, method="auto",
                  force=False, radius_kind=None) -> tuple:
    """(Certificate, CertifyResult of the search or None, elapsed seconds) for one validated block."""
    from indexset.decide import decide
    t0 = time.perf_counter()
    c = Fraction(c)
    d, n = block.d, block.n
    # "biased" as the checker reads it (a bias tensor with a nonzero entry): zero-valued bias tensors leave the
    # bias-free theorems and hypotheses (G0, G-line, G-class) in force; a nonzero down bias alone already calls for
    # the biased theorems and so for b~_i = (b_i, beta_i) with beta = 0
    up_biased = block.up_bias is not None and bool(np.any(np.asarray(block.up_bias) != 0.0))
    biased = up_biased or (block.down_bias is not None and bool(np.any(np.asarray(block.down_bias) != 0.0)))
    beta = None
    if biased or skip == "projected":  # Prop. 6.8f is stated for the biased block: b~_i = (b_i, 0)
        beta = np.zeros(n) if block.up_bias is None else block.up_bias
    hyps = check_hypotheses(block.w_up, block.w_down, beta, skip)
    radius = rad.choose(tol, block.dtype, radius_kind)
    act_type = activation_type(activation)
    arrays = (block.w_up, block.w_down, block.up_bias, block.down_bias, block.dtype)
    base = dict(weights=block.weights, activation=activation, c=c, skip=skip, width=n, radius=radius,
                hypotheses=hyps, arrays=arrays)
    if act_type == "relu" and d == 1 and not up_biased and skip == "identity" and n >= 2:
        ap, am, p, q = relu_d1_slopes(block, activation)
        cert = Certificate(answer="absorbable", grade="exact", theorem="relu-d1-counterexample",
                           evidence=ReluD1(ap, am, p, q, activation,
                                           Fraction(float(block.down_bias[0])) if block.down_bias is not None
                                           else None), distance_lower_bound=None,
                           notes=("(G-line) fails for every d = 1 block with n >= 2; Counterexample 6.4 applies",),
                           **base)
        return cert, None, time.perf_counter() - t0
    lo, hi = rad.term_norm_bounds(block.w_up, block.w_down)
    # the solvers' search radius (relative to ||A/c||_F): the largest r(S) over all S, slightly widened
    target = rad.sqrt_bounds(rad.target_norm_squared(d, c, skip))[1]
    rel = radius.tau if radius.has_relative else Fraction(0)  # r_max / ||A/c||, exactly (no float overflow)
    if radius.has_storage:
        rel = max(rel, rad.k_of_u(radius.u) * sum(hi, Fraction(0)) / target)
    tol_eff = float(min(Fraction(1, 2), rel * Fraction(101, 100))) if radius.kind != "exact" else 0.0
    w_down_s, skip_m = block.w_down, None
    if skip == "projected":
        p = np.eye(d) - np.ones((d, d)) / d
        w_down_s, skip_m = p @ block.w_down, p
    res = decide(block.w_up, w_down_s, c=c, method=method, skip=skip_m, tol=tol_eff, force=force)
    notes = list(res.notes)
    evidence, grade, answer, lower = None, None, None, None
    if res.index_set_exists is True:
        r = exact_residual(block.w_up, block.w_down, res.subset, c, skip)
        r2 = frob2(r)
        grade = _grade_existence(r2, block, res.subset, c, skip, radius, lo)
        if grade is not None:
            evidence, answer, lower = Existence(tuple(res.subset), r2), "absorbable", Fraction(0)
        else:
            notes.append(f"the search's S = {res.subset} is not within the radius in exact arithmetic")
            evidence, answer = Search(method, "a candidate S outside the radius in exact arithmetic"), "undecided"
    elif res.index_set_exists is False:
        if getattr(res, "farkas_y", None) is not None and res.certificate in ("farkas-ls", "farkas-box"):
            evidence, lower = _farkas_evidence(block, res.farkas_y, c, skip, radius, hi)
            if evidence is None:
                notes.append("the float Farkas certificate does not cover the storage radius exactly")
        elif res.certificate == "enumeration" and n <= ENUMERATE_MAX:
            evidence = Enumeration(n)
            lower = Fraction(max(0.0, float(res.distance_lower_bound) * (1 - 1e-9))) if res.distance_lower_bound \
                else Fraction(0)
        if evidence is None:
            evidence, lower, found = _lattice_then_tree(block, c, skip, radius, lo, hi, notes)
            if found is not None:
                evidence, grade, lower = found
        if evidence is None:
            evidence = Search(res.certificate or method, res.evidence)
        answer = "absorbable" if evidence.kind == "existence" else "no_index_set"
    else:
        evidence, lower, found = _lattice_then_tree(block, c, skip, radius, lo, hi, notes)
        if found is not None:
            evidence, grade, lower = found
            answer = "absorbable"
        elif evidence is not None:
            answer = "no_index_set"
        else:
            evidence, answer = Search(method, res.evidence), "undecided"
    theorem = None
    if answer == "absorbable":
        theorem = "sign-flip"
    elif answer == "no_index_set" and evidence.is_certificate:
        thm, need = theorem_for(activation, act_type, biased, skip, hyps)
        if thm is None:
            notes.append(need)
        else:
            bad = failing(hyps, need)
            if bad:
                notes.append("the generic theorem does not apply: " + "; ".join(h.describe() for h in bad))
            else:
                answer, theorem = "not_absorbable", thm
                notes.append(proof_note(thm, activation))
    cert = Certificate(answer=answer, grade=grade, theorem=theorem, evidence=evidence,
                       distance_lower_bound=lower, notes=tuple(notes), **base)
    return cert, res, time.perf_counter() - t0
