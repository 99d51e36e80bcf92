"""`absorb list [--json]`: the activation registry."""
import json

from symbolic.activations import load_activations


def register(sub):
    parser = sub.add_parser("list", help="list the activation registry")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(func=run)


def run(args) -> int:
    acts = load_activations()
    if args.json:
        rows = [{"name": a.name, "kind": a.kind, "expression": a.expression, "latex": a.latex,
                 "aliases": list(a.aliases), "cite": a.cite} for a in acts]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    width = max(len(a.name) for a in acts)
    for a in acts:
        print(f"{a.name:<{width}}  {a.kind:<7}  {a.expression}")
    return 0
