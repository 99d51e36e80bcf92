"""Lattice engine for the index condition (BLUEPRINT §8.2, "Lattice methods"): LLL + BKZ, then a complete
enumeration of every lattice vector within a radius that provably contains every index set within the question's
radius. A multi-dimensional 0/1 subset sum with p = d^2 rows (the "market split" problem of Cornuejols and Dawande),
solved the way Aardal-Hurkens-Lenstra and Wassermann's solvediophant solve it.

The core (`search`) works on arbitrary integer data: columns c_1..c_n in Z^p, a target t in Z^p and a tail budget
beta >= 0. It finds every s in {0,1}^n with ||t - sum_i s_i c_i|| <= beta (and possibly more). With a head weight
w >= 1 (an integer), the basis rows

    b_i = (2 w e_i, 0, c_i)          i = 1..n
    b_0 = (w ... w, w, t)

span a lattice L of rank n + 1 in Z^(n+1+p). For s in {0,1}^n the vector v_s = b_0 - sum_i s_i b_i has head
w (1 - 2 s_i)_i, w (every entry +-w, so ||head||^2 = w^2 (n + 1)) and tail t - sum_i s_i c_i. Hence

    ||tail_s|| <= beta   implies   ||v_s||^2 <= R^2 := w^2 (n + 1) + beta^2,

and the enumeration of all nonzero vectors of L of squared norm <= R^2 (fplll enumerates one of +-v) meets every such
s. A vector is read back as a candidate when every head entry is +-w; s_i = (1 - v_i / v_n) / 2. The weight only
changes which *other* vectors lie within R: an integer coefficient outside {0, 1} makes a head entry 3w or more,
costing at least 8 w^2 of R^2, so w ~ 2 beta / sqrt(n + 1) (`head_weight`) keeps them out where w = 1 lets up to
beta^2 / 8 of them in (measured: Kaiming-scaled draws at (d, n) = (4, 96), over 30 s at w = 1, 3 s at w = 5; the node
count falls with w up to about 2 beta / sqrt(n + 1) and then rises slowly, at (2, 48) and (4, 80); a projected-skip
block at (2, 40) with beta / sqrt(n + 1) = 1.9 ran past 20 s at w = 1 and took 0.08-0.14 s at w = 2..8).

**The index condition** (scaled units of `indexset.instance.Instance`: T_i = vec(a_i b_i^T), V = A/(c 2^g), the
question's radius r = tau ||V||_F). With K = 2^k, c_i = [K T_i] and t = [-K V] ([.] rounds to the nearest integer,
exactly, on the dyadic values as stored), write e_i = [K T_i] - K T_i and e_0 = [-K V] + K V (|entries| <= 1/2). For an
S with ||R_S||_F = ||V + sum_S T_i||_F <= r,

    tail_S = -K R_S + (e_0 - sum_S e_i),    ||tail_S|| <= K r + E,
    E := ( sum_j ( |e_0j| + max( sum_i max(e_ij, 0), sum_i max(-e_ij, 0) ) )^2 )^(1/2)  >=  max_S ||e_0 - sum_S e_i||,

so beta = K r + E covers the question (every S within r lies within R, whatever w). E <= d (n + 1) / 2 is the bound of
BLUEPRINT §8.2; the per-coordinate bound above is about four times smaller on random data and is computed from the
exact rounding errors. When every K T_ij and K V_rs is an integer for a K that is not too large ("exact scaling":
integer data, low-precision weights), E = 0 and the radius is the question's own: R^2 = w^2 (n + 1) + (K r)^2.

**Choice of K.** The lattice vectors within R are the 0/1 points near the target plus every short integer relation
sum x_i T_i ~ 0 (|x| small); by volume their number behaves like R^(n+1) / det L with det L ~ K^p: it grows like
K^(n+1-p) once K r dominates beta and shrinks like K^(-p) while E (about d (n + 1) / 8 on random data, independent of
K) dominates. So K = 2^k is taken with K r ~ E / 16 (`choose_k`, K_OFFSET): measured best among k in balanced +
{-14, ..., -2} at (d, n) = (2, 48) and (4, 80) (0.07 s and 0.6 s; at K r ~ E, four powers of two larger, 3 s at
d = 2, and K = 2^37 does not finish in 20 s). Exact scaling is used when its k is not larger. `solve(k=...)` overrides.

**What an answer means.** A candidate S is verified exactly (`indexset.certificate.exact_residual`): "found" is a
fact. The reduction and the enumeration run on floating-point Gram-Schmidt data (fplll), so "none" is a *search*:
no S with ||R_S||_F <= r exists among the vectors fplll enumerated within R (reported with k, R, beta, E and the BKZ
block size) -- not a certificate. "time_limit": the deadline stopped it; "inconclusive": the candidate cap (or a first
use outside the main thread) left it incomplete. Answers are `indexset.outcome.Outcome`s (the one solver result type),
with `covered` saying what the enumeration covered (k, radius2, beta, rounding E, exact scaling, block size, vectors).

Deadlines and Ctrl-C: fplll runs under cysignals' sig_on, so SIGINT raises KeyboardInterrupt at once; the deadline is a
cysignals alarm (SIGALRM -> AlarmInterrupt) when called from the main thread. Called from another thread (a Dask
worker's executor), only BKZ's own max_time and the phase boundaries honour the deadline: the enumeration itself runs
to its end. cysignals installs its handlers when first imported, which only the main thread may do: importing this
module from the main thread does it (a first use from another thread answers "inconclusive", saying so).
"""
import math
import threading
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from indexset.outcome import Outcome

