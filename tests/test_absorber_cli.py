"""`absorb certify FILE --absorber OUT.safetensors` (and `absorb.certify(..., absorber=)`): the sign flip with the
output bias corrected when an index set was found, Counterexample 6.4 at width 2 for a bias-free d = 1 ReLU-type
block, else the width-(n + d) block; checked (identity residual and measured error) before it is written atomically; the certificate's "absorber" field names the file and its hash;
failures are one-line errors with exit 2 and nothing written."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from indexset import absorber as ab
from indexset.trusted import sha256_file

ABSORB = str(Path(sys.executable).with_name("absorb"))


def run(*argv):
    return subprocess.run([ABSORB, "certify", *map(str, argv)], capture_output=True, text=True, timeout=300)


def _load_absorber(path):
    from safetensors.numpy import load_file
    t = load_file(str(path))
    return ab.Absorber("loaded", t["W_up"], t["W_down"], t["b_up"], t["b_down"], 0.0)


def _planted_pair(tmp_path, d=3, n=9, seed=0):
    """An exact index set S = {0, .., d-1} (c = 1) with biases, float64."""
    rng = np.random.default_rng(seed)
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    w_up[:d], w_down[:, :d] = np.eye(d), -np.eye(d)
    beta, delta = rng.standard_normal(n), rng.standard_normal(d)
    path = tmp_path / "pair.npz"
    np.savez(path, W_up=w_up, W_down=w_down, b_up=beta, b_down=delta)
    return path, (w_up, w_down, beta, delta)


def test_sign_flip_absorber_is_written_checked_and_named_in_the_certificate(tmp_path):
    path, (w_up, w_down, beta, delta) = _planted_pair(tmp_path)
    out_g, out_c = tmp_path / "g.safetensors", tmp_path / "cert.json"
    r = run(path, "--up-bias", "b_up", "--down-bias", "b_down", "--activation", "gelu", "--absorber", out_g,
            "--certificate", out_c, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["answer"] == "absorbable" and out["subset"] == [0, 1, 2] and out["checked"]["ok"]
    a = out["absorber"]
    assert a["kind"] == "sign-flip" and a["width"] == 9 and a["activation"] == "gelu"
    assert a["measured_error"] < 1e-13 and a["identity_residual"] == 0.0
    assert a["sha256"] == sha256_file(out_g) and Path(a["path"]) == out_g.resolve()
    cert = json.loads(out_c.read_text())
    assert cert["absorber"] == {k: a[k] for k in ("path", "sha256", "width", "kind")}
    assert out["certificate"]["absorber"] == cert["absorber"]
    # the file really is a block equal to f (re-measured here, independent of the CLI's own check)
    g = _load_absorber(out_g)
    assert ab.measured_error(w_up, w_down, g, ab.activation_sigma("gelu"), beta, delta, seed=5) < 1e-13
    # and dropping its output bias correction breaks it, so the check can fail
    wrong = ab.Absorber("x", g.w_up, g.w_down, g.up_bias, delta, 0.0)
    err = ab.measured_error(w_up, w_down, wrong, ab.activation_sigma("gelu"), beta, delta)
    assert err > 1e-3 and not ab.passes(err, wrong)
    assert not list(tmp_path.glob(".*.tmp"))


def test_no_index_set_gives_the_width_n_plus_d_block_with_a_generic_sigma(tmp_path):
    rng = np.random.default_rng(4)
    d, n = 3, 6
    w_up, w_down = rng.standard_normal((n, d)), np.abs(rng.standard_normal((d, n)))
    path = tmp_path / "pair.npz"
    np.savez(path, W_up=w_up, W_down=w_down)
    r = run(path, "--absorber", tmp_path / "g.safetensors")
    assert r.returncode == 0, r.stderr
    assert "Absorber: width-n+d, width 9" in r.stdout and "generic_sigma" in r.stdout
    g = _load_absorber(tmp_path / "g.safetensors")
    assert g.w_up.shape == (n + d, d)
    assert ab.measured_error(w_up, w_down, g, ab.activation_sigma("relu"), seed=3) < 1e-10


def test_projected_sign_flip_is_compared_after_p(tmp_path):
    from checkpoints.synthetic import planted_projected_layer
    w_up, w_down, _ = planted_projected_layer(4, 8, [0, 2, 5, 7], np.random.default_rng(2))
    path = tmp_path / "pair.npz"
    np.savez(path, W_up=w_up, W_down=w_down)
    r = run(path, "--skip", "projected", "--activation", "relu", "--absorber", tmp_path / "g.safetensors", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["subset"] == [0, 2, 5, 7] and out["absorber"]["kind"] == "sign-flip"
    assert out["absorber"]["compared"] == "P f with P g" and out["absorber"]["measured_error"] < 1e-12
    # without P the two blocks differ (by c R_S x, along 1): the projected set is not a plain index set
    g = _load_absorber(tmp_path / "g.safetensors")
    assert ab.measured_error(w_up, w_down, g, ab.activation_sigma("relu")) > 1e-3


def test_rank_deficient_without_index_set_is_one_line_and_writes_nothing(tmp_path):
    d, n = 3, 6
    w_up = np.zeros((n, d))
    w_up[:, 0] = np.arange(1.0, n + 1)
    path = tmp_path / "pair.npz"
    np.savez(path, W_up=w_up, W_down=np.ones((d, n)))
    target = tmp_path / "g.safetensors"
    target.write_bytes(b"keep me")
    r = run(path, "--absorber", target)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith("absorb: error:") and "rank" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert target.read_bytes() == b"keep me"


@pytest.mark.parametrize("dest, words", [("g.npz", ".safetensors"), ("missing/g.safetensors", "does not exist")])
def test_bad_destination_is_refused_before_numerics(tmp_path, dest, words):
    path, _ = _planted_pair(tmp_path)
    r = run(path, "--absorber", tmp_path / dest)
    assert r.returncode == 2 and words in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_checkpoint_absorber_must_be_a_directory(tmp_path):
    """For a checkpoint --absorber names a directory (one file per absorbable layer), never a single file."""
    from checkpoints.synthetic import write_postln_checkpoint
    write_postln_checkpoint(tmp_path, d=4, n=8, layers=1, planted_layer=None)
    r = run(tmp_path, "--absorber", tmp_path / "g.safetensors")
    assert r.returncode == 2 and "existing directory" in r.stderr
    assert not (tmp_path / "g.safetensors").exists()


def test_python_api_absorber(tmp_path):
    import absorb
    _, (w_up, w_down, beta, delta) = _planted_pair(tmp_path)
    out = absorb.certify(w_up, w_down, activation="relu", up_bias=beta, down_bias=delta,
                         absorber=str(tmp_path / "g.safetensors"))
    assert out["absorber"]["kind"] == "sign-flip" and out["certificate"]["absorber"]["width"] == 9
    g = _load_absorber(tmp_path / "g.safetensors")
    assert ab.measured_error(w_up, w_down, g, ab.activation_sigma("relu"), beta, delta) < 1e-13


@pytest.mark.parametrize("act", ["relu", "leaky_relu"])
def test_d1_relu_absorber_is_counterexample_6_4_at_width_2(tmp_path, act):
    """A bias-free d = 1 ReLU-type block (with a down bias): the file is g(x) = p sigma(x) + q sigma(-x) + delta,
    two live neurons zero-padded to f's width, and it reproduces f."""
    rng = np.random.default_rng(3)
    n = 6
    w_up, w_down, delta = rng.standard_normal((n, 1)), rng.standard_normal((1, n)), rng.standard_normal(1)
    np.savez(tmp_path / "p.npz", W_up=w_up, W_down=w_down, b_down=delta)
    out_g = tmp_path / "g.safetensors"
    r = run(tmp_path / "p.npz", "--down-bias", "b_down", "--activation", act, "--absorber", out_g, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["answer"] == "absorbable" and out["absorber"]["kind"] == "relu-d1-width-2"
    g = _load_absorber(out_g)
    assert g.w_up.shape == (n, 1) and np.count_nonzero(g.w_up) == 2 and np.count_nonzero(g.w_down) <= 2
    sigma = ab.activation_sigma(act)
    assert ab.measured_error(w_up, w_down, g, sigma, None, delta, seed=9) < 1e-12
    swapped = ab.Absorber("x", g.w_up, g.w_down[:, ::-1].copy(), g.up_bias, g.down_bias, 0.0)
    assert ab.measured_error(w_up, w_down, swapped, sigma, None, delta) > 1e-3  # p and q matter
