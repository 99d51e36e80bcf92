"""Prop 3.2: an even sigma is never absorbable (g(x) - g(-x) = 0 but f(x) - f(-x) = 2Ax)."""
from symbolic.analysis import side
from symbolic.arguments.base import Argument, applies, nonzero_witness, refuted, undecided
from symbolic.certificate import is_zero, make_step
from symbolic.lean.properties import LeanProperty


class Parity(Argument):
    id, kind, verdict, order = "parity", "ungated", "impossible", 10
    lean_property = LeanProperty("EvenFun {fn}", "σ is even: never absorbable (appendix label `parity`)")

    def check(self, expr):
        odd = side(expr, 1) - side(expr, -1)
        witness = nonzero_witness(odd, lambda p0: rf"\sigma({p0})-\sigma(-{p0}) \neq 0 \text{{ (not even)}}")
        if witness:  # cheap exact refutation first
            return refuted([witness], "sigma is not even")
        proven, method = is_zero(odd)
        if proven:
            step = make_step(odd, 0, "=", method, True,
                             claim=r"\sigma(p)-\sigma(-p) = 0 \text{ for all } p>0 \text{ (}\sigma\text{ is even)}")
            return applies([step], "sigma is even", theorems=["parity"])
        return undecided([], "SymPy could not decide whether sigma is even")


ARGUMENT = Parity()
