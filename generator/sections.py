"""Context for the sections filled from contract-C3 files written by other parts of the build:
build/symbolic/coverage.json (introduction verdicts, formal coverage), build/trained/minilm.json (trained
weights) and build/trained/continuity.json (geometric continuity).

Each section is `{"available": False, "reason": ...}` when its file is missing or says "status": "not checked";
the template then prints "not checked" with the reason. No number here is typed in: every one is read from the file.
"""
from generator.latex import id_break, latex_escape, prose
from generator.mcfigures import AXIS_STYLE
from generator.plots import _float, _fmt, num

VERDICT_TEXT = {"agreed": "agreed", "corrected": "corrected", "strengthened": "strengthened", "open": "open"}
AXES = [("rocq", "Rocq", "checked"), ("sympy", "SymPy", "checked"), ("mc", "Monte Carlo", "checked"),
        ("lean", "Lean", "stated")]
FAMILIES = ["Q", "K", "V", "O", "Up", "Down"]


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
            axes[key] = text + ("~\\stchecked" if complete else "") + (f" ({partial} partial)" if partial else "")
        verdict = str(c.get("verdict") or "")
        claims.append({"claim": int(c.get("claim", 0)), "title": prose(c.get("title", "")),
                       "verdict": latex_escape(VERDICT_TEXT.get(verdict, verdict or "not checked")),
                       "verdict_key": verdict,
                       "correction": prose(c["correction"]) if c.get("correction") else "",
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


def trained_context(data) -> (dict, dict):
    """Per-layer table and the r/sqrt(d) figure (trained vs Gaussian of the same shape)."""
    if not _is_checked(data) or not isinstance(data.get("layers"), list):
        return missing("build/trained/minilm.json", data), {}
    rows, trained, gauss = [], [], []
    for i, layer in enumerate(l for l in data["layers"] if isinstance(l, dict)):
        g = layer.get("gaussian") if isinstance(layer.get("gaussian"), dict) else {}
        rows.append({"name": latex_escape(layer.get("name", i)), "d": num(layer.get("d", "")),
                     "n": num(layer.get("n", "")), "r": num(layer.get("r_ls_over_sqrt_d", "")),
                     "g_r": num(g.get("r_ls_over_sqrt_d", "not checked")),
                     "lb": num(layer.get("distance_lower_bound", "")),
                     "g_lb": num(g.get("distance_lower_bound", "not checked")),
                     "cert": "\\stchecked" if layer.get("certificate_verified") is True else "\\stnot",
                     "g_cert": "\\stchecked" if g.get("certificate_verified") is True else "\\stnot",
                     "exists": {True: "yes", False: "no"}.get(layer.get("index_set_exists"), "undecided"),
                     "evidence": prose(layer.get("evidence", ""))})
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
    ctx = {"available": True, "rows": rows, "figure": figure,
           "command": latex_escape(data.get("command", "not recorded")),
           "family": latex_escape(data.get("family", "")), "activation": latex_escape(data.get("activation", "")),
           "verdict": latex_escape(data.get("verdict", "not checked")),
           "source": ", ".join(latex_escape(f"{k} {source[k]}") for k in ("package", "version") if source.get(k)),
           "sha256": latex_escape(str(source.get("sha256", ""))[:16]),
           "n_layers": len(rows), "n_certified": sum(1 for r in rows if r["cert"] == "\\stchecked")}
    return ctx, files


def _mean(values):
    vals = [v for v in (_float(x) for x in values or []) if v is not None]
    return sum(vals) / len(vals) if vals else None


def continuity_context(data) -> (dict, dict):
    """Per weight family: mean |<v_l, v_l+1>| of input and output singular vectors, the baselines, which side the
    seed expects to be continuous, and whether the pattern holds; plus a per-layer figure."""
    if not _is_checked(data) or not isinstance(data.get("families"), dict):
        return missing("build/trained/continuity.json", data), {}
    rows, files, lines, legend = [], {}, [], []
    fams = [f for f in FAMILIES if f in data["families"]] + sorted(f for f in data["families"] if f not in FAMILIES)
    for i, fam in enumerate(fams):
        f = data["families"][fam] if isinstance(data["families"][fam], dict) else {}
        mi, mo = _mean(f.get("input")), _mean(f.get("output"))
        holds = f.get("pattern_holds")
        rows.append({"family": latex_escape(fam), "expected": latex_escape(f.get("expected", "none")),
                     "input": num(_fmt(mi)) if mi is not None else "--",
                     "output": num(_fmt(mo)) if mo is not None else "--",
                     "b_in": num(f.get("baseline_input", "--")), "b_out": num(f.get("baseline_output", "--")),
                     "holds": "yes" if holds is True else "no" if holds is False else "not checked"})
        side = "input" if f.get("expected") == "input" else "output"
        vals = [(j, v) for j, v in enumerate(_float(x) for x in f.get(side) or []) if v is not None]
        if vals:
            path = f"data/continuity-{i}.dat"
            files[path] = "x y\n" + "".join(f"{j} {_fmt(v)}\n" for j, v in vals)
            lines.append(f"\\addplot+[thick] table[x=x,y=y] {{{path}}};")
            legend.append(f"{latex_escape(fam)} ({side})")
    figure = _pgf(lines, ["xlabel={layer $l$}", "ylabel={$\\lvert\\langle x_l, x_{l+1}\\rangle\\rvert$, top singular vectors}",
                          "ymin=0", "ymax=1", "grid=major", "grid style={black!10}"], legend) if lines else None
    holds = data.get("pattern_holds")
    ctx = {"available": True, "rows": rows, "figure": figure, "command": latex_escape(data.get("command", "")),
           "summary": prose(data.get("summary", "")), "n_layers": latex_escape(data.get("n_layers", "")),
           "holds": "holds" if holds is True else "does not hold" if holds is False else "was not checked"}
    return ctx, files
