"""Prop 6.7 (BLUEPRINT §6.7): an affine sigma(z) = alpha z + beta with alpha != 0 makes every block absorbable once
the width allows, so the verdict is `always` (the index condition plays no role).

With M = A + alpha W_down W_up and w = beta W_down 1, the block is f(x) = M x + w and a residual-free block of width m
is g(x) = alpha V U x + beta V 1; g = f iff alpha V U = M and beta V 1 = w:
- beta = 0: absorbable at width m iff rank M <= m, so always when n >= d;
- beta != 0: absorbable at every width m >= d + 1; at smaller widths iff some V with V 1 = W_down 1 has a column
  space containing that of M.
alpha = 0 (constant sigma) is even, so `parity` (and `degree` with k = 0) already says impossible; this argument is
ordered after parity and before degree, flat and sign-flip, so sigma = z is never reported as "conditional".

Examples:
    >>> from symbolic.expr import parse_expression
    >>> outcome = ARGUMENT.check(parse_expression("2*z + 1"))
    >>> outcome.status, outcome.data["alpha"], outcome.data["beta"]
    ('applies', 2, 1)
    >>> ARGUMENT.check(parse_expression("Max(z, 0)")).status
    'refuted'
"""
import sympy as sp

from symbolic.analysis import P, side
from symbolic.arguments.base import Argument, applies, nonzero_witness, refuted, undecided
from symbolic.certificate import check_nonzero_number, is_zero, make_step
from symbolic.expr import Z


WIDTH_NOTE = "width condition: "  # prefix of the note that states the width condition (human output shows it)


def width_condition_latex(beta) -> str:
    """The width condition of Prop 6.7 for the identity skip, comparator width m (= n for "same width")."""
    if beta == 0:
        return (r"\operatorname{rank}\bigl(I_d+\alpha W_{\mathrm{down}}W_{\mathrm{up}}\bigr)\le m"
                r"\text{ (always when } m\ge d)")
    return (r"m\ge d+1\text{, or some } V\in\mathbb{R}^{d\times m},\ V\mathbf 1=W_{\mathrm{down}}\mathbf 1,"
            r"\ \operatorname{col}V\supseteq\operatorname{col}\bigl(I_d+\alpha W_{\mathrm{down}}W_{\mathrm{up}}\bigr)")


def width_condition_text(beta) -> str:
    """The same condition in plain text (human output of `absorb classify`)."""
    if beta == 0:
        return "every weight matrix once n >= d; at n < d iff rank(I + alpha W_down W_up) <= n"
    return ("every weight matrix once n >= d + 1; at n <= d iff some V (d x n) with V 1 = W_down 1 has a column "
            "space containing that of I + alpha W_down W_up")


class Linear(Argument):
    id, kind, verdict, order = "linear", "ungated", "always", 15

    def check(self, expr):
        beta = sp.nsimplify(sp.simplify(expr.subs(Z, 0)))
        alpha = sp.nsimplify(sp.simplify(expr.subs(Z, 1) - beta))
        if not (alpha.is_number and beta.is_number):
            return undecided([], "could not evaluate sigma(0) and sigma(1) exactly")
        plus = side(expr, 1) - alpha * P - beta
        minus = side(expr, -1) + alpha * P - beta
        for residual, arg in ((plus, "p"), (minus, "-p")):
            witness = nonzero_witness(residual, lambda p0, arg=arg: (
                rf"\sigma({sp.latex(p0 if arg == 'p' else -p0)}) \neq \sigma(0) + "
                rf"{sp.latex(p0) if arg == 'p' else f'(-{sp.latex(p0)})'}\,\bigl(\sigma(1)-\sigma(0)\bigr)"
                r" \text{ (not affine)}"))
            if witness:  # cheap exact refutation first
                return refuted([witness], "sigma is not affine")
        steps = []
        for residual, arg, sign in ((plus, "p", 1), (minus, "-p", -1)):
            proven, method = is_zero(residual)
            if not proven:
                return undecided(steps, f"SymPy could not confirm sigma({arg}) = alpha*({arg}) + beta")
            steps.append(make_step(residual + alpha * sign * P + beta, alpha * sign * P + beta, "=", method, True,
                                   claim=rf"\sigma({arg}) = {sp.latex(alpha * sign * P + beta)}"
                                         r" \text{ for all } p>0"))
        if alpha == 0:
            return refuted(steps, "alpha = 0: constant sigma (covered by parity and degree k = 0)")
        step = check_nonzero_number(alpha, claim=rf"\alpha = {sp.latex(alpha)} \neq 0")
        if step is None:
            return undecided(steps, "could not decide alpha != 0")
        steps.append(step)
        notes = [f"sigma(z) = alpha z + beta with alpha = {sp.sstr(alpha)}, beta = {sp.sstr(beta)}: the block is the "
                 f"affine map (I + alpha W_down W_up) x + beta W_down 1 (Prop 6.7)",
                 f"{WIDTH_NOTE}absorbable for {width_condition_text(beta)}"]
        return applies(steps, "sigma is affine with alpha != 0", alpha=alpha, beta=beta,
                       condition=width_condition_latex(beta), theorems=["linear"], notes=notes)


ARGUMENT = Linear()
