"""GELU's even part (theorems gelu-class-identifiable and class-bias), derived in SymPy.

- gelu_class_identifiable: the even part of GELU z Phi(z) is e(z) = (z/2) erf(z/sqrt 2); its Taylor coefficients
  equal e_{2m} = (-1)^{m-1} / (sqrt(2 pi) 2^{m-1} (m-1)! (2m-1)) for m = 1..M (nonzero), and its odd coefficients
  vanish, so e^{(2m)}(0) = (2m)! e_{2m} != 0 (the hypothesis of derivative-criterion).
- class_bias: e''(z) = (2 - z^2) phi(z) with phi the standard normal density, and for the affine restriction
  t -> e(s t + r) the second derivative is s^2 (2 - (s t + r)^2) phi(s t + r), which removes every affine term; the
  Gaussian factor exp(-(s t + r)^2 / 2) = exp(-r^2/2) exp(-(s^2/2) t^2 - s r t) carries the pair (s^2, s r).
"""
import sympy as sp

from symbolic.certificate import make_step
from symbolic.derivations._common import derivation, nonzero, scalar_equal

TAYLOR_ORDER = 8  # coefficients e_2 .. e_16


def _gelu_even(z):
    gelu = z / 2 * (1 + sp.erf(z / sp.sqrt(2)))
    return gelu, sp.expand((gelu + gelu.subs(z, -z)) / 2)


def coefficient_formula(m):
    return sp.Integer(-1) ** (m - 1) / (sp.sqrt(2 * sp.pi) * 2 ** (m - 1) * sp.factorial(m - 1) * (2 * m - 1))


def gelu_class_identifiable(order=TAYLOR_ORDER, formula=coefficient_formula) -> dict:
    z = sp.Symbol("z", real=True)
    gelu, even = _gelu_even(z)
    e = z / 2 * sp.erf(z / sp.sqrt(2))
    steps = [scalar_equal(even, e, r"\tfrac12\bigl(\mathrm{GELU}(z)+\mathrm{GELU}(-z)\bigr) = \tfrac z2\,"
                                   r"\operatorname{erf}(z/\sqrt2)")]
    series = sp.series(e, z, 0, 2 * order + 2).removeO()
    for k in range(0, 2 * order + 2):
        coeff = series.coeff(z, k)
        if k % 2:
            steps.append(scalar_equal(coeff, 0, rf"e_{{{k}}} = 0\ (\text{{odd order}})"))
        elif k == 0:
            steps.append(scalar_equal(coeff, 0, r"e_0 = e(0) = 0"))
        else:
            m = k // 2
            steps.append(scalar_equal(coeff, formula(m), rf"e_{{{k}}} = \frac{{(-1)^{{{m}-1}}}}{{\sqrt{{2\pi}}\,"
                                                         rf"2^{{{m}-1}}({m}-1)!\,(2\cdot{m}-1)}}"))
            steps.append(nonzero(sp.factorial(k) * coeff, rf"e^{{({k})}}(0) = {k}!\,e_{{{k}}} \ne 0"))
    return derivation(f"GELU's even part e(z) = (z/2) erf(z/sqrt 2): Taylor coefficients e_2m match the closed form "
                      f"and are nonzero for m = 1..{order} (odd ones vanish)",
                      "symbolic.derivations.gelu_even.gelu_class_identifiable", steps)


def class_bias() -> dict:
    z, t, r = sp.symbols("z t r", real=True)
    s = sp.Symbol("s", real=True, nonzero=True)
    phi = sp.exp(-z ** 2 / 2) / sp.sqrt(2 * sp.pi)
    e = z / 2 * sp.erf(z / sp.sqrt(2))
    steps = [scalar_equal(sp.diff(e, z, 2), (2 - z ** 2) * phi, r"e''(z) = (2 - z^2)\,\varphi(z)")]
    restricted = e.subs(z, s * t + r)
    steps.append(scalar_equal(sp.diff(restricted, t, 2), s ** 2 * (2 - (s * t + r) ** 2) * phi.subs(z, s * t + r),
                              r"\tfrac{d^2}{dt^2}e(st+r) = s^2\bigl(2-(st+r)^2\bigr)\varphi(st+r)"))
    L, ell = sp.symbols("L ell", real=True)
    steps.append(scalar_equal(sp.diff(L * t + ell, t, 2), 0, r"\tfrac{d^2}{dt^2}(Lt+\ell) = 0"))
    steps.append(scalar_equal(sp.expand(-(s * t + r) ** 2 / 2), -s ** 2 * t ** 2 / 2 - s * r * t - r ** 2 / 2,
                              r"-\tfrac12(st+r)^2 = -\tfrac{s^2}2t^2 - srt - \tfrac{r^2}2"))
    # distinct classes +-(s, r) have distinct (s^2, s r): (s, r) and (-s, -r) share them, (s, r) and (s, -r) do not
    steps.append(make_step(((-s) ** 2 - s ** 2, (-s) * (-r) - s * r), (0, 0), "=", "sympy.expand",
                           sp.expand((-s) ** 2 - s ** 2) == 0 and sp.expand((-s) * (-r) - s * r) == 0,
                           r"(s,r)\mapsto(s^2,sr) \text{ is constant on the class } \pm(s,r)"))
    steps.append(scalar_equal(s * r - s * (-r), 2 * s * r,
                              r"(s,r) \text{ and } (s,-r):\ sr - s(-r) = 2sr \ne 0 \text{ for } r\ne 0"))
    return derivation("GELU with biases: e'' = (2 - z^2) phi, so the second derivative along a line removes the affine "
                      "part and leaves Gaussians with exponents -(s^2/2) t^2 - s r t, one pair (s^2, s r) per class",
                      "symbolic.derivations.gelu_even.class_bias", steps)