if threading.current_thread() is threading.main_thread():
    import cysignals  # noqa: F401 -- its signal handlers can only be installed from the main thread

BLOCK_SIZE = 20
MAX_SOLUTIONS = 20_000  # vectors kept by one enumeration; a full list means the enumeration was not complete
RADIUS_SLACK = 1e-9  # relative widening of R^2 against fplll's floating-point norms
K_OFFSET = -4  # K r ~ E / 16: measured best of k in balanced + {-14..-2} at (2, 48) and (4, 80) (docstring)


@dataclass(frozen=True)
class Scaled:
    """The integer data of one K = 2^k: columns (n lists of p ints), target (p ints), rounding bound E, exact."""
    k: int
    columns: list
    target: list
    rounding: float
    exact: bool


def _round_scaled(num: int, den: int, k: int):
    """[num / den * 2^k] (nearest, ties up) and the error [x] - x as a Fraction; den a power of two."""
    if k >= 0:
        num <<= k
    else:
        den <<= -k
    q = (2 * num + den) // (2 * den)
    return q, Fraction(q * den - num, den)


def scale(inst, k: int) -> Scaled:
    """c_i = [2^k vec(a_i b_i^T)], t = [-2^k vec(V)], exactly on the stored dyadic values, with the bound E."""
    d, n = inst.d, inst.n
    p = d * d
    ratios_a = [[float(x).as_integer_ratio() for x in row] for row in inst.w_down]  # (d, n)
    ratios_b = [[float(x).as_integer_ratio() for x in row] for row in inst.w_up]  # (n, d)
    pos = [Fraction(0)] * p
    neg = [Fraction(0)] * p
    exact = True
    columns = []
    for i in range(n):
        col = []
        for r in range(d):
            na, da = ratios_a[r][i]
            for s in range(d):
                nb, db = ratios_b[i][s]
                q, err = _round_scaled(na * nb, da * db, k)
                col.append(q)
                j = r * d + s
                if err > 0:
                    pos[j] += err
                elif err < 0:
                    neg[j] -= err
                    exact = False
                if err:
                    exact = False
        columns.append(col)
    target, e0 = [], []
    for r in range(d):
        for s in range(d):
            v = -inst.v_exact(r, s)
            q, err = _round_scaled(v.numerator, v.denominator, k)
            target.append(q)
            e0.append(abs(err))
            exact = exact and err == 0
    total = sum((e0[j] + max(pos[j], neg[j])) ** 2 for j in range(p))
    rounding = 0.0 if total == 0 else math.sqrt(float(total)) * (1 + 1e-12) + 1e-300
    return Scaled(k, columns, target, rounding, exact)


