"""Safe parser for activation expressions: a small recursive-descent grammar that builds SymPy objects directly.

No user string ever reaches `eval` or `sympify`. Grammar (variable `z`):
    expr  := term (('+' | '-') term)*
    term  := unary (('*' | '/') unary)*
    unary := ('+' | '-') unary | power
    power := atom ('**' unary)?
    atom  := NUMBER | 'z' | 'pi' | FUNC '(' expr (',' expr)* ')' | '(' expr ')'
Decimals become exact rationals (0.044715 -> 8943/200000).
"""
import re

import sympy as sp

from symbolic.errors import InputError

Z = sp.Symbol("z", real=True)

MAX_LENGTH = 2000
MAX_DEPTH = 60
MAX_EXPONENT = 64


def _sigmoid(x):
    return 1 / (1 + sp.exp(-x))


def _softplus(x):
    return sp.log(1 + sp.exp(x))


# name -> (SymPy constructor, allowed argument counts (min, max))
FUNCTIONS = {
    "exp": (sp.exp, (1, 1)),
    "log": (sp.log, (1, 1)),
    "sqrt": (sp.sqrt, (1, 1)),
    "tanh": (sp.tanh, (1, 1)),
    "sinh": (sp.sinh, (1, 1)),
    "cosh": (sp.cosh, (1, 1)),
    "sin": (sp.sin, (1, 1)),
    "cos": (sp.cos, (1, 1)),
    "erf": (sp.erf, (1, 1)),
    "Abs": (sp.Abs, (1, 1)),
    "Max": (sp.Max, (2, 16)),
    "Min": (sp.Min, (2, 16)),
    "Heaviside": (sp.Heaviside, (1, 1)),
    "sigmoid": (_sigmoid, (1, 1)),
    "softplus": (_softplus, (1, 1)),
}
CONSTANTS = {"z": Z, "pi": sp.pi}

_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z_0-9]*)|(\*\*|[-+*/(),]))")


def _tokenize(text):
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            bad = text[pos:].lstrip()[:1]
            raise InputError(f"unexpected character {bad!r} at position {len(text) - len(text[pos:].lstrip()) + 1}")
        number, name, op = m.groups()
        if number is not None:
            tokens.append(("num", number))
        elif name is not None:
            tokens.append(("name", name))
        else:
            tokens.append(("op", op))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, tokens):
        self.tokens, self.i, self.depth = tokens, 0, 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self, value=None):
        tok = self.peek()
        if tok[0] is None:
            raise InputError("unexpected end of expression")
        if value is not None and tok[1] != value:
            raise InputError(f"expected {value!r} but found {tok[1]!r}")
        self.i += 1
        return tok

    def parse(self):
        if not self.tokens:
            raise InputError("empty expression")
        value = self.expr()
        if self.i != len(self.tokens):
            raise InputError(f"unexpected {self.peek()[1]!r} after a complete expression")
        return value

    def _nest(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise InputError(f"expression nested deeper than {MAX_DEPTH} levels")

    def expr(self):
        value = self.term()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            rhs = self.term()
            value = value + rhs if op == "+" else value - rhs
        return value

    def term(self):
        value = self.unary()
        while self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            rhs = self.unary()
            if op == "/":
                if rhs.is_zero:
                    raise InputError("division by zero")
                value = value / rhs
            else:
                value = value * rhs
        return value

    def unary(self):
        if self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            self._nest()
            value = self.unary()
            self.depth -= 1
            return -value if op == "-" else value
        return self.power()

    def power(self):
        base = self.atom()
        if self.peek()[1] == "**":
            self.take()
            self._nest()
            exponent = self.unary()
            self.depth -= 1
            if exponent.is_number:
                if abs(float(exponent)) > MAX_EXPONENT:
                    raise InputError(f"exponent {exponent} is too large (limit {MAX_EXPONENT})")
            elif exponent.has(Z):
                raise InputError("exponents depending on z are not supported")
            if base.is_zero and exponent.is_number and exponent.is_negative:
                raise InputError("division by zero (0 to a negative power)")
            return base**exponent
        return base

    def atom(self):
        kind, value = self.take()
        if kind == "num":
            if len(value) > 40:
                raise InputError(f"number {value[:20]}... has too many digits")
            return sp.Rational(value)
        if kind == "name":
            if self.peek()[1] == "(":
                if value not in FUNCTIONS:
                    raise InputError(f"unknown function {value!r} (allowed: {', '.join(FUNCTIONS)})")
                return self.call(value)
            if value in CONSTANTS:
                return CONSTANTS[value]
            if value in FUNCTIONS:
                raise InputError(f"function {value!r} needs an argument list")
            raise InputError(f"unknown variable {value!r}: the only variable is z")
        if value == "(":
            self._nest()
            inner = self.expr()
            self.take(")")
            self.depth -= 1
            return inner
        raise InputError(f"unexpected {value!r}")

    def call(self, name):
        func, (lo, hi) = FUNCTIONS[name]
        self.take("(")
        self._nest()
        args = [self.expr()]
        while self.peek()[1] == ",":
            self.take()
            args.append(self.expr())
        self.take(")")
        self.depth -= 1
        if not lo <= len(args) <= hi:
            raise InputError(f"{name} takes {lo if lo == hi else f'{lo} to {hi}'} argument(s), got {len(args)}")
        return func(*args)


def parse_expression(text) -> sp.Expr:
    """Parse `text` into a SymPy expression in Z; raise InputError (one line) on anything outside the grammar."""
    if not isinstance(text, str):
        raise InputError("expression must be a string")
    if len(text) > MAX_LENGTH:
        raise InputError(f"expression longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise InputError("empty expression")
    try:
        value = _Parser(_tokenize(text)).parse()
    except RecursionError:
        raise InputError("expression nested too deeply") from None
    value = sp.sympify(value)
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise InputError("expression is undefined (division by zero or infinity)")
    return value
