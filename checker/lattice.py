"""Lattice evidence, re-checked exactly: every 0/1 vector s whose residual lies within the radius is a short vector of
an integer lattice, and an exact enumeration of all short vectors of a basis of that lattice (or of a lattice that
contains it) meets every such s. Python ints and Fractions only; shares no code with fplll or the producer.

Data (docs/CERTIFICATE.md, kind "lattice"): K = 2^k, head weight w, squared radius R^2, an integer basis B' and an
integer matrix V. The checker itself rounds c_i = [K vec(a_i b_i^T)] and t = [-K vec(V)] ([x] = floor(x + 1/2)) and
builds the embedding B: rows (2 w e_i, 0, c_i) and (w ... w, w, t). For s in {0,1}^n, v_s = b_0 - sum_i s_i b_i has
head w (1 - 2 s_i)_i, w and tail t - sum_S c_i = -K R_S + (e_0 - sum_S e_i) with the rounding errors e (|e| <= 1/2),
so ||v_s||^2 <= w^2 (n + 1) + (K ||R_S|| + E)^2 with E^2 = sum_j (|e_0j| + max(sum_i e_ij^+, sum_i e_ij^-))^2.

B' spans the same lattice as B when B' = U B with U integer and det U = +-1. The head block H of B (its first n + 1
columns) is invertible, so U = head(B') H^-1 is forced: u_n = h'_n / w and u_j = (h'_j - h'_n) / (2 w) for a row h'
of head(B') (`unimodular`); the checker reads U off B', requires it integral with det U = +-1 (Bareiss), and compares
U tail(B) with tail(B'). Enumerating that lattice exactly (Fincke-Pohst over the exact Gram-Schmidt data of B')
within R^2 >= w^2 (n + 1) + (K rho + E)^2 therefore meets every S with ||R_S|| <= rho.
"""
import math
from fractions import Fraction

MAX_NODES = 200_000  # enumeration nodes the checker will walk; a larger claim is rejected, never trusted
# exact Gram-Schmidt costs about rank^3 operations on numbers of rank * bits bits, and every node of the walk works on
# such numbers: a basis with entries above MAX_ENTRY_BITS bits or rank^3 * max(bits, 8) above MAX_COST (rank 128
# with 8-bit entries) is rejected before any arithmetic. A reduced basis has entries near sqrt(R^2) (tens here);
# rank 41 with 32-bit entries walks MAX_NODES nodes in about 20 s, rank 81 in about 45 s; 254-bit entries 157 s.
MAX_ENTRY_BITS = 32
MAX_COST = 1 << 24


class TooManyNodes(Exception):
    """The enumeration needs more than MAX_NODES nodes."""


def round_half_up(x: Fraction) -> int:
    return math.floor(x + Fraction(1, 2))


def scaled_data(cols_a, rows_b, den_ab: int, v_rows, den_v: int, k: int) -> tuple:
    """(columns c_i, target t, E^2) for K = 2^k: c_i = [K vec(a_i b_i^T)], t = [-K vec(V)], exactly."""
    scale = Fraction(2) ** k
    d = len(v_rows)
    pos, neg = [Fraction(0)] * (d * d), [Fraction(0)] * (d * d)
    columns = []
    for a, b in zip(cols_a, rows_b):
        col = []
        for j, (x, y) in enumerate((x, y) for x in a for y in b):
            exact = scale * Fraction(x * y, den_ab)
            q = round_half_up(exact)
            col.append(q)
            err = q - exact
            if err > 0:
                pos[j] += err
            else:
                neg[j] -= err
        columns.append(col)
    target, e2 = [], Fraction(0)
    for j, x in enumerate(x for row in v_rows for x in row):
        exact = -scale * Fraction(x, den_v)
        q = round_half_up(exact)
        target.append(q)
        e2 += (abs(q - exact) + max(pos[j], neg[j])) ** 2
    return columns, target, e2


def too_large(basis) -> str:
    """Why the exact check of this basis would take too long (entry size, rank^3 * bits), or "" when it fits."""
    bits = max((abs(x).bit_length() for row in basis for x in row), default=0)
    if bits > MAX_ENTRY_BITS:
        return f"the lattice basis has entries of {bits} bits (at most {MAX_ENTRY_BITS})"
    if len(basis) ** 3 * max(8, bits) > MAX_COST:
        return f"the lattice basis (rank {len(basis)}, {bits}-bit entries) is too large for an exact check"
    return ""


def embedding(columns, target, w: int) -> list:
    n = len(columns)
    rows = [[2 * w if j == i else 0 for j in range(n + 1)] + list(col) for i, col in enumerate(columns)]
    return rows + [[w] * (n + 1) + list(target)]


