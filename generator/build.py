"""Assemble build/appendix.pdf from build/: render the Jinja2 template, write figure data, run latexmk.

The LaTeX work directory build/appendix/ is kept between runs; latexmk only runs when the content hash of the
generated .tex, figure data and bibliography changed. The finished PDF replaces build/appendix.pdf atomically, so
a failed build leaves the previous PDF in place.
"""
import datetime as _dt
import hashlib
import importlib.metadata
import platform
import re
import subprocess
import time
from pathlib import Path

from generator import graph as graphmod
from generator import citations, intro, layout, mcfigures, paper, plots, sections, separation, steps
from generator.compile import PDFLATEX, arxiv_tarball, first_error, require_tex, run_latexmk, tex_env
from generator.data import git_info, load_inputs, source_date_epoch
from generator.latex import check_registry_latex, environment, latex_escape, lean_literate, lean_source, prose, tt_break
from symbolic.errors import InputError
from symbolic.io import write_bytes_atomic, write_text_atomic
from symbolic.paths import ROOT, build_dir

MAIN = "appendix.tex"
SUPPLEMENT_MAIN = "supplement.tex"
BIB = Path(__file__).resolve().parent / "references.bib"
HASH_FILE = ".inputs.sha256"
TITLE = "Skip Absorption: a reference implementation"
SUBTITLE = "Can an MLP block absorb its own skip connection? Evidence appendix"

KIND_ENVS = {"definition": "definition", "lemma": "lemma", "theorem": "theorem", "proposition": "proposition",
             "corollary": "corollary", "conjecture": "conjecture", "remark": "remark", "example": "example",
             "claim": "claim", "counterexample": "counterexample", "fact": "fact", "observation": "observation"}
STATUS_MACROS = {"checked": r"\stchecked", "failed": r"\stfailed", "not checked": r"\stnot", "n/a": r"\stna",
                 "stated": r"\ststated"}
PACKAGES = ["skip-absorption", "sympy", "numpy", "numba", "scipy", "networkx", "jinja2", "safetensors", "mpmath",
            "llvmlite"]
CLAIM_TEXT = {1: "invertible linear skip reduces to the identity skip", 2: "degree $k\\neq1$: impossible",
              3: "gate with $g(0)=0$: impossible", 4: "depth $L$", 5: "generic ReLU/GELU: index condition",
              6: "the index condition fails with probability 1", 7: "deep ReLU/GELU is open"}


def status_macro(value) -> str:
    return STATUS_MACROS.get(str(value), latex_escape(value))


def _maybe_latex(text) -> str:
    """Strings that carry their own math ($...$ or \\(...\\)) are LaTeX; anything else is escaped text."""
    text = str(text)
    return text if ("$" in text or "\\(" in text) else latex_escape(text)


def _strip_doc(lean: str) -> str:
    """Drop a leading Lean doc comment: it repeats the LaTeX statement printed just above the listing."""
    text = (lean or "").lstrip()
    if text.startswith("/--") and "-/" in text:
        text = text[text.index("-/") + 2:].lstrip("\n")
    return text


def _math(text) -> str:
    """A LaTeX math field: wrapped in $...$ unless it already carries its own math delimiters. The weight names
    are set one way throughout (italic subscripts, as in the statements)."""
    text = str(text or "").strip().replace("W_{\\mathrm{down}}", "W_{down}").replace("W_{\\mathrm{up}}", "W_{up}")
    if not text:
        return ""
    return text if ("$" in text or "\\(" in text) else f"${text}$"


def _steps(step_list, ids=()):
    """Certificate or derivation steps; numbered places of the working notes in a claim become \\cref (numbering)."""
    from generator.numbering import resolve

    out = []
    for s in step_list or []:
        if not isinstance(s, dict):
            continue
        claim = resolve(str(s.get("claim") or "").strip(), ids)
        inline = "$" in claim or "\\(" in claim  # claims are math mode unless they carry their own $...$
        raw_claim, lhs = str(s.get("claim") or ""), str(s.get("lhs") or "")
        # code names in typewriter, formulas in math, a limit with its side (generator/steps.py)
        method = citations.replace_note_refs(str(s.get("method") or ""), ids,
                                             lambda text: steps.method_latex(text, raw_claim, lhs))
        out.append({"claim": claim, "text_claim": inline, "method": method,
                    "relation": latex_escape(s.get("relation") or ""),
                    "verified": status_macro("checked" if s.get("verified") else "failed")})
    return out


def _aggregate(values):
    """One status for a group of results: failed > not checked > checked; n/a only if nothing is linked."""
    linked = [v for v in values if v != "n/a"]
    if not linked:
        return "n/a"
    if "failed" in linked:
        return "failed"
    if all(v == "checked" for v in linked):
        return "checked"
    if all(v == "stated" for v in linked):
        return "stated"
    return "not checked"


