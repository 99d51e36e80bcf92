"""Safe parser for activation expressions: a small recursive-descent grammar that builds SymPy objects directly.

No user string ever reaches `eval` or `sympify`. Grammar (variable `z`):
    expr  := term (('+' | '-') term)*
    term  := unary (('*' | '/') unary)*
    unary := ('+' | '-') unary | power
    power := atom ('**' unary)?
    atom  := NUMBER | 'z' | 'pi' | 'E' | FUNC '(' expr (',' expr)* ')' | '(' expr ')'
Decimals become exact rationals (0.044715 -> 8943/200000). FUNC is a built-in function (FUNCTIONS) or the name of an
ungated registry activation (`relu(z)`, `gelu(2*z)`: that entry's expression with z substituted).

Hostile input is bounded before SymPy ever sees it, so every rejection is a one-line InputError in well under a second:
- literals: at most MAX_DIGITS digits and a decimal exponent of at most MAX_LITERAL_EXPONENT in absolute value;
- exact numbers: at most MAX_BITS bits in numerator and denominator (checked *before* a power is computed);
- exponents: |k| <= MAX_EXPONENT, also after SymPy merges nested powers ((z**8)**16 is z**128);
- shape: MAX_LENGTH characters, MAX_DEPTH nesting levels, MAX_NODES nodes in the resulting tree;
- constants (sub-expressions without z) must be 0 or of magnitude within [1/MAX_MAGNITUDE, MAX_MAGNITUDE]:
  `exp(exp(100))` is refused instead of sinking the classifier;
- real-valued: the expression is evaluated (mpmath, guarded against overflow) at SAMPLE_POINTS; a non-real or
  undefined value at any of them (`sqrt(-1)*z`, `log(z)`, `sqrt(z)`, `1/z` at 0) is an InputError. Passing this
  test is evidence, not proof, that the expression is real-valued on all of R;
- time: parsing and checking stop with an InputError after TIME_BUDGET_S seconds.

Examples:
    >>> parse_expression("0.5*z + 1")
    z/2 + 1
    >>> parse_expression("relu(2*z)")
    Max(0, 2*z)
    >>> parse_expression("1e99999999*z")
    Traceback (most recent call last):
    ...
    symbolic.errors.InputError: number literal '1e99999999' has a decimal exponent beyond 100
    >>> parse_expression("log(z)")
    Traceback (most recent call last):
    ...
    symbolic.errors.InputError: expression is not real-valued on all of R: log(z) is not a real number at z = 0
"""
import re
import time

import mpmath
import sympy as sp

from symbolic.errors import InputError

Z = sp.Symbol("z", real=True)

MAX_LENGTH = 2000
MAX_DEPTH = 60
MAX_EXPONENT = 64
MAX_DIGITS = 40
MAX_LITERAL_EXPONENT = 100
MAX_BITS = 512
MAX_NODES = 2000
MAX_MAGNITUDE = sp.Integer(10) ** 150
TIME_BUDGET_S = 2.0
SAMPLE_POINTS = tuple(sp.Rational(v) for v in
                      ("0", "1", "-1", "1/2", "-1/2", "2", "-2", "1/7", "-1/7", "3", "-3", "10", "-10", "100", "-100"))


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
    "asinh": (sp.asinh, (1, 1)),
    "sin": (sp.sin, (1, 1)),
    "cos": (sp.cos, (1, 1)),
    "atan": (sp.atan, (1, 1)),
    "erf": (sp.erf, (1, 1)),
    "erfc": (sp.erfc, (1, 1)),
    "Abs": (sp.Abs, (1, 1)),
    "Max": (sp.Max, (2, 16)),
    "Min": (sp.Min, (2, 16)),
    "Heaviside": (sp.Heaviside, (1, 1)),
    "sigmoid": (_sigmoid, (1, 1)),
    "softplus": (_softplus, (1, 1)),
}
CONSTANTS = {"z": Z, "pi": sp.pi, "E": sp.E}  # E: how SymPy prints exp(1), so printed expressions parse back

