"""The method line of a SymPy step (certificates and derivations) as typeset text: the step records how SymPy checked
it in ASCII (`sympy.limit (direction +)`, `Euler ratio p*diff(sigma(+-p), p)/sigma(+-p)`, `m >= 1`); the supplement
prints code names in typewriter, formulas in math mode, and for a limit the side it was taken from.

* A limit step holds the SymPy expression that was evaluated (`Limit(-h/(exp(h) + 1), h, 0, dir='+')`). It is read
  back by a whitelisting parser (only the names below, no attribute access, no string but the direction) and
  printed with `sympy.latex`; its side is taken from that expression and from the claim: a claim about z -> 0^-
  evaluated as h -> 0^+ is a limit "from the left" with z = -h.
* Every other method goes through a short list of careful rewrites (code names, the derivative ratios, Greek words,
  `Reals`) and then the hypothesis typesetter of generator/paper.py, which escapes all remaining text.

Nothing from the data reaches LaTeX unescaped: code names are escaped, formulas are built from whitelisted tokens.
"""
import re

import sympy as sp

from generator.latex import latex_escape, tt_break

MAX_EXPR = 300  # longer SymPy expressions are not parsed
MAX_SHOWN = 120  # nor printed when their LaTeX is longer (they would not fit a line)
_NAMES = {"Limit": sp.Limit, "exp": sp.exp, "erf": sp.erf, "sqrt": sp.sqrt, "log": sp.log, "tanh": sp.tanh,
          "Abs": sp.Abs, "Max": sp.Max, "Min": sp.Min, "pi": sp.pi, "E": sp.E, "oo": sp.oo}
_PARSER = {"Integer": sp.Integer, "Float": sp.Float, "Rational": sp.Rational, "Symbol": sp.Symbol, "Add": sp.Add,
           "Mul": sp.Mul, "Pow": sp.Pow}
_SYMBOLS = "hpzxtmk"
_LIMIT = re.compile(r"^Limit\((?P<body>.*), (?P<var>[a-z]), (?P<point>-?(?:oo|\d+)), dir='(?P<dir>\+|-|\+-)'\)$")


def sympy_latex(text):
    """`sympy.latex` of a recorded SymPy expression string, or None when it is not one this parser accepts."""
    text = str(text or "").strip()
    if not text or len(text) > MAX_EXPR or "__" in text or not re.fullmatch(r"[A-Za-z0-9_+\-*/().,' =]+", text):
        return None
    if any(s not in ("'+'", "'-'", "'+-'") for s in re.findall(r"'[^']*'", text)) or text.count("'") % 2:
        return None
    names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
    if any(n not in _NAMES and n != "dir" and not (len(n) == 1 and n in _SYMBOLS) for n in names):
        return None
    from sympy.parsing.sympy_parser import parse_expr, standard_transformations
    try:
        expr = parse_expr(text, local_dict={**_NAMES, **{s: sp.Symbol(s) for s in _SYMBOLS}},
                          global_dict={"__builtins__": {}, **_PARSER}, transformations=standard_transformations,
                          evaluate=False)
        out = sp.latex(expr)
    except Exception:  # noqa: BLE001 - anything SymPy refuses is simply not printed
        return None
    return out if len(out) <= 2 * MAX_EXPR else None


def _claim_side(claim: str):
    """("left" | "right" | "infinity" | None, variable) of the limit a claim states (`\\lim_{z\\to0^-}`)."""
    m = re.search(r"\\lim_\{\s*([A-Za-z])\s*\\to\s*([^}]*)\}", claim or "")
    if not m:
        return None, None
    point = m.group(2).replace(" ", "")
    if "infty" in point:
        return "infinity", m.group(1)
    if re.search(r"\^\{?-", point):
        return "left", m.group(1)
    if re.search(r"\^\{?\+", point):
        return "right", m.group(1)
    return None, m.group(1)


def limit_method(claim: str, lhs: str) -> str:
    """"SymPy limit from the left ($z=-h$, $h\\to0^+$)" and what SymPy evaluated, from the step's own data."""
    side, var = _claim_side(claim)
    m = _LIMIT.match(str(lhs or "").strip())
    if m:
        point, direction, h = m.group("point"), m.group("dir"), m.group("var")
        if point in ("oo", "-oo"):
            text = "SymPy limit at $" + ("-" if point == "-oo" else "+") + "\\infty$"
        else:
            computed = "right" if direction == "+" else "left" if direction == "-" else "both sides"
            if side == "left" and direction == "+" and var and var != h:
                text = f"SymPy limit from the left (${var}=-{h}$, ${h}\\to{point}^+$)"
            elif side == "right" and direction == "+" and var and var != h:
                text = f"SymPy limit from the right (${var}={h}$, ${h}\\to{point}^+$)"
            elif computed == "both sides":
                text = "SymPy limit from both sides"
            else:
                text = f"SymPy limit from the {computed}"
        shown = sympy_latex(lhs)
        return text + (f", evaluating ${shown}$" if shown and len(shown) <= MAX_SHOWN else "")
    words = {"left": " from the left", "right": " from the right", "infinity": " at $\\infty$"}
    return "SymPy limit" + words.get(side, "")


