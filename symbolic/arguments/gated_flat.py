"""Thm 3 (gated): gamma continuous at 0 with gamma(0) = 0 makes gamma(Px) * (Qx) = o(|x|); differentiability is
not needed."""
from symbolic.arguments.base import APPLIES, Argument, applies
from symbolic.arguments.flat import flatness


class GatedFlat(Argument):
    id, kind, verdict, order = "flat", "gated", "impossible", 30

    def check(self, expr):
        outcome = flatness(expr, r"\gamma", divide_by_p=False)
        if outcome.status != APPLIES:
            return outcome
        return applies(outcome.steps, "gamma(0) = 0 and gamma is continuous at 0", theorems=["flat", "depth-flat"])


ARGUMENT = GatedFlat()
