"""The citable appendix (issue 6): escaping, error handling, fixture build, determinism, arXiv tarball,
and checks on the real build/appendix.pdf and on extending the activation registry."""
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from generator.fixture import ACTIVATIONS, THEOREMS, make_fixture  # noqa: E402
from generator.latex import latex_escape  # noqa: E402
from symbolic.errors import InputError  # noqa: E402
from symbolic.paths import ROOT, build_dir  # noqa: E402

HAVE_TEX = all(shutil.which(t) for t in ("pdflatex", "latexmk", "bibtex", "pdftotext"))
needs_tex = pytest.mark.skipif(not HAVE_TEX, reason="pdflatex/latexmk/bibtex/pdftotext not installed")
REAL_BUILD = build_dir()  # the real build/ (or $ABSORB_BUILD when set)
REAL_PDF = REAL_BUILD / "appendix.pdf"

HOSTILE = [
    r"\input{/etc/passwd}", r"\end{document}", "$x$ & 100% # _ ^ ~ { } < > | \" ' `",
    r"\\ \par \csname relax\endcsname", "}{\\textbf{", "tab\tnew\nline\r\x00\x07", "σ(z)≠z → ℝ ✓ 😀",
    "%comment", "\\", "{", "}", "a_b^c", "--- -- ``quotes''",
]


