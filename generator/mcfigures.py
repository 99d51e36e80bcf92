"""The measure-zero figures that carry information (claim 6):

* the Clopper--Pearson upper bound against the number of draws N on log-log axes: the exact curve for "0 of N
  draws satisfy the index condition", with the runs of this build marked on it, so the reader sees that the bound
  only says something because N is large, and falls like 3.69/N;
* the distance of random weights to the index condition per ensemble: empirical distribution functions from the
  per-draw file when it exists, else box plots from the quantile columns, else medians with 5-95 % bars.

Every number comes from build/mc/ (CSV/JSON); the CP curve is the closed form 1 - (alpha/2)^(1/N) for zero
successes, the same bound the CSV's cp_upper_95 column holds for a cell with no satisfying draw.
"""
import math

from generator.latex import latex_escape
from generator.plots import _float, _fmt

ENSEMBLE_LABELS = {"gaussian": "Gaussian", "kaiming": "Kaiming", "student_t3": "Student-$t_3$",
                   "uniform": "uniform", "laplace": "Laplace", "rademacher": "Rademacher"}
ENSEMBLE_ORDER = ["gaussian", "kaiming", "uniform", "student_t3"]
ALPHA = 0.05  # two-sided 95 % Clopper-Pearson, as in montecarlo/ (cp_upper_95 = 0.0362 at N = 100)
ECDF_POINTS = 300
COLOURS = ["blue", "red!80!black", "ForestGreen", "orange", "violet", "brown"]  # one per ensemble, every figure
AXIS_STYLE = ["width=12.5cm", "height=6cm", "legend style={font=\\scriptsize,at={(1.02,1)},anchor=north west,"
              "cells={anchor=west}}", "tick label style={font=\\scriptsize}", "label style={font=\\small}"]


def ensemble_label(key) -> str:
    """Human label of an ensemble key (never the data key itself when a label is known)."""
    key = str(key)
    return ENSEMBLE_LABELS.get(key, latex_escape(key.replace("_", " ")))


def cp_zero_bound(n: int, alpha: float = ALPHA) -> float:
    """Clopper-Pearson upper limit (two-sided level 1 - alpha) for 0 successes in n trials."""
    return 1.0 - (alpha / 2.0) ** (1.0 / n)


def _ensembles(rows):
    keys = sorted({r.get("ensemble", "") for r in rows},
                  key=lambda k: (ENSEMBLE_ORDER.index(k) if k in ENSEMBLE_ORDER else 99, k))
    return [k for k in keys if k]


LEGEND_BELOW = "legend style={font=\\scriptsize,at={(0.5,-0.2)},anchor=north,cells={anchor=west}}"


def _axis(opts, plots, legend, below=False):
    style = AXIS_STYLE[:2] + [LEGEND_BELOW] + AXIS_STYLE[3:] if below else AXIS_STYLE
    tex = ["\\begin{tikzpicture}", "\\begin{axis}[" + ",\n  ".join(opts + style) + "]", *plots]
    if legend:
        tex.append("\\legend{" + ",".join("{" + x + "}" for x in legend) + "}")
    return "\n".join(tex + ["\\end{axis}", "\\end{tikzpicture}"])


def _run_marks(run):
    """(N, bound, label) marks of one run: one cell and all cells pooled, when satisfying == 0 there."""
    marks = []
    meta, csv_ = run["meta"], run["csv"]
    scale = {"quick": "default", "paper": "paper-scale"}.get(run["scale"], run["scale"])
    if csv_:
        header, rows = csv_
        cells = [(_float(r.get("draws")), _float(r.get("cp_upper_95")), _float(r.get("satisfying"))) for r in rows]
        cells = [c for c in cells if c[0] and c[1] is not None]
        if cells:
            n_min = min(c[0] for c in cells)
            bound = max(c[1] for c in cells if c[0] == n_min)
            marks.append((n_min, bound, f"{scale} run, one cell ($N={int(n_min)}$)"))
    total, pooled = _float(meta.get("total_draws")), _float(meta.get("cp_upper_95_total"))
    if total and pooled is not None:
        marks.append((total, pooled, f"{scale} run, all cells pooled ($N={int(total)}$)"))
    return marks


def cp_figure(runs):
    """(tex, {data path: text}) of the CP bound against N, or (None, reason)."""
    marks = [m for run in runs for m in _run_marks(run)]
    if not marks:
        return None, "no cp_upper_95 column or total_draws in the measure-zero files"
    n_max = max(m[0] for m in marks)
    top = 10 ** math.ceil(math.log10(max(n_max * 10, 1e4)))
    grid = sorted({int(round(10 ** (k / 8))) for k in range(8, int(8 * math.log10(top)) + 1)})
    files = {"data/cp-curve.dat": "x y\n" + "".join(f"{n} {_fmt(cp_zero_bound(n))}\n" for n in grid)}
    plots = ["\\addplot[black,thick,no marks] table[x=x,y=y] {data/cp-curve.dat};"]
    legend = ["bound when 0 of $N$ draws satisfy the condition ($\\approx 3.69/N$)"]
    styles = ["only marks,mark=*,mark size=2.4pt,blue", "only marks,mark=square*,mark size=2.4pt,red!80!black",
              "only marks,mark=triangle*,mark size=3pt,ForestGreen", "only marks,mark=diamond*,mark size=3pt,orange"]
    for i, (n, bound, label) in enumerate(marks):
        plots.append(f"\\addplot[{styles[i % len(styles)]}] coordinates {{({_fmt(n)},{_fmt(bound)})}};")
        legend.append(label)
    opts = ["xmode=log", "ymode=log", "xlabel={number of draws $N$}",
            "ylabel={upper end, two-sided 95\\,\\% interval for $P(\\text{index condition})$}", "xmin=8", f"xmax={top}",
            "grid=major", "grid style={black!10}"]
    return _axis(opts, plots, legend, below=True), files


