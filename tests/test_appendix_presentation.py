"""Presentation checks of issue 21 that a rendered page shows: a legible dependency graph whose arrows all point to
the right, the one separation panel of the scaling obstructions (data in the experiment's output, monotone towards
the limit), SymPy step methods typeset as math with the side of each one-sided limit, the continuity verdict counted
per pair, the identifiability references with their titles, and floats that stay in their section.

Tests on the real build (build/) skip when that part was not built; the unit tests always run."""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import layout, sections, separation, steps
from symbolic.paths import build_dir
from tests.test_appendix import HOSTILE

REAL_BUILD = build_dir()
WORK = REAL_BUILD / "appendix"
needs_dot = pytest.mark.skipif(not shutil.which("dot"), reason="Graphviz dot not installed")
needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext not installed")


def _built(path: Path):
    if not path.exists():
        pytest.skip(f"{path} not built (run make)")
    return path


# --- 1. dependency graph --------------------------------------------------------------------------------------------

@needs_dot
def test_graph_parts_fit_the_page_at_a_legible_size_and_every_arrow_points_right():
    from generator.data import load_theorems
    theorems = layout.drawn(load_theorems(_built(REAL_BUILD / "symbolic" / "theorems.json").parent.parent))
    parts = layout.parts(theorems)
    assert [k for k, *_ in parts] == ["paper", "beyond"]
    assert sum(len(m) for _, _, m, _ in parts) == len(theorems)  # every result is drawn in exactly one part
    for key, _, members, external in parts:
        lay = layout.layout(members, {}, external)
        assert layout.arrows_point_right(lay) == [], key  # the caption's "to the right of what it uses"
        assert layout.FONT_PT * layout.fit_scale(lay["bb"]) >= layout.MIN_PRINT_PT, key
        # an arrow into a result of another part is drawn there, never here
        assert all(v in {t["id"] for t in members} for _, v, _, _ in lay["edges"])


def test_built_graph_records_label_size_at_print_size():
    tex = _built(WORK / "appendix.tex").read_text(encoding="utf-8")
    sizes = [float(x) for x in re.findall(r"% graph labels: [\d.]+pt at scale [\d.]+ = ([\d.]+)pt at print size", tex)]
    assert len(sizes) >= 2 and min(sizes) >= 7.0, sizes
    graph = tex[tex.index("\\section{Dependency graph}"):tex.index("\\section{Monte Carlo")]
    assert "max width" not in graph  # no adjustbox shrinking the picture below the recorded scale
    assert "to the right of each result it uses" in graph and "prerequisites to the left" not in tex


@needs_dot
def test_without_global_ranking_clusters_can_push_an_arrow_left():
    """Why newrank is set: the real graph, ranked cluster by cluster, has arrows that do not point right."""
    from generator.data import load_theorems
    theorems = layout.drawn(load_theorems(_built(REAL_BUILD / "symbolic" / "theorems.json").parent.parent))
    data = layout.run_dot(layout.dot_source(theorems, {}).replace(" newrank=true;", ""))
    names = {o["_gvid"]: o["name"] for o in data["objects"] if "pos" in o}
    x = {o["name"]: float(o["pos"].split(",")[0]) for o in data["objects"] if "pos" in o}
    backwards = [(names[e["tail"]], names[e["head"]]) for e in data["edges"]
                 if x[names[e["tail"]]] >= x[names[e["head"]]]]
    with_newrank = layout.layout(theorems, {})
    assert layout.arrows_point_right(with_newrank) == []
    assert backwards, "the old layout had no backward arrow: the newrank test proves nothing"


# --- 2. separation panel ------------------------------------------------------------------------------------------

def _check_separation(sep, limit):
    f_lo, f_hi, g = sep["f_ratio_min"], sep["f_ratio_max"], sep["g_ratio_max"]
    dev = [max(abs(a - 1), abs(b - 1)) for a, b in zip(f_lo, f_hi)]
    assert dev[-1] < 1e-3 and dev[-1] < dev[0], (limit, dev)  # ||F(tx)/t|| / ||Px|| -> 1
    assert g[-1] < 1e-3 and g[-1] < g[0], (limit, g)  # ||G(tx)/t|| / ||Px|| -> 0
    assert all(b <= a * 1.0001 for a, b in zip(g[1:], g[2:])), g  # monotone towards the limit after the first step


def test_obstructions_json_holds_the_separation_data_monotone_towards_the_limit():
    data = json.loads(_built(REAL_BUILD / "mc" / "obstructions.json").read_text(encoding="utf-8"))
    scaled = {n: w["scaling"] for n, w in data["witnesses"].items() if "scaling" in w}
    assert scaled and data["points"] >= 1
    limits = set()
    for name, sc in scaled.items():
        limits.add(sc["limit"])
        sep = sc["by_depth"]["1"]["separation"]
        assert len(sep["f_ratio_min"]) == len(sep["g_ratio_max"]) == len(sc["t"])
        _check_separation(sep, name)
    assert limits == {"t->0", "t->inf"}


