"""Dependency graph of the theorem registry: a networkx DiGraph with an edge dep -> user for every `uses` entry.

A cycle is an InputError naming it ("circular dependency: a -> b -> a"); the topological order (ties broken by file
order, so it is deterministic) is the appendix order; `depth` is the longest path from a source, for layered drawing.
"""
import networkx as nx

from symbolic.errors import InputError


def build_graph(entries) -> nx.DiGraph:
    """entries: registry dicts with `id` and `uses`, in file order. Unknown ids in `uses` are an InputError."""
    graph = nx.DiGraph()
    for pos, entry in enumerate(entries):
        graph.add_node(entry["id"], order=pos)
    for entry in entries:
        for dep in entry.get("uses", []):
            if dep not in graph:
                raise InputError(f"theorem {entry['id']!r} uses unknown id {dep!r}")
            graph.add_edge(dep, entry["id"])
    check_acyclic(graph)
    return graph


def check_acyclic(graph: nx.DiGraph) -> None:
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return
    # find_cycle returns edges dep -> user; report it as "x uses y uses ... x" read along the edges, closed.
    nodes = [u for u, _ in cycle]
    nodes.append(nodes[0])
    raise InputError("circular dependency: " + " -> ".join(nodes))


def topological_order(graph: nx.DiGraph) -> list:
    """Dependencies first; among nodes that are ready at the same time, file order wins."""
    return list(nx.lexicographical_topological_sort(graph, key=lambda n: graph.nodes[n]["order"]))


def depths(graph: nx.DiGraph) -> dict:
    """Longest path (in edges) from any source to each node; sources have depth 0."""
    depth = {}
    for node in topological_order(graph):
        preds = list(graph.predecessors(node))
        depth[node] = 1 + max(depth[p] for p in preds) if preds else 0
    return depth


def dependency_closure(graph: nx.DiGraph, node: str) -> list:
    """All ids that `node` uses, directly or transitively, in topological order (the node itself excluded)."""
    if node not in graph:
        raise InputError(f"unknown theorem id {node!r}")
    anc = nx.ancestors(graph, node)
    return [n for n in topological_order(graph) if n in anc]


def dependents(graph: nx.DiGraph, node: str) -> list:
    """All ids that use `node`, directly or transitively, in topological order."""
    if node not in graph:
        raise InputError(f"unknown theorem id {node!r}")
    desc = nx.descendants(graph, node)
    return [n for n in topological_order(graph) if n in desc]
