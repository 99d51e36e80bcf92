"""The one typed result of every solver (meet-in-the-middle, HiGHS, ...): `decide` chooses among outcomes instead of
translating ad-hoc dicts, and a new solver only has to return one of these."""
from dataclasses import dataclass

DECISIVE = ("found", "none", "infeasible")


@dataclass(frozen=True)
class Outcome:
    """status: found | none (complete search, nothing within tau) | infeasible (HiGHS) | time_limit | stopped
    (another solver answered first) | inconclusive | error. For `found`: the subset, its residual (scaled units,
    computed exactly and rounded once) and whether it is exactly zero."""
    status: str
    subset: tuple = None
    residual: float = None
    exact_zero: object = None
    elapsed: float = 0.0
    message: str = ""
    candidates: int = 0

    @property
    def decisive(self) -> bool:
        return self.status in DECISIVE
