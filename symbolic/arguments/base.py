"""The one interface every class of activations implements: does the argument apply? -> certificate or refutation.

A new class of activations is one module in this package defining ARGUMENT (an instance of a subclass of
Argument) plus one entry in the theorem registry; the classifier discovers it by its `order`."""
from dataclasses import dataclass, field

import sympy as sp

from symbolic.analysis import P
from symbolic.certificate import check_nonzero_number, make_step

APPLIES, REFUTED, UNDECIDED = "applies", "refuted", "undecided"
WITNESS_POINTS = (sp.Integer(1), sp.Integer(2), sp.Rational(1, 2), sp.Integer(3), sp.Rational(7, 3), sp.Integer(5))


@dataclass
class Outcome:
    """What an argument's check returns: `status` (applies|refuted|undecided), the checked `steps`, a
    human `reason`, and `data` (c, degree, ... for the verdict)."""
    status: str
    steps: list = field(default_factory=list)
    reason: str = ""
    data: dict = field(default_factory=dict)


class Argument:
    """Subclasses set id (a theorem id), kind ('ungated'|'gated'), verdict, order, and implement check(expr)."""

    id = ""
    kind = "ungated"
    verdict = "impossible"
    order = 100
    lean_property = None  # a symbolic.lean.properties.LeanProperty: how Lean restates this argument's certificate

    def check(self, expr) -> Outcome:  # pragma: no cover - interface
        """Decide for the SymPy expression `expr` in `symbolic.expr.Z`: applies, refuted or undecided."""
        raise NotImplementedError


def applies(steps, reason, **data):
    """The argument applies: every step in `steps` was verified."""
    return Outcome(APPLIES, steps, reason, data)


def refuted(steps, reason):
    """The argument does not apply: `steps` hold an exact witness."""
    return Outcome(REFUTED, steps, reason)


def undecided(steps, reason):
    """Neither proved nor refuted (never a guess): the classifier reports `reason`."""
    return Outcome(UNDECIDED, steps, reason)


def nonzero_witness(expr_in_p, claim_of):
    """Exact refutation: the first witness point p0 where expr(p0) != 0, as a verified step; None if none found."""
    for p0 in WITNESS_POINTS:
        value = expr_in_p.subs(P, p0)
        step = check_nonzero_number(value, claim=claim_of(p0))
        if step is not None:
            return step
    return None


def limit_step(expr_latex, point_latex, value, method="sympy.limit"):
    """A verified step recording that a limit of `expr_latex` at `point_latex` equals `value`."""
    return make_step(sp.Symbol("L"), value, "=", method, True,
                     claim=rf"\lim_{{{point_latex}}} {expr_latex} = {sp.latex(value)}")
