"""Context for the paper (build/appendix.pdf) beyond what build.py assembles: the trusted base of the Rocq proofs
(versions, lines of Coq, axioms and who uses them, coqchk), one row per result mapping it to its Rocq theorem with
file:line, axioms and scope, claim 5 per activation, one-line evidence summaries per result and claim titles with
their mathematics in math mode. Everything is read from build/ and proofs/ at build time; nothing is typed in.
"""
import functools
import re
import subprocess
from pathlib import Path

from generator.latex import id_break, latex_escape, prose, tt_break
from symbolic.coverage import CLAIM5_TARGET

DEBIAN_PACKAGES = (("Coq", "coq"), ("MathComp", "libcoq-mathcomp-algebra"),
                   ("MathComp-Analysis", "libcoq-mathcomp-analysis"), ("Coquelicot", "libcoq-coquelicot"))
DECL = re.compile(r"^[ \t]*(?:Local\s+|Global\s+)?(Theorem|Lemma|Corollary|Proposition|Fact|Remark|Definition|Fixpoint)"
                  r"\s+([A-Za-z_][\w']*)\b", re.M)

# Unicode mathematics in registry titles and corrections, typeset in math mode.
_REL = {"≠": r"\neq ", "≥": r"\ge ", "≤": r"\le ", "=": "=", "<": "<", ">": ">"}
MATH_RUN = re.compile(r"(W_down\[:,S\] W_up\[S,:\]|[A-Za-z](?:\([0-9A-Za-z]\))?|[a-z]_[a-z0-9]+)\s*(≠|≥|≤|=|<|>)\s*"
                      r"(−?[0-9]+(?:\.[0-9]+)?|−?[A-Z]\b|[a-z]\b)")


def _math_token(tok: str) -> str:
    tok = tok.replace("−", "-")
    if tok.startswith("W_down"):
        return r"W_{down}[:,S]\,W_{up}[S,:]"
    return re.sub(r"_([a-z0-9]+)", r"_{\1}", tok)


def mathify(text) -> str:
    """Escape a registry title or correction and put its formulas ("k ≠ 1", "d ≥ 2", "g(0) = 0") in math mode."""
    text = "" if text is None else str(text)
    out, last = [], 0
    lone = lambda seg: re.sub(r"(?<=\s)([gSL])(?=[\s,.;)]|$)", r"$\1$", prose(seg))  # noqa: E731
    for m in MATH_RUN.finditer(text):
        out.append(lone(text[last:m.start()]))
        out.append("$" + _math_token(m.group(1)) + _REL[m.group(2)] + _math_token(m.group(3)) + "$")
        last = m.end()
    out.append(lone(text[last:]))
    return "".join(out).replace("−", "$-$")


PRIMITIVES = {"Coq.Floats.PrimFloat.": "primitive floating-point operations",
              "Coq.Numbers.Cyclic.Int63.PrimInt63.": "primitive 63-bit integer operations"}


def coqchk_axioms(names) -> list:
    """coqchk's axiom list for the text: the standard library's primitive-type operations (registered by the
    library whether or not a proof uses them) counted per group, every other axiom named."""
    names = [a for a in names or [] if isinstance(a, str)]
    out = []
    for prefix, what in PRIMITIVES.items():
        group = [a for a in names if a.startswith(prefix)]
        if group:
            out.append(f"{len(group)} {what} (\\texttt{{{tt_break(prefix.rstrip('.'))}}})")
    out += [f"\\texttt{{{tt_break(a)}}}" for a in names if not any(a.startswith(p) for p in PRIMITIVES)]
    return out


def debian_versions():
    """[(name, version)] of the Rocq libraries the proofs compile against (Debian packages), or "not installed"."""
    out = []
    for name, pkg in DEBIAN_PACKAGES:
        try:
            proc = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True,
                                  timeout=30)
            version = proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip() else "not installed"
        except (OSError, subprocess.SubprocessError):
            version = "not installed"
        out.append((name, version))
    return out


