"""The typed answer of `decide` (contract C1), serialised by `result_json` to the documented JSON.

`certificate` is a short machine key for what backs the answer; `evidence` is the sentence a user reads:
- "existence"        an index set S, its residual computed exactly ("exactly zero on the data as given" or
                     "within tau of ||A/c||_F");
- "farkas-ls"/"farkas-box"  an exact Farkas certificate phi(Y) > 0 (theorem `farkas-certificate`);
- "enumeration"      all 2^n subsets (Gray code): the minimum distance, that subset's residual computed exactly;
- "meet-in-the-middle"  a complete search at tolerance tau (Horowitz-Sahni), not a certificate;
- "milp-infeasible"  HiGHS reports no S within tau (infeasible at tolerance tau), not a certificate.
- "lattice-search"  complete floating-point lattice enumeration within a radius covering tau, not a certificate.
Dict-style reads (`res["subset"]`, `res.get("r_ls")`) are kept for the experiments written against the old dict.
"""
import math
from dataclasses import dataclass, field, fields

FARKAS_THEOREM = "farkas-certificate"
DESIGN_FIELDS = ("d", "n", "c", "method", "index_set_exists", "subset", "distance", "distance_lower_bound", "evidence",
                 "certificate_verified", "elapsed_s")
OPTIONAL_FIELDS = ("r_ls", "r_box", "theorem")  # present when computed / when a certificate has a Rocq theorem


@dataclass
class CertifyResult:
    d: int
    n: int
    c: str
    method: str
    index_set_exists: object = None  # True | False | None (undecided)
    subset: object = None  # sorted list of indices | None
    distance: object = None  # float | None: ||A/c + sum_S a_i b_i^T||_F of the best S known
    distance_lower_bound: float = 0.0
    evidence: str = "undecided: no method settled the question"
    certificate: object = None  # short key, see the module docstring
    certificate_verified: object = None  # True: exactly verified; False: tried and failed; None: not a certificate
    elapsed_s: float = 0.0
    tol: float = 0.0
    exact_zero: object = None  # for a found S: residual exactly zero on the data as given (None: not checkable)
    r_ls: object = None
    r_box: object = None
    theorem: object = None
    gram_full_rank: object = None
    max_drift_rel: object = None
    steps: list = field(default_factory=list)  # methods tried, in order, with their outcome
    notes: list = field(default_factory=list)  # why a method was skipped or stopped (estimates, time limits)
    farkas_y: object = None  # the quantised integer Y (d x d float64) of a verified Farkas step, for the certificate

    def __getitem__(self, key):
        if key not in {f.name for f in fields(self)}:
            raise KeyError(key)
        return getattr(self, key)

    def __contains__(self, key) -> bool:
        return key in {f.name for f in fields(self)} and getattr(self, key) is not None

    def get(self, key, default=None):
        val = getattr(self, key, None)
        return default if val is None else val


def _finite(x):
    """JSON has no inf/NaN: such a value (which the solvers never produce for valid input) becomes null."""
    return x if x is None or not isinstance(x, float) or math.isfinite(x) else None


def result_json(res: CertifyResult) -> dict:
    """The documented JSON object (DESIGN.md) of a CertifyResult."""
    out = {k: _finite(getattr(res, k)) for k in DESIGN_FIELDS}
    for k in OPTIONAL_FIELDS:
        val = getattr(res, k, None)
        if val is not None:
            out[k] = _finite(val)
    return out
