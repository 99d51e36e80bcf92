"""Theorem 5.1 (sign-flip construction, S4) with an abstract sigma satisfying sigma(-u) = sigma(u) - c u."""
import sympy as sp

from symbolic.certificate import make_step
from symbolic.derivations._common import apply_fn, derivation, matrix, matrix_equal, vector

D, N_HIDDEN, S_DEFAULT = 2, 3, (0, 2)


def flip_matrix(n, S):
    """U = (I - 2 D_S) W_up flips the rows indexed by S."""
    return sp.diag(*[-1 if i in S else 1 for i in range(n)])


def use_odd_linear(expr, fn, c):
    """Rewrite every fn(arg) whose argument carries a minus sign by fn(-arg) + c*arg, i.e. use
    fn(-u) = fn(u) - c u with u = -arg. Returns (new expression, number of distinct rewritten terms)."""
    hits = []

    def is_negated(e):
        return isinstance(e, sp.Expr) and e.func == fn and e.args[0].could_extract_minus_sign()

    def rewrite(e):
        hits.append(e)
        return fn(sp.expand(-e.args[0])) + c * e.args[0]

    return expr.replace(is_negated, rewrite), len(set(hits))


def derive(S=S_DEFAULT, d=D, n=N_HIDDEN, claimed_c_factor=1) -> list:
    """The steps of the sign-flip derivation. claimed_c_factor != 1 states a deliberately wrong identity (tests)."""
    c = sp.Symbol("c", nonzero=True)
    sigma = sp.Function("sigma")
    x = vector("x", d)
    Wd, Wu = matrix("Wd", d, n), matrix("Wu", n, d)
    S = tuple(sorted(S))
    f = x + Wd * apply_fn(sigma, Wu * x)
    g = Wd * apply_fn(sigma, flip_matrix(n, S) * Wu * x)
    g_rewritten, count = use_odd_linear(g, sigma, c)
    MS = Wd[:, list(S)] * Wu[list(S), :]
    claimed = -(sp.eye(d) + claimed_c_factor * c * MS) * x
    s_tex = ",".join(str(i + 1) for i in S)
    steps = [make_step(count, len(S), "=", "count of sigma(arg) with arg.could_extract_minus_sign() in g",
                       count == len(S),
                       r"\#\{\sigma(\cdot)\text{ terms of } g \text{ with a negated argument}\} = |S|")]
    c_tex = "c" if claimed_c_factor == 1 else f"{sp.latex(claimed_c_factor)}c"
    steps.append(matrix_equal(
        g_rewritten - f, claimed,
        rf"g(x) - f(x) = -\bigl(I + {c_tex}\,W_{{down}}[:,S]\,W_{{up}}[S,:]\bigr)x,\quad S=\{{{s_tex}\}},"
        r"\ \text{using } \sigma(-u) = \sigma(u) - cu"))
    steps.append(matrix_equal(
        sp.expand(g_rewritten - f).jacobian(x), -(sp.eye(d) + claimed_c_factor * c * MS),
        rf"\tfrac{{\partial}}{{\partial x}}(g - f) = -\bigl(I + {c_tex}\,W_{{down}}D_SW_{{up}}\bigr)"
        r"\ \text{(constant), so } g = f \iff W_{down}D_SW_{up} = -I/c"))
    if len(S) == d:
        # The "if" direction concretely: choose W_down[:,S] = -(1/c) W_up[S,:]^{-1}; then g - f = 0.
        B = Wu[list(S), :]
        sol = -B.adjugate() / (c * B.det())
        subs = {Wd[r, S[j]]: sol[r, j] for r in range(d) for j in range(len(S))}
        steps.append(matrix_equal(
            MS.subs(subs), -sp.eye(d) / c,
            r"W_{down}[:,S] = -\tfrac1c W_{up}[S,:]^{-1} \Rightarrow W_{down}[:,S]\,W_{up}[S,:] = -I/c"))
        steps.append(matrix_equal(
            (g_rewritten - f).subs(subs), sp.zeros(d, 1),
            r"g(x) - f(x) = 0 \text{ for } W_{down}[:,S] = -\tfrac1c W_{up}[S,:]^{-1}"
            r"\ (\text{the flipped block absorbs the skip})"))
    return steps


def sign_flip() -> dict:
    return derivation("Sign-flip construction (Thm 5.1): with sigma(u) - sigma(-u) = c u, flipping the rows S of W_up "
                      "gives g - f = -(I + c W_down[:,S] W_up[S,:]) x, so g = f iff the index condition IC_c holds",
                      "symbolic.derivations.sign_flip.sign_flip", derive())
