"""Proposition 5.3 (gated sign flip): gamma(-u) = c - gamma(u) with c = 2 gamma(0); flipping rows S of P and Q."""
import sympy as sp

from symbolic.activations import get_activation
from symbolic.certificate import make_step
from symbolic.derivations._common import apply_fn, derivation, matrix, matrix_equal, scalar_equal, vector
from symbolic.derivations.sign_flip import flip_matrix
from symbolic.expr import Z

D, N_HIDDEN, S_DEFAULT = 2, 3, (0, 2)


def use_shifted_odd(expr, fn, c):
    """Rewrite every fn(arg) with a negated argument by c - fn(-arg), i.e. fn(-u) = c - fn(u)."""
    hits = []

    def is_negated(e):
        return isinstance(e, sp.Expr) and e.func == fn and e.args[0].could_extract_minus_sign()

    def rewrite(e):
        hits.append(e)
        return c - fn(sp.expand(-e.args[0]))

    return expr.replace(is_negated, rewrite), len(set(hits))


def derive(S=S_DEFAULT, d=D, n=N_HIDDEN, claimed_c_factor=1, gate_name="glu") -> list:
    c = sp.Symbol("c", nonzero=True)
    gamma = sp.Function("gamma")
    x = vector("x", d)
    A = matrix("A", d, d)
    Wd, P, Q = matrix("Wd", d, n), matrix("P", n, d), matrix("Q", n, d)
    S = tuple(sorted(S))
    F = flip_matrix(n, S)
    f = A * x + Wd * apply_fn(gamma, P * x).multiply_elementwise(Q * x)
    g = Wd * apply_fn(gamma, F * P * x).multiply_elementwise(F * Q * x)
    g_rewritten, count = use_shifted_odd(g, gamma, c)
    MS = Wd[:, list(S)] * Q[list(S), :]
    c_tex = "c" if claimed_c_factor == 1 else f"{sp.latex(claimed_c_factor)}c"
    s_tex = ",".join(str(i + 1) for i in S)
    steps = [
        make_step(count, len(S), "=", "count of gamma(arg) with arg.could_extract_minus_sign() in g", count == len(S),
                  r"\#\{\gamma(\cdot)\text{ terms of } g \text{ with a negated argument}\} = |S|"),
        matrix_equal(
            g_rewritten - f, -(A + claimed_c_factor * c * MS) * x,
            rf"g(x) - f(x) = -\bigl(A + {c_tex}\textstyle\sum_{{i\in S}} a_i q_i^\top\bigr)x,\quad S=\{{{s_tex}\}},"
            r"\ \text{using } \gamma(-u) = c - \gamma(u)"),
        matrix_equal(
            sp.expand(g_rewritten - f).jacobian(x), -(A + claimed_c_factor * c * MS),
            rf"\tfrac{{\partial}}{{\partial x}}(g - f) = -\bigl(A + {c_tex}\,W_{{down}}D_SQ\bigr)"
            r"\ \text{(constant), so } g = f \iff W_{down}D_SQ = -A/c"),
    ]
    # Instance from the registry: the GLU gate (sigmoid) has gamma(u) + gamma(-u) = 2 gamma(0) = 1.
    gate = get_activation(gate_name).expr
    u = sp.Symbol("u", real=True)
    gu = gate.subs(Z, u)
    c_gate = 2 * gate.subs(Z, 0)
    steps.append(scalar_equal(gu + gate.subs(Z, -u), c_gate,
                              rf"\gamma(u) + \gamma(-u) = 2\gamma(0) = {sp.latex(c_gate)}"
                              rf"\quad(\gamma(u) = {sp.latex(gu)},\ \text{{registry entry {gate_name}}})"))
    return steps


def gated_sign_flip() -> dict:
    return derivation("Gated sign flip (Prop 5.3): with gamma(-u) = c - gamma(u), c = 2 gamma(0), flipping rows S of "
                      "P and Q gives g - f = -(A + c sum_S a_i q_i^T) x; the sigmoid gate (GLU) has c = 1",
                      "symbolic.derivations.gated_sign_flip.gated_sign_flip", derive())
