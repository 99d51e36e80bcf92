"""The theorem registry (symbolic/theorems.toml): loading, validation and statuses computed from build outputs.

`python -m symbolic.theorems` writes build/symbolic/theorems.json: the registry in topological order, each entry
with its evidence links and a status per axis, computed from the files the build produced (never set by hand):

- sympy: "checked" if build/symbolic/derivations.json has the linked id with `verified` true and every step
  verified; "failed" if present but not verified; "not checked" if linked but missing; "n/a" if not linked.
- rocq:  "checked" if build/proofs/axioms.json has the id (its statement and axioms are copied); "partial" instead
  when the registry gives a `rocq_scope` (the Rocq theorem proves less than the statement: the scope says what);
  "not checked" if linked in proofs/rocq_map.toml but missing there (or the Rocq build reported failure); "n/a"
  otherwise.
- mc:    "checked" if every linked experiment build/mc/<exp>.json exists and passed for this id (its
  `checks[<id>].passed`, else the experiment-level `passed`); "failed" if any is false; "not checked" if missing.
- lean:  "stated" if the generated statement is present and fresh in lean/; "n/a" otherwise (never "checked").
- human: the blueprint tag (P full proof, S sketch, C conjecture).

The registry also holds one [[claim]] table per claim 1..7 of the abstract (title, verdict, one-line correction),
read by `load_claims` for symbolic.coverage and the introduction. Paths come from symbolic.paths; the Lean statuses
from symbolic.lean.freshness, which never imports this module (the dependency runs one way).
"""
import os
import re
import sys
import tomllib
from pathlib import Path

from symbolic import paths
from symbolic.errors import InputError
from symbolic.graph import build_graph, depths, topological_order
from symbolic.io import read_json, write_json_atomic
from symbolic.lean.freshness import lean_statuses

REGISTRY_PATH = paths.THEOREM_REGISTRY
ROCQ_MAP_PATH = paths.ROCQ_MAP
LEAN_DIR = paths.LEAN_DIR

KINDS = ("definition", "lemma", "theorem", "proposition", "corollary", "counterexample", "conjecture")
TAGS = ("P", "S", "C")
REQUIRED = ("id", "kind", "title", "tag", "claim", "statement", "proof", "hypotheses", "uses")
OPTIONAL = ("lean", "lean_group", "lean_prop", "lean_scope", "rocq_scope", "sympy", "mc")
EXPERIMENT_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
CLAIM_FIELDS = ("number", "title", "verdict", "correction")
VERDICTS = ("agreed", "corrected", "strengthened", "open")

