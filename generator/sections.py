"""Context for the sections filled from contract-C3 files written by other parts of the build:
build/symbolic/coverage.json (introduction verdicts, formal coverage), build/trained/minilm.json (trained
weights) and build/trained/continuity.json (geometric continuity).

Each section is `{"available": False, "reason": ...}` when its file is missing or says "status": "not checked";
the template then prints "not checked" with the reason. No number here is typed in: every one is read from the file.
"""
import re

from generator.latex import id_break, latex_escape, prose
from generator.paper import hypothesis_latex, mathify
from generator.mcfigures import AXIS_STYLE
from generator.plots import _float, _fmt, num

VERDICT_TEXT = {"agreed": "agreed", "corrected": "corrected", "strengthened": "strengthened", "open": "open"}
AXES = [("rocq", "Rocq", "checked"), ("sympy", "SymPy", "checked"), ("mc", "Monte Carlo", "checked"),
        ("lean", "Lean", "stated")]
FAMILIES = ["Q", "K", "V", "O", "Up", "Down"]
SHORT = {1: "invertible linear skip reduces to the identity skip", 2: "degree $k\\neq1$: impossible",
         3: "gate with $g(0)=0$: impossible", 4: "depth $L$", 5: "generic ReLU/GELU: index condition",
         6: "the index condition fails with probability 1", 7: "deep ReLU/GELU is open"}
BIAS_RESULTS = ("sign-flip-bias", "relu-bias-characterization", "class-bias", "prenorm-impossible",
                "postnorm-projected")


def plain_words(text) -> str:
    """Data text with the project's working vocabulary removed: references to the working notes are dropped and a
    "seed" meaning a source document becomes what it is (the reported pattern)."""
    text = re.sub(r"\s*\((?:BLUEPRINT|blueprint)[^)]*\)", "", str(text or ""))
    text = re.sub(r"[Tt]he seed's pattern", lambda m: ("T" if m.group(0)[0] == "T" else "t") + "he reported pattern",
                  text)
    return re.sub(r"\bseed's\b", "reported", text)


def times(text: str) -> str:
    """"7.1x baseline" in data prose -> "7.1$\\times$ baseline" (a factor, not the letter x)."""
    return re.sub(r"(\d(?:\.\d+)?)x(?=[ ,;)])", r"\1$\\times$", text)


def missing(path: str, data) -> dict:
    """The "not checked" context of a C3 file, with the reason the file gives (or that it is missing)."""
    if data is None:
        return {"available": False, "reason": f"\\nolinkurl{{{path}}} is missing"}
    reason = data.get("reason") or "no reason recorded"
    return {"available": False, "reason": f"\\nolinkurl{{{path}}} says not checked: {prose(reason)}"}


def _is_checked(data) -> bool:
    return isinstance(data, dict) and data.get("status", "checked") != "not checked"


def _count(axis: dict, key: str):
    """("9/11", complete) from {"checked": 9, "total": 11}; ("--", False) when the axis has no results."""
    done, total = axis.get(key), axis.get("total")
    if not isinstance(done, int) or not isinstance(total, int) or total <= 0:
        return "--", False
    return f"{done}/{total}", done == total


