"""Prop 6.7 (linear and affine sigma): the explicit residual-free blocks that absorb the skip, checked entrywise.

sigma(z) = alpha z + beta acts coordinatewise; M = A + alpha W_down W_up, w = beta W_down 1.
- beta = 0, width m = d: V = I_d, U = M / alpha gives g(x) = alpha V U x = M x = f(x);
- beta != 0, width m = d + 1: V = [I_d | W_down 1 - 1_d], U = [M / alpha; 0] gives
  g(x) = alpha V U x + beta V 1 = M x + beta W_down 1 = f(x);
- necessity of the width condition: the linear part alpha V U of any width-m block has rank <= m (all (m+1)-minors
  vanish), and g(0) = beta V 1 must equal f(0) = beta W_down 1;
- alpha = 0: the linear part of g is 0 while that of f is A, so a constant sigma never absorbs A != 0."""
import itertools

import sympy as sp

from symbolic.certificate import make_step
from symbolic.derivations._common import derivation, matrix, matrix_equal, vector

ALPHA = sp.Symbol("alpha", nonzero=True)
BETA = sp.Symbol("beta", nonzero=True)


def _sigma(alpha, beta):
    return lambda vec: vec.applyfunc(lambda e: alpha * e + beta)


def _blocks(d, n, alpha, beta):
    A, Wd, Wu, x = matrix("A", d, d), matrix("Wd", d, n), matrix("Wu", n, d), vector("x", d)
    sigma = _sigma(alpha, beta)
    f = A * x + Wd * sigma(Wu * x)
    M = A + alpha * Wd * Wu
    return A, Wd, Wu, x, sigma, f, M


def _construction(d, n, beta):
    _, Wd, _, x, sigma, f, M = _blocks(d, n, ALPHA, beta)
    if beta == 0:
        V, U, width = sp.eye(d), M / ALPHA, d
    else:
        ones = sp.ones(n, 1)
        V = sp.Matrix.hstack(sp.eye(d), Wd * ones - sp.ones(d, 1))
        U = sp.Matrix.vstack(M / ALPHA, sp.zeros(1, d))
        width = d + 1
    g = V * sigma(U * x)
    what = r"V=I_d,\ U=M/\alpha" if beta == 0 else r"V=[I_d\mid W_{down}\mathbf 1-\mathbf 1],\ U=[M/\alpha;\,0]"
    offset = "" if beta == 0 else r"+\beta"
    return matrix_equal(g, f, rf"V\sigma(Ux) = Ax + W_{{down}}\sigma(W_{{up}}x)\quad(\sigma(z)=\alpha z"
                              rf"{offset},\ {what},\ d={d},\ n={n},\ m={width})")


def _rank_at_most_width(d, m):
    """All (m+1)-minors of the linear part alpha V U of a width-m block vanish: rank <= m."""
    V, U = matrix("V", d, m), matrix("U", m, d)
    J = ALPHA * V * U
    k = m + 1
    minors = [J.extract(list(r), list(c)).det() for r in itertools.combinations(range(d), k)
              for c in itertools.combinations(range(d), k)]
    ok = all(sp.expand(e) == 0 for e in minors)
    method = f"all {len(minors)} minors of size {k} expanded to 0" if ok else "not verified: a minor is nonzero"
    claim = (rf"\operatorname{{rank}}(\alpha VU) \le m \quad (d={d},\ m={m}):\ "
             r"\text{a block of width } m \text{ absorbs only if } \operatorname{rank}M\le m")
    return make_step(sp.Tuple(*minors), sp.Tuple(*[0] * len(minors)), "=", method, ok, claim)


def _value_at_zero(d, n, m):
    _, Wd, _, x, sigma, f, _ = _blocks(d, n, ALPHA, BETA)
    V, U = matrix("V", d, m), matrix("U", m, d)
    g = V * sigma(U * x)
    zero = {xi: 0 for xi in x}
    return [matrix_equal(f.subs(zero), BETA * Wd * sp.ones(n, 1), r"f(0) = \beta W_{down}\mathbf 1"),
            matrix_equal(g.subs(zero), BETA * V * sp.ones(m, 1), r"g(0) = \beta V\mathbf 1")]


def _constant_sigma(d, n, m):
    A, _, _, x, _, f, _ = _blocks(d, n, 0, BETA)
    V, U = matrix("V", d, m), matrix("U", m, d)
    g = V * _sigma(0, BETA)(U * x)
    return [matrix_equal(f.jacobian(x), A, r"\alpha=0:\ \partial f/\partial x = A"),
            matrix_equal(g.jacobian(x), sp.zeros(d, d), r"\alpha=0:\ \partial g/\partial x = 0 \neq A")]


def linear() -> dict:
    steps = [_construction(2, 3, 0), _construction(3, 2, 0), _construction(2, 3, BETA), _construction(3, 2, BETA),
             _rank_at_most_width(3, 2), *_value_at_zero(2, 3, 2), *_constant_sigma(2, 3, 2)]
    return derivation("Linear and affine sigma (Prop 6.7): the explicit blocks V sigma(U x) of width d (beta = 0) "
                      "and d + 1 (beta != 0) equal the residual block for every weight matrix; rank(alpha V U) <= m "
                      "and g(0) = beta V 1 give the width condition; alpha = 0 cannot absorb A != 0",
                      "symbolic.derivations.linear.linear", steps)
