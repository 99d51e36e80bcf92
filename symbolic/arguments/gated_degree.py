"""Thm 2 for gated blocks: gamma homogeneous of degree k makes gamma(Px) * (Qx) homogeneous of degree k + 1."""
import sympy as sp

from symbolic.arguments._homogeneity import homogeneity
from symbolic.arguments.base import APPLIES, Argument, applies, refuted
from symbolic.arguments.degree import degree_theorems
from symbolic.certificate import make_step
from symbolic.lean.properties import LeanProperty, appendix_labels


class GatedDegree(Argument):
    id, kind, verdict, order = "degree", "gated", "impossible", 20
    lean_property = LeanProperty(
        "PosHomog {fn} {k}",
        "the gate is positively homogeneous of degree {k}, so the hidden map has degree {h} ({labels})",
        values=lambda result: {"k": sp.Rational(result["degree"]) - 1, "h": result["degree"],
                               "labels": appendix_labels(degree_theorems(sp.Rational(result["degree"]), gated=True))})

    def check(self, expr):
        outcome = homogeneity(expr, fname=r"\gamma")
        if outcome.status != APPLIES:
            return outcome
        k = outcome.data["k"] + 1
        if k == 1:
            return refuted(outcome.steps, "gate of degree 0: hidden map of degree 1")
        steps = outcome.steps + [
            make_step(k, 1, "!=", "exact", True,
                      claim=rf"\text{{hidden map }}\gamma(Px)\odot(Qx)\text{{ has degree }}{sp.latex(k)} \neq 1")]
        return applies(steps, f"gated hidden map homogeneous of degree {k} != 1", degree=k,
                       theorems=degree_theorems(k, gated=True))


ARGUMENT = GatedDegree()
