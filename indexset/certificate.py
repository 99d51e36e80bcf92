"""Relaxation bounds and the exact non-existence certificate (BLUEPRINT §8).

r_LS  = min over real s of ||V + sum s_i a_i b_i^T||_F,
r_box = the same over s in [0, 1]^n (bounded least squares on the factor of G),
phi(Y) = <Y, V> + sum_i min(0, a_i^T Y b_i); phi(Y) > 0 proves that no S (no s in [0,1]^n) reaches V + ... = 0,
and phi(Y) / ||Y||_F is a lower bound on the distance. phi is evaluated exactly (see exact.py) on the float64 data.
"""
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import scipy.linalg as sla

from indexset import exact
from indexset.gram import hadamard_gram, linear_term, residual_matrix

Y_BITS = 20
RCOND_FULL_RANK = 1e-13


@dataclass
class Factor:
    """G = M^T M factored: Cholesky (c_low, lower triangle) if positive definite, else eigh (f = sqrt(L) Q^T)."""
    kind: str  # "cholesky" | "eigh"
    rcond: float
    rank: int
    s_ls: np.ndarray
    g: np.ndarray
    q: np.ndarray
    vv: float
    c_low: np.ndarray = None
    f: np.ndarray = None
    y: np.ndarray = None

    def ls_form(self):
        """(F, y, const) with ||M s + vec V||^2 = ||F s - y||^2 + const (the bounded least-squares form)."""
        if self.kind == "cholesky":
            low = np.tril(self.c_low)
            y = -sla.solve_triangular(low, self.q, lower=True, check_finite=False)
            return low.T.copy(), y, self.vv - float(y @ y)
        return self.f, self.y, self.vv - float(self.y @ self.y)


def factor_gram(w_up, w_down, v) -> Factor:
    g = hadamard_gram(w_up, w_down)
    q = linear_term(w_up, w_down, v)
    vv = float(np.sum(v * v))
    n = g.shape[0]
    try:
        c, _ = sla.cho_factor(g, lower=True, check_finite=False)
        anorm = float(np.max(np.sum(np.abs(g), axis=0)))
        rcond, info = sla.lapack.dpocon(c, anorm, uplo="L")
        if info == 0 and rcond > RCOND_FULL_RANK:
            s = sla.cho_solve((c, True), -q, check_finite=False)
            return Factor("cholesky", float(rcond), n, s, g, q, vv, c_low=c)
    except np.linalg.LinAlgError:
        pass
    lam, qm = sla.eigh(g, check_finite=False)  # scipy: numpy's eigh costs 40 ms at n = 32 on a busy machine
    keep = lam > max(lam.max(), 0.0) * n * np.finfo(float).eps
    lam_k, q_k = lam[keep], qm[:, keep]
    proj = q_k.T @ q
    y = -proj / np.sqrt(lam_k)
    f = np.sqrt(lam_k)[:, None] * q_k.T
    s = -q_k @ (proj / lam_k)
    rcond = float(lam_k.min() / lam.max()) if keep.all() and lam.max() > 0 else 0.0
    return Factor("eigh", rcond, int(keep.sum()), s, g, q, vv, f=f, y=y)


def least_squares(w_up, w_down, v, fac: Factor = None) -> dict:
    fac = fac or factor_gram(w_up, w_down, v)
    r = residual_matrix(w_up, w_down, v, fac.s_ls)
    return {"s": fac.s_ls, "residual": r, "r": float(np.linalg.norm(r)), "full_rank": fac.kind == "cholesky",
            "rank": fac.rank, "rcond": fac.rcond}


def _lmax(g, iters=30) -> float:
    x = np.ones(g.shape[0]) / math.sqrt(g.shape[0])
    lam = 0.0
    for _ in range(iters):
        y = g @ x
        lam = float(np.linalg.norm(y))
        if lam == 0.0:
            return 0.0
        x = y / lam
    return lam


def _kkt_gap(s, grad) -> float:
    return float(np.max(np.abs(s - np.clip(s - grad, 0.0, 1.0)))) if s.size else 0.0


