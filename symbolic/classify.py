"""Classifier (BLUEPRINT §9): the first argument that applies gives the verdict; if none applies, `not_covered`
when every argument was refuted, `undecided` when SymPy could not settle some check (never a guess).

The result is a typed `Classification`, built once; `to_json()` gives the documented JSON of `absorb classify --json`
(docs: ../shared/DESIGN.md), which `classify`, `classify_text` and `classify_expression` return.

Examples:
    >>> result = classification(parse_expression("z + 1"))
    >>> result.verdict, result.argument, result.theorems
    ('always', 'linear', ['linear'])
    >>> classify_text("Max(z, 0)")["c"]
    '1'
"""
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

import sympy as sp

from symbolic.activations import Activation
from symbolic.arguments import all_arguments
from symbolic.arguments.base import APPLIES, REFUTED
from symbolic.certificate import certificate_verified
from symbolic.errors import InputError
from symbolic.expr import parse_expression

VERDICTS = ("impossible", "conditional", "always", "not_covered", "undecided")
SUBJECT_KEYS = ("name", "kind", "expression", "latex", "cite")


def _exact(value):
    return None if value is None else sp.sstr(sp.nsimplify(value))


@dataclass(frozen=True)
class Refutation:
    """An argument that does not apply (or could not be settled), with its exact witness steps."""

    argument: str
    reason: str
    steps: list

    def to_json(self) -> dict:
        return {"argument": self.argument, "reason": self.reason, "steps": [s.to_dict() for s in self.steps]}


@dataclass(frozen=True)
class Classification:
    """Verdict of one activation: which argument applies, its certificate, and the refuted arguments before it.

    `degree` and `c` are exact strings (SymPy sstr) or None; `certificate` holds checked Steps."""

    verdict: str
    argument: str | None = None
    degree: str | None = None
    c: str | None = None
    theorems: list = field(default_factory=list)
    certificate: list = field(default_factory=list)
    condition: str | None = None
    generic_iff: dict | None = None
    notes: list = field(default_factory=list)
    refuted: list = field(default_factory=list)
    name: str = ""
    kind: str = "ungated"
    expression: str = ""
    latex: str = ""
    cite: str = ""

    def to_json(self, subject=True) -> dict:
        """The documented JSON object; subject=False leaves out name/kind/expression/latex/cite."""
        out = {
            "verdict": self.verdict, "argument": self.argument, "degree": self.degree, "c": self.c,
            "theorems": list(self.theorems), "certificate": [s.to_dict() for s in self.certificate],
            "condition": self.condition, "generic_iff": self.generic_iff, "notes": list(self.notes),
            "refuted": [r.to_json() for r in self.refuted],
        }
        if subject:
            out = {**{key: getattr(self, key) for key in SUBJECT_KEYS}, **out}
        return out


class _OutOfTime(BaseException):
    """Raised by the alarm inside a SymPy call; a BaseException so SymPy's `except Exception` cannot swallow it."""


@contextmanager
def _time_budget(seconds):
    """Interrupt the body after `seconds` (SIGALRM, main thread only; elsewhere the budget is not enforced)."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def alarm(signum, frame):
        raise _OutOfTime()

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def classification(expr, kind="ungated", time_budget_s=None, **subject) -> Classification:
    """Classify sigma(z) (or the gate gamma(z) when kind='gated'); `subject` fills name/expression/latex/cite.

    With `time_budget_s`, SymPy work stops after that many seconds: the argument being checked and the ones after it
    are recorded as undecided, so the verdict is `undecided` unless an earlier argument applied (never a guess).
    Registry builds pass no budget, so their outputs never depend on the machine's speed."""
    if kind not in ("ungated", "gated"):
        raise InputError(f"kind must be 'ungated' or 'gated', got {kind!r}")
    arguments = all_arguments(kind)
    refutations, undecided, tried, applied = [], [], [], []
    try:
        with _time_budget(time_budget_s):
            for argument in arguments:
                outcome = argument.check(expr)
                tried.append(argument.id)
                if outcome.status == APPLIES:
                    applied.append(_applies(argument, outcome, refutations, kind, subject))
                    break
                entry = Refutation(argument.id, outcome.reason, list(outcome.steps))
                (refutations if outcome.status == REFUTED else undecided).append(entry)
    except _OutOfTime:
        # the alarm may fire anywhere inside the budget, even before the first argument starts or after the last
        # one finished: the argument it interrupted and the ones after it are undecided, never guessed
        if not applied:
            rest = [a for a in arguments if a.id not in tried]
            if rest:
                undecided.append(Refutation(rest[0].id, f"stopped: the time budget of {time_budget_s:g} s "
                                                        f"was exhausted", []))
                undecided += [Refutation(a.id, "not tried: no time left", []) for a in rest[1:]]
    if applied:
        return applied[0]
    verdict = "undecided" if undecided else "not_covered"
    notes = [f"{u.argument}: undecided ({u.reason})" for u in undecided]
    if verdict == "not_covered":
        notes.append("every implemented argument was refuted; no theorem of the registry covers this activation")
    return Classification(verdict=verdict, certificate=[s for r in refutations for s in r.steps], notes=notes,
                          refuted=refutations, kind=kind, **subject)


def _applies(argument, outcome, refutations, kind, subject) -> Classification:
    data = outcome.data
    assert certificate_verified(outcome.steps), f"{argument.id}: unverified step in a certificate"
    return Classification(
        verdict=argument.verdict, argument=argument.id, degree=_exact(data.get("degree")),
        c=_exact(data.get("c")), theorems=data.get("theorems", [argument.id]),
        certificate=list(outcome.steps), condition=data.get("condition"),
        generic_iff=data.get("generic_iff"), notes=[outcome.reason] + data.get("notes", []),
        refuted=refutations, kind=kind, **subject)


def classify_expression(expr, kind="ungated") -> dict:
    """JSON of the verdict for sigma(z) (or gamma(z)), without the name/expression fields."""
    return classification(expr, kind).to_json(subject=False)


def classify(activation: Activation, time_budget_s=None) -> dict:
    """JSON of the verdict for a registry entry (the contents of build/symbolic/<name>.json)."""
    return classification(activation.expr, activation.kind, time_budget_s, name=activation.name,
                          expression=activation.expression, latex=activation.latex, cite=activation.cite).to_json()


def classify_text(text: str, kind: str = "ungated", name: str = None, time_budget_s=None) -> dict:
    """JSON of the verdict for an expression typed by a user (`absorb classify --expr/--gate`)."""
    expr = parse_expression(text)
    return classification(expr, kind, time_budget_s, name=name or text, expression=text,
                          latex=sp.latex(expr)).to_json()