def exact_k(inst, max_bits: int = 200):
    """The least k with every 2^k a_ri b_is and 2^k V_rs an integer (E = 0), or None if above max_bits."""
    need = -10 ** 9
    for row_a in inst.w_down:
        for i, x in enumerate(row_a):
            if x == 0.0:
                continue
            for y in inst.w_up[i]:
                if y == 0.0:
                    continue
                den = Fraction(float(x)) * Fraction(float(y))
                need = max(need, den.denominator.bit_length() - 1)
    for r in range(inst.d):
        for s in range(inst.d):
            den = inst.v_exact(r, s).denominator
            if den & (den - 1):  # not a power of two (c not dyadic): no K = 2^k makes K V integral
                return None
            need = max(need, den.bit_length() - 1)
    return need if need <= max_bits else None


def choose_k(inst) -> tuple:
    """(k, exact): exact scaling when it needs no more bits than the balanced K, else K r ~ d (n + 1) / 8."""
    r = inst.zero_radius
    top = max(float(np.max(np.abs(inst.w_down)) * np.max(np.abs(inst.w_up))), float(np.max(np.abs(inst.v))))
    if r > 0:
        k_bal = round(math.log2(inst.d * (inst.n + 1) / 8.0 / r)) + K_OFFSET
    else:
        k_bal = round(math.log2(2.0 ** 40 / top))
    ke = exact_k(inst)
    if ke is not None and ke <= k_bal:
        return ke, True
    return k_bal, False


class _Deadline:
    """A cysignals alarm for the deadline while fplll runs (main thread only; a no-op elsewhere)."""

    def __init__(self, deadline):
        self.deadline = deadline
        self.armed = False

    def __enter__(self):
        if self.deadline is not None and threading.current_thread() is threading.main_thread():
            from cysignals.alarm import alarm
            from cysignals.signals import init_cysignals
            # re-install cysignals' handlers: code that saved and restored SIGALRM from Python in between (the
            # classifier's time budget does) leaves SIG_DFL behind, and the alarm would then kill the process
            init_cysignals()
            left = self.deadline - time.perf_counter()
            alarm(max(left, 0.001))
            self.armed = True
        return self

    def __exit__(self, *exc):
        if self.armed:
            from cysignals.alarm import cancel_alarm
            cancel_alarm()
        return False


def embed(columns, target, weight: int = 1):
    """The (n + 1) x (n + 1 + p) integer basis: rows (2 w e_i, 0, c_i) and (w ... w, w, t), w the head weight."""
    from fpylll import IntegerMatrix
    n, p = len(columns), len(target)
    rows = []
    for i, col in enumerate(columns):
        head = [0] * (n + 1)
        head[i] = 2 * weight
        rows.append(head + list(col))
    rows.append([weight] * (n + 1) + list(target))
    return IntegerMatrix.from_matrix(rows)


def head_weight(n: int, beta: float) -> int:
    """w ~ 2 beta / sqrt(n + 1), at least 2: the head's share of R^2 is about four times the tail budget's, so an
    integer coefficient outside {0, 1} (head entry 3w instead of w) costs 8 w^2 ~ 32 beta^2 / (n + 1) of R^2 instead
    of 8 (module docstring: measured; w = 1 costs up to 10^3 times the enumeration nodes). beta = 0 (exact integer
    data, no tail budget): w = 1, R^2 = n + 1 -- the ball then holds only vectors with a zero tail."""
    if beta == 0:
        return 1
    return max(2, math.ceil(2 * beta / math.sqrt(n + 1)))