_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z_0-9]*)|(\*\*|[-+*/(),]))")
_LITERAL = re.compile(r"(?P<mantissa>\d*\.?\d*)(?:[eE](?P<exponent>[+-]?\d+))?")


class _Deadline:
    """Cooperative time budget: checked at every parser step and every evaluated node."""

    def __init__(self, seconds):
        self.seconds, self.end = seconds, time.monotonic() + seconds

    def check(self):
        if time.monotonic() > self.end:
            raise InputError(f"expression took longer than {self.seconds:g} s to parse and check")


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


def _literal(text):
    """An exact Rational for a number literal, refusing long mantissas and large decimal exponents before SymPy
    sees them (sp.Rational('1e99999999') alone runs for minutes)."""
    m = _LITERAL.fullmatch(text)
    digits = m.group("mantissa").replace(".", "").lstrip("0")
    if len(digits) > MAX_DIGITS:
        raise InputError(f"number {text[:20]}... has too many digits (limit {MAX_DIGITS})")
    exponent = m.group("exponent")
    too_long = exponent is not None and len(exponent.lstrip("+-").lstrip("0")) > 4  # before int(): no huge ints
    if exponent is not None and (too_long or abs(int(exponent)) > MAX_LITERAL_EXPONENT):
        raise InputError(f"number literal {text[:20]!r} has a decimal exponent beyond {MAX_LITERAL_EXPONENT}")
    return _check_rational(sp.Rational(text))


def _check_rational(value):
    """Exact numbers stay below MAX_BITS bits, so exact arithmetic on them stays cheap."""
    if isinstance(value, sp.Rational) and max(int(value.p).bit_length(), int(value.q).bit_length()) > MAX_BITS:
        raise InputError(f"number too large: an exact constant has more than {MAX_BITS} bits")
    return value


class _Parser:
    def __init__(self, tokens, functions, deadline):
        self.tokens, self.i, self.depth = tokens, 0, 0
        self.functions, self.deadline = functions, deadline

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self, value=None):
        self.deadline.check()
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
            value = _check_rational(value + rhs if op == "+" else value - rhs)
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
            _check_rational(value)
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
            return _power(base, exponent)
        return base

    def atom(self):
        kind, value = self.take()
        if kind == "num":
            return _literal(value)
        if kind == "name":
            if self.peek()[1] == "(":
                if value not in FUNCTIONS and value not in self.functions:
                    allowed = ", ".join(list(FUNCTIONS) + sorted(set(self.functions) - set(FUNCTIONS)))
                    raise InputError(f"unknown function {value!r} (allowed: {allowed})")
                return self.call(value)
            if value in CONSTANTS:
                return CONSTANTS[value]
            if value in FUNCTIONS or value in self.functions:
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
        if name in FUNCTIONS:
            func, (lo, hi) = FUNCTIONS[name]
        else:  # a registry activation sigma: sigma(arg) is its expression with z := arg
            body = self.functions[name]
            func, (lo, hi) = (lambda arg: body.xreplace({Z: arg})), (1, 1)
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
        value = func(*args)
        _check_size(value)
        return value


def _power(base, exponent):
    """base**exponent with the exponent bounded and the size of an exact result predicted before computing it."""
    if exponent.has(Z):
        raise InputError("exponents depending on z are not supported")
    if not exponent.is_Rational:
        raise InputError(f"exponent {exponent} must be an exact rational number")
    if abs(exponent) > MAX_EXPONENT:
        raise InputError(f"exponent {exponent} is too large (limit {MAX_EXPONENT})")
    if base.is_zero and exponent.is_negative:
        raise InputError("division by zero (0 to a negative power)")
    if base.is_Rational and exponent.is_Integer:
        bits = max(int(base.p).bit_length(), int(base.q).bit_length()) * abs(int(exponent))
        if bits > MAX_BITS:
            raise InputError(f"number too large: a power of {base} with more than {MAX_BITS} bits")
    value = base**exponent
    _check_size(value)
    return _check_rational(value)


