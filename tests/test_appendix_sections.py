"""Issue 12 (the appendix reads like a paper) and issue 13 item 8 (no file read through the registry): every section
renders from its build/ file or says "not checked", a clean LaTeX log, bookmarks, the Graphviz graph, the figures'
labels, citations inside the document, black links for print, and TeX that cannot read the builder's files."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import citations, layout, mcfigures
from generator.compile import PDFLATEX, tex_env
from generator.fixture import make_fixture
from generator.latex import check_registry_latex
from symbolic.errors import InputError
from symbolic.io import read_json, write_json_atomic
from symbolic.paths import build_dir
from tests.test_appendix import _copy_repo, build, needs_tex, pdf_text

REAL_BUILD = build_dir()
HAVE_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAVE_DOT, reason="Graphviz dot not installed")


# --- pure functions ---------------------------------------------------------------------------------------------

def test_cp_bound_for_zero_successes_matches_the_monte_carlo_column():
    # build/mc/measure-zero.csv: 100 draws, 0 satisfying -> cp_upper_95 = 0.03621669265
    assert mcfigures.cp_zero_bound(100) == pytest.approx(0.03621669265, rel=1e-9)
    assert mcfigures.cp_zero_bound(3600) == pytest.approx(0.001024163923, rel=1e-8)
    # the curve of the figure falls like 3.69/N
    assert mcfigures.cp_zero_bound(10 ** 6) * 10 ** 6 == pytest.approx(-__import__("math").log(0.025), rel=1e-5)


def test_legend_labels_are_human_never_data_keys():
    from generator.plots import series_label
    assert series_label(["ensemble"], ["student_t3"]) == "Student-$t_3$"
    assert series_label(["d", "n"], ["3", "8"]) == "$(d,n)=(3,8)$"
    assert "=" not in series_label(["activation"], ["relu"])
    assert mcfigures.ensemble_label("gaussian") == "Gaussian"


def test_crossing_counter():
    cross = [("a", "b", [(0, 0), (1, 1)]), ("c", "d", [(0, 1), (1, 0)])]
    assert layout.crossings(cross) == 1
    shared = [("a", "b", [(0, 0), (1, 1)]), ("a", "d", [(0, 0), (1, 0)])]
    assert layout.crossings(shared) == 0
    parallel = [("a", "b", [(0, 0), (1, 0)]), ("c", "d", [(0, 1), (1, 1)])]
    assert layout.crossings(parallel) == 0


def test_registry_cites_become_bibliography_entries_and_note_refs_become_cross_references():
    keys = citations.bib_keys()
    assert citations.render_cite("Nair and Hinton (2010)", set(), keys) == "\\citet{nair2010relu}"
    assert citations.render_cite("Elfwing et al. (2018); Ramachandran et al. (2017)", set(), keys) == \
        "\\citet{elfwing2018silu}; \\citet{ramachandran2017swish}"
    text = citations.render_cite("LeakyReLU with slope -1 (BLUEPRINT Prop 3.2)", {"parity"}, keys)
    assert "\\cref{parity}" in text and "BLUEPRINT" not in text
    # a place of the notes that no result states is dropped, never printed as a file reference
    assert "BLUEPRINT" not in citations.replace_note_refs("see BLUEPRINT §9.9 for this", set())
    assert citations.render_cite("Unknown Person (1999)", set(), keys) == "Unknown Person (1999)"


@pytest.mark.parametrize("latex", [r"\input{/etc/passwd}", r"\include{x}", r"\catcode`\@=11", r"\def\x{1}",
                                   r"\immediate\write18{ls}", r"\openin1=/etc/hostname", r"x^^5cinput", "a % b",
                                   r"\csname input\endcsname", r"\pdfobj file {/etc/passwd}", "{z"])
def test_registry_latex_outside_the_allow_list_is_refused(latex):
    with pytest.raises(InputError, match="activation 'evil'"):
        check_registry_latex(latex, "activation 'evil'")


def test_registry_latex_allow_list_accepts_the_registry_formulas():
    for text in [r"\max(z,0)", r"z\,\Phi(z)=\tfrac z2\bigl(1+\operatorname{erf}(z/\sqrt2)\bigr)", r"\gamma(z)=z\,s(z)",
                 r"|z|", r"\log(1+e^z)", r"z\tanh(\log(1+e^z))", r"s(z)=1/(1+e^{-z})"]:
        assert check_registry_latex(text, "t") == text


def test_tex_runs_without_shell_escape_and_with_paranoid_file_access():
    env = tex_env(0)
    assert env["openin_any"] == "p" and env["openout_any"] == "p"
    assert "-no-shell-escape" in PDFLATEX


def test_print_mode_has_black_links_and_screen_mode_coloured(tmp_path, pinned_git):  # noqa: F811
    from generator.build import render
    make_fixture(tmp_path)
    screen, _, _ = render(tmp_path)
    paper, _, _ = render(tmp_path, print_mode=True)
    assert "allcolors=black" in paper and "allcolors=black" not in screen
    assert "colorlinks" in screen and "linkcolor=NavyBlue" in screen


# --- the graph ---------------------------------------------------------------------------------------------------

@needs_dot
def test_graph_layout_is_deterministic_and_clustered_by_claim():
    from generator.fixture import THEOREMS
    from generator.data import load_theorems
    theorems = [dict(t, uses=list(t["uses"]), kind=t["kind"]) for t in THEOREMS]
    titles = {"claim1": "Claim 1", "claim2": "Claim 2", "claim7": "Claim 7"}
    a, b = layout.tikz(theorems, titles), layout.tikz(theorems, titles)
    assert a == b
    assert "Claim 1" in a and "Claim 7" in a and "\\hyperref[sec:degree]" in a
    lay = layout.layout(theorems, titles)
    assert {k for k, _, _ in lay["clusters"]} == {"claim1", "claim2", "claim7"}
    assert len(lay["edges"]) == 3  # reduction->degree, reduction->deep-relu-gelu, degree->deep-relu-gelu
    if (REAL_BUILD / "symbolic" / "theorems.json").exists():
        real = load_theorems(REAL_BUILD)
        lay = layout.layout(layout.drawn(real), {})
        assert layout.graphviz_crossings(lay) < layout.hand_layer_crossings(real)


# --- whole documents ---------------------------------------------------------------------------------------------

def _log(build_dir_: Path) -> str:
    return (build_dir_ / "appendix" / "appendix.log").read_text(encoding="utf-8", errors="replace")


@needs_tex
@needs_dot
def test_fixture_renders_every_section_with_a_clean_log(tmp_path, pinned_git):  # noqa: F811
    make_fixture(tmp_path)
    build(tmp_path)
    text = pdf_text(tmp_path / "appendix.pdf")
    supplement = pdf_text(tmp_path / "supplement.pdf")
    # introduction: verdicts and corrections from coverage.json
    intro = text[:text.index("How to cite")]
    for word in ("agreed", "strengthened", "corrected", "open", "holds for every comparator width"):
        assert word in intro, word
    assert "not checked" in intro  # claims 3, 4, 6 are not in the fixture's coverage.json
    # formal coverage: counts, complete axes only with a check mark
    cov = text[text.index("Evidence per claim"):]
    assert "1/1" in cov and "0/1" in cov and "the case k = 2 only (fixture)" in text
    # trained weights, continuity, paper-scale Monte Carlo
    assert "MiniLM-fixture" in text and "layer.3.mlp" in text and "undecided" in text
    assert "does not hold" in text and "V does not (fixture)" in text
    assert "paper-scale run" in text and "absorb mc measure-zero --samples 400 --seed 1" in text
    # the verdict `always` of contract C4 renders in the activation table
    acts = supplement[supplement.index("Every activation declared in"):]
    assert re.search(r"identity .*?always", acts)
    # figures: ECDF and CP-vs-N from the C3 files, human labels
    work = tmp_path / "appendix"
    ecdf = (work / "fig-measure-zero-ecdf.tex").read_text()
    assert "Student-$t_3$" in ecdf and "student_t3" not in ecdf and "ensemble=" not in ecdf
    cp = (work / "fig-measure-zero-cp.tex").read_text()
    assert "paper-scale run" in cp and "default run" in cp and "xmode=log" in cp and "ymode=log" in cp
    # clean LaTeX: no overfull box, no undefined reference or citation, a bookmark for every section
    log = _log(tmp_path) + (tmp_path / "appendix" / "supplement.log").read_text(encoding="utf-8", errors="replace")
    assert "Overfull" not in log
    assert not re.search(r"undefined|Rerun to get", log, re.I), re.findall(r".*undefined.*", log, re.I)[:3]
    tex = (work / "appendix.tex").read_text()
    sections = re.findall(r"^\\section\{([^}]*)\}", tex, re.M)
    bookmarks = (work / "appendix.out").read_text(encoding="utf-8", errors="replace")
    assert len(sections) >= 8
    for number, title in enumerate(sections, 1):  # bookmark titles are UTF-16 octal escapes: match the anchors
        assert f"\\BOOKMARK [1][-]{{section.{number}}}" in bookmarks, title
    assert "{subsection." in bookmarks and "{references." in bookmarks
    sup_marks = (work / "supplement.out").read_text(encoding="utf-8", errors="replace")
    assert "{section.5}" in sup_marks and "{subsection." in sup_marks
    assert "BLUEPRINT" not in text and "BLUEPRINT" not in supplement


@needs_tex
def test_missing_evidence_files_say_not_checked(tmp_path, pinned_git):  # noqa: F811
    make_fixture(tmp_path, with_evidence=False)
    write_json_atomic(tmp_path / "trained" / "continuity.json",
                      {"status": "not checked", "reason": "model weights not installed", "families": {}})
    build(tmp_path)
    text = pdf_text(tmp_path / "appendix.pdf")
    assert "Verdicts: not checked (build/symbolic/coverage.json is missing" in text
    assert "Not checked: build/trained/minilm.json is missing" in text
    assert "build/trained/continuity.json says not checked: model weights not installed" in text
    assert "Certified Monte Carlo decisions: not checked" in text  # no measure-zero run in this fixture
    assert "agreed" not in text[:text.index("How to cite")]  # no verdict is invented


@needs_tex
def test_registry_latex_cannot_put_a_file_into_the_pdf(tmp_path, pinned_git, monkeypatch):  # noqa: F811
    make_fixture(tmp_path)
    acts = read_json(tmp_path / "symbolic" / "activations.json")
    acts[0]["latex"] = r"\input{/etc/passwd}"
    write_json_atomic(tmp_path / "symbolic" / "activations.json", acts)
    with pytest.raises(InputError, match=r"\\input"):
        build(tmp_path)
    assert not (tmp_path / "appendix.pdf").exists()
    # Defence in depth: even past the allow-list, TeX itself may not open the file (openin_any = p).
    import generator.build as genbuild
    monkeypatch.setattr(genbuild, "check_registry_latex", lambda text, where: str(text))
    with pytest.raises(InputError):
        build(tmp_path)
    assert not (tmp_path / "appendix.pdf").exists()


@needs_tex
def test_paranoid_tex_refuses_absolute_paths(tmp_path):
    (tmp_path / "t.tex").write_text("\\documentclass{article}\\begin{document}X\\input{/etc/passwd}\\end{document}\n")
    proc = subprocess.run([*PDFLATEX, "t.tex"], cwd=tmp_path, env=tex_env(0), capture_output=True, text=True)
    assert proc.returncode != 0
    assert not (tmp_path / "t.pdf").exists() or "root:" not in pdf_text(tmp_path / "t.pdf")


@needs_tex
@pytest.mark.skipif(not (REAL_BUILD / "symbolic" / "theorems.json").exists(), reason="real build/ missing")
def test_copied_registry_with_input_in_latex_never_reaches_the_pdf(tmp_path):
    """Issue 13 item 8 end to end: a contributed activation whose `latex` field is \\input{/etc/passwd}."""
    repo, build_copy = tmp_path / "repo", tmp_path / "build"
    _copy_repo(repo)
    shutil.copytree(REAL_BUILD, build_copy, ignore=shutil.ignore_patterns("appendix*", "cache"))
    toml = repo / "symbolic" / "activations.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[[activation]]\nname = "evil"\nkind = "ungated"\n'
                    'expression = "z*sigmoid(3*z)"\nlatex = \'\\input{/etc/passwd}\'\n', encoding="utf-8")
    env = dict(os.environ, ABSORB_BUILD=str(build_copy), PYTHONPATH=str(repo))
    outputs = []
    for cmd in ([sys.executable, "-m", "symbolic.build"], [sys.executable, "-m", "symbolic.theorems"],
                [sys.executable, "-m", "absorb.cli", "appendix"]):
        proc = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=900)
        outputs.append(proc)
        if proc.returncode != 0:
            break
    last = outputs[-1]
    pdf = build_copy / "appendix.pdf"
    if last.returncode == 0:
        assert "root:x:0" not in pdf_text(pdf)
    else:
        assert last.returncode == 2 and "Traceback" not in last.stderr
        assert "\\input" in last.stderr and last.stderr.count("\n") == 1
        assert not pdf.exists()


def test_the_real_build_log_is_clean():
    """The appendix `make` built from this checkout's own results (not a fixture): no overfull box, no undefined
    reference."""
    log_path = REAL_BUILD / "appendix" / "appendix.log"
    if not log_path.exists():
        pytest.skip("no real appendix build (run make)")
    log = log_path.read_text(encoding="utf-8", errors="replace")
    sup = REAL_BUILD / "appendix" / "supplement.log"
    log += sup.read_text(encoding="utf-8", errors="replace") if sup.exists() else ""
    assert "Overfull" not in log, re.findall(r"Overfull.*", log)[:3]
    assert not re.search(r"undefined|Rerun to get", log, re.I), re.findall(r".*undefined.*", log, re.I)[:3]
