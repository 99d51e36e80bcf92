"""S7 (Prop 3.3 instance): Mish has infinitely many nonzero odd (degree >= 3) and even (degree >= 2) Taylor
coefficients. Odd part: slope 3/5 at 0 but o(z)/z -> 1/2 at infinity, so o is not a polynomial (Lemma A); even part:
e(z)/z -> 1/2 != 0 at infinity, so e is not a polynomial either."""
import sympy as sp

from symbolic.activations import get_activation
from symbolic.certificate import make_step
from symbolic.derivations._common import derivation, limit_step, nonzero, scalar_equal
from symbolic.expr import Z

TAYLOR_MAX = 5


def analytic_parity() -> dict:
    mish = get_activation("mish").expr.rewrite(sp.exp)  # pitfall 6: tanh(log(...)) -> rational function of e^z
    o = (mish - mish.subs(Z, -Z)) / 2
    e = (mish + mish.subs(Z, -Z)) / 2
    steps = [
        limit_step(o / Z, Z, 0, sp.Rational(3, 5),
                   r"o'(0) = \lim_{z\to0}\frac{o(z)}{z} = \frac35,\quad "
                   r"o(z) = \tfrac12\bigl(\mathrm{Mish}(z)-\mathrm{Mish}(-z)\bigr)"),
        scalar_equal(sp.diff(o, Z).subs(Z, 0), sp.Rational(3, 5), r"o'(0) = \frac35\quad(\text{derivative at } 0)"),
        limit_step(o / Z, Z, sp.oo, sp.Rational(1, 2), r"\lim_{z\to\infty}\frac{o(z)}{z} = \frac12"),
        nonzero(sp.Rational(3, 5) - sp.Rational(1, 2),
                r"\frac35 - \frac12 \neq 0\quad(o \text{ is not } z/2\text{, so not a polynomial: infinitely many odd }"
                r"m_k \neq 0,\ k\ge3)"),
        limit_step(e / Z, Z, sp.oo, sp.Rational(1, 2),
                   r"\lim_{z\to\infty}\frac{e(z)}{z} = \frac12,\quad "
                   r"e(z) = \tfrac12\bigl(\mathrm{Mish}(z)+\mathrm{Mish}(-z)\bigr)"),
        nonzero(sp.Rational(1, 2), r"\frac12 \neq 0\quad(e \text{ is not a polynomial: infinitely many even } m_k \neq 0,"
                                   r"\ k\ge2)"),
    ]
    series = sp.series(mish, Z, 0, TAYLOR_MAX + 1).removeO()
    deriv = mish
    for k in range(1, TAYLOR_MAX + 1):
        deriv = sp.diff(deriv, Z)
        by_series = series.coeff(Z, k)
        by_diff = sp.simplify(deriv.subs(Z, 0) / sp.factorial(k))
        ok = by_series.is_Rational and sp.simplify(by_series - by_diff) == 0
        if k >= 2:
            steps.append(make_step(
                sp.Subs(sp.Derivative(sp.Function("Mish")(Z), (Z, k)), Z, 0) / sp.factorial(k), by_series, "=",
                "sympy.series coefficient, equal to diff(Mish, z, k)(0)/k! (exact rational)" if ok else
                "not verified: series and derivative disagree or are not closed-form", ok,
                rf"m_{{{k}}} = \frac{{\mathrm{{Mish}}^{{({k})}}(0)}}{{{k}!}} = {sp.latex(by_series)}"))
            steps.append(nonzero(by_series, rf"m_{{{k}}} \neq 0"))
    return derivation("Mish has both parities (S7, Prop 3.3): odd part has slope 3/5 at 0 but o(z)/z -> 1/2 at "
                      "infinity; even part e(z)/z -> 1/2; Taylor coefficients m_2..m_5 exact and nonzero",
                      "symbolic.derivations.analytic_parity.analytic_parity", steps)
