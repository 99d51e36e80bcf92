"""Lean 4 statement export: lean/ is generated from the theorem and activation registries with the Jinja2 templates
in symbolic/templates/lean/. Every result is a `def <Name> : Prop` (no `theorem`, no `sorry`); nothing is proved and
nothing here claims that the statements typecheck (no Lean toolchain is assumed).

Generated files (paths relative to lean/): lean-toolchain, lakefile.toml, README.md, SkipAbsorption.lean,
SkipAbsorption/Defs.lean, SkipAbsorption/Statements/<Group>.lean (one per `lean_group` of the registry) and
SkipAbsorption/Statements/Activations.lean (one instance statement per registry activation, where Mathlib has the
functions involved).
"""
import filecmp
import re
import tempfile
from pathlib import Path

import jinja2
import sympy as sp

from symbolic.errors import InputError
from symbolic.io import write_text_atomic

TEMPLATE_DIR = Path(__file__).with_name("templates") / "lean"
LEAN_VERSION = "v4.28.0"
MATHLIB_REV = "v4.28.0"
STATEMENTS_DIR = "SkipAbsorption/Statements"
DEFS_FILE = "SkipAbsorption/Defs.lean"
ACTIVATIONS_FILE = f"{STATEMENTS_DIR}/Activations.lean"


# ----------------------------------------------------------------------------------------------------------------
# Rendering helpers
# ----------------------------------------------------------------------------------------------------------------

def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def doc_text(text: str) -> str:
    """Make text safe inside a Lean doc comment: Lean block comments nest, so `/-` and `-/` must not occur."""
    text = text.strip().replace("-/", "- /").replace("/-", "/ -")
    return "\n".join(line.rstrip() for line in text.splitlines())


def _short(lean_name: str) -> str:
    return lean_name.split(".", 1)[1] if lean_name.startswith("SkipAbsorption.") else lean_name


def _indent_prop(prop: str) -> str:
    """The registry's `lean_prop` is written with its first line unindented and continuation lines indented relative
    to it; inside `def X : Prop :=` the whole block is indented by two spaces."""
    lines = prop.strip("\n").splitlines()
    return "\n".join([lines[0].strip()] + [("  " + line).rstrip() for line in lines[1:]])


def statement_chunks(entries) -> dict:
    """id -> the Lean text (docstring + def) generated for each non-definition entry that has a Lean name."""
    tmpl = _env().get_template("statement.lean.j2")
    chunks = {}
    for e in entries:
        if not e.get("lean") or e["kind"] == "definition":
            continue
        chunks[e["id"]] = tmpl.render(entry={
            "id": e["id"], "title": doc_text(e["title"]), "tag": e["tag"],
            "statement_doc": doc_text(e["statement"]), "short": _short(e["lean"]),
            "prop_indented": _indent_prop(e["lean_prop"]),
            "scope": doc_text(e["lean_scope"]) if e.get("lean_scope") else None,
        })
    return chunks


def _groups(entries) -> list:
    """[(group, [ids])] in order of first appearance in the registry."""
    groups = {}
    for e in entries:
        if e.get("lean") and e["kind"] != "definition":
            groups.setdefault(e["lean_group"], []).append(e["id"])
    if "Activations" in groups:
        raise InputError("lean_group 'Activations' is reserved for the activation instance statements")
    return list(groups.items())


def render_defs(entries) -> str:
    by_id = {e["id"]: e for e in entries}

    def doc(tid):
        if tid not in by_id:
            raise InputError(f"Defs.lean template refers to unknown registry id {tid!r}")
        e = by_id[tid]
        return f"{doc_text(e['title'])}.\n\n{doc_text(e['statement'])}\n\nAppendix label `{tid}`."

    return _env().get_template("Defs.lean.j2").render(doc=doc)


def render_statements(entries) -> dict:
    """relative path -> text for Defs.lean and the statement groups (everything except Activations.lean and the
    project files). Needs no SymPy, so statuses can be computed cheaply."""
    chunks = statement_chunks(entries)
    tmpl = _env().get_template("Statements.lean.j2")
    files = {DEFS_FILE: render_defs(entries)}
    for group, ids in _groups(entries):
        files[f"{STATEMENTS_DIR}/{group}.lean"] = tmpl.render(group=group, ids=ids, chunks=[chunks[i] for i in ids])
    return files


