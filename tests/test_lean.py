"""Lean 4 export: the committed files in lean/ are exactly what the registries generate; regeneration is idempotent;
no `sorry` and no `theorem` anywhere; every registry id has a def. Nothing here typechecks Lean."""
import re
import shutil

import pytest

import absorb.cmd_lean as cmd_lean
from absorb.cli import main as absorb_main
from symbolic.lean import freshness, render
from symbolic.theorems import BLUEPRINT_IDS, LEAN_DIR, load_registry


@pytest.fixture(scope="module")
def files():
    return cmd_lean.render()


def test_committed_lean_files_are_fresh(files):
    stale = freshness.check(LEAN_DIR, files)
    assert stale is None, f"lean/{stale} is stale: run `absorb lean`"


def test_regeneration_is_idempotent(files, tmp_path):
    first = freshness.write_all(tmp_path, files)
    assert sorted(first) == sorted(files)
    snapshot = {p: (tmp_path / p).read_bytes() for p in files}
    assert freshness.write_all(tmp_path, cmd_lean.render()) == []
    assert {p: (tmp_path / p).read_bytes() for p in files} == snapshot


def test_absorb_lean_twice_is_idempotent(tmp_path, monkeypatch, capsys):
    lean = tmp_path / "lean"
    monkeypatch.setattr(cmd_lean, "LEAN_DIR", lean)
    monkeypatch.setattr(cmd_lean.shutil, "which", lambda name: None)
    assert absorb_main(["lean"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "no Lean toolchain found (lake is not on PATH); statements regenerated but not typechecked"
    snapshot = {p: p.read_bytes() for p in lean.rglob("*") if p.is_file()}
    assert absorb_main(["lean"]) == 0
    assert ", 0 changed" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in lean.rglob("*") if p.is_file()} == snapshot
    assert absorb_main(["lean", "--check"]) == 0


def test_check_names_the_first_stale_file(tmp_path, monkeypatch, capsys, files):
    lean = tmp_path / "lean"
    shutil.copytree(LEAN_DIR, lean)
    target = lean / "SkipAbsorption" / "Statements" / "Obstructions.lean"
    target.write_text(target.read_text(encoding="utf-8") + "-- edited\n", encoding="utf-8")
    assert freshness.check(lean, files) == "SkipAbsorption/Statements/Obstructions.lean"
    monkeypatch.setattr(cmd_lean, "LEAN_DIR", lean)
    assert absorb_main(["lean", "--check"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "lean/SkipAbsorption/Statements/Obstructions.lean is stale" in err[0]
    target.unlink()
    assert freshness.check(lean, files) == "SkipAbsorption/Statements/Obstructions.lean"
    shutil.copytree(LEAN_DIR, lean, dirs_exist_ok=True)
    (lean / "SkipAbsorption" / "Statements" / "Extra.lean").write_text("-- old\n", encoding="utf-8")
    assert freshness.check(lean, files) == "SkipAbsorption/Statements/Extra.lean"


def test_no_sorry_and_no_theorem_in_lean():
    for path in LEAN_DIR.rglob("*"):
        if not path.is_file() or ".lake" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bsorry\b", text), f"{path} contains sorry"
        assert not re.search(r"\btheorem\b", text), f"{path} contains `theorem`"
        assert not re.search(r"^\s*(lemma|example|axiom)\b", text, re.M), f"{path} declares a proof or axiom"


def test_every_registry_id_has_a_def():
    text = "\n".join(p.read_text(encoding="utf-8") for p in LEAN_DIR.rglob("*.lean"))
    entries = load_registry()
    assert {e["id"] for e in entries} >= set(BLUEPRINT_IDS)
    for e in entries:
        assert e["lean"], f"{e['id']} has no Lean name"
        short = e["lean"].split(".", 1)[1]
        assert re.search(rf"^def {re.escape(short)}\b", text, re.M), f"no def {short} for {e['id']}"
        if e["kind"] != "definition":
            assert re.search(rf"^def {re.escape(short)} : Prop :=", text, re.M)
            assert f"Appendix label `{e['id']}`" in text


def test_project_files():
    lakefile = (LEAN_DIR / "lakefile.toml").read_text(encoding="utf-8")
    assert 'rev = "v4.28.0"' in lakefile and "autoImplicit = false" in lakefile
    assert (LEAN_DIR / "lean-toolchain").read_text(encoding="utf-8").strip() == "leanprover/lean4:v4.28.0"
    root = (LEAN_DIR / "SkipAbsorption.lean").read_text(encoding="utf-8")
    for path in (LEAN_DIR / "SkipAbsorption").rglob("*.lean"):
        module = ".".join(path.relative_to(LEAN_DIR).with_suffix("").parts)
        assert f"import {module}\n" in root


def test_activation_instances(files):
    text = files[render.ACTIVATIONS_FILE]
    assert "def act_relu (z : ℝ) : ℝ :=\n  max z 0" in text
    assert "def relu_statement : Prop :=\n  OddLinear act_relu 1" in text
    assert "PosHomog act_relu2 2" in text and "BoundedFun act_tanh" in text
    # one GELU: the statement uses Defs.lean's `gelu` (Mathlib's Gaussian CDF), no stand-in for erf
    assert "def gelu_statement : Prop :=\n  OddLinear gelu 1" in text
    assert "def act_gelu " not in text and "∀ F : ℝ → ℝ" not in text
    assert "def hardswish_statement : Prop :=\n  OddLinear hardswish 1" in text


def test_one_gelu_definition(files):
    """Defs.lean defines gelu once, through Mathlib's Gaussian CDF, and erf through the same CDF."""
    defs = next(text for name, text in files.items() if name.endswith("Defs.lean"))
    assert defs.count("def gelu ") == 1 and "def gelu (z : ℝ) : ℝ := z * stdNormalCdf z" in defs
    assert "ProbabilityTheory.cdf (ProbabilityTheory.gaussianReal 0 1) z" in defs
    assert "def erf (u : ℝ) : ℝ := 2 * stdNormalCdf (Real.sqrt 2 * u) - 1" in defs
    assert "def hardswishEven" in defs and "def geluEven" in defs


def test_activation_statements_api_reads_what_was_rendered(files):
    """The appendix reads activation statements through freshness.activation_statements, not its own parser."""
    found = freshness.activation_statements(LEAN_DIR)
    assert found["relu"] == {"lean": "def act_relu (z : ℝ) : ℝ :=\n  max z 0\n\n"
                                     "def relu_statement : Prop :=\n  OddLinear act_relu 1", "skip": ""}
    assert found["gelu"]["lean"] == "def gelu_statement : Prop :=\n  OddLinear gelu 1"
    assert found["elu"] == {"lean": "", "skip": "no instance statement; classifier verdict: not_covered "
                                                "(no result of the registry applies)"}
    assert "analytic-parity" in found["mish"]["skip"]


def test_import_cycle_is_untied():
    """symbolic.lean never imports symbolic.theorems (theorems imports lean.freshness for the statuses)."""
    import ast
    from pathlib import Path

    for path in Path(render.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert "symbolic.theorems" not in names, path


def test_lean_property_comes_from_the_argument_module():
    """Every argument with a Lean property states it itself; the exporter has no branch per argument id."""
    import inspect

    from symbolic.arguments import all_arguments

    arguments = all_arguments("ungated") + all_arguments("gated")
    assert any(a.lean_property is not None for a in arguments)
    source = inspect.getsource(render)
    for a in arguments:
        assert f'"{a.id}"' not in source and f"'{a.id}'" not in source, a.id


def test_committed_lean_matches_committed_registries():
    """`make` regenerates lean/; when the registries are as committed, that must leave lean/ as committed."""
    import subprocess

    from symbolic.paths import ROOT

    def dirty(path):
        out = subprocess.run(["git", "status", "--porcelain", "--", path], cwd=ROOT, capture_output=True, text=True)
        if out.returncode != 0:
            pytest.skip("not a git checkout")
        return out.stdout.strip()

    if dirty("symbolic"):
        pytest.skip("symbolic/ has uncommitted edits: regenerate and commit lean/ together with them")
    assert not dirty("lean"), "lean/ differs from the committed files: run `absorb lean` and commit lean/"