def _check_size(value):
    """At most MAX_NODES nodes, and no power beyond MAX_EXPONENT once SymPy has merged factors ((z+1)*(z+1) is
    (z+1)**2, (z**8)**16 is z**128)."""
    count = 0
    for node in sp.preorder_traversal(value):
        count += 1
        if count > MAX_NODES:
            raise InputError(f"expression too large (more than {MAX_NODES} nodes)")
        if isinstance(node, sp.Pow) and node.exp.is_Rational and abs(node.exp) > MAX_EXPONENT:
            raise InputError(f"exponent {node.exp} is too large (limit {MAX_EXPONENT}, after combining powers)")


# ---------------------------------------------------------------------------------------------------------------
# Guarded numerical evaluation (mpmath): constants' magnitudes and real-valuedness on sample points
# ---------------------------------------------------------------------------------------------------------------

class _Overflow(Exception):
    """A value too large to evaluate (e.g. exp(exp(z)) at z = 100): the sample point says nothing either way."""


class _Undefined(Exception):
    """The expression is undefined or not real at the sample point (division by zero, log of a negative number)."""

    def __init__(self, node):
        super().__init__(str(node))
        self.node = node


_MAX_MAG_BITS = 4096  # |value| < 2**4096 for every intermediate value; exp(x) needs x < 2800
_MPMATH_UNARY = {
    sp.exp: mpmath.exp, sp.log: mpmath.log, sp.tanh: mpmath.tanh, sp.sinh: mpmath.sinh, sp.cosh: mpmath.cosh,
    sp.asinh: mpmath.asinh, sp.sin: mpmath.sin, sp.cos: mpmath.cos, sp.atan: mpmath.atan, sp.erf: mpmath.erf,
    sp.erfc: mpmath.erfc, sp.Abs: abs,
}


def _real(value, node):
    if isinstance(value, mpmath.mpc):
        if value.imag != 0:
            raise _Undefined(node)
        value = value.real
    if not mpmath.isfinite(value):
        raise _Undefined(node)
    if value != 0 and mpmath.mag(value) > _MAX_MAG_BITS:
        raise _Overflow()
    return value


def _evaluate(node, z_value, deadline):
    """mpmath value of a SymPy tree at z = z_value; raises _Undefined / _Overflow (never hangs on huge values)."""
    deadline.check()
    if node == Z:
        return mpmath.mpf(z_value)
    if node.is_Rational:
        return mpmath.mpf(int(node.p)) / int(node.q)
    if node.is_NumberSymbol:  # pi, E (from exp(1)), ...
        return mpmath.mpf(str(node.evalf(40)))
    if node.is_Atom:  # I, zoo, nan, oo or an unknown symbol: not a real number
        raise _Undefined(node)
    args = [_evaluate(a, z_value, deadline) for a in node.args]
    try:
        if isinstance(node, sp.Add):
            value = mpmath.fsum(args)
        elif isinstance(node, sp.Mul):
            value = mpmath.fprod(args)
        elif isinstance(node, sp.Pow):
            base, exponent = args
            if base == 0 and exponent < 0:
                raise _Undefined(node)
            if base < 0 and not node.exp.is_Integer:
                raise _Undefined(node)
            if base != 0 and mpmath.mag(base) * abs(exponent) > 2 * _MAX_MAG_BITS:
                raise _Overflow()
            value = mpmath.power(base, exponent)
        elif isinstance(node, (sp.Max, sp.Min)):
            value = max(args) if isinstance(node, sp.Max) else min(args)
        elif isinstance(node, sp.Heaviside):
            x = args[0]
            at_zero = args[1] if len(args) > 1 else mpmath.mpf(0.5)
            value = mpmath.mpf(0) if x < 0 else mpmath.mpf(1) if x > 0 else at_zero
        elif node.func in _MPMATH_UNARY:
            (x,) = args
            if node.func in (sp.exp, sp.sinh, sp.cosh) and abs(x) > 2800:
                raise _Overflow()
            if node.func is sp.log and x <= 0:
                raise _Undefined(node)
            value = _MPMATH_UNARY[node.func](x)
        else:
            raise _Undefined(node)
    except (ZeroDivisionError, ValueError):
        raise _Undefined(node) from None
    return _real(value, node)


