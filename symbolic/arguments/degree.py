"""Thm 2 / Thm 4(b): hidden maps positively homogeneous of degree k != 1 cannot absorb the skip."""
import sympy as sp

from symbolic.arguments._homogeneity import homogeneity
from symbolic.arguments.base import APPLIES, Argument, applies, refuted
from symbolic.certificate import make_step


def degree_theorems(k):
    return ["degree", "depth-degree"] if k >= 0 else ["degree"]


class Degree(Argument):
    id, kind, verdict, order = "degree", "ungated", "impossible", 20

    def check(self, expr):
        outcome = homogeneity(expr)
        if outcome.status != APPLIES:
            return outcome
        k = outcome.data["k"]
        if k == 1:
            return refuted(outcome.steps, "homogeneous of degree 1: the degree argument needs k != 1")
        steps = outcome.steps + [make_step(2**k, 2, "!=", "exact", True,
                                           claim=rf"2^{{{sp.latex(k)}}} \neq 2 \text{{ since }} k={sp.latex(k)} \neq 1")]
        return applies(steps, f"hidden map homogeneous of degree {k} != 1", degree=k, theorems=degree_theorems(k))


ARGUMENT = Degree()
