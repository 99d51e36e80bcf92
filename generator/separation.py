"""The one figure of the scaling obstructions that the paper shows (claims 2 and 3): along the scaling limit,
||F(tx)/t|| / ||Px|| of random residual stacks F tends to 1 while ||G(tx)/t|| / ||Px|| of random residual-free
stacks G tends to 0, so no G equals an F.

Both quantities come from build/mc/obstructions.csv (columns f_ratio_min, f_ratio_max: min and max over draws and
points of ||F(tx)/t|| / ||Px||; comparator_rel: max of ||G(tx)/t|| / ||Px||), written by
montecarlo/experiments/obstructions.py. One panel, x = t on a log axis: the left half (t -> 0) holds the flat and
degree k > 1 activations, the right half (t -> infinity) the bounded ones; the band of F and the curve of G are the
extremes over every activation of that limit at the depth shown. Nothing is drawn from a missing column.
"""
from generator.plots import _float, _fmt

COLUMNS = ("activation", "depth", "limit", "t", "comparator_rel", "f_ratio_min", "f_ratio_max")
LIMITS = (("t->0", "$t\\to0$"), ("t->inf", "$t\\to\\infty$"))
DEPTH = "1"


def series(rows, depth=DEPTH):
    """{limit: [(t, f_min, f_max, g_max, activations)]} at one depth, the extremes over the activations of that
    limit, in increasing t. Rows without finite numbers are skipped."""
    out = {}
    for limit, _ in LIMITS:
        by_t = {}
        for r in rows:
            if str(r.get("limit")) != limit or str(r.get("depth")) != str(depth):
                continue
            t, lo, hi, g = (_float(r.get(c)) for c in ("t", "f_ratio_min", "f_ratio_max", "comparator_rel"))
            if None in (t, lo, hi, g) or t <= 0:
                continue
            cell = by_t.setdefault(t, [lo, hi, g, set()])
            cell[0], cell[1], cell[2] = min(cell[0], lo), max(cell[1], hi), max(cell[2], g)
            cell[3].add(str(r.get("activation")))
        if by_t:
            out[limit] = [(t, c[0], c[1], c[2], sorted(c[3])) for t, c in sorted(by_t.items())]
    return out


def figure(header, rows, data_prefix="data/obstructions-separation"):
    """(tex, {data path: text}) of the panel, or (None, reason) when the CSV lacks its columns or numbers."""
    missing = [c for c in COLUMNS if c not in (header or [])]
    if missing:
        return None, "column(s) " + ", ".join(missing) + " not in the CSV"
    data = series(rows)
    if not data:
        return None, "the CSV has no depth-1 scaling rows"
    files, plots, legend = {}, [], []
    styles = {"f": "blue,thick", "g": "red!80!black,thick,dashed"}
    first = True
    for limit, _ in LIMITS:
        pts = data.get(limit)
        if not pts:
            continue
        path = f"{data_prefix}-{limit.replace('->', '-')}.dat"
        files[path] = "t fmin fmax g\n" + "".join(f"{_fmt(t)} {_fmt(lo)} {_fmt(hi)} {_fmt(g)}\n"
                                                   for t, lo, hi, g, _ in pts)
        forget = "" if first else ",forget plot"
        plots += [f"\\addplot[{styles['f']},mark=*,mark size=1.2pt{forget}] table[x=t,y=fmax] {{{path}}};",
                  f"\\addplot[{styles['f']},mark=*,mark size=1.2pt,forget plot] table[x=t,y=fmin] {{{path}}};",
                  f"\\addplot[{styles['g']},mark=square*,mark size=1.2pt{forget}] table[x=t,y=g] {{{path}}};"]
        first = False
    legend = ["$\\lVert F(tx)/t\\rVert/\\lVert Px\\rVert$ (min and max)",
              "$\\lVert G(tx)/t\\rVert/\\lVert Px\\rVert$ (max)"]
    top = max(max(hi, g) for pts in data.values() for _, _, hi, g, _ in pts)
    ymax = min(max(1.3, top * 1.08), 3.0)
    if len(data) == 2:  # the two limits meet at t = 1: a thin rule between them
        plots.append(f"\\addplot[black!60,forget plot] coordinates {{(1,0) (1,{_fmt(ymax)})}};")
    opts = ["xmode=log", "ymin=0", f"ymax={_fmt(ymax)}", "restrict y to domain=0:3",
            "xlabel={scale $t$ (left: $t\\to0$, flat and degree $k>1$; right: $t\\to\\infty$, bounded)}",
            "ylabel={ratio to $\\lVert Px\\rVert$}", "grid=major", "grid style={black!10}",
            "extra y ticks={1}", "extra y tick style={grid=major,grid style={black!50,dashed}}",
            "width=12.5cm", "height=6cm", "legend columns=2",
            "legend style={font=\\scriptsize,at={(0.5,-0.28)},anchor=north,draw=none,/tikz/every even column/.append "
            "style={column sep=1em}}",
            "tick label style={font=\\scriptsize}", "label style={font=\\small}"]
    tex = ["\\begin{tikzpicture}", "\\begin{axis}[" + ",\n  ".join(opts) + "]", *plots,
           "\\legend{" + ",".join("{" + x + "}" for x in legend) + "}", "\\end{axis}", "\\end{tikzpicture}"]
    return "\n".join(tex), files


def activations(rows) -> dict:
    """{limit: [activation names]} at the depth shown (for the caption)."""
    return {limit: sorted({a for pts in [series(rows).get(limit, [])] for *_, acts in pts for a in acts})
            for limit, _ in LIMITS}
