"""SymPy -> Lean 4 (Mathlib) printer for activation expressions, modelled on `sympy/printing/julia.py`.

`LeanCodePrinter` is a `CodePrinter`: one `_print_<Class>` method per construct, brackets decided by precedence
(`parenthesize`), and a table of known functions. It prints a real function of one variable: every `Symbol` prints
as the bound variable (`z` by default). Functions Mathlib lacks either appear in `ABSTRACT_FUNCTIONS` (printed as a
universally quantified variable whose properties the statement assumes) or raise `Unsupported`.

Lean 4 precedences used (Init/Prelude notation): `+ -` 65 (left), `* /` 70 (left), unary `-` 75, `^` 75 (right),
function application above everything. Examples:

>>> import sympy as sp
>>> z = sp.Symbol("z")
>>> to_lean(sp.Max(z, 0) ** 2)[0]
'max z 0 ^ 2'
>>> to_lean(1 / (1 + sp.exp(-z)))[0]
'1 / (1 + Real.exp (-z))'
"""
import sympy as sp
from sympy.printing.codeprinter import CodePrinter

# Lean 4 precedence levels (higher binds tighter).
PREC_COND = 0        # if … then … else …
PREC_REL = 50        # < ≤ = ≠
PREC_ADD = 65        # + -
PREC_MUL = 70        # * /
PREC_NEG = 75        # prefix -
PREC_POW = 75        # ^ (right associative)
PREC_APP = 1023      # function application `f x`
PREC_ATOM = 1024     # identifiers, numerals, bracketed terms, |x|

# SymPy function -> Mathlib name (applied as `Name x`).
KNOWN_FUNCTIONS = {
    "exp": "Real.exp", "log": "Real.log", "tanh": "Real.tanh", "sinh": "Real.sinh", "cosh": "Real.cosh",
    "sin": "Real.sin", "cos": "Real.cos",
    # Mathlib has no erf: Defs.lean defines `SkipAbsorption.erf u = 2 Φ(√2 u) − 1` from Mathlib's Gaussian CDF.
    "erf": "SkipAbsorption.erf",
}

# Functions Mathlib lacks that are stated abstractly: SymPy function -> (Lean variable, hypotheses on it, note).
ABSTRACT_FUNCTIONS = {}

_RELATIONS = {sp.StrictLessThan: "<", sp.LessThan: "≤", sp.StrictGreaterThan: ">", sp.GreaterThan: "≥",
              sp.Eq: "=", sp.Ne: "≠"}


class Unsupported(Exception):
    """The expression uses a function Mathlib lacks (or the printer does not know); the message names it."""


def lean_precedence(expr) -> int:
    """The Lean precedence of the text `LeanCodePrinter` prints for `expr` (not SymPy's own precedence)."""
    if isinstance(expr, (sp.Symbol, sp.Rational, sp.Abs, sp.Float)) or expr is sp.pi:
        return PREC_ATOM  # numerals that need a sign or a type ascription are printed bracketed
    if isinstance(expr, sp.Piecewise):
        return PREC_COND
    if isinstance(expr, sp.Add):
        return PREC_ADD
    if isinstance(expr, sp.Mul):
        coeff, _ = expr.as_coeff_Mul()
        return PREC_NEG if coeff.is_negative else PREC_MUL
    if isinstance(expr, sp.Pow):
        if expr.base is sp.E or expr.exp == sp.Rational(1, 2):
            return PREC_APP  # Real.exp x, Real.sqrt x
        if expr.exp.is_negative:
            return PREC_MUL  # printed as 1 / x
        return PREC_POW
    return PREC_APP  # E (Real.exp 1), Max/Min, known and abstract functions