def claim_rows(theorems):
    """One row per paper claim 1..7 and one for the results beyond the paper, statuses aggregated over the
    registry entries that carry that claim number (computed, never typed in)."""
    rows = []
    for claim in sorted({t["claim"] for t in theorems}, key=lambda c: (c == 0, c)):
        group = [t for t in theorems if t["claim"] == claim]
        tags = {t["tag"] for t in group}
        tag = "C" if "C" in tags else "S" if "S" in tags else "P" if "P" in tags else "?"
        row = {"claim": claim, "text": CLAIM_TEXT.get(claim, "results beyond the paper" if claim == 0 else ""),
               "n": len(group), "tag": tag,
               "ids": [(t["id"], latex_escape(t["id"])) for t in group]}
        for axis in ("sympy", "rocq", "lean", "mc"):
            row[axis] = status_macro(_aggregate([t["status"].get(axis, "n/a") for t in group]))
        rows.append(row)
    return rows


def read_citation(root: Path):
    """Minimal reader for the fields of CITATION.cff that the BibTeX block repeats (no YAML dependency)."""
    path = root / "CITATION.cff"
    info = {"title": TITLE, "version": "", "license": "", "authors": []}
    if not path.exists():
        return info
    top_authors = False
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r'^([a-z-]+):\s*"?(.*?)"?\s*$', line)
        if m:
            top_authors = m.group(1) == "authors"
            if m.group(1) in ("title", "version", "license") and m.group(2):
                info[m.group(1)] = m.group(2)
            continue
        m = re.match(r'^  - name:\s*"?(.*?)"?\s*$', line)
        if m and top_authors:
            info["authors"].append(m.group(1))
    return info


def bibtex_block(citation, year: int) -> str:
    authors = " and ".join("{" + a + "}" for a in citation["authors"]) or "{Skip Absorption artifact contributors}"
    lines = ["@software{skip_absorption,", f"  title   = {{{citation['title']}}},", f"  author  = {{{authors}}},",
             f"  version = {{{citation['version']}}},", f"  year    = {{{year}}},",
             f"  license = {{{citation['license']}}},", "  note    = {Generated evidence appendix}", "}"]
    return lean_source("\n".join(lines))


def lean_declarations(root: Path):
    """{activation name: {"lean", "skip"}} from the generated lean/ (symbolic.lean.freshness owns its layout)."""
    from symbolic.lean.freshness import activation_statements

    return activation_statements(root / "lean")


def activation_lean(act, decls):
    """The activation's Lean instance statement: `act_<ident>` and `<ident>_statement` from lean/ (generated by
    `absorb lean` from the activation registry), or a `lean_statement` field when the classifier provides one."""
    for key in ("lean_statement", "lean"):
        if isinstance(act.get(key), str) and act[key].strip():
            return act[key], ""
    name = str(act.get("name", ""))
    if not name:
        return "", ""
    found = decls.get(name) or {}
    return found.get("lean", ""), found.get("skip", "")


def tool_versions(proof_status):
    versions = [("Python", platform.python_version())]
    for pkg in PACKAGES:
        try:
            versions.append((pkg, importlib.metadata.version(pkg)))
        except importlib.metadata.PackageNotFoundError:
            versions.append((pkg, "not installed"))
    coqc = proof_status.get("coqc") if isinstance(proof_status, dict) else None
    versions.append(("coqc (from build/proofs/status.json)", str(coqc) if coqc else "not checked"))
    for tool in ("pdflatex", "latexmk"):
        try:
            out = subprocess.run([tool, "--version"], capture_output=True, text=True, timeout=30)
            first = next((ln.strip() for ln in out.stdout.splitlines() if ln.strip()), "unknown")
        except (OSError, subprocess.SubprocessError):
            first = "not installed"
        versions.append((tool, first))
    return [(latex_escape(a), latex_escape(b)) for a, b in versions]


def _figure(files, name, tex_or_none, extra, caption):
    """Register one standalone figure; a figure that cannot be drawn is listed with its reason."""
    if tex_or_none is None:
        return {"tex": None, "caption": caption, "reason": latex_escape(extra)}
    files.update(extra)
    files[name + ".tex"] = plots.figure_document(tex_or_none)
    return {"tex": name + ".pdf", "caption": caption, "reason": ""}


def _command(meta):
    command = meta.get("command") or "not recorded"
    return " ".join(map(str, command)) if isinstance(command, list) else str(command)


