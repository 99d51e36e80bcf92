"""Imports go downwards only (DESIGN.md): symbolic <- indexset <- checkpoints <- montecarlo <- absorb, and nothing
imports generator or absorb from below. Every import statement of every module is read (top-level and inside
functions), so a lazy import that climbs back up fails too."""
import ast

import pytest

from symbolic.paths import ROOT

ALLOWED = {
    "checker": {"checker"},  # the independent checker: standard library only (test_checker_imports_only_stdlib)
    "symbolic": {"symbolic"},
    "indexset": {"symbolic", "indexset", "checker"},
    "checkpoints": {"symbolic", "indexset", "checkpoints", "checker"},
    "montecarlo": {"symbolic", "indexset", "checkpoints", "montecarlo", "checker"},
    "generator": {"symbolic", "indexset", "checkpoints", "montecarlo", "generator", "checker"},
    "absorb": {"symbolic", "indexset", "checkpoints", "montecarlo", "generator", "absorb", "checker"},
}


def project_imports(path):
    """(line, top-level package) of every import of a project package in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in ALLOWED:
                yield node.lineno, top


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_go_downwards(package):
    bad = [f"{p.relative_to(ROOT)}:{line} imports {top}"
           for p in sorted((ROOT / package).rglob("*.py"))
           for line, top in project_imports(p) if top not in ALLOWED[package]]
    assert not bad, bad


def test_the_check_can_fail(tmp_path):
    f = tmp_path / "m.py"
    f.write_text("def f():\n    from absorb.cmd_certify import run\n")
    assert list(project_imports(f)) == [(2, "absorb")]


def test_checker_imports_only_stdlib():
    """checker/ shares no code with the solvers: every import is checker itself or the standard library."""
    import sys
    bad = []
    for path in sorted((ROOT / "checker").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else []
            bad += [f"{path.name}: {n}" for n in names
                    if n.split(".")[0] != "checker" and n.split(".")[0] not in sys.stdlib_module_names]
    assert not bad, bad
