"""Symbolic derivations of the arguments themselves (BLUEPRINT §10, S1-S7): one small module per derivation, each a
function returning {"title", "function", "verified", "steps"} whose steps are SymPy-checked equations/inequalities.
`python -m symbolic.derivations` writes build/symbolic/derivations.json = {theorem_id: derivation}.

Adding a derivation: write a module with a function returning `_common.derivation(...)`, then add its theorem id
(BLUEPRINT "Stable ids") and dotted function path to DERIVATIONS below."""
import importlib

# theorem id (BLUEPRINT stable ids) -> "module:function" under symbolic.derivations
DERIVATIONS = {
    "reduction": "reduction:reduction",
    "degree": "degree:degree",
    "flat": "flat:flat",
    "analytic-parity": "analytic_parity:analytic_parity",
    "sign-flip": "sign_flip:sign_flip",
    "rank-bound": "rank_bound:rank_bound",
    "gated-sign-flip": "gated_sign_flip:gated_sign_flip",
    "class-identifiable": "class_identifiable:class_identifiable",
    "odd-linear-characterization": "odd_linear:odd_linear_characterization",
    "sinkhorn-invertible": "sinkhorn:sinkhorn_invertible",
    "gram-hadamard": "gram_hadamard:gram_hadamard",
    "linear": "linear:linear",
    "sign-flip-bias": "bias_norm:sign_flip_bias",
    "prenorm-impossible": "bias_norm:prenorm_invariances",
    "postnorm-projected": "bias_norm:postnorm_projection",
    "gelu-class-identifiable": "gelu_even:gelu_class_identifiable",
    "class-bias": "gelu_even:class_bias",
    "partial-farkas": "radius:partial_farkas",
    "storage-precision": "radius:storage_precision",
}


def get_function(theorem_id: str):
    module, fn = DERIVATIONS[theorem_id].split(":")
    return getattr(importlib.import_module(f"symbolic.derivations.{module}"), fn)


def run_derivation(theorem_id: str) -> dict:
    result = get_function(theorem_id)()
    module, fn = DERIVATIONS[theorem_id].split(":")
    assert result["function"] == f"symbolic.derivations.{module}.{fn}", result["function"]
    return result


def run_all(ids=None) -> dict:
    return {tid: run_derivation(tid) for tid in (ids or DERIVATIONS)}
