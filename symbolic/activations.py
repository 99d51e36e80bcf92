"""The activation registry (symbolic/activations.toml): the single declaration every other artifact derives from.

Every field is validated with a one-line InputError naming the entry, because a registry entry reaches file names
(build/symbolic/<name>.json), LaTeX (the `latex` field, see symbolic.latex_guard), the expression parser and the
alias lookup of `absorb classify`:
- name: `[a-z][a-z0-9_]{0,63}`, not a reserved build file name, unique; a name that is also a built-in function of
  the grammar (tanh, sigmoid, softplus, ...) must mean that function;
- kind: "ungated" or "gated";
- expression: the grammar of symbolic.expr; it may call the ungated entries defined *above* it (`silu(z)`), which
  rules out recursion by construction;
- latex: optional, math-mode commands from the allow-list of symbolic.latex_guard only;
- aliases: optional list of strings (`[A-Za-z0-9_.+^-]{1,64}`); no alias may collide, ignoring case, with another
  entry's name or alias;
- cite: optional plain-text string without TeX special characters.

Examples:
    >>> [a.name for a in load_activations()][:3]
    ['relu', 'leaky_relu', 'gelu']
    >>> get_activation("SiLU").expression
    'z*sigmoid(z)'
"""
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import sympy as sp

from symbolic.errors import InputError
from symbolic.expr import FUNCTIONS, Z, parse_expression
from symbolic.latex_guard import check_latex

REGISTRY_PATH = Path(__file__).with_name("activations.toml")
KINDS = ("ungated", "gated")
RESERVED_NAMES = {"activations", "derivations", "theorems", "coverage"}  # file names used in build/symbolic/
_FIELDS = {"name", "kind", "expression", "latex", "aliases", "cite"}
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,63}")
ALIAS_PATTERN = re.compile(r"[A-Za-z0-9_.+^-]{1,64}")
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
MAX_CITE_LENGTH = 300
MAX_ENTRIES = 1000
_TEX_SPECIALS = set("\\{}$%#^~&")


@dataclass(frozen=True)
class Activation:
    name: str
    kind: str
    expression: str
    expr: sp.Expr = field(compare=False, repr=False)
    latex: str = ""
    aliases: tuple = ()
    cite: str = ""


def _string(table, key, where, required):
    value = table.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        got = "missing" if value is None else f"a {type(value).__name__}" if not isinstance(value, str) else "empty"
        raise InputError(f"{where}: field {key!r} must be a non-empty string, got {got}")
    return value


def _aliases(table, where):
    value = table.get("aliases", [])
    if not isinstance(value, list):  # a bare string would be iterated character by character
        raise InputError(f"{where}: 'aliases' must be a list of strings, got a {type(value).__name__}")
    for alias in value:
        if not isinstance(alias, str):
            raise InputError(f"{where}: every alias must be a string, got {alias!r}")
        if not ALIAS_PATTERN.fullmatch(alias):
            raise InputError(f"{where}: invalid alias {alias[:70]!r} (1 to 64 of A-Z a-z 0-9 _ . + ^ -)")
    return tuple(value)


def _activation_from_table(table, where: str, functions: dict) -> Activation:
    if not isinstance(table, dict):
        raise InputError(f"{where}: must be a table")
    unknown = set(table) - _FIELDS
    if unknown:
        raise InputError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    name = _string(table, "name", where, required=True)
    if not NAME_PATTERN.fullmatch(name) or name in RESERVED_NAMES:
        raise InputError(f"{where}: invalid activation name {name[:70]!r} (1 to 64 of a-z 0-9 _, starting with a "
                         f"letter; not one of {', '.join(sorted(RESERVED_NAMES))})")
    where = f"{where} ({name})"
    kind = _string(table, "kind", where, required=True)
    if kind not in KINDS:
        raise InputError(f"{where}: kind must be 'ungated' or 'gated', got {kind[:70]!r}")
    expression = _string(table, "expression", where, required=True)
    latex = _string(table, "latex", where, required=False)
    cite = _string(table, "cite", where, required=False)
    aliases = _aliases(table, where)
    try:
        expr = parse_expression(expression, functions=functions)
        if latex:
            check_latex(latex)
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
    if name in FUNCTIONS and sp.simplify(expr - FUNCTIONS[name][0](Z)) != 0:
        raise InputError(f"{where}: the name {name!r} is a built-in function of the grammar; "
                         f"its expression must be {name}(z)")
    if len(cite) > MAX_CITE_LENGTH or any(c in _TEX_SPECIALS or ord(c) < 32 for c in cite):
        raise InputError(f"{where}: 'cite' must be plain text of at most {MAX_CITE_LENGTH} characters "
                         f"without TeX special characters \\ {{ }} $ % # ^ ~ &")
    return Activation(name=name, kind=kind, expression=expression, expr=expr, latex=latex or sp.latex(expr),
                      aliases=aliases, cite=cite)


def _check_collisions(acts, where):
    owner = {}
    for act in acts:
        for key in {act.name, *(alias.lower() for alias in act.aliases)}:
            if key in owner and owner[key] != act.name:
                raise InputError(f"{where}: '{key}' names both {owner[key]!r} and {act.name!r} "
                                 f"(names and aliases must be unique, ignoring case)")
            owner[key] = act.name


def _function_names(act):
    return [act.name] + [a for a in act.aliases if IDENTIFIER.fullmatch(a)]


def load_activations(path=None) -> list:
    """All registry entries in file order; malformed entries raise InputError naming the entry."""
    path = Path(path or REGISTRY_PATH)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read activation registry {path}: {str(exc).splitlines()[0]}") from None
    unknown = set(data) - {"activation"}
    if unknown:
        raise InputError(f"{path.name}: unknown top-level key(s) {', '.join(sorted(unknown))} "
                         f"(entries are [[activation]] tables)")
    tables = data.get("activation", [])
    if not isinstance(tables, list):
        raise InputError(f"{path.name}: 'activation' must be an array of tables ([[activation]])")
    if len(tables) > MAX_ENTRIES:
        raise InputError(f"{path.name}: more than {MAX_ENTRIES} entries")
    acts, functions = [], {}
    for i, table in enumerate(tables):
        act = _activation_from_table(table, f"{path.name}: activation #{i + 1}", dict(functions))
        if any(a.name == act.name for a in acts):
            raise InputError(f"{path.name}: duplicate activation name(s) {act.name}")
        acts.append(act)
        if act.kind == "ungated":
            for fname in _function_names(act):
                if fname not in FUNCTIONS:
                    functions.setdefault(fname, act.expr)
    _check_collisions(acts, path.name)
    return acts


_CACHE = {}


def registry_functions(path=None) -> dict:
    """{function name: expression in z} for the ungated entries (names and identifier aliases) of the registry:
    what makes `relu(z)` usable in expressions. Cached per file state."""
    path = Path(path or REGISTRY_PATH)
    try:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (str(path), None, None)
    if key not in _CACHE:
        functions = {}
        for act in load_activations(path):
            if act.kind == "ungated":
                for fname in _function_names(act):
                    if fname not in FUNCTIONS:
                        functions.setdefault(fname, act.expr)
        _CACHE.clear()
        _CACHE[key] = functions
    return _CACHE[key]


def get_activation(name: str, path=None) -> Activation:
    """Look up by name or alias (case-insensitive for aliases)."""
    acts = load_activations(path)
    for act in acts:
        if act.name == name or name.lower() in (a.lower() for a in act.aliases) or act.name == name.lower():
            return act
    raise InputError(f"unknown activation {name[:70]!r} (see `absorb list`)")

