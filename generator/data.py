"""Read everything the appendix shows from build/ (see docs/ARCHITECTURE.md). Missing parts become None, never
invented values; a file that exists but cannot be parsed is an InputError naming it."""
import csv
import json
import os
import re
from pathlib import Path

from symbolic.errors import InputError
from symbolic.paths import build as build_paths
from symbolic.theorems import experiment_ids

STATUS_AXES = ["human", "sympy", "rocq", "lean", "mc"]
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,80}")


def _load(path: Path, required=False):
    if not path.exists():
        if required:
            raise InputError(
                f"{path} is missing: run `make` (or `python -m symbolic.theorems`) before `absorb appendix`")
        return None
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read {path}: {exc}".splitlines()[0]) from None


def read_csv(path: Path):
    """(header, rows as dicts of strings) or None when the file is missing or empty."""
    if not path.exists():
        return None
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            header = list(reader.fieldnames or [])
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}".splitlines()[0]) from None
    if not header:
        return None
    return header, rows


def _as_list(value):
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v not in (None, "")]
    return [value]


def load_theorems(build: Path):
    path = build_paths(build).theorems_json
    data = _load(path, required=True)
    if not isinstance(data, list):
        raise InputError(f"{path} must hold a list of theorem objects")
    out = []
    for i, t in enumerate(data):
        if not isinstance(t, dict) or not t.get("id"):
            raise InputError(f"theorems.json entry {i} has no id")
        if not ID_RE.fullmatch(str(t["id"])):
            raise InputError(f"theorems.json entry {i} has an invalid id {str(t['id'])[:40]!r} "
                             "(letters, digits, '-', '_', '.', ':' only)")
        status = dict(t.get("status") or {})
        for axis in STATUS_AXES:
            status.setdefault(axis, "not checked" if axis != "lean" else "n/a")
        evidence = {k: _as_list(v) for k, v in (t.get("evidence") or {}).items()}
        out.append({
            "id": str(t["id"]),
            "kind": str(t.get("kind") or "theorem").lower(),
            "title": str(t.get("title") or t["id"]),
            "tag": str(t.get("tag") or ""),
            "claim": int(t.get("claim") or 0),
            "statement": t.get("statement") or "",
            "proof": t.get("proof") or "",
            "hypotheses": _as_list(t.get("hypotheses")),
            "uses": [str(u) for u in _as_list(t.get("uses")) if ID_RE.fullmatch(str(u))],
            "depth": int(t.get("depth") or 0),
            "evidence": evidence,
            "status": status,
            "rocq_statement": t.get("rocq_statement") or "",
            "rocq_axioms": t.get("rocq_axioms"),
            "lean_statement": t.get("lean_statement") or "",
            "lean_scope": t.get("lean_scope") or "",
            "rocq_scope": t.get("rocq_scope") if isinstance(t.get("rocq_scope"), str) else None,
            "mc_runs": t.get("mc_runs") if isinstance(t.get("mc_runs"), list) else [],
        })
    return out


def load_inputs(build: Path):
    """Everything under build/ that the appendix uses, as plain Python data."""
    build = Path(build)
    paths = build_paths(build)
    inputs = {
        "theorems": load_theorems(build),
        "activations": _load(paths.activations_json) or [],
        "derivations": _load(paths.derivations_json) or {},
        "axioms": _load(paths.axioms_json) or {},
        "proof_status": _load(paths.proof_status_json) or {},
        "mc": {},
    }
    known = experiment_ids()  # the registry's `mc` links, in registry order
    extra = sorted(p.stem for p in paths.mc.glob("*.json") if p.stem not in known) if paths.mc.is_dir() else []
    for exp in known + extra:
        meta = _load(paths.mc_json(exp))
        table = read_csv(paths.mc_csv(exp))
        if meta is None and table is None:
            inputs["mc"][exp] = None
            continue
        inputs["mc"][exp] = {"meta": meta if isinstance(meta, dict) else {}, "csv": table,
                             "csv_path": paths.mc_csv(exp), "distances": read_csv(paths.mc_distances_csv(exp))}
    inputs["mc_paper"] = _load_paper(build)
    inputs["coverage"] = _checked(_load(paths.coverage_json))
    inputs["minilm"] = _checked(_load(paths.minilm_json))
    inputs["coqchk"] = _checked(_load(paths.proofs / "coqchk.json"))
    inputs["continuity"] = _checked(_load(paths.continuity_json))
    return inputs


def _checked(data):
    """A contract-C3 file as a dict, or None when it is missing or not an object. A file with
    "status": "not checked" is kept: its "reason" is shown."""
    return data if isinstance(data, dict) else None


def _load_paper(build: Path):
    """`make mc-paper` output: build/mc/paper/measure-zero.{json,csv} and its per-draw distances, or None."""
    paths = build_paths(build)
    meta = _load(paths.mc_paper_json("measure-zero"))
    table = read_csv(paths.mc_paper_csv("measure-zero"))
    if meta is None and table is None:
        return None
    return {"meta": meta if isinstance(meta, dict) else {}, "csv": table,
            "csv_path": paths.mc_paper_csv("measure-zero"),
            "distances": read_csv(paths.mc_paper_distances_csv("measure-zero"))}


def source_date_epoch(root: Path) -> int:
    """SOURCE_DATE_EPOCH, else the last commit time, else 0 (never the wall clock)."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value and value.strip().isdigit():
        return int(value.strip())
    import subprocess
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True,
                             timeout=20)
        if out.returncode == 0 and out.stdout.strip().isdigit():
            return int(out.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return 0


def git_info(root: Path):
    import subprocess

    def run(*args):
        try:
            out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=20)
            return out.stdout.strip() if out.returncode == 0 else ""
        except (OSError, subprocess.SubprocessError):
            return ""
    return {"version": run("describe", "--tags", "--always") or "unknown",
            "commit": run("rev-parse", "HEAD") or "unknown"}