def measure_zero_figures(item, entry, paper, files):
    """Claim 6: the run shown (paper scale when build/mc/paper/ exists, else the quick run), the CP bound against N
    and the distance distributions."""
    runs = [{"meta": entry["meta"], "csv": entry["csv"], "scale": "quick"}]
    shown = entry
    if paper is not None:
        runs.append({"meta": paper["meta"], "csv": paper["csv"], "scale": "paper"})
        shown = paper
        meta = paper["meta"]
        item["scale_note"] = ("This subsection shows the paper-scale run (\\cmdline{make mc-paper}: "
                              f"\\cmdline{{{latex_escape(_command(meta))}}}, seed {latex_escape(meta.get('seed', ''))}"
                              "); the smaller run of \\cmdline{make} is marked in the first figure.")
        if paper["csv"] is not None:
            header, rows = paper["csv"]
            item["table"] = plots.table_rows(header, rows, plots.MC_SPECS["measure-zero"].get("table"))
        item.update({"command": latex_escape(_command(meta)), "seed": latex_escape(meta.get("seed", "")),
                     "samples": plots.num(meta.get("samples", "not recorded"))})
    else:
        item["scale_note"] = ("This subsection shows the run of \\cmdline{make}; the paper-scale run "
                              "(\\cmdline{make mc-paper}, \\nolinkurl{build/mc/paper/}) was not run for this build.")
    cmd = f"\\cmdline{{{item['command']}}} (seed {item['seed']})"
    tex, extra = mcfigures.cp_figure(runs)
    item["figures"].append(_figure(files, "fig-measure-zero-cp", tex, extra,
                                   "Why the number of draws matters: when none of $N$ draws satisfies the index "
                                   "condition, the upper end of the two-sided 95\\% Clopper--Pearson interval "
                                   "\\citep{clopper1934} for the probability that random weights satisfy it, "
                                   "against $N$ (log--log); the runs of this build are marked. "
                                   f"Regenerate with {cmd}."))
    tex, extra = mcfigures.ecdf_figure(shown.get("distances"), "measure-zero")
    if tex is not None or shown.get("distances"):
        item["figures"].append(_figure(files, "fig-measure-zero-ecdf", tex, extra,
                                       "Empirical distribution of the distance "
                                       "$\\min_S\\lVert W_{down}D_SW_{up}+I\\rVert_F$ divided by its ceiling "
                                       "$\\lVert I\\rVert_F=\\sqrt d$ (the empty index set), per ensemble, pooled "
                                       "over the $(d,n)$ cells that record per-draw distances "
                                       "(\\nolinkurl{measure-zero-distances.csv}). "
                                       f"Regenerate with {cmd}."))
    tex, extra = mcfigures.box_figure(shown["csv"], "measure-zero")
    quart = bool(shown["csv"]) and "dist_q25" in shown["csv"][0]
    what = ("box from the 25\\% to the 75\\% quantile, whiskers from 5\\% to 95\\%, tick at the median" if quart
            else "median (tick) with 5\\%--95\\% quantiles (bars)")
    item["figures"].append(_figure(files, "fig-measure-zero-box", tex, extra,
                                   "Distance of random weights to the index condition, divided by $\\sqrt d$, per "
                                   f"ensemble and $(d,n)$: {what}. Regenerate with {cmd}."))


def separation_figure(item, entry, files):
    """Claims 2 and 3 in one panel (generator/separation.py): ||F(tx)/t|| / ||Px|| -> 1 for residual stacks against
    ||G(tx)/t|| / ||Px|| -> 0 for residual-free ones; in the paper, the two witness figures stay in the supplement."""
    header, rows = entry["csv"]
    tex, extra = separation.figure(header, rows)
    acts = separation.activations(rows) if tex is not None else {}
    names = {k: ", ".join(paper.display_name(a) for a in v) or "none" for k, v in acts.items()}
    meta = {k: latex_escape(entry["meta"].get(k, "not recorded")) for k in ("d", "n", "points")}
    caption = ("Why no residual-free block equals a residual one when $\\sigma$ is flat at $0$, homogeneous of degree "
               "$k\\ne1$ or bounded: for random residual blocks $F$ with skip $P$, $\\lVert F(tx)/t\\rVert/\\lVert "
               "Px\\rVert$ tends to $1$ along the scaling limit, while for random residual-free blocks $G$, "
               "$\\lVert G(tx)/t\\rVert/\\lVert Px\\rVert$ tends to $0$ (one layer, "
               f"$d={meta['d']}$, $n={meta['n']}$; {meta['points']} points $x$ and {item.get('samples', '')} weight "
               "draws per activation; minimum and maximum over all of them). Left of $t=1$: "
               f"$t\\to0$ for {names.get('t->0', 'none')}; right: $t\\to\\infty$ for {names.get('t->inf', 'none')}. "
               f"Regenerate with \\cmdline{{{item['command']}}} (seed {item['seed']}).")
    drawn = _figure(files, "fig-obstructions-separation", tex, extra, caption)
    item["figures"].append(drawn)
    item["paper_figures"].append(drawn)


