"""Thm 3 / Thm 4(a): a flat activation (sigma(0) = 0 and sigma(z) = o(|z|)) forces A = 0 by linearization at 0."""
import sympy as sp

from symbolic.analysis import P, limit_at_zero, side
from symbolic.arguments.base import APPLIES, Argument, Outcome, applies, limit_step, refuted, undecided
from symbolic.certificate import check_nonzero_number, make_step
from symbolic.expr import Z
from symbolic.lean.properties import LeanProperty


def flatness(expr, fname, divide_by_p) -> Outcome:
    """An Outcome: APPLIES with the steps proving f(0) = 0 and that the two one-sided limits vanish (of f(±p)/p if
    divide_by_p, else of f(±p)); REFUTED with an exact witness; or UNDECIDED. The caller adds reason and theorems."""
    at_zero = sp.simplify(expr.subs(Z, 0))
    if at_zero != 0:
        step = check_nonzero_number(at_zero, claim=rf"{fname}(0) = {sp.latex(at_zero)} \neq 0")
        return (refuted([step], f"{fname}(0) != 0") if step else undecided([], "could not evaluate at 0"))
    steps = [make_step(expr.subs(Z, 0), 0, "=", "exact evaluation", True, claim=rf"{fname}(0) = 0")]
    for s, arg in ((1, "p"), (-1, "-p")):
        quantity = side(expr, s) / P if divide_by_p else side(expr, s)
        text = rf"\frac{{{fname}({arg})}}{{p}}" if divide_by_p else rf"{fname}({arg})"
        value = limit_at_zero(quantity)
        if value is None:
            return undecided(steps, f"SymPy could not compute the limit of {text} as p -> 0+")
        if value != 0:
            if value.is_number and (value.is_infinite or value.is_zero is False):
                return refuted([limit_step(text, r"p\to0^+", value)], "not flat at 0")
            return undecided(steps, "limit could not be compared with 0")
        steps.append(limit_step(text, r"p\to0^+", value))
    return applies(steps, "flat")


class Flat(Argument):
    id, kind, verdict, order = "flat", "ungated", "impossible", 30
    lean_property = LeanProperty(
        "FlatAct {fn}", "σ(0) = 0 and σ(z) = o(|z|): flat, never absorbable (appendix labels `flat`, `depth-flat`)")

    def check(self, expr):
        outcome = flatness(expr, r"\sigma", divide_by_p=True)
        if outcome.status != APPLIES:
            return outcome
        return applies(outcome.steps, "sigma(0) = 0 and sigma(z) = o(|z|)", theorems=["flat", "depth-flat"])


ARGUMENT = Flat()