def search(columns, target, beta: float, block_size: int = BLOCK_SIZE, deadline=None,
           max_solutions: int = MAX_SOLUTIONS, weight: int = None) -> dict:
    """All s in {0,1}^n whose lattice vector lies within R^2 = w^2 (n + 1) + beta^2 (module docstring; w = head_weight):
    {"status": "complete"|"time_limit"|"inconclusive", "candidates": [tuple of indices, ...] (nearest first),
    "vectors": count, "radius2", "block_size", "message", "phase_s"}. Floating-point enumeration: "complete" is a search."""
    import sys
    n = len(columns)
    weight = head_weight(n, beta) if weight is None else int(weight)
    radius2 = (weight * weight * (n + 1) + beta * beta) * (1 + RADIUS_SLACK)
    if "cysignals" not in sys.modules and threading.current_thread() is not threading.main_thread():
        return {"status": "inconclusive", "candidates": [], "vectors": 0, "radius2": radius2, "block_size": block_size,
                "phase_s": {}, "message": "fpylll/cysignals were first needed outside the main thread, where they "
                                          "cannot install their signal handlers (import indexset.lattice first)"}
    from cysignals.alarm import AlarmInterrupt
    from fpylll import BKZ, GSO, LLL, Enumeration, EnumerationError
    from fpylll.fplll.bkz_param import BKZParam
    out = {"candidates": [], "vectors": 0, "radius2": radius2, "block_size": block_size, "phase_s": {},
           "weight": weight}
    basis = embed(columns, target, weight)
    t = time.perf_counter()
    try:
        with _Deadline(deadline):
            LLL.reduction(basis)
            out["phase_s"]["lll"] = time.perf_counter() - t
            dim = basis.nrows
            if block_size and block_size > 2:
                t = time.perf_counter()
                kw = {"block_size": min(block_size, dim), "flags": BKZ.AUTO_ABORT}
                if deadline is not None:
                    kw["flags"] |= BKZ.MAX_TIME
                    kw["max_time"] = max(deadline - time.perf_counter(), 0.01)
                BKZ.reduction(basis, BKZParam(**kw))
                out["phase_s"]["bkz"] = time.perf_counter() - t
            if deadline is not None and time.perf_counter() > deadline:
                raise AlarmInterrupt()
            t = time.perf_counter()
            gso = GSO.Mat(basis, float_type="dd" if dim > 160 else "double")
            gso.update_gso()
            enum = Enumeration(gso, nr_solutions=max_solutions)
            try:
                sols = enum.enumerate(0, dim, radius2, 0)
            except EnumerationError:
                sols = []
            out["phase_s"]["enum"] = time.perf_counter() - t
    except AlarmInterrupt:
        out.update(status="time_limit", message="stopped at the deadline")
        return out
    out["vectors"] = len(sols)
    if len(sols) >= max_solutions:
        out.update(status="inconclusive",
                   message=f"the enumeration kept {max_solutions} vectors (its cap): not complete")
        return out
    cands = []
    for dist, coeffs in sols:
        vec = basis.multiply_left([int(round(c)) for c in coeffs])
        head, last = vec[:n], vec[n]
        if abs(last) != weight or any(abs(h) != weight for h in head):
            continue
        cands.append((dist, tuple(i for i in range(n) if head[i] == -last)))
    cands.sort()
    out.update(status="complete", candidates=[c for _, c in cands], message="")
    return out


