"""`absorb certify`: a transformer-style layer (d = 384, n = 1536, float32 safetensors), planted and random .npz
files, the JSON contract of DESIGN.md, and every bad input (exit 2, one stderr line, no traceback)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save_file

ABSORB = str(Path(sys.executable).with_name("absorb"))
DESIGN_FIELDS = {"d", "n", "c", "method", "answer", "grade", "index_set_exists", "subset", "distance",
                 "distance_lower_bound", "theorem", "hypotheses", "evidence", "certificate", "elapsed_s"}  # DESIGN.md
OPTIONAL_FIELDS = {"r_ls", "r_box", "checked", "radius", "notes"}


def run_inprocess(capsys, *argv):
    from absorb.cli import main
    code = main(["certify", *map(str, argv)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def absorb(*argv, timeout=300):
    env = dict(os.environ, ABSORB_PROGRESS="0")
    return subprocess.run([ABSORB, "certify", *map(str, argv)], capture_output=True, text=True, env=env,
                          timeout=timeout)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("certify")
    rng = np.random.default_rng(0)
    d, n = 384, 1536
    save_file({"mlp.fc1.weight": (rng.standard_normal((n, d)) / np.sqrt(d)).astype(np.float32),
               "mlp.fc2.weight": (rng.standard_normal((d, n)) / np.sqrt(n)).astype(np.float32)},
              str(tmp / "layer.safetensors"))
    d, n = 4, 12
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    np.savez(tmp / "random.npz", W_up=w_up, W_down=w_down)
    subset = [0, 2, 5, 7, 11]
    w_down_p = w_down.copy()
    w_down_p[:, subset] = -np.linalg.pinv(w_up[subset, :]) / 1.01
    np.savez(tmp / "planted.npz", W_up=w_up, W_down=w_down_p)
    np.savez(tmp / "shapes.npz", W_up=w_up, W_down=w_down[:, :-1])
    bad = w_down.copy()
    bad[1, 3] = np.nan
    np.savez(tmp / "nan.npz", W_up=w_up, W_down=bad)
    bad[1, 3] = np.inf
    np.savez(tmp / "inf.npz", W_up=w_up, W_down=bad)
    np.savez(tmp / "vector.npz", W_up=w_up[:, 0], W_down=w_down)
    np.savez(tmp / "wide.npz", W_up=rng.standard_normal((41, 3)), W_down=rng.standard_normal((3, 41)))
    (tmp / "garbage.npz").write_bytes(b"not a zip file at all")
    (tmp / "garbage.safetensors").write_bytes(b"\x00\x01garbage")
    (tmp / "weights.txt").write_text("1 2 3\n")
    return tmp, subset


def test_transformer_layer_is_certified(files):
    tmp, _ = files
    r = absorb(tmp / "layer.safetensors", "--up", "mlp.fc1.weight", "--down", "mlp.fc2.weight", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert DESIGN_FIELDS <= set(out) and set(out) - DESIGN_FIELDS <= OPTIONAL_FIELDS
    assert out["theorem"] is None and "Farkas" in out["evidence"]  # no --activation: the index condition only
    assert (out["d"], out["n"], out["c"], out["method"]) == (384, 1536, "1", "auto")
    assert out["index_set_exists"] is False and out["subset"] is None
    assert out["certificate"]["evidence"]["kind"] == "farkas" and "r_box" not in out  # the LS certificate
    assert out["answer"] == "no_index_set" and out["certificate"]["question"]["radius"]["u"] \
        == "1/16777216"  # float32 storage: the default radius has a storage part
    # heuristic of BLUEPRINT §8: r_LS^2 ~ d - n/d = 380 for i.i.d. weights
    assert abs(out["r_ls"] ** 2 - 380) < 0.02 * 380
    assert 0 < out["distance_lower_bound"] <= out["r_ls"] * (1 + 1e-6)
    r = absorb(tmp / "layer.safetensors", "--up", "mlp.fc1.weight", "--down", "mlp.fc2.weight")
    assert r.returncode == 0 and "NO INDEX SET" in r.stdout and r.stderr == ""


def test_planted_and_random_npz(files, capsys):
    tmp, subset = files
    out = json.loads(run_inprocess(capsys, tmp / "planted.npz", "--c", "101/100", "--json"))
    assert out["index_set_exists"] is True and out["subset"] == subset and out["distance"] < 1e-12
    assert out["c"] == "101/100" and out["distance_lower_bound"] == 0.0
    out = json.loads(run_inprocess(capsys, tmp / "planted.npz", "--json"))  # c = 1 is the wrong constant here
    assert out["index_set_exists"] is False
    for method in ("exhaustive", "relaxation", "box", "auto"):
        out = json.loads(run_inprocess(capsys, tmp / "random.npz", "--method", method, "--json"))
        assert out["index_set_exists"] is False and out["method"] == method
        if method == "exhaustive":
            assert out["distance"] > 0 and 0.999 * out["distance"] <= out["distance_lower_bound"] <= out["distance"]
            assert out["evidence"].startswith("enumeration of all 2^12 subsets")
            assert out["certificate"]["evidence"] == {"kind": "tree", "root": {"enumerate": True}}
        else:
            assert out["certificate"]["evidence"]["kind"] == "farkas"
    assert "INDEX SET FOUND" in run_inprocess(capsys, tmp / "planted.npz", "--c", "1.01")


@pytest.mark.parametrize("name,extra,needle", [
    ("shapes.npz", [], "shape mismatch"),
    ("nan.npz", [], "non-finite"),
    ("inf.npz", [], "non-finite"),
    ("vector.npz", [], "2-D"),
    ("random.npz", ["--up", "fc1"], "no tensor 'fc1'"),
    ("layer.safetensors", [], "no tensor 'W_up'"),
    ("wide.npz", ["--method", "exhaustive"], "n <= 40"),
    ("random.npz", ["--c", "1e400"], "1e-300 <= |c| <= 1e300"),
    ("random.npz", ["--c", "1e-400"], "1e-300 <= |c| <= 1e300"),
    ("random.npz", ["--tol", "abc"], "--tol"),
    ("random.npz", ["--tol", "2"], "--tol"),
    ("garbage.npz", [], "cannot read"),
    ("garbage.safetensors", [], "cannot read"),
    ("weights.txt", [], "unsupported weights format"),
    ("missing.npz", [], "does not exist"),
    ("random.npz", ["--c", "0"], "nonzero"),
    ("random.npz", ["--c", "abc"], "--c"),
    ("random.npz", ["--method", "magic"], "invalid choice"),
])
def test_bad_input_is_one_line_exit_2(files, name, extra, needle):
    tmp, _ = files
    r = absorb(tmp / name, *extra)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert r.stderr.startswith("absorb: error:") and r.stderr.count("\n") == 1, r.stderr
    assert needle in r.stderr and "Traceback" not in r.stderr
    assert r.stdout == ""


def test_bfloat16_safetensors_are_widened_exactly(tmp_path, capsys):
    import struct
    from checkpoints.weights import load_weights
    rng = np.random.default_rng(1)
    n, d = 12, 4
    w_up, w_down = rng.standard_normal((n, d)).astype(np.float32), rng.standard_normal((d, n)).astype(np.float32)
    bu, bd = [(a.view(np.uint32) >> 16).astype("<u2").tobytes() for a in (w_up, w_down)]
    header = {"__metadata__": {"format": "pt"},
              "up": {"dtype": "BF16", "shape": [n, d], "data_offsets": [0, len(bu)]},
              "down": {"dtype": "BF16", "shape": [d, n], "data_offsets": [len(bu), len(bu) + len(bd)]}}
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    path = tmp_path / "bf16.safetensors"
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + bu + bd)
    got_up, got_down = load_weights(path, "up", "down")
    assert np.array_equal(got_up, ((w_up.view(np.uint32) >> 16) << 16).view(np.float32).astype(np.float64))
    assert json.loads(run_inprocess(capsys, path, "--up", "up", "--down", "down", "--json"))["certificate"]["evidence"][
        "kind"] == "farkas"
