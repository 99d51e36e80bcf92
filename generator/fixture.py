"""A minimal build/ directory (hand-made data following docs/ARCHITECTURE.md) for the appendix tests and benchmark."""
from symbolic.io import write_json_atomic, write_text_atomic

THEOREMS = [
    {"id": "reduction", "kind": "theorem", "title": "Linear skips reduce to the identity", "tag": "P", "claim": 1,
     "statement": r"If $A$ is invertible then $Ax+f(x)=g(x)$ iff $x+A^{-1}f(x)=A^{-1}g(x)$.",
     "proof": r"Multiply by $A^{-1}$.", "hypotheses": ["$A$ invertible"], "uses": [], "depth": 0,
     "evidence": {"sympy": "reduction", "rocq": "SkipAbsorption.Reduction.reduction", "lean": "reduction",
                  "mc": []},
     "status": {"human": "P", "sympy": "checked", "rocq": "checked", "lean": "stated", "mc": "n/a"},
     "rocq_statement": "forall (A : 'M[R]_n), A \\in unitmx -> True", "rocq_axioms": [],
     "lean_statement": "theorem reduction (hA : IsUnit A) : ∀ x, A *ᵥ x + mlp σ Wd Wu x = 0 ↔ x ∈ S := by sorry"},
    {"id": "degree", "kind": "theorem", "title": "Degree obstruction", "tag": "P", "claim": 2,
     "statement": r"If $\sigma(tz)=t^k\sigma(z)$ with $k\neq1$, absorption forces $A=0$ (see \cref{reduction}).",
     "proof": r"Compare $t=1$ and $t=2$.", "hypotheses": ["k != 1 & 50% #hostile_{x}"], "uses": ["reduction"],
     "depth": 1, "evidence": {"sympy": "degree", "rocq": "", "lean": "degree_obstruction", "mc": "obstructions"},
     "status": {"human": "P", "sympy": "failed", "rocq": "n/a", "lean": "stated", "mc": "checked"},
     "rocq_statement": "", "rocq_axioms": None,
     "lean_statement": "theorem degree_obstruction {k : ℝ} (hk : k ≠ 1) : A = 0 := by sorry"},
    {"id": "deep-relu-gelu", "kind": "conjecture", "title": "Deep ReLU/GELU stacks", "tag": "C", "claim": 7,
     "statement": r"For generic weights the depth-$L$ stacks are disjoint.", "proof": "", "hypotheses": [],
     "uses": ["degree", "reduction"], "depth": 2, "evidence": {"mc": ["width"]},
     "status": {"human": "C", "sympy": "n/a", "rocq": "n/a", "lean": "n/a", "mc": "not checked"},
     "rocq_statement": "", "rocq_axioms": None, "lean_statement": ""},
]

ACTIVATIONS = [
    {"name": "relu", "kind": "ungated", "expression": "Max(z, 0)", "latex": r"\max(z, 0)", "verdict": "conditional",
     "argument": "sign_flip", "degree": "1", "c": "1", "theorems": ["reduction", "unknown-id"],
     "certificate": [{"claim": r"\sigma(z)-\sigma(-z) = z", "lhs": "Max(z,0)-Max(-z,0)", "rhs": "z",
                      "relation": "=", "method": "piecewise", "verified": True}],
     "condition": r"$\exists S:\ W_{\downarrow}D_SW_{\uparrow}=-I$", "notes": ["ReLU & friends_100%"],
     "cite": "Nair & Hinton"},
    {"name": "relu_sq", "kind": "ungated", "expression": "Max(z, 0)**2", "latex": r"\max(z,0)^2",
     "verdict": "impossible", "argument": "degree", "degree": "2", "c": None, "theorems": ["degree"],
     "certificate": [], "condition": None, "notes": [], "cite": ""},
]

DERIVATIONS = {
    "reduction": {"title": "Reduction", "function": "derive_reduction", "verified": True,
                  "steps": [{"claim": r"A^{-1}(Ax) = x", "lhs": "A**-1*A*x", "rhs": "x", "relation": "=",
                             "method": "simplify", "verified": True}]},
    "degree": {"title": "Degree", "function": "derive_degree", "verified": False,
               "steps": [{"claim": r"Euler ratio: $2^k \neq 2$", "lhs": "2**k", "rhs": "2", "relation": "!=",
                          "method": "solve", "verified": False}]},
}

OBSTRUCTIONS_CSV = "activation,t,witness\nrelu_sq,0.5,0.25\nrelu_sq,1,1\nrelu_sq,2,4\nswiglu,0.5,0.1\nswiglu,1,nan\n"
PLANTED_CSV = "activation,d,n,max_rel_error\nrelu,3,8,1.2e-15\nrelu,4,10,3.4e-16\n"


def make_fixture(build, with_mc=True):
    write_json_atomic(build / "symbolic" / "theorems.json", THEOREMS)
    write_json_atomic(build / "symbolic" / "activations.json", ACTIVATIONS)
    write_json_atomic(build / "symbolic" / "derivations.json", DERIVATIONS)
    write_json_atomic(build / "proofs" / "axioms.json",
                      {"reduction": {"rocq": "SkipAbsorption.Reduction.reduction", "statement": "forall n, True",
                                     "axioms": []}})
    write_json_atomic(build / "proofs" / "status.json", {"coqc": "8.16.1", "ok": True})
    if with_mc:
        write_json_atomic(build / "mc" / "obstructions.json",
                          {"experiment": "obstructions", "seed": 7, "samples": 100,
                           "command": "absorb mc obstructions --seed 7",
                           "checks": {"degree": {"passed": True, "detail": "witness grows like t^2 (k=2)"}}})
        write_text_atomic(build / "mc" / "obstructions.csv", OBSTRUCTIONS_CSV)
        write_json_atomic(build / "mc" / "planted.json",
                          {"experiment": "planted", "seed": 3, "samples": 2,
                           "command": "absorb mc planted --seed 3", "checks": {}})
        write_text_atomic(build / "mc" / "planted.csv", PLANTED_CSV)
    return build
