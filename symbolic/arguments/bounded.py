"""Prop 3.1 / Thm 4(d): a bounded sigma gives a bounded g, while f(x) grows like Ax."""
import sympy as sp

from symbolic.analysis import is_real_analytic, limit_at_infinity, side
from symbolic.arguments.base import Argument, applies, limit_step, refuted, undecided
from symbolic.certificate import make_step
from symbolic.expr import Z
from symbolic.lean.properties import LeanProperty


def _continuous_on_reals(expr):
    if is_real_analytic(expr):
        return "composition of functions analytic on R (arguments of log/sqrt/division positive)"
    try:
        from sympy.calculus.util import continuous_domain

        if continuous_domain(expr, Z, sp.S.Reals) == sp.S.Reals:
            return "sympy.calculus.util.continuous_domain = R"
    except Exception:  # not decidable by SymPy: reported as undecided by the caller
        pass
    return None


class Bounded(Argument):
    id, kind, verdict, order = "bounded", "ungated", "impossible", 40
    lean_property = LeanProperty(
        "BoundedFun {fn}", "σ is bounded: never absorbable (appendix labels `bounded`, `depth-bounded`)")

    def check(self, expr):
        steps = []
        for s, arg in ((1, "p"), (-1, "-p")):
            value = limit_at_infinity(side(expr, s))
            text = rf"\sigma({arg})"
            if value is None:
                return undecided(steps, f"SymPy could not compute the limit of sigma({arg}) at infinity")
            if value.is_infinite:
                return refuted([limit_step(text, r"p\to\infty", value)], "sigma is unbounded")
            if isinstance(value, sp.AccumBounds):
                if not (value.min.is_finite and value.max.is_finite):
                    return undecided(steps, "oscillation bounds at infinity are not finite")
            elif not value.is_finite:
                return undecided(steps, "limit at infinity not recognised as finite")
            steps.append(limit_step(text, r"p\to\infty", value))
        method = _continuous_on_reals(expr)
        if method is None:
            return undecided(steps, "could not establish continuity of sigma on R")
        steps.append(make_step(sp.Symbol("sigma"), sp.Symbol("C(R)"), "=", method, True,
                               claim=r"\sigma \text{ is continuous on } \mathbb{R}"
                                     r"\text{, hence bounded on compacts and (by the limits) on } \mathbb{R}"))
        return applies(steps, "sigma is bounded", theorems=["bounded", "depth-bounded"])


ARGUMENT = Bounded()
