"""Tiny (or, for the benchmark, large) synthetic checkpoints in each family's naming convention, written by hand
so that tests download nothing and the benchmark never holds the file in memory: tensors are generated and written
one at a time, after a header computed from the shapes alone."""
import json
import struct
from pathlib import Path

import numpy as np

CONFIGS = {  # family -> (config.json fields, the activation key)
    "bert": {"model_type": "bert", "hidden_act": "gelu"},
    "vit": {"model_type": "vit", "hidden_act": "gelu"},
    "gpt2": {"model_type": "gpt2", "activation_function": "gelu_new"},
    "llama": {"model_type": "llama", "hidden_act": "silu"},
    "opt": {"model_type": "opt", "activation_function": "relu"},
    "t5": {"model_type": "t5", "feed_forward_proj": "relu"},
    "t5-gated": {"model_type": "t5", "feed_forward_proj": "gated-gelu"},
}


def layer_tensors(family: str, i: int, d: int, n: int) -> list:
    """[(name, logical role, stored shape)] of layer i: roles up/down/gate/bias/norm/Q/K/V/O."""
    if family in ("bert", "vit"):
        p = f"{'vit.' if family == 'vit' else ''}encoder.layer.{i}"
        return [(f"{p}.attention.self.query.weight", "Q", (d, d)), (f"{p}.attention.self.key.weight", "K", (d, d)),
                (f"{p}.attention.self.value.weight", "V", (d, d)), (f"{p}.attention.output.dense.weight", "O", (d, d)),
                (f"{p}.intermediate.dense.weight", "up", (n, d)), (f"{p}.intermediate.dense.bias", "bias", (n,)),
                (f"{p}.output.dense.weight", "down", (d, n)), (f"{p}.output.LayerNorm.weight", "norm", (d,))]
    if family == "gpt2":
        p = f"h.{i}"
        return [(f"{p}.attn.c_attn.weight", "QKV", (d, 3 * d)), (f"{p}.attn.c_proj.weight", "O", (d, d)),
                (f"{p}.mlp.c_fc.weight", "up", (d, n)), (f"{p}.mlp.c_proj.weight", "down", (n, d)),
                (f"{p}.ln_1.weight", "norm", (d,))]
    if family == "llama":
        p = f"model.layers.{i}"
        return [(f"{p}.self_attn.{r}_proj.weight", r.upper(), (d, d)) for r in "qkvo"] + [
            (f"{p}.mlp.gate_proj.weight", "gate", (n, d)), (f"{p}.mlp.up_proj.weight", "up", (n, d)),
            (f"{p}.mlp.down_proj.weight", "down", (d, n)), (f"{p}.input_layernorm.weight", "norm", (d,))]
    if family == "opt":
        p = f"model.decoder.layers.{i}"
        return [(f"{p}.self_attn.{r}_proj.weight", r.upper(), (d, d)) for r in "qkv"] + [
            (f"{p}.self_attn.out_proj.weight", "O", (d, d)), (f"{p}.fc1.weight", "up", (n, d)),
            (f"{p}.fc1.bias", "bias", (n,)), (f"{p}.fc2.weight", "down", (d, n))]
    if family in ("t5", "t5-gated"):
        p = f"encoder.block.{i}.layer"
        attn = [(f"{p}.0.SelfAttention.{r}.weight", r.upper(), (d, d)) for r in "qkvo"]
        if family == "t5":
            return attn + [(f"{p}.1.DenseReluDense.wi.weight", "up", (n, d)),
                           (f"{p}.1.DenseReluDense.wo.weight", "down", (d, n))]
        return attn + [(f"{p}.1.DenseReluDense.wi_0.weight", "gate", (n, d)),
                       (f"{p}.1.DenseReluDense.wi_1.weight", "up", (n, d)),
                       (f"{p}.1.DenseReluDense.wo.weight", "down", (d, n))]
    raise ValueError(f"unknown family {family!r}")


_DT = {"F64": ("<f8", 8), "F32": ("<f4", 4), "F16": ("<f2", 2), "BF16": (None, 2)}


def to_bytes(arr: np.ndarray, dtype: str) -> bytes:
    if dtype == "BF16":  # round-to-nearest-even is not needed for tests: truncate float32 to its upper half
        return (np.ascontiguousarray(arr, dtype=np.float32).view(np.uint32) >> 16).astype("<u2").tobytes()
    return np.ascontiguousarray(arr, dtype=_DT[dtype][0]).tobytes()


def write_safetensors(path, specs, fill) -> None:
    """specs: [(name, dtype, shape)]; fill(name, shape) -> array, called once per tensor in order."""
    header, offset = {}, 0
    for name, dtype, shape in specs:
        nbytes = int(np.prod(shape)) * _DT[dtype][1]
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    raw = json.dumps(header, sort_keys=True).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(raw)) + raw)
        for name, dtype, shape in specs:
            fh.write(to_bytes(fill(name, shape), dtype))


def write_checkpoint(directory, family: str, d: int = 4, n: int = 12, layers: int = 3, dtype: str = "F32",
                     seed: int = 0, shards: int = 1, overrides=None, config=None) -> Path:
    """A Hugging Face directory with config.json and model.safetensors (or `shards` files plus the index).
    overrides: {tensor name: array} replacing generated values (e.g. a planted layer)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    overrides = overrides or {}
    specs = [(name, dtype, tuple(np.shape(overrides[name])) if name in overrides else shape)
             for i in range(layers) for name, _, shape in layer_tensors(family, i, d, n)]

    def fill(name, shape):
        if name in overrides:
            return overrides[name]
        return rng.standard_normal(shape) / np.sqrt(shape[-1])

    cfg = dict(CONFIGS[family], hidden_size=d, intermediate_size=n, num_hidden_layers=layers)
    cfg.update(config or {})
    (directory / "config.json").write_text(json.dumps(cfg, indent=2))
    if shards == 1:
        write_safetensors(directory / "model.safetensors", specs, fill)
        return directory
    groups = [specs[k::shards] for k in range(shards)]
    weight_map = {}
    for k, group in enumerate(groups):
        shard = f"model-{k + 1:05d}-of-{shards:05d}.safetensors"
        write_safetensors(directory / shard, group, fill)
        weight_map.update({name: shard for name, _, _ in group})
    (directory / "model.safetensors.index.json").write_text(json.dumps({"metadata": {}, "weight_map": weight_map}))
    return directory
