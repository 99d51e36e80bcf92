"""Block verdicts of checkpoints with biases and norms (checkpoints/norms.py): a GPT-2-layout checkpoint is answered
`impossible` by `prenorm-impossible` without reading its MLP weights; a post-LN ReLU checkpoint with biases has a
planted projected index set found (absorber checked) and its other layers refuted with the hypotheses checked; the
exact hypothesis checks; norm placement per family and config."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from checkpoints import reader as ck
from checkpoints.certify import certify_checkpoint
from checkpoints.norms import NormSpec, index_verdict, norm_spec
from indexset.hypotheses import check_hypotheses
from checkpoints.synthetic import (layer_tensors, write_checkpoint, write_gpt2_checkpoint, write_postln_checkpoint,
                                   write_safetensors)
from symbolic.activations import get_activation
from symbolic.classify import classify

ABSORB = str(Path(sys.executable).with_name("absorb"))


def cli_json(*argv):
    run = subprocess.run([ABSORB, "certify", *map(str, argv), "--json"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


# ------------------------------------------------------------------------------------------------ pre-norm
def test_gpt2_layout_is_impossible_without_reading_the_mlp(tmp_path):
    """MLP tensors full of NaN: reading any of them is an error, so an answer proves they were not read."""
    write_gpt2_checkpoint(tmp_path, d=8, n=32, layers=4, mlp_fill=lambda name, shape: np.full(shape, np.nan))
    out = cli_json(tmp_path)
    assert out["family"] == "gpt2" and out["norm"] == "pre" and out["question"] == "block"
    assert out["norm_detail"]["eps"] == 1e-5 and out["norm_detail"]["eps_source"] == "config.json layer_norm_epsilon"
    assert len(out["layers"]) == 4
    for row in out["layers"]:
        v = row["block_verdict"]
        assert v["answer"] == "impossible" and v["theorem"] == "prenorm-impossible" and v["weights_read"] is False
        assert all(h["holds"] is True for h in v["hypotheses"])
        assert "index_set_exists" not in row
    assert out["block_verdict"]["answer"] == "impossible"
    assert out["block_verdict"]["theorems"] == ["prenorm-impossible"]


def test_gpt2_block_verdict_reads_no_tensor_at_all(tmp_path, monkeypatch):
    write_gpt2_checkpoint(tmp_path, d=4, n=8, layers=2)

    def boom(info):
        raise AssertionError(f"{info.name} was read for a pre-norm verdict")
    monkeypatch.setattr(ck, "read_tensor", boom)
    out = certify_checkpoint(tmp_path, progress=False)
    assert out["block_verdict"]["answer"] == "impossible"


def test_core_still_reads_the_mlp_and_refuses_garbage(tmp_path):
    """--core asks the paper's bias-free question, which needs the weights: NaN is a one-line error, exit 2."""
    write_gpt2_checkpoint(tmp_path, d=4, n=8, layers=1, mlp_fill=lambda name, shape: np.full(shape, np.nan))
    run = subprocess.run([ABSORB, "certify", str(tmp_path), "--core", "--json"], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 2 and run.stderr.startswith("absorb: error:") and "NaN" in run.stderr
    assert run.stdout == ""


def test_core_answers_carry_the_block_verdict_too(tmp_path):
    write_gpt2_checkpoint(tmp_path, d=4, n=8, layers=2)
    out = cli_json(tmp_path, "--core")
    assert out["question"] == "core" and "bias-free core" in out["scope"]
    for row in out["layers"]:
        assert row["index_set_exists"] is False  # the core is decided ...
        assert row["block_verdict"]["answer"] == "impossible"  # ... and the real block is still answered


# ------------------------------------------------------------------------------------------------ post-norm
@pytest.fixture(scope="module")
def postln(tmp_path_factory):
    directory = tmp_path_factory.mktemp("postln")
    write_postln_checkpoint(directory, d=4, n=8, layers=3, planted_layer=1, subset=[1, 3, 4, 6], seed=7)
    return directory


def test_postln_planted_projected_index_set_is_found_and_absorbed(postln):
    out = cli_json(postln)
    plant = json.loads((postln / "planted.json").read_text())
    assert out["norm"] == "post" and out["norm_detail"]["eps"] == 1e-12
    v = out["layers"][1]["block_verdict"]
    assert v["answer"] == "absorbable" and v["subset"] == plant["subset"] == [1, 3, 4, 6]
    assert v["theorem"] == "postnorm-projected" and v["skip"] == "projected" and v["checked"]["ok"] is True
    assert v["certificate"]["skip"] == "projected" and v["certificate"]["evidence"]["kind"] == "existence"
    assert v["grade"] in ("exact", "storage_precision")
    check = v["absorber_check"]
    assert check["passed"] and check["measured_error"] < 1e-12 and check["compared"] == "LN(f) with LN(g)"
    for k in (0, 2):
        w = out["layers"][k]["block_verdict"]
        assert w["answer"] == "not_absorbable" and w["theorem_applies"] is True and w["checked"]["ok"] is True
        assert w["theorems"] == ["postnorm-projected", "relu-bias-characterization"]
        assert [h["holds"] for h in w["hypotheses"]] == [True] * len(w["hypotheses"])
        names = [h["name"] for h in w["hypotheses"]]
        assert {"G0b", "G-line-b", "eps > 0", "all LayerNorm gains nonzero"} <= set(names)
        assert set(w["theorem_needs"]) == {"G0b", "G-line-b", "eps > 0", "all LayerNorm gains nonzero"}
        # the certificate the checker accepted lists the biased hypotheses it re-decided
        assert {h["name"] for h in w["certificate"]["hypotheses"]} >= {"G0b", "G-line-b"}
        assert w["certificate"]["theorem"] == "postnorm-projected" and w["distance_lower_bound"] > 0
        # ... about the block with its biases (read by MLPBlock.read, hashed in the provenance)
        prov = w["certificate"]["weights"]
        assert prov["up_bias"]["key"] == f"encoder.layer.{k}.intermediate.dense.bias"
        assert prov["down_bias"]["key"] == f"encoder.layer.{k}.output.dense.bias"


def test_postln_plant_has_no_plain_index_set(postln):
    """The projected condition is strictly weaker: the bias-free core of the planted layer has no index set."""
    out = cli_json(postln, "--core", "--layers", "1")
    assert out["layers"][0]["index_set_exists"] is False
    assert out["layers"][0]["block_verdict"]["answer"] == "absorbable"


def test_postln_gelu_uses_class_bias_and_silu_rests_on_the_open_case(postln):
    gelu = cli_json(postln, "--activation", "gelu", "--layers", "0")["layers"][0]["block_verdict"]
    assert "class-bias" in gelu["theorems"] and "G-class-b" in gelu["theorem_needs"]
    assert gelu["answer"] == "not_absorbable" and gelu["theorem_applies"] is True and gelu["checked"]["ok"]
    silu = cli_json(postln, "--activation", "silu", "--layers", "0")["layers"][0]["block_verdict"]
    assert silu["answer"] == "no_index_set" and silu["theorem_applies"] is False
    assert "GELU only" in silu["rests_on"] and silu["checked"]["ok"] is True  # the no-index-set part is checked
    assert silu["certificate"]["theorem"] is None


def test_postln_broken_hypothesis_is_named(tmp_path):
    """Two neurons on one kink hyperplane ((b, beta) and (2b, 2beta)): (G-line-b) fails with the pair named and
    the theorem is not applied."""
    write_postln_checkpoint(tmp_path, d=4, n=8, layers=1, planted_layer=None, seed=3)
    from safetensors.numpy import load_file
    raw = load_file(str(tmp_path / "model.safetensors"))
    up, bias = raw["encoder.layer.0.intermediate.dense.weight"], raw["encoder.layer.0.intermediate.dense.bias"]
    up[5], bias[5] = 2 * up[2], 2 * bias[2]
    specs = [(k, "F64", raw[k].shape) for k in sorted(raw)]
    write_safetensors(tmp_path / "model.safetensors", specs, lambda name, shape: raw[name])
    v = cli_json(tmp_path)["layers"][0]["block_verdict"]
    line = next(h for h in v["hypotheses"] if h["name"] == "G-line-b")
    assert line["holds"] is False and line["witness"] == [2, 5]
    assert v["theorem_applies"] is False and v["answer"] == "no_index_set"


def test_postln_zero_gain_or_missing_gain_is_not_answered_as_proved(tmp_path):
    write_checkpoint(tmp_path / "nogain", "bert", d=4, n=8, layers=1, config={"layer_norm_eps": 1e-12})
    gain_name = "encoder.layer.0.output.LayerNorm.weight"
    zero = np.array([1.0, 0.0, 1.0, 1.0])
    write_checkpoint(tmp_path / "zero", "bert", d=4, n=8, layers=1, overrides={gain_name: zero})
    v = cli_json(tmp_path / "zero")["layers"][0]["block_verdict"]
    gains = next(h for h in v["hypotheses"] if "gains" in h["name"])
    assert gains["holds"] is False and "gain[1] = 0" in gains["witness"]
    assert v.get("theorem_applies") is not True and v["answer"] != "not_absorbable"
    assert v["checked"]["ok"] is True  # the MLP part is certified; the norm part is what fails
    assert any("nonzero gains" in note for note in v["notes"])


def test_postln_eps_zero_is_open_without_reading_the_mlp(tmp_path):
    write_checkpoint(tmp_path, "bert", d=4, n=8, layers=1, config={"layer_norm_eps": 0.0})
    v = cli_json(tmp_path)["layers"][0]["block_verdict"]
    assert v["answer"] == "open" and v["weights_read"] == "norm gains only"
    assert next(h for h in v["hypotheses"] if h["name"] == "eps > 0")["holds"] is False


# ------------------------------------------------------------------------------------------------ d = 1, no norm
def _opt_d1(tmp_path, beta):
    """An OPT-layout checkpoint with d = 1, n = 2: a = (1, 1), b = (1, 2), hidden biases beta."""
    names = layer_tensors("opt", 0, 1, 2)
    over = {"model.decoder.layers.0.fc1.weight": np.array([[1.0], [2.0]]),
            "model.decoder.layers.0.fc2.weight": np.array([[1.0, 1.0]]),
            "model.decoder.layers.0.fc1.bias": np.asarray(beta, dtype=np.float64)}
    write_checkpoint(tmp_path, "opt", d=1, n=2, layers=1, dtype="F64", overrides=over)
    assert {n for n, _, _ in names} >= set(over)
    ckpt = ck.open_checkpoint(tmp_path)
    _, blocks = ck.detect_family(ckpt)
    return ckpt, blocks[0]


def test_d1_biased_relu_block_follows_the_index_condition(tmp_path):
    """Distinct kink points (0 and -1/2): (G-line-b) holds and no index set means not absorbable
    (relu-bias-characterization, checked)."""
    ckpt, block = _opt_d1(tmp_path, [0.0, 1.0])
    act = get_activation("relu")
    norm = NormSpec("none", None, None, "", None, 0.0, "test: no norm")
    # the box relaxation gives an exact Farkas certificate here (every a_i b_i > 0, so sum_S a_i b_i != -1)
    v = index_verdict(ckpt, block, norm, act, classify(act), {"method": "box"})
    assert v["answer"] == "not_absorbable" and v["checked"]["ok"] is True and v["skip"] == "identity"
    assert next(h for h in v["hypotheses"] if h["name"] == "G-line-b")["holds"] is True
    assert v["theorem_applies"] is True and v["theorem"] == "relu-bias-characterization"


def test_d1_zero_bias_relu_block_is_the_counterexample(tmp_path):
    """Both kinks at 0 (zero bias tensor): the bias-free d = 1 block, absorbable by Counterexample 6.4; the
    zero-valued bias keeps the bias-free hypotheses (no G0b/G-line-b)."""
    ckpt, block = _opt_d1(tmp_path, [0.0, 0.0])
    act = get_activation("relu")
    norm = NormSpec("none", None, None, "", None, 0.0, "test: no norm")
    v = index_verdict(ckpt, block, norm, act, classify(act), {"method": "box"})
    assert v["answer"] == "absorbable" and v["certificate"]["theorem"] == "relu-d1-counterexample"
    assert v["checked"]["ok"] is True and "absorber_check" not in v
    assert {h["name"] for h in v["hypotheses"]} == {"G0", "G-line", "G-class", "d>=2"}


# ------------------------------------------------------------------------------------------------ hypotheses
def _hyps(w_up, beta, w_down=None, skip="identity"):
    w_down = np.ones((w_up.shape[1], w_up.shape[0])) if w_down is None else w_down
    return {h.name: h for h in check_hypotheses(w_up, w_down, beta, skip)}


def test_exact_line_and_class_checks_with_biases():
    """The biased hypotheses of indexset.hypotheses (the one implementation), on the cases the block verdicts meet."""
    b = np.array([[1.0, 3.0], [2.0, 6.0], [-1.0, -3.0], [0.1, 0.3]])
    zero2 = np.zeros(2)
    assert _hyps(b[[0, 1]], zero2)["G-line-b"].holds is False  # parallel: one line
    assert _hyps(b[[0, 1]], zero2)["G-class-b"].holds is True  # b and 2b are two classes
    assert _hyps(b[[0, 2]], zero2)["G-class-b"].holds is False  # b and -b are one class
    # 0.1 and 0.3 as stored are not exactly in ratio 1:3, so the stored rows are not parallel
    assert _hyps(b[[0, 3]], zero2)["G-line-b"].holds is True
    # the bias separates the kink hyperplanes
    assert _hyps(b[[0, 1]], np.array([0.0, 1.0]))["G-line-b"].holds is True
    assert _hyps(b[[0, 1]], np.array([1.0, 2.0]))["G-line-b"].holds is False


def test_g0b_projected_means_non_constant_columns():
    w_up = np.ones((2, 3))
    w_down = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])  # column 0 is a multiple of 1: P a_0 = 0
    assert _hyps(w_up, np.zeros(2), w_down)["G0b"].holds is True
    res = _hyps(w_up, np.zeros(2), w_down, skip="projected")["G0b"]
    assert res.holds is False and res.witness == (0,)


