"""Theorem 3 (flatness obstruction): Jacobians at 0 of the skip block and of a residual-free block."""
import sympy as sp

from symbolic.activations import get_activation
from symbolic.derivations._common import (apply_fn, derivation, limit_step, matrix, matrix_equal,
                                          replace_derivatives_at_zero, scalar_equal, vector)
from symbolic.expr import Z

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
    steps += instance_steps()
    return derivation("Flatness obstruction (Thm 3): Df(0) = A but Dg(0) = 0 when sigma'(0) = 0 (ungated) "
                      "or gamma(0) = 0 (gated), so f = g near 0 forces A = 0",
                      "symbolic.derivations.flat.flat", steps)


UNGATED_FLAT = ("relu2", "relu3")                     # sigma(0) = 0 = sigma'(0)
GATED_FLAT = ("reglu", "swiglu", "geglu", "bilinear")  # gamma continuous at 0 with gamma(0) = 0


def instance_steps() -> list:
    """Registry instances of the hypotheses (both one-sided limits, after rewrite(Piecewise))."""
    h = sp.Symbol("h", positive=True)
    steps = []
    for name in UNGATED_FLAT:
        sigma = get_activation(name).expr.rewrite(sp.Piecewise)
        label = name.replace("_", " ")
        steps.append(scalar_equal(sigma.subs(Z, 0), 0, rf"\sigma(0) = 0\quad(\sigma = \text{{{label}}})"))
        for sg, side in ((1, "+"), (-1, "-")):
            steps.append(limit_step(sigma.subs(Z, sg * h) / (sg * h), h, 0, 0,
                                    rf"\lim_{{z\to0^{side}}}\frac{{\sigma(z)}}{{z}} = 0\quad(\sigma = \text{{{label}}})"))
    for name in GATED_FLAT:
        gamma = get_activation(name).expr.rewrite(sp.Piecewise)
        label = name.replace("_", " ")
        steps.append(scalar_equal(gamma.subs(Z, 0), 0, rf"\gamma(0) = 0\quad(\gamma = \text{{{label}}})"))
        for sg, side in ((1, "+"), (-1, "-")):
            steps.append(limit_step(gamma.subs(Z, sg * h), h, 0, 0,
                                    rf"\lim_{{z\to0^{side}}}\gamma(z) = 0\quad(\gamma = \text{{{label}}}"
                                    r"\text{ is continuous at } 0)"))
    # gamma(0) = 0 without continuity is not enough (Thm 3, remark 3): gamma = 1_{z != 0}, d = n = 1.
    # Checked separately at x = 0 and for x != 0 (a nonzero symbol), so no Eq(p*x, 0) condition is left to SymPy.
    a, q, p, pg, qg = sp.symbols("a q p p_g q_g", nonzero=True)
    v = (1 + a * q) / qg  # comparator weight with v q_g = 1 + a q

    def ind(u):  # gamma = 1_{z != 0}: gamma(0) = 0 but gamma is not continuous at 0
        return sp.Piecewise((0, sp.Eq(u, 0)), (1, True))

    for x, where in ((sp.Integer(0), r"x = 0"), (sp.Symbol("x", nonzero=True), r"x \neq 0")):
        f = x + a * ind(p * x) * (q * x)
        g = v * ind(pg * x) * (qg * x)
        steps.append(scalar_equal(
            f, g, r"x + a\,\gamma(px)\,qx = v\,\gamma(p_gx)\,q_gx,\ \gamma = \mathbf 1_{z\neq0},\ vq_g = 1 + aq"
                  rf"\quad({where};\ \gamma(0)=0 \text{{ without continuity is not enough}})"))
    return steps