def pdf_text(pdf: Path, raw: bool = False) -> str:
    """The PDF's text with whitespace runs collapsed; raw: in content-stream order (keeps a theorem head in one
    piece when a displayed formula sits beside it)."""
    out = subprocess.run(["pdftotext", *(["-raw"] if raw else []), str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return re.sub(r"\s+", " ", out)


def both_text(build_dir: Path, raw: bool = False) -> str:
    """The paper and its data supplement, as one text."""
    return pdf_text(build_dir / "appendix.pdf", raw) + " " + pdf_text(build_dir / "supplement.pdf", raw)


def plain(title: str) -> str:
    """The part of a title that pdftotext reproduces verbatim (math and macros dropped)."""
    text = re.sub(r"\$[^$]*\$", " ", title)
    text = re.sub(r"\\[A-Za-z]+\*?(\{[^}]*\})?", " ", text)
    words = [w for w in re.split(r"[\s{}~]+", text) if w]
    return max((" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)
                if all(c.isascii() for c in " ".join(words[i:j]))), key=len, default="")


def build(build_dir: Path, **kw):
    from generator.build import build_appendix
    return build_appendix(build=build_dir, log=lambda *_: None, **kw)


def test_latex_escape_hostile_strings_have_no_live_markup():
    for s in HOSTILE:
        out = latex_escape(s)
        assert "\n" not in out and "\x00" not in out
        # every backslash starts one of the escape macros, never data-controlled markup
        stripped = re.sub(r"\\(textbackslash|textasciicircum|textasciitilde|textless|textgreater|textbar|"
                          r"textquotedbl|textquotesingle|textasciigrave|ensuremath)\{\}?|\\[{}$&#_%]", "", out)
        stripped = re.sub(r"\\(sigma|neq|to|mathbb)\b", "", stripped)
        assert "\\" not in stripped, (s, out)
        # braces stay balanced so no argument can be closed early
        depth = 0
        for ch in re.sub(r"\\[{}]", "", out):
            depth += {"{": 1, "}": -1}.get(ch, 0)
            assert depth >= 0, (s, out)
        assert depth == 0, (s, out)
    assert latex_escape(None) == ""
    assert latex_escape("a_b") == r"a\_b"


@needs_tex
def test_hostile_strings_typeset_literally(tmp_path):
    body = "\n\n".join(f"[{i}]{latex_escape(s)}[/{i}]" for i, s in enumerate(HOSTILE))
    (tmp_path / "t.tex").write_text("\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage{lmodern}"
                                    "\\usepackage{amssymb,textcomp}\\begin{document}\n" + body + "\n\\end{document}\n")
    proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "t.tex"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-2000:]
    text = pdf_text(tmp_path / "t.pdf")
    assert r"[0]\input{/etc/passwd}[/0]" in text
    assert r"[1]\end{document}[/1]" in text
    assert "[11]a_b^c[/11]" in text
    assert "[12]--- -- ``quotes''[/12]" in text


@needs_tex
def test_fixture_build_renders_everything(tmp_path, pinned_git):
    make_fixture(tmp_path)
    result = build(tmp_path)
    assert result["compiled"] and (tmp_path / "appendix.pdf").exists() and (tmp_path / "supplement.pdf").exists()
    text = both_text(tmp_path, raw=True)
    for t in THEOREMS:
        assert plain(t["title"]) in text, t["title"]
    for a in ACTIVATIONS:
        assert a["name"] in text
    assert "not checked" in text  # width / measure-zero / sinkhorn experiments are missing
    assert "not available" in text  # figures whose columns are missing
    # second run: nothing changed, latexmk does not run again
    again = build(tmp_path)
    assert not again["compiled"]


@needs_tex
def test_latex_error_is_one_line_exit_2_and_keeps_old_pdf(tmp_path, capsys, monkeypatch):
    from absorb.cli import main
    make_fixture(tmp_path, with_mc=False)
    old = b"%PDF-1.5 previous build\n"
    (tmp_path / "appendix.pdf").write_bytes(old)
    from symbolic.io import read_json, write_json_atomic
    theorems = read_json(tmp_path / "symbolic" / "theorems.json")
    theorems[0]["statement"] = r"Broken \undefinedmacroxyz{} statement."
    write_json_atomic(tmp_path / "symbolic" / "theorems.json", theorems)
    monkeypatch.setenv("ABSORB_BUILD", str(tmp_path))
    rc = main(["appendix"])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.count("\n") == 1 and err.startswith("absorb: error: LaTeX error: Undefined control sequence")
    assert "undefinedmacroxyz" in err
    assert (tmp_path / "appendix.pdf").read_bytes() == old


def test_missing_theorems_json_is_one_clear_error(tmp_path, capsys, monkeypatch):
    from absorb.cli import main
    monkeypatch.setenv("ABSORB_BUILD", str(tmp_path))
    monkeypatch.setattr(shutil, "which", lambda tool: "/usr/bin/" + tool)
    assert main(["appendix"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "theorems.json is missing" in err


def test_missing_tex_is_reported(tmp_path, monkeypatch):
    from generator.compile import require_tex
    monkeypatch.setattr(shutil, "which", lambda tool: None)
    with pytest.raises(InputError, match="not found: no TeX installation"):
        require_tex()


@needs_tex
def test_two_clean_builds_are_byte_identical_and_arxiv_compiles(tmp_path, pinned_git):
    a, b = tmp_path / "a", tmp_path / "b"
    make_fixture(a)
    make_fixture(b)
    build(a, arxiv=True)
    build(b, arxiv=True)
    assert (a / "appendix.pdf").read_bytes() == (b / "appendix.pdf").read_bytes()
    assert (a / "supplement.pdf").read_bytes() == (b / "supplement.pdf").read_bytes()
    build(a, force=True)  # rerun over the kept LaTeX work dir: still the same bytes
    assert (a / "appendix.pdf").read_bytes() == (b / "appendix.pdf").read_bytes()
    assert (a / "supplement.pdf").read_bytes() == (b / "supplement.pdf").read_bytes()
    tar_a = (a / "appendix-arxiv.tar.gz").read_bytes()
    assert tar_a == (b / "appendix-arxiv.tar.gz").read_bytes()
    with tarfile.open(fileobj=io.BytesIO(tar_a)) as tar:
        members = tar.getmembers()
        names = [m.name for m in members]
        assert names == sorted(names) and "appendix.tex" in names and "appendix.bbl" in names
        assert all(m.uid == 0 and m.gid == 0 and m.uname == "" and m.gname == "" for m in members)
        assert len({m.mtime for m in members}) == 1
        out = tmp_path / "arxiv"
        tar.extractall(out)
    assert tar_a[4:8] == b"\0\0\0\0"  # gzip header mtime 0
    for _ in range(2):
        proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "appendix.tex"], cwd=out,
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout[-1500:]
    text = pdf_text(out / "appendix.pdf")
    assert "Mijoski" in text and plain(THEOREMS[1]["title"]) in text


@needs_tex
@pytest.mark.skipif(not REAL_PDF.exists(), reason="build/appendix.pdf missing: run `make` first")
def test_real_appendix_lists_every_result_and_activation():
    from generator.data import load_theorems
    text = both_text(REAL_BUILD, raw=True)
    for t in load_theorems(REAL_BUILD):
        assert plain(t["title"]) in text, f"{t['id']}: {t['title']!r} not in the PDF"
    import json
    acts = json.loads((REAL_BUILD / "symbolic" / "activations.json").read_text(encoding="utf-8"))
    for a in acts:
        assert a["name"] in text, a["name"]


def _copy_repo(dest: Path):
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.splitlines()
    for rel in files:
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)


@needs_tex
@pytest.mark.skipif(not (REAL_BUILD / "symbolic" / "theorems.json").exists()
                    or not (REAL_BUILD / "appendix.pdf").exists(), reason="real build/ missing: run `make` first")
def test_extension_new_activation_reaches_the_pdf(tmp_path):
    """Append one [[activation]] to a copy of the repository and run the pipeline pieces: the PDF gains its row,
    its classification certificate and its Lean instance statement, with no other edit."""
    repo, build_copy = tmp_path / "repo", tmp_path / "build"
    _copy_repo(repo)
    shutil.copytree(REAL_BUILD, build_copy, ignore=shutil.ignore_patterns("appendix-arxiv.tar.gz", "cache"))
    toml = repo / "symbolic" / "activations.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[[activation]]\nname = "swish2"\nkind = "ungated"\n'
                    'expression = "z*sigmoid(2*z)"\ncite = "extension test"\n', encoding="utf-8")
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                           if not (Path(p) / "lake").exists())  # regenerate Lean statements without typechecking
    env = dict(os.environ, ABSORB_BUILD=str(build_copy), PYTHONPATH=str(repo), PATH=path)
    steps = [[sys.executable, "-m", "symbolic.build"]]
    if (repo / "absorb" / "cmd_lean.py").exists():
        steps.append([sys.executable, "-m", "absorb.cli", "lean"])
    if (repo / "absorb" / "cmd_mc.py").exists():  # the positive control of a conditional activation
        steps.append([sys.executable, "-m", "absorb.cli", "mc", "planted", "--samples", "1"])
    steps += [[sys.executable, "-m", "symbolic.theorems"], [sys.executable, "-m", "absorb.cli", "appendix"]]
    for cmd in steps:
        proc = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, (cmd, proc.stderr[-2000:])
    text = pdf_text(build_copy / "supplement.pdf")
    assert "swish2" in text
    assert "z*sigmoid(2*z)" in text  # its row in the activation table
    if (repo / "absorb" / "cmd_lean.py").exists():
        assert "act_swish2" in text or "swish2_statement" in text  # its Lean instance statement
    cert = text[text.index("1 Classification certificates"):]
    section = cert[cert.index("swish2 Kind"):][:4000]
    assert "verdict conditional" in section  # z*sigmoid(2z) - (-z)*sigmoid(-2z) = z: the sign-flip class
    if (repo / "absorb" / "cmd_mc.py").exists():
        assert "Positive control: planted index sets" in section
        planted = text[text.index("Planted index sets per activation"):]
        assert "swish2" in planted[:6000] and "max_rel_err" in planted[:600]