def render_all(entries=None, activations=None) -> dict:
    """relative path (under lean/) -> file text, for every generated file."""
    if entries is None:
        from symbolic.theorems import load_registry

        entries = load_registry()
    if activations is None:
        from symbolic.activations import load_activations

        activations = load_activations()
    env = _env()
    files = render_statements(entries)
    files[ACTIVATIONS_FILE] = render_activations(activations)
    groups = _groups(entries)
    modules = ["SkipAbsorption.Defs"] + [f"SkipAbsorption.Statements.{g}" for g, _ in groups]
    modules.append("SkipAbsorption.Statements.Activations")
    files["SkipAbsorption.lean"] = env.get_template("SkipAbsorption.lean.j2").render(modules=modules)
    files["lean-toolchain"] = env.get_template("lean-toolchain.j2").render(lean_version=LEAN_VERSION)
    files["lakefile.toml"] = env.get_template("lakefile.toml.j2").render(mathlib_rev=MATHLIB_REV)
    files["README.md"] = env.get_template("README.md.j2").render(
        mathlib_rev=MATHLIB_REV, groups=[{"name": g, "ids": ids} for g, ids in groups])
    for path, text in files.items():
        if re.search(r"\bsorry\b", text) or re.search(r"^\s*(private\s+)?theorem\b", text, re.M):
            raise InputError(f"generated {path} contains `sorry` or a `theorem` declaration")
    return dict(sorted(files.items()))


# ----------------------------------------------------------------------------------------------------------------
# Writing and checking
# ----------------------------------------------------------------------------------------------------------------

def _stale_generated(lean_dir: Path, files: dict) -> list:
    """Generated-looking files on disk that the registry no longer produces (only under Statements/)."""
    sdir = lean_dir / STATEMENTS_DIR
    if not sdir.exists():
        return []
    wanted = {lean_dir / p for p in files}
    return sorted(p for p in sdir.glob("*.lean") if p not in wanted)


def write_all(lean_dir: Path, files=None) -> list:
    """Write every generated file (atomically, only when its content changed); remove statement files that are no
    longer generated. Returns the relative paths that changed."""
    lean_dir = Path(lean_dir)
    files = files if files is not None else render_all()
    changed = []
    for rel, text in files.items():
        target = lean_dir / rel
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        write_text_atomic(target, text)
        changed.append(rel)
    for old in _stale_generated(lean_dir, files):
        old.unlink()
        changed.append(str(old.relative_to(lean_dir)))
    return changed


def check(lean_dir: Path, files=None):
    """Regenerate into a temporary directory and compare with lean_dir. Returns None if fresh, else the relative path
    of the first stale (differing, missing or extra) file."""
    lean_dir = Path(lean_dir)
    files = files if files is not None else render_all()
    with tempfile.TemporaryDirectory(prefix="absorb-lean-") as tmp:
        write_all(Path(tmp), files)
        for rel in files:
            committed = lean_dir / rel
            if not committed.exists() or not filecmp.cmp(committed, Path(tmp) / rel, shallow=False):
                return rel
    extra = _stale_generated(lean_dir, files)
    if extra:
        return str(extra[0].relative_to(lean_dir))
    return None


def _def_block(text: str, short: str):
    """The docstring + def of `short` in a rendered Defs.lean (up to the next blank line)."""
    m = re.search(rf"^def {re.escape(short)}\b", text, re.M)
    if not m:
        return None
    start = text.rfind("/--", 0, m.start())
    if start < 0 or "\n\n" in text[text.find("-/", start):m.start()]:
        start = m.start()
    end = text.find("\n\n", m.start())
    return text[start:end if end >= 0 else len(text)].rstrip() + "\n"