def coverage_context(cov, ids) -> dict:
    """Claims (verdict, correction, per-axis counts with a check mark only when complete) and per-result evidence."""
    if not _is_checked(cov) or not isinstance(cov.get("claims"), list):
        return missing("build/symbolic/coverage.json", cov)
    claims = []
    for c in sorted((c for c in cov["claims"] if isinstance(c, dict)), key=lambda c: c.get("claim", 0)):
        axes = {}
        for key, _, field in AXES:
            axis = c.get("axes", {}).get(key, {}) or {}
            text, complete = _count(axis, field)
            partial = axis.get("partial") if isinstance(axis.get("partial"), int) else 0
            if key in ("lean", "mc", "sympy"):  # stated / sanity checks / identities: counts, never a check mark
                axes[key] = text
                continue
            axes[key] = text + ("~\\stchecked" if complete else "") + (f" (+{partial} part)" if partial else "")
        verdict = str(c.get("verdict") or "")
        claims.append({"claim": int(c.get("claim", 0)), "title": mathify(c.get("title", "")),
                       "short": SHORT.get(int(c.get("claim", 0)), ""),
                       "verdict": latex_escape(VERDICT_TEXT.get(verdict, verdict or "not checked")),
                       "verdict_key": verdict,
                       "correction": mathify(c["correction"]) if c.get("correction") else "",
                       "results": [(r, latex_escape(r)) for r in c.get("results", []) if r in ids],
                       "axes": axes})
    results = []
    for r in cov.get("results", []) if isinstance(cov.get("results"), list) else []:
        if not isinstance(r, dict) or r.get("id") not in ids:
            continue
        results.append({"id": r["id"], "id_text": id_break(r["id"]), "claim": r.get("claim", 0),
                        "evidence": ", ".join(latex_escape(e) for e in r.get("evidence", [])) or "none",
                        "scope": prose(r["rocq_scope"]) if r.get("rocq_scope") else "",
                        "status": {k: str(r.get(k, "n/a")) for k, _, _ in AXES}})
    return {"available": True, "claims": claims, "results": results,
            "axis_names": [(k, name) for k, name, _ in AXES]}


def _pgf(lines, opts, legend):
    tex = ["\\begin{tikzpicture}", "\\begin{axis}[" + ",\n  ".join(opts + AXIS_STYLE) + "]", *lines,
           "\\legend{" + ",".join("{" + x + "}" for x in legend) + "}", "\\end{axis}", "\\end{tikzpicture}"]
    return "\n".join(tex)


BLOCK_ANSWERS = {"not_absorbable": "not absorbable", "no_index_set": "no index set", "absorbable": "absorbable",
                 "impossible": "not absorbable", "open": "open", "undecided": "not decided"}


def block_cell(verdict) -> dict:
    """The block columns of one layer from its `block_verdict` (checkpoints.norms): the answer, whether the
    independent checker accepted it, and the certified lower bound on the distance to the (projected) condition.
    "not absorbable" is printed only when the checker accepted and the theorem applies."""
    if not isinstance(verdict, dict):
        return {"block": "not decided", "block_ok": "", "block_dist": "--"}
    answer = str(verdict.get("answer") or "undecided")
    ok = (verdict.get("checked") or {}).get("ok") is True if isinstance(verdict.get("checked"), dict) else False
    if answer == "not_absorbable" and not (ok and verdict.get("theorem_applies") is not False):
        answer = "no_index_set"
    dist = _float(verdict.get("distance_lower_bound"))
    return {"block": BLOCK_ANSWERS.get(answer, prose(answer.replace("_", " "))),
            "block_ok": "\\stchecked" if ok else "\\stnot",
            "block_dist": f"{dist:.2f}" if dist is not None else "--"}


def _strength(tid, evidence) -> str:
    """How one result the block verdicts apply is backed, in the words of the evidence lines."""
    row = (evidence or {}).get(tid) or {}
    ev = [str(e) for e in row.get("evidence") or []]
    if "Rocq" in ev:
        return "proved in Rocq"
    if any(e.startswith("Rocq") for e in ev):
        return "proved in Rocq only in part" if "Rocq (part)" in ev else "proved in Rocq under uses not all in Rocq"
    return "proved only on paper" if row else "not in this document"


def _hypothesis_name(name) -> str:
    """A hypothesis name from the block verdicts ("eps > 0", "G0b", "d>=2") as the paper writes it."""
    name = plain_words(name)
    if re.fullmatch(r"G[-\w]*", name):
        return f"({latex_escape(name)})"
    name = re.sub(r"\beps\b", "epsilon", name)
    name = re.sub(r"(\w)(>=|<=|!=)(\w)", r"\1 \2 \3", name)
    return hypothesis_latex(name)


