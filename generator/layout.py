"""Dependency graph laid out by Graphviz `dot`, drawn back as TikZ so every label stays searchable PDF text.

`dot` ranks the results by dependency (an arrow goes from a result to each result that uses it) with `newrank`, i.e.
one global ranking over all clusters, so every arrow points to the right: a result sits strictly to the right of
everything it uses (`arrows_point_right` checks the drawn layout). Results are grouped in one cluster per paper
claim, and `dot` minimises edge crossings. We read the node positions and edge splines from `dot -Tjson` and emit
TikZ paths with the same coordinates (Graphviz points = TeX big points). The same input always yields the same `dot`
source, hence the same bytes.

The graph is drawn in parts (`parts`: the paper's claims, then the results beyond the paper) so that each fits a
landscape page at a legible size: `fit_scale` scales a part to the page and the text stays at least MIN_PRINT_PT
points. A part also draws, dashed, the results of the other part that its results use, so every arrow is drawn once,
in the part of the result that uses it.

`crossings()` counts edge crossings of a drawn layout (splines flattened to polylines); the README quotes it for the
old hand layering (straight edges between depth columns) and for the Graphviz layout.
"""
import json
import shutil
import subprocess

from generator import graph as graphmod
from generator.latex import latex_escape
from symbolic.errors import InputError

DOT_TIMEOUT = 120
FONT_PT = 8
MIN_PRINT_PT = 7  # smallest label size at print size (font size times the scale the page imposes)
PAGE_BP = (717.0, 425.0)  # A4 landscape text block (2.2 cm margins, 717 x 470 bp) less a one-line caption
LABEL_WRAP = 14  # ids longer than this break after a hyphen, so that columns stay narrow
CLUSTER_COLOUR = "black!35"


def claim_cluster(theorem) -> str:
    """Cluster key: one cluster per paper claim, claim 0 = beyond the paper; None for definitions, which nearly
    every result uses: boxed together they would pull all their edges across the other clusters."""
    return None if theorem["kind"] == "definition" else f"claim{theorem['claim']}"


def wrap_id(text: str):
    """Split an id after hyphens into lines of at most LABEL_WRAP characters (a single long part stays whole)."""
    lines, current = [], ""
    for part in [p + "-" for p in text.split("-")[:-1]] + [text.split("-")[-1]]:
        if current and len(current) + len(part) > LABEL_WRAP:
            lines.append(current)
            current = part
        else:
            current += part
    return lines + [current] if current else lines


NUMBER_SLOT = "0.00 "  # room for the result's number ("2.36 "), which LaTeX fills in with \ref* when it typesets


def node_lines(tid: str):
    """A node's label as dot sizes it: the number slot, then the id wrapped after hyphens. The printed graph shows
    the number the text gives the result, so it can be read against Section 2 on paper, where links do not work."""
    lines = wrap_id(tid)
    return [NUMBER_SLOT + lines[0]] + lines[1:]


