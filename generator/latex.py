"""LaTeX-safe Jinja2 environment, the `latex_escape` filter and the Lean 4 Unicode map for `listings`."""
import re
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"

_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "%": r"\%",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"\textquotedbl{}",
    "'": r"\textquotesingle{}",
    "`": r"\textasciigrave{}",
    "\n": " ",
    "\r": " ",
    "\t": " ",
}

# Unicode characters that may appear in data strings (activation names, notes): printable text in pdfLaTeX.
_TEXT_UNICODE = {
    "σ": r"\ensuremath{\sigma}", "γ": r"\ensuremath{\gamma}", "α": r"\ensuremath{\alpha}",
    "β": r"\ensuremath{\beta}", "κ": r"\ensuremath{\kappa}", "λ": r"\ensuremath{\lambda}",
    "ε": r"\ensuremath{\varepsilon}", "π": r"\ensuremath{\pi}", "μ": r"\ensuremath{\mu}",
    "≠": r"\ensuremath{\neq}", "≤": r"\ensuremath{\leq}", "≥": r"\ensuremath{\geq}",
    "→": r"\ensuremath{\to}", "×": r"\ensuremath{\times}", "·": r"\ensuremath{\cdot}",
    "⊙": r"\ensuremath{\odot}", "∈": r"\ensuremath{\in}", "ℝ": r"\ensuremath{\mathbb{R}}",
    "–": "--", "—": "---", "’": "'", "‘": "`", "“": "``", "”": "''", "…": r"\dots{}",
    "§": r"\S{}", "√": r"\ensuremath{\surd}", "∞": r"\ensuremath{\infty}", "≈": r"\ensuremath{\approx}",
    "Φ": r"\ensuremath{\Phi}", "Γ": r"\ensuremath{\Gamma}", "θ": r"\ensuremath{\theta}",
    "δ": r"\ensuremath{\delta}", "∘": r"\ensuremath{\circ}", "ℕ": r"\ensuremath{\mathbb{N}}",
    "⊆": r"\ensuremath{\subseteq}", "∑": r"\ensuremath{\sum}", "−": r"\ensuremath{-}", "é": r"\'{e}",
    "ö": "\\\"{o}", "ü": "\\\"{u}", "ä": "\\\"{a}",
    "²": r"\textsuperscript{2}", "³": r"\textsuperscript{3}", "±": r"\ensuremath{\pm}",
}


