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
        "table": ["ensemble", "d", "n", "draws", "satisfying", "cp_upper_95", "dist_min", "dist_q50", "r_ls_median",
                  "r_box_median", "certified"],
        "figures": [],  # drawn by generator/mcfigures.py: CP bound against N, ECDFs, box plots
    },
    "planted": {
        "title": "Planted index sets: sign-flip positive controls",
        "table": ["activation", "d", "n", "S_size", "trials", "recovered_decision", "max_rel_err",
                  "wrong_flip_min_rel_err", "r_ls_max"],
        "control": ["d", "n", "S_size", "trials", "recovered_decision", "max_rel_err"],
        "figures": [
            {"name": "error", "kind": "cat", "x": ["activation"], "y": ["max_rel_err"], "group": ["d", "n"],
             "ylog": True, "xlabel": "activation", "ylabel": "max relative error",
             "caption": "Maximal relative error of the sign-flip absorber on random inputs, per activation and "
                        "$(d,n)$ with a planted index set (rounding error only)", "where": "supplement"},
        ],
    },
    "sinkhorn": {
        "title": "Sinkhorn iterates and determinants",
        # per iterate only; the per-n_s aggregates (singular count, determinant identity) are a table of their own
        "table": ["n_s", "k", "samples", "defect_median", "defect_max"],
        "per": {"key": "n_s", "columns": ["n_s", "samples", "singular", "median_abs_det", "det_identity_max_rel_err"]},
        "figures": [
            {"name": "defect", "kind": "line", "x": "k", "y": ["defect_median", "defect_max"], "group": ["n_s"],
             "ylog": True, "xlabel": "Sinkhorn iteration $k$", "ylabel": "doubly-stochastic defect",
             "caption": "Doubly-stochastic defect of the Sinkhorn iterates per stream count $n_s$: median and "
                        "maximum over the draws (the maximum is what a finite-iteration mHC layer can be off by)"},
        ],
    },
    "obstructions": {
        "title": "Obstruction witnesses",
        "table_filter": {"depth": "1"},
        "figures": [
            {"name": "residual", "kind": "line", "x": "t", "y": ["residual_rel"], "group": ["activation"],
             "filter": {"depth": "1"}, "xlog": True, "ylog": True, "xlabel": "scale $t$",
             "ylabel": "residual-block witness (rel.)",
             "caption": "Depth 1: relative distance of the rescaled residual block to its limit against the scale "
                        "$t$ ($t\\to0$ for flat and degree $k>1$, $t\\to\\infty$ for bounded activations)",
             "where": "supplement"},
            {"name": "comparator", "kind": "line", "x": "t", "y": ["comparator_rel"], "group": ["activation"],
             "filter": {"depth": "1"}, "xlog": True, "ylog": True, "xlabel": "scale $t$",
             "ylabel": "residual-free witness (rel.)",
             "caption": "Depth 1: the same rescaling applied to residual-free blocks, which tend to $0$",
             "where": "supplement"},
        ],
    },
    "width": {
        "title": "Minimal absorbing width",
        "table": ["activation", "c", "d", "n", "width", "extra", "trials", "max_rel_err", "index_set_refuted",
                  "refutation"],
        "figures": [
            {"name": "error", "kind": "cat", "x": ["d", "n"], "y": ["max_rel_err"], "group": ["activation"],
             "ylog": True, "xlabel": "$(d,n)$", "ylabel": "max relative error",
             "caption": "Relative error of the residual-free absorber of width $n+\\max(d,2d-n)$ per activation "
                        "and $(d,n)$ (rounding error only)", "where": "supplement"},
        ],
    },
}
# Titles of the experiments that have no plot spec: a reader sees what the run checks, never the experiment's key.
TITLES = {
    "bias-planted": "Planted index sets with biases and post-LayerNorm: sign-flip positive controls",
    "prenorm": "Pre-norm blocks: shift and scale invariance",
}
MAX_SERIES = 12
MAX_TABLE_ROWS = 60
MAX_TABLE_COLS = 11


def _float(text):
    try:
        value = float(str(text).strip())
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "x"


# limits as the experiments write them in their CSVs, typeset (whole cells only; any other text is escaped)
LIMIT_CELLS = {"t->0": "$t\\to 0$", "t->inf": "$t\\to\\infty$", "t->0+": "$t\\to 0^+$", "t->0-": "$t\\to 0^-$"}