@needs_tex
def test_hostile_data_still_compiles(tmp_path, pinned_git):
    """Plain strings from data are escaped everywhere they appear (titles, names, notes, CSV cells and headers)."""
    from symbolic.io import read_json, write_json_atomic, write_text_atomic
    make_fixture(tmp_path)
    theorems = read_json(tmp_path / "symbolic" / "theorems.json")
    theorems[0]["title"] = "Odd ] title [with] 100% & $dollars$ #1 \\relax {brace"
    theorems[0]["hypotheses"] = ["plain 50% & _ hypothesis"]
    write_json_atomic(tmp_path / "symbolic" / "theorems.json", theorems)
    acts = read_json(tmp_path / "symbolic" / "activations.json")
    acts[0]["name"] = "we!rd_[x]%&"
    acts[0]["notes"] = ["\\end{document} } { # ~"]
    write_json_atomic(tmp_path / "symbolic" / "activations.json", acts)
    write_text_atomic(tmp_path / "mc" / "obstructions.csv", "activation,t,witness,odd col_%&\n")
    write_text_atomic(tmp_path / "mc" / "planted.csv", "activation,max_rel_err\nwe!rd_[x]%&,nan\n\\x,1e-3\n")
    build(tmp_path)
    text = both_text(tmp_path, raw=True)
    assert "Odd ] title [with] 100% & $dollars$ #1 \\relax {brace" in text
    assert "we!rd_[x]%&" in text and "\\end{document} } { # ~" in text


def _count_pdflatex_passes(monkeypatch, tmp_path, body):
    """Compile a one-page document with run_latexmk; return how many pdflatex passes ran after latexmk's own."""
    from generator import compile as compile_mod
    (tmp_path / "doc.tex").write_text("\\documentclass{article}\\begin{document}" + body + "\\end{document}\n")
    calls = []
    real_run = compile_mod.subprocess.run

    def counting_run(cmd, *args, **kwargs):
        if cmd[0] == "pdflatex":
            calls.append(cmd)
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(compile_mod.subprocess, "run", counting_run)
    assert compile_mod.run_latexmk(tmp_path, "doc.tex", 0).exists()
    return len(calls)


@needs_tex
def test_latexmk_stale_cross_references_get_extra_passes(monkeypatch, tmp_path):
    """A log that still asks for a rerun after latexmk (labels that moved within one second keep the .aux's time
    and size) gets bounded extra pdflatex passes; a settled document gets none."""
    from generator.compile import MAX_EXTRA_PASSES
    for sub in ("settled", "stale"):
        (tmp_path / sub).mkdir()
    assert _count_pdflatex_passes(monkeypatch, tmp_path / "settled", "x\\label{a} \\pageref{a}") == 0
    assert _count_pdflatex_passes(monkeypatch, tmp_path / "stale",
                                  "\\typeout{LaTeX Warning: Rerun to get cross-references right.}x") == MAX_EXTRA_PASSES
