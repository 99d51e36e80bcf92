"""One certify instance, prepared once before any floating-point work: V + sum_{i in S} a_i b_i^T = 0 with V = A/c.

Why this exists (issue 13, items 1, 2, 5):
- **Scale invariance.** For ReLU-type sigma, W_down diag(t) with diag(1/t) W_up (t > 0) is the same block, so the
  answer must not depend on how each rank-one term a_i b_i^T is split between its two factors. Every term is
  rebalanced by a power of two (exact in floating point) so that max|a_i| ~ max|b_i|; the whole problem is then
  divided by a power of two 2^g so that max|V| is about 1. Neither step changes a single product a_ri * b_is except
  by the exact factor 2^-g, so "exactly zero on the data as given" is unchanged, and Gram matrices no longer
  overflow at t = 1e155.
- **A criterion that cannot be gamed.** An index set counts as found when the residual, computed exactly (rational
  arithmetic on the floats as given) and rounded once, is at most tau * ||A/c||_F: the target's scale, never
  inflated by large terms that cancel each other.
- **c in range.** |c| must lie in [C_MIN, C_MAX] so that A/c is a finite, normal float64 matrix.
"""
import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from symbolic.errors import InputError

DEFAULT_TOL = 1e-9  # tau: found when ||R||_F <= tau * ||A/c||_F (R computed exactly, rounded once)
C_MIN, C_MAX = Fraction(1, 10 ** 300), Fraction(10 ** 300)


def check_c(c) -> Fraction:
    """c as an exact Fraction, nonzero and with 1e-300 <= |c| <= 1e300 (so A/c is a finite normal float64 matrix)."""
    c = Fraction(c)
    if c == 0:
        raise InputError("--c must be nonzero (the index condition is sum_S a_i b_i^T = -A/c)")
    if not C_MIN <= abs(c) <= C_MAX:
        raise InputError(f"--c must satisfy 1e-300 <= |c| <= 1e300 (A/c must be a finite float64 matrix), "
                         f"got |c| ~ 1e{math.floor(math.log10(abs(c.numerator)) - math.log10(c.denominator))}")
    return c


def check_tol(tol) -> float:
    tol = DEFAULT_TOL if tol is None else float(tol)
    if not (math.isfinite(tol) and 0.0 <= tol < 1.0):
        raise InputError(f"--tol must be a number in [0, 1) (relative to ||A/c||_F), got {tol!r}")
    return tol


def safe_norm(x) -> float:
    """Frobenius norm without overflow or underflow of the squares (entries up to the float64 maximum)."""
    x = np.asarray(x, dtype=np.float64)
    top = float(np.max(np.abs(x))) if x.size else 0.0
    if top == 0.0 or not math.isfinite(top):
        return top
    e = math.frexp(top)[1]
    y = np.ldexp(x, -e)
    return math.ldexp(float(np.sqrt(np.sum(y * y))), e)


def _exponent(x) -> np.ndarray:
    """frexp exponent of max|x| along axis 0 of a (k, n) array; 0 where the column is zero."""
    top = np.max(np.abs(x), axis=0)
    return np.frexp(top)[1].astype(np.int64)


@dataclass
class Instance:
    """The prepared problem. w_up (n, d) and w_down (d, n) float64 are rebalanced and divided by 2^g jointly:
    a_i b_i^T (here) = a_i b_i^T (given) / 2^g exactly; v (d, d) float64 = A/(c 2^g) rounded once;
    distances here times 2^g are distances in the user's units (`to_user`)."""
    w_up: np.ndarray
    w_down: np.ndarray
    v: np.ndarray
    skip: object  # None (identity) or the (d, d) float64 matrix A as given
    c: Fraction
    g: int
    tol: float
    d: int
    n: int
    v_norm: float  # ||V||_F in the scaled units (about 1..d)
    notes: list = field(default_factory=list)

    def to_user(self, dist):
        return None if dist is None else math.ldexp(float(dist), self.g)

    @property
    def zero_radius(self) -> float:
        """tau * ||A/c||_F in the scaled units: the radius within which an index set counts as found."""
        return self.tol * self.v_norm

    def terms(self) -> np.ndarray:
        """(n, d^2) float64: row i is vec(a_i b_i^T) (row-major)."""
        return np.einsum("ri,is->irs", self.w_down, self.w_up).reshape(self.n, self.d * self.d)

    def v_exact(self, r: int, s: int) -> Fraction:
        """Entry (r, s) of A/(c 2^g), exactly."""
        a = (Fraction(1) if r == s else Fraction(0)) if self.skip is None else Fraction(float(self.skip[r, s]))
        return a / self.c / (Fraction(2) ** self.g)


