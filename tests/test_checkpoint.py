"""`absorb certify` on whole checkpoints: tiny checkpoints of every family written here (nothing downloaded),
a sharded one, fp16/bf16 widening, --layers/--activation, the scope statement, and every bad checkpoint
(one-line error, exit 2, no traceback)."""
import json
import os
import struct
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from indexset.result import result_json
from checkpoints import reader as ck
from indexset.decide import decide
from checkpoints.synthetic import CONFIGS, layer_tensors, write_checkpoint, write_safetensors
from symbolic.errors import InputError

ABSORB = str(Path(sys.executable).with_name("absorb"))
D, N, LAYERS = 4, 12, 3
EXPECTED = {  # family -> (activation, verdict)
    "bert": ("gelu", "conditional"), "vit": ("gelu", "conditional"), "gpt2": ("gelu_tanh", "conditional"),
    "llama": ("swiglu", "impossible"), "opt": ("relu", "conditional"), "t5": ("relu", "conditional"),
    "t5-gated": ("geglu", "impossible")}


def certify_json(capsys, *argv):
    from absorb.cli import main
    code = main(["certify", *map(str, argv), "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def certify_error(capsys, *argv):
    from absorb.cli import main
    code = main(["certify", *map(str, argv)])
    captured = capsys.readouterr()
    assert code == 2, (captured.out, captured.err)
    assert captured.err.startswith("absorb: error:") and captured.err.count("\n") == 1, captured.err
    assert captured.out == ""
    return captured.err


@pytest.fixture(scope="module")
def ckpts(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ckpt")
    for family in CONFIGS:
        write_checkpoint(tmp / family, family, d=D, n=N, layers=LAYERS, seed=1)
    return tmp


@pytest.mark.parametrize("family", sorted(CONFIGS))
def test_every_family_is_detected_and_certified(ckpts, capsys, family):
    out = certify_json(capsys, ckpts / family, "--core")  # the bias-free core, as the paper poses it
    activation, verdict = EXPECTED[family]
    assert (out["family"], out["activation"], out["verdict"]) == (family, activation, verdict)
    assert [(r["d"], r["n"]) for r in out["layers"]] == [(D, N)] * LAYERS
    if verdict == "impossible":  # verdict and theorem, no numerics
        assert out["theorems"] and all("index_set_exists" not in r for r in out["layers"])
        return
    # each layer's answer equals decide() on tensors read independently (safetensors' own reader)
    from safetensors.numpy import load_file
    raw = load_file(str(ckpts / family / "model.safetensors"))
    up_names = [n for n, role, _ in (t for i in range(LAYERS) for t in layer_tensors(family, i, D, N)) if role == "up"]
    down_names = [n for n, role, _ in (t for i in range(LAYERS) for t in layer_tensors(family, i, D, N))
                  if role == "down"]
    for row, up, down in zip(out["layers"], up_names, down_names):
        w_up, w_down = raw[up].astype(np.float64), raw[down].astype(np.float64)
        if family == "gpt2":  # Conv1D: stored (in, out)
            w_up, w_down = w_up.T, w_down.T
        ref = result_json(decide(w_up, w_down, c=Fraction(out["c"])))
        assert row["index_set_exists"] == ref["index_set_exists"]
        assert row["distance_lower_bound"] == pytest.approx(ref["distance_lower_bound"], rel=1e-9)


def test_gpt2_conv1d_is_transposed(tmp_path):
    """d != n so a missing transpose would be a shape error or a different (d, n)."""
    write_checkpoint(tmp_path, "gpt2", d=3, n=7, layers=2)
    _, blocks = ck.detect_family(ck.open_checkpoint(tmp_path))
    w_up, w_down = blocks[0].read()
    assert w_up.shape == (7, 3) and w_down.shape == (3, 7) and (blocks[0].d, blocks[0].n) == (3, 7)


def test_planted_layer_is_found_and_others_refuted(tmp_path, capsys):
    rng = np.random.default_rng(5)
    w_up = rng.standard_normal((N, D))
    w_down = rng.standard_normal((D, N))
    subset = [1, 4, 6, 9]
    w_down[:, subset] = -np.linalg.pinv(w_up[subset, :])  # c = 1 (ReLU): sum_S a_i b_i^T = -I
    write_checkpoint(tmp_path, "opt", d=D, n=N, layers=3, dtype="F64", overrides={
        "model.decoder.layers.1.fc1.weight": w_up, "model.decoder.layers.1.fc2.weight": w_down})
    out = certify_json(capsys, tmp_path, "--core")
    assert [r["index_set_exists"] for r in out["layers"]] == [False, True, False]
    assert out["layers"][1]["subset"] == subset


def test_sharded_equals_single_file(tmp_path, capsys):
    rng = np.random.default_rng(2)
    values = {name: rng.standard_normal(shape) for i in range(4) for name, _, shape in layer_tensors("bert", i, D, N)}
    write_checkpoint(tmp_path / "single", "bert", d=D, n=N, layers=4, overrides=values)
    write_checkpoint(tmp_path / "sharded", "bert", d=D, n=N, layers=4, overrides=values, shards=3)
    assert (tmp_path / "sharded" / "model.safetensors.index.json").is_file()
    assert not (tmp_path / "sharded" / "model.safetensors").exists()
    single, sharded = certify_json(capsys, tmp_path / "single"), certify_json(capsys, tmp_path / "sharded")
    def strip(obj):  # the provenance names different files (one vs three shards); the answers agree
        if isinstance(obj, dict):
            return {k: None if k == "weights" else strip(v) for k, v in obj.items() if k != "elapsed_s"}
        return [strip(v) for v in obj] if isinstance(obj, list) else obj
    assert strip(single["layers"]) == strip(sharded["layers"])


@pytest.mark.parametrize("dtype", ["F16", "BF16", "F32"])
def test_half_precision_is_widened_exactly(tmp_path, dtype):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((5, 7)).astype(np.float32)
    write_safetensors(tmp_path / "t.safetensors", [("x", dtype, x.shape)], lambda name, shape: x)
    got = ck.read_tensor(ck.read_safetensors_header(tmp_path / "t.safetensors")["x"])
    if dtype == "F16":
        want = x.astype(np.float16).astype(np.float64)
    elif dtype == "BF16":  # the writer truncates float32 to its upper 16 bits
        want = (x.view(np.uint32) & np.uint32(0xFFFF0000)).view(np.float32).astype(np.float64)
    else:
        want = x.astype(np.float64)
    assert got.dtype == np.float64 and np.array_equal(got, want)


def test_layers_selection_and_activation_override(ckpts, capsys):
    out = certify_json(capsys, ckpts / "bert", "--layers", "0,2")
    assert [r["name"] for r in out["layers"]] == ["encoder.layer.0", "encoder.layer.2"]
    out = certify_json(capsys, ckpts / "bert", "--layers", "1-2", "--activation", "relu")
    assert out["activation"] == "relu" and len(out["layers"]) == 2
    assert out["activation_source"] == "--activation"
    # a gated family maps an ungated sigma onto its gated registry entry
    out = certify_json(capsys, ckpts / "llama", "--activation", "relu")
    assert out["activation"] == "reglu" and out["verdict"] == "impossible"


def test_impossible_verdict_reads_no_weights(ckpts, capsys, monkeypatch):
    def boom(*a, **k):
        raise AssertionError("weights were read for an impossible verdict")
    monkeypatch.setattr(ck, "read_tensor", boom)
    out = certify_json(capsys, ckpts / "llama")
    assert out["verdict"] == "impossible" and "flat" in out["theorems"]


def test_scope_statement_only_with_biases_or_norms(ckpts, capsys):
    assert "bias-free core" in certify_json(capsys, ckpts / "bert", "--core")["scope"]
    assert "MLP biases" in certify_json(capsys, ckpts / "opt", "--core")["scope"]
    assert certify_json(capsys, ckpts / "t5", "--core")["scope"] is None


def test_human_output_has_table_family_and_summary(ckpts, capsys):
    from absorb.cli import main
    assert main(["certify", str(ckpts / "gpt2"), "--core"]) == 0
    out = capsys.readouterr().out
    assert "family: GPT-2" in out and "dist >=" in out and "seconds" in out
    assert out.rstrip().splitlines()[-1].startswith(f"{LAYERS} layer(s):")


def test_single_safetensors_checkpoint_needs_activation(tmp_path, capsys):
    write_checkpoint(tmp_path / "d", "opt", d=D, n=N, layers=2)
    lone = tmp_path / "lone.safetensors"
    lone.write_bytes((tmp_path / "d" / "model.safetensors").read_bytes())
    assert "--activation" in certify_error(capsys, lone)
    out = certify_json(capsys, lone, "--activation", "relu")
    assert out["family"] == "opt" and len(out["layers"]) == 2


def _truncate(path: Path, nbytes: int) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:-nbytes])


def _rewrite_header(path: Path, edit) -> None:
    data = path.read_bytes()
    size = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + size])
    edit(header)
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + data[8 + size:])


