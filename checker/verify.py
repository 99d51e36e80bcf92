"""checker.check: re-decide one skip-absorption-certificate/1 (docs/CERTIFICATE.md) from the weights alone.

Every number the verdict rests on is recomputed here from the stored values, in integers and Fractions, by code that
shares nothing with the solvers. Readable certificates that do not prove their answer are REJECTED with the first
reason found; unreadable ones raise CertificateError."""
import operator
from dataclasses import dataclass
from fractions import Fraction

from checker import hypotheses, lattice
from checker.exact import rational, rows_times_rows, sqrt_bounds, to_integers
from checker.read import CertificateError, read_weights

FORMAT = "skip-absorption-certificate/1"
RELU_TYPE = {"relu", "leaky_relu"}
CLASS_ID = {"gelu", "gelu_tanh", "silu", "softplus", "quick_gelu", "hardswish"}
CLASS_ID_BIASED = {"gelu"}
# c of sigma(z) - sigma(-z) = c z where it is not 1: the registry's leaky_relu is max(z, 0) + 0.01 min(z, 0)
# (symbolic/activations.toml; tests/test_breakit.py compares this table with the registry's classifier)
C_OF = {"leaky_relu": Fraction(101, 100)}
MAX_FREE = 20
NO = ("no_index_set", "not_absorbable")


@dataclass(frozen=True)
class Verdict:
    """The checker's answer: status "verified" | "rejected" | "search" and the one line shown to the user."""
    status: str
    message: str

    @property
    def ok(self) -> bool:
        return self.status == "verified"


class _Reject(Exception):
    """The certificate is readable but does not prove what it says."""


def _need(condition, reason: str) -> None:
    if not condition:
        raise _Reject(reason)


def _field(obj, key, types, what=None):
    value = obj.get(key) if isinstance(obj, dict) else None
    if not isinstance(value, types) or isinstance(value, bool):
        raise CertificateError(f"certificate field {what or key!r} is missing or has the wrong type")
    return value


def _show(x: Fraction) -> str:
    text = str(x)
    return text if len(text) <= 24 else f"~{float(x):.6g}" if abs(x) < 1e300 else "huge"


