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
        header = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        first = str(exc).splitlines()[0]
        raise InputError(f"cannot read {path}: safetensors header is not valid JSON ({first})") from None
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

    def read(self):
        """(W_up (n, d), W_down (d, n)) as contiguous float64; only these two tensors are read."""
        w_up, w_down = read_tensor(self.up), read_tensor(self.down)
        if self.conv1d:
            w_up, w_down = np.ascontiguousarray(w_up.T), np.ascontiguousarray(w_down.T)
        return w_up, w_down


@dataclass
class Checkpoint:
    source: Path
    config: dict
    tensors: dict  # name -> TensorInfo (across shards)
    config_path: Path = None

    def names(self):
        return sorted(self.tensors)


def _read_config(path: Path) -> dict:
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not valid JSON ({str(exc).splitlines()[0]})") from None
    if not isinstance(config, dict):
        raise InputError(f"{path}: config must be a JSON object")
    return config


def _sharded(directory: Path, index_path: Path) -> dict:
    index = _read_config(index_path)
    weight_map = index.get("weight_map")
    if not isinstance(weight_map, dict) or not weight_map:
        raise InputError(f"{index_path.name}: no 'weight_map' object naming the shards")
    tensors = {}
    for shard in sorted(set(weight_map.values())):
        if not isinstance(shard, str) or Path(shard).name != shard:
            raise InputError(f"{index_path.name}: shard name {shard!r} must be a plain file name")
        shard_path = directory / shard
        if not shard_path.is_file():
            raise InputError(f"{index_path.name} names shard {shard!r}, which is missing from {directory}")
        tensors.update(read_safetensors_header(shard_path))
    missing = sorted(k for k in weight_map if k not in tensors)
    if missing:
        raise InputError(f"{index_path.name} maps tensor {missing[0]!r} to a shard that does not contain it "
                         f"({len(missing)} missing)")
    return tensors


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
        if index_path.is_file():
            tensors = _sharded(path, index_path)
        elif single.is_file():
            tensors = read_safetensors_header(single)
        else:
            raise InputError(f"{path}: neither model.safetensors nor model.safetensors.index.json found")
        return Checkpoint(path, config, tensors, config_path)
    if path.suffix.lower() != ".safetensors":
        raise InputError(f"checkpoint {str(path)!r} must be a directory or a .safetensors file")
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
        block = MLPBlock(i, prefix, up, down, gate, fam.conv1d, biases)
        _check_shapes(block)
        blocks.append(block)
    return fam, blocks


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