def _bad(tmp_path, kind):
    root = tmp_path / kind
    shards = 2 if kind in ("missing-shard", "shard-outside") else 1
    overrides = {"encoder.layer.1.output.dense.weight": np.ones((D, N + 1))} if kind == "shapes" else None
    write_checkpoint(root, "bert", d=D, n=N, layers=2, shards=shards, overrides=overrides)
    st = root / "model.safetensors"
    if kind == "no-config":
        (root / "config.json").unlink()
    elif kind == "bad-config":
        (root / "config.json").write_text("{not json")
    elif kind == "truncated":
        _truncate(st, 20)
    elif kind == "header-too-long":
        data = st.read_bytes()
        st.write_bytes(struct.pack("<Q", len(data) * 2) + data[8:])
    elif kind == "offsets-past-end":
        def edit(h):
            name = "encoder.layer.0.intermediate.dense.weight"
            start, end = h[name]["data_offsets"]
            h[name]["data_offsets"] = [start + 10 ** 9, end + 10 ** 9]
        _rewrite_header(st, edit)
    elif kind == "missing-shard":
        next(root.glob("model-00002-*.safetensors")).unlink()
    elif kind == "shard-outside":
        index = root / "model.safetensors.index.json"
        data = json.loads(index.read_text())
        data["weight_map"] = {k: "../evil.safetensors" for k in data["weight_map"]}
        index.write_text(json.dumps(data))
    elif kind == "unknown-layout":
        st.unlink()
        write_safetensors(st, [("foo.bar.weight", "F32", (3, 3))], lambda name, shape: np.ones(shape))
    elif kind == "no-weights":
        st.unlink()
    elif kind == "no-activation":
        (root / "config.json").write_text(json.dumps({"model_type": "bert"}))
    elif kind == "unknown-activation":
        (root / "config.json").write_text(json.dumps({"model_type": "bert", "hidden_act": "relu6"}))
    return root