class Block:
    """The block read exactly: columns a_i (a_eff = P a_i for the projected skip), rows b_i, V = A/c, each family as
    integers over one positive denominator (da, dae, db, dv); the up bias for the hypotheses."""

    def __init__(self, cert, root, c: Fraction, skip: str):
        weights = _field(cert, "weights", dict)
        files = _field(weights, "files", dict, "weights.files")
        specs = {part: weights.get(part) for part in ("up", "down", "up_bias", "down_bias")}
        for part, spec in specs.items():
            if spec is None and part in ("up_bias", "down_bias"):
                continue
            for key in ("file", "key") + (("layout",) if part in ("up", "down") else ()):
                _field(spec, key, str, f"weights.{part}.{key}")
            if spec["file"] not in files:
                raise CertificateError(f"weights.{part} names file {spec['file']!r}, which is not hashed in files")
        if specs["up"]["layout"] not in ("nd", "dn") or specs["down"]["layout"] not in ("nd", "dn"):
            raise CertificateError("weights layout must be 'nd' or 'dn'")
        if not all(isinstance(v, str) for v in files.values()):
            raise CertificateError("weights.files must map names to sha256 strings")
        wanted = {(s["file"], s["key"]) for s in specs.values() if s is not None}
        hashes, tensors = read_weights(root, files, wanted)
        for name, digest in sorted(hashes.items()):
            _need(digest == files[name].lower(), f"weights file {name!r} has sha256 {digest[:16]}..., "
                                                 f"the certificate says {files[name][:16]}...")
        up, down = (tensors[(specs[p]["file"], specs[p]["key"])] for p in ("up", "down"))
        if len(up.shape) != 2 or len(down.shape) != 2:
            raise CertificateError("W_up and W_down must be matrices")
        n, d = up.shape if specs["up"]["layout"] == "nd" else up.shape[::-1]
        if n < 1 or d < 1 or (down.shape if specs["down"]["layout"] == "dn" else down.shape[::-1]) != (d, n):
            raise CertificateError(f"W_up {up.shape} and W_down {down.shape} do not fit one block (d, n >= 1)")
        self.n, self.d, self.u_format = n, d, max(up.unit_roundoff, down.unit_roundoff)
        b_rows = [up.values[i * d:(i + 1) * d] for i in range(n)] if specs["up"]["layout"] == "nd" \
            else [up.values[i::n] for i in range(n)]
        a_cols = [down.values[i::n] for i in range(n)] if specs["down"]["layout"] == "dn" \
            else [down.values[i * d:(i + 1) * d] for i in range(n)]
        flat_b, self.db = to_integers([x for row in b_rows for x in row])
        flat_a, self.da = to_integers([x for col in a_cols for x in col])
        self.b = [flat_b[i * d:(i + 1) * d] for i in range(n)]
        self.a = [flat_a[i * d:(i + 1) * d] for i in range(n)]
        if skip == "projected":  # P a = (d a - (sum a) 1) / d
            self.a_eff, self.dae = [[d * x - sum(col) for x in col] for col in self.a], self.da * d
            skip_matrix = [[Fraction(int(j == k)) - Fraction(1, d) for k in range(d)] for j in range(d)]
        else:
            self.a_eff, self.dae = self.a, self.da
            skip_matrix = [[Fraction(int(j == k)) for k in range(d)] for j in range(d)]
        flat_v, self.dv = to_integers([x / c for row in skip_matrix for x in row])
        self.v = [flat_v[j * d:(j + 1) * d] for j in range(d)]
        self.biases = {}
        for part, size in (("up_bias", n), ("down_bias", d)):
            if specs[part] is not None:
                t = tensors[(specs[part]["file"], specs[part]["key"])]
                if t.shape != (size,):
                    raise CertificateError(f"{part} has shape {t.shape}, expected ({size},)")
                self.biases[part] = to_integers(t.values)
        beta, dbeta = self.biases.get("up_bias", ([0] * n, 1))
        self.b_tilde = [[x * dbeta for x in row] + [beta_i * self.db] for row, beta_i in zip(self.b, beta)]

    def has_bias(self, part) -> bool:
        return part in self.biases and any(self.biases[part][0])

    def norm2_v(self) -> Fraction:
        return Fraction(sum(x * x for row in self.v for x in row), self.dv ** 2)

    def residual(self, subset) -> tuple:
        """(R, den) with R_S = V + sum_{i in S} a_eff_i b_i^T = R / den exactly (R a d x d integer matrix)."""
        s = sorted(subset)
        prod = rows_times_rows([[self.a_eff[i][j] for i in s] for j in range(self.d)],
                               [[self.b[i][k] for i in s] for k in range(self.d)])
        scale = self.dae * self.db
        return [[v * scale + self.dv * p for v, p in zip(vrow, prow)] for vrow, prow in zip(self.v, prod)], \
            self.dv * scale

    def y_values(self, y_rows, yden, idx) -> tuple:
        """([a_eff_i^T Y b_i * den for i in idx], den) exactly: first Y b_i for all i, then the dot with a_eff_i."""
        t = rows_times_rows(y_rows, [self.b[i] for i in idx])
        return [sum(map(operator.mul, self.a_eff[i], col)) for i, col in zip(idx, zip(*t))], \
            yden * self.dae * self.db


