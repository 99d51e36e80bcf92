"""Exact arithmetic for the checker: rationals from certificate strings, matrices scaled to integers, products of
integer matrices, and rational bounds on square roots. Only Python ints and Fractions; no rounding anywhere."""
import math
import re
from fractions import Fraction

from checker.read import CertificateError

_RATIONAL = re.compile(r"-?[0-9]{1,4000}(/[0-9]{1,4000})?")


def rational(text, what: str) -> Fraction:
    """The rational written as "p/q" or "p" (decimal, q > 0); anything else (a JSON float, NaN, "1e5") is refused."""
    if not isinstance(text, str) or not _RATIONAL.fullmatch(text):
        raise CertificateError(f"{what} must be a rational string 'p/q' or 'p', got {str(text)[:40]!r}")
    num, _, den = text.partition("/")
    if den and int(den) == 0:
        raise CertificateError(f"{what} has a zero denominator")
    return Fraction(int(num), int(den) if den else 1)


def to_integers(values) -> tuple:
    """(ints, den) with values[k] == ints[k] / den exactly, den > 0 the lcm of the denominators (for floats, one
    power of two). Accepts ints, floats and Fractions (all have as_integer_ratio)."""
    pairs = [v.as_integer_ratio() for v in values]
    den = math.lcm(*{q for _, q in pairs}) if pairs else 1
    return [p * (den // q) for p, q in pairs], den


def rows_times_rows(left, right) -> list:
    """T[j][i] = sum_k left[j][k] * right[i][k] for integer matrices, exactly.

    Fast path by packing: with a field width W such that every |T[j][i]| and every |right[i][k]| is below 2^(W-1),
    column k of `right` becomes one integer P_k = sum_i right[i][k] 2^(W i); then sum_k left[j][k] P_k =
    sum_i T[j][i] 2^(W i) exactly (integer arithmetic), and adding 2^(W-1) to every field makes all fields lie in
    [0, 2^W), so the fields are read back from the bytes without carries. tests/test_checker.py compares it with
    the plain triple loop."""
    if not left or not right:
        return [[0] * len(right) for _ in left]
    inner = len(right[0])
    big_l = max((abs(x) for row in left for x in row), default=0)
    big_r = max((abs(x) for row in right for x in row), default=0)
    bound = max(big_l * big_r * inner, big_r, 1)  # |T| <= bound and |right| <= bound
    width = (bound.bit_length() + 2 + 7) // 8     # bytes per field: bound < 2^(8 width - 2)
    half = 1 << (8 * width - 1)
    count = len(right)
    ones = int.from_bytes((b"\x01" + b"\x00" * (width - 1)) * count, "little")  # sum_i 2^(W i)
    packed = [int.from_bytes(b"".join((row[k] + half).to_bytes(width, "little") for row in right), "little")
              - half * ones for k in range(inner)]
    out = []
    for row in left:
        total = half * ones
        for coef, col in zip(row, packed):
            if coef:
                total += coef * col
        raw = total.to_bytes(width * count, "little")
        out.append([int.from_bytes(raw[i * width:(i + 1) * width], "little") - half for i in range(count)])
    return out


def sqrt_bounds(x: Fraction) -> tuple:
    """(lo, hi) rationals with lo <= sqrt(x) <= hi and a relative gap below 2^-60 (x >= 0), from math.isqrt:
    sqrt(p/q) = sqrt(p q 4^s) / (q 2^s) and isqrt(N) <= sqrt(N) < isqrt(N) + 1."""
    if x < 0:
        raise ValueError("negative square")
    big = x.numerator * x.denominator
    shift = max(0, (130 - big.bit_length()) // 2 + 1)
    root = math.isqrt(big << (2 * shift))
    lo = Fraction(root, x.denominator << shift)
    exact = root * root == big << (2 * shift)
    return lo, lo if exact else Fraction(root + 1, x.denominator << shift)
