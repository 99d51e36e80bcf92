"""Checks for the mechanical findings of the second referee pass over the rendered paper (REVIEW.md on the referee2
branch): sentence punctuation kept out of math mode, activations and experiments named as a reader names them, the
checks of an experiment listed in the paper's own order, the continuity figure drawing the side that decides a
verdict, and the trusted-base paragraph citing its tools with authors and a space before the citation.

Unit checks always run; checks on the real build (build/) skip when it was not built."""
import re

import pytest

from generator import build, paper, plots, sections
from symbolic.paths import build_dir

REAL = build_dir()
TEX = REAL / "appendix" / "appendix.tex"


def _built_tex() -> str:
    if not TEX.exists():
        pytest.skip(f"{TEX} not built (run make)")
    return TEX.read_text(encoding="utf-8")


# --- sentence punctuation after a formula --------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("(stated for an abstract N).", "(stated for an abstract $N$)."),
    ("k != 1.", "$k \\neq  1$."),
    ("sum_{i in S} a_i b_i^T = -A/c.", "$\\sum_{i\\in S} a_i b_i^\\top = -A/c$."),
])
def test_sentence_punctuation_after_a_formula_stays_text(text, expected):
    assert paper.hypothesis_latex(text) == expected


def test_an_ellipsis_is_still_mathematics():
    assert paper.hypothesis_latex("x ... y") == "$x \\dots  y$"


def test_evidence_line_has_no_double_punctuation():
    tex = _built_tex()
    evidence = [ln for ln in tex.splitlines() if "\\textit{Evidence:}" in ln]
    assert evidence
    for line in evidence:
        assert not re.search(r"\.\$?;", line), line[:200]  # "abstract $N).$;" rendered as "N).;"


# --- names a reader knows --------------------------------------------------------------------------------------------

def test_every_activation_of_the_obstruction_figure_has_a_display_name():
    for key, shown in (("relu2", "ReLU$^2$"), ("swiglu", "SwiGLU"), ("geglu", "GeGLU"), ("cube", "$z^3$"),
                       ("bilinear", "bilinear GLU")):
        assert paper.display_name(key) == shown
    assert paper.display_name("some_new_act") == "some new act"  # an unknown key is at least not a data key


def test_separation_caption_names_activations_not_data_keys():
    tex = _built_tex()
    m = re.search(r"\\caption\{Why no residual-free block.*?\\label", tex, re.S)
    if not m:
        pytest.skip("no separation panel in this build")
    caption = m.group(0)
    for key in ("relu2", "relu3", "geglu", "reglu", "swiglu"):
        assert not re.search(rf"\b{key}\b", caption), key


def test_every_registered_experiment_has_a_title_that_is_not_its_key():
    from montecarlo.experiments import _registry
    for exp in _registry():
        title = plots.MC_SPECS.get(exp, {}).get("title") or plots.TITLES.get(exp)
        assert title and title != exp, exp


def test_experiment_checks_are_listed_in_the_papers_order():
    theorems = [{"id": "d", "kind": "definition", "claim": 0}, {"id": "late", "kind": "theorem", "claim": 0},
                {"id": "early", "kind": "theorem", "claim": 2}, {"id": "prenorm-impossible", "kind": "theorem",
                                                                 "claim": 0}]
    order = build.document_order(theorems)
    assert sorted(order, key=order.get) == ["d", "early", "late", "prenorm-impossible"]


def test_built_monte_carlo_table_lists_checks_in_increasing_number():
    tex = _built_tex()
    table = tex[tex.index("\\label{tab:mc}"):tex.index("\\end{longtable}", tex.index("\\label{tab:mc}"))]
    body = tex[tex.index("\\section{Results}"):tex.index("\\section{Results and their Rocq theorems}")]
    position = {m.group(1): m.start() for m in re.finditer(r"\\label\{([^}]+)\}", body)}
    for row in table.split("\\\\")[2:]:
        refs = [r for r in re.findall(r"\\cref\{([^}]+)\}", row) if r in position]
        assert refs == sorted(refs, key=position.get), row


# --- the continuity figure ---------------------------------------------------------------------------------------------

def test_continuity_figure_draws_the_side_that_decides_the_verdict():
    cells = {"input": {"k": 3, "total": 5}, "output": {"k": 1, "total": 5}}
    assert sections.continuity_plot_side("none", cells) == "input"  # V: aligned on the input side
    assert sections.continuity_plot_side("none", {"input": {"k": 0}, "output": {"k": 2}}) == "output"
    assert sections.continuity_plot_side("output", cells) == "output"  # an expected side is always drawn


# --- the trusted base --------------------------------------------------------------------------------------------------

def test_trusted_base_cites_its_tools_with_authors_and_spacing():
    tex = _built_tex()
    base = tex[tex.index("\\subsection{The trusted base}"):tex.index("\\subsection{Limitations}")]
    assert not re.search(r"[0-9a-z]\\citep", base)  # "3.2.0-8+b1(MathComp..." had no space before the citation
    assert "coquelicot" in base  # the analysis library the proofs import is cited
    bib = (build.ROOT / "generator" / "references.bib").read_text(encoding="utf-8")
    for key in ("coq816", "coquelicot"):
        entry = re.search(r"@\w+\{" + key + r",(.*?)\n\}", bib, re.S).group(1)
        assert re.search(r"^\s*author\s*=", entry, re.M), key  # "(Coq)" instead of the development team
    coqchk = re.search(r"\\texttt\{coqchk\}(.{0,40})", base)
    if coqchk and "re-checked" in base:
        assert coqchk.group(1).startswith(" (``") or coqchk.group(1).startswith(" re-checked"), coqchk.group(1)