def num(value) -> str:
    """A CSV/JSON value for a siunitx table cell: \\num{} for finite numbers, a known limit cell in math, escaped
    text otherwise."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    f = _float(value)
    if f is None:
        return LIMIT_CELLS.get(str(value).strip(), None) or latex_escape(value)
    text = str(value).strip()
    if re.fullmatch(r"[-+]?\d+", text):
        return f"\\num{{{int(text)}}}"
    return f"\\num[round-mode=figures,round-precision=3]{{{f!r}}}"


def _fmt(x: float) -> str:
    return repr(float(x))


def _cols(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


HUMAN_VALUES = {"gaussian": "Gaussian", "kaiming": "Kaiming", "student_t3": "Student-$t_3$", "uniform": "uniform"}


def series_label(columns, values, y=None) -> str:
    """A legend entry a reader understands: the value itself for one name-like column ("Gaussian", "relu"),
    "$(d,n)=(3,8)$" for shapes, "$k=2$" for other numbers; never `column=value` data keys."""
    pairs = list(zip(columns, values))
    if len(pairs) == 1 and _float(pairs[0][1]) is None:
        text = HUMAN_VALUES.get(str(pairs[0][1])) or latex_escape(pairs[0][1])
    elif pairs and all(_float(v) is not None and re.fullmatch(r"[A-Za-z](?:_?[A-Za-z0-9])?", c) for c, v in pairs):
        text = "$(" + ",".join(c for c, _ in pairs) + ")=(" + ",".join(str(v) for _, v in pairs) + ")$" \
            if len(pairs) > 1 else f"${pairs[0][0]}={pairs[0][1]}$"
    else:
        text = ", ".join(HUMAN_VALUES.get(str(v)) or latex_escape(f"{c} {v}") for c, v in pairs)
    return (latex_escape(y.replace("_", " ")) + ", " + text) if y else (text or latex_escape(y or ""))


def figure_tex(exp, spec, header, rows, data_prefix):
    """(tex, {relative data path: text}) for one figure, or (None, reason) when its columns are not available.

    kind "line": numeric x column; kind "cat": categorical x made of one or more columns (ticks in first-seen
    order), optionally as bars; `band` = (low, high) columns drawn as error bars around y; one series per
    (group, y) pair, at most MAX_SERIES."""
    xcols = _cols(spec["x"])
    band = spec.get("band")
    needed = [*xcols, *spec["y"], *spec["group"], *(band or [])]
    missing = [c for c in needed if c not in header]
    if missing:
        return None, "column(s) " + ", ".join(missing) + " not in the CSV"
    flt = spec.get("filter") or {}
    if any(c not in header for c in flt):
        return None, "column(s) " + ", ".join(c for c in flt if c not in header) + " not in the CSV"
    rows = [r for r in rows if all(str(r.get(c)) == str(v) for c, v in flt.items())]
    if not rows:
        return None, "the CSV has no rows"
    files, plots, legend = {}, [], []
    xlog, ylog = spec.get("xlog", False), spec.get("ylog", False)
    categorical = spec["kind"] == "cat"
    labels = []
    if categorical:
        for row in rows:
            label = tuple(row[c] for c in xcols)
            if label not in labels:
                labels.append(label)
    groups = {}
    for row in rows:
        groups.setdefault(tuple(row[g] for g in spec["group"]), []).append(row)
    keys = sorted(groups, key=lambda k: tuple((_float(v) is None, _float(v) or 0, v) for v in k))
    nseries = min(MAX_SERIES, len(keys) * len(spec["y"]))
    series = 0
    for key in keys:
        for y in spec["y"]:
            if series >= MAX_SERIES:
                break
            pts = []
            for row in groups[key]:
                if categorical:
                    xv = labels.index(tuple(row[c] for c in xcols))
                    if not spec.get("bar"):
                        xv += (series - (nseries - 1) / 2.0) * 0.5 / max(nseries, 1)
                else:
                    xv = _float(row[xcols[0]])
                yv = _float(row[y])
                if xv is None or yv is None or (xlog and xv <= 0) or (ylog and yv <= 0):
                    continue
                lo = hi = yv
                if band:
                    lo, hi = _float(row[band[0]]), _float(row[band[1]])
                    if lo is None or hi is None or (ylog and lo <= 0):
                        lo = hi = yv
                pts.append((xv, yv, max(yv - lo, 0.0), max(hi - yv, 0.0)))
            if not pts:
                continue
            pts.sort()
            path = f"{data_prefix}-{spec['name']}-{series}.dat"
            files[path] = "x y em ep\n" + "".join(f"{_fmt(a)} {_fmt(b)} {_fmt(c)} {_fmt(d)}\n" for a, b, c, d in pts)
            style = ["mark size=1.4pt"]
            if spec.get("bar"):
                style = ["ybar"]
            elif categorical:
                style.append("only marks")
            if band:
                style.append("error bars/.cd,y dir=both,y explicit")
            extra = ",y error minus=em,y error plus=ep" if band else ""
            plots.append(f"\\addplot+[{','.join(style)}] table[x=x,y=y{extra}] {{{path}}};")
            legend.append(series_label(spec["group"], key, y if len(spec["y"]) > 1 else None))
            series += 1
    if not plots:
        return None, "no finite values to plot"
    axis_opts = []
    if categorical:
        ticks = ",".join("{" + latex_escape("(" + ",".join(lab) + ")" if len(lab) > 1 else lab[0]) + "}"
                         for lab in labels)
        axis_opts += [f"xtick={{0,...,{len(labels) - 1}}}", f"xticklabels={{{ticks}}}",
                      f"xmin=-0.6,xmax={len(labels) - 0.4}"]
        if len(labels) > 12 or max(len(",".join(lab)) for lab in labels) > 8:
            axis_opts.append("x tick label style={rotate=60,anchor=east}")
        if spec.get("bar"):
            axis_opts += ["ybar", "bar width=4pt"]
    if xlog:
        axis_opts.append("xmode=log")
    if ylog:
        axis_opts.append("ymode=log")
    if spec.get("ymin") is not None and not ylog:
        top = max(float(line.split()[1]) + float(line.split()[3])
                  for text in files.values() for line in text.splitlines()[1:])
        axis_opts += [f"ymin={spec['ymin']}", f"ymax={_fmt(max(top * 1.15, spec['ymin'] + 1e-12))}"]
    axis_opts += ["width=12.5cm", "height=5.6cm", f"xlabel={{{spec['xlabel']}}}",
                  f"ylabel={{{spec['ylabel']}}}", "legend style={font=\\scriptsize,at={(1.02,1)},anchor=north west}",
                  "tick label style={font=\\scriptsize}", "label style={font=\\small}"]
    tex = ["\\begin{tikzpicture}", "\\begin{axis}[" + ",\n  ".join(axis_opts) + "]", *plots]
    if len(legend) > 1 or not spec.get("bar"):
        tex.append("\\legend{" + ",".join("{" + entry + "}" for entry in legend) + "}")
    tex += ["\\end{axis}", "\\end{tikzpicture}"]
    return "\n".join(tex), files


FIGURE_PREAMBLE = r"""\pdftrailerid{}
\pdfsuppressptexinfo=15
\documentclass[10pt,border=2pt]{standalone}
\usepackage[T1]{fontenc}
\usepackage{lmodern}
\usepackage{amsmath,amssymb}
\usepackage[dvipsnames]{xcolor}
\usepackage{pgfplots}
\pgfplotsset{compat=1.18}
\begin{document}
"""


def figure_document(tikz: str) -> str:
    """A standalone document for one pgfplots figure: compiled once, then included as a PDF, so a build whose
    figure data did not change never re-typesets the plots."""
    return FIGURE_PREAMBLE + tikz + "\n\\end{document}\n"


def table_rows(header, rows, columns=None, filter_=None):
    """The CSV as a table: the spec's columns (those present) or the first MAX_TABLE_COLS, at most MAX_TABLE_ROWS
    rows (the caption says when rows or columns are left out)."""
    cols = [c for c in (columns or []) if c in header] or header[:MAX_TABLE_COLS]
    if filter_ and all(c in header for c in filter_):
        rows = [r for r in rows if all(str(r.get(c)) == str(v) for c, v in filter_.items())]
    body = [[num(row.get(c, "")) for c in cols] for row in rows[:MAX_TABLE_ROWS]]
    return {"columns": [latex_escape(c) for c in cols], "rows": body, "total_rows": len(rows),
            "total_cols": len(header), "shown_rows": len(body),
            "filter": latex_escape(", ".join(f"{c} = {v}" for c, v in (filter_ or {}).items()))}
