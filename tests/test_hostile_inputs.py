"""Hostile inputs found by a careful user (issue: trusted answers): each is a one-line error with exit code 2 (or a
stated choice), never a traceback, a hang or a silently ignored argument."""
import json
import os
import struct
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from checkpoints import reader
from checkpoints.synthetic import write_checkpoint
from checkpoints.weights import load_weights
from symbolic.errors import InputError

ABSORB = [sys.executable, "-m", "absorb.cli"]


def absorb(*args, timeout=120):
    return subprocess.run([*ABSORB, *map(str, args)], capture_output=True, text=True, timeout=timeout)


def one_line_error(proc, needle):
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("absorb: error:") and needle in lines[0], proc.stderr[-2000:]


def safetensors_bytes(header: bytes, data: bytes = b"") -> bytes:
    return struct.pack("<Q", len(header)) + header + data


def test_deeply_nested_config_is_input_error(tmp_path):
    ck = write_checkpoint(tmp_path / "ck", "bert", d=3, n=5, layers=1)
    (ck / "config.json").write_text("[" * 100_000 + "]" * 100_000)
    one_line_error(absorb("certify", ck), "nested too deeply")


def test_deeply_nested_safetensors_header_is_input_error(tmp_path):
    path = tmp_path / "deep.safetensors"
    path.write_bytes(safetensors_bytes(b'{"x":' * 50_000 + b"1" + b"}" * 50_000))
    with pytest.raises(InputError, match="nested too deeply"):
        reader.read_safetensors_header(path)


def test_duplicate_key_in_safetensors_header_is_refused(tmp_path):
    entry = b'{"dtype":"F32","shape":[1],"data_offsets":[0,4]}'
    path = tmp_path / "dup.safetensors"
    path.write_bytes(safetensors_bytes(b'{"W_up":' + entry + b',"W_up":' + entry + b"}", b"\0" * 4))
    with pytest.raises(InputError, match="appears twice"):
        reader.read_safetensors_header(path)


def test_overlapping_data_offsets_are_refused(tmp_path):
    header = json.dumps({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                         "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}).encode()
    path = tmp_path / "overlap.safetensors"
    path.write_bytes(safetensors_bytes(header, b"\0" * 12))
    with pytest.raises(InputError, match="overlap"):
        reader.read_safetensors_header(path)


def test_duplicate_member_in_npz_is_refused(tmp_path):
    path = tmp_path / "dup.npz"
    np.savez(path, W_up=np.eye(2), W_down=-np.eye(2))
    buf = tmp_path / "W_up.npy"
    np.save(buf, np.ones((2, 2)))
    with zipfile.ZipFile(path, "a") as archive, pytest.warns(UserWarning, match="Duplicate name"):
        archive.write(buf, "W_up.npy")
    with pytest.raises(InputError, match="appears twice"):
        load_weights(path)


def test_weight_map_values_must_be_strings(tmp_path):
    ck = write_checkpoint(tmp_path / "ck", "bert", d=3, n=5, layers=2, shards=2)
    index = ck / "model.safetensors.index.json"
    data = json.loads(index.read_text())
    first = next(iter(data["weight_map"]))
    data["weight_map"][first] = ["not", "a", "name"]
    index.write_text(json.dumps(data))
    with pytest.raises(InputError, match="must be shard file names"):
        reader.open_checkpoint(ck)


def test_symlinked_shard_leaving_the_directory_is_refused(tmp_path):
    ck = write_checkpoint(tmp_path / "ck", "bert", d=3, n=5, layers=2, shards=2)
    shard = sorted(ck.glob("*.safetensors"))[0]
    outside = tmp_path / "elsewhere.safetensors"
    shard.rename(outside)
    shard.symlink_to(outside)
    with pytest.raises(InputError, match="leaves the checkpoint directory"):
        reader.open_checkpoint(ck)


def test_index_and_single_file_says_which_was_read(tmp_path):
    ck = write_checkpoint(tmp_path / "ck", "bert", d=3, n=5, layers=2, shards=2)
    other = write_checkpoint(tmp_path / "other", "bert", d=3, n=5, layers=2)
    (ck / "model.safetensors").write_bytes((other / "model.safetensors").read_bytes())
    assert any("index" in note for note in reader.open_checkpoint(ck).notes)
    proc = absorb("certify", ck, "--json")
    assert proc.returncode == 0, proc.stderr
    assert any("sharded checkpoint" in note for note in json.loads(proc.stdout)["notes"])


def test_gpt2_c_fc_stored_untransposed_is_refused(tmp_path):
    ck = write_checkpoint(tmp_path / "gpt", "gpt2", d=3, n=5, layers=1)
    path = ck / "model.safetensors"
    header = reader.read_safetensors_header(path)
    tensors = {name: reader.read_tensor(info).astype(np.float32).T.copy() if name.endswith("mlp.c_fc.weight")
               or name.endswith("mlp.c_proj.weight") else reader.read_tensor(info).astype(np.float32)
               for name, info in header.items()}
    from safetensors.numpy import save_file
    save_file(tensors, str(path))
    with pytest.raises(InputError, match="stored transposed"):
        reader.detect_family(reader.open_checkpoint(ck))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_continuity_on_a_fifo_does_not_hang(tmp_path):
    fifo = tmp_path / "model.safetensors"
    os.mkfifo(fifo)
    one_line_error(absorb("continuity", fifo, timeout=60), "not a regular file")
    one_line_error(absorb("certify", fifo, timeout=60), "is not a")


def test_tiny_time_limit_is_an_undecided_verdict_not_a_traceback():
    proc = absorb("classify", "--expr", "z*tanh(z)", "--time-limit", "1e-9", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["verdict"] == "undecided"


def test_mc_workers_bounded_by_the_machine():
    one_line_error(absorb("mc", "width", "--workers", 100_000), "exceeds this machine's bound")


def test_mc_huge_samples_refused_with_an_estimate():
    proc = absorb("mc", "width", "--samples", 10**12, timeout=300)  # the pilot's progress bar may precede
    assert proc.returncode == 2 and "projected from a pilot" in proc.stderr.strip().splitlines()[-1]
    assert "--force" in proc.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("address", ["garbage://x", "tcp://localhost"])
def test_mc_bad_scheduler_is_one_line(address):
    one_line_error(absorb("mc", "width", "--no-cache", "--scheduler", address), "--scheduler")


def test_checkpoint_tol_and_api_arguments_are_checked(tmp_path):
    import absorb as api
    ck = write_checkpoint(tmp_path / "ck", "bert", d=3, n=5, layers=1)
    one_line_error(absorb("certify", ck, "--tol", "abc"), "--tol")
    with pytest.raises(InputError, match="--tol"):
        api.certify(ck, tol="abc")
    with pytest.raises(InputError, match="c applies to one pair"):
        api.certify(ck, c="abc")
    with pytest.raises(InputError, match="--layers"):
        api.certify(ck, layers="x")
