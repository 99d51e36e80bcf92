"""latexmk (pdfLaTeX) in a work directory: readable one-line errors, deterministic output, arXiv tarball."""
import gzip
import io
import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

from symbolic.errors import InputError

LATEXMK_TIMEOUT = 600
MAX_EXTRA_PASSES = 3
RERUN = re.compile(r"Rerun to get|Label\(s\) may have changed")
# Every pdflatex run: no \write18 (shell escape off even if texmf.cnf enables it), never stop for input.
PDFLATEX = ["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error"]


def require_tex():
    missing = [tool for tool in ("pdflatex", "latexmk", "bibtex") if shutil.which(tool) is None]
    if missing:
        raise InputError(
            f"{', '.join(missing)} not found: no TeX installation, so no appendix was built "
            "(Debian: apt-get install texlive-latex-extra texlive-science texlive-fonts-recommended lmodern latexmk)")


def tex_env(epoch: int):
    env = dict(os.environ)
    # openin_any/openout_any = p (kpathsea "paranoid"): TeX may read and write only relative paths below the work
    # directory plus the TeX tree, so no registry string can \input, \openin or \pdfobj a file of the builder.
    env.update({"SOURCE_DATE_EPOCH": str(epoch), "FORCE_SOURCE_DATE": "1", "TZ": "UTC", "LC_ALL": "C",
                "max_print_line": "1000", "error_line": "254", "half_error_line": "238",
                "openin_any": "p", "openout_any": "p", "shell_escape": "f"})
    for var in ("TEXINPUTS", "BIBINPUTS", "BSTINPUTS"):
        env.pop(var, None)
    return env


def first_error(log_text: str, fallback: str = "") -> str:
    """The first `!` line of a TeX log with its context (the `l.<n>` line), as one line."""
    lines = log_text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("!"):
            message = line[1:].strip()
            context = ""
            for follow in lines[i + 1:i + 12]:
                m = re.match(r"l\.(\d+)\s?(.*)", follow)
                if m:
                    context = f" at line {m.group(1)}: {m.group(2).strip()}"
                    break
            if message.startswith("LaTeX Error:"):
                message = message[len("LaTeX Error:"):].strip()
            text = f"LaTeX error: {message}{context}"
            return re.sub(r"\s+", " ", text)[:400]
    for line in lines:
        if re.search(r"error|emergency stop", line, re.I):
            return re.sub(r"\s+", " ", f"LaTeX error: {line.strip()}")[:400]
    return fallback or "LaTeX failed without an error message in the log"


def run_latexmk(workdir: Path, main: str, epoch: int, force: bool = False) -> Path:
    """Compile workdir/main with latexmk -pdf; return the PDF path or raise InputError with one line."""
    require_tex()
    cmd = ["latexmk", "-norc", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "-silent",
           "-pdflatex=pdflatex -no-shell-escape %O %S", *(["-g"] if force else []), main]
    try:
        proc = subprocess.run(cmd, cwd=workdir, env=tex_env(epoch), capture_output=True, text=True,
                              timeout=LATEXMK_TIMEOUT, errors="replace")
    except subprocess.TimeoutExpired:
        raise InputError(f"latexmk took longer than {LATEXMK_TIMEOUT} s on {workdir / main}") from None
    log = workdir / (Path(main).stem + ".log")
    pdf = workdir / (Path(main).stem + ".pdf")
    log_text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    if proc.returncode != 0:
        blg = workdir / (Path(main).stem + ".blg")
        fallback = ""
        if blg.exists():
            for line in blg.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith("I ") or "error" in line.lower():
                    fallback = "BibTeX error: " + line.strip()
                    break
        if not fallback:
            tail = [ln for ln in (proc.stdout + proc.stderr).splitlines() if ln.strip()]
            fallback = "latexmk failed: " + (tail[-1].strip() if tail else f"exit status {proc.returncode}")
        raise InputError(first_error(log_text, fallback))
    if not pdf.exists() or pdf.stat().st_size == 0:
        raise InputError(first_error(log_text, f"latexmk produced no PDF in {workdir}"))
    # latexmk re-runs only when an auxiliary file's time or size changed; a label that moves from page 3 to page 4
    # within the same second leaves both unchanged, so the cross-references can stay one pass behind. The log
    # says so; extra pdflatex passes (at most MAX_EXTRA_PASSES) settle them.
    for _ in range(MAX_EXTRA_PASSES):
        if not RERUN.search(log_text):
            break
        try:
            subprocess.run([*PDFLATEX, main], cwd=workdir, env=tex_env(epoch), capture_output=True, text=True,
                           timeout=LATEXMK_TIMEOUT, errors="replace", check=True)
        except subprocess.TimeoutExpired:
            raise InputError(f"pdflatex took longer than {LATEXMK_TIMEOUT} s on {workdir / main}") from None
        except subprocess.CalledProcessError:
            raise InputError(first_error(log.read_text(encoding="utf-8", errors="replace"),
                                         f"pdflatex failed on {main}")) from None
        log_text = log.read_text(encoding="utf-8", errors="replace")
    return pdf


def arxiv_tarball(workdir: Path, members, epoch: int) -> bytes:
    """A .tar.gz of `members` (paths relative to workdir): sorted, mtime=epoch, owner 0/0 with empty names,
    gzip header mtime 0, so the archive is byte-reproducible."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for rel in sorted(set(members)):
            data = (workdir / rel).read_bytes()
            info = tarfile.TarInfo(name=rel)
            info.size = len(data)
            info.mtime = epoch
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.type = tarfile.REGTYPE
            tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()