def coq_files(proofs: Path):
    """The .v files of the development (from _CoqProject when present), in project order."""
    project = proofs / "_CoqProject"
    if project.exists():
        names = [ln.strip() for ln in project.read_text(encoding="utf-8").splitlines()
                 if ln.strip().endswith(".v") and not ln.strip().startswith("-")]
        return [proofs / n for n in names if (proofs / n).exists()]
    return sorted(proofs.glob("*.v"))


def count_lines(files) -> dict:
    """Lines of Coq counted now: total, and non-blank lines outside comments."""
    total = code = 0
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        total += len(text.splitlines())
        stripped = re.sub(r"\(\*.*?\*\)", "", text, flags=re.S)
        code += sum(1 for ln in stripped.splitlines() if ln.strip())
    return {"files": len(files), "lines": total, "code": code}


def locate(rocq_name: str, proofs: Path):
    """("File.v", line) of a fully qualified Rocq name SkipAbsorption.File.name, or None when not found."""
    parts = str(rocq_name or "").split(".")
    if len(parts) < 3:
        return None
    path = proofs / (parts[-2] + ".v")
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8", errors="replace")
    for m in DECL.finditer(text):
        if m.group(2) == parts[-1]:
            return path.name, text.count("\n", 0, m.start()) + 1
    return None


def short_axiom(name: str) -> str:
    """`Coq.Logic.Classical_Prop.classic` -> `classic` (the library is named in the axioms table)."""
    return str(name).split(".")[-1]


def trusted_base(inputs, theorems, root: Path, order=None) -> dict:
    """Versions, lines of Coq, the axioms and the results that use each, coqchk (when build/proofs/coqchk.json
    exists)."""
    proofs = root / "proofs"
    axioms = inputs.get("axioms") if isinstance(inputs.get("axioms"), dict) else {}
    status = inputs.get("proof_status") if isinstance(inputs.get("proof_status"), dict) else {}
    users = {}
    for tid, entry in sorted(axioms.items()):
        if isinstance(entry, dict):
            for ax in entry.get("axioms") or []:
                users.setdefault(str(ax), []).append(tid)
    ids = {t["id"] for t in theorems}
    order = order or {t["id"]: k for k, t in enumerate(theorems)}  # the users of an axiom in the paper's order
    axiom_rows = [{"name": tt_break(ax), "short": latex_escape(short_axiom(ax)),
                   "users": [(u, id_break(u)) for u in sorted(us, key=lambda u: (order.get(u, len(order)), u))
                             if u in ids]} for ax, us in sorted(users.items())]
    coqchk = inputs.get("coqchk")
    chk = None
    if isinstance(coqchk, dict):
        ok = coqchk.get("ok")
        chk = {"ok": ok is True, "failed": ok is False,
               "files": coqchk.get("files") if isinstance(coqchk.get("files"), int) else
               (len(coqchk["files"]) if isinstance(coqchk.get("files"), (list, dict)) else None),
               "axioms": coqchk_axioms(coqchk.get("axioms")),
               "version": latex_escape(coqchk.get("coqchk") or coqchk.get("version") or "")}
    lines = count_lines(coq_files(proofs)) if proofs.exists() else None
    return {"coqc": latex_escape(status.get("coqc") or "not checked"), "ok": status.get("ok"),
            "libraries": [(latex_escape(a), latex_escape(b)) for a, b in debian_versions()],
            "lines": lines, "axioms": axiom_rows, "n_with_axioms": len({u for us in users.values() for u in us}),
            "n_proved": len(axioms), "coqchk": chk}


