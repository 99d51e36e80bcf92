"""Prop 3.3: sigma analytic on R whose odd and even parts are both non-polynomial (Lemma A: infinitely many nonzero
odd coefficients of degree >= 3 and even ones of degree >= 2, e.g. Mish) is never absorbable, for any weights."""
import sympy as sp

from symbolic.analysis import P, is_real_analytic, limit_at_infinity, limit_at_zero, pieces, side
from symbolic.arguments.base import Argument, applies, limit_step, refuted, undecided
from symbolic.certificate import check_nonzero_number, make_step
from symbolic.expr import Z


def _non_polynomial(part, name, odd):
    """Steps proving that the odd/even part (a function of p > 0) is not a polynomial, or None."""
    slope_inf = limit_at_infinity(part / P)
    if slope_inf is not None and slope_inf.is_number and slope_inf.is_finite:
        if odd:  # a polynomial odd part with finite slope at infinity is linear: its slope at 0 is the same
            slope_zero = limit_at_zero(part / P)
            if slope_zero is not None:
                step = check_nonzero_number(slope_zero - slope_inf,
                                            claim=rf"\lim_{{p\to0^+}}\tfrac{{{name}(p)}}{{p}} = {sp.latex(slope_zero)}"
                                                  rf" \neq {sp.latex(slope_inf)} = \lim_{{p\to\infty}}\tfrac{{{name}(p)}}{{p}}")
                if step:
                    return [limit_step(rf"\frac{{{name}(p)}}{{p}}", r"p\to\infty", slope_inf), step]
        elif slope_inf.is_zero is False:  # an even polynomial has slope 0 or infinite at infinity
            return [limit_step(rf"\frac{{{name}(p)}}{{p}}", r"p\to\infty", slope_inf),
                    make_step(slope_inf, 0, "!=", "exact", True,
                              claim=rf"{name} \text{{ grows like }} |z|\text{{: not a polynomial}}")]
    if slope_inf is not None and slope_inf.is_infinite:  # faster than every power: not a polynomial
        growth = limit_at_infinity(sp.log(sp.Abs(part)) / sp.log(P))
        if growth == sp.oo:
            return [limit_step(rf"\frac{{\log|{name}(p)|}}{{\log p}}", r"p\to\infty", growth)]
    return None


def _kink_witness(expr):
    """sigma is not analytic if some derivative of order <= 3 jumps at 0 (one-sided values differ)."""
    plus, minus = pieces(side(expr, 1)), pieces(side(expr, -1))
    if not plus or not minus:
        return None
    right, left = plus[0][2].subs(P, Z), minus[0][2].subs(P, -Z)
    for order in range(4):
        r = limit_at_zero(sp.diff(right, Z, order).subs(Z, P))
        l = limit_at_zero(sp.diff(left, Z, order).subs(Z, -P))
        if r is None or l is None:
            return None
        step = check_nonzero_number(r - l, claim=rf"\sigma^{{({order})}}(0^+) = {sp.latex(r)} \neq {sp.latex(l)}"
                                                 rf" = \sigma^{{({order})}}(0^-) \text{{ (not analytic at 0)}}")
        if step:
            return step
    return None


class AnalyticParity(Argument):
    id, kind, verdict, order = "analytic-parity", "ungated", "impossible", 60
    lean_property = None  # stated abstractly in the registry (analytic-parity): no instance statement

    def check(self, expr):
        if not is_real_analytic(expr):
            witness = _kink_witness(expr)
            if witness:
                return refuted([witness], "sigma is not analytic at 0")
            return undecided([], "could not establish that sigma is analytic on R")
        plus, minus = side(expr, 1), side(expr, -1)
        steps = [make_step(sp.Symbol("sigma"), sp.Symbol("C_omega(R)"), "=", "structural analyticity check", True,
                           claim=r"\sigma \text{ is real-analytic on } \mathbb{R}")]
        for name, part, odd in (("o", (plus - minus) / 2, True), ("e", (plus + minus) / 2, False)):
            if sp.simplify(part).is_polynomial(P):
                return refuted([make_step(part, sp.simplify(part), "=", "sympy.simplify", True,
                                          claim=rf"{name}(p) = {sp.latex(sp.simplify(part))} \text{{ is a polynomial}}")],
                               f"the {'odd' if odd else 'even'} part is a polynomial")
            more = _non_polynomial(part, name, odd)
            if more is None:
                return undecided(steps, f"could not show that the {'odd' if odd else 'even'} part is not a polynomial")
            steps += more
        steps.append(make_step(sp.Symbol("o"), sp.Symbol("e"), "!=", "Lemma A", True,
                               claim=r"\text{Lemma A: infinitely many nonzero odd coefficients } m_{2j+1} (j\ge1)"
                                     r"\text{ and even coefficients } m_{2j} (j\ge1)"))
        return applies(steps, "analytic with infinitely many odd and even Taylor terms",
                       theorems=["analytic-parity", "ridge-powers", "signed-vandermonde", "analytic-polynomial"])


ARGUMENT = AnalyticParity()
