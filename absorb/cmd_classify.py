"""`absorb classify NAME | --expr EXPR | --gate EXPR [--json]`: verdict, argument and SymPy certificate."""
import json

from symbolic.activations import get_activation
from symbolic.arguments.linear import WIDTH_NOTE
from symbolic.classify import classify, classify_text
from symbolic.errors import InputError

DEFAULT_TIME_LIMIT_S = 60.0  # a user expression may send SymPy into very long work (exp(exp(exp(exp(z)))))
_VERDICT_TEXT = {
    "impossible": "never absorbable (for any weights and any residual-free width)",
    "conditional": "absorbable exactly under an index condition",
    "always": "absorbable for every weight matrix under a width condition",
    "not_covered": "not covered: every implemented argument was refuted",
    "undecided": "undecided: SymPy could not settle a check",
}


def register(sub):
    parser = sub.add_parser("classify", help="classify an activation: can the MLP block absorb its skip?")
    parser.add_argument("name", nargs="?", help="registry name or alias (see `absorb list`)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--expr", metavar="EXPR", help="ungated activation sigma(z), e.g. 'z*sigmoid(z)'")
    group.add_argument("--gate", metavar="EXPR", help="gate gamma(z) of a GLU-style block, e.g. 'sigmoid(z)'")
    parser.add_argument("--json", action="store_true", help="exact machine-readable output")
    parser.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT_S, metavar="SECONDS",
                        help=f"stop SymPy after this many seconds; the verdict is then 'undecided' "
                             f"(default {DEFAULT_TIME_LIMIT_S:g}; 0 = no limit)")
    parser.set_defaults(func=run)


def run(args) -> int:
    given = [x for x in (args.name, args.expr, args.gate) if x is not None]
    if len(given) != 1:
        raise InputError("give exactly one of NAME, --expr EXPR or --gate EXPR")
    if not 0 <= args.time_limit <= 86400:  # also refuses nan
        raise InputError(f"--time-limit must be between 0 and 86400 seconds, got {args.time_limit:g}")
    budget = args.time_limit or None
    if args.name is not None:
        result = classify(get_activation(args.name), time_budget_s=budget)
    else:
        result = classify_text(args.expr if args.expr is not None else args.gate,
                               kind="ungated" if args.expr is not None else "gated", time_budget_s=budget)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False, sort_keys=True))
    else:
        print(render(result))
    return 0


def render(result) -> str:
    lines = [f"{result['name']} ({result['kind']}): {result['expression']}",
             f"verdict: {result['verdict']} - {_VERDICT_TEXT[result['verdict']]}"]
    if result["argument"]:
        extra = f", degree {result['degree']}" if result["degree"] else f", c = {result['c']}" if result["c"] else ""
        lines.append(f"argument: {result['argument']}{extra}")
    if result["verdict"] == "conditional":
        c = result["c"]
        scale = "I" if c == "1" else f"I/({c})"
        lines.append(f"condition: some index set S with W_down[:,S] W_up[S,:] = -{scale}")
    width_notes = [n for n in result["notes"] if n.startswith(WIDTH_NOTE)]
    for note in width_notes:
        lines.append(f"condition: {note.removeprefix(WIDTH_NOTE)}")
    for note in result["notes"][1 if result["argument"] else 0:]:
        if note in width_notes:
            continue
        lines.append(f"note: {note}")
    if result.get("refuted") and result["verdict"] in ("not_covered", "undecided"):
        lines.append("refuted: " + "; ".join(f"{r['argument']} ({r['reason']})" for r in result["refuted"]))
    if result["theorems"]:
        lines.append("theorems: " + ", ".join(result["theorems"]))
    lines.append(f"certificate: {len(result['certificate'])} step(s), all verified (SymPy or exact evaluation)"
                 if result["certificate"] else "certificate: none")
    return "\n".join(lines)
