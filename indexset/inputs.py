"""The one validation entry of `indexset` (scipy `_milp_iv` style): every argument is checked here, once, with a
one-line InputError naming the argument and the problem; everything after it may assume valid input.

Exactness comes first: the index condition is decided on the values *as given*, so a value that float64 cannot hold
exactly (an integer above 2^53, a longdouble, a complex number, an arbitrary object) is refused, never rounded
(issue 17 point 2). The storage dtype, when known, fixes the unit roundoff u of the storage-precision radius.
"""
import math
from fractions import Fraction
from numbers import Integral, Real

import numpy as np

from symbolic.errors import InputError

MAX_EXACT_INT = 2 ** 53  # every integer of magnitude <= 2^53 is a float64; above, some are not
# unit roundoff of the storage formats (docs/CERTIFICATE.md, radii)
UNIT_ROUNDOFF = {"float64": Fraction(1, 2 ** 53), "float32": Fraction(1, 2 ** 24), "float16": Fraction(1, 2 ** 11),
                 "bfloat16": Fraction(1, 2 ** 8)}
SAFETENSORS_DTYPES = {"F64": "float64", "F32": "float32", "F16": "float16", "BF16": "bfloat16"}
SKIPS = ("identity", "projected")


def storage_dtype(dtype) -> object:
    """A storage dtype name ('float32', 'bfloat16', ...) from a numpy dtype, a safetensors code or a name; None for
    integer data or when unknown (then no storage radius applies)."""
    if dtype is None:
        return None
    if isinstance(dtype, str):
        if dtype in SAFETENSORS_DTYPES:
            return SAFETENSORS_DTYPES[dtype]
        if dtype in UNIT_ROUNDOFF:
            return dtype
        if dtype[:1] in "IU":  # safetensors integer codes
            return None
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise InputError(f"unknown storage dtype {dtype!r}: use one of {', '.join(UNIT_ROUNDOFF)}") from None
    if dt.kind == "f" and dt.name in UNIT_ROUNDOFF:
        return dt.name
    if dt.kind in "iub":
        return None
    raise InputError(f"unsupported storage dtype {dt.name!r}: use one of {', '.join(UNIT_ROUNDOFF)}")


def _object_to_float(label: str, arr: np.ndarray) -> np.ndarray:
    """An object array (Python ints, floats, Fractions from lists) -> float64, every value exactly."""
    out = np.empty(arr.shape, dtype=np.float64)
    for idx, val in np.ndenumerate(arr):
        if isinstance(val, (bool, np.bool_)):
            raise InputError(f"{label} holds a boolean at {list(idx)}; give numbers")
        if isinstance(val, Integral):
            if abs(int(val)) > MAX_EXACT_INT:
                raise InputError(f"{label} holds the integer {int(val)} at {list(idx)}, beyond 2^53: float64 cannot "
                                 f"hold it exactly, and the index condition is decided on the values as given")
            out[idx] = float(int(val))
        elif isinstance(val, (float, np.floating)) and np.dtype(type(val)).itemsize <= 8:
            out[idx] = float(val)
        elif isinstance(val, Fraction) or (isinstance(val, Real) and not isinstance(val, np.floating)):
            f = float(val)
            if Fraction(f) != Fraction(val):
                raise InputError(f"{label} holds {val!r} at {list(idx)}, which float64 cannot hold exactly")
            out[idx] = f
        else:
            raise InputError(f"{label} holds a {type(val).__name__} at {list(idx)}; only real numbers exactly "
                             f"representable in float64 are accepted")
    return out


def exact_float64(label: str, arr, ndim: int = 2):
    """(float64 array equal to `arr` value by value, storage dtype name or None). Refuses what float64 cannot hold
    exactly (ints above 2^53, longdouble, complex, objects), non-finite values and the wrong number of dims."""
    if isinstance(arr, np.ndarray):
        a = arr
    else:
        try:
            a = np.asarray(arr)
        except (TypeError, ValueError) as exc:
            raise InputError(f"{label} must be a numeric {ndim}-D array ({exc})".splitlines()[0]) from None
    kind, size = a.dtype.kind, a.dtype.itemsize
    if kind == "c":
        raise InputError(f"{label} is complex ({a.dtype}); the weights must be real")
    if kind == "f" and size > 8:
        raise InputError(f"{label} is {a.dtype.name}: longdouble values are not all exactly float64 (give float64 or "
                         f"narrower)")
    if kind not in "fiuO":
        raise InputError(f"{label} has non-numeric dtype {a.dtype}")
    if a.ndim != ndim:
        raise InputError(f"{label} must be {ndim}-D, got shape {tuple(a.shape)}")
    dtype = storage_dtype(a.dtype) if kind != "O" else None
    if kind == "O":
        out = _object_to_float(label, a)
    elif kind in "iu":
        if a.size and (int(a.max()) > MAX_EXACT_INT or int(a.min()) < -MAX_EXACT_INT):
            bad = int(a.max()) if int(a.max()) > MAX_EXACT_INT else int(a.min())
            raise InputError(f"{label} holds the integer {bad}, beyond 2^53: float64 cannot hold it exactly, and the "
                             f"index condition is decided on the values as given")
        out = a.astype(np.float64)
    else:
        out = a.astype(np.float64)
    bad = ~np.isfinite(out)
    if bad.any():
        first = [int(v) for v in np.argwhere(bad)[0]]
        raise InputError(f"{label} has {int(bad.sum())} non-finite value(s) (NaN/inf), first at {first}")
    return np.ascontiguousarray(out), dtype


def check_skip(skip) -> str:
    if skip is None:
        return "identity"
    if skip not in SKIPS:
        raise InputError(f"skip must be one of {', '.join(SKIPS)}, got {skip!r}")
    return skip


def check_activation(activation):
    """A registry activation name (aliases resolved) or None; an InputError names the unknown one."""
    if activation is None:
        return None
    if not isinstance(activation, str):
        raise InputError(f"activation must be a registry name (a string), got {type(activation).__name__}")
    from symbolic.activations import get_activation
    try:
        return get_activation(activation).name
    except (KeyError, InputError):
        raise InputError(f"unknown activation {activation!r} (see `absorb list`)") from None


def check_tol(tol):
    """tau as a float in [0, 1), or None for the default radius."""
    if tol is None:
        return None
    if isinstance(tol, bool) or not isinstance(tol, (Real, str)):
        raise InputError(f"tol (--tol) must be a number in [0, 1), got {type(tol).__name__}")
    try:
        val = float(tol)
    except ValueError:
        raise InputError(f"tol (--tol) must be a number such as 1e-9, got {tol!r}") from None
    if not (math.isfinite(val) and 0.0 <= val < 1.0):
        raise InputError(f"tol (--tol) must be a number in [0, 1) (relative to ||A/c||_F), got {tol!r}")
    return val