# ------------------------------------------------------------------------------------------------ placement
@pytest.mark.parametrize("family, config, placement, kind", [
    ("gpt2", {}, "pre", "layernorm"), ("vit", {}, "pre", "layernorm"),
    ("opt", {}, "pre", "layernorm"), ("opt", {"do_layer_norm_before": True}, "pre", "layernorm"),
    ("opt", {"do_layer_norm_before": False}, "post", "layernorm"),
    ("bert", {"layer_norm_eps": 1e-7}, "post", "layernorm"), ("llama", {"rms_norm_eps": 1e-5}, "pre", "rmsnorm"),
    ("t5", {}, "pre", "rmsnorm"), ("t5-gated", {}, "pre", "rmsnorm")])
def test_norm_placement_per_family_and_config(family, config, placement, kind):
    spec = norm_spec(family, config)
    assert (spec.placement, spec.kind) == (placement, kind)
    if "layer_norm_eps" in config:
        assert spec.eps == 1e-7 and "config.json" in spec.eps_source
    assert norm_spec("llama", {"model_type": "gemma"}).gain_offset == 1.0


def _t5_with_gain(tmp_path, gain):
    d, n = 4, 8
    specs = [(name, "F32", shape) for name, _, shape in layer_tensors("t5", 0, d, n)]
    specs.append(("encoder.block.0.layer.1.layer_norm.weight", "F32", (d,)))
    rng = np.random.default_rng(0)
    write_safetensors(tmp_path / "model.safetensors", specs,
                      lambda name, shape: gain if name.endswith("layer_norm.weight") else rng.standard_normal(shape))
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "t5", "feed_forward_proj": "relu"}))
    return tmp_path


