"""Checked steps: every step of a certificate is an equation or inequality that SymPy (or an exact / high-precision
evaluation) actually checked. A step that could not be checked is never recorded as verified."""
from dataclasses import dataclass

import sympy as sp

RELATIONS = {"=": "=", "!=": r"\neq", "<": "<", "<=": r"\le", ">": ">", ">=": r"\ge"}
EVAL_DIGITS = 50
NONZERO_MARGIN = sp.Float("1e-30", EVAL_DIGITS)


@dataclass
class Step:
    """One checked step of a certificate: `lhs relation rhs`, the method that checked it, and whether it did."""
    claim: str
    lhs: str
    rhs: str
    relation: str
    method: str
    verified: bool

    def to_dict(self) -> dict:
        """The documented JSON form of a step."""
        return {"claim": self.claim, "lhs": self.lhs, "rhs": self.rhs, "relation": self.relation,
                "method": self.method, "verified": bool(self.verified)}


def make_step(lhs, rhs, relation, method, verified, claim=None) -> Step:
    """A Step with SymPy sides printed as strings; `claim` (LaTeX) defaults to `lhs relation rhs`."""
    if relation not in RELATIONS:
        raise ValueError(f"unknown relation {relation}")
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    if claim is None:
        claim = f"{sp.latex(lhs)} {RELATIONS[relation]} {sp.latex(rhs)}"
    return Step(claim=claim, lhs=sp.sstr(lhs), rhs=sp.sstr(rhs), relation=relation, method=method,
                verified=bool(verified))


_PIECEWISE_LIKE = (sp.Min, sp.Max, sp.Abs, sp.Heaviside, sp.Piecewise)
_SIMPLIFIERS = (
    ("sympy.simplify", sp.simplify),
    ("sympy.simplify after rewrite(exp)", lambda e: sp.simplify(e.rewrite(sp.exp))),
    ("sympy.expand_log(force=True) + simplify", lambda e: sp.simplify(sp.expand_log(e.rewrite(sp.exp), force=True))),
    ("sympy.simplify after rewrite(Piecewise)",  # Min/Max/Abs/Heaviside (BLUEPRINT §9 pitfalls)
     lambda e: sp.simplify(sp.piecewise_fold(e.rewrite(sp.Piecewise))) if e.has(*_PIECEWISE_LIKE) else e),
)


def is_zero(expr):
    """Decide expr == 0 symbolically: (True, method) if proven, (False, method) if refuted exactly, (None, ...) else."""
    expr = sp.sympify(expr)
    if expr == 0:
        return True, "structural identity"
    for method, simplifier in _SIMPLIFIERS:
        try:
            value = simplifier(expr)
        except Exception:  # SymPy may raise on exotic forms; that simplifier simply does not decide
            continue
        if value == 0:
            return True, method
        if value.is_number and value.is_zero is False:
            return False, method
    return None, "undecided: SymPy could not simplify the difference to 0"


def check_equal(lhs, rhs, claim=None):
    """A verified step lhs = rhs, or None if SymPy cannot prove it."""
    proven, method = is_zero(sp.sympify(lhs) - sp.sympify(rhs))
    if proven:
        return make_step(lhs, rhs, "=", method, True, claim)
    return None


def numeric_value(expr):
    """High-precision value of a closed number, or None if it does not evaluate to a finite real."""
    expr = sp.sympify(expr)
    try:
        value = sp.N(expr, EVAL_DIGITS)
    except Exception:
        return None
    if not value.is_number or value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or value.is_real is False:
        return None
    if not isinstance(value, (sp.Float, sp.Integer, sp.Rational)):
        return None
    return value


def check_nonzero_number(expr, claim=None, what=None):
    """A verified step `expr != 0` when expr is a closed number, exactly or at EVAL_DIGITS digits with a margin."""
    expr = sp.sympify(expr)
    if expr.is_number and expr.is_zero is False and expr.is_real:
        return make_step(expr, 0, "!=", "exact SymPy evaluation", True, claim)
    value = numeric_value(expr)
    if value is not None and abs(value) > NONZERO_MARGIN:
        return make_step(expr, 0, "!=", f"evaluation to {EVAL_DIGITS} significant digits: {sp.N(value, 12)}",
                         True, claim)
    return None


def certificate_verified(steps) -> bool:
    """A certificate counts as verified only when it has steps and every one of them was verified."""
    return bool(steps) and all(s.verified for s in steps)
