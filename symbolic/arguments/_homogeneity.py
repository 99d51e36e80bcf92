"""Positive homogeneity of a function of z (D5), decided side by side with a positive symbol (pitfall 7)."""
import sympy as sp

from symbolic.analysis import P, T, side
from symbolic.arguments.base import APPLIES, REFUTED, UNDECIDED, Outcome
from symbolic.certificate import check_nonzero_number, is_zero, make_step
from symbolic.expr import Z

_NAMES = {1: "p", -1: "-p"}


def homogeneity(expr, fname=r"\sigma"):
    """Outcome with status APPLIES and data['k'] if expr is positively homogeneous of degree k, REFUTED with an
    exact witness if it is not, UNDECIDED otherwise."""
    plain = fname.lstrip("\\")  # reasons are plain text; claims keep the LaTeX name
    for s in (1, -1):  # cheap exact refutation first
        witness = _log_convexity_witness(expr, s, fname)
        if witness:
            return Outcome(REFUTED, [witness], f"{plain} is not positively homogeneous on the {_NAMES[s]} side")
    sides = {s: side(expr, s) for s in (1, -1)}
    nonzero = {}
    for s, value in sides.items():
        proven, _ = is_zero(value)
        if not proven:
            nonzero[s] = value
    if not nonzero:
        return Outcome(UNDECIDED, [], "function vanishes identically")
    degrees = {}
    for s, value in nonzero.items():
        ratio = sp.simplify(P * sp.diff(value, P) / value)
        if ratio.has(P) or ratio.has(sp.Piecewise):
            witness = _log_convexity_witness(expr, s, fname)
            if witness:
                return Outcome(REFUTED, [witness], f"{plain} is not positively homogeneous on the {_NAMES[s]} side")
            return Outcome(UNDECIDED, [], "Euler ratio not constant but no exact witness found")
        degrees[s] = ratio
    values = set(degrees.values())
    if len(values) > 1:
        step = check_nonzero_number(degrees[1] - degrees[-1],
                                    claim=rf"k_+ = {sp.latex(degrees[1])} \neq {sp.latex(degrees[-1])} = k_-")
        if step:
            return Outcome(REFUTED, [step], "the two sides have different degrees")
        return Outcome(UNDECIDED, [], "could not compare the degrees of the two sides")
    k = values.pop()
    steps = []
    for s in (1, -1):
        value = sides[s]
        scaled = value.subs(P, T * P)
        proven, method = is_zero(scaled - T**k * value)
        if not proven:
            return Outcome(UNDECIDED, steps, f"could not confirm {plain}(t p) = t^k {plain}(p)")
        arg = "p" if s == 1 else "-p"
        steps.append(make_step(scaled, T**k * value, "=", method, True,
                               claim=rf"{fname}(t\,{'' if s == 1 else '(-1)'}p) = t^{{{sp.latex(k)}}}\,{fname}({arg})"
                               r" \quad (t,p>0)"))
    if k != 0:
        at_zero = sp.simplify(expr.subs(Z, 0))
        if at_zero != 0:
            step = check_nonzero_number(at_zero, claim=rf"{fname}(0) = {sp.latex(at_zero)} \neq 0")
            if step:
                return Outcome(REFUTED, [step], "homogeneous of degree k != 0 requires value 0 at 0")
            return Outcome(UNDECIDED, steps, "could not evaluate the value at 0")
        steps.append(make_step(expr.subs(Z, 0), 0, "=", "exact evaluation", True, claim=rf"{fname}(0) = 0"))
    return Outcome(APPLIES, steps, f"positively homogeneous of degree {k}", {"k": k})


def _log_convexity_witness(expr, s, fname):
    """Homogeneity forces f(4u) f(u) = f(2u)^2 for u = s*p0; a violation at exact points refutes it."""
    for p0 in (sp.Integer(1), sp.Rational(1, 2), sp.Integer(3)):
        u = s * p0
        defect = expr.subs(Z, 4 * u) * expr.subs(Z, u) - expr.subs(Z, 2 * u) ** 2
        step = check_nonzero_number(
            defect, claim=rf"{fname}({sp.latex(4 * u)})\,{fname}({sp.latex(u)}) - {fname}({sp.latex(2 * u)})^2 \neq 0"
                          r"\text{ (homogeneity would force }=0\text{)}")
        if step:
            return step
    return None