def lean_statuses(entries, lean_dir: Path) -> dict:
    """id -> (status, lean_text): "stated" when the generated def is present and fresh in lean_dir, else "n/a"."""
    lean_dir = Path(lean_dir)
    rendered = render_statements(entries)
    chunks = statement_chunks(entries)
    out = {}

    def disk(rel):
        path = lean_dir / rel
        try:
            return path.read_text(encoding="utf-8")
        except OSError:
            return None

    defs_disk = disk(DEFS_FILE)
    defs_fresh = defs_disk is not None and defs_disk == rendered[DEFS_FILE]
    for e in entries:
        if not e.get("lean"):
            out[e["id"]] = ("n/a", None)
            continue
        if e["kind"] == "definition":
            block = _def_block(rendered[DEFS_FILE], _short(e["lean"]))
            out[e["id"]] = ("stated", block) if (defs_fresh and block) else ("n/a", block)
            continue
        rel = f"{STATEMENTS_DIR}/{e['lean_group']}.lean"
        text = disk(rel)
        chunk = chunks[e["id"]]
        fresh = text is not None and text == rendered[rel] and defs_fresh
        out[e["id"]] = ("stated", chunk) if fresh else ("n/a", chunk)
    return out


# ----------------------------------------------------------------------------------------------------------------
# Activation instance statements: a small SymPy -> Lean printer
# ----------------------------------------------------------------------------------------------------------------

class Unsupported(Exception):
    """The expression uses a function Mathlib lacks (or the printer does not know)."""


# Functions Mathlib lacks that we state abstractly: name -> (Lean variable, hypotheses on it, what they say).
ABSTRACT_FUNCTIONS = {
    sp.erf: ("F", ["∀ u : ℝ, F (-u) = -F u", "∀ u : ℝ, |F u| ≤ 1"],
             "`F` stands for `erf`, which Mathlib lacks; the statement is made for every odd `F` with `|F| ≤ 1`"),
}

_SIMPLE_FUNCS = {sp.exp: "Real.exp", sp.log: "Real.log", sp.tanh: "Real.tanh", sp.sinh: "Real.sinh",
                 sp.cosh: "Real.cosh", sp.sin: "Real.sin", sp.cos: "Real.cos"}


