"""The one typed result of every solver step (least squares, box QP, enumeration, meet-in-the-middle, HiGHS, the
lattice engine): `decide` chooses among outcomes instead of translating ad-hoc dicts, and a new solver only has to
return one of these."""
from dataclasses import dataclass, field

DECISIVE = ("found", "none", "infeasible")


@dataclass(frozen=True)
class Outcome:
    """status: found | none (no S within tau: a complete search, an enumeration, or a verified Farkas certificate)
    | infeasible (HiGHS) | time_limit | stopped (another solver answered first) | inconclusive | error.

    subset, residual, exact_zero: for `found` the subset, its residual (scaled units, computed exactly and rounded
    once) and whether it is exactly zero; for an enumeration's `none` the best S and its residual (the minimum
    distance). lower_bound: a distance lower bound (scaled units) that a `none` proves beyond tau (None: tau).
    relaxation: the relaxation value r_LS or r_box (scaled units) of a relaxation step. farkas_y: the quantised
    integer Y of a verified Farkas certificate (its `none` is then a certificate). covered: what a step covered or
    measured (the lattice engine's k, radius, rounding bound, block size, vectors seen; the enumeration's drift; the
    Gram matrix's rank), empty where a solver has nothing to add."""
    status: str
    subset: tuple = None
    residual: float = None
    exact_zero: object = None
    elapsed: float = 0.0
    message: str = ""
    candidates: int = 0
    covered: dict = field(default_factory=dict)
    lower_bound: float = None
    relaxation: float = None
    farkas_y: object = field(default=None, compare=False, repr=False)

    @property
    def decisive(self) -> bool:
        return self.status in DECISIVE
