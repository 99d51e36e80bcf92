"""The one typed result of every solver (meet-in-the-middle, HiGHS, ...): `decide` chooses among outcomes instead of
translating ad-hoc dicts, and a new solver only has to return one of these."""
from dataclasses import dataclass, field

DECISIVE = ("found", "none", "infeasible")


@dataclass(frozen=True)
class Outcome:
    """status: found | none (complete search, nothing within tau) | infeasible (HiGHS) | time_limit | stopped
    (another solver answered first) | inconclusive | error. For `found`: the subset, its residual (scaled units,
    computed exactly and rounded once) and whether it is exactly zero. `covered`: what a search covered (the lattice
    engine's k, radius, rounding bound, block size, vectors seen), empty where a solver has nothing to add."""
    status: str
    subset: tuple = None
    residual: float = None
    exact_zero: object = None
    elapsed: float = 0.0
    message: str = ""
    candidates: int = 0
    covered: dict = field(default_factory=dict)

    @property
    def decisive(self) -> bool:
        return self.status in DECISIVE