def test_t5_rmsnorm_open_unless_a_gain_is_zero(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    v = cli_json(_t5_with_gain(tmp_path / "a", np.ones(4)))["layers"][0]["block_verdict"]
    assert v["answer"] == "open" and v["weights_read"] == "norm gains only"
    v = cli_json(_t5_with_gain(tmp_path / "b", np.array([1.0, 1.0, 0.0, 1.0])))["layers"][0]["block_verdict"]
    assert v["answer"] == "impossible" and v["theorem"] == "prenorm-impossible" and "gain[2]" in \
        v["hypotheses"][0]["witness"]


def test_llama_is_settled_by_flatness_without_reading(tmp_path, monkeypatch):
    write_checkpoint(tmp_path, "llama", d=4, n=8, layers=2)
    monkeypatch.setattr(ck, "read_tensor", lambda info: (_ for _ in ()).throw(AssertionError(info.name)))
    out = certify_checkpoint(tmp_path, progress=False)
    assert out["norm"] == "pre" and out["block_verdict"]["answer"] == "impossible"
    assert out["layers"][0]["block_verdict"]["theorem"] == "flat"


# ------------------------------------------------------------------------------------------------ MiniLM record
def test_trained_record_has_block_verdicts_with_their_scope(tmp_path):
    """montecarlo.trained on a synthetic six-layer post-LN GELU BERT with biases: each layer gets a block verdict
    under the projected condition, and the record says what is proved, what was checked on the weights, and what is
    outside the question."""
    from montecarlo import trained
    write_postln_checkpoint(tmp_path, d=6, n=16, layers=6, planted_layer=None, activation="gelu", seed=11)
    res = trained.certify_minilm(tmp_path)
    assert res["block"]["norm"] == "post" and res["block"]["answer"] == "not_absorbable"
    for row in res["layers"]:
        v = row["block_verdict"]
        assert v["theorem"] == "postnorm-projected" and "class-bias" in v["theorems"]
        assert v["theorem_applies"] is True and v["checked"]["ok"] is True and v["answer"] == "not_absorbable"
        assert "rounding_margin" not in v  # P is exact in the certificate (d = 6 is not a power of two)
    scope = res["block"]["scope"]
    assert any(p.startswith("postnorm-projected") for p in scope["proved"])
    assert any(p.startswith("class-bias") for p in scope["proved"])
    assert all(c["holds_in_every_layer"] for c in scope["checked_on_weights"])
    assert "attention" in " ".join(scope["not_covered"])
    assert "--core" in res["command"] and "--core" not in res["block_command"]
    # the certificates move to their own file; the record keeps their hashes
    import hashlib
    record, certs = trained.split_certificates(res)
    assert set(certs) == {row["name"] for row in res["layers"]}
    for row in record["layers"]:
        ref = row["block_verdict"]["certificate"]
        text = json.dumps(certs[row["name"]], sort_keys=True, separators=(",", ":"))
        assert ref["sha256_canonical_json"] == hashlib.sha256(text.encode()).hexdigest()
        assert ref["file"] == trained.BLOCK_CERTIFICATES and ref["evidence"] == "farkas"
    assert "sha256_canonical_json" not in json.dumps(res)  # the returned record itself is untouched


def test_bloom_layout_needs_no_activation_for_its_pre_norm_verdict(tmp_path):
    d, n = 4, 16
    specs = []
    for i in range(2):
        p = f"h.{i}"
        specs += [(f"{p}.post_attention_layernorm.weight", "F32", (d,)),
                  (f"{p}.mlp.dense_h_to_4h.weight", "F32", (n, d)), (f"{p}.mlp.dense_h_to_4h.bias", "F32", (n,)),
                  (f"{p}.mlp.dense_4h_to_h.weight", "F32", (d, n)), (f"{p}.mlp.dense_4h_to_h.bias", "F32", (d,))]
    write_safetensors(tmp_path / "model.safetensors", specs, lambda name, shape: np.ones(shape))
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bloom", "n_embed": d, "layer_norm_epsilon": 1e-5}))
    out = cli_json(tmp_path)
    assert out["family"] == "bloom" and out["activation"] is None and out["norm"] == "pre"
    assert [r["block_verdict"]["answer"] for r in out["layers"]] == ["impossible", "impossible"]
    run = subprocess.run([ABSORB, "certify", str(tmp_path), "--core"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 2 and "--activation" in run.stderr  # the core needs sigma


@pytest.mark.parametrize("activation", ["gelu", "silu", "softplus", "hardswish"])
def test_planted_projected_set_is_absorbed_for_every_odd_linear_activation(tmp_path, activation):
    """The 'if' direction needs no genericity: the biased sign flip absorbs through the norm for any odd-linear
    sigma (c = 1 here), checked numerically on the stored weights."""
    write_postln_checkpoint(tmp_path, d=4, n=8, layers=2, planted_layer=0, activation=activation, seed=4)
    v = certify_checkpoint(tmp_path, progress=False)["layers"][0]["block_verdict"]
    assert v["answer"] == "absorbable" and v["absorber_check"]["passed"]
    assert v["absorber_check"]["measured_error"] < 1e-12 and v["absorber_check"]["activation"] == activation


def test_postln_absorber_files_are_written_and_reproduce_the_block(postln, tmp_path):
    """--absorber DIR on a checkpoint: the absorbable layer's checked absorber is written as <layer>.safetensors,
    and LN(g(x)) read back from the file equals LN(f(x)) of the model's block; refuted layers get no file."""
    from safetensors.numpy import load_file

    from checkpoints.reader import detect_family, open_checkpoint, read_tensor
    out = cli_json(postln, "--absorber", str(tmp_path))
    v = out["layers"][1]["block_verdict"]
    path = tmp_path / (out["layers"][1]["name"].replace("/", "_") + ".safetensors")
    assert v["absorber_check"]["path"] == str(path) and path.is_file() and len(v["absorber_check"]["sha256"]) == 64
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    g = load_file(str(path))
    ckpt = open_checkpoint(postln)
    _, blocks = detect_family(ckpt)
    w = blocks[1].read()
    prefix = out["layers"][1]["name"]
    gain = read_tensor(ckpt.tensors[f"{prefix}.output.LayerNorm.weight"])
    beta_ln = read_tensor(ckpt.tensors[f"{prefix}.output.LayerNorm.bias"])
    eps = out["norm_detail"]["eps"]

    def ln(y):
        centred = y - y.mean(axis=0, keepdims=True)
        return gain[:, None] * centred / np.sqrt((centred ** 2).mean(axis=0, keepdims=True) + eps) + beta_ln[:, None]
    x = np.random.default_rng(0).standard_normal((w.w_up.shape[1], 32))
    relu = lambda z: np.maximum(z, 0.0)  # noqa: E731
    f = x + w.w_down @ relu(w.w_up @ x + w.up_bias[:, None]) + w.down_bias[:, None]
    gx = g["W_down"] @ relu(g["W_up"] @ x + g["b_up"][:, None]) + g["b_down"][:, None]
    assert np.max(np.abs(ln(f) - ln(gx))) < 1e-9
    assert np.max(np.abs(f - gx)) > 1e-6  # g is not f itself: the norm forgets the difference along 1


def test_checkpoint_absorber_needs_an_existing_directory(postln, tmp_path):
    run = subprocess.run([ABSORB, "certify", str(postln), "--absorber", str(tmp_path / "missing")],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 2 and "existing directory" in run.stderr
