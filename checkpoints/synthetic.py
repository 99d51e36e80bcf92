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


# ------------------------------------------------------------------------------------------------------------------
# Real block layouts with biases and norms (theorems prenorm-impossible and postnorm-projected)
# ------------------------------------------------------------------------------------------------------------------
def gpt2_tensors(i: int, d: int, n: int) -> list:
    """[(name, role, stored shape)] of GPT-2 block i as Hugging Face stores it: ln_1, attention (Conv1D), ln_2, MLP
    (Conv1D, stored (in, out)) and all their biases. Roles: norm, attn, up, up_bias, down, down_bias."""
    p = f"h.{i}"
    return [(f"{p}.ln_1.weight", "norm", (d,)), (f"{p}.ln_1.bias", "norm", (d,)),
            (f"{p}.attn.c_attn.weight", "attn", (d, 3 * d)), (f"{p}.attn.c_attn.bias", "attn", (3 * d,)),
            (f"{p}.attn.c_proj.weight", "attn", (d, d)), (f"{p}.attn.c_proj.bias", "attn", (d,)),
            (f"{p}.ln_2.weight", "norm", (d,)), (f"{p}.ln_2.bias", "norm", (d,)),
            (f"{p}.mlp.c_fc.weight", "up", (d, n)), (f"{p}.mlp.c_fc.bias", "up_bias", (n,)),
            (f"{p}.mlp.c_proj.weight", "down", (n, d)), (f"{p}.mlp.c_proj.bias", "down_bias", (d,))]


def write_gpt2_checkpoint(directory, d: int = 8, n: int = 32, layers: int = 3, seed: int = 0,
                          mlp_fill=None, dtype: str = "F32") -> Path:
    """A GPT-2-layout checkpoint (pre-LN blocks x + MLP(ln_2(x)) with biases), with wte/wpe/ln_f. mlp_fill(name,
    shape) -> array replaces the MLP tensors' values (e.g. NaN garbage: a pre-norm verdict must not read them)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    specs = [("wte.weight", dtype, (50, d)), ("wpe.weight", dtype, (16, d))]
    roles = {}
    for i in range(layers):
        for name, role, shape in gpt2_tensors(i, d, n):
            specs.append((name, dtype, shape))
            roles[name] = role
    specs += [("ln_f.weight", dtype, (d,)), ("ln_f.bias", dtype, (d,))]

    def fill(name, shape):
        if mlp_fill is not None and roles.get(name, "").startswith(("up", "down")):
            return mlp_fill(name, shape)
        if name.endswith(("ln_1.weight", "ln_2.weight", "ln_f.weight")):
            return 1.0 + 0.1 * rng.standard_normal(shape)
        return rng.standard_normal(shape) / np.sqrt(shape[0])

    cfg = {"model_type": "gpt2", "activation_function": "gelu_new", "n_embd": d, "n_inner": n, "n_layer": layers,
           "layer_norm_epsilon": 1e-5}
    (directory / "config.json").write_text(json.dumps(cfg, indent=2))
    write_safetensors(directory / "model.safetensors", specs, fill)
    return directory


def bert_block_tensors(i: int, d: int, n: int) -> list:
    """[(name, role, shape)] of a BERT encoder layer with every bias and both LayerNorms (post-LN)."""
    p = f"encoder.layer.{i}"
    out = []
    for r in ("query", "key", "value"):
        out += [(f"{p}.attention.self.{r}.weight", "attn", (d, d)), (f"{p}.attention.self.{r}.bias", "attn", (d,))]
    out += [(f"{p}.attention.output.dense.weight", "attn", (d, d)), (f"{p}.attention.output.dense.bias", "attn", (d,)),
            (f"{p}.attention.output.LayerNorm.weight", "gain", (d,)),
            (f"{p}.attention.output.LayerNorm.bias", "attn", (d,)),
            (f"{p}.intermediate.dense.weight", "up", (n, d)), (f"{p}.intermediate.dense.bias", "up_bias", (n,)),
            (f"{p}.output.dense.weight", "down", (d, n)), (f"{p}.output.dense.bias", "down_bias", (d,)),
            (f"{p}.output.LayerNorm.weight", "gain", (d,)), (f"{p}.output.LayerNorm.bias", "ln_bias", (d,))]
    return out


def planted_projected_layer(d: int, n: int, subset, rng) -> tuple:
    """(W_up (n, d), W_down (d, n), v): sum_{i in S} a_i b_i^T = -I + 1 v^T with v != 0, so the projected index
    condition P(I + sum_S a_i b_i^T) = 0 holds (c = 1) while the index condition itself fails on S (residual 1 v^T)
    and, generically, on every other subset. |S| = d."""
    subset = list(subset)
    if len(subset) != d:
        raise ValueError("plant |S| = d neurons")
    w_up = rng.standard_normal((n, d))
    w_down = rng.standard_normal((d, n)) / np.sqrt(n)
    v = 0.5 + rng.random(d)
    w_down[:, subset] = (-np.eye(d) + np.outer(np.ones(d), v)) @ np.linalg.inv(w_up[subset, :])
    return w_up, w_down, v


def write_postln_checkpoint(directory, d: int = 4, n: int = 8, layers: int = 3, seed: int = 0, planted_layer=1,
                            subset=None, activation: str = "relu", dtype: str = "F64") -> Path:
    """A BERT-layout post-LN checkpoint (LN(x + W_down sigma(W_up x + beta) + delta), eps = 1e-12) with biases and
    nonzero LayerNorm gains. Layer `planted_layer` (None: none) carries a planted projected index set (S =
    `subset`, default the first d neurons) and no plain index set; the others are random. Writes planted.json with
    the subset and v of the plant (for tests)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    subset = list(range(d)) if subset is None else list(subset)
    plant = {}
    if planted_layer is not None:
        w_up, w_down, v = planted_projected_layer(d, n, subset, rng)
        p = f"encoder.layer.{planted_layer}"
        plant = {f"{p}.intermediate.dense.weight": w_up, f"{p}.output.dense.weight": w_down}
        (directory / "planted.json").write_text(json.dumps({"layer": planted_layer, "subset": subset,
                                                            "v": [float(x) for x in v]}))
    specs = [(name, dtype, shape) for i in range(layers) for name, _, shape in bert_block_tensors(i, d, n)]

    def fill(name, shape):
        if name in plant:
            return plant[name]
        if name.endswith("LayerNorm.weight"):
            return 1.0 + 0.1 * rng.standard_normal(shape)
        return rng.standard_normal(shape) / np.sqrt(shape[-1])

    cfg = {"model_type": "bert", "hidden_act": activation, "hidden_size": d, "intermediate_size": n,
           "num_hidden_layers": layers, "layer_norm_eps": 1e-12}
    (directory / "config.json").write_text(json.dumps(cfg, indent=2))
    write_safetensors(directory / "model.safetensors", specs, fill)
    return directory
