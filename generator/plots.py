"""Monte Carlo tables and pgfplots figures, drawn generically from build/mc/<experiment>.csv.

Each experiment has a small spec naming the CSV columns it plots. A column that is missing (or holds no finite
number) makes that figure "not available" in the PDF; nothing is ever invented.
"""
import math
import re

from generator.latex import latex_escape

# Column names follow the CSV headers written by montecarlo/ (read from their header row at build time).
MC_SPECS = {
    "measure-zero": {
        "title": "Measure zero of the index condition (claim 6)",
        "figures": [
            {"name": "quantiles", "kind": "line", "x": "n", "y": ["q01", "q10", "median"], "group": ["ensemble", "d"],
             "ylog": True, "xlabel": "width $n$", "ylabel": r"quantile of $\min_S \lVert W_{\downarrow}D_SW_{\uparrow}+I\rVert$",
             "caption": "Quantiles of the distance to the index condition per ensemble and $(d,n)$"},
            {"name": "cp", "kind": "line", "x": "n", "y": ["cp_upper"], "group": ["ensemble", "d"], "ylog": True,
             "xlabel": "width $n$", "ylabel": "Clopper--Pearson upper bound",
             "caption": "Clopper--Pearson 95\\% upper bound on the probability of the index condition"},
        ],
    },
    "planted": {
        "title": "Planted index sets: sign-flip positive controls",
        "figures": [
            {"name": "error", "kind": "bar", "x": "activation", "y": ["max_rel_error"], "group": [], "ylog": True,
             "xlabel": "activation", "ylabel": "max relative error",
             "caption": "Maximal relative error of the sign-flip absorber per activation"},
        ],
    },
    "sinkhorn": {
        "title": "Sinkhorn iterates and determinants",
        "figures": [
            {"name": "identity", "kind": "line", "x": "iteration", "y": ["identity_error"], "group": ["size"],
             "ylog": True, "xlabel": "Sinkhorn iteration", "ylabel": r"error of the $\log\lvert\det\rvert$ identity",
             "caption": r"Error of the $\log\lvert\det\rvert$ identity along the Sinkhorn iterations"},
            {"name": "defect", "kind": "line", "x": "iteration", "y": ["defect"], "group": ["size"], "ylog": True,
             "xlabel": "Sinkhorn iteration", "ylabel": "doubly-stochastic defect",
             "caption": "Doubly-stochastic defect along the Sinkhorn iterations"},
        ],
    },
    "obstructions": {
        "title": "Obstruction witnesses",
        "figures": [
            {"name": "witness", "kind": "line", "x": "t", "y": ["witness"], "group": ["activation"], "xlog": True,
             "ylog": True, "xlabel": "scale $t$", "ylabel": "witness",
             "caption": "Obstruction witnesses against the scale $t$"},
        ],
    },
    "width": {
        "title": "Minimal absorbing width",
        "figures": [
            {"name": "misfit", "kind": "line", "x": "extra_width", "y": ["misfit"], "group": ["activation", "d"],
             "ylog": True, "xlabel": "extra width", "ylabel": "misfit",
             "caption": "Best misfit against the extra residual-free width"},
        ],
    },
}
MAX_SERIES = 8
MAX_TABLE_ROWS = 40
MAX_TABLE_COLS = 8


def _float(text):
    try:
        value = float(str(text).strip())
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "x"