def block_context(data, ids, evidence) -> dict:
    """What the per-layer block verdicts apply and rest on: the theorems (cross-referenced, with how each is
    backed), the hypotheses decided on the stored weights (and whether they hold in every layer)."""
    layers = [x.get("block_verdict") for x in data.get("layers") or [] if isinstance(x, dict)]
    layers = [v for v in layers if isinstance(v, dict)]
    if not layers:
        return {}
    theorems = list(dict.fromkeys(t for v in layers for t in (v.get("theorems") or [v.get("theorem")])
                                  if isinstance(t, str) and t in ids))
    scope = ((data.get("block") or {}).get("scope") or {}) if isinstance(data.get("block"), dict) else {}
    hyps = [h for h in scope.get("checked_on_weights") or [] if isinstance(h, dict) and h.get("name")]
    return {"norm": latex_escape(layers[0].get("norm", "")),
            "theorems": [{"ref": f"\\cref{{{t}}}", "strength": _strength(t, evidence)} for t in theorems],
            "weak": any(_strength(t, evidence) != "proved in Rocq" for t in theorems),
            "hypotheses": [{"text": _hypothesis_name(h["name"]),
                            "holds": h.get("holds_in_every_layer") is True} for h in hyps],
            "n_not_absorbable": sum(1 for v in layers if block_cell(v)["block"] == "not absorbable"),
            "command": latex_escape(data.get("block_command", ""))}


def trained_context(data, ids=frozenset(), evidence=None) -> (dict, dict):
    """Per-layer table and the r/sqrt(d) figure (trained vs Gaussian of the same shape); the scope recorded in the
    file (bias-free core), the per-layer block verdict and norm when the file has them, and the results on biased
    and normalized blocks that the registry holds."""
    if not _is_checked(data) or not isinstance(data.get("layers"), list):
        return missing("build/trained/minilm.json", data), {}
    rows, trained, gauss = [], [], []
    layers = [layer for layer in data["layers"] if isinstance(layer, dict)]
    has_verdicts = any("block_verdict" in layer for layer in layers)
    for i, layer in enumerate(layers):
        g = layer.get("gaussian") if isinstance(layer.get("gaussian"), dict) else {}
        block = block_cell(layer.get("block_verdict"))
        rows.append({"name": latex_escape(layer.get("name", i)), "d": num(layer.get("d", "")),
                     "n": num(layer.get("n", "")), "r": num(layer.get("r_ls_over_sqrt_d", "")),
                     "g_r": num(g.get("r_ls_over_sqrt_d", "not checked")),
                     "cert": "\\stchecked" if layer.get("certificate_verified") is True else "\\stnot",
                     "g_cert": "\\stchecked" if g.get("certificate_verified") is True else "\\stnot",
                     "exists": {True: "yes", False: "no"}.get(layer.get("index_set_exists"), "undecided"),
                     **block,
                     "evidence": prose(plain_words(layer.get("evidence", "")))})
        r, gr = _float(layer.get("r_ls_over_sqrt_d")), _float(g.get("r_ls_over_sqrt_d"))
        if r is not None:
            trained.append((i, r))
        if gr is not None:
            gauss.append((i, gr))
    files, figure = {}, None
    if trained:
        files["data/minilm-trained.dat"] = "x y\n" + "".join(f"{x} {_fmt(y)}\n" for x, y in trained)
        lines = ["\\addplot+[thick,mark=*] table[x=x,y=y] {data/minilm-trained.dat};"]
        legend = ["trained weights"]
        if gauss:
            files["data/minilm-gaussian.dat"] = "x y\n" + "".join(f"{x} {_fmt(y)}\n" for x, y in gauss)
            lines.append("\\addplot+[thick,dashed,mark=o] table[x=x,y=y] {data/minilm-gaussian.dat};")
            legend.append("Gaussian weights of the same shape")
        figure = _pgf(lines, ["xlabel={layer}", "ylabel={$r_{LS}/\\sqrt{d}$}", "ymin=0",
                              f"xtick={{0,...,{max(x for x, _ in trained)}}}", "grid=major",
                              "grid style={black!10}"], legend)
    source = data.get("source") if isinstance(data.get("source"), dict) else {}
    proved = [tid for tid in BIAS_RESULTS if tid in ids]
    ctx = {"available": True, "rows": rows, "figure": figure, "has_verdicts": has_verdicts,
           "block": block_context(data, ids, evidence) if has_verdicts else {},
           "command": latex_escape(data.get("command", "not recorded")),
           "family": latex_escape(data.get("family", "")), "activation": latex_escape(data.get("activation", "")),
           "verdict": latex_escape(data.get("verdict", "not checked")),
           "scope": hypothesis_latex(plain_words(data.get("scope"))) if data.get("scope") else "",
           "biases_proved": ", ".join(f"\\cref{{{t}}}" for t in proved),
           "is_minilm": "minilm" in str(source.get("package", "")).lower(),
           "has_class_bias": "class-bias" in ids, "has_postnorm": "postnorm-projected" in ids,
           "source": ", ".join(latex_escape(f"{k} {source[k]}") for k in ("package", "version") if source.get(k)),
           "sha256": latex_escape(str(source.get("sha256", ""))[:16]),
           "n_layers": len(rows), "n_certified": sum(1 for r in rows if r["cert"] == "\\stchecked")}
    return ctx, files


