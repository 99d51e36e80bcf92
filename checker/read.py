"""Reading stored tensors exactly, and hashing the files they come from, with nothing but the standard library.

A float value is kept as the Python float it decodes to (float16/bfloat16/float32 widen to float64 exactly, so the
float *is* the stored dyadic rational); integers stay Python ints. Whatever is not exactly a finite rational (complex,
longdouble, object, bool, float8, NaN, inf) and every malformed or hostile file is refused with CertificateError:
never a traceback, a hang or an approximation. Each file is read once; its sha256 is taken over the same bytes that
are decoded, so the hash and the values cannot disagree."""
import ast
import hashlib
import io
import json
import math
import os
import stat
import struct
import zipfile
import zlib
from fractions import Fraction
from typing import NamedTuple


class CertificateError(ValueError):
    """Unreadable input: bad JSON shape, a missing or unreadable file, an unsupported dtype, a hostile file."""


MAX_HEADER = 100 * 2 ** 20      # the safetensors reference refuses larger headers too
MAX_NDIM = 8
MAX_ELEMENTS = 2 ** 28          # per tensor read (the largest real MLP matrices are ~2^26)
CHUNK = 1 << 24

# dtype -> (struct code, item size, unit roundoff of the format; 0 for integers, which are stored exactly)
U64, U32, U16, UBF = Fraction(1, 2 ** 53), Fraction(1, 2 ** 24), Fraction(1, 2 ** 11), Fraction(1, 2 ** 8)
SAFETENSORS = {"F64": ("d", 8, U64), "F32": ("f", 4, U32), "F16": ("e", 2, U16), "BF16": ("bf16", 2, UBF),
               "I8": ("b", 1, 0), "I16": ("h", 2, 0), "I32": ("i", 4, 0), "I64": ("q", 8, 0),
               "U8": ("B", 1, 0), "U16": ("H", 2, 0), "U32": ("I", 4, 0), "U64": ("Q", 8, 0)}
# dtypes that may sit in a checkpoint but are never read as weights: known only to validate the byte layout
OTHER_SIZES = {"BOOL": 1, "F8_E5M2": 1, "F8_E4M3": 1}
NPY = {"f8": ("d", 8, U64), "f4": ("f", 4, U32), "f2": ("e", 2, U16),
       "i1": ("b", 1, 0), "i2": ("h", 2, 0), "i4": ("i", 4, 0), "i8": ("q", 8, 0),
       "u1": ("B", 1, 0), "u2": ("H", 2, 0), "u4": ("I", 4, 0), "u8": ("Q", 8, 0)}


class Tensor(NamedTuple):
    """A stored tensor: shape, values in C order (ints, or floats that are exact dyadic rationals), and the unit
    roundoff u of its storage format (0 for integer dtypes)."""
    shape: tuple
    values: list
    unit_roundoff: Fraction


