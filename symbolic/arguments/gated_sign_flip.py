"""Prop 5.3: a gate with gamma(z) + gamma(-z) = c != 0 (gamma - gamma(0) odd, e.g. sigmoid-GLU) is sign-flip
absorbable: flipping gate and value rows on S subtracts c W_down[:,S] Q[S,:] x."""
import sympy as sp

from symbolic.analysis import P, side
from symbolic.arguments.base import Argument, applies, nonzero_witness, refuted, undecided
from symbolic.arguments.sign_flip import index_condition_latex, zero_on_positive_axis
from symbolic.certificate import make_step
from symbolic.expr import Z
from symbolic.lean.properties import LeanProperty


class GatedSignFlip(Argument):
    id, kind, verdict, order = "gated-sign-flip", "gated", "conditional", 50
    lean_property = LeanProperty(
        "{fn} 0 = {g0} ∧ ∀ z : ℝ, {fn} (-z) - {fn} 0 = -({fn} z - {fn} 0)",
        "γ(0) = {g0} ≠ 0 and γ − γ(0) is odd: sign-flip absorbable under the index condition "
        "(appendix label `gated-sign-flip`)",
        values=lambda result: {"g0": sp.Rational(result["c"]) / 2})

    def check(self, expr):
        total = side(expr, 1) + side(expr, -1)
        c = sp.nsimplify(sp.simplify(total))
        if c.has(P) or not c.is_number:
            witness = nonzero_witness(total - total.subs(P, 1),
                                      lambda p0: rf"\gamma({p0})+\gamma(-{p0}) \neq \gamma(1)+\gamma(-1)")
            if witness:
                return refuted([witness], "gamma(z) + gamma(-z) is not constant")
            return undecided([], "SymPy could not decide whether gamma(z) + gamma(-z) is constant")
        method = zero_on_positive_axis(total - c)
        if method is None:
            return undecided([], "could not confirm gamma(p) + gamma(-p) = c")
        if c == 0:
            return refuted([], "c = 0: gamma is odd")
        at_zero = sp.simplify(expr.subs(Z, 0))
        if sp.simplify(2 * at_zero - c) != 0:
            return refuted([], "gamma(0) != c/2: gamma - gamma(0) is not odd")
        steps = [make_step(total, c, "=", method, True,
                           claim=rf"\gamma(p)+\gamma(-p) = {sp.latex(c)} \text{{ for all }} p>0"),
                 make_step(2 * expr.subs(Z, 0), c, "=", "exact evaluation", True,
                           claim=rf"2\gamma(0) = {sp.latex(c)} \neq 0")]
        notes = ["if: flip both gate and value rows indexed by S (Prop 5.3)",
                 "only if for generic weights: open (BLUEPRINT §11.4)"]
        return applies(steps, "gamma - gamma(0) is odd with gamma(0) != 0", c=c,
                       condition=index_condition_latex(c),
                       theorems=["gated-sign-flip", "rank-bound"], notes=notes, generic_iff=None)


ARGUMENT = GatedSignFlip()
