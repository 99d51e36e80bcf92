"""Lattice evidence for "no index set" at scale (issue 20): the fplll reduction of `indexset.lattice` hands its
reduced basis B' to the certificate, and the independent checker re-enumerates it exactly (checker/lattice.py gives
the argument; B' = U B with U read off the head of B', so no transform is stored). Where the Lemma 8.2 tree cannot
close (n well above d^2: the relaxation stays feasible until almost every index is fixed), a reduced basis makes the
complete enumeration a few hundred nodes.

The radius. The certificate must cover rho = max(every r(S) of the question, the claimed distance bound L). Starting
at L = the question's radius, L grows by factors of RADIUS_STEP while fplll's enumeration stays below NODE_BUDGET nodes
(the checker walks about as many, in Fractions): the bound the user reads is the largest L that was enumerated with no
S below it, or the exact minimum distance when a 0/1 vector within the radius turned up (every S nearer than the
radius is met, so the nearest one met is the nearest of all). Each radius gets its own K = 2^k and head weight w
(`_parameters`: K L ~ E / 4, E the rounding bound, and w ~ 2 beta / sqrt(n + 1)) and its own reduction; the embedding
is rebuilt from the exact stored values (user units; the projected skip uses P a_i exactly), and the rounding convention is the
checker's: [x] = floor(x + 1/2).
"""
import math
import threading
import time
from fractions import Fraction

from checker.lattice import too_large
from indexset import radius as rad
from indexset.evidence import Lattice
from indexset.lattice import BLOCK_SIZE, _Deadline, embed, head_weight

NODE_BUDGET = 50_000   # fplll enumeration nodes per certificate (the checker walks as many, about 10^4 per second)
RADIUS_STEP = 4        # the bound grows by this factor per attempt
MAX_ATTEMPTS = 24
K_SHARE = 4            # K r ~ E / K_SHARE (`_parameters`)
ATTEMPT_SECONDS = 0.5  # fplll walks NODE_BUDGET nodes in milliseconds: an attempt past this has blown up
MAX_VECTORS = 5_000    # short vectors fplll may return per attempt (a full list stops the schedule)
MAX_D = 6              # d^2 tail columns: beyond d = 6 the embedding is not tried (measured for d <= 4)
R2_BITS = 40           # R^2 is rounded up to a multiple of 2^-R2_BITS


def exact_terms(block, c: Fraction, skip: str) -> tuple:
    """(T, V): T_i = vec(a_i b_i^T) (a_i -> P a_i for the projected skip) and V = vec(A/c), as Fractions."""
    d, n = block.d, block.n
    a = [[Fraction(float(block.w_down[r, i])) for r in range(d)] for i in range(n)]
    if skip == "projected":
        a = [[x - sum(col) / d for x in col] for col in a]
    b = [[Fraction(float(block.w_up[i, s])) for s in range(d)] for i in range(n)]
    skip_m = [[Fraction(int(r == s)) - (Fraction(1, d) if skip == "projected" else 0) for s in range(d)]
              for r in range(d)]
    terms = [[x * y for x in a[i] for y in b[i]] for i in range(n)]
    return terms, [x / c for row in skip_m for x in row]


def scaled(terms, v, k: int) -> tuple:
    """(columns, target, E^2) at K = 2^k with [x] = floor(x + 1/2); E^2 = sum_j (|e_0j| + max(e_j^+, e_j^-))^2."""
    scale = Fraction(2) ** k
    p = len(v)
    pos, neg = [Fraction(0)] * p, [Fraction(0)] * p
    columns = []
    for t in terms:
        col = []
        for j, x in enumerate(t):
            q = math.floor(scale * x + Fraction(1, 2))
            err = q - scale * x
            (pos if err > 0 else neg)[j] += abs(err)
            col.append(q)
        columns.append(col)
    target = [math.floor(-scale * x + Fraction(1, 2)) for x in v]
    e2 = sum((abs(q + scale * x) + max(pos[j], neg[j])) ** 2 for j, (q, x) in enumerate(zip(target, v)))
    return columns, target, e2


def _reduce(columns, target, w: int, deadline):
    """The embedding reduced by fplll (LLL, then BKZ): integer rows, or None at the deadline."""
    from cysignals.alarm import AlarmInterrupt
    from fpylll import BKZ, LLL
    from fpylll.fplll.bkz_param import BKZParam
    n = len(columns)
    basis = embed(columns, target, w)
    try:
        with _Deadline(deadline):
            LLL.reduction(basis)
            BKZ.reduction(basis, BKZParam(block_size=min(BLOCK_SIZE, n + 1), flags=BKZ.AUTO_ABORT))
    except AlarmInterrupt:
        return None
    return basis


