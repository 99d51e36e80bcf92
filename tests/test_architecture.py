"""docs/ARCHITECTURE.md stays true: every dotted name it writes in backticks imports, and every build file it lists
is named in symbolic.paths."""
import importlib
import re

import pytest

from symbolic.paths import ROOT

DOC = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
PACKAGES = ("symbolic", "indexset", "checkpoints", "montecarlo", "generator", "absorb")
NAMES = sorted(set(re.findall(r"`((?:%s)(?:\.[A-Za-z_][A-Za-z0-9_]*)+)" % "|".join(PACKAGES), DOC)))


def resolve(dotted: str):
    """Import the longest module prefix of `dotted`, then walk the remaining attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(dotted)


def test_the_document_names_something():
    assert len(NAMES) > 30


@pytest.mark.parametrize("dotted", NAMES)
def test_documented_name_exists(dotted):
    assert resolve(dotted) is not None


def test_resolve_fails_on_a_missing_name():
    with pytest.raises(AttributeError):
        resolve("symbolic.paths.NO_SUCH_PATH")


def test_listed_build_files_are_named_in_paths():
    from symbolic.paths import build
    paths = build(ROOT / "build")
    named = {p.relative_to(ROOT).as_posix() for p in (
        paths.activations_json, paths.derivations_json, paths.theorems_json, paths.coverage_json,
        paths.axioms_json, paths.proof_status_json, paths.minilm_json, paths.continuity_json, paths.appendix_pdf,
        paths.supplement_pdf, paths.mc_paper)}
    listed = set(re.findall(r"`(build/[A-Za-z0-9_./-]+?)/?`", DOC))
    fixed = {p for p in listed if "<" not in p and "*" not in p}
    assert fixed, "no build files listed"
    missing = [p for p in fixed if p.endswith((".json", ".pdf")) and p not in named
               and not p.startswith(("build/mc/", "build/symbolic/<"))
               and p not in ("build/appendix-print.pdf",)]
    assert not missing, missing
