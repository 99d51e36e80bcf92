"""The genericity hypotheses of the biased theorems, decided exactly on stored weights (BLUEPRINT §6.8, §8.2 item 1).

Why exact: stored floats are dyadic rationals, so "no two rows (b_i, beta_i) are parallel" is a finite exact question.
Each row is scaled to a primitive integer vector (common power-of-two denominator, then the gcd divided out, then the
sign of the first nonzero entry fixed); two rows are parallel iff these vectors coincide. For the class conditions
(equal up to sign) only the sign is normalised, which is exact in floating point, so b and 2b stay two classes.

- (G0b): a_i != 0 (after the projection P of a post-norm block: P a_i != 0, i.e. a_i is not a multiple of 1)
  and b_i != 0, for every neuron i;
- (G-line-b): the rows (b_i, beta_i) are pairwise linearly independent (theorem `relu-bias-characterization`);
- (G-class-b): (b_i, beta_i) != +-(b_j, beta_j) for i != j (theorem `class-bias`).

Each check returns {"name", "holds", "witness"}: the witness names the offending neurons (0-based) when it fails.
"""
from math import gcd

import numpy as np


def _first_nonzero_sign(row: np.ndarray) -> float:
    nz = np.flatnonzero(row)
    return 1.0 if nz.size == 0 else float(np.sign(row[nz[0]]))


def _primitive_line(row: np.ndarray) -> tuple:
    """The primitive integer vector on the line of `row` (exact; zero row -> all zeros)."""
    ratios = [float(v).as_integer_ratio() for v in row]
    den = max(q for _, q in ratios)  # denominators are powers of two: the largest is their lcm
    ints = [p * (den // q) for p, q in ratios]
    g = 0
    for v in ints:
        g = gcd(g, v)
    if g == 0:
        return tuple(ints)
    ints = [v // g for v in ints]
    first = next(v for v in ints if v != 0)
    return tuple(-v for v in ints) if first < 0 else tuple(ints)


def g0b(w_up: np.ndarray, w_down: np.ndarray, projected: bool) -> dict:
    """(G0b): no zero row b_i and no zero column a_i (projected: no column that P maps to 0, i.e. no constant
    column, since P a = 0 iff a is a multiple of 1)."""
    zero_rows = [int(i) for i in np.flatnonzero(~np.any(w_up != 0, axis=1))]
    if projected:
        cols = [int(i) for i in range(w_down.shape[1]) if np.all(w_down[:, i] == w_down[0, i])]
        what = "P a_i = 0 (column of W_down constant)"
    else:
        cols = [int(i) for i in np.flatnonzero(~np.any(w_down != 0, axis=0))]
        what = "a_i = 0"
    name = "(G0b): P a_i != 0 and b_i != 0 for all i" if projected else "(G0b): a_i != 0 and b_i != 0 for all i"
    if not zero_rows and not cols:
        return {"name": name, "holds": True, "witness": None}
    parts = []
    if zero_rows:
        parts.append(f"b_i = 0 for i in {zero_rows[:10]}")
    if cols:
        parts.append(f"{what} for i in {cols[:10]}")
    return {"name": name, "holds": False, "witness": "; ".join(parts)}


def _augmented(w_up: np.ndarray, bias) -> np.ndarray:
    beta = np.zeros(w_up.shape[0]) if bias is None else np.asarray(bias, dtype=np.float64)
    return np.concatenate([w_up, beta[:, None]], axis=1)


def g_line_b(w_up: np.ndarray, bias) -> dict:
    """(G-line-b): the rows (b_i, beta_i) pairwise linearly independent (distinct kink hyperplanes)."""
    name = "(G-line-b): (b_i, beta_i) pairwise linearly independent"
    seen = {}
    for i, row in enumerate(_augmented(w_up, bias)):
        key = _primitive_line(row)
        if key in seen:
            return {"name": name, "holds": False,
                    "witness": f"neurons {seen[key]} and {i} have parallel (b_i, beta_i): the same kink hyperplane"}
        seen[key] = i
    return {"name": name, "holds": True, "witness": None}


def g_class_b(w_up: np.ndarray, bias) -> dict:
    """(G-class-b): (b_i, beta_i) != +-(b_j, beta_j) for i != j (exact: only the sign is normalised)."""
    name = "(G-class-b): (b_i, beta_i) != +-(b_j, beta_j) for i != j"
    seen = {}
    for i, row in enumerate(_augmented(w_up, bias)):
        key = (row * _first_nonzero_sign(row) + 0.0).tobytes()  # + 0.0 turns -0.0 into 0.0
        if key in seen:
            return {"name": name, "holds": False, "witness": f"neurons {seen[key]} and {i} have (b, beta) equal up "
                                                             f"to sign"}
        seen[key] = i
    return {"name": name, "holds": True, "witness": None}
