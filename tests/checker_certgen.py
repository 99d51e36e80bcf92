"""Test-side producer of skip-absorption-certificate/1 files for tests/test_checker*.py.

It shares nothing with checker/ (and does not use indexset/, which is rewritten in parallel): weights are written
by hand-rolled safetensors/npz writers, the ground truth is a brute-force enumeration in Fraction, Y is the
least-squares residual from numpy rounded to a rational, and trees branch on the first free index."""
import hashlib
import json
import math
import struct
from fractions import Fraction
from itertools import combinations

import numpy as np

ST_DTYPES = {np.dtype("float64"): "F64", np.dtype("float32"): "F32", np.dtype("float16"): "F16",
             np.dtype("int64"): "I64", np.dtype("int32"): "I32", np.dtype("int8"): "I8", np.dtype("uint8"): "U8"}


def write_safetensors(path, arrays: dict, bf16=()) -> None:
    """Arrays as a safetensors file; names in `bf16` (float32 arrays whose low 16 bits are zero) are stored BF16."""
    header, blobs, offset = {}, [], 0
    for name, arr in arrays.items():
        arr = np.ascontiguousarray(arr)
        if name in bf16:
            bits = arr.astype("<f4").view("<u4")
            assert not np.any(bits & 0xFFFF), "not exactly representable in bfloat16"
            raw, dtype = (bits >> 16).astype("<u2").tobytes(), "BF16"
        else:
            raw, dtype = arr.astype(arr.dtype.newbyteorder("<")).tobytes(), ST_DTYPES[arr.dtype]
        header[name] = {"dtype": dtype, "shape": list(arr.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def sha256(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def q(x) -> str:
    return str(Fraction(x))


def exact(arr):
    """Stored values as Fractions (floats and ints are exact rationals)."""
    return [[Fraction(v) if isinstance(v, float) else Fraction(int(v)) for v in row] for row in arr.tolist()]


class Problem:
    """a_i (columns of W_down), b_i (rows of W_up), V = A/c, all in Fraction; brute force over every S."""

    def __init__(self, w_up, w_down, c=Fraction(1), skip="identity"):
        self.up, self.down = exact(w_up), exact(w_down)
        self.n, self.d = len(self.up), len(self.up[0])
        d = self.d
        self.a = [[self.down[j][i] for j in range(d)] for i in range(self.n)]
        self.b = self.up
        if skip == "projected":
            self.a = [[x - sum(col) / d for x in col] for col in self.a]
            skip_m = [[Fraction(int(j == k)) - Fraction(1, d) for k in range(d)] for j in range(d)]
        else:
            skip_m = [[Fraction(int(j == k)) for k in range(d)] for j in range(d)]
        self.v = [[x / c for x in row] for row in skip_m]

    def down_col(self, i):
        """The stored (unprojected) column a_i of W_down."""
        return [self.down[j][i] for j in range(self.d)]

    def residual(self, subset):
        return [[self.v[j][k] + sum(self.a[i][j] * self.b[i][k] for i in subset) for k in range(self.d)]
                for j in range(self.d)]

    def norm2(self, subset) -> Fraction:
        return sum(x * x for row in self.residual(subset) for x in row)

    def all_norms(self) -> dict:
        return {s: self.norm2(s) for r in range(self.n + 1) for s in combinations(range(self.n), r)}

    def v_norm2(self) -> Fraction:
        return sum(x * x for row in self.v for x in row)

    def phi(self, y, inc, exc) -> Fraction:
        base = sum(y[j][k] * x for j, row in enumerate(self.residual(sorted(inc))) for k, x in enumerate(row))
        free = [i for i in range(self.n) if i not in inc and i not in exc]
        return base + sum(min(Fraction(0), self.y_i(y, i)) for i in free)

    def y_i(self, y, i) -> Fraction:
        return sum(self.a[i][j] * y[j][k] * self.b[i][k] for j in range(self.d) for k in range(self.d))

    def ls_y(self, inc, exc, bits=30):
        """The least-squares residual of the cylinder (I fixed, O out), rounded to `bits` binary digits."""
        free = [i for i in range(self.n) if i not in inc and i not in exc]
        target = np.array([[_float(x) for x in row] for row in self.residual(sorted(inc))])
        if free and np.all(np.isfinite(target)):
            m = np.array([[_float(self.a[i][j] * self.b[i][k]) for j in range(self.d) for k in range(self.d)]
                          for i in free]).T
            if not np.all(np.isfinite(m)):
                return None
            with np.errstate(all="ignore"):
                s = np.linalg.lstsq(m, -target.ravel(), rcond=None)[0]
            with np.errstate(all="ignore"):
                target = target + (m @ s).reshape(self.d, self.d)
        if not np.all(np.isfinite(target)):
            return None
        scale = float(np.max(np.abs(target))) or 1.0
        unit = Fraction(2) ** (math.frexp(scale)[1] - bits)  # a Fraction: 2.0 ** -1100 would underflow to 0
        return [[round(Fraction(x) / unit) * unit for x in row] for row in target]


def lower_sqrt(x: Fraction) -> Fraction:
    """A rational L >= 0 with L^2 <= x."""
    if x <= 0:
        return Fraction(0)
    return Fraction(math.isqrt((x.numerator * x.denominator) << 120), x.denominator << 60)


def _float(x: Fraction) -> float:
    try:
        return float(x)
    except OverflowError:
        return math.inf


def build_tree(p: Problem, rel2: Fraction, inc=frozenset(), exc=frozenset(), enum_at=3):
    """(node, L^2 lower bound): a Y leaf when it proves ||R_S||^2 > rel2 with an exact q >= ||Y|| (rel2 a perfect
    enough bound is not needed: the test producer only uses it where phi^2 > rel2 ||Y||^2 with phi > 0), else
    enumerate when few indices are free, else branch on the first free index."""
    free = [i for i in range(p.n) if i not in inc and i not in exc]
    y = p.ls_y(inc, exc)
    phi = p.phi(y, inc, exc) if y is not None else Fraction(0)
    ny2 = sum(x * x for row in y for x in row) if y is not None else Fraction(0)
    if ny2 > 0 and phi > 0 and phi * phi > rel2 * ny2 * Fraction(1000001, 1000000):
        return {"Y": [[q(x) for x in row] for row in y], "phi": q(phi)}, phi * phi / ny2
    if len(free) <= enum_at:
        best = min(p.norm2(sorted(set(inc) | set(t))) for r in range(len(free) + 1) for t in combinations(free, r))
        return {"enumerate": True}, best
    i = free[0]
    out, l_out = build_tree(p, rel2, inc, exc | {i}, enum_at)
    inn, l_in = build_tree(p, rel2, inc | {i}, exc, enum_at)
    return {"branch": i, "out": out, "in": inn}, min(l_out, l_in)


def make_certificate(path, w_up, w_down, c=Fraction(1), skip="identity", radius=None, activation=None,
                     hypotheses=(), bf16=(), biases=None, enum_at=3, tree=True):
    """Write the weights to `path` (.safetensors or .npz) and return (certificate, Problem). The answer is whatever
    the brute force finds: existence of the best S within the radius, else a Farkas root or a tree."""
    radius = radius or {"kind": "exact", "tau": None, "u": None}
    arrays = {"up": w_up, "down": w_down, **(biases or {})}
    if str(path).endswith(".npz"):
        np.savez(path, **arrays)
    else:
        write_safetensors(path, arrays, bf16)
    p = Problem(w_up, w_down, Fraction(c), skip)
    tau = Fraction(radius["tau"]) if radius.get("tau") else Fraction(0)
    rel2 = tau * tau * p.v_norm2()
    norms = p.all_norms()
    best = min(norms, key=lambda s: (norms[s], s))
    cert = {"format": "skip-absorption-certificate/1",
            "weights": {"root": str(path), "files": {"": sha256(path)},
                        "up": {"file": "", "key": "up", "layout": "nd"},
                        "down": {"file": "", "key": "down", "layout": "dn"},
                        "up_bias": {"file": "", "key": "up_bias"} if biases and "up_bias" in biases else None,
                        "down_bias": {"file": "", "key": "down_bias"} if biases and "down_bias" in biases else None,
                        "layer": None},
            "activation": activation, "c": q(c), "skip": skip,
            "question": {"width": p.n, "radius": radius},
            "theorem": None, "hypotheses": list(hypotheses), "distance_lower_bound": None, "absorber": None}
    if norms[best] <= rel2:
        cert.update(answer="absorbable", grade="exact" if norms[best] == 0 else "tolerance",
                    evidence={"kind": "existence", "subset": list(best), "residual_squared": q(norms[best])})
        return cert, p
    node, low2 = build_tree(p, rel2, enum_at=enum_at if tree else p.n)
    evidence = {"kind": "farkas", **node} if "Y" in node else {"kind": "tree", "root": node}
    cert.update(answer="no_index_set", grade=None, evidence=evidence, distance_lower_bound=q(lower_sqrt(low2)))
    return cert, p


def _parallel(u, v) -> bool:
    """u, v linearly dependent: every 2 x 2 minor vanishes (a zero vector is dependent on anything)."""
    return all(u[j] * v[k] == u[k] * v[j] for j in range(len(u)) for k in range(len(u)))


def _first_pair(rows, same):
    return next(([i, j] for i in range(len(rows)) for j in range(i + 1, len(rows)) if same(rows[i], rows[j])), None)


def decide_hypotheses(p: Problem, beta=None) -> list:
    """The seven hypotheses by their definitions (minors, +-equality), independently of checker/hypotheses.py."""
    beta = beta or [Fraction(0)] * p.n
    tilde = [row + [bt] for row, bt in zip(p.b, beta)]
    zero = next(([i] for i in range(p.n) if not any(p.a[i]) or not any(p.b[i])), None)
    pm = lambda u, v: u == v or u == [-x for x in v]  # noqa: E731
    found = {"G0": zero, "G0b": zero, "G-line": _first_pair(p.b, _parallel), "G-class": _first_pair(p.b, pm),
             "G-line-b": _first_pair(tilde, _parallel), "G-class-b": _first_pair(tilde, pm)}
    out = [{"name": k, "holds": w is None, "witness": w} for k, w in found.items()]
    return out + [{"name": "d>=2", "holds": p.d >= 2, "witness": None}]
