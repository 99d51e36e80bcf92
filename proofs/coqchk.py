#!/usr/bin/env python3
"""Independent kernel check of the compiled Rocq development (stdlib only).

Runs `coqchk` (Coq's stand-alone proof checker, which re-checks the .vo files
without trusting coqc's elaboration) on every module listed in _CoqProject,
with SkipAbsorption mapped to the proofs directory (MathComp, MathComp-Analysis
and Coquelicot are found in coqchk's user-contrib like for coqc).  Every
dependency, library modules included, is re-checked (no -admit/-norec), so the
"Axioms" section of coqchk's context summary is the complete list of
assumptions of the development.  Writes <build>/coqchk.json atomically:
{"ok", "command", "files", "axioms", "version", "seconds", "output_tail"}.
Exits 1 with one line on stderr if coqchk fails or lists an axiom outside
Coq's standard library, MathComp or Coquelicot.

usage: coqchk.py --build DIR [--coqchk COQCHK] [--proofs DIR]
"""
import argparse
import os
import re
import subprocess
import sys
import time

from audit import ALLOWED_PREFIXES, LOGICAL_ROOT, write_json_atomic

SECTION_RE = re.compile(r"^\* (.+?):\s*(.*)$")


def project_modules(proofs):
    """The .v files of _CoqProject, in order, as logical module names."""
    with open(os.path.join(proofs, "_CoqProject"), encoding="utf-8") as fh:
        files = [ln.strip() for ln in fh if re.fullmatch(r"[A-Za-z0-9_]+\.v", ln.strip())]
    return files, [f"{LOGICAL_ROOT}.{f[:-2]}" for f in files]


def parse_summary(text):
    """Sections of coqchk's CONTEXT SUMMARY: name -> list of entries
    (an empty list for `<none>`)."""
    sections, current = {}, None
    if "CONTEXT SUMMARY" not in text:
        return sections
    for line in text.split("CONTEXT SUMMARY", 1)[1].splitlines():
        m = SECTION_RE.match(line.strip())
        if m:
            current = m.group(1)
            first = m.group(2).strip()
            sections[current] = [] if first in ("", "<none>") else [first]
        elif current and line.strip() and not line.strip().startswith("="):
            sections[current].append(line.strip())
    return sections


def version(coqchk):
    out = subprocess.run([coqchk, "--version"], capture_output=True, text=True)
    return out.stdout.strip() or out.stderr.strip()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--coqchk", default="coqchk")
    ap.add_argument("--proofs", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args(argv)
    proofs = os.path.abspath(args.proofs)
    files, modules = project_modules(proofs)
    command = [args.coqchk, "-silent", "-o", "-Q", proofs, LOGICAL_ROOT, *modules]
    out_path = os.path.join(args.build, "coqchk.json")
    start = time.monotonic()
    try:
        proc = subprocess.run(command, capture_output=True, text=True, cwd=proofs)
    except FileNotFoundError:
        print(f"coqchk: error: {args.coqchk} not found", file=sys.stderr)
        return 1
    seconds = round(time.monotonic() - start, 1)
    text = proc.stdout + proc.stderr
    summary = parse_summary(text)
    axioms = sorted(summary.get("Axioms", []))
    unsafe = {k: v for k, v in summary.items() if k != "Axioms" and k != "Theory" and v}
    bad = [a for a in axioms if not a.startswith(ALLOWED_PREFIXES)]
    ok = proc.returncode == 0 and "Axioms" in summary and not bad and not unsafe
    result = {
        "ok": ok,
        "command": " ".join(["coqchk", *command[1:3], "-Q", "proofs", *command[5:]]),
        "files": files,
        "axioms": axioms,
        "unsafe": unsafe,
        "theory": summary.get("Theory", []),
        "version": version(args.coqchk),
        "seconds": seconds,
        "returncode": proc.returncode,
        "output_tail": text[-2000:] if not ok else "",
    }
    write_json_atomic(out_path, result)
    if not ok:
        why = (f"exit status {proc.returncode}" if proc.returncode else
               f"non-library axioms {bad}" if bad else
               f"unsafe declarations {unsafe}" if unsafe else "no context summary")
        print(f"coqchk: error: {why} (see {out_path})", file=sys.stderr)
        return 1
    print(f"coqchk: {len(files)} files checked in {seconds} s; axioms: "
          f"{', '.join(axioms) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