class Radius:
    """r(S) of the question: tau^2 ||V||^2 (rel2, exact) and tau_bar >= tau ||V|| for the relative part; k(u) and
    per-neuron bounds w_lo <= k(u) ||a_i|| ||b_i|| <= w_hi (unprojected vectors) for the storage part."""

    def __init__(self, spec, blk: Block):
        self.kind = _field(spec, "kind", str, "question.radius.kind")
        if self.kind not in ("exact", "relative", "storage", "default"):
            raise CertificateError(f"unknown radius kind {self.kind[:20]!r}")
        uses_tau, uses_u = self.kind in ("relative", "default"), self.kind in ("storage", "default")
        for key, used in (("tau", uses_tau), ("u", uses_u)):
            if used != (spec.get(key) is not None):
                raise CertificateError(f"radius {self.kind} {'needs' if used else 'has no'} {key}")
        self.tau = rational(spec["tau"], "tau") if uses_tau else None
        self.u = rational(spec["u"], "u") if uses_u else None
        # tau >= 1 puts S = {} (||R_{}|| = ||A/c||) inside the radius: "absorbable" for every block
        if (self.tau is not None and not 0 <= self.tau < 1) or (self.u is not None and not 0 <= self.u < 1):
            raise CertificateError("radius needs 0 <= tau < 1 and 0 <= u < 1")
        self.rel2 = self.tau ** 2 * blk.norm2_v() if uses_tau else None
        self.tau_bar = self.tau * sqrt_bounds(blk.norm2_v())[1] if uses_tau else Fraction(0)
        self.k = (2 * self.u + self.u ** 2) / (1 - self.u) ** 2 if uses_u else None
        self.w_lo, self.w_hi = [Fraction(0)] * blk.n, [Fraction(0)] * blk.n
        if uses_u:
            for i in range(blk.n):
                s = Fraction(sum(x * x for x in blk.a[i]) * sum(x * x for x in blk.b[i]), (blk.da * blk.db) ** 2)
                lo, hi = sqrt_bounds(s)
                self.w_lo[i], self.w_hi[i] = self.k * lo, self.k * hi

    def describe(self) -> str:
        parts = {"exact": "R_S = 0", "relative": f"tau ||A/c||_F, tau = {_show(self.tau)}",
                 "storage": f"k(u) sum_S ||a_i|| ||b_i||, u = {_show(self.u or 0)}"}
        if self.kind == "default":
            return f"radius default: max({parts['relative']}; {parts['storage']})"
        return f"radius {self.kind}: {parts[self.kind]}"


def _y_leaf(node, blk, radius, inc, exc, bound) -> None:
    """Lemma 8.2 (BLUEPRINT §8.2): phi recomputed equals the stored one, and phi_rho - q tau_bar > 0 proves
    ||R_S|| > r(S) on the cylinder (I = inc, O = exc); phi >= 0, phi^2 >= L^2 ||Y||^2 proves ||R_S|| >= L."""
    y = node["Y"]
    if not (isinstance(y, list) and len(y) == blk.d and all(isinstance(r, list) and len(r) == blk.d for r in y)):
        raise CertificateError(f"Y must be a {blk.d} x {blk.d} list of rationals")
    flat, yden = to_integers([rational(x, "Y entry") for row in y for x in row])
    y_rows = [flat[j * blk.d:(j + 1) * blk.d] for j in range(blk.d)]
    idx = [i for i in range(blk.n) if i not in exc]
    ys, den = blk.y_values(y_rows, yden, idx)
    base = Fraction(sum(map(operator.mul, flat, (v for row in blk.v for v in row))), yden * blk.dv)
    phi = base + Fraction(sum(yi if i in inc else min(0, yi) for i, yi in zip(idx, ys)), den)
    _need(phi == rational(node["phi"], "phi"), f"phi of the leaf (I = {sorted(inc)}, O = {sorted(exc)}) is "
                                               f"{_show(phi)}, the certificate says {node['phi'][:30]}")
    norm2 = Fraction(sum(x * x for x in flat), yden * yden)
    q = sqrt_bounds(norm2)[1]
    phi_rho = phi
    if radius.k is not None:
        terms = [Fraction(yi, den) - q * radius.w_hi[i] for i, yi in zip(idx, ys)]
        phi_rho = base + sum(t if i in inc else min(0, t) for i, t in zip(idx, terms))
    margin = phi_rho - q * radius.tau_bar
    _need(margin > 0, f"the leaf (I = {sorted(inc)}, O = {sorted(exc)}) does not prove ||R_S|| > r(S): "
                      f"phi_rho - q tau_bar = {_show(margin)}")
    if bound:
        _need(norm2 > 0 and phi >= 0 and phi * phi >= bound * bound * norm2,
              f"the leaf (I = {sorted(inc)}, O = {sorted(exc)}) does not prove distance >= {_show(bound)}")