def _quote(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def drawn(theorems):
    """The results the figure draws: every registry entry except definitions. Nearly every result uses a
    definition, so their edges would cross everything else; the results' subsections still link their definitions."""
    return [t for t in theorems if t["kind"] != "definition"]


def parts(theorems):
    """[(key, title, results of the part, results of other parts they use)]: the paper's claims 1-7, then the
    results beyond the paper (claim 0); a part with no results is left out."""
    by_id = {t["id"]: t for t in theorems}
    out = []
    for key, title, members in (("paper", "the claims of the paper", [t for t in theorems if t["claim"] != 0]),
                                ("beyond", "results beyond the paper", [t for t in theorems if t["claim"] == 0])):
        if not members:
            continue
        inside = {t["id"] for t in members}
        used = sorted({u for t in members for u in t["uses"] if u in by_id and u not in inside})
        out.append((key, title, members, [by_id[u] for u in used]))
    return out


def fit_scale(bb, page=PAGE_BP) -> float:
    """The scale at which a layout of bounding box bb = (x1, y1, x2, y2) fits the page (at most 1)."""
    width, height = bb[2] - bb[0], bb[3] - bb[1]
    return min(1.0, page[0] / width if width > 0 else 1.0, page[1] / height if height > 0 else 1.0)


def arrows_point_right(lay) -> list:
    """Edges (u, v) whose head is not strictly right of its tail in the drawn layout (empty when the rule holds)."""
    return [(u, v) for u, v, _, _ in lay["edges"] if not lay["nodes"][u][0] < lay["nodes"][v][0]]


def dot_source(theorems, cluster_titles, external=()) -> str:
    """The Graphviz source: nodes in registry order inside their claim clusters, the external results (used by this
    part, drawn in another) outside any cluster, edges sorted."""
    external = list(external)
    g = graphmod.build_graph(list(theorems) + external)
    outside = {t["id"] for t in external}
    g.remove_edges_from([(u, v) for u, v in list(g.edges()) if v in outside])
    lines = ["digraph results {", "  rankdir=LR; newrank=true; nodesep=0.06; ranksep=0.3; remincross=true; mclimit=8;"
             " splines=true;",
             f'  node [shape=box, fontname="Courier", fontsize={FONT_PT}, margin="0.05,0.03", height=0.2];',
             f'  graph [fontname="Helvetica", fontsize={FONT_PT + 1}, labeljust=l, margin=6];',
             "  edge [arrowsize=0.5];"]
    clusters = {}
    for t in theorems:
        clusters.setdefault(claim_cluster(t), []).append(t)
    for t in clusters.pop(None, []) + external:
        lines.append(f"  {_quote(t['id'])} [label={_quote(chr(10).join(node_lines(t['id'])))}];")
    for key in sorted(clusters, key=lambda k: (k == "claim0", k)):
        lines.append(f"  subgraph cluster_{key} {{")
        lines.append(f"    label={_quote(cluster_titles.get(key, key))};")
        for t in clusters[key]:
            lines.append(f"    {_quote(t['id'])} [label={_quote(chr(10).join(node_lines(t['id'])))}];")
        lines.append("  }")
    for u, v in sorted(g.edges()):
        lines.append(f"  {_quote(u)} -> {_quote(v)};")
    lines.append("}")
    return "\n".join(lines).replace(chr(10) + chr(10), "\n") + "\n"


def run_dot(source: str) -> dict:
    exe = shutil.which("dot")
    if exe is None:
        raise InputError("Graphviz `dot` not found: the dependency graph needs it (Debian: apt-get install graphviz)")
    try:
        proc = subprocess.run([exe, "-Tjson"], input=source, capture_output=True, text=True, timeout=DOT_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise InputError(f"Graphviz `dot` took longer than {DOT_TIMEOUT} s on the dependency graph") from None
    if proc.returncode != 0:
        raise InputError("Graphviz `dot` failed: " + (proc.stderr.strip().splitlines() or ["no message"])[0])
    try:
        return json.loads(proc.stdout)
    except ValueError as exc:
        raise InputError(f"cannot read Graphviz JSON output: {exc}") from None


def _points(text: str):
    return [tuple(float(c) for c in p.split(",")) for p in text.split()]


def layout(theorems, cluster_titles, external=()):
    """{"nodes": {id: (x, y, w, h)}, "edges": [(u, v, [spline points], arrow end or None)],
    "clusters": [(key, label, (x1, y1, x2, y2))], "bb": (x1, y1, x2, y2)} in points."""
    data = run_dot(dot_source(theorems, cluster_titles, external))
    objects = data.get("objects", [])
    nodes, clusters, names = {}, [], {}
    for obj in objects:
        if str(obj.get("name", "")).startswith("cluster_"):
            x1, y1, x2, y2 = (float(c) for c in obj["bb"].split(","))
            clusters.append((obj["name"][len("cluster_"):], obj.get("label", ""), (x1, y1, x2, y2)))
        elif "pos" in obj:
            x, y = (float(c) for c in obj["pos"].split(","))
            nodes[obj["name"]] = (x, y, float(obj["width"]) * 72, float(obj["height"]) * 72)
            names[obj["_gvid"]] = obj["name"]
    edges = []
    for e in data.get("edges", []):
        parts = e["pos"].split()
        end = None
        if parts and parts[0].startswith("e,"):
            end = tuple(float(c) for c in parts[0][2:].split(","))
            parts = parts[1:]
        if parts and parts[0].startswith("s,"):
            parts = parts[1:]
        edges.append((names[e["tail"]], names[e["head"]], _points(" ".join(parts)), end))
    edges.sort(key=lambda e: (e[0], e[1]))
    bb = tuple(float(c) for c in data["bb"].split(","))
    return {"nodes": nodes, "edges": edges, "clusters": sorted(clusters), "bb": bb}


def _bezier_polyline(points, steps=10):
    """Flatten a cubic B-spline in Graphviz form (p0, then 3 points per segment) into a polyline."""
    out = [points[0]]
    for i in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[i:i + 4]
        for s in range(1, steps + 1):
            t = s / steps
            a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t ** 3
            out.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return out


def _segments_cross(p, q, r, s) -> bool:
    def orient(a, b, c):
        v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return 0 if abs(v) < 1e-9 else (1 if v > 0 else -1)
    return orient(p, q, r) * orient(p, q, s) < 0 and orient(r, s, p) * orient(r, s, q) < 0


def crossings(edges) -> int:
    """Proper crossings between edges that share no endpoint; edges = [(u, v, polyline)]."""
    total = 0
    for i in range(len(edges)):
        u1, v1, a = edges[i]
        for j in range(i + 1, len(edges)):
            u2, v2, b = edges[j]
            if {u1, v1} & {u2, v2}:
                continue
            for k in range(len(a) - 1):
                for m in range(len(b) - 1):
                    if _segments_cross(a[k], a[k + 1], b[m], b[m + 1]):
                        total += 1
    return total


def graphviz_crossings(lay) -> int:
    return crossings([(u, v, _bezier_polyline(pts) + ([end] if end else [])) for u, v, pts, end in lay["edges"]])


def hand_layer_crossings(theorems) -> int:
    """Crossings of the previous hand layering (graph.py: depth columns, barycentre order, straight edges from the
    east side of one box to the west side of the other; box width is ignored, as all edges leave and enter at the
    column's own x)."""
    cols, g = graphmod.layers(theorems)
    cols = graphmod._order_layers(cols, g)
    longest = max(len(c) for c in cols)
    pos = {}
    for x, col in enumerate(cols):
        offset = (longest - len(col)) / 2.0
        for y, t in enumerate(col):
            pos[t["id"]] = (3.1 * x, -1.5 * (offset + y))
    return crossings([(u, v, [(pos[u][0] + 0.6, pos[u][1]), (pos[v][0] - 0.6, pos[v][1])])
                      for u, v in sorted(g.edges())])


def _f(x: float) -> str:
    return f"{x:.1f}"


def tikz(theorems, cluster_titles, lay=None, external=(), scale=1.0) -> str:
    """The tikzpicture: clusters as light frames with their claim title, nodes coloured by overall status and linked
    to their subsection, external results (drawn in another part) dashed, edges as Graphviz's splines; the whole
    picture at `scale` (fit_scale), recorded in a comment with the label size it gives at print size."""
    if not theorems:
        return "\\emph{No results in the registry.}"
    external = list(external)
    lay = lay or layout(theorems, cluster_titles, external)
    by_id = {t["id"]: t for t in list(theorems) + external}
    index = {t["id"]: f"n{i}" for i, t in enumerate(list(theorems) + external)}
    outside = {t["id"] for t in external}
    out = [f"% graph labels: {FONT_PT}pt at scale {scale:.3f} = {FONT_PT * scale:.2f}pt at print size",
           f"\\begin{{tikzpicture}}[x=1bp,y=1bp,scale={scale:.3f},transform shape,"
           ">={Stealth[length=3.5pt,width=3pt]},",
           f"  res/.style={{draw=black!60,rounded corners=1.5pt,inner sep=0pt,align=center,"
           f"font=\\fontsize{{{FONT_PT}}}{{{FONT_PT + 1}}}\\selectfont\\ttfamily}},",
           "  ext/.style={draw=black!60,dashed,fill=white}]"]
    for key, label, (x1, y1, x2, y2) in lay["clusters"]:
        out.append(f"\\draw[{CLUSTER_COLOUR},rounded corners=3pt] ({_f(x1)},{_f(y1)}) rectangle ({_f(x2)},{_f(y2)});")
        out.append(f"\\node[anchor=north west,inner sep=2pt,font=\\sffamily\\fontsize{{{FONT_PT + 1}}}"
                   f"{{{FONT_PT + 2}}}\\selectfont\\bfseries,text=black!70] at ({_f(x1)},{_f(y2)}) "
                   f"{{{latex_escape(label)}}};")
    for u, v, pts, end in lay["edges"]:
        path = f"({_f(pts[0][0])},{_f(pts[0][1])})"
        for i in range(1, len(pts) - 2, 3):
            (a, b), (c, d), (e, f) = pts[i], pts[i + 1], pts[i + 2]
            path += f" .. controls ({_f(a)},{_f(b)}) and ({_f(c)},{_f(d)}) .. ({_f(e)},{_f(f)})"
        if end:
            path += f" -- ({_f(end[0])},{_f(end[1])})"
        out.append(f"\\draw[->,black!55,line width=0.5pt] {path};")
    for tid in sorted(lay["nodes"], key=lambda n: index[n]):
        x, y, w, h = lay["nodes"][tid]
        colour = graphmod.COLOURS[graphmod.overall(by_id[tid])]
        lines = wrap_id(tid)
        text = "\\\\".join(f"\\hyperref[sec:{tid}]{{{number}{latex_escape(line)}}}"
                           for number, line in zip([f"\\ref*{{{tid}}}\\ "] + [""] * len(lines), lines))
        style = "res,ext" if tid in outside else f"res,fill={colour}"
        out.append(f"\\node[{style},minimum width={_f(w)}bp,minimum height={_f(h)}bp] ({index[tid]}) "
                   f"at ({_f(x)},{_f(y)}) {{{text}}};")
    out.append("\\end{tikzpicture}")
    return "\n".join(out)
