"""The theorem registry (symbolic/theorems.toml): loading, validation and statuses computed from build outputs.

`python -m symbolic.theorems` writes build/symbolic/theorems.json: the registry in topological order, each entry
with its evidence links and a status per axis, computed from the files the build produced (never set by hand):

- sympy: "checked" if build/symbolic/derivations.json has the linked id with `verified` true and every step
  verified; "failed" if present but not verified; "not checked" if linked but missing; "n/a" if not linked.
- rocq:  "checked" if build/proofs/axioms.json has the id (its statement and axioms are copied); "not checked" if
  linked in proofs/rocq_map.toml but missing there (or the Rocq build reported failure); "n/a" otherwise.
- mc:    "checked" if every linked experiment build/mc/<exp>.json exists and passed for this id (its
  `checks[<id>].passed`, else the experiment-level `passed`); "failed" if any is false; "not checked" if missing.
- lean:  "stated" if the generated statement is present and fresh in lean/; "n/a" otherwise (never "checked").
- human: the blueprint tag (P full proof, S sketch, C conjecture).
"""
import os
import sys
import tomllib
from pathlib import Path

from symbolic.errors import InputError
from symbolic.io import read_json, write_json_atomic
from symbolic.paths import ROOT, build_dir as default_build_dir

REGISTRY_PATH = Path(__file__).with_name("theorems.toml")
ROCQ_MAP_PATH = ROOT / "proofs" / "rocq_map.toml"
LEAN_DIR = ROOT / "lean"

KINDS = ("definition", "lemma", "theorem", "proposition", "corollary", "counterexample", "conjecture")
TAGS = ("P", "S", "C")
EXPERIMENTS = ("measure-zero", "planted", "sinkhorn", "obstructions", "width")
REQUIRED = ("id", "kind", "title", "tag", "claim", "statement", "proof", "hypotheses", "uses")
OPTIONAL = ("lean", "lean_group", "lean_prop", "lean_scope", "sympy", "mc")

# The ids of the blueprint's "Stable ids" table plus the definitions of its section 1 (tests check coverage).
BLUEPRINT_IDS = (
    "def-block", "def-absorption", "def-index-condition", "def-generic", "def-homogeneity", "def-odd-even",
    "reduction", "reduction-depth", "hc-static", "degree", "flat", "bounded", "parity", "analytic-parity",
    "ridge-powers", "signed-vandermonde", "analytic-polynomial", "depth-flat", "depth-degree", "depth-bounded",
    "sign-flip", "rank-bound", "gated-sign-flip", "kinks", "relu-characterization", "class-identifiable",
    "odd-linear-characterization", "generic-iff", "relu-d1-counterexample", "minimal-width", "measure-zero",
    "sinkhorn-invertible", "gram-hadamard", "farkas-certificate", "full-rank-decision", "np-complete",
    "deep-relu-gelu",
)


# ----------------------------------------------------------------------------------------------------------------
# Loading and validation
# ----------------------------------------------------------------------------------------------------------------