def _enumerate_leaf(blk, radius, inc, exc, bound) -> int:
    """Every S of the cylinder (at most 2^20), in Gray-code order, has ||R_S||^2 > r(S)^2 (upper bounds of the
    storage radius) and ||R_S||^2 >= L^2, computed exactly. Returns the number of subsets."""
    free = [i for i in range(blk.n) if i not in inc and i not in exc]
    _need(len(free) <= MAX_FREE, f"an enumerate leaf has {len(free)} free indices (at most {MAX_FREE})")
    rows, den = blk.residual(inc)
    r = [x for row in rows for x in row]
    terms = [[blk.dv * a * b for a in blk.a_eff[i] for b in blk.b[i]] for i in free]
    w_int, w_den = to_integers(radius.w_hi)
    w_sum = sum(w_int[i] for i in inc)
    den2, wden2 = den * den, w_den * w_den
    rel = radius.rel2 * den2 if radius.rel2 is not None else None
    inside = [False] * len(free)
    for step in range(1 << len(free)):
        if step:
            bit = (step & -step).bit_length() - 1
            op = operator.sub if inside[bit] else operator.add
            r = list(map(op, r, terms[bit]))
            w_sum = op(w_sum, w_int[free[bit]])
            inside[bit] = not inside[bit]
        norm2 = sum(map(operator.mul, r, r))
        outside = norm2 > 0 and (rel is None or norm2 > rel) and \
            (radius.k is None or norm2 * wden2 > w_sum * w_sum * den2)
        if not outside or norm2 * bound.denominator ** 2 < bound.numerator ** 2 * den2:
            subset = sorted(set(inc) | {i for i, t in zip(free, inside) if t})
            _need(outside, f"S = {subset} has ||R_S||_F within the radius, so an index set exists")
            _need(False, f"S = {subset} has ||R_S||_F < the claimed distance lower bound {_show(bound)}")
    return 1 << len(free)


def _tree(root, blk, radius, bound) -> str:
    """Walk the branching tree; its leaves' cylinders partition {0,1}^n because each branch splits its own."""
    counts, subsets, stack = {"Y": 0, "enumerate": 0}, 0, [(root, frozenset(), frozenset())]
    while stack:
        node, inc, exc = stack.pop()
        keys = set(node) if isinstance(node, dict) else None
        if keys == {"branch", "out", "in"}:
            i = node["branch"]
            _need(type(i) is int and 0 <= i < blk.n and i not in inc and i not in exc,
                  f"branch index {str(i)[:20]} is out of range or already decided")
            stack += [(node["out"], inc, exc | {i}), (node["in"], inc | {i}, exc)]
        elif keys == {"Y", "phi"}:
            _y_leaf(node, blk, radius, inc, exc, bound)
            counts["Y"] += 1
        elif keys == {"enumerate"} and node["enumerate"] is True:
            subsets += _enumerate_leaf(blk, radius, inc, exc, bound)
            counts["enumerate"] += 1
        else:
            _need(False, f"a tree node (I = {sorted(inc)}, O = {sorted(exc)}) is not a branch, Y or enumerate node")
    return f"{counts['Y']} Lemma 8.2 leaves and {counts['enumerate']} enumerated ({subsets} subsets) cover all S"


def _int_matrix(value, rows: int, cols: int, what: str) -> list:
    _need(isinstance(value, list) and len(value) == rows and all(
        isinstance(row, list) and len(row) == cols and all(type(x) is int for x in row) for row in value),
        f"{what} must be a {rows} x {cols} matrix of integers")
    return value


def _outside(blk, radius, subset, bound) -> None:
    """S is outside the question's radius (the tests of _enumerate_leaf) and not below the claimed bound."""
    rows, den = blk.residual(subset)
    norm2 = Fraction(sum(x * x for row in rows for x in row), den * den)
    storage = sum((radius.w_hi[i] for i in subset), Fraction(0))
    outside = norm2 > 0 and (radius.rel2 is None or norm2 > radius.rel2) and \
        (radius.k is None or norm2 > storage * storage)
    _need(outside, f"S = {sorted(subset)} has ||R_S||_F within the radius, so an index set exists")
    _need(norm2 >= bound * bound, f"S = {sorted(subset)} has ||R_S||_F < the claimed distance lower bound "
                                  f"{_show(bound)}")


