"""Contract C5: a registry `latex` field is typeset inside math mode of the appendix, so it must not be able to do
anything but math. TeX can read files (`\\input`, `\\openin`, `\\read`), write them (`\\write`, `\\openout`), redefine
anything (`\\def`, `\\catcode`, `\\csname`) and smuggle any of that past a naive filter (`^^5cinput` is `\\input`).
So instead of refusing known-bad commands, `check_latex` accepts only an allow-list of math-mode commands and refuses
every other control sequence, the `^^` escape, characters that leave or break the surrounding math (`$`, `%`, `#`,
unbalanced braces) and control characters.

Examples:
    >>> check_latex(r"z\\,\\Phi(z)=\\tfrac z2\\bigl(1+\\operatorname{erf}(z/\\sqrt2)\\bigr)")
    >>> check_latex(r"\\input{/etc/passwd}")
    Traceback (most recent call last):
    ...
    symbolic.errors.InputError: latex: command \\input is not allowed (math-mode commands only)
"""
import re

from symbolic.errors import InputError

MAX_LATEX_LENGTH = 500

_GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi varpi rho "
          "varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon "
          "Phi Psi Omega")
_FUNCTIONS = "exp log ln lg sin cos tan cot sec csc sinh cosh tanh coth arcsin arccos arctan max min sup inf lim det"
_SYMBOLS = ("cdot cdotp times div pm mp le ge leq geq neq ne approx equiv sim simeq propto in notin to mapsto infty "
            "partial nabla prime ldots cdots dots vdots ddots odot otimes oplus circ ast star setminus cup cap "
            "forall exists mid vert Vert lvert rvert lVert rVert langle rangle lfloor rfloor lceil rceil "
            "sum prod int")
_LAYOUT = ("frac tfrac dfrac sqrt left right bigl bigr Bigl Bigr biggl biggr big Big bigg Bigg quad qquad "
           "displaystyle textstyle scriptstyle operatorname mathrm mathbf mathit mathsf mathtt mathbb mathcal "
           "boldsymbol text textrm hat tilde bar overline underline widehat widetilde vec dot ddot "
           "begin end")
ALLOWED_COMMANDS = frozenset(" ".join((_GREEK, _FUNCTIONS, _SYMBOLS, _LAYOUT)).split())
# control symbols: thin/medium/thick/negative spaces, escaped braces and bars, the line break inside cases
ALLOWED_SYMBOLS = frozenset(",;:! {}|\\")
ALLOWED_ENVIRONMENTS = frozenset(("cases", "matrix", "pmatrix", "bmatrix", "smallmatrix", "aligned"))

_CONTROL = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)
_FORBIDDEN_CHARACTERS = {"$": "a dollar sign (leaves math mode)", "%": "a comment character", "#": "a macro parameter"}


def check_latex(text) -> None:
    """Raise InputError naming the first refused command or character; return None if `text` is plain math."""
    if not isinstance(text, str):
        raise InputError("latex: must be a string")
    if len(text) > MAX_LATEX_LENGTH:
        raise InputError(f"latex: longer than {MAX_LATEX_LENGTH} characters")
    if "^^" in text:
        raise InputError("latex: the ^^ character escape is not allowed")
    for char in text:
        if char in _FORBIDDEN_CHARACTERS:
            raise InputError(f"latex: {_FORBIDDEN_CHARACTERS[char]} {char!r} is not allowed")
        if ord(char) < 32 or ord(char) == 127:
            raise InputError(f"latex: control character {char!r} is not allowed")
    for match in _CONTROL.finditer(text):
        name = match.group(1)
        if name.isalpha():
            if name not in ALLOWED_COMMANDS:
                raise InputError(f"latex: command \\{name} is not allowed (math-mode commands only)")
            if name in ("begin", "end"):
                env = re.match(r"\s*\{([^{}]*)\}", text[match.end():])
                if not env or env.group(1) not in ALLOWED_ENVIRONMENTS:
                    shown = env.group(1) if env else "?"
                    raise InputError(f"latex: environment {shown!r} is not allowed "
                                     f"(allowed: {', '.join(sorted(ALLOWED_ENVIRONMENTS))})")
        elif name not in ALLOWED_SYMBOLS:
            raise InputError(f"latex: control symbol \\{name} is not allowed")
    depth = 0
    for char in _CONTROL.sub("", text):  # escaped braces \{ \} do not count
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            raise InputError("latex: unbalanced braces (a '}' closes a group it did not open)")
    if depth:
        raise InputError("latex: unbalanced braces (a '{' is never closed)")
