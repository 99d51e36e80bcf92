"""The question's radius r(S) (docs/CERTIFICATE.md, "Radii") and the exact quantities it needs.

kinds: `exact` r = 0; `relative` r = tau ||A/c||_F; `storage` r(S) = k(u) sum_S ||a_i|| ||b_i||; `default` the larger
of the two, with k(u) = (2u + u^2)/(1 - u)^2 (BLUEPRINT §8.2 point 2) and u the unit roundoff of the storage format.
Why a storage part: a block whose weights are the float32 rounding of an absorbable block has ||R_S|| up to rho(S), so
calling it "not absorbable" at tau = 1e-9 would be wrong (issue 17 point 3).

Square roots never enter an exact test: norms are bounded by rationals (math.isqrt) in the safe direction -- lower
bounds when proving `<=`, upper bounds when proving `>`.
"""
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from indexset.inputs import UNIT_ROUNDOFF

DEFAULT_TAU = Fraction(1, 10 ** 9)
SQRT_BITS = 64
EPS = Fraction(1, 2 ** 53)  # unit roundoff of float64 arithmetic (for the float bounds below)
TINY = Fraction(1, 2 ** 1074)  # the smallest subnormal: bound on what one underflowed square loses


def k_of_u(u: Fraction) -> Fraction:
    return (2 * u + u * u) / (1 - u) ** 2


@dataclass(frozen=True)
class Radius:
    kind: str  # exact | relative | storage | default
    tau: Fraction = None
    u: Fraction = None

    def to_json(self) -> dict:
        from indexset.evidence import rat
        return {"kind": self.kind, "tau": None if self.tau is None else rat(self.tau),
                "u": None if self.u is None else rat(self.u)}

    @property
    def has_relative(self) -> bool:
        return self.kind in ("relative", "default")

    @property
    def has_storage(self) -> bool:
        return self.kind in ("storage", "default")

    def describe(self) -> str:
        if self.kind == "exact":
            return "exact (R_S = 0)"
        rel = f"tau ||A/c||_F with tau = {float(self.tau):g}" if self.has_relative else None
        sto = (f"storage precision k(u) sum_S ||a_i|| ||b_i|| with u = 2^{round(math.log2(self.u))}"
               if self.has_storage else None)
        if self.kind == "default":
            return f"default: the larger of {rel} and {sto}"
        return rel if self.kind == "relative" else sto


def choose(tol=None, dtype=None, kind=None) -> Radius:
    """--tol given: relative with that tau; else the default radius when the storage dtype is known, else relative
    with tau = 1e-9. `kind` forces one ('exact', 'storage', ...)."""
    u = UNIT_ROUNDOFF.get(dtype) if dtype else None
    tau = DEFAULT_TAU if tol is None else Fraction(str(tol))
    if kind == "exact":
        return Radius("exact")
    if kind == "storage":
        return Radius("storage", None, u if u is not None else UNIT_ROUNDOFF["float64"])
    if kind == "relative" or tol is not None or u is None:
        return Radius("relative", tau, None)
    return Radius("default", tau, u)


def sqrt_bounds(x: Fraction, bits: int = SQRT_BITS):
    """(lo, hi) rationals with lo <= sqrt(x) <= hi, relative gap about 2^-bits."""
    x = Fraction(x)
    if x <= 0:
        return Fraction(0), Fraction(0)
    p, q = x.numerator, x.denominator
    k = max(0, bits - (p.bit_length() - q.bit_length()) // 2)
    root = math.isqrt(p * q * 4 ** k)
    den = q * 2 ** k
    lo = Fraction(root, den)
    hi = lo if root * root == p * q * 4 ** k else Fraction(root + 1, den)
    return lo, hi


def _pow2_scale(x: np.ndarray, axis: int):
    top = np.max(np.abs(x), axis=axis)
    e = np.where(top > 0, np.frexp(top)[1], 0).astype(np.int64)
    return e


def norm_squared_bounds(x: np.ndarray, axis: int):
    """Rigorous (lo, hi) Fraction bounds of ||x||^2 along `axis` for every slice, from float64 sums: each vector is
    scaled by an exact power of two so that no square overflows, the rounding of a sum of m squares is at most
    gamma_(m+1) relative, and each underflowed square loses at most 2^-1074 (scaled back exactly)."""
    x = np.asarray(x, dtype=np.float64)
    m = x.shape[axis]
    e = _pow2_scale(x, axis)
    scaled = np.ldexp(x, -np.expand_dims(e, axis))
    sums = np.sum(scaled * scaled, axis=axis)
    gamma = (m + 2) * EPS / (1 - (m + 2) * EPS)
    los, his = [], []
    for s, ei in zip(sums.tolist(), e.tolist()):
        f = Fraction(s)
        scale = Fraction(2) ** (2 * ei)
        lo = max(Fraction(0), f * (1 - gamma) - m * TINY) * scale
        hi = (f * (1 + gamma) + m * TINY) * scale
        los.append(lo)
        his.append(hi)
    return los, his


def term_norm_bounds(w_up, w_down):
    """Per neuron (lo, hi) with lo <= ||a_i|| ||b_i|| <= hi (stored, unprojected vectors)."""
    a_lo, a_hi = norm_squared_bounds(w_down, axis=0)
    b_lo, b_hi = norm_squared_bounds(w_up, axis=1)
    lo = [sqrt_bounds(x * y)[0] for x, y in zip(a_lo, b_lo)]
    hi = [sqrt_bounds(x * y)[1] for x, y in zip(a_hi, b_hi)]
    return lo, hi


def target_norm_squared(d: int, c: Fraction, skip: str) -> Fraction:
    """||A/c||_F^2: d/c^2 for the identity, (d - 1)/c^2 for P = I - 11^T/d."""
    return Fraction(d if skip == "identity" else d - 1) / (Fraction(c) ** 2)
