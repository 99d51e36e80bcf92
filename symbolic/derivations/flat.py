"""Theorem 3 (flatness obstruction): Jacobians at 0 of the skip block and of a residual-free block."""
import sympy as sp

from symbolic.derivations._common import (apply_fn, derivation, matrix, matrix_equal, replace_derivatives_at_zero,
                                          vector)

D, N_HIDDEN, M_HIDDEN = 2, 2, 2


def _jacobian_at_zero(F, x, fn, names):
    J = F.jacobian(x).subs({xi: 0 for xi in x})
    return replace_derivatives_at_zero(J, fn, names)


def flat() -> dict:
    x = vector("x", D)
    zero = {xi: 0 for xi in x}
    A = matrix("A", D, D)
    Wd, Wu = matrix("Wd", D, N_HIDDEN), matrix("Wu", N_HIDDEN, D)
    V, U = matrix("V", D, M_HIDDEN), matrix("U", M_HIDDEN, D)
    sigma = sp.Function("sigma")
    s0, s1 = sp.Symbol("sigma_0"), sp.Symbol("sigma_1")  # sigma(0), sigma'(0)
    f = A * x + Wd * apply_fn(sigma, Wu * x)
    g = V * apply_fn(sigma, U * x)
    Jf = _jacobian_at_zero(f, x, sigma, (s0, s1))
    Jg = _jacobian_at_zero(g, x, sigma, (s0, s1))
    steps = [
        matrix_equal(Jf, A + s1 * Wd * Wu,
                     r"Df(0) = A + \sigma'(0)\,W_{down}W_{up}\quad(f(x)=Ax+W_{down}\sigma(W_{up}x))"),
        matrix_equal(Jg, s1 * V * U, r"Dg(0) = \sigma'(0)\,VU\quad(g(x)=V\sigma(Ux))"),
        matrix_equal((Jf - Jg).subs(s1, 0), A,
                     r"Df(0) - Dg(0) = A\quad\text{when }\sigma'(0)=0,\ \text{so } f=g \text{ near } 0 \Rightarrow A=0"),
    ]
    # Gated: hidden map h(x) = gamma(P x) * (Q x) (Hadamard); gamma(0) = 0.
    gamma = sp.Function("gamma")
    c0, c1 = sp.Symbol("gamma_0"), sp.Symbol("gamma_1")  # gamma(0), gamma'(0)
    P, Q = matrix("P", N_HIDDEN, D), matrix("Q", N_HIDDEN, D)
    P2, Q2 = matrix("Pp", M_HIDDEN, D), matrix("Qp", M_HIDDEN, D)
    h = apply_fn(gamma, P * x).multiply_elementwise(Q * x)
    h2 = apply_fn(gamma, P2 * x).multiply_elementwise(Q2 * x)
    Jh = _jacobian_at_zero(Wd * h, x, gamma, (c0, c1))
    fg = A * x + Wd * h
    gg = V * h2
    Jfg = _jacobian_at_zero(fg, x, gamma, (c0, c1))
    Jgg = _jacobian_at_zero(gg, x, gamma, (c0, c1))
    steps += [
        matrix_equal(Jh, c0 * Wd * Q,
                     r"D\bigl[W_{down}(\gamma(Px)\odot Qx)\bigr](0) = \gamma(0)\,W_{down}Q"
                     r"\quad(\text{product rule: the }\gamma'(0)\text{ term carries } Qx|_{x=0}=0)"),
        matrix_equal(Jh.subs(c0, 0), sp.zeros(D, D),
                     r"D\bigl[W_{down}(\gamma(Px)\odot Qx)\bigr](0) = 0\quad\text{when }\gamma(0)=0"),
        matrix_equal(Jfg.subs(c0, 0), A, r"Df(0) = A\quad(\text{gated }f,\ \gamma(0)=0)"),
        matrix_equal(Jgg.subs(c0, 0), sp.zeros(D, D), r"Dg(0) = 0\quad(\text{gated }g=V(\gamma(P'x)\odot Q'x),\ \gamma(0)=0)"),
        matrix_equal(fg.subs(zero) - gg.subs(zero), sp.zeros(D, 1), r"f(0) = g(0) = 0\quad(\text{gated})"),
    ]
    return derivation("Flatness obstruction (Thm 3): Df(0) = A but Dg(0) = 0 when sigma'(0) = 0 (ungated) "
                      "or gamma(0) = 0 (gated), so f = g near 0 forces A = 0",
                      "symbolic.derivations.flat.flat", steps)
