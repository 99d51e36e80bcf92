"""Loading (W_up, W_down) from .npz or .safetensors with validation; every problem is an InputError naming it."""
import json
import struct
from fractions import Fraction
from pathlib import Path

import numpy as np

from symbolic.errors import InputError

DEFAULT_UP, DEFAULT_DOWN = "W_up", "W_down"
MAX_EXHAUSTIVE_N = 40


def parse_c(text) -> Fraction:
    """The constant c of sigma(z) - sigma(-z) = c z, exactly: "1", "1.01", "101/100"; nonzero and 1e-300 <= |c| <=
    1e300 so that A/c is a finite float64 matrix (a one-line InputError names the range otherwise)."""
    from montecarlo.instance import check_c

    try:
        c = Fraction(str(text).strip())
    except (ValueError, ZeroDivisionError):
        raise InputError(f"--c must be a nonzero rational number such as 1, 1.01 or 101/100, got {text!r}") from None
    return check_c(c)


def _load_npz(path: Path) -> dict:
    try:
        with np.load(path, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    except Exception as exc:  # zip errors, pickled objects, truncated files
        raise InputError(f"cannot read {path}: {type(exc).__name__}: {exc}".splitlines()[0]) from None


_BF16 = "BF16"


def _safetensors_header(path: Path) -> dict:
    with open(path, "rb") as fh:
        raw = fh.read(8)
        if len(raw) != 8:
            raise ValueError("file shorter than the 8-byte header length")
        size = struct.unpack("<Q", raw)[0]
        if size > 100_000_000:
            raise ValueError(f"implausible header length {size}")
        header = json.loads(fh.read(size))
    if not isinstance(header, dict):
        raise ValueError("header is not a JSON object")
    header.pop("__metadata__", None)
    return header, 8 + size


def _read_bf16(path: Path, offset: int, info: dict) -> np.ndarray:
    """bfloat16 (which NumPy lacks) widened exactly to float32: the upper 16 bits of the float32 pattern."""
    start, end = info["data_offsets"]
    shape = tuple(int(v) for v in info["shape"])
    with open(path, "rb") as fh:
        fh.seek(offset + start)
        raw = fh.read(end - start)
    if len(raw) != 2 * int(np.prod(shape)):
        raise ValueError("bfloat16 tensor data has the wrong length")
    return (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32).reshape(shape)


def _load_safetensors(path: Path, keys) -> dict:
    """Only the requested tensors are read (checkpoints hold many); BF16 is widened by hand."""
    try:
        header, offset = _safetensors_header(path)
        from safetensors import safe_open
        out = {}
        with safe_open(str(path), framework="numpy") as fh:
            for key in keys:
                if key not in header:
                    continue
                if header[key].get("dtype") == _BF16:
                    out[key] = _read_bf16(path, offset, header[key])
                else:
                    out[key] = fh.get_tensor(key)
        out["__keys__"] = sorted(header)
        return out
    except Exception as exc:
        raise InputError(f"cannot read {path}: {type(exc).__name__}: {exc}".splitlines()[0]) from None


def _as_float64(name: str, arr, path: Path) -> np.ndarray:
    arr = np.asarray(arr)
    if arr.dtype.kind not in "fiu":
        raise InputError(f"{path.name}: tensor {name!r} has non-numeric dtype {arr.dtype}")
    if arr.ndim != 2:
        raise InputError(f"{path.name}: tensor {name!r} must be 2-D, got shape {tuple(arr.shape)}")
    out = arr.astype(np.float64)
    bad = ~np.isfinite(out)
    if bad.any():
        i, j = map(int, np.argwhere(bad)[0])
        raise InputError(f"{path.name}: tensor {name!r} has {int(bad.sum())} non-finite value(s) (NaN/inf), "
                         f"first at [{i}, {j}]")
    return np.ascontiguousarray(out)


def load_weights(path, up_key=None, down_key=None):
    """Return (W_up (n, d), W_down (d, n)) as float64; float32/float16 are promoted exactly."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"weights file {str(path)!r} does not exist")
    if not path.is_file():
        raise InputError(f"weights path {str(path)!r} is not a file")
    suffix = path.suffix.lower()
    up_key, down_key = up_key or DEFAULT_UP, down_key or DEFAULT_DOWN
    if suffix == ".npz":
        tensors = _load_npz(path)
        available = sorted(tensors)
    elif suffix == ".safetensors":
        tensors = _load_safetensors(path, (up_key, down_key))
        available = tensors.pop("__keys__")
    else:
        raise InputError(f"unsupported weights format {suffix or '(none)'!r}: use .npz or .safetensors")
    for key, flag in ((up_key, "--up"), (down_key, "--down")):
        if key not in tensors:
            avail = ", ".join(available[:8]) + (", ..." if len(available) > 8 else "") if available else "none"
            raise InputError(f"{path.name}: no tensor {key!r} (give it with {flag}; available: {avail})")
    w_up = _as_float64(up_key, tensors[up_key], path)
    w_down = _as_float64(down_key, tensors[down_key], path)
    validate_pair(w_up, w_down, up_key, down_key)
    return w_up, w_down


def validate_pair(w_up, w_down, up_key=DEFAULT_UP, down_key=DEFAULT_DOWN) -> None:
    n, d = w_up.shape
    if w_down.shape != (d, n):
        raise InputError(f"shape mismatch: {up_key} is {tuple(w_up.shape)} = (n, d), so {down_key} must be "
                         f"{(d, n)} = (d, n), got {tuple(w_down.shape)}")
    if n == 0 or d == 0:
        raise InputError(f"empty weights: d = {d}, n = {n}")