def mc_context(inputs, theorems):
    """Per experiment: metadata, checks, the CSV table and the figures (tex + data files)."""
    files, experiments = {}, []
    ids = {t["id"] for t in theorems}
    for exp, entry in inputs["mc"].items():
        spec = plots.MC_SPECS.get(exp, {"title": plots.TITLES.get(exp, exp), "figures": []})
        item = {"name": latex_escape(exp), "label": "sec:mc-" + plots._slug(exp), "title": latex_escape(spec["title"]),
                "available": entry is not None, "figures": [], "checks": [], "table": None, "scale_note": "",
                "outcome": "not run", "paper_figures": [], "supplement_figures": [], "summary": "", "per_table": None}
        if entry is None:
            experiments.append(item)
            continue
        meta = entry["meta"]
        item.update({"command": latex_escape(_command(meta)), "seed": latex_escape(meta.get("seed", "not recorded")),
                     "samples": plots.num(meta.get("samples", "not recorded"))})
        checks = meta.get("checks") or {}
        order = document_order(theorems)  # so the checked results read 2.7, 2.8, ... as in Section 2
        for tid in sorted(checks, key=lambda t: (order.get(t, len(order)), t)):
            c = checks[tid] if isinstance(checks[tid], dict) else {}
            passed = c.get("passed")
            item["checks"].append({"id": tid, "known": tid in ids, "id_text": latex_escape(tid),
                                   "status": status_macro("checked" if passed is True else
                                                          "failed" if passed is False else "not checked"),
                                   "detail": citations.replace_note_refs(str(c.get("detail", "")), ids),
                                   "passed": passed})
        failed = sum(c["passed"] is False for c in item["checks"])
        unknown = sum(c["passed"] is None for c in item["checks"])
        item["outcome"] = ("no checks recorded" if not item["checks"] else f"{failed} check(s) failed" if failed
                           else f"{unknown} check(s) without result" if unknown else "all checks passed")
        if entry["csv"] is not None:
            header, rows = entry["csv"]
            item["table"] = plots.table_rows(header, rows, spec.get("table"), spec.get("table_filter"))
            per = spec.get("per")
            if per and per["key"] in header:
                cols = [c for c in per["columns"] if c in header]
                groups = {}
                for r in rows:
                    groups.setdefault(r.get(per["key"]), []).append(tuple(r.get(c) for c in cols))
                if all(len(set(v)) == 1 for v in groups.values()):  # truly one value per key: print it once
                    item["per_table"] = {"key": latex_escape(per["key"]), "columns": [latex_escape(c) for c in cols],
                                         "rows": [[plots.num(x) for x in v[0]] for v in groups.values()]}
                else:  # the columns vary along the iterates: they stay in the main table
                    item["table"] = plots.table_rows(header, rows, spec.get("table", []) + [
                        c for c in cols if c not in spec.get("table", [])], spec.get("table_filter"))
            for fig in spec["figures"]:
                tex, extra = plots.figure_tex(exp, fig, header, rows, f"data/{plots._slug(exp)}")
                caption = fig["caption"] + f"; regenerate with \\cmdline{{{item['command']}}} (seed {item['seed']})."
                name = f"fig-{plots._slug(exp)}-{plots._slug(fig['name'])}"
                drawn = _figure(files, name, tex, extra, caption)
                item["figures"].append(drawn)
                item["supplement_figures" if fig.get("where") == "supplement" else "paper_figures"].append(drawn)
        else:
            item["csv_missing"] = True
        if exp == "obstructions" and entry["csv"] is not None:
            separation_figure(item, entry, files)
        if exp == "measure-zero":
            before = len(item["figures"])
            measure_zero_figures(item, entry, inputs.get("mc_paper"), files)
            item["paper_figures"] += item["figures"][before:]
        experiments.append(item)
    return experiments, files


SUPPLEMENT = (("certificates", "Classification certificates"), ("derivations", "SymPy derivations"),
              ("rocq", "Rocq statements and assumptions"), ("lean", "Lean statements"), ("mc", "Monte Carlo data"))
BIAS_IDS = ("sign-flip-bias", "kinks-affine", "relu-bias-characterization", "relu-bias-d1", "class-bias",
            "prenorm-impossible", "postnorm-projected")
GROUP_INTRO = {
    "definitions": "Blocks, absorption, the index condition and the genericity conditions used throughout.",
    "beyond": "Results the paper does not state: lemmas the proofs need, further obstructions, and deciding the "
              "index condition for given weights, a multi-dimensional 0/1 subset-sum problem of the kind of the "
              "market split instances of \\citet{cornuejols1998hard}.",
    "biases": "Blocks with biases, $f(x)=Ax+W_{down}\\sigma(W_{up}x+\\beta)+\\delta$, and blocks with a "
              "normalization layer before or after the MLP.",
}


