"""The trusted answer (issue 17): Certificate and evidence in the format of docs/CERTIFICATE.md, storage precision,
hypotheses in the answer, Counterexample 6.4, the CLI's --certificate/--activation/--up-bias/--skip, certify_blocks.
Tests that need the independent checker skip until it is merged (pytest.importorskip("checker"))."""
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from indexset.api import certify_pair, render
from symbolic.errors import InputError

ABSORB = str(Path(sys.executable).with_name("absorb"))


def planted(seed=0, d=4, n=12, dtype=np.float64):
    """An index set S = {0..d-1} planted in float64 (residual ~1e-16), optionally rounded to a storage dtype."""
    rng = np.random.default_rng(seed)
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    m = rng.standard_normal((d, d)) + 3 * np.eye(d)
    w_down[:, :d] = m
    w_up[:d] = -np.linalg.inv(m)
    return w_up.astype(dtype), w_down.astype(dtype)


def random_block(seed=1, d=3, n=8):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.standard_normal((d, n))


# ----------------------------------------------------------------------------------------- storage precision
def test_planted_float32_is_absorbable_within_storage_precision():
    w_up, w_down = planted(dtype=np.float32)
    cert, out = certify_pair(w_up, w_down)
    assert out["answer"] == "absorbable" and out["grade"] == "storage_precision" and out["subset"] == [0, 1, 2, 3]
    assert 1e-9 < out["distance"] < 1e-5  # not exactly zero: the rounding of float32
    q = out["certificate"]["question"]["radius"]
    assert q == {"kind": "default", "tau": "1/1000000000", "u": "1/16777216"}
    assert "storage precision" in out["radius"]
    # the relative radius alone (--tol) would call it no index set: the semantics is said in the output
    cert, out = certify_pair(w_up, w_down, tol="1e-9")
    assert out["answer"] == "no_index_set" and out["certificate"]["question"]["radius"]["kind"] == "relative"


def test_planted_float64_is_tolerance_or_exact():
    w_up, w_down = planted()
    cert, out = certify_pair(w_up, w_down)
    assert out["answer"] == "absorbable" and out["grade"] in ("tolerance", "storage_precision", "exact")
    w_up = np.zeros((3, 2))
    w_down = np.zeros((2, 3))
    w_down[:, :2] = np.eye(2)
    w_up[:2] = -np.eye(2)
    w_up[2] = [0.5, 0.25]
    w_down[:, 2] = [1.0, 2.0]
    cert, out = certify_pair(w_up, w_down)
    assert out["grade"] == "exact" and out["distance"] == 0.0 and cert.evidence.residual_squared == 0


def test_planted_float32_checkpoint_layer(tmp_path):
    from checkpoints.certify import certify_checkpoint
    from checkpoints.synthetic import layer_tensors, write_checkpoint
    w_up, w_down = planted(seed=3, d=4, n=10)
    names = {role: name for name, role, _ in layer_tensors("t5", 1, 4, 10)}
    write_checkpoint(tmp_path, "t5", d=4, n=10, layers=3, dtype="F32",
                     overrides={names["up"]: w_up, names["down"]: w_down})
    out = certify_checkpoint(tmp_path, progress=False, core=True)  # the bias-free core (default: block verdicts)
    row = out["layers"][1]
    assert row["answer"] == "absorbable" and row["grade"] == "storage_precision" and row["subset"] == [0, 1, 2, 3]
    prov = row["certificate"]["weights"]
    assert prov["files"] == {"model.safetensors": prov["files"]["model.safetensors"]}
    assert prov["up"]["key"] == names["up"] and prov["up"]["layout"] == "nd" and prov["layer"]
    assert row["certificate"]["question"]["radius"]["u"] == "1/16777216"
    assert all(r["answer"] in ("no_index_set", "not_absorbable") for k, r in enumerate(out["layers"]) if k != 1)


# ----------------------------------------------------------------------------------------- answers and theorems
def test_no_activation_answers_only_the_index_condition():
    w_up, w_down = random_block()
    cert, out = certify_pair(w_up, w_down)
    assert out["answer"] == "no_index_set" and out["theorem"] is None
    assert any("--activation" in note for note in out["notes"])


def test_generic_relu_no_is_not_absorbable_citing_generic_iff():
    w_up, w_down = random_block()
    cert, out = certify_pair(w_up, w_down, activation="relu")
    assert cert.answer == "not_absorbable" and cert.theorem == "generic-iff"
    assert [h["name"] for h in out["hypotheses"]] == ["G0", "G-line", "G-class", "d>=2"]
    assert cert.to_json()["hypotheses"] == out["hypotheses"]


