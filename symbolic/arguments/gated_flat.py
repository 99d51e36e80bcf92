"""Thm 3 (gated): gamma continuous at 0 with gamma(0) = 0 makes gamma(Px) * (Qx) = o(|x|); differentiability is
not needed."""
from symbolic.arguments.base import APPLIES, Argument, applies
from symbolic.arguments.flat import flatness
from symbolic.lean.properties import LeanProperty


class GatedFlat(Argument):
    id, kind, verdict, order = "flat", "gated", "impossible", 30
    lean_property = LeanProperty(
        "ContinuousAt {fn} 0 ∧ {fn} 0 = 0",
        "the gate is continuous at 0 with γ(0) = 0: flat, never absorbable (appendix label `flat`)")

    def check(self, expr):
        outcome = flatness(expr, r"\gamma", divide_by_p=False)
        if outcome.status != APPLIES:
            return outcome
        return applies(outcome.steps, "gamma(0) = 0 and gamma is continuous at 0", theorems=["flat", "depth-flat"])


ARGUMENT = GatedFlat()