# The ids of the blueprint's "Stable ids" table plus the definitions of its section 1 (tests check coverage).
BLUEPRINT_IDS = (
    "def-block", "def-absorption", "def-index-condition", "def-generic", "def-homogeneity", "def-odd-even",
    "reduction", "reduction-depth", "hc-static", "degree", "flat", "bounded", "parity", "analytic-parity",
    "ridge-powers", "signed-vandermonde", "analytic-polynomial", "depth-flat", "depth-degree", "depth-bounded",
    "sign-flip", "rank-bound", "gated-sign-flip", "kinks", "relu-characterization", "class-identifiable",
    "odd-linear-characterization", "generic-iff", "relu-d1-counterexample", "minimal-width", "measure-zero",
    "sinkhorn-invertible", "gram-hadamard", "farkas-certificate", "full-rank-decision", "np-complete",
    "deep-relu-gelu", "linear",
    # biases and normalization; class identifiability of the activations people use; answers about given weights
    "sign-flip-bias", "kinks-affine", "relu-bias-characterization", "relu-bias-d1", "class-bias",
    "prenorm-impossible", "postnorm-projected", "derivative-criterion", "gelu-class-identifiable",
    "hardswish-class-identifiable", "partial-farkas", "storage-precision",
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
    for key in ("lean", "lean_group", "lean_prop", "lean_scope", "rocq_scope", "sympy"):
        if key in table and (not isinstance(table[key], str) or not table[key].strip()):
            raise InputError(f"{where}: field {key!r} must be a non-empty string")
    mc = table.get("mc", [])
    if not isinstance(mc, list) or not all(isinstance(v, str) for v in mc):
        raise InputError(f"{where}: field 'mc' must be a list of experiment ids")
    bad = [e for e in mc if not EXPERIMENT_ID.fullmatch(e)]
    if bad:
        raise InputError(f"{where}: invalid Monte Carlo experiment id(s) {', '.join(map(repr, bad))} "
                         "(lowercase letters, digits and '-')")
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
    entry["rocq_scope"] = table.get("rocq_scope")
    entry["lean_prop"] = table["lean_prop"].strip("\n") if "lean_prop" in table else None
    entry["sympy"] = table.get("sympy")
    entry["mc"] = list(mc)
    return entry


def _read_toml(path: Path) -> dict:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read theorem registry {path}: {exc}") from None
    unknown = sorted(set(data) - {"theorem", "claim"})
    if unknown:
        raise InputError(f"{path.name}: unknown top-level key(s) {', '.join(unknown)}")
    return data


def load_registry(path=None) -> list:
    """Validated registry entries in file order. Raises InputError naming the bad entry, duplicate id, unknown id in
    `uses` or a dependency cycle."""
    path = Path(path or REGISTRY_PATH)
    tables = _read_toml(path).get("theorem", [])
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
    build_graph(entries)  # validates `uses` and acyclicity
    return entries


def _validate_claim(table, where: str) -> dict:
    if not isinstance(table, dict):
        raise InputError(f"{where}: expected a table")
    unknown = sorted(set(table) - set(CLAIM_FIELDS))
    if unknown:
        raise InputError(f"{where}: unknown field(s) {', '.join(unknown)}")
    number = table.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 7:
        raise InputError(f"{where}: number must be an integer 1..7, got {number!r}")
    where = f"{where} (claim {number})"
    title = table.get("title")
    if not isinstance(title, str) or not title.strip():
        raise InputError(f"{where}: field 'title' must be a non-empty string")
    if table.get("verdict") not in VERDICTS:
        raise InputError(f"{where}: verdict must be one of {', '.join(VERDICTS)}, got {table.get('verdict')!r}")
    correction = table.get("correction")
    if table["verdict"] in ("corrected", "strengthened"):
        if not isinstance(correction, str) or not correction.strip() or "\n" in correction.strip():
            raise InputError(f"{where}: a {table['verdict']} claim needs a one-line 'correction'")
    elif correction is not None:
        raise InputError(f"{where}: 'correction' is only for corrected or strengthened claims")
    return {"number": number, "title": title.strip(), "verdict": table["verdict"],
            "correction": correction.strip() if correction else None}


def load_claims(path=None) -> list:
    """The [[claim]] tables, one per claim 1..7 of the abstract, sorted by number: {number, title, verdict
    (agreed | corrected | strengthened | open), correction (one line, or None when agreed/open)}."""
    path = Path(path or REGISTRY_PATH)
    tables = _read_toml(path).get("claim", [])
    if not isinstance(tables, list):
        raise InputError(f"{path.name}: [[claim]] must be an array of tables")
    claims = [_validate_claim(t, f"{path.name}: claim #{i + 1}") for i, t in enumerate(tables)]
    numbers = sorted(c["number"] for c in claims)
    if numbers != list(range(1, 8)):
        raise InputError(f"{path.name}: [[claim]] tables must cover claims 1..7 exactly once, got {numbers}")
    return sorted(claims, key=lambda c: c["number"])


def experiment_ids(entries=None) -> list:
    """The Monte Carlo experiment ids, in order of first appearance in the registry's `mc` links: the one list of
    experiments (montecarlo.experiments must implement exactly these; tests/test_theorems.py checks)."""
    entries = entries if entries is not None else load_registry()
    out = []
    for e in entries:
        out += [x for x in e["mc"] if x not in out]
    return out


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


def _mc_status(tid, experiments, built: "paths.BuildPaths"):
    """Returns (status, runs) for the linked experiments."""
    if not experiments:
        return "n/a", []
    states, runs = [], []
    for exp in experiments:
        data = _read_json_or_none(built.mc_json(exp))
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


def _rocq_outputs(built: "paths.BuildPaths"):
    """axioms.json as a dict, or {} when missing or when build/proofs/status.json says the Rocq build failed."""
    status = _read_json_or_none(built.proof_status_json)
    if isinstance(status, dict) and status.get("ok") is False:
        return {}
    axioms = _read_json_or_none(built.axioms_json)
    return axioms if isinstance(axioms, dict) else {}


def build_registry(build_dir=None, registry_path=None, rocq_map_path=None, lean_dir=None) -> list:
    """The registry in topological order with evidence links and statuses computed from the build outputs under
    `build_dir` (default: symbolic.paths.build_dir(), i.e. $ABSORB_BUILD or <repo>/build). This is exactly the list
    that `python -m symbolic.theorems` writes to build/symbolic/theorems.json."""
    built = paths.build(build_dir)
    entries = load_registry(registry_path)
    by_id = {e["id"]: e for e in entries}
    graph = build_graph(entries)
    depth = depths(graph)
    rocq_map = load_rocq_map(rocq_map_path)
    derivations = _read_json_or_none(built.derivations_json)
    axioms = _rocq_outputs(built)
    lean_info = lean_statuses(entries, Path(lean_dir) if lean_dir else LEAN_DIR)

    out = []
    for tid in topological_order(graph):
        e = by_id[tid]
        rocq_entry = axioms.get(tid) if isinstance(axioms.get(tid), dict) else None
        rocq_name = rocq_map.get(tid) or (rocq_entry or {}).get("rocq")
        if rocq_entry is not None:
            rocq_status = "partial" if e["rocq_scope"] else "checked"
        elif tid in rocq_map:
            rocq_status = "not checked"
        else:
            rocq_status = "n/a"
        mc_status, mc_runs = _mc_status(tid, e["mc"], built)
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
            "rocq_scope": e["rocq_scope"],
            "mc_runs": mc_runs,
        })
    return out


def input_paths(build_dir=None) -> list:
    """Every file whose change can change theorems.json (used for freshness checks)."""
    built = paths.build(build_dir)
    found = [REGISTRY_PATH, ROCQ_MAP_PATH, built.derivations_json, built.axioms_json, built.proof_status_json]
    found += [built.mc_json(exp) for exp in experiment_ids()]
    found += sorted(Path(__file__).parent.joinpath("lean").glob("*.py")) + [Path(__file__)]
    if LEAN_DIR.exists():
        found += sorted(LEAN_DIR.rglob("*.lean"))
    if paths.LEAN_TEMPLATES.exists():
        found += sorted(paths.LEAN_TEMPLATES.rglob("*"))
    return found


def theorems_json_path(build_dir=None) -> Path:
    return paths.build(build_dir).theorems_json


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