class LeanCodePrinter(CodePrinter):
    """Prints a SymPy expression in one variable as a Lean 4 term of type ℝ (see the module docstring)."""

    printmethod = "_lean"
    language = "Lean"
    _default_settings = dict(CodePrinter._default_settings, var="z", strict=True)

    def __init__(self, settings=None):
        super().__init__(settings)
        self.abstract = []  # abstract functions used, in order of first use

    # -- brackets -------------------------------------------------------------------------------------------------
    def parenthesize(self, item, level, strict=False):
        """`(text)` when `item` binds less tightly than `level` (or equally, unless `strict`)."""
        prec = lean_precedence(item)
        if prec < level or (not strict and prec <= level):
            return f"({self._print(item)})"
        return self._print(item)

    def _argument(self, item) -> str:
        """An argument of a function application: only atoms go bare."""
        return self.parenthesize(item, PREC_APP)

    # -- failure --------------------------------------------------------------------------------------------------
    def _print_not_supported(self, expr):
        raise Unsupported(str(getattr(expr, "func", type(expr).__name__)))

    emptyPrinter = _print_not_supported

    # -- atoms ----------------------------------------------------------------------------------------------------
    def _print_Symbol(self, expr):
        return self._settings["var"]

    def _print_Pi(self, expr):
        return "Real.pi"

    def _print_Exp1(self, expr):
        return "Real.exp 1"

    def _print_Integer(self, expr):
        return str(int(expr)) if expr >= 0 else f"(-{abs(int(expr))})"

    _print_Zero = _print_One = _print_NegativeOne = _print_Integer

    def _print_Rational(self, expr):
        p, q = int(expr.p), int(expr.q)
        return f"({p} / {q} : ℝ)" if p >= 0 else f"(-({-p} / {q} : ℝ))"

    _print_Half = _print_Rational

    def _print_Float(self, expr):
        return self._print(sp.nsimplify(expr, rational=True))

    # -- arithmetic -----------------------------------------------------------------------------------------------
    def _print_Add(self, expr, order=None):
        terms = expr.as_ordered_terms()
        positive = [t for t in terms if not t.as_coeff_Mul()[0].is_negative]
        if positive:  # start with a positive term: `z ^ 3 - z`, not `-z + z ^ 3`
            terms = [positive[0]] + [t for t in terms if t is not positive[0]]
        out = self.parenthesize(terms[0], PREC_ADD, strict=True)
        for term in terms[1:]:
            if term.as_coeff_Mul()[0].is_negative:
                out += " - " + self.parenthesize(-term, PREC_ADD)
            else:
                out += " + " + self.parenthesize(term, PREC_ADD)
        return out

    def _print_Mul(self, expr):
        coeff, rest = expr.as_coeff_Mul()
        if coeff.is_negative:
            return "-" + self.parenthesize(-expr, PREC_APP, strict=True)
        num, den = [], []
        if coeff != 1:
            if isinstance(coeff, sp.Rational) and not isinstance(coeff, sp.Integer):
                if coeff.p != 1:
                    num.append(sp.Integer(coeff.p))
                den.append(sp.Integer(coeff.q))
            else:
                num.append(coeff)
        for factor in sp.Mul.make_args(rest):
            if isinstance(factor, sp.Pow) and factor.exp.is_negative:
                den.append(sp.Pow(factor.base, -factor.exp))
            else:
                num.append(factor)
        num_text = " * ".join(self.parenthesize(f, PREC_MUL, strict=True) for f in num) if num else "1"
        if not den:
            return num_text
        if len(den) == 1:
            return f"{num_text} / {self.parenthesize(den[0], PREC_MUL)}"
        return f"{num_text} / (" + " * ".join(self.parenthesize(f, PREC_MUL, strict=True) for f in den) + ")"

    def _print_Pow(self, expr, rational=False):
        base, ex = expr.base, expr.exp
        if base is sp.E:
            return f"Real.exp {self._argument(ex)}"
        if ex == sp.Rational(1, 2):
            return f"Real.sqrt {self._argument(base)}"
        if isinstance(ex, sp.Rational) and ex.is_negative:
            return f"1 / {self.parenthesize(sp.Pow(base, -ex), PREC_MUL)}"
        if isinstance(ex, sp.Integer):
            return f"{self.parenthesize(base, PREC_POW)} ^ {int(ex)}"
        if isinstance(ex, sp.Rational):
            return f"{self.parenthesize(base, PREC_POW)} ^ {self._print(ex)}"
        raise Unsupported(f"power {expr}")

    # -- functions ------------------------------------------------------------------------------------------------
    def _print_Function(self, expr):
        name = KNOWN_FUNCTIONS.get(expr.func.__name__)
        if name is not None and len(expr.args) == 1:
            return f"{name} {self._argument(expr.args[0])}"
        if expr.func in ABSTRACT_FUNCTIONS:
            if expr.func not in self.abstract:
                self.abstract.append(expr.func)
            return f"{ABSTRACT_FUNCTIONS[expr.func][0]} {self._argument(expr.args[0])}"
        raise Unsupported(str(expr.func))

    def _print_Abs(self, expr):
        return f"|{self._print(expr.args[0])}|"

    def _print_MinMaxBase(self, expr):
        """`max a (max b c)`: Lean's max and min are binary; numbers go last (`max z 0`)."""
        name = "max" if isinstance(expr, sp.Max) else "min"
        args = sorted(expr.args, key=lambda a: (a.is_number, sp.default_sort_key(a)))
        text = self._argument(args[-1])
        for arg in reversed(args[:-1]):
            text = f"{name} {self._argument(arg)} {text}"
            if arg is not args[0]:
                text = f"({text})"
        return text

    _print_Max = _print_Min = _print_MinMaxBase

    def _print_Piecewise(self, expr):
        *pieces, last = expr.args
        if last.cond is not sp.true:
            raise Unsupported("Piecewise without a default branch")
        out = self._print(last.expr)
        for value, cond in reversed(pieces):
            out = f"if {self._print(cond)} then {self._print(value)} else {out}"
        return out

    # -- conditions -----------------------------------------------------------------------------------------------
    def _print_Relational(self, expr):
        op = _RELATIONS.get(type(expr))
        if op is None:
            raise Unsupported(f"condition {expr}")
        return f"{self.parenthesize(expr.lhs, PREC_REL)} {op} {self.parenthesize(expr.rhs, PREC_REL)}"

    def _print_And(self, expr):
        return " ∧ ".join(f"({self._print(a)})" for a in expr.args)

    def _print_Or(self, expr):
        return " ∨ ".join(f"({self._print(a)})" for a in expr.args)

    def _print_BooleanTrue(self, expr):
        return "True"

    def _print_BooleanFalse(self, expr):
        return "False"

    # -- CodePrinter hooks (one expression, no statements) --------------------------------------------------------
    def _get_comment(self, text):
        return f"-- {text}"

    def _format_code(self, lines):
        return lines

    def _declare_number_const(self, name, value):
        raise Unsupported(f"number constant {name}")


def to_lean(expr, var: str = "z"):
    """(Lean text, list of abstract functions used) for a SymPy expression in one variable.

    Raises Unsupported naming the first function Mathlib lacks that has no abstract stand-in."""
    printer = LeanCodePrinter({"var": var})
    text = printer.doprint(sp.sympify(expr))
    return text, list(printer.abstract)


def lean_ident(name: str) -> str:
    """A registry name as a Lean identifier fragment (`gelu_tanh`, `act_<ident>`)."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch == "_") else "_" for ch in name)