def test_separation_panel_is_drawn_from_the_csv_and_absent_without_its_columns():
    header = list(separation.COLUMNS) + ["kind"]
    rows = [{"activation": a, "depth": "1", "limit": lim, "t": str(t), "comparator_rel": str(g),
             "f_ratio_min": str(1 - g), "f_ratio_max": str(1 + g), "kind": "ungated"}
            for a, lim, ts in (("tanh", "t->inf", (10, 100)), ("relu2", "t->0", (0.1, 0.01)))
            for t, g in zip(ts, (0.5, 0.05))]
    tex, files = separation.figure(header, rows)
    assert tex is not None and len(files) == 2 and "xmode=log" in tex
    body = "".join(files.values())
    assert "0.95" in body and "1.05" in body  # the numbers of the CSV, nothing typed in
    assert separation.activations(rows) == {"t->0": ["relu2"], "t->inf": ["tanh"]}
    none, reason = separation.figure([c for c in header if c != "f_ratio_max"], rows)
    assert none is None and "f_ratio_max" in reason


def test_paper_shows_the_separation_panel_and_keeps_the_witness_figures_in_the_supplement():
    paper = _built(WORK / "appendix.tex").read_text(encoding="utf-8")
    supplement = _built(WORK / "supplement.tex").read_text(encoding="utf-8")
    assert "fig-obstructions-separation.pdf" in paper and "fig-obstructions-separation.pdf" not in supplement
    assert "fig-obstructions-residual.pdf" in supplement and "fig-obstructions-residual.pdf" not in paper


# --- 3. bibliography ----------------------------------------------------------------------------------------------

def _bib_entries():
    text = (Path(__file__).resolve().parent.parent / "generator" / "references.bib").read_text(encoding="utf-8")
    return {m.group(2): (m.group(1), m.group(3)) for m in re.finditer(r"@(\w+)\{([^,\s]+),(.*?)\n\}", text, re.S)}


def test_identifiability_references_have_titles_and_the_confirmed_fields():
    bib = _bib_entries()
    kind, body = bib["sussmann1992uniqueness"]
    assert "Uniqueness of the Weights for Minimal Feedforward Nets" in body
    assert re.search(r"volume\s*=\s*\{5\}", body) and re.search(r"number\s*=\s*\{4\}", body)
    assert re.search(r"pages\s*=\s*\{589--593\}", body)
    for key in ("albertini1993uniqueness", "fefferman1993recovering", "fefferman1994reconstructing",
                "phuong2020functional", "rolnick2020reverse"):
        assert key in bib, key
    for key, (kind, body) in bib.items():
        if kind in ("article", "inproceedings", "misc"):
            assert re.search(r"^\s*title\s*=", body, re.M), f"{key} has no title"


# --- 4. SymPy steps -----------------------------------------------------------------------------------------------

def test_limit_method_says_the_side_the_step_evaluated():
    left = steps.method_latex("sympy.limit (direction +)", r"\lim_{z\to0^-}\frac{\sigma(z)}{z} = 0",
                              "Limit(-h/(exp(h) + 1), h, 0, dir='+')")
    assert left.startswith("SymPy limit from the left ($z=-h$, $h\\to0^+$)") and "\\lim_{h \\to 0^+}" in left
    right = steps.method_latex("sympy.limit (direction +)", r"\lim_{z\to0^+}\gamma(z) = 0", "Limit(h, h, 0, dir='+')")
    assert right.startswith("SymPy limit from the right")
    assert steps.method_latex("sympy.limit", r"\lim_{p\to\infty} \sigma(p) = 1", "L") == "SymPy limit at $\\infty$"
    assert "direction" not in left + right


def test_sympy_expression_parser_prints_only_whitelisted_expressions():
    assert steps.sympy_latex("Limit(h**2, h, 0, dir='+')") == "\\lim_{h \\to 0^+} h^{2}"
    for bad in ("__import__('os').system('true')", "Limit(h, h, 0, dir='x')", "open('/etc/passwd')",
                "h.__class__", "lambda: 1", "9" * 400, "Limit(h, h, 0, dir='+'"):
        assert steps.sympy_latex(bad) is None, bad


def test_ascii_relations_become_math():
    assert steps.note_latex("the degree argument needs k != 1") == "the degree argument needs $k \\neq  1$"
    assert steps.note_latex("C^1 off {+-z0} with a jump") == "$C^1$ off $\\{\\pm z_0\\}$ with a jump"
    out = steps.method_latex("Euler ratio p*diff(sigma(+-p), p)/sigma(+-p), sympy.simplify")
    assert "\\pm p" in out and "\\texttt{sympy.\\allowbreak{}simplify}" in out and "+-" not in out
    assert "$m \\ge  1$" in steps.method_latex("with symbolic integer m >= 1")
    assert steps.method_latex("SymPy assumptions (is_zero is False)").endswith("is false)")


