"""S1 / Section 6 (odd-linear class): sigma(p) - sigma(-p) = c p for every p > 0 (hence for all z), c != 0.

Expressions come from the activation registry (symbolic/activations.toml), so the identities stay in sync with it."""
import sympy as sp

from symbolic.activations import get_activation
from symbolic.certificate import check_nonzero_number, make_step
from symbolic.derivations._common import derivation, nonzero, scalar_equal
from symbolic.expr import Z

MEMBERS = ("relu", "leaky_relu", "gelu", "gelu_tanh", "silu", "quick_gelu", "softplus", "hardswish")
NON_MEMBERS = ("relu2", "relu3", "tanh", "sigmoid", "elu", "mish")
P = sp.Symbol("p", positive=True)


def member_steps(name, expr):
    c = sp.simplify(expr.subs(Z, 1) - expr.subs(Z, -1))  # the only candidate: c = sigma(1) - sigma(-1)
    O = expr.subs(Z, P) - expr.subs(Z, -P)
    label = name.replace("_", " ")
    return [scalar_equal(O, c * P, rf"\sigma(p) - \sigma(-p) = {sp.latex(c * P)}\quad(p>0,\ \sigma = \text{{{label}}})"),
            nonzero(c, rf"c_{{\text{{{label}}}}} = {sp.latex(c)} \neq 0")]


def non_member_step(name, expr):
    """Exact refutation: (sigma(2) - sigma(-2))/2 != sigma(1) - sigma(-1), so no constant c works."""
    gap = (expr.subs(Z, 2) - expr.subs(Z, -2)) / 2 - (expr.subs(Z, 1) - expr.subs(Z, -1))
    step = check_nonzero_number(
        gap, rf"\tfrac12\bigl(\sigma(2)-\sigma(-2)\bigr) - \bigl(\sigma(1)-\sigma(-1)\bigr) \neq 0"
             rf"\quad(\sigma = \text{{{name.replace('_', ' ')}}}\ \text{{is not odd-linear}})")
    if step is None:
        step = make_step(gap, 0, "!=", "not verified: could not evaluate", False,
                         rf"\sigma = \text{{{name}}} \text{{ is not odd-linear}}")
    return step


def odd_linear_characterization() -> dict:
    steps = []
    for name in MEMBERS:
        steps += member_steps(name, get_activation(name).expr)
    alpha = sp.Symbol("alpha", positive=True)
    leaky = sp.Max(Z, 0) + alpha * sp.Min(Z, 0)  # LeakyReLU_alpha, alpha in (0, 1) symbolic
    steps.append(scalar_equal(leaky.subs(Z, P) - leaky.subs(Z, -P), (1 + alpha) * P,
                              r"\sigma_\alpha(p) - \sigma_\alpha(-p) = (1+\alpha)\,p\quad"
                              r"(\sigma_\alpha = \max(z,0) + \alpha\min(z,0),\ \alpha>0 \text{ symbolic},\ p>0)"))
    steps.append(nonzero(1 + alpha, r"c = 1 + \alpha \neq 0\quad(\alpha > 0)"))
    for name in NON_MEMBERS:
        steps.append(non_member_step(name, get_activation(name).expr))
    return derivation("Odd-linear class (S1): sigma(p) - sigma(-p) = c p with c != 0 for ReLU, LeakyReLU, GELU (erf, "
                      "tanh), SiLU, QuickGELU, Softplus, Hardswish; exact refutations for ReLU^2, ReLU^3, tanh, "
                      "sigmoid, ELU, Mish",
                      "symbolic.derivations.odd_linear.odd_linear_characterization", steps)