def _check_constants(value, deadline):
    """Every sub-expression free of z is 0 or has magnitude within [1/MAX_MAGNITUDE, MAX_MAGNITUDE]."""
    lo, hi = mpmath.mpf(1) / int(MAX_MAGNITUDE), mpmath.mpf(int(MAX_MAGNITUDE))
    stack = [value]
    while stack:
        node = stack.pop()
        if node.has(Z):
            stack.extend(node.args)
            continue
        with mpmath.workdps(30):
            try:
                number = _evaluate(node, 0, deadline)
            except _Overflow:
                raise InputError(f"constant {_short(node)} is out of range "
                                 f"(too large or too small to evaluate)") from None
            except _Undefined:
                raise InputError(f"expression is not real-valued on all of R: constant {_short(node)} "
                                 f"is not a real number") from None
        if number != 0 and not lo <= abs(number) <= hi:
            raise InputError(f"constant {_short(node)} is out of range "
                             f"(nonzero constants lie between 1e-150 and 1e150)")


def _check_real_valued(value, deadline):
    """Refute real-valuedness on R by a sample point where the value is undefined or not real."""
    for point in SAMPLE_POINTS:
        with mpmath.workdps(30):
            try:
                _evaluate(value, point, deadline)
            except _Overflow:
                continue
            except _Undefined as exc:
                raise InputError(f"expression is not real-valued on all of R: {_short(exc.node)} is not a real "
                                 f"number at z = {point}") from None


def _short(node, limit=60):
    text = sp.sstr(node)
    return text if len(text) <= limit else text[:limit] + "..."


def parse_expression(text, functions=None) -> sp.Expr:
    """Parse `text` into a SymPy expression in Z; raise InputError (one line) on anything outside the grammar or the
    bounds above. `functions` maps extra function names to expressions in Z (default: the ungated entries of the
    activation registry, so `relu(z)` works); pass {} for the bare grammar.

    >>> parse_expression("z*sigmoid(z)")
    z/(1 + exp(-z))
    >>> parse_expression("-log(1 + exp(-z))", functions={})
    -log(1 + exp(-z))
    """
    if not isinstance(text, str):
        raise InputError("expression must be a string")
    if len(text) > MAX_LENGTH:
        raise InputError(f"expression longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise InputError("empty expression")
    deadline = _Deadline(TIME_BUDGET_S)
    tokens = _tokenize(text)
    if functions is None:
        names = {value for kind, value in tokens if kind == "name"}
        functions = {} if names <= set(FUNCTIONS) | set(CONSTANTS) else registry_functions()
    try:
        value = _Parser(tokens, functions, deadline).parse()
    except InputError:
        raise
    except RecursionError:
        raise InputError("expression nested too deeply") from None
    except (ValueError, TypeError, ArithmeticError) as exc:  # SymPy refusing a combination, e.g. Max(sqrt(-1), z)
        raise InputError(f"invalid expression: {' '.join(str(exc).split())[:200]}") from None
    value = sp.sympify(value)
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise InputError("expression is undefined (division by zero or infinity)")
    _check_size(value)
    _check_constants(value, deadline)
    _check_real_valued(value, deadline)
    return value


def registry_functions() -> dict:
    """{name: expression} of the ungated activations of the default registry (names and identifier aliases)."""
    from symbolic.activations import registry_functions as load  # the registry parses with this module

    return load()
