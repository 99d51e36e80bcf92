"""checker/read.py: tensors read exactly from safetensors and npz, and every hostile file refused with one
CertificateError (never a traceback, a hang or an approximation)."""
import json
import os
import struct
import zipfile
from fractions import Fraction

import numpy as np
import pytest

from checker.read import CertificateError, load_json, read_weights
from checker_certgen import write_safetensors


def read_one(path, key):
    _, tensors = read_weights(str(path), {"": "x"}, {("", key)})
    return tensors[("", key)]


def raw_safetensors(path, header, data: bytes, hlen=None):
    text = header if isinstance(header, bytes) else json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(text) if hlen is None else hlen) + text + data)
    return path


def test_float32_bf16_f16_and_ints_exact(tmp_path):
    f32 = np.array([[1e-45, -3.4028235e38], [0.1, 2.0 ** -130]], dtype=np.float32)  # subnormals and extremes
    bf = (np.array([1.5, -2.0 ** -126, 3.0e38, 0.0078125], dtype=np.float32).view(np.uint32) & 0xFFFF0000)
    bf = bf.view(np.float32)
    f16 = np.array([6e-8, -65504.0, 0.333], dtype=np.float16)
    i64 = np.array([2 ** 62 + 1, -(2 ** 63), 2 ** 53 + 1], dtype=np.int64)
    path = tmp_path / "w.safetensors"
    write_safetensors(path, {"f32": f32, "bf": bf, "f16": f16, "i64": i64}, bf16={"bf"})
    t = read_one(path, "f32")
    assert t.shape == (2, 2) and t.unit_roundoff == Fraction(1, 2 ** 24)
    assert [Fraction(v) for v in t.values] == [Fraction(float(x)) for x in f32.ravel()]
    assert Fraction(t.values[0]) == Fraction(1, 2 ** 149)  # the smallest float32 subnormal, exactly
    b = read_one(path, "bf")
    assert b.unit_roundoff == Fraction(1, 2 ** 8) and b.values == [float(x) for x in bf]
    assert read_one(path, "f16").values == [float(x) for x in f16]
    ints = read_one(path, "i64").values
    assert ints == [2 ** 62 + 1, -(2 ** 63), 2 ** 53 + 1] and all(type(x) is int for x in ints)


def test_npz_int64_above_2_53_big_endian_and_fortran(tmp_path):
    path = tmp_path / "w.npz"
    big = np.array([[2 ** 53 + 1, 2 ** 62 + 3], [-(2 ** 63), 7]], dtype=np.int64)
    np.savez(path, big=big, be=np.array([1e-320, 0.1, -1e300], dtype=">f8"),
             fo=np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3) / 3),
             u8=np.array([255, 0], dtype=np.uint64))
    assert read_one(path, "big").values == [2 ** 53 + 1, 2 ** 62 + 3, -(2 ** 63), 7]
    assert read_one(path, "be").values == [1e-320, 0.1, -1e300]
    fo = read_one(path, "fo")
    assert fo.shape == (2, 3) and fo.values == [float(x) for x in (np.arange(6, dtype=np.float32) / 3)]
    assert read_one(path, "u8").values == [255, 0]


@pytest.mark.parametrize("dtype", [np.complex128, np.longdouble, np.bool_, object])
def test_npz_refuses_what_is_not_exactly_a_rational(tmp_path, dtype):
    path = tmp_path / "w.npz"
    np.savez(path, x=np.ones((2, 2), dtype=dtype))
    with pytest.raises(CertificateError, match="dtype"):
        read_one(path, "x")


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_nan_and_inf_refused(tmp_path, value):
    np.savez(tmp_path / "w.npz", x=np.array([1.0, value]))
    with pytest.raises(CertificateError, match="NaN or infinite"):
        read_one(tmp_path / "w.npz", "x")
    write_safetensors(tmp_path / "w.safetensors", {"x": np.array([value], dtype=np.float32)})
    with pytest.raises(CertificateError, match="NaN or infinite"):
        read_one(tmp_path / "w.safetensors", "x")


F64 = {"dtype": "F64", "shape": [2], "data_offsets": [0, 16]}