def test_step_typesetting_escapes_hostile_text(tmp_path):
    extra = ["x}{y", "a^^5cinput", "a_b_c", "||a^^5c||", "{a, b word c}", "k != 1 and $x$"]
    outs = [f(s) for s in HOSTILE + extra for f in (steps.note_latex, steps.method_latex)]
    for out in outs:
        assert "\n" not in out and "^^" not in out.replace("\\textasciicircum{}", "")
        assert not re.search(r"(?<!textbackslash\{\})\\(input|end|csname|par|textbf|def|catcode)\b", out), out
    if not shutil.which("pdflatex"):
        pytest.skip("pdflatex not installed")
    body = "\n\n".join(f"[{i}] {o}" for i, o in enumerate(outs))
    (tmp_path / "t.tex").write_text("\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage{lmodern}"
                                    "\\usepackage{amsmath,amssymb,textcomp}\\begin{document}\n" + body +
                                    "\n\\end{document}\n", encoding="utf-8")
    proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "t.tex"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-2000:]


def test_supplement_steps_have_no_ascii_relations_and_left_limits_say_so():
    tex = _built(WORK / "supplement.tex").read_text(encoding="utf-8")
    start, end = tex.index("\\section{Classification certificates}"), tex.index("\\section{Rocq statements")
    steps_tex = tex[start:end]
    items = re.findall(r"^\\item .*$", steps_tex, re.M)
    assert items
    for bad in ("!=", "+-", ">=", "<=", "direction +"):
        assert not any(bad in it for it in items), bad
    left = [it for it in items if "\\to0^-}" in it or "\\to 0^-}" in it]
    assert left and all("from the left" in it for it in left)


# --- 5. floats ----------------------------------------------------------------------------------------------------

@needs_pdftotext
def test_figures_never_float_above_their_section_heading():
    pdf = _built(REAL_BUILD / "appendix.pdf")

    def where(pattern):
        pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                                   text=True).stdout).group(1))
        for p in range(1, pages + 1):
            text = subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), str(pdf), "-"], capture_output=True,
                                  text=True).stdout
            m = re.search(pattern, text)
            if m:
                return p, m.start()
        return None

    pairs = [(r"\d+\s+Monte Carlo sanity checks\n", r"Doubly-stochastic defect of the Sinkhorn"),
             (r"\d+\s+Geometric continuity\n", r"Alignment of the top singular vectors")]
    checked = 0
    for heading, caption in pairs:
        h, c = where(heading), where(caption)
        if h and c:
            assert c > h, (heading, h, c)
            checked += 1
    assert checked


# --- 6. continuity rule -------------------------------------------------------------------------------------------

def test_continuity_rule_counts_pairs_not_the_mean():
    from checkpoints.continuity import RATIO, RULE, _holds, aligned_pairs
    values, base = [0.9, 0.1, 0.1, 0.1, 0.9], 0.1  # mean 0.42 > 3 x 0.1, but only 2 of 5 pairs aligned
    assert sum(values) / len(values) > RATIO * base
    k = aligned_pairs(values, base)
    assert k == 2 and _holds("input", k, 0, len(values)) is False
    assert _holds("input", 3, 0, 5) is True and _holds("none", 3, 0, 5) is False
    assert f"{RATIO:g}x the exact baseline" in RULE and "more than half" in RULE


def test_continuity_section_shows_the_count_with_the_verdict():
    f = {"input": [0.9, 0.1, 0.1, 0.1, 0.9], "output": [0.1] * 5, "baseline_input_exact": 0.1,
         "baseline_output_exact": 0.1, "aligned_input": 2, "aligned_output": 0, "pairs": 5, "expected": "input",
         "pattern_holds": False}
    ctx, _ = sections.continuity_context({"status": "checked", "families": {"Q": f}, "ratio": 3.0,
                                          "pattern_holds": False, "rule": "r", "summary": "s", "command": "c"})
    assert ctx["rows"][0]["holds"] == "no, 2 of 5"


def test_built_continuity_verdicts_agree_with_their_counts():
    data = json.loads(_built(REAL_BUILD / "trained" / "continuity.json").read_text(encoding="utf-8"))
    if data.get("status") == "not checked":
        pytest.skip("trained weights not available in this build")
    for fam, f in data["families"].items():
        shows = {s: 2 * f[f"aligned_{s}"] > f["pairs"] for s in ("input", "output")}
        want = {"input": shows["input"], "output": shows["output"],
                "none": not shows["input"] and not shows["output"]}[f["expected"]]
        assert f["pattern_holds"] is want, fam


def test_no_caption_line_is_stretched():
    """An underfull caption line is a stretched one (long typewriter commands in a justified caption)."""
    for name in ("appendix.log", "supplement.log"):
        log = _built(WORK / name).read_text(encoding="utf-8", errors="replace")
        stretched = re.findall(r"Underfull \\hbox[^\n]*\n([^\n]*(?:Figure|Table) \d+:[^\n]*)", log)
        assert not stretched, (name, stretched)
