"""Rendering lean/ from the theorem and activation registries with the Jinja2 templates in symbolic/templates/lean/.

Every result is a `def <Name> : Prop` (no `theorem`, no `sorry`): nothing is proved and nothing here claims that the
statements typecheck (no Lean toolchain is assumed). Generated files (paths relative to lean/): lean-toolchain,
lakefile.toml, README.md, SkipAbsorption.lean, SkipAbsorption/Defs.lean, SkipAbsorption/Statements/<Group>.lean (one
per `lean_group` of the registry) and SkipAbsorption/Statements/Activations.lean (one instance statement per registry
activation, where Mathlib has the functions involved).

This module takes the registry entries as arguments and never imports symbolic.theorems (which imports
symbolic.lean.freshness for the Lean statuses): the dependency runs one way.
"""
import re

import jinja2

from symbolic.errors import InputError
from symbolic.paths import LEAN_TEMPLATES

LEAN_VERSION = "v4.28.0"
MATHLIB_REV = "v4.28.0"
STATEMENTS_DIR = "SkipAbsorption/Statements"
DEFS_FILE = "SkipAbsorption/Defs.lean"
ACTIVATIONS_FILE = f"{STATEMENTS_DIR}/Activations.lean"


def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(LEAN_TEMPLATES)), autoescape=False,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined)


def doc_text(text: str) -> str:
    """Make text safe inside a Lean doc comment: Lean block comments nest, so `/-` and `-/` must not occur."""
    text = text.strip().replace("-/", "- /").replace("/-", "/ -")
    return "\n".join(line.rstrip() for line in text.splitlines())


def short_name(lean_name: str) -> str:
    """`SkipAbsorption.Foo` -> `Foo` (the name inside `namespace SkipAbsorption`)."""
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
            "statement_doc": doc_text(e["statement"]), "short": short_name(e["lean"]),
            "prop_indented": _indent_prop(e["lean_prop"]),
            "scope": doc_text(e["lean_scope"]) if e.get("lean_scope") else None,
        })
    return chunks


def groups(entries) -> list:
    """[(group, [ids])] in order of first appearance in the registry."""
    found = {}
    for e in entries:
        if e.get("lean") and e["kind"] != "definition":
            found.setdefault(e["lean_group"], []).append(e["id"])
    if "Activations" in found:
        raise InputError("lean_group 'Activations' is reserved for the activation instance statements")
    return list(found.items())


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
    for group, ids in groups(entries):
        files[f"{STATEMENTS_DIR}/{group}.lean"] = tmpl.render(group=group, ids=ids, chunks=[chunks[i] for i in ids])
    return files


def render_all(entries, activations) -> dict:
    """relative path (under lean/) -> file text, for every generated file. `entries`: symbolic.theorems.load_registry();
    `activations`: symbolic.activations.load_activations()."""
    env = _env()
    files = render_statements(entries)
    files[ACTIVATIONS_FILE] = render_activations(activations)
    found = groups(entries)
    modules = ["SkipAbsorption.Defs"] + [f"SkipAbsorption.Statements.{g}" for g, _ in found]
    modules.append("SkipAbsorption.Statements.Activations")
    files["SkipAbsorption.lean"] = env.get_template("SkipAbsorption.lean.j2").render(modules=modules)
    files["lean-toolchain"] = env.get_template("lean-toolchain.j2").render(lean_version=LEAN_VERSION)
    files["lakefile.toml"] = env.get_template("lakefile.toml.j2").render(mathlib_rev=MATHLIB_REV)
    files["README.md"] = env.get_template("README.md.j2").render(
        mathlib_rev=MATHLIB_REV, groups=[{"name": g, "ids": ids} for g, ids in found])
    for path, text in files.items():
        if re.search(r"\bsorry\b", text) or re.search(r"^\s*(private\s+)?theorem\b", text, re.M):
            raise InputError(f"generated {path} contains `sorry` or a `theorem` declaration")
    return dict(sorted(files.items()))


# ----------------------------------------------------------------------------------------------------------------
# Activation instance statements
# ----------------------------------------------------------------------------------------------------------------

def certified_argument(act):
    """(argument instance or None, classify result): the classifier is the single source of truth for verdicts; its
    certificate is what the Lean statement restates."""
    from symbolic.arguments import all_arguments
    from symbolic.build import classify_cached

    result = classify_cached(act)
    matches = [a for a in all_arguments(act.kind) if a.id == result["argument"]]
    return (matches[0] if matches else None), result


# Activations that Defs.lean defines once by name (GELU through Mathlib's Gaussian CDF, Hardswish), so that every
# statement about them, in Activations.lean and in the registry's lean_prop fields, uses the same definition.
DEFS_ACTIVATIONS = {"gelu": "gelu", "hardswish": "hardswish"}


def activation_items(activations) -> list:
    """One dict per activation for Activations.lean.j2: either a statement or a skip comment."""
    from symbolic.lean.printer import ABSTRACT_FUNCTIONS, Unsupported, lean_ident, to_lean  # SymPy only when needed

    items = []
    for act in activations:
        ident = lean_ident(act.name)
        item = {"name": act.name, "ident": ident, "kind": act.kind, "expression": act.expression,
                "skip": None, "def": None, "prop": None, "doc": None, "doc_extra": None}
        items.append(item)
        try:
            body, abstract = to_lean(act.expr)
        except Unsupported as exc:
            item["skip"] = f"uses `{exc}`, which has no Mathlib counterpart known to this exporter"
            continue
        argument, result = certified_argument(act)
        if argument is None:
            item["skip"] = f"classifier verdict: {result['verdict']} (no result of the registry applies)"
            continue
        prop = getattr(argument, "lean_property", None)
        if prop is None:
            item["skip"] = f"classifier argument `{argument.id}` is stated abstractly in the registry's results"
            continue
        if abstract:
            var, hyps, note = ABSTRACT_FUNCTIONS[abstract[0]]
            fn = f"(fun z : ℝ => {body})"
            binder = f"∀ {var} : ℝ → ℝ, " + "".join(f"({h}) → " for h in hyps)
            item["doc_extra"] = note
        elif act.name in DEFS_ACTIVATIONS:
            fn = DEFS_ACTIVATIONS[act.name]
            binder = ""
            item["doc_extra"] = (f"`{fn}` is `SkipAbsorption.{fn}` (Defs.lean), the registry expression printed as "
                                 f"`{body}`")
        else:
            fn = f"act_{ident}"
            item["def"] = f"def {fn} (z : ℝ) : ℝ :=\n  {body}"
            binder = ""
        text, words = prop.render(fn, result)
        item["prop"] = binder + text
        item["doc"] = doc_text(f"Activation `{act.name}` ({act.kind}), registry expression `{act.expression}`: "
                               f"{words}.")
    return items


def render_activations(activations) -> str:
    return _env().get_template("Activations.lean.j2").render(items=activation_items(activations))