def load_json(data):
    """Parse JSON text or bytes; duplicate keys, deep nesting and bad encodings are a CertificateError."""
    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            raise CertificateError(f"duplicate key {sorted(k for k in keys if keys.count(k) > 1)[0]!r} in JSON")
        return dict(pairs)
    try:
        return json.loads(data, object_pairs_hook=no_duplicates)
    except CertificateError:
        raise
    except RecursionError:
        raise CertificateError("JSON nested too deeply") from None
    except (ValueError, TypeError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise CertificateError(f"not valid JSON ({' '.join(str(exc).split())[:120]})") from None


def decode(raw: bytes, code: str, endian: str, unit_roundoff) -> list:
    """The values of raw bytes in one dtype, exactly; NaN and inf are refused."""
    if code == "bf16":  # bfloat16 (little-endian, safetensors only) is the upper half of a float32
        wide = bytearray(2 * len(raw))
        wide[2::4], wide[3::4] = raw[0::2], raw[1::2]
        raw, code = bytes(wide), "f"
    size = struct.calcsize(code)
    values = list(struct.unpack(f"{endian}{len(raw) // size}{code}", raw))
    if unit_roundoff and not all(map(math.isfinite, values)):
        raise CertificateError("a stored value is NaN or infinite (not a rational number)")
    return values


def _shape(shape, what) -> tuple:
    if not isinstance(shape, (list, tuple)) or len(shape) > MAX_NDIM or \
            not all(type(s) is int and s >= 0 for s in shape):
        raise CertificateError(f"{what}: shape {str(shape)[:60]} is not a list of at most {MAX_NDIM} sizes")
    return tuple(shape)


def _regular_file(path) -> int:
    """Size of a regular file (a FIFO, device or directory would hang or mislead the reader)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise CertificateError(f"cannot read weights file {path}: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise CertificateError(f"weights path {path} is not a regular file")
    return st.st_size


def _safetensors_layout(header, data_len) -> dict:
    """name -> (dtype, shape, begin, end), after checking the layout rules of the safetensors reference: known dtypes,
    sizes that match the shapes, and data_offsets that tile the data section exactly (no overlap, no hole)."""
    if not isinstance(header, dict):
        raise CertificateError("safetensors header is not a JSON object")
    meta = header.get("__metadata__")
    if meta is not None and not (isinstance(meta, dict) and all(isinstance(v, str) for v in meta.values())):
        raise CertificateError("safetensors __metadata__ is not a map of strings")
    layout, spans = {}, []
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if not isinstance(entry, dict) or set(entry) != {"dtype", "shape", "data_offsets"}:
            raise CertificateError(f"safetensors entry {name[:60]!r} is not {{dtype, shape, data_offsets}}")
        dtype, offsets = entry["dtype"], entry["data_offsets"]
        size = SAFETENSORS[dtype][1] if dtype in SAFETENSORS else OTHER_SIZES.get(dtype)
        if size is None:
            raise CertificateError(f"safetensors tensor {name[:60]!r} has unknown dtype {str(dtype)[:20]!r}")
        shape = _shape(entry["shape"], f"tensor {name[:60]!r}")
        if not (isinstance(offsets, list) and len(offsets) == 2 and all(type(o) is int for o in offsets)
                and 0 <= offsets[0] <= offsets[1] <= data_len):
            raise CertificateError(f"tensor {name[:60]!r}: data_offsets outside the data section")
        if math.prod(shape) * size != offsets[1] - offsets[0]:
            raise CertificateError(f"tensor {name[:60]!r}: data_offsets do not match its shape and dtype")
        layout[name] = (dtype, shape, offsets[0], offsets[1])
        spans.append((offsets[0], offsets[1], name))
    end = 0
    for begin, stop, name in sorted(spans):
        if begin != end:
            raise CertificateError(f"tensor {name[:60]!r}: data_offsets overlap or leave a hole")
        end = stop
    if end != data_len:
        raise CertificateError("safetensors data section is not exactly covered by its tensors")
    return layout


def _read_safetensors(path, keys) -> tuple:
    size = _regular_file(path)
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        head = fh.read(8)
        if len(head) < 8:
            raise CertificateError(f"{path}: too short for a safetensors file")
        (hlen,) = struct.unpack("<Q", head)
        if hlen > size - 8 or hlen > MAX_HEADER:
            raise CertificateError(f"{path}: safetensors header length {hlen} exceeds the file")
        text = fh.read(hlen)
        digest.update(head + text)
        base = 8 + hlen
        layout = _safetensors_layout(load_json(text), size - base)
        wanted = []
        for key in keys:
            if key not in layout:
                raise CertificateError(f"{path}: no tensor {key!r}")
            dtype, shape, begin, end = layout[key]
            if dtype not in SAFETENSORS:
                raise CertificateError(f"{path}: tensor {key!r} has dtype {dtype}, which is not read as weights")
            if math.prod(shape) > MAX_ELEMENTS:
                raise CertificateError(f"{path}: tensor {key!r} is too large")
            wanted.append((base + begin, base + end, key))
        parts, pos = {key: bytearray() for key in keys}, base
        while chunk := fh.read(CHUNK):  # one pass: the bytes hashed are the bytes decoded
            digest.update(chunk)
            for begin, end, key in wanted:
                lo, hi = max(begin, pos), min(end, pos + len(chunk))
                if lo < hi:
                    parts[key] += chunk[lo - pos:hi - pos]
            pos += len(chunk)
    if pos != size:
        raise CertificateError(f"{path} changed while it was read")
    tensors = {}
    for key in keys:
        code, _, u = SAFETENSORS[layout[key][0]]
        tensors[key] = Tensor(layout[key][1], decode(bytes(parts[key]), code, "<", u), u)
    return digest.hexdigest(), tensors


def _read_npy(fh, member_size) -> Tensor:
    """One .npy member: magic, version, a Python-literal header {descr, fortran_order, shape}, then the raw data."""
    if fh.read(6) != b"\x93NUMPY":
        raise CertificateError("not a .npy array")
    version = fh.read(2)
    if len(version) != 2 or version[0] not in (1, 2, 3):
        raise CertificateError("unknown .npy version")
    width = 2 if version[0] == 1 else 4
    (hlen,) = struct.unpack("<H" if width == 2 else "<I", fh.read(width).ljust(width, b"\0"))
    if hlen > 1 << 16:
        raise CertificateError(".npy header too long")
    try:
        meta = ast.literal_eval(fh.read(hlen).decode("utf-8" if version[0] == 3 else "latin-1"))
    except (ValueError, SyntaxError, TypeError, RecursionError, MemoryError, UnicodeDecodeError):
        raise CertificateError("unreadable .npy header") from None
    if not isinstance(meta, dict) or set(meta) != {"descr", "fortran_order", "shape"}:
        raise CertificateError(".npy header is not {descr, fortran_order, shape}")
    descr, fortran, shape = meta["descr"], meta["fortran_order"], _shape(meta["shape"], ".npy array")
    if not (isinstance(descr, str) and len(descr) == 3 and descr[1:] in NPY and descr[0] in "<>|"
            and (descr[0] != "|" or NPY[descr[1:]][1] == 1)) or type(fortran) is not bool:
        raise CertificateError(f".npy dtype {str(descr)[:30]!r} is not an exactly readable real dtype "
                               "(complex, longdouble, object, bool are refused)")
    code, size, u = NPY[descr[1:]]
    count = math.prod(shape)
    if count > MAX_ELEMENTS or 6 + 2 + width + hlen + count * size != member_size:
        raise CertificateError(".npy data size does not match its shape")
    raw = fh.read(count * size)
    if len(raw) != count * size or fh.read(1):
        raise CertificateError(".npy data size does not match its shape")
    values = decode(raw, code, ">" if descr[0] == ">" else "<", u)
    if fortran and len(shape) == 2:  # column-major: element (i, j) sits at j * rows + i
        values = [x for i in range(shape[0]) for x in values[i::shape[0]]]
    elif fortran and len(shape) > 2:
        raise CertificateError("Fortran-ordered .npy arrays of more than 2 dimensions are not read")
    return Tensor(shape, values, u)


def _read_npz(path, keys) -> tuple:
    _regular_file(path)
    with open(path, "rb") as fh:
        data = fh.read()
    tensors = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
            if len(set(names)) != len(names):
                raise CertificateError(f"{path}: duplicate array names in the .npz")
            for key in keys:
                if key + ".npy" not in names:
                    raise CertificateError(f"{path}: no array {key!r}")
                info = zf.getinfo(key + ".npy")
                with zf.open(info) as member:
                    tensors[key] = _read_npy(member, info.file_size)
    except CertificateError as exc:
        raise CertificateError(f"{path}: {exc}" if not str(exc).startswith(str(path)) else str(exc)) from None
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError, ValueError,
            struct.error) as exc:
        raise CertificateError(f"{path}: unreadable .npz ({' '.join(str(exc).split())[:100]})") from None
    return hashlib.sha256(data).hexdigest(), tensors


def _hash_only(path) -> str:
    _regular_file(path)
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def read_weights(root: str, files, wanted) -> tuple:
    """({name: sha256}, {(name, key): Tensor}) for every file listed under root and every (name, key) wanted.
    `root` is a file (then the only name is '') or a directory (names are relative and may not climb out)."""
    try:
        mode = os.stat(root).st_mode
    except (OSError, ValueError) as exc:
        raise CertificateError(f"cannot read weights root {root}: {getattr(exc, 'strerror', exc)}") from None
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise CertificateError(f"weights root {root} is neither a file nor a directory")
    hashes, tensors = {}, {}
    for name in files:
        if stat.S_ISREG(mode):
            if name != "":
                raise CertificateError(f"weights root {root} is a file, so its only name is '' (got {name!r})")
            path = root
        else:
            parts = name.replace("\\", "/").split("/")
            if name == "" or os.path.isabs(name) or ".." in parts:
                raise CertificateError(f"weights file name {name!r} must be relative to the root, without '..'")
            path = os.path.join(root, name)
        keys = sorted(key for (file, key) in wanted if file == name)
        if not keys:
            hashes[name] = _hash_only(path)
            continue
        reader = _read_safetensors if path.endswith(".safetensors") else _read_npz if path.endswith(".npz") else None
        if reader is None:
            raise CertificateError(f"weights file {name!r}: only .safetensors and .npz are read")
        hashes[name], found = reader(path, keys)
        tensors.update({(name, key): t for key, t in found.items()})
    return hashes, tensors
