"""The genericity hypotheses of the theorems, decided exactly on the given weights in O(n d) (BLUEPRINT §8.2 point 1).

(G0)  every a_i != 0 and b_i != 0 (for the projected skip of Prop. 6.8f: P a_i != 0, i.e. a_i not constant);
(G-line)  no two rows b_i, b_j parallel;  (G-class)  no two rows b_i = +-b_j;  d >= 2;
(G0b), (G-line-b), (G-class-b): the same with b~_i = (b_i, beta_i) (and b_i != 0).

Why hashing is exact here: stored values are dyadic rationals. For the line conditions a row is divided by its first
nonzero entry; float division is correctly rounded, so two rows whose exact quotients agree get bit-identical keys
(no parallel pair is ever missed), and every pair sharing a key is then confirmed by exact cross-multiplication in
Fractions (no false alarm). For the class conditions a row is multiplied by the sign of its first nonzero entry
only, which is exact. Witnesses are the offending indices: one for G0, the first colliding pair (i < j, smallest j,
then smallest i) otherwise.
"""
from dataclasses import dataclass
from fractions import Fraction

import numpy as np


@dataclass(frozen=True)
class Hypothesis:
    """One named condition decided on the instance, with the neurons that break it."""
    name: str
    holds: bool
    witness: tuple = None  # offending indices, or None when it holds

    def to_json(self) -> dict:
        return {"name": self.name, "holds": self.holds,
                "witness": None if self.witness is None else [int(i) for i in self.witness]}

    def describe(self) -> str:
        if self.holds:
            return f"({self.name}) holds"
        if self.name == "d>=2":
            return "(d>=2) fails: d = 1"
        who = ", ".join(str(int(i)) for i in self.witness)
        return f"({self.name}) fails at neuron{'s' if len(self.witness) > 1 else ''} {who}"


def _first_nonzero(rows: np.ndarray) -> np.ndarray:
    """Index of the first nonzero entry of each row (rows assumed nonzero)."""
    return np.argmax(rows != 0.0, axis=1)


def _g0(w_up, w_down, projected: bool, name: str) -> Hypothesis:
    a_zero = ~np.any(w_down != 0.0, axis=0)
    if projected:  # P a_i = a_i - mean(a_i) 1 is zero exactly when all entries of a_i are equal
        a_zero = np.all(w_down == w_down[:1, :], axis=0)
    b_zero = ~np.any(w_up != 0.0, axis=1)
    bad = np.flatnonzero(a_zero | b_zero)
    return Hypothesis(name, bad.size == 0, None if bad.size == 0 else (int(bad[0]),))


def _exact_parallel(x, y) -> bool:
    """x and y (nonzero float rows) linearly dependent, exactly: x_k y_p == y_k x_p for the pivot p of x."""
    p = int(np.flatnonzero(x != 0.0)[0])
    xp, yp = Fraction(float(x[p])), Fraction(float(y[p]))
    return all(Fraction(float(x[k])) * yp == Fraction(float(y[k])) * xp for k in range(x.size))


def _first_collision(rows: np.ndarray, line: bool):
    """The first pair (i, j), i < j, of rows that are parallel (line) or equal up to sign (class). A zero row is
    parallel to every row, and two zero rows are equal (docs/CERTIFICATE.md, as the checker decides it); skipping
    them made a certificate say "G-line holds" for a block with a zero row, which the checker then rejected.
    None if there is none."""
    nz = np.flatnonzero(np.any(rows != 0.0, axis=1))
    zero = np.flatnonzero(~np.any(rows != 0.0, axis=1))
    if line and zero.size and rows.shape[0] > 1:
        return (0, 1) if zero[0] == 0 else (0, int(zero[0]))
    if not line and zero.size > 1:
        return int(zero[0]), int(zero[1])
    if nz.size < 2:
        return None
    sub = rows[nz]
    piv = sub[np.arange(sub.shape[0]), _first_nonzero(sub)]
    if line:
        with np.errstate(over="ignore", under="ignore"):
            keys = sub / piv[:, None]
    else:
        keys = sub * np.sign(piv)[:, None]
    keys = keys + 0.0  # -0.0 -> 0.0, so the bytes of equal keys agree
    first_seen = {}
    for pos in range(sub.shape[0]):
        k = keys[pos].tobytes()
        if k in first_seen:
            for earlier in first_seen[k]:
                i, j = int(nz[earlier]), int(nz[pos])
                if not line:
                    return i, j  # key equality is exact equality up to sign
                if _exact_parallel(rows[i], rows[j]):
                    return i, j
            first_seen[k].append(pos)
        else:
            first_seen[k] = [pos]
    return None


def _pair(rows, line: bool, name: str) -> Hypothesis:
    hit = _first_collision(rows, line)
    return Hypothesis(name, hit is None, hit)


def check_hypotheses(w_up, w_down, up_bias=None, skip: str = "identity") -> tuple:
    """The hypotheses for this block, in a fixed order: bias-free (G0, G-line, G-class, d>=2) or, with an up bias,
    (G0b, G-line-b, G-class-b, d>=2). w_up (n, d), w_down (d, n), up_bias (n,) or None, all finite float64."""
    w_up = np.asarray(w_up, dtype=np.float64)
    w_down = np.asarray(w_down, dtype=np.float64)
    projected = skip == "projected"
    d = w_up.shape[1]
    dim = Hypothesis("d>=2", d >= 2, None)
    if up_bias is None:
        return (_g0(w_up, w_down, projected, "G0"), _pair(w_up, True, "G-line"), _pair(w_up, False, "G-class"), dim)
    tilde = np.concatenate([w_up, np.asarray(up_bias, dtype=np.float64).reshape(-1, 1)], axis=1)
    return (_g0(w_up, w_down, projected, "G0b"), _pair(tilde, True, "G-line-b"), _pair(tilde, False, "G-class-b"),
            dim)


def holds(hyps, names) -> bool:
    by = {h.name: h for h in hyps}
    return all(by[n].holds for n in names)


def failing(hyps, names) -> list:
    by = {h.name: h for h in hyps}
    return [by[n] for n in names if not by[n].holds]