def _validate_entry(table: dict, where: str) -> dict:
    if not isinstance(table, dict):
        raise InputError(f"{where}: expected a table")
    unknown = sorted(set(table) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise InputError(f"{where}: unknown field(s) {', '.join(unknown)}")
    for key in REQUIRED:
        if key not in table:
            raise InputError(f"{where}: missing field {key!r}")
    tid = table["id"]
    if not isinstance(tid, str) or not tid or not all(ch.isalnum() or ch == "-" for ch in tid):
        raise InputError(f"{where}: invalid id {tid!r} (letters, digits and '-')")
    where = f"{where} ({tid})"
    for key in ("title", "statement", "proof"):
        if not isinstance(table[key], str) or not table[key].strip():
            raise InputError(f"{where}: field {key!r} must be a non-empty string")
    if table["kind"] not in KINDS:
        raise InputError(f"{where}: kind must be one of {', '.join(KINDS)}, got {table['kind']!r}")
    if table["tag"] not in TAGS:
        raise InputError(f"{where}: tag must be one of P, S, C, got {table['tag']!r}")
    if not isinstance(table["claim"], int) or isinstance(table["claim"], bool) or not 0 <= table["claim"] <= 7:
        raise InputError(f"{where}: claim must be an integer 0..7, got {table['claim']!r}")
    for key in ("hypotheses", "uses"):
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise InputError(f"{where}: field {key!r} must be a list of strings")
    if len(set(table["uses"])) != len(table["uses"]):
        raise InputError(f"{where}: duplicate id in 'uses'")
    for key in ("lean", "lean_group", "lean_prop", "lean_scope", "sympy"):
        if key in table and (not isinstance(table[key], str) or not table[key].strip()):
            raise InputError(f"{where}: field {key!r} must be a non-empty string")
    mc = table.get("mc", [])
    if not isinstance(mc, list) or not all(isinstance(v, str) for v in mc):
        raise InputError(f"{where}: field 'mc' must be a list of experiment ids")
    bad = [e for e in mc if e not in EXPERIMENTS]
    if bad:
        raise InputError(f"{where}: unknown Monte Carlo experiment(s) {', '.join(bad)} (known: {', '.join(EXPERIMENTS)})")
    if "lean" in table:
        if not table["lean"].startswith("SkipAbsorption."):
            raise InputError(f"{where}: lean name must start with 'SkipAbsorption.', got {table['lean']!r}")
        if table["kind"] != "definition" and not ("lean_group" in table and "lean_prop" in table):
            raise InputError(f"{where}: a lean name needs 'lean_group' and 'lean_prop'")
    if ("lean_group" in table or "lean_prop" in table) and "lean" not in table:
        raise InputError(f"{where}: 'lean_group'/'lean_prop' given without 'lean'")
    if "lean_group" in table and not table["lean_group"].isidentifier():
        raise InputError(f"{where}: lean_group must be an identifier, got {table['lean_group']!r}")
    entry = {key: table[key] for key in REQUIRED}
    entry["statement"] = table["statement"].strip()
    entry["proof"] = table["proof"].strip()
    entry["lean"] = table.get("lean")
    entry["lean_group"] = table.get("lean_group")
    entry["lean_scope"] = table.get("lean_scope")
    entry["lean_prop"] = table["lean_prop"].strip("\n") if "lean_prop" in table else None
    entry["sympy"] = table.get("sympy")
    entry["mc"] = list(mc)
    return entry


def load_registry(path=None) -> list:
    """Validated registry entries in file order. Raises InputError naming the bad entry, duplicate id, unknown id in
    `uses` or a dependency cycle."""
    path = Path(path or REGISTRY_PATH)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read theorem registry {path}: {exc}") from None
    unknown = sorted(set(data) - {"theorem"})
    if unknown:
        raise InputError(f"{path.name}: unknown top-level key(s) {', '.join(unknown)}")
    tables = data.get("theorem", [])
    if not isinstance(tables, list) or not tables:
        raise InputError(f"{path.name}: no [[theorem]] entries")
    entries = [_validate_entry(t, f"{path.name}: theorem #{i + 1}") for i, t in enumerate(tables)]
    seen = set()
    for entry in entries:
        if entry["id"] in seen:
            raise InputError(f"{path.name}: duplicate theorem id {entry['id']!r}")
        seen.add(entry["id"])
    lean_names = [e["lean"] for e in entries if e["lean"]]
    dupes = sorted({n for n in lean_names if lean_names.count(n) > 1})
    if dupes:
        raise InputError(f"{path.name}: duplicate lean name(s) {', '.join(dupes)}")
    from symbolic.graph import build_graph  # validates `uses` and acyclicity

    build_graph(entries)
    return entries


def load_rocq_map(path=None) -> dict:
    """proofs/rocq_map.toml: `id = "SkipAbsorption.File.name"` lines (written by the Rocq side). Missing = empty."""
    path = Path(path or ROCQ_MAP_PATH)
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read Rocq map {path}: {exc}") from None
    out = {}
    for key, value in data.items():
        if not isinstance(value, str):
            raise InputError(f"{path.name}: value of {key!r} must be a string (a Rocq name)")
        out[key] = value
    return out


# ----------------------------------------------------------------------------------------------------------------
# Statuses from build outputs
# ----------------------------------------------------------------------------------------------------------------

def _read_json_or_none(path: Path):
    try:
        return read_json(path)
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None  # unreadable or half-written output counts as missing evidence


def _sympy_status(link, derivations) -> str:
    if not link:
        return "n/a"
    if not isinstance(derivations, dict) or link not in derivations:
        return "not checked"
    entry = derivations[link]
    if not isinstance(entry, dict):
        return "failed"
    steps = entry.get("steps", [])
    ok = entry.get("verified") is True and isinstance(steps, list) and all(
        isinstance(s, dict) and s.get("verified") is True for s in steps)
    return "checked" if ok else "failed"


def _mc_status(tid, experiments, mc_dir: Path):
    """Returns (status, runs) for the linked experiments."""
    if not experiments:
        return "n/a", []
    states, runs = [], []
    for exp in experiments:
        data = _read_json_or_none(mc_dir / f"{exp}.json")
        if not isinstance(data, dict):
            states.append("missing")
            runs.append({"experiment": exp, "passed": None, "samples": None, "seed": None, "detail": "not run"})
            continue
        check = (data.get("checks") or {}).get(tid) if isinstance(data.get("checks"), dict) else None
        if isinstance(check, dict) and isinstance(check.get("passed"), bool):
            passed, detail = check["passed"], str(check.get("detail", ""))
        elif isinstance(data.get("passed"), bool):
            passed, detail = data["passed"], "experiment-level result"
        else:
            passed, detail = None, "no result for this id"
        states.append("missing" if passed is None else ("pass" if passed else "fail"))
        runs.append({"experiment": exp, "passed": passed, "samples": data.get("samples"),
                     "seed": data.get("seed"), "detail": detail})
    if "fail" in states:
        return "failed", runs
    if "missing" in states:
        return "not checked", runs
    return "checked", runs


def _rocq_outputs(bdir: Path):
    """axioms.json as a dict, or {} when missing or when build/proofs/status.json says the Rocq build failed."""
    status = _read_json_or_none(bdir / "proofs" / "status.json")
    if isinstance(status, dict) and status.get("ok") is False:
        return {}
    axioms = _read_json_or_none(bdir / "proofs" / "axioms.json")
    return axioms if isinstance(axioms, dict) else {}


def build_registry(build_dir=None, registry_path=None, rocq_map_path=None, lean_dir=None) -> list:
    """The registry in topological order with evidence links and statuses computed from the build outputs under
    `build_dir` (default: symbolic.paths.build_dir(), i.e. $ABSORB_BUILD or <repo>/build). This is exactly the list
    that `python -m symbolic.theorems` writes to build/symbolic/theorems.json."""
    from symbolic import lean_export
    from symbolic.graph import build_graph, depths, topological_order

    bdir = Path(build_dir) if build_dir is not None else default_build_dir()
    entries = load_registry(registry_path)
    by_id = {e["id"]: e for e in entries}
    graph = build_graph(entries)
    depth = depths(graph)
    rocq_map = load_rocq_map(rocq_map_path)
    derivations = _read_json_or_none(bdir / "symbolic" / "derivations.json")
    axioms = _rocq_outputs(bdir)
    lean_info = lean_export.lean_statuses(entries, Path(lean_dir) if lean_dir else LEAN_DIR)

    out = []
    for tid in topological_order(graph):
        e = by_id[tid]
        rocq_entry = axioms.get(tid) if isinstance(axioms.get(tid), dict) else None
        rocq_name = rocq_map.get(tid) or (rocq_entry or {}).get("rocq")
        if rocq_entry is not None:
            rocq_status = "checked"
        elif tid in rocq_map:
            rocq_status = "not checked"
        else:
            rocq_status = "n/a"
        mc_status, mc_runs = _mc_status(tid, e["mc"], bdir / "mc")
        lean_status, lean_text = lean_info.get(tid, ("n/a", None))
        out.append({
            "id": tid,
            "kind": e["kind"],
            "title": e["title"],
            "tag": e["tag"],
            "claim": e["claim"],
            "statement": e["statement"],
            "proof": e["proof"],
            "hypotheses": list(e["hypotheses"]),
            "uses": list(e["uses"]),
            "depth": depth[tid],
            "lean": e["lean"],
            "rocq": rocq_name,
            "evidence": {"sympy": e["sympy"], "rocq": rocq_name, "lean": e["lean"], "mc": list(e["mc"])},
            "status": {
                "human": e["tag"],
                "sympy": _sympy_status(e["sympy"], derivations),
                "rocq": rocq_status,
                "lean": lean_status,
                "mc": mc_status,
            },
            "rocq_statement": (rocq_entry or {}).get("statement"),
            "rocq_axioms": list((rocq_entry or {}).get("axioms") or []) if rocq_entry else None,
            "lean_statement": lean_text,
            "lean_scope": e["lean_scope"],
            "mc_runs": mc_runs,
        })
    return out


def input_paths(build_dir=None) -> list:
    """Every file whose change can change theorems.json (used for freshness checks)."""
    bdir = Path(build_dir) if build_dir is not None else default_build_dir()
    paths = [REGISTRY_PATH, ROCQ_MAP_PATH, bdir / "symbolic" / "derivations.json",
             bdir / "proofs" / "axioms.json", bdir / "proofs" / "status.json"]
    paths += [bdir / "mc" / f"{exp}.json" for exp in EXPERIMENTS]
    paths += [Path(__file__), Path(__file__).with_name("lean_export.py")]
    if LEAN_DIR.exists():
        paths += sorted(LEAN_DIR.rglob("*.lean"))
    tdir = Path(__file__).with_name("templates") / "lean"
    if tdir.exists():
        paths += sorted(tdir.rglob("*"))
    return paths


def theorems_json_path(build_dir=None) -> Path:
    bdir = Path(build_dir) if build_dir is not None else default_build_dir()
    return bdir / "symbolic" / "theorems.json"


def load_or_build(build_dir=None) -> list:
    """theorems.json if it is newer than every input, else the statuses computed live (nothing is written)."""
    target = theorems_json_path(build_dir)
    if target.exists():
        mtime = target.stat().st_mtime
        newest = max((p.stat().st_mtime for p in input_paths(build_dir) if p.exists()), default=0)
        if mtime >= newest:
            data = _read_json_or_none(target)
            if isinstance(data, list) and all(isinstance(d, dict) and "id" in d for d in data):
                return data
    return build_registry(build_dir)


def write_theorems_json(build_dir=None) -> Path:
    target = theorems_json_path(build_dir)
    write_json_atomic(target, build_registry(build_dir))
    return target


def main(argv=None) -> int:
    try:
        target = write_theorems_json()
    except InputError as exc:
        sys.stderr.write(f"symbolic.theorems: error: {exc}\n")
        return 2
    entries = read_json(target)
    counts = {}
    for e in entries:
        for axis, value in e["status"].items():
            if axis != "human":
                counts.setdefault(axis, {}).setdefault(value, 0)
                counts[axis][value] += 1
    summary = "; ".join(f"{axis}: " + ", ".join(f"{v} {k}" for k, v in sorted(c.items()))
                        for axis, c in sorted(counts.items()))
    rel = os.path.relpath(target, Path.cwd()) if str(target).startswith(str(Path.cwd())) else str(target)
    print(f"wrote {rel} ({len(entries)} entries; {summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
