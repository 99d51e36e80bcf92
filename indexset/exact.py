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
    """x (float64 array) -> (digits [K, *shape] float64, E) with x = 2^E * sum_k digits[k] 2^(k*bits), |digit| < 2^bits.

    E is the lowest set bit over all entries, so y = x / 2^E is an exact integer-valued float64; digits are peeled from
    the top by rounding (balanced digits, |digit| <= 2^(bits-1)), and every subtraction is exact (the remainder fits
    in the 53-bit window of y).
    """
    x = np.asarray(x, dtype=np.float64)
    m, e = np.frexp(x)
    nz = m != 0
    if not nz.any():
        return np.zeros((1,) + x.shape), 0
    mi = np.abs(np.ldexp(m[nz], 53)).astype(np.int64)
    tz = np.frexp((mi & -mi).astype(np.float64))[1] - 1
    big_e = int(np.min(e[nz] - 53 + tz))
    top = int(np.max(e[nz])) - big_e  # |x| / 2^E < 2^top
    k_limbs = max(1, -(-(top + 1) // bits))
    if k_limbs > MAX_LIMBS:
        raise TooLarge(f"exponent spread needs {k_limbs} digits of {bits} bits")
    y = np.ldexp(x, -big_e)
    digits = np.empty((k_limbs,) + x.shape)
    for k in range(k_limbs - 1, 0, -1):
        dk = np.rint(np.ldexp(y, -k * bits))
        digits[k] = dk
        y = y - np.ldexp(dk, k * bits)
    digits[0] = y
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
