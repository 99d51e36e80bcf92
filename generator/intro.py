"""The one-page introduction: the question, the paper's seven claims with the verdict this artifact reaches, the
corrections with their one-line reasons, and what backs the results (machine-checked, certified, human proof only).

Verdicts and corrections come from build/symbolic/coverage.json (contract C3). Without it, a claim's verdict is
"not checked": a verdict cannot be honestly derived from the statuses alone. The counts of what is machine-checked
come from theorems.json (the computed statuses) and the Monte Carlo files.
"""
from generator.latex import latex_escape, prose
from generator.plots import _float

# Short names of the paper's claims, used only when coverage.json gives no title.
CLAIM_TITLES = {1: "invertible linear skip reduces to the identity skip", 2: "degree $k\\neq1$: impossible",
                3: "gate with $g(0)=0$: impossible", 4: "depth $L$", 5: "generic ReLU/GELU: index condition",
                6: "the index condition fails with probability 1", 7: "deep ReLU/GELU is open"}


def claims(coverage_ctx):
    """Seven rows (1..7): title, verdict, correction; verdicts "not checked" when coverage.json is unavailable."""
    rows = {}
    if coverage_ctx.get("available"):
        for c in coverage_ctx["claims"]:
            if 1 <= c["claim"] <= 7:
                rows[c["claim"]] = {"claim": c["claim"], "title": c["title"] or CLAIM_TITLES[c["claim"]],
                                    "verdict": c["verdict"], "verdict_key": c["verdict_key"],
                                    "correction": c["correction"]}
    for k in range(1, 8):
        rows.setdefault(k, {"claim": k, "title": CLAIM_TITLES[k], "verdict": "not checked", "verdict_key": "",
                            "correction": ""})
    return [rows[k] for k in sorted(rows)]


def evidence_counts(theorems, cov_rows=None):
    """How many results (definitions excluded) each kind of evidence backs, from the computed statuses. A result is
    fully machine-checked in Rocq only when coverage.json's `rocq_closure` says so (its uses are proved too)."""
    cov_rows = cov_rows or {}
    results = [t for t in theorems if t["kind"] != "definition"]

    def closure(t):
        return (cov_rows.get(t["id"]) or {}).get("rocq_closure", t["status"].get("rocq"))

    def machine(t):
        s = t["status"]
        return s.get("rocq") in ("checked", "partial") or s.get("sympy") == "checked" or s.get("mc") == "checked"
    st = [t["status"] for t in results]
    return {"results": len(results), "definitions": len(theorems) - len(results),
            "rocq_full": sum(closure(t) == "checked" for t in results),
            "rocq_partial": sum(t["status"].get("rocq") in ("checked", "partial") and closure(t) != "checked"
                                for t in results),
            "sympy": sum(s.get("sympy") == "checked" for s in st),
            "mc": sum(s.get("mc") == "checked" for s in st),
            "lean": sum(s.get("lean") == "stated" for s in st),
            "failed": sum("failed" in s.values() for s in st),
            "human_only": [(t["id"], latex_escape(t["id"])) for t in results
                           if not machine(t) and t["kind"] != "conjecture"],
            "conjectures": [(t["id"], latex_escape(t["id"])) for t in results if t["kind"] == "conjecture"]}


def certified(inputs):
    """Draws of the measure-zero run (paper scale when present) decided with an exactly verified certificate."""
    run = inputs.get("mc_paper") or inputs["mc"].get("measure-zero")
    if not run or not run.get("csv"):
        return None
    header, rows = run["csv"]
    if "certified" not in header or "draws" not in header:
        return None
    cert = sum(int(_float(r["certified"]) or 0) for r in rows)
    draws = sum(int(_float(r["draws"]) or 0) for r in rows)
    sat = sum(int(_float(r.get("satisfying")) or 0) for r in rows) if "satisfying" in header else None
    meta = run.get("meta") or {}
    return {"certified": cert, "draws": draws, "satisfying": sat,
            "scale": "paper-scale" if run is inputs.get("mc_paper") else "default-size",
            "cp_total": _float(meta.get("cp_upper_95_total")),
            "uncertified": draws - cert,
            "undecided": int(_float(meta.get("undecided_total"))) if _float(meta.get("undecided_total")) is not None
            else None,
            "command": latex_escape(" ".join(map(str, meta["command"])) if isinstance(meta.get("command"), list)
                                    else meta.get("command", "not recorded"))}


def verdict_counts(rows):
    """[(verdict, how many claims)] in a fixed order, for the verdicts that occur (none when not checked)."""
    order = ("agreed", "corrected", "strengthened", "open")
    keys = [r["verdict_key"] for r in rows]
    return [(v, keys.count(v)) for v in order if v in keys]


def context(inputs, theorems, coverage_ctx, cov_rows=None):
    rows = claims(coverage_ctx)
    return {"claims": rows, "verdict_counts": verdict_counts(rows), "coverage_available": coverage_ctx.get("available", False),
            "coverage_reason": coverage_ctx.get("reason", ""), "counts": evidence_counts(theorems, cov_rows),
            "certified": certified(inputs), "prose": prose}
