"""Whole checkpoints: a validated safetensors reader, the Hugging Face layout, MLP-family detection, and
per-layer memory-mapped reading.

Why memory-mapped and one layer at a time: a 7B checkpoint is 14 GB in bf16; only the two (or three) matrices of
the layer being certified are widened to float64 (8 bytes per entry), everything else stays on disk.
Every defect of a file (truncated data, a header that claims more than the file holds, a shard index naming a
missing file, mismatched shapes, an unknown layout) raises InputError with one line naming it.
"""
import json
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from symbolic.errors import InputError

MAX_HEADER_BYTES = 100_000_000
# safetensors dtype -> (NumPy dtype of the stored bytes, bytes per entry); BF16 is read as raw uint16 and widened
DTYPES = {"F64": ("<f8", 8), "F32": ("<f4", 4), "F16": ("<f2", 2), "BF16": ("<u2", 2), "I64": ("<i8", 8),
          "I32": ("<i4", 4), "I16": ("<i2", 2), "I8": ("i1", 1), "U8": ("u1", 1), "BOOL": ("?", 1)}
FLOAT_DTYPES = ("F64", "F32", "F16", "BF16")


# ---------------------------------------------------------------------------------------------------- JSON
class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs):
    """object_pairs_hook: a JSON object naming one key twice is ambiguous (which tensor is meant?): refuse it."""
    out = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def parse_json(text, where: str):
    """json.loads for files we did not write: duplicate keys and nesting too deep for the parser (a RecursionError
    deep inside json) become one-line InputErrors naming the file."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKey as exc:
        raise InputError(f"{where}: key {str(exc)!r} appears twice in one JSON object") from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{where}: not valid JSON ({str(exc).splitlines()[0]})") from None


# ---------------------------------------------------------------------------------------------------- safetensors
@dataclass(frozen=True)
class TensorInfo:
    name: str
    file: Path
    dtype: str
    shape: tuple
    start: int  # absolute byte offset in file
    nbytes: int


def read_safetensors_header(path) -> dict:
    """{name: TensorInfo} of one .safetensors file, every offset checked against the file's real size."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"cannot read {path}: not a regular file")
    try:
        size_on_disk = path.stat().st_size
        with open(path, "rb") as fh:
            raw = fh.read(8)
            if len(raw) != 8:
                raise InputError(f"cannot read {path}: not a safetensors file (shorter than the 8-byte header length)")
            header_len = struct.unpack("<Q", raw)[0]
            if header_len > MAX_HEADER_BYTES:
                raise InputError(f"cannot read {path}: implausible safetensors header length {header_len}")
            if 8 + header_len > size_on_disk:
                raise InputError(f"cannot read {path}: header claims {header_len} bytes but the file holds only "
                                 f"{size_on_disk} (truncated?)")
            text = fh.read(header_len)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"cannot read {path}: safetensors header is not UTF-8") from None
    header = parse_json(decoded, f"cannot read {path}: safetensors header")
    if not isinstance(header, dict):
        raise InputError(f"cannot read {path}: safetensors header is not a JSON object")
    header.pop("__metadata__", None)
    data_start = 8 + header_len
    out = {}
    for name, meta in header.items():
        where = f"tensor {name!r}"
        if not isinstance(meta, dict):
            raise InputError(f"cannot read {path}: {where}: header entry is not an object")
        dtype, shape, offsets = meta.get("dtype"), meta.get("shape"), meta.get("data_offsets")
        if dtype not in DTYPES:
            raise InputError(f"cannot read {path}: {where}: unsupported dtype {dtype!r}")
        if (not isinstance(shape, list) or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0
                                                   for v in shape)):
            raise InputError(f"cannot read {path}: {where}: shape must be a list of non-negative integers, "
                             f"got {shape!r}")
        if (not isinstance(offsets, list) or len(offsets) != 2
                or not all(isinstance(v, int) and not isinstance(v, bool) for v in offsets)
                or not 0 <= offsets[0] <= offsets[1]):
            raise InputError(f"cannot read {path}: {where}: data_offsets must be [start, end] with "
                             f"0 <= start <= end, got {offsets!r}")
        nbytes = int(np.prod(shape, dtype=object)) * DTYPES[dtype][1]
        if offsets[1] - offsets[0] != nbytes:
            raise InputError(f"cannot read {path}: {where}: data_offsets span {offsets[1] - offsets[0]} bytes "
                             f"but shape {shape} of {dtype} needs {nbytes}")
        if data_start + offsets[1] > size_on_disk:
            raise InputError(f"cannot read {path}: {where}: data ends at byte {data_start + offsets[1]} but the "
                             f"file holds only {size_on_disk} (truncated?)")
        out[name] = TensorInfo(name, path, dtype, tuple(shape), data_start + offsets[0], nbytes)
    spans = sorted((t.start, t.start + t.nbytes, t.name) for t in out.values() if t.nbytes)
    for (_, end, first), (start, _, second) in zip(spans, spans[1:]):
        if start < end:
            raise InputError(f"cannot read {path}: tensors {first!r} and {second!r} overlap in the data (the "
                             f"safetensors format forbids it)")
    return out