def _lattice(evidence, blk, radius, bound) -> str:
    """checker/lattice.py: rebuild the embedding B from the weights, check B' = U B with U unimodular, enumerate B'
    exactly within R^2 (which must cover rho = max(every r(S), the claimed bound)), and test every 0/1 vector met."""
    k, w = evidence.get("k"), evidence.get("weight")
    _need(type(k) is int and abs(k) <= 4000 and type(w) is int and 1 <= w <= 2 ** 64,
          "lattice evidence needs an integer k (|k| <= 4000) and an integer head weight w >= 1")
    radius2 = rational(evidence.get("radius2"), "radius2")
    n, p = blk.n, blk.d * blk.d
    basis = _int_matrix(evidence.get("basis"), n + 1, n + 1 + p, "lattice basis")
    _need(not lattice.too_large(basis), lattice.too_large(basis))
    columns, target, e2 = lattice.scaled_data(blk.a_eff, blk.b, blk.dae * blk.db, blk.v, blk.dv, k)
    rho = max(radius.tau_bar, sum(radius.w_hi, Fraction(0)), bound)
    _need(lattice.covers(radius2, w, n, k, rho, e2),
          f"R^2 = {_show(radius2)} does not cover w^2 (n + 1) + (K rho + E)^2 for rho = {_show(rho)}")
    u = lattice.unimodular(basis, w, n)
    _need(u is not None, "the basis head is not an integer combination of the embedding's rows")
    tails = lattice.embedding(columns, target, w)
    _need(rows_times_rows(u, [[row[j] for row in tails] for j in range(n + 1, n + 1 + p)])
          == [row[n + 1:] for row in basis], "the basis is not U times the embedding of these weights")
    _need(abs(lattice.determinant(u)) == 1, "the basis does not span the embedding's lattice (det U != +-1)")
    vectors = met = 0
    stats = {"nodes": 0}
    try:
        for coeffs in lattice.short_vectors(basis, radius2, stats=stats):
            vectors += 1
            y = lattice.times(coeffs, basis)
            if abs(y[n]) == w and all(abs(h) == w for h in y[:n]):
                met += 1
                _outside(blk, radius, [i for i in range(n) if y[i] == -y[n]], bound)
    except ValueError as exc:
        _need(False, f"lattice basis: {exc}")
    except lattice.TooManyNodes as exc:
        _need(False, str(exc))
    return (f"exact enumeration of the lattice within R^2 = {_show(radius2)} (K = 2^{k}, head weight {w}: "
            f"{stats['nodes']} nodes, {vectors} vectors, {met} of them 0/1 points, each outside the radius) covers every S")


def _theorem(theorem, activation, skip, blk, hyp) -> list:
    """The hypotheses `theorem` needs for this block (docs/CERTIFICATE.md table); rejects when it does not apply."""
    relu, ident = activation in RELU_TYPE, skip == "identity"
    if theorem == "generic-iff" and ident and not blk.has_bias("up_bias") and not blk.has_bias("down_bias"):
        names = ["d>=2", "G0", "G-line"] if relu else ["G0", "G-class"] if activation in CLASS_ID else None
    elif theorem == "relu-bias-characterization" and ident and relu:
        names = ["G0b", "G-line-b"]
    elif theorem == "class-bias" and ident and activation in CLASS_ID_BIASED:
        names = ["G0b", "G-class-b"]
    elif theorem == "postnorm-projected" and skip == "projected" and (relu or activation in CLASS_ID_BIASED):
        names = ["G0b", "G-line-b"] if relu else ["G0b", "G-class-b"]
    else:
        names = None
    _need(names is not None, f"theorem {str(theorem)[:40]} does not apply to activation {activation}, skip {skip} "
                             "and these biases")
    failing = [f"{x} (witness {hyp[x][1]})" for x in names if not hyp[x][0]]
    _need(not failing, f"theorem {theorem} needs {', '.join(failing)}, which fails on these weights")
    return names