# --- the dependency graph carries the paper's numbers ----------------------------------------------------------------

def test_graph_node_reserves_room_for_the_number_latex_prints():
    from generator import layout
    from generator.data import load_theorems
    assert layout.node_lines("relu-characterization")[0].startswith(layout.NUMBER_SLOT)
    assert [ln for ln in layout.node_lines("a-b")] == [layout.NUMBER_SLOT + "a-b"]
    if (REAL / "symbolic" / "theorems.json").exists():
        n = len(load_theorems(REAL))
        assert len(f"2.{n} ") <= len(layout.NUMBER_SLOT)  # the widest number fits the slot dot sized the box for


def test_built_graph_nodes_print_the_results_numbers():
    tex = _built_tex()
    graph = tex[tex.index("\\section{Dependency graph}"):tex.index("\\section{Monte Carlo")]
    nodes = re.findall(r"\\hyperref\[sec:([^\]]+)\]\{\\ref\*\{([^}]+)\}", graph)
    assert nodes and all(a == b for a, b in nodes)
    drawn = set(re.findall(r"\\hyperref\[sec:([^\]]+)\]", graph))
    assert drawn == {a for a, _ in nodes}  # every node, none without its number
    from tests.test_appendix import pdf_text
    text = pdf_text(REAL / "appendix.pdf")
    aux = (REAL / "appendix" / "appendix.aux").read_text(encoding="utf-8", errors="replace")
    number = re.search(r"\\newlabel\{generic-iff\}\{\{([\d.]+)\}", aux).group(1)
    assert f"{number} generic-iff" in text


def test_table_of_contents_entries_fit_one_line():
    """A claim's full title (with its formula) in the contents ran into its page number; the contents take the
    claim's short title, the heading keeps the full one."""
    toc = REAL / "appendix" / "appendix.toc"
    if not toc.exists():
        pytest.skip(f"{toc} not built (run make)")
    entries = re.findall(r"\\contentsline \{(?:sub)?section\}\{\\numberline \{[\d.]+\}(.*)\}\{\d+\}\{[^}]*\}%?$",
                         toc.read_text(encoding="utf-8"), re.M)
    assert entries
    for entry in entries:
        plain = re.sub(r"\\[A-Za-z]+|[{}$\\]", "", entry)
        assert len(plain) <= 70, plain
    assert any(e.startswith("Claim 5:") for e in entries)


def test_contents_follow_the_abstract_not_the_introduction():
    tex = _built_tex()
    assert tex.index("\\end{abstract}") < tex.index("\\tableofcontents") < tex.index("\\section{Introduction}")


def test_evidence_table_says_what_its_sympy_and_monte_carlo_counts_are():
    tex = _built_tex()
    m = re.search(r"\\caption\{Evidence per claim.*?\\label\{tab:coverage\}", tex, re.S)
    if not m:
        pytest.skip("no coverage table in this build")
    caption = " ".join(m.group(0).split())
    assert "sanity check" in caption and "\\cref{tab:mc}" in caption and "neither is a proof" in caption


def test_no_figure_legend_is_set_in_tiny_type():
    """A \\tiny legend (5 pt, then scaled down with the figure) cannot be read at print size."""
    figures = sorted((REAL / "appendix").glob("fig-*.tex"))
    if not figures:
        pytest.skip("no figures built (run make)")
    for fig in figures:
        assert "\\tiny" not in fig.read_text(encoding="utf-8"), fig.name


def test_the_paper_under_study_has_its_arxiv_identifier():
    bib = (build.ROOT / "generator" / "references.bib").read_text(encoding="utf-8")
    entry = re.search(r"@\w+\{mijoski2026absorb,(.*?)\n\}", bib, re.S).group(1)
    assert re.search(r"arXiv:\d{4}\.\d{4,5}", entry), entry


def test_command_options_keep_their_double_dash():
    """`--scale` typed into a template becomes an en dash ("–scale") unless written -{}-: no option of a command
    line in either PDF may lose its second hyphen."""
    import re
    import shutil
    import subprocess

    from symbolic.paths import build_dir
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    for name in ("appendix.pdf", "supplement.pdf"):
        pdf = build_dir() / name
        if not pdf.exists():
            pytest.skip(f"{name} not built")
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        bad = re.findall(r"(?:absorb|make)[^\n]{0,60}\s–[a-z]", text)
        assert not bad, bad


def test_limit_cells_of_the_data_tables_are_typeset():
    from generator.plots import num
    assert num("t->0") == "$t\\to 0$" and num("t->inf") == "$t\\to\\infty$"
    from generator.latex import latex_escape
    assert num("t->0 $x$") == latex_escape("t->0 $x$")  # anything else is escaped text, never math from data


def test_supplement_figures_follow_their_experiment_heading():
    """Each experiment's figures (captions "regenerate with absorb mc NAME") come after its own subsection, whose
    first line is "Command absorb mc NAME": a float that drifts above the heading reads as the previous experiment's."""
    import re
    import shutil
    import subprocess

    from symbolic.paths import build_dir
    pdf = build_dir() / "supplement.pdf"
    if shutil.which("pdftotext") is None or not pdf.exists():
        pytest.skip("no supplement build or no pdftotext")
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    commands = {m.group(1): m.start() for m in re.finditer(r"Command absorb mc ([a-z_-]+)", text)}
    assert commands, "no experiment subsections found"
    for m in re.finditer(r"Figure \d+: [^.]*?(?:\.[^.]*?)*?regenerate with absorb mc ([a-z_-]+)", text):
        name = m.group(1)
        if name in commands:
            assert m.start() > commands[name], f"a figure of {name} precedes its subsection"