def test_parallel_rows_break_generic_iff_and_are_named():
    w_up, w_down = random_block()
    w_up[5] = 2.0 * w_up[2]
    cert, out = certify_pair(w_up, w_down, activation="relu")
    assert cert.answer == "no_index_set" and cert.theorem is None
    assert any("G-line" in note and "2, 5" in note for note in out["notes"])
    text = render(out)
    assert "not absorbable" not in text.lower() and "G-line fails at [2, 5]" in text
    # GELU needs only G-class, which still holds (2 b != +-b)
    cert, _ = certify_pair(w_up, w_down, activation="gelu")
    assert cert.answer == "not_absorbable" and cert.theorem == "generic-iff"


def test_relu_d1_counterexample_gives_g():
    w_up, w_down = np.array([[1.0], [2.0], [-1.0]]), np.array([[0.5, 1.0, 3.0]])
    cert, out = certify_pair(w_up, w_down, activation="relu")
    assert out["answer"] == "absorbable" and out["theorem"] == "relu-d1-counterexample"
    assert out["certificate"]["evidence"] == {"kind": "relu-d1"}
    assert cert.evidence.alpha_plus == Fraction(7, 2) and cert.evidence.alpha_minus == -2
    assert (cert.evidence.p, cert.evidence.q) == (Fraction(7, 2), Fraction(2))  # alpha_+ relu(x) - alpha_- relu(-x)
    # g(x) = alpha_+ relu(x) - alpha_- relu(-x) equals f(x) = x + sum a_i relu(b_i x)
    for x in (-3.0, -0.5, 0.7, 2.0):
        f = x + sum(a * max(b * x, 0.0) for a, b in zip(w_down[0], w_up[:, 0]))
        g = 3.5 * max(x, 0.0) + 2.0 * max(-x, 0.0)
        assert abs(f - g) < 1e-12
    # with a bias the counterexample does not apply (Cor. 6.8c): the index condition decides
    cert, _ = certify_pair(w_up, w_down, activation="relu", up_bias=np.array([0.5, 0.25, 1.0]))
    assert cert.theorem != "relu-d1-counterexample"


def test_biases_enter_hypotheses_and_theorem():
    w_up, w_down = random_block()
    beta = np.linspace(-1, 1, 8)
    cert, out = certify_pair(w_up, w_down, activation="relu", up_bias=beta, down_bias=np.ones(3))
    assert [h["name"] for h in out["hypotheses"]] == ["G0b", "G-line-b", "G-class-b", "d>=2"]
    assert cert.theorem == "relu-bias-characterization"
    cert, _ = certify_pair(w_up, w_down, activation="gelu", up_bias=beta)
    assert cert.theorem == "class-bias"
    cert, out = certify_pair(w_up, w_down, activation="silu", up_bias=beta)
    assert cert.answer == "no_index_set" and any("GELU only" in n for n in out["notes"])


def test_projected_skip_is_the_weaker_condition():
    """BLUEPRINT 6.8f: sum_S a_i b_i^T = -I + 1 v^T has no index set but satisfies the projected one."""
    rng = np.random.default_rng(5)
    d, n = 2, 4
    v = np.array([0.5, 0.25])
    w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    w_down[:, :2] = np.eye(2)
    w_up[:2] = -np.eye(2) + np.outer(np.ones(2), v)  # rows: a_i = e_i, so sum = -I + 1 v^T
    cert, out = certify_pair(w_up, w_down)
    assert out["answer"] != "absorbable" or out["subset"] != [0, 1]
    cert, out = certify_pair(w_up, w_down, skip="projected")
    assert out["answer"] == "absorbable" and out["subset"] == [0, 1] and out["grade"] == "exact"
    assert out["certificate"]["skip"] == "projected"


