"""Thm 2 / Thm 4(b): hidden maps positively homogeneous of degree k != 1 cannot absorb the skip."""
import sympy as sp

from symbolic.arguments._homogeneity import homogeneity
from symbolic.arguments.base import APPLIES, Argument, applies, refuted
from symbolic.certificate import make_step
from symbolic.lean.properties import LeanProperty


def degree_theorems(k, gated=False):
    """Theorem ids for a hidden map homogeneous of degree k != 1. `depth-degree` is proved for sigma of degree k >= 0
    and for gates of degree k_gamma > 0 (hidden map degree k = k_gamma + 1 > 1); a gate of degree in [-1, 0) (hidden
    degree in [0, 1)) is covered at depth 1 only."""
    deep = k > 1 if gated else k >= 0
    return ["degree", "depth-degree"] if deep else ["degree"]


class Degree(Argument):
    id, kind, verdict, order = "degree", "ungated", "impossible", 20
    lean_property = LeanProperty(
        "PosHomog {fn} {k}", "σ is positively homogeneous of degree {k} (appendix labels `degree`, `depth-degree`)",
        values=lambda result: {"k": result["degree"]})

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