def _active_set_polish(g, q, s, tol):
    """One Newton step on the free variables with the bound ones fixed; None if it leaves the box."""
    grad = g @ s + q
    at0 = (s <= 0.0) & (grad >= 0.0)
    at1 = (s >= 1.0) & (grad <= 0.0)
    free = ~(at0 | at1)
    x = np.where(at1, 1.0, 0.0)
    if free.any():
        gff = g[np.ix_(free, free)]
        rhs = -(q[free] + g[np.ix_(free, at1)] @ np.ones(int(at1.sum())))
        try:
            x[free] = sla.cho_solve(sla.cho_factor(gff, lower=True, check_finite=False), rhs, check_finite=False)
        except np.linalg.LinAlgError:
            return None
    if np.any(x < -tol) or np.any(x > 1.0 + tol):
        return None
    return np.clip(x, 0.0, 1.0)


def box_qp(g, q, s0, max_iter=20000, tol=1e-12):
    """min s^T G s + 2 q^T s over [0, 1]^n: accelerated projected gradient (FISTA with restarts) plus active-set
    Newton polishing. Any s is a valid certificate candidate; optimality only sharpens the bound."""
    lip = _lmax(g) * 1.1
    if lip == 0.0:
        return np.clip(-np.sign(q), 0.0, 1.0), 0
    s = np.clip(s0, 0.0, 1.0)
    y, t = s.copy(), 1.0
    scale = 1.0 + float(np.max(np.abs(q)))
    it = 0
    for it in range(1, max_iter + 1):
        grad = g @ y + q
        s_new = np.clip(y - grad / lip, 0.0, 1.0)
        if np.dot(y - s_new, s_new - s) > 0.0:  # momentum points uphill: restart
            t = 1.0
        t_new = 0.5 * (1.0 + math.sqrt(1.0 + 4.0 * t * t))
        y = s_new + ((t - 1.0) / t_new) * (s_new - s)
        s, t = s_new, t_new
        if it % 20 == 0:
            pol = _active_set_polish(g, q, s, 1e-12)
            if pol is not None and _kkt_gap(pol, (g @ pol + q) / lip) <= tol * scale / lip:
                return pol, it
            if _kkt_gap(s, (g @ s + q) / lip) <= tol * scale / lip:
                return s, it
    return s, it


def box(w_up, w_down, v, fac: Factor = None) -> dict:
    fac = fac or factor_gram(w_up, w_down, v)
    s, iters = box_qp(fac.g, fac.q, fac.s_ls)
    r = residual_matrix(w_up, w_down, v, s)
    grad = fac.g @ s + fac.q
    return {"s": s, "residual": r, "r": float(np.linalg.norm(r)), "iterations": iters,
            "kkt_gap": _kkt_gap(s, grad)}


def _quantize(y):
    y = np.asarray(y, dtype=np.float64)
    top = float(np.max(np.abs(y))) if y.size else 0.0
    if top == 0.0 or not math.isfinite(top):
        return None
    k = Y_BITS - math.frexp(top)[1]
    return np.rint(np.ldexp(y, k))


def _skip_inner(y_int, skip) -> Fraction:
    if skip is None:
        return Fraction(int(np.trace(y_int)))
    total = Fraction(0)
    for (r, s), a in np.ndenumerate(np.asarray(skip, dtype=np.float64)):
        if a != 0.0 and y_int[r, s] != 0.0:
            total += Fraction(a) * int(y_int[r, s])
    return total


def ridge_values_exact(w_up, w_down, y_int):
    """y_i = a_i^T Y b_i for all i, exactly: (list of Python ints, E) with y_i = ints[i] * 2^E (any finite data)."""
    return exact.ridge_ints(w_up, w_down, y_int)


def verify_certificate(w_up, w_down, y, skip=None, c=Fraction(1)) -> dict:
    """Exact check of phi(Y) > 0 for Y rounded to Y_BITS bits (the rounded Y is the certificate).

    Returns {verified, phi (float of the exact value, for Y scaled to max |Y| ~ 1), lower_bound, exact: bool}.
    """
    c = Fraction(c)
    y_int = _quantize(y)
    if y_int is None:
        return {"verified": False, "phi": 0.0, "lower_bound": 0.0, "exact": True, "reason": "Y = 0"}
    ints, e = ridge_values_exact(np.asarray(w_up, dtype=np.float64), np.asarray(w_down, dtype=np.float64), y_int)
    neg = sum(v for v in ints if v < 0)
    phi = _skip_inner(y_int, skip) / c + Fraction(neg) * (Fraction(2) ** e)
    norm2 = int(np.sum(y_int.astype(object) ** 2))
    scale = 2.0 ** -Y_BITS
    lower = 0.0
    if phi > 0:
        lower = float(float(phi) / math.sqrt(norm2) * (1.0 - 4 * float(np.finfo(float).eps)))
    return {"verified": bool(phi > 0), "phi": float(phi) * scale, "lower_bound": lower, "exact": True,
            "phi_exact": phi, "y_int": y_int}