def ecdf_figure(distances, prefix):
    """ECDF of the per-draw distance per ensemble, pooled over the (d, n) cells, from `...-distances.csv`."""
    if not distances:
        return None, "no per-draw distance file (measure-zero-distances.csv)"
    header, rows = distances
    if not {"ensemble", "distance"} <= set(header):
        return None, "columns ensemble, distance not in the per-draw file"
    files, plots, legend = {}, [], []
    # the distance of a draw is at most ||I||_F = sqrt(d) (S = empty set): divided by sqrt(d), cells of different d
    # share one scale instead of piling up at their own ceilings
    scaled = "d" in header

    def value(r):
        v, d = _float(r.get("distance")), _float(r.get("d")) if scaled else 1.0
        return None if v is None or not d or d <= 0 else v / d ** 0.5
    for i, ens in enumerate(_ensembles(rows)):
        values = sorted(v for v in (value(r) for r in rows if r.get("ensemble") == ens)
                        if v is not None and v >= 0)
        if not values:
            continue
        n = len(values)
        idx = sorted({min(n - 1, int(round(k * (n - 1) / (ECDF_POINTS - 1)))) for k in range(ECDF_POINTS)})
        path = f"data/{prefix}-ecdf-{i}.dat"
        files[path] = "x y\n" + "".join(f"{_fmt(values[j])} {_fmt((j + 1) / n)}\n" for j in idx)
        plots.append(f"\\addplot[{COLOURS[i % len(COLOURS)]},const plot,no marks,thick] table[x=x,y=y] {{{path}}};")
        legend.append(f"{ensemble_label(ens)} ($N={n}$)")
    if not plots:
        return None, "no positive finite distances in the per-draw file"
    xlabel = "distance to the index condition" + (" / $\\sqrt{d}$" if scaled else "")
    opts = ["xmin=0", "ymin=0", "ymax=1", f"xlabel={{{xlabel}}}",
            "ylabel={fraction of draws $\\le$ distance}", "grid=major", "grid style={black!10}"]
    return _axis(opts, plots, legend), files


def box_figure(csv_, prefix):
    """Per (d, n) cell and ensemble: box q25-q75 with median, whiskers q05-q95 (or medians with 5-95 % bars when
    the quartile columns are missing)."""
    if not csv_:
        return None, "the CSV is missing"
    header, rows = csv_
    need = ["ensemble", "d", "n", "dist_q05", "dist_q50", "dist_q95"]
    if any(c not in header for c in need):
        return None, "column(s) " + ", ".join(c for c in need if c not in header) + " not in the CSV"
    quartiles = "dist_q25" in header and "dist_q75" in header
    cells = []
    for r in rows:
        cell = (r["d"], r["n"])
        if cell not in cells:
            cells.append(cell)
    ensembles = _ensembles(rows)
    files, plots, legend = {}, [], []
    width = 0.7 / max(len(ensembles), 1)
    colours = COLOURS
    for i, ens in enumerate(ensembles):
        pts = []
        for r in rows:
            if r.get("ensemble") != ens:
                continue
            q = [_float(r.get(c)) for c in ("dist_q05", "dist_q25" if quartiles else "dist_q50", "dist_q50",
                                            "dist_q75" if quartiles else "dist_q50", "dist_q95")]
            d = _float(r.get("d"))
            if any(v is None or v < 0 for v in q) or not d or d <= 0:
                continue
            q = [v / d ** 0.5 for v in q]  # on the scale of the ceiling sqrt(d), as in the ECDF
            x = cells.index((r["d"], r["n"])) + (i - (len(ensembles) - 1) / 2) * width
            pts.append((x, q))
        if not pts:
            continue
        path = f"data/{prefix}-box-{i}.dat"
        files[path] = "x med wlo whi blo bhi\n" + "".join(
            f"{_fmt(x)} {_fmt(q[2])} {_fmt(q[2] - q[0])} {_fmt(q[4] - q[2])} {_fmt(q[2] - q[1])} {_fmt(q[3] - q[2])}\n"
            for x, q in sorted(pts))
        c = colours[i % len(colours)]
        plots.append(f"\\addplot[{c},only marks,mark=none,forget plot,error bars/.cd,y dir=both,y explicit,"
                     f"error bar style={{{c},line width=0.5pt}},error mark=none] "
                     f"table[x=x,y=med,y error minus=wlo,y error plus=whi] {{{path}}};")
        if quartiles:
            plots.append(f"\\addplot[{c},only marks,mark=none,forget plot,error bars/.cd,y dir=both,y explicit,"
                         f"error bar style={{{c},line width=3.5pt,opacity=0.45}},error mark=none] "
                         f"table[x=x,y=med,y error minus=blo,y error plus=bhi] {{{path}}};")
        plots.append(f"\\addplot[{c},only marks,mark=-,mark size=3pt,thick] table[x=x,y=med] {{{path}}};")
        legend.append(ensemble_label(ens))
    if not plots:
        return None, "no positive finite quantiles"
    ticks = ",".join("{" + f"({d},{n})" + "}" for d, n in cells)
    opts = ["ymin=0", f"xtick={{0,...,{len(cells) - 1}}}", f"xticklabels={{{ticks}}}",
            f"xmin=-0.6,xmax={len(cells) - 0.4}", "xlabel={$(d,n)$}",
            "ylabel={distance to the index condition / $\\sqrt{d}$}", "ymajorgrids", "grid style={black!10}"]
    return _axis(opts, plots, legend), files
