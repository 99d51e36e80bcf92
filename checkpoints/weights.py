"""Loading (W_up, W_down) from .npz or .safetensors with validation; every problem is an InputError naming it."""
from fractions import Fraction
from pathlib import Path

import numpy as np

from symbolic.errors import InputError

DEFAULT_UP, DEFAULT_DOWN = "W_up", "W_down"


def parse_c(text) -> Fraction:
    """The constant c of sigma(z) - sigma(-z) = c z, exactly: "1", "1.01", "101/100"; nonzero and 1e-300 <= |c| <=
    1e300 so that A/c is a finite float64 matrix (a one-line InputError names the range otherwise)."""
    from indexset.instance import check_c

    try:
        c = Fraction(str(text).strip())
    except (ValueError, ZeroDivisionError):
        raise InputError(f"--c must be a nonzero rational number such as 1, 1.01 or 101/100, got {text!r}") from None
    return check_c(c)


_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or an empty archive
_NPY_MAGIC = b"\x93NUMPY"


def _load_npz(path: Path, keys) -> tuple:
    """({key: array} for the requested keys only, all names in the archive). NpzFile decompresses an array only
    when it is indexed, so an unused member (even a compressed zero bomb) is never inflated. A file that is not
    a zip archive is named for what it is, instead of NumPy's advice to allow pickles."""
    if not path.is_file():
        raise InputError(f"cannot read {path}: not a regular file")
    try:
        with open(path, "rb") as fh:
            magic = fh.read(6)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if magic.startswith(_NPY_MAGIC):
        raise InputError(f"cannot read {path}: a single .npy array, not an .npz archive; save both matrices with "
                         f"np.savez(path, W_up=..., W_down=...)")
    if not magic.startswith(_ZIP_MAGIC):
        raise InputError(f"cannot read {path}: not an .npz archive (no zip header; a text file?); save the "
                         f"weights with np.savez(path, W_up=..., W_down=...)")
    _refuse_duplicate_members(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            names = sorted(data.files)
            return {k: data[k] for k in keys if k in data.files}, names
    except Exception as exc:  # zip errors, pickled objects, truncated files
        raise InputError(f"cannot read {path}: {type(exc).__name__}: {exc}".splitlines()[0]) from None


def _refuse_duplicate_members(path: Path) -> None:
    """A zip archive may hold two members with one name; NumPy silently serves one of them, so which W_up was
    certified would depend on the reader. Refuse such archives."""
    import zipfile
    try:
        with zipfile.ZipFile(path) as archive:
            seen = set()
            for name in archive.namelist():
                if name in seen:
                    raise InputError(f"cannot read {path}: array {name.removesuffix('.npy')!r} appears twice in "
                                     f"the archive")
                seen.add(name)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"cannot read {path}: {type(exc).__name__}: {exc}".splitlines()[0]) from None


def _load_safetensors(path: Path, keys, dtypes=None) -> tuple:
    """({key: float64 array} for the requested keys only, all names): the validated, memory-mapped reader of
    checkpoints.reader, so a truncated file or one whose header claims more than it holds is one line. `dtypes`
    (a dict) receives each key's stored dtype code."""
    from checkpoints.reader import read_safetensors_header, read_tensor
    header = read_safetensors_header(path)
    if dtypes is not None:
        dtypes.update({k: header[k].dtype for k in keys if k in header})
    return {k: read_tensor(header[k]) for k in keys if k in header}, sorted(header)


def _as_float64(name: str, arr, path: Path) -> np.ndarray:
    """The tensor as float64, value by value (indexset.inputs.exact_float64: ints above 2^53, longdouble, complex
    and objects are refused, never rounded)."""
    from indexset.inputs import exact_float64
    return exact_float64(f"{path.name}: tensor {name!r}", arr)[0]


def load_weights(path, up_key=None, down_key=None):
    """Return (W_up (n, d), W_down (d, n)) as float64 (float32/float16 promoted exactly): `load_pair` without the
    biases and provenance."""
    block = load_pair(path, up_key, down_key)
    return block.w_up, block.w_down


def validate_pair(w_up, w_down, up_key=DEFAULT_UP, down_key=DEFAULT_DOWN) -> None:
    n, d = w_up.shape
    if w_down.shape != (d, n):
        raise InputError(f"shape mismatch: {up_key} is {tuple(w_up.shape)} = (n, d), so {down_key} must be "
                         f"{(d, n)} = (d, n), got {tuple(w_down.shape)}")
    if n == 0 or d == 0:
        raise InputError(f"empty weights: d = {d}, n = {n}")


def load_pair(path, up_key=None, down_key=None, up_bias_key=None, down_bias_key=None):
    """One block from .npz/.safetensors as an indexset Block: W_up (n, d), W_down (d, n), optional biases (n,) and
    (d,), the storage dtype (the coarser of the two matrices') and the certificate's "weights" provenance (the
    file's sha256, keys, layouts)."""
    from indexset.trusted import Block, npz_provenance
    from indexset.inputs import UNIT_ROUNDOFF, exact_float64, storage_dtype
    path = Path(path)
    if not path.exists():
        raise InputError(f"weights file {str(path)!r} does not exist")
    if not path.is_file():
        raise InputError(f"weights path {str(path)!r} is not a file")
    suffix = path.suffix.lower()
    up_key, down_key = up_key or DEFAULT_UP, down_key or DEFAULT_DOWN
    keys = tuple(k for k in (up_key, down_key, up_bias_key, down_bias_key) if k is not None)
    codes = {}
    if suffix == ".npz":
        tensors, available = _load_npz(path, keys)
        codes = {k: v.dtype for k, v in tensors.items()}
    elif suffix == ".safetensors":
        tensors, available = _load_safetensors(path, keys, codes)
    else:
        raise InputError(f"unsupported weights format {suffix or '(none)'!r}: use .npz or .safetensors")
    for key, flag in ((up_key, "--up"), (down_key, "--down"), (up_bias_key, "--up-bias"),
                      (down_bias_key, "--down-bias")):
        if key is not None and key not in tensors:
            avail = ", ".join(available[:8]) + (", ..." if len(available) > 8 else "") if available else "none"
            raise InputError(f"{path.name}: no tensor {key!r} (give it with {flag}; available: {avail})")
    w_up = _as_float64(up_key, tensors[up_key], path)
    w_down = _as_float64(down_key, tensors[down_key], path)
    validate_pair(w_up, w_down, up_key, down_key)
    n, d = w_up.shape
    biases = []
    for key, length in ((up_bias_key, n), (down_bias_key, d)):
        if key is None:
            biases.append(None)
            continue
        vec = exact_float64(f"{path.name}: tensor {key!r}", tensors[key], ndim=1)[0]
        if vec.shape != (length,):
            raise InputError(f"{path.name}: bias {key!r} must have length {length}, got shape {tuple(vec.shape)}")
        biases.append(vec)
    stores = [t for t in (storage_dtype(codes.get(up_key)), storage_dtype(codes.get(down_key))) if t is not None]
    store = max(stores, key=lambda t: UNIT_ROUNDOFF[t]) if stores else None
    prov = npz_provenance(path, up_bias_key is not None, down_bias_key is not None, up_key, down_key,
                          up_bias_key, down_bias_key)
    return Block(w_up, w_down, biases[0], biases[1], store, prov)
