"""Classifier (BLUEPRINT §9): the first argument that applies gives the verdict; if none applies, `not_covered`
when every argument was refuted, `undecided` when SymPy could not settle some check (never a guess)."""
import sympy as sp

from symbolic.activations import Activation
from symbolic.arguments import all_arguments
from symbolic.arguments.base import APPLIES, REFUTED
from symbolic.certificate import certificate_verified
from symbolic.errors import InputError
from symbolic.expr import parse_expression


def _exact(value):
    return None if value is None else sp.sstr(sp.nsimplify(value))


def classify_expression(expr, kind="ungated") -> dict:
    """Verdict, argument, certificate and cited theorems for sigma(z) (or the gate gamma(z) when kind='gated')."""
    if kind not in ("ungated", "gated"):
        raise InputError(f"kind must be 'ungated' or 'gated', got {kind!r}")
    refutations, undecided = [], []
    for argument in all_arguments(kind):
        outcome = argument.check(expr)
        if outcome.status == APPLIES:
            data = outcome.data
            steps = outcome.steps
            assert certificate_verified(steps), f"{argument.id}: unverified step in a certificate"
            return {
                "verdict": argument.verdict,
                "argument": argument.id,
                "degree": _exact(data.get("degree")),
                "c": _exact(data.get("c")),
                "theorems": data.get("theorems", [argument.id]),
                "certificate": [s.to_dict() for s in steps],
                "condition": data.get("condition"),
                "generic_iff": data.get("generic_iff"),
                "notes": [outcome.reason] + data.get("notes", []),
                "refuted": refutations,
            }
        entry = {"argument": argument.id, "reason": outcome.reason, "steps": [s.to_dict() for s in outcome.steps]}
        (refutations if outcome.status == REFUTED else undecided).append(entry)
    verdict = "undecided" if undecided else "not_covered"
    notes = [f"{u['argument']}: undecided ({u['reason']})" for u in undecided]
    if verdict == "not_covered":
        notes.append("every implemented argument was refuted; no theorem of the registry covers this activation")
    return {
        "verdict": verdict, "argument": None, "degree": None, "c": None, "theorems": [],
        "certificate": [s for r in refutations for s in r["steps"]],
        "condition": None, "generic_iff": None, "notes": notes, "refuted": refutations,
    }


def classify(activation: Activation) -> dict:
    result = classify_expression(activation.expr, activation.kind)
    return {"name": activation.name, "kind": activation.kind, "expression": activation.expression,
            "latex": activation.latex, "cite": activation.cite, **result}


def classify_text(text: str, kind: str = "ungated", name: str = None) -> dict:
    expr = parse_expression(text)
    result = classify_expression(expr, kind)
    return {"name": name or text, "kind": kind, "expression": text, "latex": sp.latex(expr), "cite": "", **result}