class LeanPrinter:
    def __init__(self, var: str = "z"):
        self.var = var
        self.abstract = []  # abstract functions used, in order

    def atom(self, e) -> str:
        s = self.print(e)
        if isinstance(e, sp.Symbol) or e is sp.pi or (isinstance(e, sp.Integer) and e >= 0):
            return s
        if s.startswith("(") and _balanced(s):
            return s
        if s.startswith("|") and s.endswith("|") and s.count("|") == 2:
            return s
        return f"({s})"

    def print(self, e) -> str:
        if isinstance(e, sp.Symbol):
            return self.var
        if e is sp.pi:
            return "Real.pi"
        if e is sp.E:
            return "Real.exp 1"
        if isinstance(e, sp.Integer):
            return str(int(e)) if e >= 0 else f"(-{abs(int(e))})"
        if isinstance(e, sp.Rational):
            p, q = int(e.p), int(e.q)
            return f"({p} / {q} : ℝ)" if p >= 0 else f"(-({-p} / {q} : ℝ))"
        if isinstance(e, sp.Float):
            return self.print(sp.nsimplify(e, rational=True))
        if isinstance(e, sp.Add):
            terms = e.as_ordered_terms()
            positive = [t for t in terms if not t.as_coeff_Mul()[0].is_negative]
            if positive:  # start with a positive term: `z ^ 3 - z`, not `-z + z ^ 3`
                terms = [positive[0]] + [t for t in terms if t is not positive[0]]
            out = self.print(terms[0])
            for t in terms[1:]:
                coeff, rest = t.as_coeff_Mul()
                if coeff.is_negative:
                    out += " - " + self.atom_mul(-t)
                else:
                    out += " + " + self.print(t)
            return out
        if isinstance(e, sp.Mul):
            return self.print_mul(e)
        if isinstance(e, sp.Pow):
            return self.print_pow(e)
        if isinstance(e, sp.Abs):
            return f"|{self.print(e.args[0])}|"
        if isinstance(e, (sp.Max, sp.Min)):
            name = "max" if isinstance(e, sp.Max) else "min"
            args = sorted(e.args, key=lambda a: (a.is_number, sp.default_sort_key(a)))

            def fold(items):
                if len(items) == 1:
                    return self.atom(items[0])
                return f"({name} {self.atom(items[0])} {fold(items[1:])})"

            return fold(args)[1:-1]
        if isinstance(e, sp.Piecewise):
            return self.print_piecewise(e)
        if isinstance(e, sp.Function) and e.func in _SIMPLE_FUNCS:
            return f"{_SIMPLE_FUNCS[e.func]} {self.atom(e.args[0])}"
        if isinstance(e, sp.Function) and e.func in ABSTRACT_FUNCTIONS:
            var = ABSTRACT_FUNCTIONS[e.func][0]
            if e.func not in self.abstract:
                self.abstract.append(e.func)
            return f"{var} {self.atom(e.args[0])}"
        raise Unsupported(str(e.func))

    def atom_mul(self, e) -> str:
        s = self.print(e)
        if isinstance(e, (sp.Mul, sp.Symbol, sp.Function, sp.Pow)) or e is sp.pi:
            return s
        return s if isinstance(e, sp.Number) and e >= 0 else f"({s})"

    def print_mul(self, e) -> str:
        coeff, rest = e.as_coeff_Mul()
        if coeff.is_negative:
            return "-" + self.atom(-e)
        num, den = [], []
        if coeff != 1:
            if isinstance(coeff, sp.Rational) and not isinstance(coeff, sp.Integer):
                if coeff.p != 1:
                    num.append(sp.Integer(coeff.p))
                den.append(sp.Integer(coeff.q))
            else:
                num.append(coeff)
        for f in sp.Mul.make_args(rest):
            if isinstance(f, sp.Pow) and f.exp.is_negative:
                den.append(sp.Pow(f.base, -f.exp))
            else:
                num.append(f)
        num_s = " * ".join(self.atom(f) for f in num) if num else "1"
        if not den:
            return num_s
        den_s = " * ".join(self.atom(f) for f in den)
        return f"{num_s} / " + (self.atom(den[0]) if len(den) == 1 else f"({den_s})")

    def print_pow(self, e) -> str:
        base, ex = e.base, e.exp
        if base is sp.E:
            return f"Real.exp {self.atom(ex)}"
        if ex == sp.Rational(1, 2):
            return f"Real.sqrt {self.atom(base)}"
        if isinstance(ex, sp.Integer) and ex >= 0:
            return f"{self.atom(base)} ^ {int(ex)}"
        if isinstance(ex, sp.Integer) and ex < 0:
            return f"1 / {self.atom(sp.Pow(base, -ex))}"
        if isinstance(ex, sp.Rational) and ex.is_negative:
            return f"1 / {self.atom(sp.Pow(base, -ex))}"
        if isinstance(ex, sp.Rational):
            return f"{self.atom(base)} ^ (({int(ex.p)} / {int(ex.q)} : ℝ))"
        raise Unsupported(f"power {e}")

    def print_piecewise(self, e) -> str:
        *pieces, last = e.args
        if last.cond is not sp.true:
            raise Unsupported("Piecewise without a default branch")
        out = self.print(last.expr)
        for expr, cond in reversed(pieces):
            out = f"if {self.print_cond(cond)} then {self.print(expr)} else {out}"
        return out

    def print_cond(self, c) -> str:
        ops = {sp.StrictLessThan: "<", sp.LessThan: "≤", sp.StrictGreaterThan: ">", sp.GreaterThan: "≥",
               sp.Eq: "=", sp.Ne: "≠"}
        for cls, op in ops.items():
            if isinstance(c, cls):
                return f"{self.print(c.lhs)} {op} {self.print(c.rhs)}"
        if isinstance(c, sp.And):
            return " ∧ ".join(f"({self.print_cond(a)})" for a in c.args)
        if isinstance(c, sp.Or):
            return " ∨ ".join(f"({self.print_cond(a)})" for a in c.args)
        raise Unsupported(f"condition {c}")


def _balanced(s: str) -> bool:
    """True if the outer parentheses/bars of s enclose all of it (so it is safe as an atom)."""
    if s.startswith("("):
        depth = 0
        for i, ch in enumerate(s):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and i < len(s) - 1:
                return False
        return True
    return False


def to_lean(expr, var: str = "z"):
    """(Lean text, list of abstract functions used). Raises Unsupported for functions Mathlib lacks."""
    printer = LeanPrinter(var)
    text = printer.print(expr)
    return text, printer.abstract


