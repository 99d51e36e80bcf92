"""Section 5 (rank bound): rank(W_down D_S W_up) <= |S|, so the index condition needs |S| >= rank A = d."""
import itertools

import sympy as sp

from symbolic.certificate import make_step
from symbolic.derivations._common import derivation, matrix, nonzero, scalar_equal


def _minors(Mat, k):
    return [Mat.extract(list(r), list(c)).det() for r in itertools.combinations(range(Mat.rows), k)
            for c in itertools.combinations(range(Mat.cols), k)]


def _all_minors_vanish(d, n, S):
    Wd, Wu = matrix("Wd", d, n), matrix("Wu", n, d)
    DS = sp.diag(*[1 if i in S else 0 for i in range(n)])
    MS = Wd * DS * Wu
    k = len(S) + 1
    minors = _minors(MS, k)
    ok = all(sp.expand(m) == 0 for m in minors)
    s_tex = ",".join(str(i + 1) for i in S)
    claim = (rf"\text{{all }}{k}\times{k}\text{{ minors of }} W_{{down}}D_SW_{{up}} \text{{ vanish}}"
             rf"\ (d={d},\ n={n},\ S=\{{{s_tex}\}}),\ \text{{so }}\operatorname{{rank}} \le |S| = {len(S)}")
    return make_step(sp.Tuple(*minors), sp.Tuple(*[0] * len(minors)), "=",
                     f"all {len(minors)} minors of size {k} expanded to 0" if ok else "not verified: a minor is nonzero",
                     ok, claim)


def rank_bound() -> dict:
    c = sp.Symbol("c", nonzero=True)
    steps = [_all_minors_vanish(2, 3, (1,))]
    steps.append(scalar_equal((-sp.eye(2) / c).det(), c**-2, r"\det(-I_2/c) = c^{-2}"))
    steps.append(nonzero(c**-2, r"c^{-2} \neq 0,\ \text{so } \operatorname{rank}(-I_2/c) = 2 > |S|:\ \text{IC}_c \text{ fails}"))
    steps.append(_all_minors_vanish(3, 4, (0, 2)))
    steps.append(_all_minors_vanish(3, 3, (1,)))
    steps.append(scalar_equal((-sp.eye(3) / c).det(), -c**-3, r"\det(-I_3/c) = -c^{-3}"))
    steps.append(nonzero(-c**-3, r"-c^{-3} \neq 0,\ \text{so IC}_c \text{ fails for every } S \text{ with } |S| < 3 = d"))
    return derivation("Rank bound (Section 5): rank(W_down D_S W_up) <= |S| < d = rank(-I/c) when |S| < d, so the "
                      "index condition needs |S| >= d",
                      "symbolic.derivations.rank_bound.rank_bound", steps)
