"""`absorb graph [--json] [ID]`: the theorem dependency graph with the statuses computed from the build outputs.

Reads build/symbolic/theorems.json when it is newer than every input, otherwise computes the statuses live."""
import json

from symbolic.errors import InputError

AXES = ("sympy", "rocq", "lean", "mc")


def _line(entry) -> str:
    status = entry["status"]
    parts = [f"human={status['human']}"] + [f"{axis}={status[axis].replace(' ', '-')}" for axis in AXES]
    uses = ", ".join(entry["uses"]) if entry["uses"] else "-"
    return f"{entry['id']}  [{entry['kind']}]  {' '.join(parts)}  uses: {uses}"


def run(args) -> int:
    from symbolic.graph import build_graph, dependency_closure
    from symbolic.theorems import load_or_build

    entries = load_or_build()
    by_id = {e["id"]: e for e in entries}
    if args.id is not None:
        if args.id not in by_id:
            raise InputError(f"unknown theorem id {args.id!r} (see `absorb graph`)")
        graph = build_graph(entries)
        deps = dependency_closure(graph, args.id)
        selected = [by_id[i] for i in deps] + [by_id[args.id]]
    else:
        selected = entries
    if args.json:
        if args.id is not None:
            payload = {"id": args.id, "node": by_id[args.id], "dependencies": [by_id[i] for i in deps]}
        else:
            payload = selected
        print(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False))
        return 0
    if args.id is not None:
        print(_line(by_id[args.id]))
        print(f"  depends on {len(deps)} result(s), dependencies first:")
        for dep in deps:
            print("    " + _line(by_id[dep]))
        return 0
    for entry in selected:
        print(_line(entry))
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("graph", help="theorem dependency graph with statuses computed from the build outputs")
    p.add_argument("id", nargs="?", default=None, help="show one result and its transitive dependencies")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)