def activation_property(act):
    """(kind, value) of the property the classifier certified for this activation, or (None, reason).

    The classifier is the single source of truth for verdicts: its certificate is what the Lean statement restates."""
    from symbolic.build import classify_cached

    result = classify_cached(act)
    argument = result["argument"]
    if argument == "parity":
        return "even", None
    if argument == "degree":
        k = sp.Rational(result["degree"])
        return ("homogeneous", k) if act.kind == "ungated" else ("homogeneous-gate", k - 1)
    if argument == "flat":
        return ("flat", None) if act.kind == "ungated" else ("flat-gate", None)
    if argument == "bounded":
        return "bounded", None
    if argument == "sign-flip":
        return "odd-linear", sp.Rational(result["c"])
    if argument == "gated-sign-flip":
        return "odd-shift-gate", sp.Rational(result["c"]) / 2
    if argument is None:
        return None, f"classifier verdict: {result['verdict']} (no result of the registry applies)"
    return None, f"classifier argument `{argument}` is stated abstractly in the registry's results"


def _lean_ident(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def activation_items(activations) -> list:
    """One dict per activation for Activations.lean.j2: either a statement or a skip comment."""
    items = []
    for act in activations:
        ident = _lean_ident(act.name)
        item = {"name": act.name, "ident": ident, "kind": act.kind, "expression": act.expression,
                "skip": None, "def": None, "prop": None, "doc": None}
        try:
            body, abstract = to_lean(act.expr)
        except Unsupported as exc:
            item["skip"] = f"uses `{exc}`, which has no Mathlib counterpart known to this exporter"
            items.append(item)
            continue
        prop_kind, value = activation_property(act)
        if prop_kind is None:
            item["skip"] = value
            items.append(item)
            continue
        fn = f"act_{ident}"
        if abstract:
            var, hyps, note = ABSTRACT_FUNCTIONS[abstract[0]]
            fn = f"(fun z : ℝ => {body})"
            binder = f"∀ {var} : ℝ → ℝ, " + "".join(f"({h}) → " for h in hyps)
            item["doc_extra"] = note
        else:
            item["def"] = f"def {fn} (z : ℝ) : ℝ :=\n  {body}"
            binder = ""
            item["doc_extra"] = None
        if prop_kind == "odd-linear":
            c_text, _ = to_lean(value)
            prop = f"OddLinear {fn} {c_text}"
            words = f"σ(z) − σ(−z) = c·z with c = {value}: the sign-flip class (appendix label `sign-flip`)"
        elif prop_kind == "even":
            prop = f"EvenFun {fn}"
            words = "σ is even: never absorbable (appendix label `parity`)"
        elif prop_kind == "homogeneous":
            k_text, _ = to_lean(value)
            prop = f"PosHomog {fn} {k_text}"
            words = f"σ is positively homogeneous of degree {value} (appendix labels `degree`, `depth-degree`)"
        elif prop_kind == "homogeneous-gate":
            k_text, _ = to_lean(value)
            prop = f"PosHomog {fn} {k_text}"
            words = (f"the gate is positively homogeneous of degree {value}, so the hidden map has degree {value + 1}"
                     " (appendix labels `degree`, `depth-degree`)")
        elif prop_kind == "flat":
            prop = f"FlatAct {fn}"
            words = "σ(0) = 0 and σ(z) = o(|z|): flat, never absorbable (appendix labels `flat`, `depth-flat`)"
        elif prop_kind == "bounded":
            prop = f"BoundedFun {fn}"
            words = "σ is bounded: never absorbable (appendix labels `bounded`, `depth-bounded`)"
        elif prop_kind == "flat-gate":
            prop = f"ContinuousAt {fn} 0 ∧ {fn} 0 = 0"
            words = "the gate is continuous at 0 with γ(0) = 0: flat, never absorbable (appendix label `flat`)"
        else:  # odd-shift-gate
            g0_text, _ = to_lean(value)
            prop = f"{fn} 0 = {g0_text} ∧ ∀ z : ℝ, {fn} (-z) - {fn} 0 = -({fn} z - {fn} 0)"
            words = (f"γ(0) = {value} ≠ 0 and γ − γ(0) is odd: sign-flip absorbable under the index condition "
                     "(appendix label `gated-sign-flip`)")
        item["prop"] = binder + prop
        item["doc"] = doc_text(f"Activation `{act.name}` ({act.kind}), registry expression `{act.expression}`: "
                               f"{words}.")
        items.append(item)
    return items


def render_activations(activations) -> str:
    return _env().get_template("Activations.lean.j2").render(items=activation_items(activations))
