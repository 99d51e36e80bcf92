"""The activation registry (symbolic/activations.toml): the single declaration every other artifact derives from."""
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import sympy as sp

from symbolic.errors import InputError
from symbolic.expr import parse_expression

REGISTRY_PATH = Path(__file__).with_name("activations.toml")
KINDS = ("ungated", "gated")
RESERVED_NAMES = {"activations", "derivations", "theorems"}  # file names used in build/symbolic/
_FIELDS = {"name", "kind", "expression", "latex", "aliases", "cite"}


@dataclass(frozen=True)
class Activation:
    name: str
    kind: str
    expression: str
    expr: sp.Expr = field(compare=False, repr=False)
    latex: str = ""
    aliases: tuple = ()
    cite: str = ""


def _activation_from_table(table: dict, where: str) -> Activation:
    unknown = set(table) - _FIELDS
    if unknown:
        raise InputError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for key in ("name", "kind", "expression"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise InputError(f"{where}: missing or empty field {key!r}")
    name = table["name"]
    if not name.replace("_", "").isalnum() or not name[0].isalpha() or name in RESERVED_NAMES:
        raise InputError(f"{where}: invalid activation name {name!r} (letters, digits, underscores; not reserved)")
    if table["kind"] not in KINDS:
        raise InputError(f"{where}: kind must be 'ungated' or 'gated', got {table['kind']!r}")
    try:
        expr = parse_expression(table["expression"])
    except InputError as exc:
        raise InputError(f"{where} ({name}): {exc}") from None
    return Activation(
        name=name,
        kind=table["kind"],
        expression=table["expression"],
        expr=expr,
        latex=table.get("latex", "") or sp.latex(expr),
        aliases=tuple(table.get("aliases", ())),
        cite=table.get("cite", ""),
    )


def load_activations(path=None) -> list:
    """All registry entries in file order; malformed entries raise InputError naming the entry."""
    path = Path(path or REGISTRY_PATH)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read activation registry {path}: {exc}") from None
    tables = data.get("activation", [])
    acts = [_activation_from_table(t, f"{path.name}: activation #{i + 1}") for i, t in enumerate(tables)]
    names = [a.name for a in acts]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError(f"{path.name}: duplicate activation name(s) {', '.join(dupes)}")
    return acts


def get_activation(name: str, path=None) -> Activation:
    """Look up by name or alias (case-insensitive for aliases)."""
    acts = load_activations(path)
    for act in acts:
        if act.name == name or name.lower() in (a.lower() for a in act.aliases) or act.name == name.lower():
            return act
    raise InputError(f"unknown activation {name!r} (see `absorb list`)")