# (pattern, LaTeX of the match): the phrasings of symbolic/ that hold formulas or code
_REWRITES = [
    (re.compile(r"\bdiff\((?P<f>[A-Za-z]+), (?P<v>[a-z]), (?P<k>[a-z])\)\((?P<a>\d+)\)/(?P=k)!"),
     lambda m: f"$\\mathrm{{{m['f']}}}^{{({m['k']})}}({m['a']})/{m['k']}!$"),
    (re.compile(r"\b(?P<p>[a-z])\*diff\((?P<f>sigma|gamma)\(\+-(?P=p)\), (?P=p)\)/(?P=f)\(\+-(?P=p)\)"),
     lambda m: f"$\\dfrac{{{m['p']}\\,\\frac{{d}}{{d{m['p']}}}\\{m['f']}(\\pm {m['p']})}}{{\\{m['f']}(\\pm {m['p']})}}$"),
    (re.compile(r"\b(?P<name>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)\((?P<args>[0-9a-z+\-*/, ]+(?:sqrt\(\d+\))?)\)"),
     lambda m: f"\\texttt{{{tt_break(m['name'])}}}$({_args(m['args'])})$"),
    (re.compile(r"\b(?P<f>sigma|gamma)\((?P<a>arg)\)"),
     lambda m: f"$\\{m['f']}(\\mathit{{{m['a']}}})$"),
    (re.compile(r"\b(?P<g>lambda|epsilon)\s*(?P<rel>>=|<=|>|<)\s*(?P<v>\d+)"),
     lambda m: "$\\" + {"lambda": "lambda", "epsilon": "varepsilon"}[m["g"]] +
     {">=": "\\ge ", "<=": "\\le ", ">": ">", "<": "<"}[m["rel"]] + m["v"] + "$"),
    (re.compile(r"\b(?P<code>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+(?:\(\))?|rewrite\(\w+\)|[a-z]{2,}(?:_[a-z]{2,})+)\b"),
     lambda m: f"\\texttt{{{tt_break(m['code'])}}}"),
    (re.compile(r"\b(?P<b>True|False)\b"), lambda m: m["b"].lower()),
    (re.compile(r"\bover Reals\b"), lambda m: "over $\\mathbb{R}$"),
    (re.compile(r"\bsympy\b(?!\.)"), lambda m: "SymPy"),
    (re.compile(r"(?<=\s)->(?=\s)"), lambda m: "$\\to$"),
    (re.compile(r"\|\|(?P<x>[A-Za-z0-9_^+\-*/(). ]+)\|\|(?P<p>\^\d)?"), lambda m: _norm(m)),
    (re.compile(r"\bsqrt (?P<n>\d+)\b"), lambda m: f"$\\sqrt{{{m['n']}}}$"),
]


def _norm(m) -> str:
    """||x||^2 as \\lVert x\\rVert^2 when the formula inside is safe, else escaped text."""
    out = "$\\lVert " + _math_of(m["x"]) + "\\rVert" + (m["p"] or "") + "$"
    return out if _math_ok(out) else latex_escape(m.group(0))


def _math_of(text: str) -> str:
    """A formula made of the whitelisted characters of the norm rewrite, in the notation of generator/paper.py."""
    from generator.paper import _math_of as math_of
    return math_of(text.strip())


def _args(text: str) -> str:
    """Arguments of a code call as math: `2m-1, z/sqrt(2)` -> `2m-1,\\ z/\\sqrt{2}`."""
    out = re.sub(r"sqrt\((\d+)\)", r"\\sqrt{\1}", text)
    return out.replace(", ", ",\\ ")


def _math_ok(latex: str) -> bool:
    """Every $...$ run of typeset text is safe for TeX: balanced braces, no ^^ character escape, no double
    sub/superscript."""
    runs = re.split(r"(?<!\\)\$", latex)
    if len(runs) % 2 == 0:
        return False
    for run in runs[1::2]:
        if "^^" in run or re.search(r"_\w*_|\^\w*\^", run):
            return False
        depth = 0
        for ch in re.sub(r"\\[{}]", "", run):
            depth += {"{": 1, "}": -1}.get(ch, 0)
            if depth < 0:
                return False
        if depth:
            return False
    return True


def typeset(segment: str) -> str:
    """Text from data with its formulas in math mode (the hypothesis typesetter of generator/paper.py); text that
    brings its own TeX ($, backslashes) or would give unsafe math is escaped as a whole instead."""
    from generator.latex import prose
    from generator.paper import _hypothesis_latex
    if "$" in segment or "\\" in segment or "^^" in segment:
        return prose(segment)
    out = _hypothesis_latex(segment)
    return out if _math_ok(out) else prose(segment)


def method_latex(method: str, claim: str = "", lhs: str = "", prose_math=None) -> str:
    """The method of one step as LaTeX. `prose_math` typesets the text between rewrites (default: `typeset`, which
    escapes everything it does not put in math mode)."""
    method = re.sub(r"\s+", " ", re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", str(method or ""))).strip()
    if method.startswith("sympy.limit"):
        return limit_method(claim, lhs)
    if prose_math is None:
        prose_math = typeset
    pieces, last = [], 0
    spans = []
    for pattern, render in _REWRITES:
        for m in pattern.finditer(method):
            if any(a < m.end() and m.start() < b for a, b, _ in spans):
                continue
            spans.append((m.start(), m.end(), render(m)))
    for start, end, latex in sorted(spans):
        pieces.append(_text(method[last:start], prose_math))
        pieces.append(latex)
        last = end
    pieces.append(_text(method[last:], prose_math))
    return "".join(pieces)


def note_latex(text) -> str:
    """A classifier note or refutation reason ("the degree argument needs k != 1", "\\sigma(0) != 0") as LaTeX."""
    text = re.sub(r"\\(sigma|gamma)(?![A-Za-z])", r"\1", str(text or ""))
    return method_latex(text)


def _text(segment: str, prose_math) -> str:
    """Text between rewrites, with its surrounding spaces kept (the typesetter trims them)."""
    if not segment:
        return ""
    core = segment.strip()
    lead = " " if segment[:1].isspace() else ""
    trail = " " if segment[-1:].isspace() else ""
    return lead + (prose_math(core) if core else "") + trail if core else (" " if segment.isspace() else "")


__all__ = ["method_latex", "limit_method", "sympy_latex", "latex_escape"]
