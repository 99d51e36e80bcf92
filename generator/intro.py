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


def evidence_counts(theorems):
    """How many results (definitions excluded) each kind of evidence backs, from the computed statuses."""
    results = [t for t in theorems if t["kind"] != "definition"]
    st = [t["status"] for t in results]
    machine = [s for s in st if "checked" in (s.get("rocq"), s.get("sympy"), s.get("mc"))]
    return {"results": len(results), "definitions": len(theorems) - len(results),
            "rocq": sum(s.get("rocq") == "checked" for s in st),
            "sympy": sum(s.get("sympy") == "checked" for s in st),
            "mc": sum(s.get("mc") == "checked" for s in st),
            "lean": sum(s.get("lean") in ("stated", "checked") for s in st),
            "failed": sum("failed" in s.values() for s in st),
            "human_only": len(results) - len(machine),
            "conjectures": sum(t["tag"] == "C" for t in results),
            "human_only_ids": [latex_escape(t["id"]) for t in results
                               if "checked" not in (t["status"].get("rocq"), t["status"].get("sympy"),
                                                    t["status"].get("mc"))]}


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
            "scale": "paper-scale" if run is inputs.get("mc_paper") else "quick",
            "cp_total": _float(meta.get("cp_upper_95_total")),
            "command": latex_escape(" ".join(map(str, meta["command"])) if isinstance(meta.get("command"), list)
                                    else meta.get("command", "not recorded"))}


def context(inputs, theorems, coverage_ctx):
    return {"claims": claims(coverage_ctx), "coverage_available": coverage_ctx.get("available", False),
            "coverage_reason": coverage_ctx.get("reason", ""), "counts": evidence_counts(theorems),
            "certified": certified(inputs), "prose": prose}
