"""Exact arithmetic on float64 data: every float64 is a dyadic rational m * 2^e, so sums of products of float64 values
are exact integers times one power of two. Matrices are split into signed base-2^L digit arrays ("limbs") small
enough that every partial product and every BLAS sum of them is an integer below 2^53, hence computed exactly in
float64; digits are recombined with int64 carries and only the final few numbers become Python ints.
"""
import math

import numpy as np

MAX_LIMBS = 48


class TooLarge(ArithmeticError):
    """The exponent spread of the data needs more than MAX_LIMBS digits; the exact check is not attempted."""


def limb_bits(inner: int) -> int:
    """Digit size L such that a sum of `inner` products of two L-bit digits stays below 2^53."""
    return (52 - max(1, math.ceil(math.log2(max(inner, 2))))) // 2


def to_limbs(x, bits: int):
    """x (float64 array) -> (digits [K, *shape] float64, E) with x = 2^E * sum_k digits[k] 2^(k*bits), |digit| < 2^bits."""
    x = np.asarray(x, dtype=np.float64)
    m, e = np.frexp(x)
    mi = np.abs(np.ldexp(m, 53)).astype(np.int64)
    nz = mi != 0
    if not nz.any():
        return np.zeros((1,) + x.shape), 0
    low = mi[nz] & -mi[nz]
    tz = int(np.min(np.frexp(low.astype(np.float64))[1])) - 1  # common trailing zero bits
    mi = mi >> tz
    ex = e.astype(np.int64) - 53 + tz
    big_e = int(ex[nz].min())
    sh = np.where(nz, ex - big_e, 0)
    bitlen = np.where(nz, np.frexp(mi.astype(np.float64))[1], 0) + sh
    k_limbs = max(1, -(-int(bitlen.max()) // bits))
    if k_limbs > MAX_LIMBS:
        raise TooLarge(f"exponent spread needs {k_limbs} digits of {bits} bits")
    sign = np.sign(x)
    digits = np.empty((k_limbs,) + x.shape)
    for k in range(k_limbs):
        lo = k * bits - sh
        right = (mi >> np.clip(lo, 0, 63)) & ((1 << bits) - 1)
        w = np.clip(bits + lo, 0, 62)
        left = (mi & ((np.int64(1) << w) - 1)) << np.clip(-lo, 0, 62)
        digits[k] = sign * np.where(lo >= 0, right, left)
    return digits, big_e


def normalize(acc: np.ndarray, bits: int) -> np.ndarray:
    """int64 digit sums [S, *shape] (base 2^bits, unnormalised) -> signed digits with |digit| < 2^bits, same value."""
    acc = [a.copy() for a in acc]
    base = np.int64(1) << bits
    k = 0
    while True:
        if k == len(acc) - 1:
            top = acc[k]
            if not np.any(np.abs(top) >= base):
                break
            carry = np.sign(top) * (np.abs(top) >> bits)
            acc[k] = top - carry * base
            acc.append(carry)
        else:
            carry = acc[k] >> bits  # floor: remainder in [0, base)
            acc[k] = acc[k] - carry * base
            acc[k + 1] = acc[k + 1] + carry
        k += 1
    return np.stack(acc).astype(np.float64)


def combine(digits_a, digits_b, product, bits: int):
    """sum over digit pairs of product(a_k, b_l) * 2^((k+l) bits), exact; returns int64 digit sums [S, ...]."""
    out = None
    for k in range(digits_a.shape[0]):
        for ell in range(digits_b.shape[0]):
            p = product(digits_a[k], digits_b[ell])
            p = np.rint(p).astype(np.int64)
            if out is None:
                out = [np.zeros_like(p) for _ in range(digits_a.shape[0] + digits_b.shape[0] - 1)]
            out[k + ell] += p
    return np.stack(out)


def digits_to_ints(digits: np.ndarray, bits: int) -> list:
    """[K, m] float digits -> list of m Python ints."""
    d = np.rint(digits).astype(np.int64)
    vals = [0] * d.shape[1]
    for k in range(d.shape[0] - 1, -1, -1):
        row = d[k].tolist()
        vals = [(v << bits) + r for v, r in zip(vals, row)]
    return vals


def exact_matmul_digits(x, y):
    """x @ y exactly: returns (signed digits [K, p, m] base 2^bits, E, bits) with value 2^E sum_k digits[k] 2^(k bits)."""
    bits = limb_bits(x.shape[1])
    dx, ex = to_limbs(x, bits)
    dy, ey = to_limbs(y, bits)
    acc = combine(dx, dy, lambda a, b: a @ b, bits)
    return normalize(acc, bits), ex + ey, bits
