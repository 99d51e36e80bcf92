#!/usr/bin/env python3
"""Audit of the Rocq proofs (stdlib only).

Reads rocq_map.toml (theorem id -> Rocq name), generates an audit file that Requires the
compiled development and runs `Check` and `Print Assumptions` on every linked theorem
(real compilation with coqc), resolves every reported axiom to its full logical path with
`Locate Term`, and writes <build>/axioms.json and <build>/status.json atomically and
deterministically.  Exits non-zero with one line on stderr if a theorem is missing or
depends on an axiom outside the Coq standard library, MathComp or Coquelicot.

usage: audit.py --build DIR [--coqc COQC] [--proofs DIR]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib

ALLOWED_PREFIXES = ("Coq.", "mathcomp.", "Coquelicot.")
LOGICAL_ROOT = "SkipAbsorption"
COQ_FLAGS = ["-w", "-notation-overridden,-ambiguous-paths"]


HEADERS = ("Axioms:", "Section Variables:", "Opaque constants:", "Transparent constants:")


class AuditError(Exception):
    pass


def write_json_atomic(path, obj):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    text = json.dumps(obj, sort_keys=True, indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".tmp-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load_map(path):
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    for key, val in data.items():
        if not isinstance(val, str) or not re.fullmatch(r"[A-Za-z_][\w.']*", val):
            raise AuditError(f"rocq_map.toml: bad Rocq name for {key!r}: {val!r}")
        if not val.startswith(LOGICAL_ROOT + "."):
            raise AuditError(f"rocq_map.toml: {key!r} is not under {LOGICAL_ROOT}: {val!r}")
    return data


def modules_of(mapping):
    mods = set()
    for name in mapping.values():
        parts = name.split(".")
        mods.add(".".join(parts[1:-1]))
    return sorted(mods)


def run_coqc(coqc, proofs, workdir, vfile):
    cmd = [coqc, *COQ_FLAGS, "-R", proofs, LOGICAL_ROOT, vfile]
    res = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True)
    if res.returncode != 0:
        msg = (res.stderr or res.stdout).strip().splitlines()
        first = next((ln for ln in msg if "Error" in ln), msg[-1] if msg else "unknown error")
        raise AuditError(f"coqc failed on {os.path.basename(vfile)}: {first.strip()}")
    return res.stdout


def header(mods):
    # Import the libraries (not our own modules) so that `Check` prints with the usual
    # MathComp notations; theorem names are always given fully qualified.
    return ("From mathcomp Require Import all_ssreflect all_algebra.\n"
            "Require Import Reals.\n"
            "From mathcomp.analysis Require Import Rstruct.\n"
            "Import GRing.Theory Num.Theory.\n"
            "Open Scope ring_scope.\n"
            f"From {LOGICAL_ROOT} Require " + " ".join(mods) + ".\n")


def parse_axioms(text):
    """Names listed by Print Assumptions (short names as printed)."""
    text = text.strip()
    if text.startswith("Closed under the global context"):
        return []
    names = []
    section = None
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line[0].isspace():
            if line.strip() in HEADERS:
                section = line.strip()[:-1]
                continue
            if section is None:
                raise AuditError(f"cannot parse Print Assumptions output: {line!r}")
            name = line.split()[0]
            if section != "Axioms":
                raise AuditError(f"unexpected assumption kind {section!r}: {name}")
            names.append(name)
    return names


def normalise(text):
    return " ".join(text.split())


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(here, "..", "build", "proofs"))
    ap.add_argument("--coqc", default="coqc")
    ap.add_argument("--proofs", default=here)
    args = ap.parse_args(argv)
    build = os.path.abspath(args.build)
    proofs = os.path.abspath(args.proofs)
    os.makedirs(build, exist_ok=True)
    status_path = os.path.join(build, "status.json")
    try:
        version = subprocess.run([args.coqc, "--version"], capture_output=True,
                                 text=True).stdout.strip().splitlines()
        version = version[0] if version else "unknown"
    except OSError:
        version = "missing"
    ids = []
    try:
        mapping = load_map(os.path.join(proofs, "rocq_map.toml"))
        ids = sorted(mapping)
        mods = modules_of(mapping)
        out = os.path.join(build, "audit-out")
        os.makedirs(out, exist_ok=True)
        for f in os.listdir(out):
            os.unlink(os.path.join(out, f))
        lines = [header(mods)]
        for k, tid in enumerate(ids):
            name = mapping[tid]
            lines.append(f'Redirect "audit-out/{k}_check" Check {name}.\n')
            lines.append(f'Redirect "audit-out/{k}_axioms" Print Assumptions {name}.\n')
        audit_v = os.path.join(build, "Audit.v")
        with open(audit_v, "w", encoding="utf-8") as fh:
            fh.writelines(lines)
        try:
            run_coqc(args.coqc, proofs, build, audit_v)
        except AuditError as exc:
            raise AuditError(f"a linked theorem is missing or ill-formed ({exc})") from None

        result = {}
        short = {}
        for k, tid in enumerate(ids):
            with open(os.path.join(out, f"{k}_check.out"), encoding="utf-8") as fh:
                check = fh.read()
            with open(os.path.join(out, f"{k}_axioms.out"), encoding="utf-8") as fh:
                axioms = parse_axioms(fh.read())
            short[tid] = axioms
            result[tid] = {"rocq": mapping[tid], "statement": normalise(check), "axioms": []}

        every = sorted({a for v in short.values() for a in v})
        full = {}
        if every:
            loc = [header(mods)]
            for k, a in enumerate(every):
                loc.append(f'Redirect "audit-out/loc_{k}" Locate Term {a}.\n')
            loc_v = os.path.join(build, "AuditLocate.v")
            with open(loc_v, "w", encoding="utf-8") as fh:
                fh.writelines(loc)
            run_coqc(args.coqc, proofs, build, loc_v)
            for k, a in enumerate(every):
                with open(os.path.join(out, f"loc_{k}.out"), encoding="utf-8") as fh:
                    first = fh.read().strip().splitlines()
                toks = first[0].split() if first else []
                if len(toks) < 2 or toks[0] not in ("Constant", "Inductive", "Constructor"):
                    raise AuditError(f"cannot resolve axiom {a!r}")
                full[a] = toks[1]
        bad = []
        for tid in ids:
            names = sorted({full[a] for a in short[tid]})
            result[tid]["axioms"] = names
            bad += [f"{tid}: {n}" for n in names if not n.startswith(ALLOWED_PREFIXES)]
        if bad:
            raise AuditError("non-library axiom(s): " + "; ".join(bad))
        write_json_atomic(os.path.join(build, "axioms.json"), result)
        write_json_atomic(status_path, {"coqc": version, "ok": True, "ids": ids})
        return 0
    except (AuditError, OSError, tomllib.TOMLDecodeError) as exc:
        # never leave an axioms.json behind that a later `make` could take as up to date
        stale = os.path.join(build, "axioms.json")
        if os.path.exists(stale):
            os.unlink(stale)
        write_json_atomic(status_path, {"coqc": version, "ok": False, "ids": ids,
                                        "error": str(exc)})
        print(f"audit: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