# ----------------------------------------------------------------------------------------- validation
@pytest.mark.parametrize("kwargs, needle", [
    ({"c": 0}, "nonzero"), ({"c": True}, "rational"), ({"c": "abc"}, "rational"), ({"c": "1e400"}, "1e300"),
    ({"tol": 2}, "tol (--tol)"), ({"tol": "x"}, "tol (--tol)"), ({"tol": [1]}, "tol (--tol)"),
    ({"skip": "weird"}, "skip must be"), ({"activation": "nope"}, "unknown activation"), ({"activation": 3}, "string"),
    ({"method": "magic"}, "unknown method"), ({"up_bias": np.ones(3)}, "up_bias must have length 8"),
    ({"down_bias": np.ones((3, 1))}, "down_bias must be 1-D"), ({"dtype": "int7"}, "dtype"),
    ({"up_bias": np.array([np.nan] * 8)}, "non-finite"),
])
def test_validate_messages(kwargs, needle):
    from indexset import validate
    w_up, w_down = random_block()
    with pytest.raises(InputError) as exc:
        validate(w_up, w_down, **kwargs)
    assert needle in str(exc.value) and "\n" not in str(exc.value)


def test_validate_shapes():
    from indexset import validate
    with pytest.raises(InputError, match="shape mismatch"):
        validate(np.ones((4, 2)), np.ones((4, 2)))
    with pytest.raises(InputError, match="2-D"):
        validate(np.ones(4), np.ones((1, 4)))
    prob = validate(*random_block(), dtype="BF16")
    assert prob.block.dtype == "bfloat16"


# ----------------------------------------------------------------------------------------- certificate object
def test_certificate_json_has_the_documented_fields():
    w_up, w_down = random_block()
    cert, _ = certify_pair(w_up, w_down, activation="relu")
    js = cert.to_json()
    assert set(js) == {"format", "weights", "activation", "c", "skip", "question", "answer", "grade", "theorem",
                       "hypotheses", "evidence", "distance_lower_bound", "absorber"}
    assert js["format"] == "skip-absorption-certificate/1" and js["question"]["width"] == 8
    ev = js["evidence"]
    if ev["kind"] == "farkas":
        assert len(ev["Y"]) == 3 and all(isinstance(v, str) for row in ev["Y"] for v in row)
        Fraction(ev["phi"])
    assert Fraction(js["distance_lower_bound"]) > 0
    json.dumps(js, allow_nan=False)
    with pytest.raises(Exception):
        cert.answer = "absorbable"  # frozen


def test_farkas_phi_is_exact_and_bounds_the_distance():
    """phi in the certificate equals <Y, I/c> + sum min(0, a_i^T Y b_i) recomputed in Fractions, and the lower
    bound phi / ||Y|| is below the exact minimum distance (enumeration)."""
    import itertools
    w_up, w_down = random_block(seed=7, d=3, n=6)
    cert, out = certify_pair(w_up, w_down, method="relaxation")
    ev = cert.evidence
    assert ev.kind == "farkas"
    y = [[Fraction(v) for v in row] for row in ev.y]
    fr = lambda x: Fraction(float(x))  # noqa: E731
    phi = sum(y[i][i] for i in range(3))
    for i in range(6):
        yi = sum(fr(w_down[r, i]) * y[r][s] * fr(w_up[i, s]) for r in range(3) for s in range(3))
        phi += min(Fraction(0), yi)
    assert phi == ev.phi
    best = min(np.linalg.norm(np.eye(3) + w_down[:, list(S)] @ w_up[list(S), :]) for k in range(7)
               for S in itertools.combinations(range(6), k))
    assert float(cert.distance_lower_bound) <= best


def test_search_is_never_called_a_certificate(monkeypatch):
    """A search whose certificate attempts give up (lattice evidence and tree stubbed out) stays a search."""
    import indexset.lattice_cert
    import indexset.tree
    monkeypatch.setattr(indexset.tree, "build_tree", lambda *a, **k: None)
    monkeypatch.setattr(indexset.lattice_cert, "lattice_evidence", lambda *a, **k: (None, None))
    rng = np.random.default_rng(11)
    w_up, w_down = rng.standard_normal((30, 2)), rng.standard_normal((2, 30))
    cert, out = certify_pair(w_up, w_down, method="mitm", activation="relu")
    assert cert.evidence.kind == "search" and not cert.is_certificate
    assert out["answer"] in ("no_index_set", "undecided", "absorbable")
    if out["answer"] != "absorbable":
        text = render(out)
        assert "VERIFIED" not in text and "not absorbable" not in text.lower()
        assert "certificate" not in text.split("Checker:")[0].replace("not a certificate", "")


# ----------------------------------------------------------------------------------------- CLI
def _cli(*argv, timeout=300):
    return subprocess.run([ABSORB, "certify", *map(str, argv)], capture_output=True, text=True, timeout=timeout)