def _hypotheses(listed, blk, hyp) -> set:
    """Every listed hypothesis agrees with the exact decision; a claimed witness really breaks it."""
    if not isinstance(listed, list):
        raise CertificateError("hypotheses must be a list")
    names = set()
    for h in listed:
        name = _field(h, "name", str, "hypotheses[].name")
        holds = h.get("holds")
        _need(name in hypotheses.NAMES and name not in names and type(holds) is bool,
              f"hypothesis entry {name[:20]!r} is unknown, repeated, or has no boolean 'holds'")
        names.add(name)
        _need(holds == hyp[name][0], f"hypothesis {name}: the certificate says holds = {holds}, the checker finds "
                                     f"{hyp[name][0]} (witness {hyp[name][1]})")
        witness = h.get("witness")
        _need(witness is None if holds or name == "d>=2" else
              hypotheses.breaks(name, witness, blk.a_eff, blk.b, blk.b_tilde),
              f"hypothesis {name}: witness {str(witness)[:40]} does not break it")
    return names


def _check(cert, weights_root) -> tuple:
    if not isinstance(cert, dict) or cert.get("format") != FORMAT:
        raise CertificateError(f"not a {FORMAT} certificate")
    evidence = _field(cert, "evidence", dict)
    kind, answer, theorem = evidence.get("kind"), cert.get("answer"), cert.get("theorem")
    grade, activation, skip = cert.get("grade"), cert.get("activation"), cert.get("skip")
    bound = rational(cert["distance_lower_bound"], "distance_lower_bound") \
        if cert.get("distance_lower_bound") is not None else None
    _need(bound is None or bound >= 0, "a negative distance lower bound")
    if kind == "search":
        _need(answer in ("no_index_set", "undecided"), f"a search cannot answer {answer}")
        note = " ".join(f"{evidence.get('method')}: {evidence.get('note')}".split())[:300]
        return "search", f"SEARCH (not a certificate): {answer} by {note}"
    if kind == "prenorm":
        norm = evidence.get("norm")
        if norm not in ("layernorm", "rmsnorm-eps0"):
            raise CertificateError("prenorm evidence needs norm 'layernorm' or 'rmsnorm-eps0'")
        _need(answer == "not_absorbable" and theorem == "prenorm-impossible" and skip == "identity"
              and cert.get("hypotheses") == [] and bound is None and grade is None,
              "prenorm evidence proves not_absorbable by prenorm-impossible for the identity skip, with no "
              "hypotheses, grade or distance")
        why = "A 1 = 1 != 0" if norm == "layernorm" else "A = I != 0"
        return "verified", f"VERIFIED: not_absorbable: pre-norm block ({norm}: {why}) never absorbs its skip " \
                           "at any width (prenorm-impossible); no weights read"
    c = rational(cert.get("c"), "c")
    if c == 0 or skip not in ("identity", "projected") or not (activation is None or isinstance(activation, str)):
        raise CertificateError("c must be nonzero, skip 'identity' or 'projected', activation a string or null")
    if activation in RELU_TYPE | CLASS_ID:
        _need(c == C_OF.get(activation, 1), f"{activation} has sigma(z) - sigma(-z) = {C_OF.get(activation, 1)} z, "
                                            f"so c = {C_OF.get(activation, 1)}, not {c}")
    elif answer in ("absorbable", "not_absorbable") and activation is not None:
        _need(False, f"activation {str(activation)[:30]} is not known to the checker to satisfy "
                     f"sigma(z) - sigma(-z) = c z, so it cannot vouch for {answer!r}")
    root = weights_root if weights_root is not None else _field(cert, "weights", dict).get("root")
    if not isinstance(root, str):
        raise CertificateError("weights.root must be a path")
    blk = Block(cert, root, c, skip)
    question = _field(cert, "question", dict)
    if question.get("width") != blk.n:
        raise CertificateError(f"question.width {str(question.get('width'))[:20]} is not n = {blk.n}")
    radius = Radius(_field(question, "radius", dict, "question.radius"), blk)
    hyp = hypotheses.decide(blk.a_eff, blk.b, blk.b_tilde, blk.d)
    listed = _hypotheses(cert.get("hypotheses"), blk, hyp)
    if kind == "existence":
        subset = evidence.get("subset")
        if not (isinstance(subset, list) and all(type(i) is int and 0 <= i < blk.n for i in subset)
                and len(set(subset)) == len(subset)):
            raise CertificateError("existence subset must be a list of distinct neuron indices")
        rows, den = blk.residual(subset)
        r2 = Fraction(sum(x * x for row in rows for x in row), den * den)
        _need(r2 == rational(evidence.get("residual_squared"), "residual_squared"),
              f"||R_S||_F^2 is {_show(r2)}, the certificate says {str(evidence.get('residual_squared'))[:30]}")
        storage = radius.k is not None and r2 <= sum(radius.w_lo[i] for i in subset) ** 2
        relative = radius.rel2 is not None and r2 <= radius.rel2
        found = "exact" if r2 == 0 else "storage_precision" if storage else "tolerance" if relative else None
        _need(found is not None, f"S = {sorted(subset)} has ||R_S||_F^2 = {_show(r2)}, outside the radius")
        _need(found != "storage_precision" or radius.u <= blk.u_format,
              f"u = {radius.u} is coarser than the storage format of these weights (u = {blk.u_format})")
        _need(answer == "absorbable" and grade == found and theorem in (None, "sign-flip") and not bound,
              f"S proves absorbable with grade {found} (theorem null or sign-flip, no distance bound), not "
              f"{answer} ({grade})")
        return "verified", f"VERIFIED: absorbable ({found}): sign flip of S = {sorted(subset)} (|S| = " \
                           f"{len(subset)}), ||R_S||_F^2 = {_show(r2)}; {radius.describe()}"
    if kind == "relu-d1":
        _need(answer == "absorbable" and theorem == "relu-d1-counterexample" and blk.d == 1 and blk.n >= 2
              and not blk.has_bias("up_bias") and skip == "identity" and activation in RELU_TYPE
              and grade in (None, "exact") and not bound,
              "relu-d1 needs answer absorbable by relu-d1-counterexample, d = 1, n >= 2, no up bias, identity "
              "skip and a ReLU-type activation")
        return "verified", f"VERIFIED: absorbable: d = 1, n = {blk.n}, no up bias, {activation}: Counterexample " \
                           "6.4 gives a width-2 absorber (relu-d1-counterexample)"
    if kind not in ("farkas", "tree", "lattice"):
        raise CertificateError(f"unknown evidence kind {str(kind)[:30]!r}")
    _need(answer in NO and grade is None, f"{kind} evidence proves no index set, not {answer} ({grade})")
    if kind == "lattice":
        summary = _lattice(evidence, blk, radius, bound or Fraction(0))
    else:
        node = {"Y": evidence.get("Y"), "phi": evidence.get("phi")} if kind == "farkas" else evidence.get("root")
        summary = _tree(node, blk, radius, bound or Fraction(0))
    line = f"VERIFIED: {answer}: {kind} certificate, {summary}; {radius.describe()}"
    line += f"; distance >= {_show(bound)}" if bound else ""
    if answer == "not_absorbable":
        names = _theorem(theorem, activation, skip, blk, hyp)
        missing = [x for x in names if x not in listed]
        _need(not missing, f"the certificate does not list the hypotheses {missing} of {theorem}")
        return "verified", line + f"; theorem {theorem} with {', '.join(names)} checked on the weights"
    _need(theorem in (None, "farkas-certificate"), f"no_index_set cites no theorem of absorbability ({theorem})")
    return "verified", line


def check(cert: dict, weights_root: str = None) -> Verdict:
    """Verdict on one certificate: "verified" only when every claim was recomputed exactly and holds, "search" for
    a search (never a certificate), "rejected" with the first failing claim otherwise. Unreadable input (bad JSON
    shape, missing file, unsupported dtype) raises CertificateError."""
    try:
        status, message = _check(cert, weights_root)
    except _Reject as exc:
        return Verdict("rejected", f"REJECTED: {exc}")
    return Verdict(status, message)
