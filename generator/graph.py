"""The networkx graph of `uses` edges and the node colours of the dependency figure.

The figure itself is laid out by Graphviz (generator/layout.py). `layers` and `_order_layers` are the former hand
layering (depth columns, barycentre order), kept so that README's crossing count of the old layout stays
reproducible (`layout.hand_layer_crossings`)."""
import networkx as nx

# Overall colour of a node, from the computed statuses (never from a template).
COLOURS = {
    "failed": "statusfailed",
    "rocq": "statusrocq",
    "rocq-partial": "statuspartial",
    "sympy-mc": "statusnum",
    "human": "statushuman",
    "conjecture": "statusopen",
}
LEGEND = [
    ("rocq", "proved in Rocq with everything it uses"),
    ("rocq-partial", "proved in Rocq in part, or under a use not proved in Rocq"),
    ("sympy-mc", "SymPy identities or Monte Carlo sanity checks only"),
    ("human", "human proof only"),
    ("conjecture", "conjecture / sketch"),
    ("failed", "some check failed"),
]


def overall(theorem) -> str:
    status = theorem["status"]
    if any(status.get(axis) == "failed" for axis in ("human", "sympy", "rocq", "mc")):
        return "failed"
    if status.get("rocq") == "checked":
        return "rocq"
    if status.get("rocq") == "partial":
        return "rocq-partial"
    if status.get("sympy") == "checked" or status.get("mc") == "checked":
        return "sympy-mc"
    if theorem["tag"] in ("S", "C"):
        return "conjecture"
    return "human"


def build_graph(theorems) -> nx.DiGraph:
    graph = nx.DiGraph()
    ids = {t["id"] for t in theorems}
    for t in theorems:
        graph.add_node(t["id"])
    for t in theorems:
        for used in t["uses"]:
            if used in ids:
                graph.add_edge(used, t["id"])
    return graph


def layers(theorems):
    """Depth layers (from theorems.json `depth`, else the longest path from a source) keeping registry order."""
    graph = build_graph(theorems)
    if not nx.is_directed_acyclic_graph(graph):
        cycle = nx.find_cycle(graph)
        from symbolic.errors import InputError
        raise InputError("theorem graph has a cycle: " + " -> ".join(u for u, _ in cycle))
    computed = {}
    for node in nx.topological_sort(graph):
        preds = list(graph.predecessors(node))
        computed[node] = 1 + max(computed[p] for p in preds) if preds else 0
    by_depth = {}
    for t in theorems:
        depth = t["depth"] if t.get("depth") is not None and t["depth"] >= computed[t["id"]] else computed[t["id"]]
        by_depth.setdefault(depth, []).append(t)
    return [by_depth[d] for d in sorted(by_depth)], graph


def _order_layers(cols, graph, sweeps=6):
    """Barycentre heuristic: order each layer by the mean position of its neighbours (fewer edge crossings).
    Deterministic: ties keep registry order."""
    order = [list(col) for col in cols]

    def positions():
        pos = {}
        for col in order:
            for i, t in enumerate(col):
                pos[t["id"]] = (i + 0.5) / len(col)
        return pos

    for sweep in range(sweeps):
        rng = range(1, len(order)) if sweep % 2 == 0 else range(len(order) - 2, -1, -1)
        for k in rng:
            pos = positions()
            def key(item):
                i, t = item
                nbrs = list(graph.predecessors(t["id"])) if sweep % 2 == 0 else list(graph.successors(t["id"]))
                vals = [pos[n] for n in nbrs if n in pos]
                return (sum(vals) / len(vals) if vals else pos[t["id"]], i)
            order[k] = [t for _, t in sorted(enumerate(order[k]), key=key)]
    return order