def prepare(w_up, w_down, c=Fraction(1), skip=None, tol=None) -> Instance:
    """Validate, rebalance each rank-one term by powers of two and scale the problem so that max|A/c| ~ 1."""
    c = check_c(c)
    tol = check_tol(tol)
    w_up = np.array(w_up, dtype=np.float64)
    w_down = np.array(w_down, dtype=np.float64)
    if w_up.ndim != 2 or w_down.ndim != 2 or w_down.shape != (w_up.shape[1], w_up.shape[0]):
        raise InputError(f"shape mismatch: W_up must be (n, d) and W_down (d, n), got {w_up.shape} and "
                         f"{w_down.shape}")
    d, n = w_down.shape
    if n == 0 or d == 0:
        raise InputError(f"empty weights: d = {d}, n = {n}")
    if not (np.all(np.isfinite(w_up)) and np.all(np.isfinite(w_down))):
        raise InputError("weights contain non-finite values (NaN/inf)")
    if skip is not None:
        skip = np.array(skip, dtype=np.float64)
        if skip.shape != (d, d) or not np.all(np.isfinite(skip)):
            raise InputError(f"the skip matrix A must be a finite ({d}, {d}) matrix")
        if not np.any(skip):
            raise InputError("the skip matrix A must be nonzero")
    # V = A/c in exact terms, scaled by 2^-g so that max|V| ~ 1 (g from the exact value, no overflow)
    a_max = Fraction(1) if skip is None else Fraction(float(np.max(np.abs(skip))))
    top = a_max / abs(c)
    g = math.floor(math.log2(top.numerator) - math.log2(top.denominator))
    scale = Fraction(2) ** g
    if skip is None:
        v = np.eye(d) * float(Fraction(1) / c / scale)
    else:
        v = np.array([[float(Fraction(float(x)) / c / scale) for x in row] for row in skip])
    # rebalance: column i of W_down times 2^ka, row i of W_up times 2^kb, ka + kb = -g, max|a_i| ~ max|b_i|
    zero = (np.max(np.abs(w_down), axis=0) == 0.0) | (np.max(np.abs(w_up), axis=1) == 0.0)
    ea, eb = _exponent(w_down), _exponent(w_up.T)
    ka = (eb - ea - g) // 2
    kb = -g - ka
    def scaled(ka, kb):
        new_down, new_up = np.ldexp(w_down, ka[None, :]), np.ldexp(w_up, kb[:, None])
        new_down[:, zero] = 0.0
        new_up[zero, :] = 0.0
        ok = (np.all(np.ldexp(new_down, -ka[None, :]) == w_down, axis=0)
              & np.all(np.ldexp(new_up, -kb[:, None]) == w_up, axis=1)) | zero  # per neuron: exactly invertible
        return new_down, new_up, ok
    new_down, new_up, ok = scaled(ka, kb)
    # a term whose balanced split underflows (a subnormal factor far below the other): try putting all of -g on
    # one side, then the other (exact whenever that side stays normal); the solvers only see worse balance
    for ka_alt in (-g * np.ones_like(ka), np.zeros_like(ka)):
        if ok.all():
            break
        d2, u2, ok2 = scaled(ka_alt, -g - ka_alt)
        fix = ~ok & ok2
        new_down[:, fix], new_up[fix, :] = d2[:, fix], u2[fix, :]
        ok = ok | fix
    exact = bool(ok.all())
    if not exact:
        raise InputError("the weights span too many orders of magnitude relative to A/c to be scaled exactly "
                         "(some term a_i b_i^T is below 2^-1000 of ||A/c||)")
    return Instance(w_up=np.ascontiguousarray(new_up), w_down=np.ascontiguousarray(new_down), v=v, skip=skip, c=c,
                    g=g, tol=tol, d=d, n=n, v_norm=safe_norm(v))
