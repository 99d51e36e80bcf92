"""The seams between the block verdicts and the trusted-answer API: which biases a checkpoint block carries, and
how zero-valued or output-only biases pick the theorem (the checker must accept what trust claims)."""
import numpy as np
import pytest

from checkpoints import reader as ck
from checkpoints.synthetic import write_checkpoint, write_postln_checkpoint
from indexset.api import certify_pair
from symbolic.errors import InputError


def _random(d=3, n=6, seed=1):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.standard_normal((d, n)), rng


def test_zero_valued_up_bias_keeps_the_bias_free_theorem():
    """A stored all-zero bias is the bias-free block: generic-iff with (G0), (G-line) (was a KeyError)."""
    w_up, w_down, _ = _random()
    _, out = certify_pair(w_up, w_down, activation="relu", up_bias=np.zeros(6))
    assert out["answer"] == "not_absorbable" and out["theorem"] == "generic-iff" and out["checked"]["ok"]
    assert [h["name"] for h in out["hypotheses"]] == ["G0", "G-line", "G-class", "d>=2"]


def test_output_bias_alone_calls_for_the_biased_theorem():
    """A nonzero down bias with no up bias: the checker refuses generic-iff, so trust must cite
    relu-bias-characterization with b~_i = (b_i, 0)."""
    w_up, w_down, rng = _random()
    _, out = certify_pair(w_up, w_down, activation="relu", down_bias=rng.standard_normal(3))
    assert out["answer"] == "not_absorbable" and out["theorem"] == "relu-bias-characterization"
    assert out["checked"]["ok"] is True and {h["name"] for h in out["hypotheses"]} >= {"G0b", "G-line-b"}


def test_checkpoint_blocks_carry_their_biases_and_core_drops_them(tmp_path):
    write_postln_checkpoint(tmp_path, d=4, n=8, layers=2, planted_layer=None)
    _, blocks = ck.detect_family(ck.open_checkpoint(tmp_path))
    w = blocks[1].read()
    assert w.up_bias.shape == (8,) and w.down_bias.shape == (4,) and np.any(w.up_bias != 0)
    assert w.weights["up_bias"]["key"] == "encoder.layer.1.intermediate.dense.bias"
    core = blocks[1].core().read()
    assert core.up_bias is None and core.down_bias is None and core.weights["up_bias"] is None
    assert np.array_equal(core.w_up, w.w_up)


def test_wrong_bias_shape_is_named(tmp_path):
    bad = {"model.decoder.layers.0.fc1.bias": np.zeros(5)}
    with pytest.raises(InputError, match="fc1.bias.*shape"):
        write_checkpoint(tmp_path, "opt", d=4, n=8, layers=1, overrides=bad)
        ck.detect_family(ck.open_checkpoint(tmp_path))
