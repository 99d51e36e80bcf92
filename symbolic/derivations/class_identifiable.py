"""S2 (Lemma 6.3 (i) instance): the even part of GELU, e(z) = (z/2) erf(z/sqrt 2), has Taylor coefficients
e_{2m} = (-1)^{m-1} / (sqrt(2 pi) 2^{m-1} (m-1)! (2m-1)), all nonzero."""
import sympy as sp

from symbolic.activations import get_activation
from symbolic.certificate import make_step
from symbolic.derivations._common import derivation, nonzero, scalar_equal
from symbolic.expr import Z

M_MAX = 8


def closed_form(m):
    return (-1) ** (m - 1) / (sp.sqrt(2 * sp.pi) * 2 ** (m - 1) * sp.factorial(m - 1) * (2 * m - 1))


def class_identifiable() -> dict:
    gelu = get_activation("gelu").expr
    e = Z / 2 * sp.erf(Z / sp.sqrt(2))
    steps = [
        scalar_equal((gelu + gelu.subs(Z, -Z)) / 2, e,
                     r"\tfrac12\bigl(\mathrm{GELU}(z) + \mathrm{GELU}(-z)\bigr) = e(z) = \tfrac z2\operatorname{erf}(z/\sqrt2)"),
        scalar_equal((gelu - gelu.subs(Z, -Z)) / 2, Z / 2,
                     r"\tfrac12\bigl(\mathrm{GELU}(z) - \mathrm{GELU}(-z)\bigr) = \tfrac z2\quad(c = 1)"),
    ]
    # General m: the erf series term of degree 2m-1 (sympy's erf.taylor_term) gives e_{2m} for a symbolic m >= 1.
    m = sp.Symbol("m", integer=True, positive=True)
    term = sp.erf.taylor_term(2 * m - 1, Z / sp.sqrt(2))
    general = sp.simplify(term / Z ** (2 * m - 1) / 2)
    ratio = sp.simplify(general / closed_form(m))
    steps.append(make_step(general, closed_form(m), "=",
                           "sympy erf.taylor_term(2m-1, z/sqrt(2)) with symbolic integer m >= 1; ratio simplified to 1"
                           if ratio == 1 else "not verified: ratio did not simplify to 1", ratio == 1,
                           r"e_{2m} = \frac{(-1)^{m-1}}{\sqrt{2\pi}\,2^{m-1}(m-1)!\,(2m-1)}\quad(\text{all } m\ge1)"))
    steps.append(nonzero(closed_form(m), r"\frac{(-1)^{m-1}}{\sqrt{2\pi}\,2^{m-1}(m-1)!\,(2m-1)} \neq 0"
                                         r"\quad(\text{every } m\ge1:\ \text{infinitely many nonzero even coefficients})"))
    series = sp.series(e, Z, 0, 2 * M_MAX + 2).removeO()
    for k in range(1, M_MAX + 1):
        coeff = series.coeff(Z, 2 * k)
        step = scalar_equal(coeff, closed_form(k),
                            rf"e_{{{2 * k}}} = [z^{{{2 * k}}}]\,e(z) = {sp.latex(closed_form(k))}")
        step.method = f"sympy.series coefficient (order {2 * M_MAX + 2}), {step.method}"
        steps.append(step)
        steps.append(nonzero(coeff, rf"e_{{{2 * k}}} \neq 0"))
    odd_terms = [series.coeff(Z, 2 * k + 1) for k in range(M_MAX + 1)]
    steps.append(make_step(sp.Tuple(*odd_terms), sp.Tuple(*[0] * len(odd_terms)), "=",
                           "sympy.series coefficients", all(t == 0 for t in odd_terms),
                           rf"[z^{{2k+1}}]\,e(z) = 0\quad(0\le k\le {M_MAX},\ e \text{{ is even}})"))
    return derivation("GELU even part is class-identifiable (S2, Lemma 6.3 (i)): e(z) = (z/2) erf(z/sqrt 2) has "
                      "e_{2m} = (-1)^{m-1}/(sqrt(2 pi) 2^{m-1} (m-1)! (2m-1)) != 0",
                      "symbolic.derivations.class_identifiable.class_identifiable", steps)