def _dedupe_derivations(results):
    """Results with a SymPy derivation, each derivation printed once: a later result that links the same derivation
    gets a pointer (`same_as`) to the first instead of the step list again."""
    seen, out = {}, []
    for r in results:
        if not r["derivations"]:
            continue
        keys = tuple(d["key"] for d in r["derivations"])
        out.append(dict(r, same_as=seen.get(keys)))
        seen.setdefault(keys, r["id"])
    return out


def supplement_refs() -> dict:
    """{section key: "Supplement, Section k"}: the supplement's sections are rendered in the order of SUPPLEMENT."""
    return {key: f"Supplement, Section~{i}" for i, (key, _) in enumerate(SUPPLEMENT, 1)}


def _trivial_proof(t) -> bool:
    """Definitions whose "proof" only says there is nothing to prove get none."""
    text = " ".join(str(t.get("proof") or "").split()).lower()
    return t["kind"] == "definition" and (not text or text.startswith("definition;") or text == "direct computation.")


def result_groups(results, claim_titles, ids):
    """Definitions, claims 1..7, beyond the paper, biases and normalization (when the registry has those ids)."""
    groups = [{"key": "definitions", "title": "Definitions", "label": "sec:definitions",
               "intro": GROUP_INTRO["definitions"], "results": [r for r in results if r["kind"] == "definition"]}]
    rest = [r for r in results if r["kind"] != "definition"]
    for k in range(1, 8):
        members = [r for r in rest if r["claim"] == k and r["id"] not in BIAS_IDS]
        if members:
            short = sections.SHORT.get(k, "")
            groups.append({"key": f"claim{k}", "title": f"Claim {k}: {claim_titles.get(k, '')}",
                           "toc": f"Claim {k}: {short[:1].upper() + short[1:]}" if short else "",
                           "label": f"sec:claim{k}", "intro": "", "results": members})
    beyond = [r for r in rest if r["claim"] == 0 and r["id"] not in BIAS_IDS]
    if beyond:
        groups.append({"key": "beyond", "title": "Beyond the paper", "label": "sec:beyond",
                       "intro": GROUP_INTRO["beyond"], "results": beyond})
    biases = [r for r in rest if r["id"] in BIAS_IDS]
    if biases:
        groups.append({"key": "biases", "title": "Biases and normalization", "label": "sec:biases",
                       "intro": GROUP_INTRO["biases"], "results": biases})
    return groups


def document_order(theorems) -> dict:
    """{id: position} in the order Section 2 numbers the results (the groups of `result_groups`)."""
    items = [{"id": t["id"], "kind": t.get("kind"), "claim": t.get("claim", 0)} for t in theorems]
    groups = result_groups(items, {}, {t["id"] for t in theorems})
    return {r["id"]: k for k, r in enumerate(r for g in groups for r in g["results"])}


def planted_table(inputs):
    """The planted-control table, printed once in the supplement: (columns, [(activation, cells)], command)."""
    planted = inputs["mc"].get("planted")
    if not planted or not planted["csv"]:
        return None
    header, rows = planted["csv"]
    if "activation" not in header:
        return None
    keep = [c for c in plots.MC_SPECS["planted"].get("table", []) if c in header and c != "activation"]
    return {"columns": [latex_escape(c) for c in keep],
            "rows": [(latex_escape(r.get("activation", "")), [plots.num(r.get(c, "")) for c in keep]) for r in rows],
            "command": latex_escape(_command(planted["meta"]))}