def num(value) -> str:
    """A CSV/JSON value for a siunitx table cell: \\num{} for finite numbers, escaped text otherwise."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    f = _float(value)
    if f is None:
        return latex_escape(value)
    text = str(value).strip()
    if re.fullmatch(r"[-+]?\d+", text):
        return f"\\num{{{int(text)}}}"
    return f"\\num[round-mode=figures,round-precision=3]{{{f!r}}}"


def _fmt(x: float) -> str:
    return repr(float(x))


def figure_tex(exp, spec, header, rows, data_prefix):
    """(tex, {relative data path: text}) for one figure, or (None, reason) when its columns are not available."""
    needed = [spec["x"], *spec["y"], *spec["group"]]
    missing = [c for c in needed if c not in header]
    if missing:
        return None, "column(s) " + ", ".join(missing) + " not in the CSV"
    files, plots, legend = {}, [], []
    xlog, ylog = spec.get("xlog", False), spec.get("ylog", False)
    if spec["kind"] == "bar":
        labels, points = [], {y: [] for y in spec["y"]}
        for row in rows:
            labels.append(row[spec["x"]])
            for y in spec["y"]:
                points[y].append(_float(row[y]))
        if not labels:
            return None, "the CSV has no rows"
        ticks = ",".join("{" + latex_escape(label) + "}" for label in labels)
        for k, y in enumerate(spec["y"]):
            pts = [(i, v) for i, v in enumerate(points[y]) if v is not None and (v > 0 or not ylog)]
            if not pts:
                continue
            path = f"{data_prefix}-{spec['name']}-{k}.dat"
            files[path] = "x y\n" + "".join(f"{i} {_fmt(v)}\n" for i, v in pts)
            plots.append(f"\\addplot+[ybar] table[x=x,y=y] {{{path}}};")
            legend.append(latex_escape(y))
        if not plots:
            return None, "no finite values to plot"
        axis_opts = [f"xtick={{0,...,{len(labels) - 1}}}", f"xticklabels={{{ticks}}}",
                     "x tick label style={rotate=60,anchor=east,font=\\scriptsize}", "ybar", "bar width=5pt"]
    else:
        groups = {}
        for row in rows:
            key = tuple(row[g] for g in spec["group"])
            groups.setdefault(key, []).append(row)
        series = 0
        for key in sorted(groups, key=lambda k: tuple((_float(v) is None, _float(v) or 0, v) for v in k)):
            for y in spec["y"]:
                if series >= MAX_SERIES:
                    break
                pts = []
                for row in groups[key]:
                    xv, yv = _float(row[spec["x"]]), _float(row[y])
                    if xv is None or yv is None or (xlog and xv <= 0) or (ylog and yv <= 0):
                        continue
                    pts.append((xv, yv))
                if not pts:
                    continue
                pts.sort()
                path = f"{data_prefix}-{spec['name']}-{series}.dat"
                files[path] = "x y\n" + "".join(f"{_fmt(a)} {_fmt(b)}\n" for a, b in pts)
                plots.append(f"\\addplot+[mark size=1.2pt] table[x=x,y=y] {{{path}}};")
                parts = [f"{g}={v}" for g, v in zip(spec["group"], key)]
                if len(spec["y"]) > 1:
                    parts.insert(0, y)
                legend.append(latex_escape(", ".join(parts) or y))
                series += 1
        if not plots:
            return None, "no finite values to plot"
        axis_opts = []
    if xlog:
        axis_opts.append("xmode=log")
    if ylog:
        axis_opts.append("ymode=log")
    axis_opts += ["width=0.82\\linewidth", "height=5.6cm", f"xlabel={{{spec['xlabel']}}}",
                  f"ylabel={{{spec['ylabel']}}}", "legend style={font=\\tiny,at={(1.02,1)},anchor=north west}",
                  "tick label style={font=\\scriptsize}", "label style={font=\\small}"]
    tex = ["\\begin{tikzpicture}", "\\begin{axis}[" + ",\n  ".join(axis_opts) + "]", *plots]
    if len(legend) > 1 or spec["kind"] != "bar":
        tex.append("\\legend{" + ",".join("{" + entry + "}" for entry in legend) + "}")
    tex += ["\\end{axis}", "\\end{tikzpicture}"]
    return "\n".join(tex), files


def table_rows(header, rows):
    """The CSV as a table: at most MAX_TABLE_COLS columns and MAX_TABLE_ROWS rows (the caption says so)."""
    cols = header[:MAX_TABLE_COLS]
    body = [[num(row.get(c, "")) for c in cols] for row in rows[:MAX_TABLE_ROWS]]
    return {"columns": [latex_escape(c) for c in cols], "rows": body, "total_rows": len(rows),
            "total_cols": len(header), "shown_rows": len(body)}