def test_cli_writes_certificate_and_biases(tmp_path):
    w_up, w_down = random_block()
    np.savez(tmp_path / "w.npz", W_up=w_up, W_down=w_down, b=np.linspace(-1, 1, 8), c=np.zeros(3))
    out_path = tmp_path / "cert.json"
    r = _cli(tmp_path / "w.npz", "--activation", "relu", "--up-bias", "b", "--down-bias", "c", "--certificate",
             out_path, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    cert = json.loads(out_path.read_text())
    assert cert == out["certificate"]
    assert cert["weights"]["up_bias"] == {"file": "", "key": "b"} and cert["weights"]["down_bias"]["key"] == "c"
    assert cert["weights"]["files"][""] and cert["hypotheses"][0]["name"] == "G0b"
    assert cert["theorem"] == "relu-bias-characterization"


def test_cli_bad_certificate_path_and_missing_bias(tmp_path):
    w_up, w_down = random_block()
    np.savez(tmp_path / "w.npz", W_up=w_up, W_down=w_down)
    r = _cli(tmp_path / "w.npz", "--up-bias", "nope")
    assert r.returncode == 2 and "--up-bias" in r.stderr and r.stderr.count("\n") == 1
    r = _cli(tmp_path / "w.npz", "--activation", "nope")
    assert r.returncode == 2 and "unknown activation" in r.stderr


# ----------------------------------------------------------------------------------------- the checker
def test_certificates_are_verified_by_the_checker(tmp_path):
    pytest.importorskip("checker")
    for w_up, w_down, kw in [(*planted(dtype=np.float32), {}), (*random_block(), {"activation": "relu"}),
                             (*random_block(seed=2, n=12), {"method": "exhaustive"}),
                             (np.array([[1.0], [2.0]]), np.array([[1.0, 1.0]]), {"activation": "relu"})]:
        cert, out = certify_pair(w_up, w_down, **kw)
        assert out["checked"]["status"] == "verified", out["checked"]
        assert cert.check().ok


def test_tampered_certificates_are_rejected(tmp_path):
    checker = pytest.importorskip("checker")
    w_up, w_down = random_block()
    np.savez(tmp_path / "w.npz", W_up=w_up, W_down=w_down)
    out = json.loads(_cli(tmp_path / "w.npz", "--activation", "relu", "--method", "relaxation", "--json").stdout)
    cert = out["certificate"]
    assert checker.check(cert).ok
    bad = json.loads(json.dumps(cert))
    y = bad["evidence"]["Y"]
    y[0][0] = str(int(y[0][0]) + 1)
    assert not checker.check(bad).ok
    data = bytearray((tmp_path / "w.npz").read_bytes())
    data[-30] ^= 1
    (tmp_path / "w.npz").write_bytes(bytes(data))
    try:
        assert not checker.check(cert).ok
    except ValueError:
        pass  # unreadable after the flip: also not verified


def test_relu_d1_leaky_g_matches_f():
    w_up, w_down = np.array([[1.0], [-2.0], [0.5]]), np.array([[0.5, 1.0, -3.0]])
    cert, _ = certify_pair(w_up, w_down, activation="leaky_relu", c="101/100")
    ev = cert.evidence
    assert cert.theorem == "relu-d1-counterexample"

    def sig(z):
        return z if z > 0 else 0.01 * z
    for x in (-2.0, -0.3, 0.4, 3.0):
        f = x + sum(a * sig(b * x) for a, b in zip(w_down[0], w_up[:, 0]))
        g = float(ev.p) * sig(x) + float(ev.q) * sig(-x)
        assert abs(f - g) < 1e-12


def test_hardswish_is_class_identifiable():
    w_up, w_down = random_block()
    cert, _ = certify_pair(w_up, w_down, activation="hardswish")
    assert cert.answer == "not_absorbable" and cert.theorem == "generic-iff"


def test_certificate_file_untouched_by_a_failed_run(tmp_path):
    w_up, w_down = random_block()
    np.savez(tmp_path / "w.npz", W_up=w_up, W_down=w_down)
    out_path = tmp_path / "cert.json"
    out_path.write_text("previous")
    r = _cli(tmp_path / "w.npz", "--c", "0", "--certificate", out_path)
    assert r.returncode == 2 and out_path.read_text() == "previous"
    r = _cli(tmp_path / "w.npz", "--skip", "projected", "--certificate", out_path, "--json")
    assert r.returncode == 0 and json.loads(out_path.read_text())["skip"] == "projected"
    assert list(tmp_path.glob("*.tmp*")) == []


def test_a_float_candidate_outside_the_exact_radius_is_undecided(monkeypatch):
    """If a solver accepts an S whose exact residual is outside the radius, the answer is undecided, never
    absorbable (simulated: the decide result claims S = {0} for a random block)."""
    import indexset.decide as dec
    real = dec.decide

    def fake(*args, **kwargs):
        res = real(*args, **kwargs)
        res.index_set_exists, res.subset = True, [0]
        return res
    monkeypatch.setattr(dec, "decide", fake)
    w_up, w_down = random_block()
    cert, out = certify_pair(w_up, w_down, activation="relu")
    assert cert.answer == "undecided" and cert.evidence.kind == "search" and out["index_set_exists"] is None


def test_projected_no_cites_postnorm_with_biased_hypotheses():
    rng = np.random.default_rng(5)
    w_up, w_down = rng.standard_normal((5, 4)), rng.standard_normal((4, 5))
    cert, out = certify_pair(w_up, w_down, skip="projected", activation="relu", method="relaxation")
    assert cert.theorem == "postnorm-projected" and cert.evidence.kind == "farkas"
    assert [h["name"] for h in out["hypotheses"]] == ["G0b", "G-line-b", "G-class-b", "d>=2"]


def test_projected_certificates_are_verified_by_the_checker():
    pytest.importorskip("checker")
    rng = np.random.default_rng(5)
    for n, method in ((5, "relaxation"), (7, "box"), (30, "auto")):
        w_up, w_down = rng.standard_normal((n, 4)), rng.standard_normal((4, n))
        cert, out = certify_pair(w_up, w_down, skip="projected", activation="relu", method=method)
        assert out["checked"]["status"] == "verified", out["checked"]


@pytest.mark.parametrize("family", ["t5", "gpt2"])
def test_checkpoint_certificates_are_verified_by_the_checker(tmp_path, family):
    """Provenance of checkpoint blocks (files, keys, GPT-2's transposed Conv1D layout) is what the checker re-reads."""
    pytest.importorskip("checker")
    from checkpoints.certify import certify_checkpoint
    from checkpoints.synthetic import layer_tensors, write_checkpoint
    w_up, w_down = planted(seed=3, d=4, n=10)
    names = {role: name for name, role, _ in layer_tensors(family, 1, 4, 10)}
    conv = family == "gpt2"
    write_checkpoint(tmp_path, family, d=4, n=10, layers=2, dtype="F32",
                     overrides={names["up"]: w_up.T if conv else w_up, names["down"]: w_down.T if conv else w_down})
    out = certify_checkpoint(tmp_path, progress=False, core=True)  # the bias-free core: pre-norm blocks never absorb
    assert out["layers"][1]["answer"] == "absorbable"
    assert out["layers"][1]["certificate"]["weights"]["up"]["layout"] == ("dn" if conv else "nd")
    assert all(r["checked"]["status"] == "verified" for r in out["layers"]), [r["checked"] for r in out["layers"]]


def test_not_absorbable_says_what_the_cited_theorem_rests_on():
    """The answer names the steps of its theorem that have no complete Rocq proof for this activation (SiLU's
    class-identifiability is prose) and says so when there are none (ReLU, GELU)."""
    w_up, w_down = random_block(seed=4, d=3, n=10)
    notes = {}
    for act in ("relu", "gelu", "silu"):
        cert, out = certify_pair(w_up, w_down, activation=act)
        assert out["answer"] == "not_absorbable", out["answer"]
        notes[act] = [x for x in cert.notes if x.startswith("generic-iff for")]
    assert notes["relu"] == ["generic-iff for relu: proved in Rocq along every result it uses"]
    assert notes["gelu"] == ["generic-iff for gelu: proved in Rocq along every result it uses"]
    assert len(notes["silu"]) == 1 and "without a complete Rocq proof" in notes["silu"][0]
    assert "class-identifiable" in notes["silu"][0]


def test_proof_note_walks_only_the_activations_own_case():
    """postnorm-projected uses both biased characterizations; for ReLU the GELU one (class-bias, a human proof) is not
    what the answer rests on, and for GELU its Rocq instance replaces the general class-identifiability criterion."""
    from indexset.trusted import machine_check_gaps
    relu, gelu = machine_check_gaps("postnorm-projected", "relu"), machine_check_gaps("postnorm-projected", "gelu")
    assert "class-bias" not in relu and "class-bias" in gelu
    assert "class-identifiable" not in gelu and "class-identifiable" not in relu
    assert machine_check_gaps("relu-bias-characterization", "relu") == ()