def context(build: Path, root: Path):
    inputs = load_inputs(build)
    theorems = inputs["theorems"]
    epoch = source_date_epoch(root)
    git = git_info(root)
    citation = read_citation(root)
    date = _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc)
    sup = supplement_refs()
    experiments, files = mc_context(inputs, theorems)
    mc_by_name = {e["name"]: e for e in experiments}
    derivations = inputs["derivations"] if isinstance(inputs["derivations"], dict) else {}
    axioms = inputs["axioms"] if isinstance(inputs["axioms"], dict) else {}
    ids = [t["id"] for t in theorems]
    id_set = set(ids)
    bibkeys = citations.bib_keys()
    coverage = sections.coverage_context(inputs["coverage"], id_set)
    cov_rows = {r["id"]: r for r in (inputs["coverage"] or {}).get("results", []) if isinstance(r, dict)} \
        if isinstance(inputs["coverage"], dict) else {}
    trained, trained_files = sections.trained_context(inputs["minilm"], id_set, cov_rows)
    continuity, continuity_files = sections.continuity_context(inputs["continuity"])
    for name, tex in (("fig-trained", trained.get("figure")), ("fig-continuity", continuity.get("figure"))):
        if tex:
            files[name + ".tex"] = plots.figure_document(tex)
    files.update(trained_files)
    files.update(continuity_files)
    rocq_rows = paper.rocq_table(theorems, list(cov_rows.values()), root)
    rocq_by_id = {r["id"]: r for r in rocq_rows}

    results = []
    for t in theorems:
        keys = [k for k in t["evidence"].get("sympy", []) if isinstance(k, str) and k in derivations] or \
            ([t["id"]] if t["id"] in derivations else [])
        derivs = [{"key": latex_escape(k),
                   "title": citations.replace_note_refs(str(derivations[k].get("title", "")), id_set,
                                                        steps.note_latex),
                   "function": tt_break(derivations[k].get("function", "")),
                   "verified": status_macro("checked" if derivations[k].get("verified") else "failed"),
                   "steps": _steps(derivations[k].get("steps"), id_set)} for k in keys]
        ax = axioms.get(t["id"]) if isinstance(axioms.get(t["id"]), dict) else {}
        rocq_names = [str(n) for n in t["evidence"].get("rocq", [])] or ([ax["rocq"]] if ax.get("rocq") else [])
        if isinstance(t["evidence"].get("rocq"), str):
            rocq_names = [t["evidence"]["rocq"]]
        rocq_axioms = t["rocq_axioms"] if t["rocq_axioms"] is not None else ax.get("axioms")
        results.append({
            "id": t["id"], "id_text": latex_escape(t["id"]), "title": paper.mathify(t["title"]),
            "env": KIND_ENVS.get(t["kind"], "result"), "kind": t["kind"], "claim": t["claim"],
            "sketch": t["tag"] == "S",
            "statement": citations.replace_note_refs(t["statement"], id_set, str),
            "proof": "" if _trivial_proof(t) else citations.replace_note_refs(t["proof"], id_set, str),
            "hypotheses": [citations.replace_note_refs(paper.hypothesis_latex(h), id_set, str)
                           for h in t["hypotheses"]],
            "uses": [u for u in t["uses"] if u in id_set],
            "evidence": "" if t["kind"] == "definition" else
            paper.evidence_line(t, cov_rows.get(t["id"]), rocq_by_id.get(t["id"]), sup),
            "derivations": derivs,
            "rocq_names": [tt_break(n) for n in rocq_names] if t["status"].get("rocq") != "n/a" else [],
            "rocq_statement": lean_source(t["rocq_statement"] or ax.get("statement") or ""),
            "rocq_axioms": None if rocq_axioms is None else [tt_break(a) for a in rocq_axioms],
            "rocq_status": status_macro(t["status"].get("rocq")),
            "lean": lean_source(_strip_doc(t["lean_statement"])),
            "lean_scope": latex_escape(t["lean_scope"]),
        })

    claim_titles = {c["claim"]: c["title"] for c in intro.claims(coverage)}
    groups = result_groups(results, claim_titles, id_set)
    # Table 3 lists the results in the order Section 2 numbers them
    position = {r["id"]: i for i, r in enumerate(r for g in groups for r in g["results"])}
    rocq_rows.sort(key=lambda row: position.get(row["id"], len(position)))
    decls = lean_declarations(root)
    planted = planted_table(inputs)
    planted_names = {n for n, _ in planted["rows"]} if planted else set()
    acts = []
    for a in inputs["activations"] if isinstance(inputs["activations"], list) else []:
        if not isinstance(a, dict):
            continue
        name = str(a.get("name", ""))
        lean_text, lean_note = activation_lean(a, decls)
        acts.append({
            "name": latex_escape(name), "label": "act:" + plots._slug(name), "kind": latex_escape(a.get("kind", "")),
            "expression": latex_escape(a.get("expression", "")),
            "latex": check_registry_latex(a["latex"], f"activation {name[:64]!r}") if a.get("latex") else "",
            "verdict": latex_escape(str(a.get("verdict", "not checked")).replace("_", " ")),
            "argument": latex_escape(a.get("argument") if a.get("argument") is not None else "none"),
            "c": latex_escape(a["c"]) if a.get("c") is not None else "--",
            "degree": latex_escape(a["degree"]) if a.get("degree") is not None else "--",
            "condition": _math(a.get("condition")),
            "refuted": [{"argument": latex_escape(r.get("argument", "")),
                         "reason": citations.replace_note_refs(str(r.get("reason", "")), id_set, steps.note_latex)}
                        for r in (a.get("refuted") or []) if isinstance(r, dict)],
            "notes": [citations.replace_note_refs(str(n), id_set, steps.note_latex) for n in (a.get("notes") or [])],
            "cite": citations.render_cite(a.get("cite") or "", id_set, bibkeys),
            "certificate": _steps(a.get("certificate"), id_set),
            "lean": lean_source(lean_text),
            "lean_note": prose(lean_note),
            "conditional": a.get("verdict") == "conditional",
            "planted_rows": latex_escape(name) in planted_names,
        })

    seeds = [(e["name"], e.get("seed", ""), e.get("command", "")) for e in experiments if e["available"]]
    cluster_titles = {"claim0": "Beyond the paper"}
    verdicts = {c["claim"]: c["verdict"] for c in intro.claims(coverage)}
    for k, v in verdicts.items():
        cluster_titles[f"claim{k}"] = f"Claim {k}" + (f" ({v})" if v != "not checked" else "")
    def closure_status(t):  # a node is "proved in Rocq" only when everything it uses is (coverage.json)
        closure = (cov_rows.get(t["id"]) or {}).get("rocq_closure")
        if t["status"].get("rocq") == "checked" and closure == "partial":
            return dict(t, status=dict(t["status"], rocq="partial"))
        return t
    graphs = []
    for key, title, members, external in layout.parts(layout.drawn([closure_status(t) for t in theorems])):
        lay = layout.layout(members, cluster_titles, external)
        scale = layout.fit_scale(lay["bb"])
        graphs.append({"key": key, "title": latex_escape(title), "n": len(members), "n_external": len(external),
                       "tex": layout.tikz(members, cluster_titles, lay, external, scale)})
    legend = [(graphmod.COLOURS[key], latex_escape(text)) for key, text in graphmod.LEGEND]
    ctx = {
        "title": latex_escape(TITLE), "subtitle": latex_escape(SUBTITLE), "pdf_title": latex_escape(TITLE),
        "pdf_subject": "Can an MLP block absorb its own skip connection? Statements, proofs and evidence",
        "version": latex_escape(git["version"]), "commit": latex_escape(git["commit"]),
        "date": date.strftime("%Y-%m-%d %H:%M UTC"), "epoch": epoch,
        "bibtex": bibtex_block(citation, date.year),
        "citation_version": latex_escape(citation["version"]),
        "groups": groups, "rocq_rows": rocq_rows, "sup": sup,
        "derivations": _dedupe_derivations(results),
        "rocq": [r for r in results if r["rocq_names"]],
        "lean": [r for r in results if r["lean"]],
        "graphs": graphs, "legend": legend, "activations": acts, "experiments": experiments, "planted": planted,
        "versions": tool_versions(inputs["proof_status"]), "seeds": seeds,
        "proofs_ok": inputs["proof_status"].get("ok") if isinstance(inputs["proof_status"], dict) else None,
        "lean_literate": lean_literate(),
        "intro": intro.context(inputs, theorems, coverage, cov_rows), "coverage": coverage, "trained": trained,
        "continuity": continuity, "print_mode": False, "supplement_mode": False,
        "claim5": paper.claim5_rows(inputs["coverage"], id_set), "known": id_set,
        "trusted": paper.trusted_base(inputs, theorems, root, document_order(theorems)),
        "biases_section": any(g["key"] == "biases" for g in groups),
        "definitions": [(t["id"], latex_escape(t["id"])) for t in theorems if t["kind"] == "definition"],
    }
    return ctx, files, epoch