def _mean(values):
    vals = [v for v in (_float(x) for x in values or []) if v is not None]
    return sum(vals) / len(vals) if vals else None


def _aligned(values, baseline, ratio):
    """(pairs above ratio x baseline, pairs with a number) for one side of one family."""
    vals = [v for v in (_float(x) for x in values or []) if v is not None]
    if baseline is None or ratio is None:
        return None, len(vals)
    return sum(v > ratio * baseline for v in vals), len(vals)


def _median(values):
    vals = sorted(v for v in (_float(x) for x in values or []) if v is not None)
    if not vals:
        return None
    mid = len(vals) // 2
    return vals[mid] if len(vals) % 2 else (vals[mid - 1] + vals[mid]) / 2


def continuity_plot_side(expected, cells) -> str:
    """The side a family is drawn on: the expected one; for a family expected on neither side (V), the side with
    more aligned pairs, the one that decides its verdict, so the figure shows what the "Holds" column counts."""
    if expected in ("input", "output"):
        return expected
    k_in, k_out = cells["input"]["k"], cells["output"]["k"]
    return "output" if k_in is None or (k_out is not None and k_out > k_in) else "input"


def continuity_context(data) -> (dict, dict):
    """Per weight family and side: how many consecutive-layer pairs are aligned beyond the rule's ratio times the
    exact baseline (per pair, not means), the median alignment, the expected side, and the file's verdict; plus a
    per-layer figure."""
    if not _is_checked(data) or not isinstance(data.get("families"), dict):
        return missing("build/trained/continuity.json", data), {}
    ratio = _float(data.get("ratio"))
    rows, files, lines, legend, other_side, minority = [], {}, [], [], [], []
    fams = [f for f in FAMILIES if f in data["families"]] + sorted(f for f in data["families"] if f not in FAMILIES)
    n_pairs = 0
    exact = True
    for i, fam in enumerate(fams):
        f = data["families"][fam] if isinstance(data["families"][fam], dict) else {}
        cells = {}
        for side in ("input", "output"):
            base = _float(f.get(f"baseline_{side}_exact"))
            if base is None:
                exact = False
                base = _float(f.get(f"baseline_{side}"))
            k, total = _aligned(f.get(side), base, ratio)
            if isinstance(f.get(f"aligned_{side}"), int) and isinstance(f.get("pairs"), int):
                k, total = f[f"aligned_{side}"], f["pairs"]  # the counts the rule decided on
            n_pairs = max(n_pairs, total)
            med = _median(f.get(side))
            cells[side] = {"k": k, "total": total, "base": base,
                           "text": (f"{k}/{total}" if k is not None else "--") +
                           (f" (median {med:.2f})" if med is not None else "")}
        expected = str(f.get("expected", "none"))
        if expected in ("input", "output") and f.get("pattern_holds") is True:
            mine = cells[expected]
            if mine["k"] is not None and mine["total"] and 2 * mine["k"] <= mine["total"]:
                # the file's verdict disagrees with the per-pair count shown (a file from the older mean rule)
                minority.append(f"{latex_escape(fam)} ({mine['k']} of {mine['total']})")
        if expected in ("input", "output"):
            other = "output" if expected == "input" else "input"
            if cells[other]["k"] and cells[other]["total"] and 2 * cells[other]["k"] > cells[other]["total"]:
                other_side.append(f"{latex_escape(fam)} ({other})")
        holds = f.get("pattern_holds")
        verdict = "yes" if holds is True else "no" if holds is False else "not checked"
        if holds is not None and expected in ("input", "output") and cells[expected]["k"] is not None:
            verdict += f", {cells[expected]['k']} of {cells[expected]['total']}"
        elif holds is not None and expected == "none" and None not in (cells["input"]["k"], cells["output"]["k"]):
            verdict += f", {max(cells['input']['k'], cells['output']['k'])} of {cells['input']['total']}"
        rows.append({"family": latex_escape(fam), "expected": latex_escape(expected if expected != "none" else "neither"),
                     "input": cells["input"]["text"], "output": cells["output"]["text"],
                     "b_in": f"{cells['input']['base']:.3f}" if cells["input"]["base"] is not None else "--",
                     "b_out": f"{cells['output']['base']:.3f}" if cells["output"]["base"] is not None else "--",
                     "holds": verdict})
        side = continuity_plot_side(expected, cells)
        vals = [(j, v) for j, v in enumerate(_float(x) for x in f.get(side) or []) if v is not None]
        if vals:
            path = f"data/continuity-{i}.dat"
            files[path] = "x y\n" + "".join(f"{j} {_fmt(v)}\n" for j, v in vals)
            lines.append(f"\\addplot+[thick] table[x=x,y=y] {{{path}}};")
            legend.append(f"{latex_escape(fam)} ({side})")
    figure = _pgf(lines, ["xlabel={pair of layers $(l,l+1)$}",
                          "ylabel={$\\lvert\\langle x_l, x_{l+1}\\rangle\\rvert$}",
                          "ymin=0", "ymax=1", "grid=major", "grid style={black!10}", "xtick distance=1"],
                  legend) if lines else None
    holds = data.get("pattern_holds")
    note = ""
    if other_side:
        note = ("By the same per-pair count, " + ", ".join(other_side) + " is also aligned on the side the pattern "
                "does not expect; the rule checks that side only for V.")
    if minority:
        note += ((" " if note else "") + "The file records a ``yes'' for " + ", ".join(minority) + " although at most "
                 "half of the pairs are aligned on the expected side: it was written by an older rule (the mean over "
                 "pairs); rebuild with the command above.")
    ctx = {"available": True, "rows": rows, "figure": figure, "command": latex_escape(data.get("command", "")),
           "summary": times(prose(plain_words(data.get("summary", "")))) + (" " + note if note else ""),
           "n_layers": latex_escape(data.get("n_layers", "")), "n_pairs": n_pairs,
           "rule": times(prose(plain_words(data.get("rule", "")))),
           "factor": f"{ratio:g}" if ratio is not None else "--",
           "baseline_kind": "values" if exact else "estimates from random draws",
           "holds": "holds" if holds is True else "does not hold" if holds is False else "was not checked"}
    return ctx, files