def solve(inst, deadline=None, k=None, block_size: int = BLOCK_SIZE, verify=None,
          max_solutions: int = MAX_SOLUTIONS) -> Outcome:
    """The lattice method on a prepared Instance. deadline: a time.perf_counter() value. verify(subset) ->
    (residual, exact_zero, within) defaults to the exact residual at tau; k overrides the choice of K = 2^k."""
    from indexset import certificate as cert
    from indexset.instance import safe_norm
    t0 = time.perf_counter()
    if verify is None:
        def verify(subset):
            res, exact_zero = cert.exact_residual(inst, subset)
            dist = safe_norm(res)
            return dist, exact_zero, bool(exact_zero) or dist <= inst.zero_radius
    if k is None:
        k, _ = choose_k(inst)
    sc = scale(inst, k)
    r = inst.zero_radius
    beta = math.ldexp(r, k) * (1 + 1e-12) + sc.rounding
    out = search(sc.columns, sc.target, beta, block_size, deadline, max_solutions)
    covered = {"k": k, "exact_scaling": sc.exact, "rounding_E": sc.rounding, "beta": beta,
               "radius2": out["radius2"], "head_weight": out.get("weight"), "block_size": block_size,
               "vectors": out["vectors"], "candidates": len(out["candidates"]),
               "phase_s": {a: round(b, 4) for a, b in out["phase_s"].items()}}
    for subset in out["candidates"]:
        dist, exact_zero, within = verify(list(subset))
        if within:
            return Outcome("found", tuple(subset), dist, exact_zero, time.perf_counter() - t0,
                           f"lattice candidate verified exactly (K = 2^{k})", covered=covered)
    if out["status"] != "complete":
        return Outcome(out["status"], elapsed=time.perf_counter() - t0, message=out["message"], covered=covered)
    return Outcome("none", elapsed=time.perf_counter() - t0,
                   message=(f"complete floating-point enumeration (fplll, BKZ-{block_size}) of the lattice within "
                         f"R^2 = {out['radius2']:.6g} at K = 2^{k}, head weight {out.get('weight')} (tail budget "
                         f"K r + E = {beta:.4g}, rounding "
                         f"E = {sc.rounding:.4g}{', exact scaling' if sc.exact else ''}): no S with ||R_S||_F <= "
                         f"tau ||A/c||_F among {out['vectors']} vectors (a search, not a certificate)"),
                   covered=covered)


def market_split(m: int, seed: int, planted: bool = False):
    """A market-split instance (Cornuejols and Dawande 1999): a_ij uniform integers in [0, 99] (numpy
    default_rng(seed)), n = 10 (m - 1), d_i = floor(sum_j a_ij / 2); planted=True sets d = A x for a random 0/1 x
    instead (a known solution, for tests). Returns (a (m, n) int64 array, d (m,) int64 array)."""
    rng = np.random.default_rng(seed)
    n = 10 * (m - 1)
    a = rng.integers(0, 100, size=(m, n), dtype=np.int64)
    if planted:
        x = rng.integers(0, 2, size=n, dtype=np.int64)
        return a, a @ x
    return a, a.sum(axis=1) // 2


def tail_weight(n: int) -> int:
    """N for exact integer data: any nonzero tail N (A x - d) has norm >= N > sqrt(n + 1) = R, outside the ball."""
    return 1 << (math.isqrt(n + 1) + 1).bit_length()


def solve_integer(a, target, deadline=None, block_size: int = BLOCK_SIZE,
                  max_solutions: int = MAX_SOLUTIONS) -> Outcome:
    """The same core on integer columns: s in {0,1}^n with a s = target exactly (a (p, n), target (p,) integers;
    the market-split problem). Tail weight N = tail_weight(n), budget beta = 0, so R^2 = n + 1; every candidate is
    checked in Python integers."""
    t0 = time.perf_counter()
    a = [[int(x) for x in row] for row in a]
    target = [int(x) for x in target]
    p, n = len(a), len(a[0])
    w = tail_weight(n)
    columns = [[w * a[j][i] for j in range(p)] for i in range(n)]
    out = search(columns, [w * x for x in target], 0.0, block_size, deadline, max_solutions)
    covered = {"tail_weight": w, "radius2": out["radius2"], "block_size": block_size, "vectors": out["vectors"],
               "candidates": len(out["candidates"]), "phase_s": {x: round(y, 4) for x, y in out["phase_s"].items()}}
    for subset in out["candidates"]:
        if all(sum(a[j][i] for i in subset) == target[j] for j in range(p)):
            return Outcome("found", tuple(subset), 0.0, True, time.perf_counter() - t0,
                           "checked in integer arithmetic", covered=covered)
    if out["status"] != "complete":
        return Outcome(out["status"], elapsed=time.perf_counter() - t0, message=out["message"], covered=covered)
    return Outcome("none", elapsed=time.perf_counter() - t0,
                   message=f"complete floating-point enumeration within R^2 = n + 1 = {n + 1} (a search)",
                   covered=covered)