def unimodular(basis, w: int, n: int):
    """U with head(B') = U H (H the embedding's head block), or None when U is not an integer matrix."""
    u = []
    for row in basis:
        last = row[n]
        if last % w or any((h - last) % (2 * w) for h in row[:n]):
            return None
        u.append([(h - last) // (2 * w) for h in row[:n]] + [last // w])
    return u


def determinant(matrix) -> int:
    """det of a square integer matrix by fraction-free Bareiss elimination (every division is exact)."""
    m = [list(row) for row in matrix]
    size, sign, prev = len(m), 1, 1
    for i in range(size):
        pivot = next((r for r in range(i, size) if m[r][i]), None)
        if pivot is None:
            return 0
        if pivot != i:
            m[i], m[pivot] = m[pivot], m[i]
            sign = -sign
        for r in range(i + 1, size):
            for col in range(i + 1, size):
                m[r][col] = (m[r][col] * m[i][i] - m[r][i] * m[i][col]) // prev
        prev = m[i][i]
    return sign * m[-1][-1]


def covers(radius2: Fraction, w: int, n: int, k: int, rho: Fraction, e2: Fraction) -> bool:
    """R^2 >= w^2 (n + 1) + (K rho + E)^2 with E = sqrt(e2), decided exactly: with X = R^2 - w^2 (n + 1) - K^2 rho^2
    - E^2, the inequality is X >= 2 K rho E, i.e. X >= 0 and X^2 >= 4 K^2 rho^2 E^2."""
    k_rho = Fraction(2) ** k * rho
    x = radius2 - w * w * (n + 1) - k_rho * k_rho - e2
    return x >= 0 and x * x >= 4 * k_rho * k_rho * e2


def gram_schmidt(basis) -> tuple:
    """(mu, bstar2): mu[i][j] (j < i) and ||b_i*||^2 of the integer rows, exactly, from the Gram matrix."""
    m = len(basis)
    gram = [[sum(x * y for x, y in zip(basis[i], basis[j])) for j in range(i + 1)] for i in range(m)]
    mu = [[Fraction(0)] * m for _ in range(m)]
    bstar2 = [Fraction(0)] * m
    for i in range(m):
        for j in range(i):
            # mu_ij = (<b_i, b_j> - sum_{l<j} mu_il mu_jl ||b_l*||^2) / ||b_j*||^2
            acc = Fraction(gram[i][j]) - sum(mu[i][x] * mu[j][x] * bstar2[x] for x in range(j))
            mu[i][j] = acc / bstar2[j]
        bstar2[i] = Fraction(gram[i][i]) - sum(mu[i][x] * mu[i][x] * bstar2[x] for x in range(i))
        if bstar2[i] <= 0:
            raise ValueError(f"basis row {i} is linearly dependent on the rows before it")
    return mu, bstar2


def short_vectors(basis, radius2: Fraction, max_nodes: int = MAX_NODES, stats: dict = None):
    """Yield the coefficient vector x of every nonzero lattice vector sum_i x_i b_i with squared norm <= radius2,
    one of each pair +-x (the last nonzero coefficient positive). Exact Fincke-Pohst: at level i the vector's squared
    norm is at least sum_{l >= i} (x_l - c_l)^2 ||b_l*||^2 with c_l = -sum_{j > l} x_j mu_jl, so x_i ranges over the
    integers with (x_i - c_i)^2 ||b_i*||^2 <= radius2 - (the levels above): an interval around c_i. stats["nodes"]
    counts the nodes walked."""
    mu, bstar2 = gram_schmidt(basis)
    m = len(basis)
    # column i of mu over one denominator: the center is one integer sum and one Fraction, not m Fraction products
    dens = [math.lcm(*(mu[j][i].denominator for j in range(i + 1, m))) if i + 1 < m else 1 for i in range(m)]
    nums = [[mu[j][i].numerator * (dens[i] // mu[j][i].denominator) for i in range(m)] for j in range(m)]
    x = [0] * m
    nodes = 0

    def level(i, rest, all_zero):
        nonlocal nodes
        center = Fraction(-sum(x[j] * nums[j][i] for j in range(i + 1, m) if x[j]), dens[i])
        lo = math.floor(center)
        if (lo - center) ** 2 * bstar2[i] > rest:
            lo += 1
            if (lo - center) ** 2 * bstar2[i] > rest:
                return  # neither integer next to the center fits: the interval holds no integer
        # the ends from s = isqrt(floor(rest / ||b_i*||^2)) <= sqrt(rest / ||b_i*||^2) < s + 1, then at most a few
        # exact steps inward (a step-by-step walk outward takes forever when the radius is gigantic)
        s = math.isqrt(math.floor(rest / bstar2[i]))
        hi, lo = math.floor(center) + s + 2, math.ceil(center) - s - 2
        while (hi - center) ** 2 * bstar2[i] > rest:
            hi -= 1
        while (lo - center) ** 2 * bstar2[i] > rest:
            lo += 1
        if all_zero:
            lo = max(lo, 0)  # the sign of the last nonzero coefficient is fixed
        for value in range(lo, hi + 1):
            nodes += 1  # every value tried is a node, the leaves included: the walk is bounded by max_nodes
            if stats is not None:
                stats["nodes"] = nodes
            if nodes > max_nodes:
                raise TooManyNodes(f"the enumeration needs more than {max_nodes} nodes")
            x[i] = value
            left = rest - (value - center) ** 2 * bstar2[i]
            if i == 0:
                if not (all_zero and value == 0):
                    yield list(x)
            else:
                yield from level(i - 1, left, all_zero and value == 0)
        x[i] = 0

    yield from level(m - 1, Fraction(radius2), True)


def times(coeffs, basis) -> list:
    return [sum(c * row[j] for c, row in zip(coeffs, basis) if c) for j in range(len(basis[0]))]