def _enumerate(basis, w: int, radius2: Fraction, deadline):
    """fplll's float enumeration within radius2: (heads of the 0/1 vectors met, nodes), or None when the deadline or
    the vector cap stopped it. Only a guide for the schedule: the checker's exact enumeration decides."""
    from cysignals.alarm import AlarmInterrupt
    from fpylll import GSO, Enumeration, EnumerationError
    n = basis.nrows - 1
    try:
        with _Deadline(deadline):
            gso = GSO.Mat(basis, float_type="dd" if n > 160 else "double")
            gso.update_gso()
            enum = Enumeration(gso, nr_solutions=MAX_VECTORS)
            try:
                sols = enum.enumerate(0, n + 1, float(radius2) * (1 + 1e-9), 0)
            except EnumerationError:
                sols = []
            nodes = enum.get_nodes()
    except AlarmInterrupt:
        return None
    if len(sols) >= MAX_VECTORS:
        return None
    heads = []
    for _, coeffs in sols:
        vec = basis.multiply_left([int(round(x)) for x in coeffs])
        if abs(vec[n]) == w and all(abs(h) == w for h in vec[:n]):
            heads.append(tuple(i for i in range(n) if vec[i] == -vec[n]))
    return heads, nodes


def _round_up(x: Fraction, bits: int = R2_BITS) -> Fraction:
    return Fraction(-((-x.numerator << bits) // x.denominator), 1 << bits)


def lattice_evidence(block, c, skip, radius, hi, distance2, seconds: float = 10.0, within=None):
    """(Lattice evidence, lower bound L) proving that no S has ||R_S|| <= r(S) and that every S has ||R_S|| >= L, or
    (None, subset) when a 0/1 vector within the question's radius turned up (an index set), or (None, None) when no
    attempt completed. distance2(subset): the caller's exact ||R_S||^2; within(subset): the caller's exact test of
    ||R_S|| <= r(S) (default: ||R_S|| <= the largest r(S), which may stop early where the storage radius of the
    whole layer exceeds that of S). hi: per-neuron upper bounds of ||a_i|| ||b_i|| (the storage radius); seconds:
    the whole schedule's budget."""
    if threading.current_thread() is not threading.main_thread():
        return None, None  # cysignals' deadline alarm needs the main thread
    from indexset.methods import METHODS
    if block.d > MAX_D or METHODS["lattice"].estimate(block.n, block.d)["seconds"] > seconds:
        return None, None  # a checkpoint-size layer: the embedding alone would not fit the budget (or memory)
    try:
        import fpylll  # noqa: F401
    except ImportError:
        return None, None
    deadline = time.perf_counter() + seconds
    c = Fraction(c)
    terms, v = exact_terms(block, c, skip)
    n = block.n
    rho_q = Fraction(0)
    if radius.has_relative:
        rho_q = radius.tau * rad.sqrt_bounds(rad.target_norm_squared(block.d, c, skip))[1]
    if radius.has_storage:
        rho_q = max(rho_q, rad.k_of_u(radius.u) * sum(hi, Fraction(0)))
    start = rho_q * (1 + Fraction(1, 2 ** 20)) if rho_q > 0 else \
        Fraction(1, 2 ** 30) * rad.sqrt_bounds(rad.target_norm_squared(block.d, c, skip))[1]
    e_est = math.sqrt(float(scaled(terms, v, 40)[2]))  # the rounding bound E hardly depends on K
    best, bound, lattices = None, None, {}
    for attempt in range(MAX_ATTEMPTS):
        r = start * RADIUS_STEP ** attempt
        k, w, columns, target, e_hi = _parameters(terms, v, n, r, e_est)
        beta = Fraction(2) ** k * r + e_hi
        radius2 = _round_up(w * w * (n + 1) + beta * beta)
        if (k, w) not in lattices:
            lattices = {(k, w): _reduce(columns, target, w, deadline)}  # keep only the current one
        basis = lattices[(k, w)]
        out = None if basis is None else \
            _enumerate(basis, w, radius2, min(deadline, time.perf_counter() + ATTEMPT_SECONDS))
        if out is None or out[1] > NODE_BUDGET:
            break
        heads, nodes = out
        met = sorted((distance2(list(s)), s) for s in set(heads))
        hit = next((s for d2, s in met if (within(list(s)) if within else d2 <= rho_q * rho_q)), None)
        if hit is not None:
            return None, hit  # an S within the question's radius: the caller grades it exactly
        reduced = tuple(tuple(basis[i, j] for j in range(basis.ncols)) for i in range(basis.nrows))
        if too_large(reduced):
            break  # the checker refuses such a basis before any exact work (checker/lattice.py, MAX_ENTRY_BITS)
        evidence = Lattice(k, w, radius2, reduced, nodes)
        if met and met[0][0] <= r * r:
            # the nearest S met is the nearest of all (every S within r was met): its distance is the bound
            return evidence, _round_down(rad.sqrt_bounds(met[0][0])[0])
        best, bound = evidence, r
    return best, bound


def _parameters(terms, v, n: int, r: Fraction, e_est: float) -> tuple:
    """(k, w, columns, target, E upper bound) for the radius r: K r ~ E / K_SHARE and w = head_weight(n, beta) of
    `indexset.lattice` (K r between E / 16 and E measured about equally good at (2, 48) and (4, 80))."""
    k = round(math.log2(max(e_est, 1.0) / K_SHARE / float(r)))
    columns, target, e2 = scaled(terms, v, k)
    e_hi = rad.sqrt_bounds(e2)[1]
    beta = Fraction(2) ** k * r + e_hi
    w = head_weight(n, float(beta))
    return k, w, columns, target, e_hi


def _round_down(x: Fraction, bits: int = 60) -> Fraction:
    return Fraction((x.numerator << bits) // x.denominator, 1 << bits)
