"""Rocq proofs: the audit output lists every linked theorem with library-only axioms, and
the build fails when an unfinished proof (Admitted) or a non-library axiom sneaks in."""
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from symbolic.paths import ROOT

PROOFS = ROOT / "proofs"

def _load_lint():
    """proofs/lint.py (stdlib only), loaded by path under a unique name."""
    spec = importlib.util.spec_from_file_location("proofs_lint", PROOFS / "lint.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lint = _load_lint()


def _rocq_map():
    with open(PROOFS / "rocq_map.toml", "rb") as fh:
        return tomllib.load(fh)


# The linked ids are the keys of rocq_map.toml (the single data file), so the
# list cannot drift from the proofs.
EXPECTED_IDS = set(_rocq_map())
ALLOWED_PREFIXES = ("Coq.", "mathcomp.", "Coquelicot.")


def _axioms_json():
    candidates = []
    if os.environ.get("ABSORB_BUILD"):
        candidates.append(Path(os.environ["ABSORB_BUILD"]) / "proofs" / "axioms.json")
    candidates.append(ROOT / "build" / "proofs" / "axioms.json")
    for c in candidates:
        if c.is_file():
            return c
    pytest.skip("build/proofs/axioms.json not built (run `make proofs` first)")


def _need_coq():
    if shutil.which("coqc") is None or shutil.which("coq_makefile") is None:
        pytest.skip("coqc / coq_makefile not installed (Debian package `coq`)")


def test_map_has_all_ids():
    mapping = _rocq_map()
    assert {"kinks", "farkas-certificate", "gram-hadamard"} <= set(mapping)
    assert all(v.startswith("SkipAbsorption.") for v in mapping.values())
    # every linked module is a compiled file of the development
    files = {p.name for p in lint.project_files(PROOFS)}
    for name in mapping.values():
        assert name.split(".")[1] + ".v" in files, name


def test_axioms_json_library_only():
    data = json.loads(_axioms_json().read_text())
    with open(PROOFS / "rocq_map.toml", "rb") as fh:
        mapping = tomllib.load(fh)
    assert EXPECTED_IDS <= set(data)
    for tid, entry in data.items():
        assert entry["rocq"] == mapping[tid]
        assert entry["statement"].strip(), tid
        for ax in entry["axioms"]:
            assert ax.startswith(ALLOWED_PREFIXES), (tid, ax)
    status = json.loads((_axioms_json().parent / "status.json").read_text())
    assert status["ok"] is True
    assert set(status["ids"]) == set(data)


def _copy_proofs(tmp_path):
    dst = tmp_path / "proofs"
    # keep compiled .vo files (copy2 keeps mtimes) so that only the edited file recompiles
    shutil.copytree(PROOFS, dst, ignore=shutil.ignore_patterns("Makefile.coq*", ".Makefile.coq.d"))
    return dst


def _make(dst, tmp_path, *extra):
    return subprocess.run(
        ["make", "-C", str(dst), f"BUILD={tmp_path / 'out'}", f"PYTHON={sys.executable}", *extra],
        capture_output=True, text=True, timeout=600)


def test_admitted_fails_build(tmp_path):
    _need_coq()
    dst = _copy_proofs(tmp_path)
    with open(dst / "Farkas.v", "a") as fh:
        fh.write("\nLemma cheat : False.\nAdmitted.\n")
    res = _make(dst, tmp_path)
    assert res.returncode != 0
    assert "forbidden" in (res.stdout + res.stderr)


def test_audit_rejects_non_library_axiom(tmp_path):
    """Even with the source grep disabled, Print Assumptions catches the admitted lemma."""
    _need_coq()
    dst = _copy_proofs(tmp_path)
    with open(dst / "Farkas.v", "a") as fh:
        fh.write("\nLemma cheat_lemma : False.\nAdmitted.\n"
                 "Theorem cheat_thm : (0 = 1)%N.\nProof. case: cheat_lemma. Qed.\n")
    mp = (dst / "rocq_map.toml").read_text().replace(
        '"SkipAbsorption.Farkas.farkas_certificate"', '"SkipAbsorption.Farkas.cheat_thm"')
    (dst / "rocq_map.toml").write_text(mp)
    res = _make(dst, tmp_path, "FORBIDDEN=__no_such_word__", "ROCQ_LINT=:")
    assert res.returncode != 0
    err = res.stdout + res.stderr
    assert "non-library axiom" in err and "cheat_lemma" in err
    status = json.loads((tmp_path / "out" / "status.json").read_text())
    assert status["ok"] is False


def _makefile_lint_files():
    """The files proofs/Makefile lints: $(VFILES), i.e. every source listed in _CoqProject."""
    text = (PROOFS / "Makefile").read_text().replace("\\\n", " ")
    line = next(ln for ln in text.splitlines() if ln.startswith("LINT_FILES ?="))
    files = line.split("?=", 1)[1].split()
    if files == ["$(VFILES)"]:
        files = [ln.strip() for ln in (PROOFS / "_CoqProject").read_text().splitlines() if ln.strip().endswith(".v")]
    return files


def test_lint_passes_on_linted_files():
    files = _makefile_lint_files()
    assert "Farkas.v" in files and "Stacks.v" in files
    problems = [p for f in files
                for p in lint.lint_text((PROOFS / f).read_text(encoding="utf-8"), f)]
    assert problems == []


@pytest.mark.parametrize("text, needle", [
    ("Lemma a : True.\nProof. " + "x" * 80 + ". Qed.\n", "columns"),
    ("Lemma a : True.\nProof.\nsplit.\nQed.\n", "by/exact/done"),
    ("Lemma a : True.\nProof.\nsplit;\n  apply: I.\nQed.\n", "by/exact/done"),
    ("Lemma a : True.\nAdmitted.\n", "forbidden"),
    ("Axiom a : False.\n", "forbidden"),
    ("Lemma a : True.\nProof. split. Qed.\n", "by/exact/done"),
])
def test_lint_catches(text, needle):
    problems = lint.lint_text(text, "t.v")
    assert any(needle in p for p in problems), problems


@pytest.mark.parametrize("text", [
    "Lemma a : True.\nProof. by []. Qed.\n",
    "Lemma a : True.\nProof.\nhave h : True.\n  by [].\nby case: h.\nQed.\n",
    "Lemma a : True.\nProof.\nsplit.\n- by [].\n- exact: I.\nQed.\n",
    "Lemma a : True.\nProof.\nby apply: foo\n  bar.\nQed.\n",
    "(* an admitted idea, Axiom in a comment *)\nDefinition x := 1.\n",
])
def test_lint_accepts(text):
    assert lint.lint_text(text, "t.v") == []


# --- coqchk: the kernel re-check of every compiled file (proofs/coqchk.py) ---

def _load_coqchk():
    """proofs/coqchk.py (stdlib only; imports proofs/audit.py), loaded by path."""
    sys.path.insert(0, str(PROOFS))
    try:
        spec = importlib.util.spec_from_file_location("proofs_coqchk", PROOFS / "coqchk.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(PROOFS))
    return module


coqchk = _load_coqchk()


def test_coqchk_ran_and_is_clean():
    """`make proofs` re-checked every file of _CoqProject with coqchk; only library axioms."""
    from symbolic.paths import BuildPaths
    if shutil.which("coqchk") is None:
        pytest.skip("coqchk not installed (Debian package `coq`)")
    base = Path(os.environ["ABSORB_BUILD"]) if os.environ.get("ABSORB_BUILD") else ROOT / "build"
    path = BuildPaths(base).coqchk_json
    if not path.is_file():
        pytest.skip("build/proofs/coqchk.json not built (run `make proofs` first)")
    data = json.loads(path.read_text())
    assert data["ok"] is True and data["returncode"] == 0
    assert data["files"] == _makefile_lint_files()
    assert data["version"].startswith("The Coq Proof Checker")
    assert all(ax.startswith(ALLOWED_PREFIXES) for ax in data["axioms"])
    assert data["unsafe"] == {}
    assert data["command"].startswith("coqchk -silent -o -Q proofs SkipAbsorption SkipAbsorption.Defs ")
    assert "-norec" not in data["command"] and "-admit" not in data["command"]


_SUMMARY = """
CONTEXT SUMMARY
===============

* Theory: Set is predicative

* Axioms:
    Coq.Logic.FunctionalExtensionality.functional_extensionality_dep
    {extra}

* Constants/Inductives relying on type-in-type: <none>

* Inductives whose positivity is assumed: <none>
"""


def test_coqchk_parse_summary():
    sections = coqchk.parse_summary(_SUMMARY.format(extra="Coq.Logic.Classical_Prop.classic"))
    assert sections["Axioms"] == ["Coq.Logic.FunctionalExtensionality.functional_extensionality_dep",
                                  "Coq.Logic.Classical_Prop.classic"]
    assert sections["Constants/Inductives relying on type-in-type"] == []
    assert coqchk.parse_summary("Error: no summary") == {}


@pytest.mark.parametrize("extra, rc, ok", [
    ("Coq.Logic.Classical_Prop.classic", 0, True),
    ("SkipAbsorption.Farkas.cheat_lemma", 0, False),   # a non-library axiom
    ("Coq.Logic.Classical_Prop.classic", 1, False),    # coqchk itself failed
])
def test_coqchk_verdict(tmp_path, extra, rc, ok):
    """coqchk.py's verdict on a stand-in checker that prints a given summary."""
    fake = tmp_path / "fakechk"
    (tmp_path / "summary.txt").write_text(_SUMMARY.format(extra=extra))
    fake.write_text(f"#!/bin/sh\ncat {tmp_path / 'summary.txt'}\nexit {rc}\n")
    fake.chmod(0o755)
    code = coqchk.main(["--build", str(tmp_path / "out"), "--coqchk", str(fake),
                        "--proofs", str(PROOFS)])
    data = json.loads((tmp_path / "out" / "coqchk.json").read_text())
    assert (code == 0) is ok and data["ok"] is ok
    assert extra in data["axioms"]
