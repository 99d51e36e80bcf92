"""Exact arithmetic on float64 data, for any finite input (subnormals and 1e300 in one matrix included).

Every float64 is a dyadic rational m * 2^e with |m| < 2^53. A matrix is written as 2^E times integers (E its lowest
exponent), and those integers -- which may have thousands of bits when the matrix spans a wide range -- are split
into signed base-2^L digits ("limbs") read straight from the integer mantissas with int64 shifts (never through a
float64 scaling, which overflowed past ~1023 binary orders: issue 17 point 1). Only the limbs that are nonzero
somewhere are materialised, so one subnormal entry costs one or two extra limbs, not a hundred. L is chosen so that
every BLAS sum of limb products is an integer below 2^53, hence exact in float64; the sums are accumulated per
power of two in int64 and only the final numbers become Python ints.
"""
import math

import numpy as np

MANT_BITS = 53


def limb_bits(inner: int) -> int:
    """Digit size L such that a sum of `inner` products of two L-bit digits stays below 2^52."""
    return (52 - max(1, math.ceil(math.log2(max(inner, 2))))) // 2


def decompose(x):
    """x (finite float64 array) -> (mant int64, exp int64) with x = mant * 2^exp exactly, |mant| < 2^53."""
    x = np.asarray(x, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError("exact arithmetic needs finite values")
    m, e = np.frexp(x)
    mant = np.ldexp(m, MANT_BITS).astype(np.int64)  # m in [0.5, 1): m * 2^53 is an integer below 2^53, exactly
    return mant, e.astype(np.int64) - MANT_BITS


def to_limbs(x, bits: int):
    """x (float64 array) -> ({k: digits float64 array}, E) with x = 2^E sum_k digits[k] 2^(k bits), |digit| < 2^bits.

    Only limbs that are nonzero somewhere are returned; an all-zero x gives ({}, 0)."""
    mant, exp = decompose(x)
    nz = mant != 0
    if not nz.any():
        return {}, 0
    big_e = int(exp[nz].min())
    shift = np.where(nz, exp - big_e, 0)
    sign = np.sign(mant)
    mag = np.abs(mant)
    first = np.unique(shift[nz] // bits)
    needed = np.unique((first[:, None] + np.arange(MANT_BITS // bits + 2)[None, :]).ravel())
    mask = np.int64((1 << bits) - 1)
    out = {}
    for k in needed.tolist():
        s = shift - k * bits  # bit position of the mantissa's bit 0 inside limb k
        left = np.clip(s, 0, bits)
        right = np.clip(-s, 0, 63)
        part = ((mag << left) >> right) & mask  # exactly one of left/right is nonzero; bits above the limb dropped
        if part.any():
            out[k] = (sign * part).astype(np.float64)
    return out, big_e


def int64_limbs(a, bits: int) -> dict:
    """Signed int64 array -> {j: digits float64} with a = sum_j digits[j] 2^(j bits), |digit| < 2^bits."""
    a = np.asarray(a, dtype=np.int64)
    sign, mag = np.sign(a), np.abs(a)
    mask = np.int64((1 << bits) - 1)
    out, j = {}, 0
    while mag.any():
        part = mag & mask
        if part.any():
            out[j] = (sign * part).astype(np.float64)
        mag = mag >> bits
        j += 1
    return out


class Accumulator:
    """Sums of int64 arrays per power of two 2^(k bits). Each added array is below 2^53 in magnitude; a slot takes at
    most SLOT_TERMS of them (so it stays below 2^63), then a new slot opens."""
    SLOT_TERMS = 512

    def __init__(self):
        self.slots = {}  # k -> list of [int64 array, terms]

    def add(self, key: int, arr) -> None:
        arr = np.asarray(arr, dtype=np.int64)
        slots = self.slots.setdefault(key, [])
        if slots and slots[-1][1] < self.SLOT_TERMS:
            slots[-1][0] = slots[-1][0] + arr
            slots[-1][1] += 1
        else:
            slots.append([arr.copy(), 1])

    def items(self):
        for key, slots in self.slots.items():
            for arr, _ in slots:
                yield key, arr

    def to_ints(self, bits: int, count: int) -> list:
        """The `count` Python ints sum_k slot_k 2^(k bits)."""
        vals = [0] * count
        for k, arr in self.items():
            sh = k * bits
            vals = [v + (r << sh) for v, r in zip(vals, arr.ravel().tolist())]
        return vals


def combine(limbs_a: dict, limbs_b: dict, product) -> Accumulator:
    """{k + l: sum of product(a_k, b_l)}; each product must be an exact integer below 2^53 in float64."""
    out = Accumulator()
    for k, ak in limbs_a.items():
        for ell, bl in limbs_b.items():
            out.add(k + ell, np.rint(product(ak, bl)).astype(np.int64))
    return out


def matmul_ints(x, y):
    """x (p, k) @ y (k, m) exactly: (list of p*m Python ints, row-major, E) with value = ints * 2^E."""
    x = np.ascontiguousarray(x, dtype=np.float64)
    y = np.ascontiguousarray(y, dtype=np.float64)
    bits = limb_bits(x.shape[1])
    dx, ex = to_limbs(x, bits)
    dy, ey = to_limbs(y, bits)
    count = x.shape[0] * y.shape[1]
    if not dx or not dy:
        return [0] * count, 0
    acc = combine(dx, dy, lambda a, b: a @ b)
    return acc.to_ints(bits, count), ex + ey


def ridge_ints(w_up, w_down, y_int):
    """y_i = a_i^T Y b_i for all i, exactly, for an integer-valued float64 Y with |Y| < 2^bits:
    (list of n Python ints, E) with y_i = ints[i] * 2^E. Two stages: T = W_down^T Y (int64 sums per limb), then the
    row sums of T o W_up with T's sums re-split into limbs."""
    w_down = np.asarray(w_down, dtype=np.float64)
    w_up = np.asarray(w_up, dtype=np.float64)
    d, n = w_down.shape
    bits = limb_bits(d)
    dt, et = to_limbs(np.ascontiguousarray(w_down.T), bits)
    dy, ey = to_limbs(np.asarray(y_int, dtype=np.float64), bits)
    du, eu = to_limbs(w_up, bits)
    if not dt or not dy or not du:
        return [0] * n, 0
    t_acc = combine(dt, dy, lambda a, b: a @ b)  # {k: int64 (n, d)} sums below 2^63
    acc = Accumulator()
    for k, tk in t_acc.items():
        for j, tj in int64_limbs(tk, bits).items():
            for ell, ul in du.items():
                acc.add(k + j + ell, np.rint(np.einsum("ij,ij->i", tj, ul)).astype(np.int64))
    return acc.to_ints(bits, n), et + ey + eu
