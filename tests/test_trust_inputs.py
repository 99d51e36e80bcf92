"""Values float64 cannot hold exactly are refused with one line, never rounded (issue 17 point 2)."""
import json
import struct
from fractions import Fraction

import numpy as np
import pytest

from symbolic.errors import InputError

BIG = 2 ** 53 + 1  # the first integer float64 cannot hold


def _planted_ints():
    """d = 2, n = 3: W_down[:, :2] = I, W_up[:2] = -I (an exact index set), plus one big integer elsewhere."""
    w_up = np.array([[-1, 0], [0, -1], [BIG, 1]], dtype=np.int64)
    w_down = np.array([[1, 0, 1], [0, 1, 1]], dtype=np.int64)
    return w_up, w_down


def test_api_refuses_python_and_numpy_ints_above_2_53():
    from absorb import certify
    w_up, w_down = _planted_ints()
    with pytest.raises(InputError, match="beyond 2\\^53"):
        certify(w_up, w_down)
    with pytest.raises(InputError, match="beyond 2\\^53"):
        certify(w_up.tolist(), w_down.tolist())
    with pytest.raises(InputError, match="beyond 2\\^53"):
        certify([[-1, 0], [0, -1], [2 ** 70, 1]], w_down.tolist())
    ok = certify([[-1, 0], [0, -1], [2 ** 53, 1]], w_down.tolist())  # 2^53 itself is exact
    assert ok["index_set_exists"] is True


@pytest.mark.parametrize("dtype, needle", [(np.longdouble, "longdouble"), (np.complex128, "complex"),
                                           (object, "holds a str")])
def test_api_refuses_longdouble_complex_object(dtype, needle):
    from absorb import certify
    w_up = np.array([[-1.0, 0.0], [0.0, -1.0], [0.5, 1.0]]).astype(dtype)
    if dtype is object:
        w_up[2, 0] = "x"
    w_down = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    if np.dtype(dtype).itemsize <= 8 and dtype is np.longdouble:
        pytest.skip("longdouble is float64 on this platform")
    with pytest.raises(InputError) as exc:
        certify(w_up, w_down)
    assert "\n" not in str(exc.value)
    msg = str(exc.value)
    assert needle in msg or ("is float128" in msg and needle == "longdouble")


def test_api_accepts_exact_fractions_and_refuses_inexact_ones():
    from indexset.inputs import exact_float64
    arr, dtype = exact_float64("w", np.array([[Fraction(1, 2), 3]], dtype=object))
    assert arr.tolist() == [[0.5, 3.0]] and dtype is None
    with pytest.raises(InputError, match="cannot hold exactly"):
        exact_float64("w", np.array([[Fraction(1, 3)]], dtype=object))


def test_npz_int64_above_2_53_refused(tmp_path):
    from checkpoints.weights import load_weights
    w_up, w_down = _planted_ints()
    p = tmp_path / "w.npz"
    np.savez(p, W_up=w_up, W_down=w_down)
    with pytest.raises(InputError, match="beyond 2\\^53"):
        load_weights(p)


def test_npz_longdouble_and_complex_refused(tmp_path):
    from checkpoints.weights import load_weights
    for dtype, needle in ((np.complex128, "complex"), (np.longdouble, "longdouble")):
        if np.dtype(dtype).itemsize <= 8:
            continue
        p = tmp_path / f"w_{np.dtype(dtype).name}.npz"
        np.savez(p, W_up=np.ones((3, 2), dtype=dtype), W_down=np.ones((2, 3)))
        with pytest.raises(InputError, match=needle):
            load_weights(p)


def _write_safetensors(path, tensors):
    header, blobs, off = {}, [], 0
    for name, (code, arr) in tensors.items():
        raw = arr.tobytes()
        header[name] = {"dtype": code, "shape": list(arr.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    hb = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(hb)) + hb + b"".join(blobs))


def test_safetensors_i64_above_2_53_refused(tmp_path):
    from checkpoints.weights import load_weights
    w_up, w_down = _planted_ints()
    p = tmp_path / "w.safetensors"
    _write_safetensors(p, {"W_up": ("I64", w_up.astype("<i8")), "W_down": ("I64", w_down.astype("<i8"))})
    with pytest.raises(InputError, match="beyond 2\\^53"):
        load_weights(p)
    w_up[2, 0] = 7
    _write_safetensors(p, {"W_up": ("I64", w_up.astype("<i8")), "W_down": ("I64", w_down.astype("<i8"))})
    up, down = load_weights(p)
    assert up[2, 0] == 7.0


def test_cli_refuses_big_ints_with_one_line(tmp_path):
    import subprocess
    import sys
    from pathlib import Path
    w_up, w_down = _planted_ints()
    p = tmp_path / "w.npz"
    np.savez(p, W_up=w_up, W_down=w_down)
    absorb = str(Path(sys.executable).with_name("absorb"))
    r = subprocess.run([absorb, "certify", str(p)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "2^53" in r.stderr


def test_checkpoint_refuses_bad_tol_and_pair_options(tmp_path):
    from absorb import certify
    from checkpoints.synthetic import write_checkpoint
    write_checkpoint(tmp_path, "llama", d=4, n=10, layers=2)  # swiglu: impossible, no layer is computed
    with pytest.raises(InputError, match="tol"):
        certify(str(tmp_path), tol="abc")
    with pytest.raises(InputError, match="c applies to one pair"):
        certify(str(tmp_path), c="2")
    with pytest.raises(InputError, match="one pair"):
        certify(str(tmp_path), certificate=str(tmp_path / "x.json"))