@pytest.mark.parametrize("name, header, data, hlen, match", [
    ("hlen-beyond-file", {"x": F64}, b"\0" * 16, 10 ** 9, "exceeds the file"),
    ("offsets-outside", {"x": {**F64, "data_offsets": [0, 24]}}, b"\0" * 16, None, "outside"),
    ("overlap", {"x": F64, "y": {**F64, "data_offsets": [8, 24]}}, b"\0" * 24, None, "overlap"),
    ("hole", {"x": {**F64, "data_offsets": [8, 24]}}, b"\0" * 24, None, "overlap or leave a hole"),
    ("size-mismatch", {"x": {**F64, "shape": [3]}}, b"\0" * 16, None, "do not match"),
    ("absurd-shape", {"x": {**F64, "shape": [10 ** 30, 10 ** 30]}}, b"\0" * 16, None, "do not match"),
    ("too-many-dims", {"x": {**F64, "shape": [1] * 100}}, b"\0" * 16, None, "shape"),
    ("negative-dim", {"x": {**F64, "shape": [-2]}}, b"\0" * 16, None, "shape"),
    ("unknown-dtype", {"x": {**F64, "dtype": "C128"}}, b"\0" * 16, None, "unknown dtype"),
    ("not-read-dtype", {"x": {**F64, "dtype": "BOOL", "data_offsets": [0, 2]}}, b"\0" * 2, None, "not read"),
    ("duplicate-key", b'{"x": {"dtype": "F64", "shape": [2], "data_offsets": [0, 16]}, "x": {"dtype": "F64", '
                      b'"shape": [2], "data_offsets": [0, 16]}}', b"\0" * 16, None, "duplicate key"),
    ("deep-nesting", b"[" * 100000 + b"]" * 100000, b"", None, "nested too deeply"),
    ("not-json", b"\xff\xfe{", b"", None, "not valid JSON"),
    ("not-an-object", b"[1, 2]", b"", None, "not a JSON object"),
    ("extra-field", {"x": {**F64, "extra": 1}}, b"\0" * 16, None, "is not"),
])
def test_hostile_safetensors(tmp_path, name, header, data, hlen, match):
    path = raw_safetensors(tmp_path / f"{name}.safetensors", header, data, hlen)
    with pytest.raises(CertificateError, match=match):
        read_one(path, "x")


def test_truncated_and_tiny_files(tmp_path):
    (tmp_path / "t.safetensors").write_bytes(b"\x01\x02")
    with pytest.raises(CertificateError, match="too short"):
        read_one(tmp_path / "t.safetensors", "x")
    (tmp_path / "t.npz").write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(CertificateError, match="unreadable .npz"):
        read_one(tmp_path / "t.npz", "x")


def test_npz_duplicate_members_and_bad_members(tmp_path):
    path = tmp_path / "dup.npz"
    np.savez(tmp_path / "one.npz", x=np.ones(2))
    member = zipfile.ZipFile(tmp_path / "one.npz").read("x.npy")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("x.npy", member)
        with pytest.warns(UserWarning):
            zf.writestr("x.npy", member)
    with pytest.raises(CertificateError, match="duplicate"):
        read_one(path, "x")
    for label, blob in [("trailing", member + b"\0" * 8), ("short", member[:-3]),
                        ("header", member[:10] + b"{'descr': '<f8', 'fortran_order': False, 'shape': (10**9,), }"
                         .ljust(len(member) - 10, b" ")),
                        ("literal", member[:8] + struct.pack("<H", 20) + b"__import__('os')    ")]:
        bad = tmp_path / f"{label}.npz"
        with zipfile.ZipFile(bad, "w") as zf:
            zf.writestr("x.npy", blob)
        with pytest.raises(CertificateError):
            read_one(bad, "x")


def test_missing_key_file_fifo_and_escaping_names(tmp_path):
    write_safetensors(tmp_path / "w.safetensors", {"x": np.ones(2)})
    with pytest.raises(CertificateError, match="no tensor"):
        read_one(tmp_path / "w.safetensors", "nope")
    with pytest.raises(CertificateError, match="cannot read"):
        read_one(tmp_path / "absent.safetensors", "x")
    os.mkfifo(tmp_path / "fifo.safetensors")
    with pytest.raises(CertificateError, match="neither a file nor a directory"):
        read_one(tmp_path / "fifo.safetensors", "x")
    with pytest.raises(CertificateError, match="not a regular file"):
        read_weights(str(tmp_path), {"fifo.safetensors": "x"}, set())
    for name in ("../w.safetensors", "/etc/passwd", "a/../../b"):
        with pytest.raises(CertificateError, match="relative"):
            read_weights(str(tmp_path), {name: "x"}, set())


def test_load_json_duplicates_and_depth():
    assert load_json('{"a": {"b": 1}}') == {"a": {"b": 1}}
    with pytest.raises(CertificateError, match="duplicate key 'b'"):
        load_json('{"a": {"b": 1, "b": 2}}')
    with pytest.raises(CertificateError, match="nested too deeply"):
        load_json("{\"a\": " * 100000 + "1" + "}" * 100000)
