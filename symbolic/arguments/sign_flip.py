"""Thm 5.1: sigma(z) - sigma(-z) = c z (c != 0) makes the skip absorbable exactly when some S satisfies
W_down[:,S] W_up[S,:] = -I/c (the 'if' for the whole class; the 'only if' for generic weights per §6)."""
import sympy as sp

from symbolic.analysis import P, limit_at_infinity, limit_at_zero, pieces, side
from symbolic.arguments._identifiability import identify
from symbolic.arguments.base import Argument, applies, nonzero_witness, refuted, undecided
from symbolic.certificate import is_zero, make_step
from symbolic.lean.properties import LeanProperty


def index_condition_latex(c):
    scale = "" if c == 1 else rf"\tfrac{{1}}{{{sp.latex(c)}}}" if c.is_Integer else rf"\left({sp.latex(1 / c)}\right)"
    return rf"W_{{\mathrm{{down}}}}[:,S]\,W_{{\mathrm{{up}}}}[S,:] = -{scale} I_d"


def zero_on_positive_axis(expr):
    """expr(p) = 0 for all p > 0: directly, piece by piece, or via derivative 0 and limit 0 at 0+."""
    parts = pieces(expr) if expr.has(sp.Piecewise) else [(0, sp.oo, expr)]
    if parts is None:
        return None
    methods = []
    for _, _, form in parts:
        proven, method = is_zero(form)
        if not proven:
            d_proven, d_method = is_zero(sp.diff(form, P))
            if not (d_proven and len(parts) == 1 and limit_at_zero(form) == 0):
                return None
            method = f"derivative = 0 ({d_method}) and limit 0 at p -> 0+"
        methods.append(method)
    return "; ".join(sorted(set(methods))) + (" (on each piece)" if len(parts) > 1 else "")


class SignFlip(Argument):
    id, kind, verdict, order = "sign-flip", "ungated", "conditional", 50
    lean_property = LeanProperty(
        "OddLinear {fn} {c}", "σ(z) − σ(−z) = c·z with c = {c}: the sign-flip class (appendix label `sign-flip`)",
        values=lambda result: {"c": result["c"]})

    def check(self, expr):
        odd = side(expr, 1) - side(expr, -1)
        witness = self._witness(odd)
        if witness:  # cheap exact refutation first: proving identities is the slow part
            return refuted([witness], "(sigma(p) - sigma(-p))/p is not constant")
        c = sp.simplify(odd / P)
        if c.has(P) or c.has(sp.Piecewise):
            c = limit_at_infinity(odd / P)
        if c is None or not c.is_number or not c.is_finite:
            return self._refute(odd)
        c = sp.nsimplify(c)
        method = zero_on_positive_axis(odd - c * P)
        if method is None:
            return self._refute(odd)
        if c == 0:
            return refuted([], "c = 0: sigma is even")
        steps = [make_step(odd, c * P, "=", method, True,
                           claim=rf"\sigma(p)-\sigma(-p) = {sp.latex(c * P)} \text{{ for all }} p>0,"
                                 rf"\ c = {sp.latex(c)} \neq 0")]
        theorems, notes = ["sign-flip", "rank-bound"], []
        info, more = identify(expr)
        if info:
            steps += more
            theorems += info["theorems"]
            notes.append(f"only if (generic weights): holds under {info['requires']} (Cor 6.3)")
            if info["type"] == "relu":
                notes.append("d = 1, n >= 2: every block is absorbable although the index condition fails "
                             "generically (Counterexample 6.4)")
        else:
            notes.append(more)
        notes.append("if: holds for every weight matrix satisfying the condition (Thm 5.1); |S| >= d (rank bound)")
        return applies(steps, "odd-linear: sigma(z) - sigma(-z) = c z", c=c, condition=index_condition_latex(c),
                       theorems=theorems, notes=notes, generic_iff=info)

    @staticmethod
    def _witness(odd):
        ratio = odd / P
        return nonzero_witness(ratio - ratio.subs(P, 1), lambda p0: rf"\frac{{\sigma({p0})-\sigma(-{p0})}}{{{p0}}}"
                                                                    rf" \neq \sigma(1)-\sigma(-1) \text{{ (not odd-linear)}}")

    def _refute(self, odd):
        witness = self._witness(odd)
        if witness:
            return refuted([witness], "(sigma(p) - sigma(-p))/p is not constant")
        return undecided([], "SymPy could not decide whether sigma(z) - sigma(-z) is linear")


ARGUMENT = SignFlip()