def render(build: Path = None, root: Path = None, print_mode: bool = False):
    """(tex source, {relative path: data text}, SOURCE_DATE_EPOCH). print_mode: black hyperlinks."""
    build = Path(build) if build else build_dir()
    root = Path(root) if root else ROOT
    ctx, files, epoch = context(build, root)
    ctx["print_mode"] = print_mode
    tex = environment().get_template("appendix.tex.j2").render(**ctx)
    return tex, files, epoch


def render_supplement(build: Path = None, root: Path = None, print_mode: bool = False):
    """(tex source of the supplement, figure data files, SOURCE_DATE_EPOCH)."""
    build = Path(build) if build else build_dir()
    root = Path(root) if root else ROOT
    ctx, files, epoch = context(build, root)
    ctx["print_mode"] = print_mode
    ctx["pdf_title"] = latex_escape(TITLE + ": supplement")
    ctx["supplement_mode"] = True
    return environment().get_template("supplement.tex.j2").render(**ctx), files, epoch


def _digest(tex, files, bib):
    h = hashlib.sha256()
    for name, text in [(MAIN, tex), ("references.bib", bib)] + sorted(files.items()):
        h.update(name.encode() + b"\0" + text.encode("utf-8") + b"\0")
    return h.hexdigest()


def build_appendix(build: Path = None, root: Path = None, arxiv: bool = False, force: bool = False, log=print,
                   print_mode: bool = False):
    """Build build/appendix.pdf (and build/appendix-arxiv.tar.gz with arxiv=True), or with print_mode the copy
    with black links build/appendix-print.pdf (own work directory). Returns a dict of what ran."""
    t0 = time.perf_counter()
    build = Path(build) if build else build_dir()
    root = Path(root) if root else ROOT
    require_tex()
    tex, files, epoch = render(build, root, print_mode)
    supplement = None if print_mode else render_supplement(build, root)[0]
    bib = BIB.read_text(encoding="utf-8")
    digest = _digest(tex + "\0" + (supplement or ""), files, bib)
    work = build / ("appendix-print" if print_mode else "appendix")
    target = build / ("appendix-print.pdf" if print_mode else "appendix.pdf")
    sup_target = build / "supplement.pdf"
    stamp = work / HASH_FILE
    up_to_date = (not force and target.exists() and stamp.exists() and (print_mode or sup_target.exists())
                  and stamp.read_text(encoding="utf-8").strip() == digest)
    if not up_to_date:
        work.mkdir(parents=True, exist_ok=True)
        data_dir = work / "data"
        if data_dir.exists():
            for old in data_dir.iterdir():
                if old.is_file() and f"data/{old.name}" not in files:
                    old.unlink()
        for rel, text in files.items():
            _write_if_changed(work / rel, text)
        _write_if_changed(work / "references.bib", bib)
        _write_if_changed(work / MAIN, tex)
        if supplement is not None:
            _write_if_changed(work / SUPPLEMENT_MAIN, supplement)
        if stamp.exists():
            stamp.unlink()
        for old in work.glob("fig-*.tex"):
            if old.name not in files:
                for ext in (".tex", ".pdf", ".aux", ".log", ".sha256"):
                    old.with_suffix(ext).unlink(missing_ok=True)
        for rel in sorted(r for r in files if r.startswith("fig-")):
            compile_figure(work, rel, files, epoch, force)
        pdf = run_latexmk(work, MAIN, epoch, force=force)
        sup_pdf = run_latexmk(work, SUPPLEMENT_MAIN, epoch, force=force) if supplement is not None else None
        write_bytes_atomic(target, pdf.read_bytes())
        log(f"absorb appendix: wrote {target}")
        if sup_pdf is not None:
            write_bytes_atomic(sup_target, sup_pdf.read_bytes())
            log(f"absorb appendix: wrote {sup_target}")
        write_text_atomic(stamp, digest + "\n")
    else:
        log(f"absorb appendix: {target} is up to date")
    result = {"pdf": target, "compiled": not up_to_date, "elapsed_s": time.perf_counter() - t0}
    if not print_mode:
        result["supplement"] = sup_target
    if arxiv:
        bbl = work / "appendix.bbl"
        if not bbl.exists():
            raise InputError(f"{bbl} is missing: the bibliography was not built")
        members = [MAIN, "appendix.bbl"] + sorted(files) + sorted(
            r[:-4] + ".pdf" for r in files if r.startswith("fig-"))
        tarball = build / "appendix-arxiv.tar.gz"
        write_bytes_atomic(tarball, arxiv_tarball(work, members, epoch))
        log(f"absorb appendix: wrote {tarball}")
        result["arxiv"] = tarball
    return result


