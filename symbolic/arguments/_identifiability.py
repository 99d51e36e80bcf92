"""Which 'only if' theorem covers an odd-linear sigma = (c/2) z + e(z) (BLUEPRINT §6): ReLU type (e = kappa|z|),
analytic class-identifiable e (Lemma 6.3(i) + Lemma A) or a single kink pair (Lemma 6.3(ii))."""
import sympy as sp

from symbolic.analysis import P, is_real_analytic, limit_at_infinity, pieces, side
from symbolic.arguments.base import limit_step
from symbolic.certificate import check_nonzero_number, is_zero, make_step
from symbolic.expr import Z

RELU_TYPE = {"type": "relu", "requires": "d >= 2, (G0), (G-line)",
             "theorems": ["generic-iff", "relu-characterization", "kinks", "relu-d1-counterexample", "minimal-width"]}
CLASS_TYPE = {"requires": "d >= 1, (G0), (G-class)",
              "theorems": ["generic-iff", "class-identifiable", "odd-linear-characterization", "minimal-width"]}


def identify(expr):
    """(info dict, steps) when an only-if theorem applies; (None, reason) when not established."""
    plus, minus = side(expr, 1), side(expr, -1)
    even = (plus + minus) / 2  # e(p) for p > 0
    relu = _relu_type(plus, minus, even)
    if relu:
        return relu
    if is_real_analytic(expr):
        return _analytic_type(even)
    kink = _kink_type(even)
    if kink:
        return kink
    return None, "the 'only if' direction is not established for this activation (no identifiability theorem applies)"


def _relu_type(plus, minus, even):
    parts_p, parts_m = pieces(plus), pieces(minus)
    if not parts_p or not parts_m or len(parts_p) > 1 or len(parts_m) > 1:
        return None
    kappa = sp.simplify(even / P)
    if kappa.has(P) or not all(is_zero(sp.diff(f, P, 2))[0] for f in (plus, minus)):
        return None
    if not (kappa.is_number and kappa.is_zero is False):
        return None
    steps = [make_step(even, kappa * P, "=", "sympy.simplify", True,
                       claim=rf"e(p)=\tfrac12(\sigma(p)+\sigma(-p)) = {sp.latex(kappa)}\,p \text{{ for }} p>0"
                             rf"\text{{, i.e. }} e(z)={sp.latex(kappa)}\,|z|,\ \kappa\neq0 \text{{ (ReLU type)}}")]
    return dict(RELU_TYPE, kappa=str(kappa)), steps


def _analytic_type(even):
    kappa = limit_at_infinity(even / P)
    if kappa is None or not kappa.is_number or not kappa.is_finite or kappa.is_zero is not False:
        return None, "even part: no finite nonzero slope at infinity, Lemma A not applicable"
    steps = [
        make_step(sp.Symbol("sigma"), sp.Symbol("C_omega(R)"), "=", "structural analyticity check", True,
                  claim=r"\sigma \text{ is real-analytic on } \mathbb{R}"),
        limit_step(r"\frac{e(p)}{p}", r"p\to\infty", kappa),
        make_step(kappa, 0, "!=", "exact", True,
                  claim=r"e \text{ is not a polynomial, so (Lemma A) infinitely many even Taylor coefficients of }"
                        r"e \text{ are nonzero: } e \text{ is class-identifiable (Lemma 6.3(i))}"),
    ]
    return dict(CLASS_TYPE, type="analytic"), steps


def _kink_type(even):
    parts = pieces(even)
    if not parts or len(parts) != 2:
        return None
    (_, z0, left), (_, _, right) = parts
    if not (is_real_analytic(left.subs(P, Z)) and is_real_analytic(right.subs(P, Z))):
        return None
    d_left, d_right = (sp.simplify(sp.diff(f, P).subs(P, z0)) for f in (left, right))
    value_jump = sp.simplify(left.subs(P, z0) - right.subs(P, z0))
    slope_at_zero = sp.limit(sp.diff(left, P), P, 0, "+")
    jump = check_nonzero_number(d_right - d_left, claim=rf"e'({sp.latex(z0)}^+) - e'({sp.latex(z0)}^-) = "
                                                        rf"{sp.latex(d_right)} - {sp.latex(d_left)} \neq 0")
    if value_jump != 0 or slope_at_zero != 0 or jump is None:
        return None
    steps = [
        make_step(left.subs(P, z0), right.subs(P, z0), "=", "exact", True,
                  claim=rf"e \text{{ is continuous at }} z_0={sp.latex(z0)}"),
        limit_step(r"e'(p)", r"p\to0^+", slope_at_zero),
        jump,
        make_step(sp.Symbol("e"), sp.Symbol("C1"), "=", "piecewise analytic, single kink pair", True,
                  claim=rf"e \text{{ is }} C^1 \text{{ off }} \{{\pm {sp.latex(z0)}\}}"
                        r"\text{ with a jump of } e' \text{: class-identifiable (Lemma 6.3(ii))}"),
    ]
    return dict(CLASS_TYPE, type="kink", z0=str(z0)), steps