@pytest.mark.parametrize("kind,needle", [
    ("no-config", "no config.json"), ("bad-config", "not valid JSON"), ("shapes", "shape mismatch"),
    ("truncated", "truncated"), ("header-too-long", "header claims"), ("offsets-past-end", "truncated"),
    ("missing-shard", "missing"), ("shard-outside", "plain file name"), ("unknown-layout", "looked for"), ("no-weights", "model.safetensors"),
    ("no-activation", "--activation"), ("unknown-activation", "relu6"),
])
def test_bad_checkpoints_are_one_line_exit_2(tmp_path, capsys, kind, needle):
    assert needle in certify_error(capsys, _bad(tmp_path, kind))


@pytest.mark.parametrize("extra,needle", [
    (["--layers", "7"], "does not exist"), (["--layers", "1-0"], "empty"), (["--layers", "x"], "--layers"),
    (["--activation", "nope"], "unknown activation"), (["--activation", "swiglu"], "gated"),
    (["--up", "a"], "--up/--down"), (["--c", "2"], "registry's c"),
])
def test_bad_options_are_one_line_exit_2(ckpts, capsys, extra, needle):
    assert needle in certify_error(capsys, ckpts / "bert", *extra)


def test_no_traceback_from_the_real_command(tmp_path):
    env = dict(os.environ, ABSORB_PROGRESS="0")
    r = subprocess.run([ABSORB, "certify", str(_bad(tmp_path, "truncated"))], capture_output=True, text=True,
                       env=env, timeout=120)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_parse_layers():
    assert ck.parse_layers("0,3-5, 2", 6) == [0, 2, 3, 4, 5]
    with pytest.raises(InputError):
        ck.parse_layers("", 3)


def test_only_the_selected_layers_tensors_are_read(ckpts, capsys, monkeypatch):
    """One layer at a time: --layers 1 reads exactly W_up and W_down of layer 1 and nothing else."""
    read = []
    original = ck.read_tensor

    def spy(info):
        read.append(info.name)
        return original(info)
    monkeypatch.setattr(ck, "read_tensor", spy)
    certify_json(capsys, ckpts / "bert", "--layers", "1", "--core")
    assert read[-2:] == ["encoder.layer.1.intermediate.dense.weight", "encoder.layer.1.output.dense.weight"]
    assert all(name.startswith("encoder.layer.1.") for name in read)  # the block verdict reads its norm and biases


def test_trained_layer_records_follow_contract_c3(tmp_path):
    """montecarlo.trained on a synthetic six-layer BERT (no download): every field of contract C3."""
    from montecarlo import trained
    write_checkpoint(tmp_path, "bert", d=6, n=16, layers=6)
    res = trained.certify_minilm(tmp_path)
    assert (res["status"], res["family"], res["activation"], res["verdict"]) == ("checked", "bert", "gelu",
                                                                                 "conditional")
    assert len(res["layers"]) == 6
    for row in res["layers"]:
        assert {"name", "d", "n", "r_ls", "r_ls_over_sqrt_d", "distance_lower_bound", "evidence",
                "certificate_verified", "index_set_exists", "elapsed_s", "gaussian"} <= set(row)
        assert row["r_ls_over_sqrt_d"] == pytest.approx(row["r_ls"] / np.sqrt(6))
        g = row["gaussian"]
        assert {"r_ls", "r_ls_over_sqrt_d", "distance_lower_bound", "certificate_verified"} <= set(g)
        assert 0 < g["r_ls_over_sqrt_d"] <= 1 and row["evidence"]