def read_tensor(info: TensorInfo) -> np.ndarray:
    """The tensor as float64, read through a memory map of just its bytes. F16 and BF16 are widened exactly
    (every float16/bfloat16 value is a float32 and a float64); integers are converted as values."""
    if info.dtype not in FLOAT_DTYPES and info.dtype not in ("I64", "I32", "I16", "I8", "U8"):
        raise InputError(f"{info.file.name}: tensor {info.name!r} has non-numeric dtype {info.dtype}")
    count = int(np.prod(info.shape, dtype=object))
    if count == 0:
        raise InputError(f"{info.file.name}: tensor {info.name!r} is empty (shape {info.shape})")
    try:
        raw = np.memmap(info.file, dtype=np.dtype(DTYPES[info.dtype][0]), mode="r", offset=info.start,
                        shape=(count,))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot map tensor {info.name!r} of {info.file.name}: {exc}") from None
    if info.dtype == "BF16":  # bfloat16 = the upper 16 bits of a float32
        out = (raw.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
    elif info.dtype == "I64" and raw.size and (int(raw.max()) > 2 ** 53 or int(raw.min()) < -2 ** 53):
        raise InputError(f"{info.file.name}: tensor {info.name!r} holds integers beyond 2^53, which float64 cannot "
                         f"hold exactly (the index condition is decided on the values as given)")
    else:
        out = raw.astype(np.float64)
    del raw
    out = out.reshape(info.shape)
    bad = ~np.isfinite(out)
    if bad.any():
        first = [int(v) for v in np.argwhere(bad)[0]]
        raise InputError(f"{info.file.name}: tensor {info.name!r} has {int(bad.sum())} non-finite value(s) "
                         f"(NaN/inf), first at {first}")
    return out


# ---------------------------------------------------------------------------------------------------- layout
@dataclass(frozen=True)
class Family:
    """A naming convention for MLP blocks. Patterns match a tensor name; group 'prefix' names the block."""
    id: str
    label: str
    up: str           # regex for W_up (or W_in); the gate of a gated block is `gate`
    down: str
    gate: str = None  # gated blocks: the gate projection (its activation multiplies `up`)
    conv1d: bool = False  # GPT-2 Conv1D stores weights as (in, out): transpose on reading
    model_types: tuple = ()


_P = r"(?P<prefix>(?:.*\.)?"
FAMILIES = (
    Family("bert", "BERT/RoBERTa/MiniLM (intermediate.dense / output.dense)",
           _P + r"layer\.\d+)\.intermediate\.dense\.weight$", r"{prefix}.output.dense.weight",
           model_types=("bert", "roberta", "xlm-roberta", "electra", "camembert")),
    Family("vit", "ViT (intermediate.dense / output.dense)",
           _P + r"layer\.\d+)\.intermediate\.dense\.weight$", r"{prefix}.output.dense.weight",
           model_types=("vit", "deit", "beit", "dinov2")),
    Family("gpt2", "GPT-2 (mlp.c_fc / mlp.c_proj, Conv1D stored transposed)",
           _P + r"h\.\d+)\.mlp\.c_fc\.weight$", r"{prefix}.mlp.c_proj.weight", conv1d=True,
           model_types=("gpt2",)),
    Family("llama", "LLaMA/Mistral/Qwen (gated mlp.gate_proj / up_proj / down_proj)",
           _P + r"layers\.\d+)\.mlp\.up_proj\.weight$", r"{prefix}.mlp.down_proj.weight",
           gate=r"{prefix}.mlp.gate_proj.weight", model_types=("llama", "mistral", "qwen2", "qwen3", "gemma")),
    Family("opt", "OPT (fc1 / fc2)", _P + r"layers\.\d+)\.fc1\.weight$", r"{prefix}.fc2.weight",
           model_types=("opt",)),
    Family("bloom", "BLOOM (mlp.dense_h_to_4h / dense_4h_to_h)",
           _P + r"h\.\d+)\.mlp\.dense_h_to_4h\.weight$", r"{prefix}.mlp.dense_4h_to_h.weight",
           model_types=("bloom",)),
    Family("t5-gated", "T5 gated (DenseReluDense.wi_0 / wi_1 / wo)",
           _P + r"block\.\d+\.layer\.\d+)\.DenseReluDense\.wi_1\.weight$", r"{prefix}.DenseReluDense.wo.weight",
           gate=r"{prefix}.DenseReluDense.wi_0.weight", model_types=("t5", "mt5", "umt5")),
    Family("t5", "T5 (DenseReluDense.wi / wo)",
           _P + r"block\.\d+\.layer\.\d+)\.DenseReluDense\.wi\.weight$", r"{prefix}.DenseReluDense.wo.weight",
           model_types=("t5", "mt5")),
)
LOOKED_FOR = ("'*.layer.N.intermediate.dense.weight' + '*.layer.N.output.dense.weight' (BERT/RoBERTa/MiniLM/ViT)",
              "'*.h.N.mlp.c_fc.weight' + '*.h.N.mlp.c_proj.weight' (GPT-2)",
              "'*.layers.N.mlp.gate_proj/up_proj/down_proj.weight' (LLaMA/Mistral/Qwen)",
              "'*.layers.N.fc1.weight' + '*.layers.N.fc2.weight' (OPT)",
              "'*.h.N.mlp.dense_h_to_4h.weight' + '*.h.N.mlp.dense_4h_to_h.weight' (BLOOM)",
              "'*.block.N.layer.M.DenseReluDense.wi[_0/_1]/wo.weight' (T5)")
_NORM = re.compile(r"(norm|ln_\d|ln_f|layer_norm|LayerNorm)", re.IGNORECASE)


@dataclass
class MLPBlock:
    """One MLP block: W_up (n, d), W_down (d, n), optionally the gate (n, d). Shapes are the logical ones."""
    index: int
    name: str
    up: TensorInfo
    down: TensorInfo
    gate: TensorInfo = None
    conv1d: bool = False
    biases: list = field(default_factory=list)

    @property
    def d(self) -> int:
        return self.up.shape[0] if self.conv1d else self.up.shape[1]

    @property
    def n(self) -> int:
        return self.up.shape[1] if self.conv1d else self.up.shape[0]

    up_bias: TensorInfo = None    # set by the family's bias detection; None: the block is read bias-free
    down_bias: TensorInfo = None
    root: Path = None             # the checkpoint as given (directory or file), for the certificate's provenance

    def read(self):
        """An indexset Block: W_up (n, d), W_down (d, n) as contiguous float64 (unpacks as that pair), the biases
        when set, the storage dtype and the certificate's "weights" provenance (sha256 of each file read)."""
        from indexset.trusted import Block
        from indexset.inputs import UNIT_ROUNDOFF, storage_dtype
        w_up, w_down = read_tensor(self.up), read_tensor(self.down)
        if self.conv1d:
            w_up, w_down = np.ascontiguousarray(w_up.T), np.ascontiguousarray(w_down.T)
        up_bias = read_tensor(self.up_bias).reshape(-1) if self.up_bias is not None else None
        down_bias = read_tensor(self.down_bias).reshape(-1) if self.down_bias is not None else None
        stores = [t for t in (storage_dtype(self.up.dtype), storage_dtype(self.down.dtype)) if t is not None]
        store = max(stores, key=lambda t: UNIT_ROUNDOFF[t]) if stores else None
        return Block(w_up, w_down, up_bias, down_bias, store, self.provenance())

    def core(self) -> "MLPBlock":
        """The same block read bias-free: the paper's core x + W_down sigma(W_up x) (`absorb certify --core`)."""
        from dataclasses import replace
        return replace(self, up_bias=None, down_bias=None)

    def provenance(self) -> dict:
        """The certificate's "weights" dict: root, {file relative to root: sha256}, keys and layouts."""
        root = Path(self.root if self.root is not None else self.up.file).resolve()

        def rel(info):
            f = info.file.resolve()
            return "" if f == root else str(f.relative_to(root) if root.is_dir() else f.name)
        infos = [i for i in (self.up, self.down, self.up_bias, self.down_bias) if i is not None]
        files = {rel(i): _sha256(i.file) for i in infos}
        return {"root": str(root), "files": files,
                "up": {"file": rel(self.up), "key": self.up.name, "layout": "dn" if self.conv1d else "nd"},
                "down": {"file": rel(self.down), "key": self.down.name, "layout": "nd" if self.conv1d else "dn"},
                "up_bias": None if self.up_bias is None else {"file": rel(self.up_bias), "key": self.up_bias.name},
                "down_bias": None if self.down_bias is None else {"file": rel(self.down_bias),
                                                                  "key": self.down_bias.name},
                "layer": self.name}


_HASHES = {}


def _sha256(path: Path) -> str:
    """sha256 of a file, cached per (path, size, mtime): a checkpoint's blocks share their shards."""
    import hashlib
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _HASHES:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        _HASHES[key] = h.hexdigest()
    return _HASHES[key]


@dataclass
class Checkpoint:
    source: Path
    config: dict
    tensors: dict  # name -> TensorInfo (across shards)
    config_path: Path = None
    notes: list = field(default_factory=list)  # what was chosen when the layout allowed two readings

    def names(self):
        return sorted(self.tensors)


def _read_config(path: Path) -> dict:
    if not path.is_file():
        raise InputError(f"{path}: not a regular file")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    config = parse_json(text, str(path))
    if not isinstance(config, dict):
        raise InputError(f"{path}: config must be a JSON object")
    return config


def _sharded(directory: Path, index_path: Path) -> dict:
    index = _read_config(index_path)
    weight_map = index.get("weight_map")
    if not isinstance(weight_map, dict) or not weight_map:
        raise InputError(f"{index_path.name}: no 'weight_map' object naming the shards")
    bad = next((v for v in weight_map.values() if not isinstance(v, str)), None)
    if bad is not None:
        raise InputError(f"{index_path.name}: weight_map values must be shard file names (strings), got {bad!r}")
    tensors = {}
    for shard in sorted(set(weight_map.values())):
        if Path(shard).name != shard:
            raise InputError(f"{index_path.name}: shard name {shard!r} must be a plain file name")
        shard_path = _inside(directory, directory / shard, f"{index_path.name} names shard {shard!r}, which")
        header = read_safetensors_header(shard_path)
        twice = sorted(set(header) & set(tensors))
        if twice:
            raise InputError(f"{index_path.name}: tensor {twice[0]!r} is stored in two shards")
        tensors.update(header)
    missing = sorted(k for k in weight_map if k not in tensors)
    if missing:
        raise InputError(f"{index_path.name} maps tensor {missing[0]!r} to a shard that does not contain it "
                         f"({len(missing)} missing)")
    return tensors


def _inside(directory: Path, path: Path, what: str) -> Path:
    """`path` as a regular file that resolves inside `directory`: a symlink leaving the checkpoint (to /etc, to
    another model) is refused rather than followed."""
    if not path.is_file():
        raise InputError(f"{what} is missing from {directory} (or is not a regular file)")
    if not path.resolve().is_relative_to(directory.resolve()):
        raise InputError(f"{what} is a link that leaves the checkpoint directory {directory}")
    return path


def open_checkpoint(path) -> Checkpoint:
    """A Hugging Face directory (config.json + model.safetensors or shards + model.safetensors.index.json) or a
    single .safetensors file (config.json beside it is used when present). Only headers are read here."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"checkpoint {str(path)!r} does not exist")
    if path.is_dir():
        config_path = path / "config.json"
        if not config_path.is_file():
            raise InputError(f"{path}: no config.json (a Hugging Face checkpoint directory needs it for the "
                             f"activation; or give a single .safetensors file with --activation)")
        config = _read_config(config_path)
        index_path, single = path / "model.safetensors.index.json", path / "model.safetensors"
        notes = []
        if index_path.is_file():
            tensors = _sharded(path, index_path)
            if single.exists():
                notes.append("the directory holds both model.safetensors.index.json and model.safetensors; the "
                             "sharded checkpoint named by the index was read")
        elif single.exists():
            tensors = read_safetensors_header(_inside(path, single, "model.safetensors"))
        else:
            raise InputError(f"{path}: neither model.safetensors nor model.safetensors.index.json found")
        return Checkpoint(path, config, tensors, config_path, notes)
    if path.suffix.lower() != ".safetensors":
        raise InputError(f"checkpoint {str(path)!r} must be a directory or a .safetensors file")
    if not path.is_file():
        raise InputError(f"checkpoint {str(path)!r} is not a regular file")
    config_path = path.with_name("config.json")
    config = _read_config(config_path) if config_path.is_file() else {}
    return Checkpoint(path, config, read_safetensors_header(path), config_path if config else None)


def _layer_key(prefix: str):
    """Natural order: 'encoder.block.2' before 'encoder.block.10', encoder before decoder."""
    return [(0, int(p), "") if p.isdigit() else (1 if p == "decoder" else 0, 0, p) for p in prefix.split(".")]


def detect_family(ckpt: Checkpoint):
    """(Family, [MLPBlock ...] in layer order). Several families matching means ambiguity: the config's
    model_type decides; none matching is an InputError listing what was looked for."""
    names = ckpt.names()
    matches = []
    for fam in FAMILIES:
        ups = {m.group("prefix"): m.group(0) for m in (re.match(fam.up, k) for k in names) if m}
        ups = {p: k for p, k in ups.items() if fam.down.format(prefix=p) in ckpt.tensors
               and (fam.gate is None or fam.gate.format(prefix=p) in ckpt.tensors)}
        if ups:
            matches.append((fam, ups))
    if not matches:
        raise InputError(f"{ckpt.source.name}: no MLP blocks of a known layout found among {len(names)} tensors; "
                         f"looked for {'; '.join(LOOKED_FOR)}")
    model_type = str(ckpt.config.get("model_type", "")).lower()
    preferred = [m for m in matches if model_type in m[0].model_types]
    if preferred:
        matches = preferred
    elif model_type == "" or len({tuple(sorted(p)) for _, p in matches}) == 1:
        matches = matches[:1]  # same tensors under two labels (BERT/ViT): the first is the generic one
    if len(matches) > 1:
        labels = ", ".join(m[0].id for m in matches)
        raise InputError(f"{ckpt.source.name}: tensors match several layouts ({labels}); cannot tell which")
    fam, ups = matches[0]
    blocks = []
    for i, prefix in enumerate(sorted(ups, key=_layer_key)):
        up = ckpt.tensors[ups[prefix]]
        down = ckpt.tensors[fam.down.format(prefix=prefix)]
        gate = ckpt.tensors[fam.gate.format(prefix=prefix)] if fam.gate else None
        biases = [k for k in (_bias(up.name), _bias(down.name), _bias(gate.name) if gate else None)
                  if k and k in ckpt.tensors]
        block = MLPBlock(i, prefix, up, down, gate, fam.conv1d, biases, root=ckpt.source)
        if gate is None:  # ungated: read() carries beta and delta (a gated block's biases have no place in Block)
            block.up_bias = ckpt.tensors.get(_bias(up.name))
            block.down_bias = ckpt.tensors.get(_bias(down.name))
        _check_shapes(block)
        _check_config_width(block, ckpt.config)
        blocks.append(block)
    return fam, blocks


WIDTH_KEYS = ("hidden_size", "n_embd", "d_model", "dim")


def _check_config_width(block: MLPBlock, config: dict) -> None:
    """The model width d read from the tensors must be the config's: a GPT-2 c_fc stored untransposed (or any
    transposed pair) has the same two shapes swapped and would otherwise be certified as a different block."""
    for key in WIDTH_KEYS:
        value = config.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            if block.d != value:
                raise InputError(f"layer {block.name}: the tensors give model width d = {block.d} but config.json "
                                 f"{key} = {value} (weights stored transposed?)")
            return


def _bias(weight_name: str):
    return weight_name[: -len("weight")] + "bias" if weight_name.endswith(".weight") else None


def _check_shapes(block: MLPBlock) -> None:
    for t in (block.up, block.down, block.gate):
        if t is not None and len(t.shape) != 2:
            raise InputError(f"layer {block.name}: tensor {t.name!r} must be 2-D, got shape {list(t.shape)}")
    up_shape = block.up.shape[::-1] if block.conv1d else block.up.shape  # logical (n, d)
    down_shape = block.down.shape[::-1] if block.conv1d else block.down.shape  # logical (d, n)
    n, d = up_shape
    if tuple(down_shape) != (d, n):
        raise InputError(f"layer {block.name}: shape mismatch: W_up {block.up.name} is (n, d) = {tuple(up_shape)}, "
                         f"so W_down {block.down.name} must be {(d, n)}, got {tuple(down_shape)}")
    if block.gate is not None and tuple(block.gate.shape) != tuple(block.up.shape):
        raise InputError(f"layer {block.name}: shape mismatch: gate {block.gate.name} is {list(block.gate.shape)}, "
                         f"up {block.up.name} is {list(block.up.shape)}")
    if n == 0 or d == 0:
        raise InputError(f"layer {block.name}: empty weights (d = {d}, n = {n})")
    for bias, length in ((block.up_bias, n), (block.down_bias, d)):
        if bias is not None and tuple(bias.shape) != (length,):
            raise InputError(f"layer {block.name}: bias {bias.name!r} must have shape ({length},), got "
                             f"{list(bias.shape)}")


def has_norms(ckpt: Checkpoint) -> bool:
    return any(_NORM.search(k) for k in ckpt.tensors)


def parse_layers(text: str, count: int) -> list:
    """'0,3-5' -> [0, 3, 4, 5] (0-based, sorted, unique), each < count."""
    chosen = set()
    for part in str(text).split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d{1,9})(?:-(\d{1,9}))?", part)
        if not m:
            raise InputError(f"--layers: expected comma-separated indices or ranges like 0,3-5, got {part!r}")
        lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
        if hi < lo:
            raise InputError(f"--layers: range {part!r} is empty (end before start)")
        if hi >= count:
            raise InputError(f"--layers: layer {hi} does not exist (the checkpoint has {count} MLP blocks, "
                             f"0-{count - 1})")
        chosen.update(range(lo, hi + 1))
    return sorted(chosen)
