"""The Lean property an argument's certificate is restated as, in lean/SkipAbsorption/Statements/Activations.lean.

Each argument class in symbolic/arguments/ carries one `lean_property` attribute (a `LeanProperty`, or None when its
result is stated only abstractly in the theorem registry), so a new class of activations stays one module: the Lean
exporter never branches on argument ids.
"""
from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

from symbolic.lean.printer import to_lean


def _no_values(result: dict) -> dict:
    return {}


@dataclass(frozen=True)
class LeanProperty:
    """`prop` and `words` are format strings: `{fn}` is the Lean function (a name or a `fun` term), every other field
    comes from `values(classify_result)`; numbers (SymPy-convertible) print with the Lean printer in `prop` and as
    plain rationals in `words`, strings verbatim in both.

    >>> p = LeanProperty("PosHomog {fn} {k}", "degree {k}", values=lambda r: {"k": r["degree"]})
    >>> p.render("act_relu2", {"degree": "2"})
    ('PosHomog act_relu2 2', 'degree 2')
    """

    prop: str
    words: str
    values: Callable[[dict], dict] = field(default=_no_values)

    def render(self, fn: str, result: dict):
        """(Lean proposition, English description) for the function `fn` and the classifier's result dict."""
        raw = self.values(result)
        plain, lean = {}, {}
        for name, value in raw.items():
            if isinstance(value, str) and not _is_number(value):
                plain[name] = lean[name] = value
            else:
                number = sp.Rational(value)
                plain[name], lean[name] = str(number), to_lean(number)[0]
        return self.prop.format(fn=fn, **lean), self.words.format(**plain)


def appendix_labels(ids) -> str:
    """"appendix label `a`" or "appendix labels `a`, `b`" for the theorem ids a statement cites."""
    ids = list(ids)
    return ("appendix label " if len(ids) == 1 else "appendix labels ") + ", ".join(f"`{i}`" for i in ids)


def _is_number(text: str) -> bool:
    try:
        sp.Rational(text)
    except (TypeError, ValueError, SyntaxError):
        return False
    return True