def rocq_table(theorems, coverage_results, root: Path) -> list:
    """One row per result: Rocq theorem, file:line, axioms (short names), scope or 'full statement'."""
    proofs = root / "proofs"
    closure = {r["id"]: r.get("rocq_closure") for r in coverage_results or [] if isinstance(r, dict)}
    cov_scope = {r["id"]: r.get("rocq_scope") for r in coverage_results or [] if isinstance(r, dict)}
    rows = []
    for t in theorems:
        if t["kind"] == "definition":
            continue
        names = (t.get("evidence") or {}).get("rocq") or []
        name = t.get("rocq") or (names[0] if isinstance(names, list) and names else names or None)
        status = t["status"].get("rocq", "n/a")
        where = locate(name, proofs) if name else None
        axioms = t.get("rocq_axioms")
        if status in ("checked", "partial"):
            scope_text = t.get("rocq_scope") or cov_scope.get(t["id"])
            scope = ("part: " + hypothesis_latex(scope_text)) if scope_text else (
                "full statement" if closure.get(t["id"], status) == "checked" else
                "full statement, under uses not all checked in Rocq" +
                (" (per activation: \\cref{tab:claim5})" if t["id"] == CLAIM5_TARGET else ""))
        elif status == "n/a":
            scope = "human proof" if t["kind"] != "conjecture" else "conjecture"
        else:
            scope = latex_escape(status)
        rows.append({"id": t["id"], "id_text": id_break(t["id"]), "status": status,
                     "name": tt_break(str(name).split(".", 1)[-1]) if name and status != "n/a" else "--",
                     "where": latex_escape(f"{where[0]}:{where[1]}") if where else "--",
                     "axioms": ("none" if not axioms else ", ".join(
                         latex_escape(short_axiom(a)).replace("\\_", "\\_\\allowbreak{}") for a in axioms))
                     if status in ("checked", "partial") and axioms is not None else "--",
                     "scope": scope})
    return rows


# How the paper names the activations of the registry (symbolic/activations.toml) in its tables.
DISPLAY = {"relu": "ReLU", "leaky_relu": "LeakyReLU", "gelu": "GELU (erf)", "gelu_tanh": "GELU (tanh)",
           "silu": "SiLU", "quick_gelu": "QuickGELU", "softplus": "Softplus", "hardswish": "Hardswish",
           "relu2": "ReLU$^2$", "relu3": "ReLU$^3$", "cube": "$z^3$", "tanh": "tanh", "sigmoid": "sigmoid",
           "elu": "ELU", "mish": "Mish", "abs": "$\\lvert z\\rvert$", "reglu": "ReGLU", "swiglu": "SwiGLU",
           "geglu": "GeGLU", "glu": "GLU", "bilinear": "bilinear GLU"}


def display_name(key) -> str:
    """An activation as a reader names it ("ReLU$^2$", "SwiGLU"), never its data key ("relu2")."""
    return DISPLAY.get(str(key), latex_escape(str(key).replace("_", " ")))


def claim5_rows(coverage_data, ids) -> list:
    """Claim 5 per activation, from coverage.json's `activations` (symbolic.coverage.activations_claim5)."""
    rows = []
    acts = coverage_data.get("activations") if isinstance(coverage_data, dict) else None
    for a in acts if isinstance(acts, list) else []:
        if not isinstance(a, dict):
            continue
        inst = a.get("instance") if isinstance(a.get("instance"), dict) else {}
        gaps = [g for g in a.get("gaps") or [] if isinstance(g, str)]
        prose_ids = [(g, id_break(g)) for g in gaps if g != "instance" and g in ids]
        case = str(a.get("case", ""))
        if case == "relu":
            text = "ReLU type, $e(z)=\\kappa\\lvert z\\rvert$"
        else:
            crit = "criterion (i), analytic" if case == "analytic" else "criterion (ii), kink"
            text = f"even part class-identifiable ({crit})"
        how = str(inst.get("how", ""))
        how = ("proved only on paper" if how.startswith("prose") else
               "proved in Rocq" if how == "Rocq" else prose(how))
        rows.append({"name": DISPLAY.get(str(a.get("activation", "")), latex_escape(a.get("activation", ""))),
                     "case": "ReLU type" if case == "relu" else latex_escape(case),
                     # a SymPy-checked instance is named in the status itself, not only in the instance column
                     "status": latex_escape(a.get("status", "not checked")) +
                     (" (instance by SymPy)" if a.get("status") == "machine-checked" and "SymPy" in str(inst.get("how"))
                      else ""),
                     "checked": a.get("status") == "machine-checked",
                     "instance": text, "how": how,
                     "instance_checked": inst.get("checked") is True, "gaps": prose_ids})
    return rows