def phi_fraction(w_up, w_down, y_int, skip=None, c=Fraction(1)) -> Fraction:
    """Reference: phi(Y) entirely in fractions.Fraction (O(n d^2) Python operations; small instances only)."""
    d, n = w_down.shape
    fd = [[Fraction(float(w_down[r, i])) for i in range(n)] for r in range(d)]
    fu = [[Fraction(float(w_up[i, s])) for s in range(d)] for i in range(n)]
    fy = [[Fraction(float(y_int[r, s])) for s in range(d)] for r in range(d)]
    inner = Fraction(0)
    for r in range(d):
        for s in range(d):
            a = (Fraction(1) if r == s else Fraction(0)) if skip is None else Fraction(float(skip[r, s]))
            inner += fy[r][s] * a
    total = inner / Fraction(c)
    for i in range(n):
        yi = sum(fd[r][i] * fy[r][s] * fu[i][s] for r in range(d) for s in range(d))
        total += min(Fraction(0), yi)
    return total


def residual_is_exactly_zero(w_up, w_down, subset, skip=None, c=Fraction(1)) -> bool:
    """Exact test of V + sum_{i in S} a_i b_i^T == 0 on the float64 values (any finite data)."""
    c = Fraction(c)
    d = w_down.shape[0]
    if not subset:
        return False
    ints, e = _exact_product_ints(w_up[subset, :], w_down[:, subset])
    two_e = Fraction(2) ** e
    skip_m = np.eye(d) if skip is None else np.asarray(skip, dtype=np.float64)
    for r in range(d):
        for s in range(d):
            if Fraction(ints[r][s]) * two_e + Fraction(float(skip_m[r, s])) / c != 0:
                return False
    return True


def _exact_product_ints(w_up_s, w_down_s):
    """W_down[:, S] @ W_up[S, :] (arguments W_up[S, :], W_down[:, S]) exactly, as ((d, d) nested list of Python
    ints, E): value = ints * 2^E."""
    d = w_down_s.shape[0]
    flat, e = exact.matmul_ints(w_down_s, w_up_s)
    return [flat[r * d:(r + 1) * d] for r in range(d)], e


def _float(x: Fraction) -> float:
    """The correctly rounded float of an exact rational; +-inf beyond the float64 range (never OverflowError)."""
    try:
        return float(x)
    except OverflowError:
        return math.copysign(math.inf, x)


def exact_residual(inst, subset):
    """R = V + sum_{i in S} a_i b_i^T of a prepared Instance, exactly: returns (R (d, d) float64 with every entry
    the correctly rounded exact value, exact_zero: bool). Exact for any
    finite data; an entry beyond the float64 range is +-inf in R (exact_zero is still exact).

    Exact on the data as given: the Instance's arrays differ from the user's only by exact powers of two."""
    d = inst.d
    subset = list(subset)
    if not subset:
        r = inst.v.copy()
        return r, False
    ints, e = _exact_product_ints(inst.w_up[subset, :], inst.w_down[:, subset])
    out = np.empty((d, d))
    zero = True
    two_e = Fraction(2) ** e
    skip_nz = (np.eye(d, dtype=bool) if inst.skip is None else np.asarray(inst.skip) != 0.0)
    for r in range(d):
        row = ints[r]
        for s in range(d):
            if skip_nz[r, s]:
                val = Fraction(row[s]) * two_e + inst.v_exact(r, s)
                out[r, s] = _float(val)
                zero = zero and val == 0
            else:
                out[r, s] = _float(Fraction(row[s]) * two_e) if row[s] else 0.0
                zero = zero and row[s] == 0
    return out, zero