def compile_figure(work: Path, rel: str, files, epoch: int, force: bool = False):
    """pdflatex one standalone figure unless its source and data are unchanged since its last compile."""
    src = files[rel]
    data = sorted(set(re.findall(r"\{(data/[^}]+\.dat)\}", src)))
    digest = hashlib.sha256("\0".join([src] + [files.get(d, "") for d in data]).encode("utf-8")).hexdigest()
    pdf, stamp = work / (rel[:-4] + ".pdf"), work / (rel[:-4] + ".sha256")
    if not force and pdf.exists() and stamp.exists() and stamp.read_text(encoding="utf-8").strip() == digest:
        return
    stamp.unlink(missing_ok=True)
    try:
        proc = subprocess.run([*PDFLATEX, rel], cwd=work,
                              env=tex_env(epoch), capture_output=True, text=True, errors="replace", timeout=300)
    except subprocess.TimeoutExpired:
        raise InputError(f"pdflatex took longer than 300 s on {work / rel}") from None
    log = work / (rel[:-4] + ".log")
    if proc.returncode != 0 or not pdf.exists():
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else proc.stdout
        raise InputError(first_error(text, f"pdflatex failed on {rel}") + f" (figure {rel})")
    write_text_atomic(stamp, digest + "\n")


def _write_if_changed(path: Path, text: str):
    """Leave unchanged files untouched so latexmk sees no change."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    write_text_atomic(path, text)