def evidence_line(t, coverage_row, rocq_row, supplement) -> str:
    """One sentence: how this result is checked, with pointers into the supplement."""
    st = t["status"]
    parts = []
    if rocq_row and rocq_row["status"] in ("checked", "partial"):
        where = f" ({rocq_row['where']})" if rocq_row["where"] != "--" else ""
        if st.get("rocq") == "partial":
            parts.append(f"Rocq proof of part of the statement, \\texttt{{{rocq_row['name']}}}{where}: "
                         f"{rocq_row['scope'][len('part: '):].rstrip().rstrip('.')}")
        elif coverage_row and coverage_row.get("rocq_closure") not in (None, "checked"):
            parts.append(f"Rocq proof \\texttt{{{rocq_row['name']}}}{where}; some results it uses are not fully "
                         "proved in Rocq, so it counts as partial" +
                         (" (per activation, \\cref{tab:claim5} says where every step is in Rocq)"
                          if t["id"] == CLAIM5_TARGET else ""))
        else:
            parts.append(f"Rocq proof \\texttt{{{rocq_row['name']}}}{where}")
    elif st.get("rocq") in ("not checked", "failed"):
        parts.append(f"Rocq proof linked but {latex_escape(st['rocq'])}")
    if st.get("sympy") == "checked":
        parts.append(f"identities checked by SymPy ({supplement['derivations']})")
    elif st.get("sympy") in ("failed", "not checked"):
        parts.append(f"SymPy derivation {latex_escape(st['sympy'])}")
    if st.get("mc") == "checked":
        ns = sorted({n for n in (coverage_row or {}).get("mc_samples") or [] if isinstance(n, int)})
        parts.append("Monte Carlo sanity check" + (f", $n={','.join(map(str, ns))}$" if ns else "") +
                     f" ({supplement['mc']})")
    elif st.get("mc") in ("failed", "not checked"):
        parts.append(f"Monte Carlo check {latex_escape(st['mc'])}")
    if st.get("lean") == "stated":
        parts.append("Lean statement generated, not typechecked")
    if not parts or all(p.startswith("Lean") for p in parts):
        parts.insert(0, "conjecture; nothing checks it" if t["kind"] == "conjecture" else "human proof only")
    return "; ".join(parts) + "."


# ASCII hypotheses ("k != 1", "C^1 off {+-z0}") -> LaTeX with their formulas in math mode.
_GREEK = ("sigma", "gamma", "kappa", "alpha", "beta", "phi", "epsilon")
_WORDS = {"rank": r"\operatorname{rank}", "min": r"\min", "R": r"\mathbb{R}", "...": r"\dots"}
_TOKEN = re.compile(r"\s+|[^\s]+")
_TEXT_TAG = re.compile(r"^(\((G[-\w]*|i|ii|iii)\)|a)[:,;]?$")


_SAFE = re.compile(r"[A-Za-z0-9_^(){}|+\-=<>!/.,;:'*\[\]∈]+")


def _is_math(tok: str) -> bool:
    core = tok.strip(",;:")
    if not core or _TEXT_TAG.match(core) and not core.startswith("(IC"):
        return False
    if re.fullmatch(r"\(?[a-z]{2,}\)?", core) and core.strip("()") not in _GREEK + ("det", "min", "max", "rank"):
        return False  # an English word next to a parenthesis ("(on each piece)") is text
    if re.fullmatch(r"[=<>!+\-/*]+|\.\.\.", core):
        return True  # an operator joins the formula around it
    if not _SAFE.fullmatch(core) or not re.search(r"[A-Za-z0-9]", core):
        return False  # anything TeX would read as markup stays escaped text
    if core in _GREEK or core in _WORDS or re.fullmatch(r"[A-Za-z]'*", core) or core.startswith("sum_"):
        return True
    if re.fullmatch(r"[A-Za-z]+", core):
        return bool(re.fullmatch(r"(?:sigma|gamma|kappa|alpha|beta|phi|epsilon|det)", core))
    if re.search(r"(?<![_\\])\b(?!sigma|gamma|kappa|alpha|beta|phi|epsilon|rank|min\b|max\b|det\b)[A-Za-z]{3,}", core):
        return False
    return bool(re.search(r"[=<>!^_|/+\-\d(){}\\]", core)) and not re.fullmatch(r"[A-Za-z]+-[A-Za-z]+", core)


