"""Loading one pair (issue 13): an .npz whose unused member is a compressed zero bomb is never inflated, a text
file named .npz is told what it is (not "use allow_pickle"), and truncated / over-claiming safetensors are one line."""
import json
import struct
import time
import tracemalloc
import zipfile

import numpy as np
import pytest
from safetensors.numpy import save_file

from checkpoints.weights import load_weights
from symbolic.errors import InputError

BOMB_BYTES = 256 << 20  # 256 MiB of zeros, about 250 KiB compressed


def _write_npz_with_bomb(path, w_up, w_down):
    """W_up, W_down plus 'bomb': a float64 zero vector of BOMB_BYTES, streamed into the zip (never in memory)."""
    np.savez_compressed(path, W_up=w_up, W_down=w_down)
    header = {"descr": "<f8", "fortran_order": False, "shape": (BOMB_BYTES // 8,)}
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open("bomb.npy", "w", force_zip64=True) as fh:
            np.lib.format.write_array_header_1_0(fh, header)
            chunk = bytes(1 << 20)
            for _ in range(BOMB_BYTES >> 20):
                fh.write(chunk)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    path = tmp_path_factory.mktemp("bomb") / "bomb.npz"
    rng = np.random.default_rng(0)
    _write_npz_with_bomb(path, rng.standard_normal((12, 4)), rng.standard_normal((4, 12)))
    assert path.stat().st_size < BOMB_BYTES // 100  # it really is compressed
    return path


def test_zero_bomb_member_is_never_accessed(bomb, monkeypatch):
    accessed = []
    original = np.lib.npyio.NpzFile.__getitem__

    def spy(self, key):
        accessed.append(key)
        return original(self, key)
    monkeypatch.setattr(np.lib.npyio.NpzFile, "__getitem__", spy)
    w_up, w_down = load_weights(bomb)
    assert sorted(accessed) == ["W_down", "W_up"] and w_up.shape == (12, 4)


def test_zero_bomb_costs_neither_memory_nor_time(bomb):
    tracemalloc.start()
    t0 = time.perf_counter()
    load_weights(bomb)
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 16 << 20, peak  # inflating the bomb would allocate 256 MiB
    assert elapsed < 5.0


def test_missing_key_lists_the_names_without_reading_them(bomb):
    with pytest.raises(InputError, match="bomb"):
        load_weights(bomb, up_key="fc1")


def test_text_file_named_npz(tmp_path):
    path = tmp_path / "weights.npz"
    path.write_text("1 2 3\n4 5 6\n")
    with pytest.raises(InputError) as err:
        load_weights(path)
    assert "not an .npz archive" in str(err.value) and "allow_pickle" not in str(err.value)


def test_npy_file_named_npz(tmp_path):
    path = tmp_path / "weights.npz"
    with open(path, "wb") as fh:
        np.save(fh, np.ones((3, 3)))
    with pytest.raises(InputError, match="single .npy array"):
        load_weights(path)


@pytest.fixture
def pair(tmp_path):
    rng = np.random.default_rng(1)
    path = tmp_path / "pair.safetensors"
    save_file({"W_up": rng.standard_normal((12, 4)).astype(np.float32),
               "W_down": rng.standard_normal((4, 12)).astype(np.float32)}, str(path))
    return path


def test_truncated_safetensors(pair):
    data = pair.read_bytes()
    pair.write_bytes(data[:-7])
    with pytest.raises(InputError, match="truncated"):
        load_weights(pair)


def test_safetensors_header_claiming_more_than_the_file(pair):
    data = pair.read_bytes()
    pair.write_bytes(struct.pack("<Q", 10 ** 6) + data[8:])
    with pytest.raises(InputError, match="header claims"):
        load_weights(pair)


def test_safetensors_offsets_inconsistent_with_shape(pair):
    data = pair.read_bytes()
    size = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + size])
    header["W_up"]["shape"] = [12, 5]
    raw = json.dumps(header, separators=(",", ":")).encode().ljust(size)
    assert len(raw) == size
    pair.write_bytes(data[:8] + raw + data[8 + size:])
    with pytest.raises(InputError, match="needs"):
        load_weights(pair)


def test_good_safetensors_still_load(pair):
    w_up, w_down = load_weights(pair)
    assert w_up.dtype == np.float64 and w_up.shape == (12, 4) and w_down.shape == (4, 12)