def latex_escape(value) -> str:
    """Escape any plain string from data so that it typesets literally in LaTeX text mode.

    Control characters are dropped; non-ASCII characters with no known rendering become `U+XXXX`, so no input
    string can break compilation or inject commands.
    """
    if value is None:
        return ""
    text = str(value)
    out = []
    for i, ch in enumerate(text):
        if ch == "-" and text[i + 1:i + 2] == "-":
            out.append("-{}")  # no -- / --- ligatures: data hyphens stay hyphens
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch in _TEXT_UNICODE:
            out.append(_TEXT_UNICODE[ch])
        elif ord(ch) < 32 or ord(ch) == 127:
            continue
        elif ord(ch) > 126:
            out.append(f"U+{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


_GREEK = {"sigma": "σ", "gamma": "γ", "alpha": "α", "beta": "β", "kappa": "κ", "lambda": "λ", "varepsilon": "ε",
          "epsilon": "ε", "pi": "π", "mu": "μ"}


def prose(value) -> str:
    """Escape a prose string from data that may name Greek letters as LaTeX commands (`\\sigma is odd`)."""
    text = re.sub(r"\\(varepsilon|epsilon|sigma|gamma|alpha|beta|kappa|lambda|pi|mu)(?![A-Za-z])",
                  lambda m: _GREEK[m.group(1)], "" if value is None else str(value))
    return latex_escape(text)


def tt_break(value) -> str:
    """Escaped text for \\texttt that may break after '.', '/' and '_' (long module paths, Rocq names)."""
    out = latex_escape(value)
    return re.sub(r"(\\_|\.|/)", lambda m: m.group(1) + r"\allowbreak{}", out)


def id_break(value) -> str:
    """Escaped id that may break after its hyphens (long ids in narrow table columns)."""
    return latex_escape(value).replace("-", "-\\allowbreak{}")


def latex_url(value) -> str:
    """Escape a string for use inside \\url{} / \\href{}: only the characters that break the argument."""
    text = "".join(ch for ch in str(value) if 32 <= ord(ch) < 127)
    return re.sub(r"([%#{}\\])", lambda m: "\\" + m.group(1) if m.group(1) != "\\" else "/", text)


# Lean 4 source -> listings `literate` replacements (pdfLaTeX cannot typeset these code points directly).
LEAN_UNICODE = [
    ("⬝ᵥ", r"$\cdot_v$", 2), ("*ᵥ", r"$*_v$", 2), ("ᵥ*", r"$_v*$", 2), ("⁻¹", r"$^{-1}$", 2),
    ("∀", r"$\forall$", 1), ("∃", r"$\exists$", 1), ("→", r"$\to$", 1), ("←", r"$\leftarrow$", 1),
    ("↔", r"$\leftrightarrow$", 1), ("≠", r"$\neq$", 1), ("≤", r"$\leq$", 1), ("≥", r"$\geq$", 1),
    ("σ", r"$\sigma$", 1), ("γ", r"$\gamma$", 1), ("α", r"$\alpha$", 1), ("β", r"$\beta$", 1),
    ("κ", r"$\kappa$", 1), ("ε", r"$\varepsilon$", 1), ("δ", r"$\delta$", 1), ("μ", r"$\mu$", 1),
    ("ν", r"$\nu$", 1), ("π", r"$\pi$", 1), ("θ", r"$\theta$", 1), ("φ", r"$\varphi$", 1),
    ("ψ", r"$\psi$", 1), ("ρ", r"$\rho$", 1), ("τ", r"$\tau$", 1), ("ω", r"$\omega$", 1),
    ("ι", r"$\iota$", 1), ("η", r"$\eta$", 1), ("ξ", r"$\xi$", 1), ("χ", r"$\chi$", 1),
    ("Σ", r"$\Sigma$", 1), ("Π", r"$\Pi$", 1), ("Λ", r"$\Lambda$", 1),
    ("λ", r"$\lambda$", 1), ("ℝ", r"$\mathbb{R}$", 1), ("ℕ", r"$\mathbb{N}$", 1), ("ℤ", r"$\mathbb{Z}$", 1),
    ("ℚ", r"$\mathbb{Q}$", 1), ("ℂ", r"$\mathbb{C}$", 1), ("∑", r"$\sum$", 1), ("∏", r"$\prod$", 1),
    ("∈", r"$\in$", 1), ("∉", r"$\notin$", 1), ("⬝", r"$\cdot$", 1), ("ᵥ", r"$_v$", 1), ("ᵀ", r"$^\top$", 1),
    ("∘", r"$\circ$", 1), ("⁻", r"$^-$", 1), ("¹", r"$^1$", 1), ("²", r"$^2$", 1), ("ᶜ", r"$^c$", 1),
    ("⟨", r"$\langle$", 1), ("⟩", r"$\rangle$", 1), ("∧", r"$\wedge$", 1), ("∨", r"$\vee$", 1),
    ("¬", r"$\neg$", 1), ("•", r"$\bullet$", 1), ("·", r"$\cdot$", 1), ("×", r"$\times$", 1),
    ("⊆", r"$\subseteq$", 1), ("⊂", r"$\subset$", 1), ("∩", r"$\cap$", 1), ("∪", r"$\cup$", 1),
    ("∅", r"$\emptyset$", 1), ("↑", r"$\uparrow$", 1), ("⇑", r"$\Uparrow$", 1), ("↦", r"$\mapsto$", 1),
    ("⦃", r"$\{\!|$", 2), ("⦄", r"$|\!\}$", 2), ("‖", r"$\|$", 1), ("∣", r"$\mid$", 1),
    ("≃", r"$\simeq$", 1), ("≈", r"$\approx$", 1), ("≡", r"$\equiv$", 1), ("∞", r"$\infty$", 1),
    ("⊤", r"$\top$", 1), ("⊥", r"$\bot$", 1), ("⇒", r"$\Rightarrow$", 1), ("⊗", r"$\otimes$", 1),
    ("⊕", r"$\oplus$", 1), ("∂", r"$\partial$", 1), ("∫", r"$\int$", 1), ("⌊", r"$\lfloor$", 1),
    ("⌋", r"$\rfloor$", 1), ("⌈", r"$\lceil$", 1), ("⌉", r"$\rceil$", 1), ("∖", r"$\setminus$", 1),
    ("₀", r"$_0$", 1), ("₁", r"$_1$", 1), ("₂", r"$_2$", 1), ("ᵢ", r"$_i$", 1), ("ⱼ", r"$_j$", 1),
    ("ₙ", r"$_n$", 1), ("…", r"$\dots$", 1), ("⋆", r"$\star$", 1), ("⊙", r"$\odot$", 1),
    ("≪", r"$\ll$", 1), ("≫", r"$\gg$", 1), ("∗", r"$*$", 1), ("⊢", r"$\vdash$", 1),
]
_LEAN_KNOWN = {ch for key, _, _ in LEAN_UNICODE for ch in key}


def lean_literate() -> str:
    """The `literate` option of the Lean 4 `listings` language, generated from LEAN_UNICODE."""
    return " ".join(f"{{{key}}}{{{{{tex}}}}}{width}" for key, tex, width in LEAN_UNICODE)


def lean_source(text) -> str:
    """Lean source for a listings block: code points without a `literate` rendering become `U+XXXX`."""
    if not text:
        return ""
    out = []
    for ch in str(text):
        if ord(ch) < 128 or ch in _LEAN_KNOWN:
            out.append(ch if ch not in "\r" else "")
        else:
            out.append(f"U+{ord(ch):04X}")
    src = "".join(out).replace("\t", "  ")
    # A listings environment ends at the first \end{lstlisting}; never let data end it early.
    return src.replace("\\end{lstlisting}", "\\end {lstlisting}")


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        block_start_string="((*",
        block_end_string="*))",
        variable_start_string="(((",
        variable_end_string=")))",
        comment_start_string="((#",
        comment_end_string="#))",
        line_statement_prefix=None,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["e"] = latex_escape
    env.filters["latex_escape"] = latex_escape
    env.filters["url"] = latex_url
    env.filters["prose"] = prose
    env.filters["tt"] = tt_break
    env.filters["lean"] = lean_source
    env.filters["idbreak"] = id_break
    return env


# --- registry `latex` fields -------------------------------------------------------------------------------------
# Fallback for contract C5 until `symbolic.latex_guard` (written by another part of the project) is present: the
# same promise, an allow-list of math-mode commands, so a registry entry cannot reach TeX primitives that read or
# write files (\input, \openin, \pdfobj, ...) or change how TeX reads the rest of the document (\catcode, \def).
MATH_COMMANDS = frozenset("""
alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi varpi rho varrho
sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega
max min log ln exp tanh sinh cosh sin cos tan arctan sgn operatorname mathrm mathbf mathit mathbb mathcal
frac tfrac dfrac sqrt bigl bigr Bigl Bigr left right big Big cdot times odot circ pm mp le leq ge geq ne neq
lvert rvert lVert rVert vert Vert langle rangle lfloor rfloor lceil rceil infty partial to mapsto quad qquad
text ldots cdots dots mid prime top
""".split())
MATH_SYMBOL_COMMANDS = frozenset(",;:! {}|")
REFUSED_CHARACTERS = {"%": "% (comment)", "#": "# (macro parameter)", "$": "$ (math shift)", "&": "& (alignment)",
                      "~": "~ (active character)"}


def _fallback_check_latex(text: str) -> None:
    from symbolic.errors import InputError
    text = str(text)
    if "^^" in text:
        raise InputError("latex field refused: ^^ character escapes are not allowed")
    for ch, what in REFUSED_CHARACTERS.items():
        if ch in text.replace("\\" + ch, ""):
            raise InputError(f"latex field refused: {what} is not allowed in a math formula")
    for m in re.finditer(r"\\([A-Za-z@]+|.?)", text):
        name = m.group(1)
        if name in MATH_COMMANDS or (len(name) == 1 and name in MATH_SYMBOL_COMMANDS):
            continue
        raise InputError(f"latex field refused: \\{name} is not an allowed math-mode command")
    depth = 0
    for ch in re.sub(r"\\[{}]", "", text):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            break
    if depth != 0:
        raise InputError("latex field refused: unbalanced braces")


def check_registry_latex(text, where: str) -> str:
    """Return a registry `latex` field unchanged after the contract-C5 allow-list check, or raise InputError
    naming the entry and the refused command. Uses `symbolic.latex_guard.check_latex` when it exists."""
    from symbolic.errors import InputError
    try:
        from symbolic.latex_guard import check_latex
    except ImportError:
        check_latex = _fallback_check_latex
    try:
        check_latex(str(text))
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
    return str(text)