def _math_of(run: str) -> str:
    s = run
    s = s.replace("!=", r"\neq ").replace(">=", r"\ge ").replace("<=", r"\le ").replace("+-", r"\pm ")
    s = re.sub(r"(?<!\\)sum_", r"\\sum_", s)
    s = s.replace("^T", r"^\top").replace("W_up", "W_{up}").replace("W_down", "W_{down}")
    s = s.replace("IC_c", r"\mathrm{IC}_c").replace("...", r"\dots ")
    s = re.sub(r"\|([^|]+)\|", r"\\lvert \1\\rvert ", s)
    s = re.sub(r"\{\\pm ([a-z0-9]+)\}", r"\\{\\pm \1\\}", s)
    s = re.sub(r"(?<![\\A-Za-z])(sigma|gamma|kappa|alpha|beta|phi|epsilon)(?![A-Za-z])", r"\\\1", s)
    s = s.replace("∈", r"\in ")
    s = re.sub(r"\b(rank)\b", r"\\operatorname{rank}", s)
    s = re.sub(r"\b(min|max|det)\(", r"\\\1(", s)
    s = re.sub(r"\bdet\b(?!\()", r"\\det", s)
    s = re.sub(r"(?<![\\\w])R\b", r"\\mathbb{R}", s)
    s = re.sub(r"([A-Za-z])_([A-Za-z0-9]{2,})", r"\1_{\2}", s)
    s = re.sub(r"\bz0\b", "z_0", s)
    return s


_ADJECTIVES = frozenset({"class-identifiable"})  # ids that the registry's plain text also uses as adjectives


@functools.lru_cache(maxsize=1)
def _result_id_pattern():
    """The hyphenated registry ids (one word each in plain text), longest first; None without a registry."""
    try:
        from symbolic.theorems import load_registry
        ids = sorted((e["id"] for e in load_registry() if "-" in e["id"] and e["id"] not in _ADJECTIVES),
                     key=len, reverse=True)
    except Exception:  # noqa: BLE001 - no registry (fixtures): leave the text as it is
        return None
    return re.compile(r"(?<![\w\-\\{])(" + "|".join(map(re.escape, ids)) + r")(?![\w\-}])") if ids else None


def cite_results(latex: str) -> str:
    """A registry id named in plain text (a Rocq scope, a hypothesis) becomes a cross-reference to its result, so
    the reader sees "Corollary 2.22", never the project's stable id."""
    pat = _result_id_pattern()
    return pat.sub(lambda m: "\\cref{" + m.group(1) + "}", latex) if pat else latex


def hypothesis_latex(text) -> str:
    """A registry hypothesis as LaTeX: kept when it carries its own $...$, else its formulas in math mode; a registry
    id in it becomes a cross-reference (cite_results)."""
    return cite_results(_hypothesis_latex(text))


def _hypothesis_latex(text) -> str:
    text = str(text or "").strip()
    if "$" in text or "\\(" in text:
        return text
    toks = _TOKEN.findall(text.replace("sum_{i in S}", "sum_{i∈S}"))
    out, run = [], []

    def flush():
        if run:
            body = "".join(run).rstrip()
            end = len(body)
            while end and (body[end - 1] in ",;:" or body[end - 1] == "." and not body[:end].endswith("...")):
                end -= 1  # sentence punctuation after a formula stays in the text ("abstract $N$).")
            body, tail = body[:end], body[end:]
            space = "".join(run)[len("".join(run).rstrip()):]
            head = ""
            if body.startswith("(") and body.count("(") > body.count(")"):
                head, body = "(", body[1:]  # a parenthesis opened in the prose around the formula
            if body.endswith(")") and body.count(")") > body.count("("):
                body, tail = body[:-1], ")" + tail
            out.append(head + "$" + _math_of(body) + "$" + tail + space)
            run.clear()
    for tok in toks:
        if tok.isspace():
            (run if run else out).append(tok)
            continue
        if _is_math(tok) or (run and tok in ("and",) and False):
            run.append(tok)
        else:
            flush()
            out.append(prose(tok))
    flush()
    return "".join(out)
