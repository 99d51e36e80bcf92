"""Hostile-user regressions for `absorb certify` / `absorb check` found by the "breakit" review: each test failed on
the code before its fix."""
import json
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest

import checker
from symbolic.errors import InputError


def _leaky_planted(tmp_path):
    """A LeakyReLU block (c = 101/100) with S = {0, 1, 2}: W_down[:, S] W_up[S, :] = -I/1.01 up to float64."""
    rng = np.random.default_rng(1)
    d, n = 3, 12
    up, down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
    up[:3], down[:, :3] = -np.eye(3) / 1.01, np.eye(3)
    path = tmp_path / "leaky.npz"
    np.savez(path, W_up=up, W_down=down)
    return path, up, down


def test_leaky_relu_uses_its_own_c_by_default(tmp_path):
    """Before: c defaulted to 1 for leaky_relu, and the checker vouched "not absorbable" for this absorbable block."""
    from absorb import certify
    path, _, _ = _leaky_planted(tmp_path)
    out = certify(str(path), activation="leaky_relu")
    assert out["c"] == "101/100" and out["answer"] == "absorbable" and out["subset"] == [0, 1, 2]


@pytest.mark.parametrize("c", ["1", "2"])
def test_c_contradicting_the_activation_is_refused(tmp_path, c):
    from absorb import certify
    path, _, _ = _leaky_planted(tmp_path)
    with pytest.raises(InputError, match="contradicts activation"):
        certify(str(path), activation="leaky_relu", c=c)
    with pytest.raises(InputError, match="contradicts activation"):
        certify(str(path), activation="relu", c="2")


def test_cli_c_contradicting_activation_exits_2_one_line(tmp_path):
    path, _, _ = _leaky_planted(tmp_path)
    r = subprocess.run([sys.executable, "-c", "import sys; from absorb.cli import main; sys.exit(main())", "certify", str(path), "--activation", "leaky_relu",
                        "--c", "1"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and r.stdout == "" and len(r.stderr.strip().splitlines()) == 1
    assert "contradicts" in r.stderr


def test_checker_rejects_leaky_relu_certificate_with_c_1(tmp_path):
    """A certificate computed with c = 1 but naming leaky_relu (whose c is 101/100) claims a false not_absorbable."""
    from absorb import certify
    path, _, _ = _leaky_planted(tmp_path)
    certify(str(path), activation="relu", certificate=str(tmp_path / "c.json"))  # c = 1: no index set at c = 1
    doc = json.loads((tmp_path / "c.json").read_text())
    assert doc["answer"] == "not_absorbable"
    assert checker.check(doc).ok
    doc["activation"] = "leaky_relu"
    verdict = checker.check(doc)
    assert verdict.status == "rejected" and "101/100" in verdict.message


def test_checker_c_table_matches_registry():
    from checker.verify import C_OF, CLASS_ID, RELU_TYPE
    from symbolic.activations import get_activation
    from symbolic.classify import classify
    for name in sorted(RELU_TYPE | CLASS_ID):
        v = classify(get_activation(name))
        v = v.to_json() if hasattr(v, "to_json") else v
        assert Fraction(v["c"]) == C_OF.get(name, 1), name


def _cert(tmp_path, weights, **kw):
    from absorb import certify
    path = tmp_path / "w.npz"
    np.savez(path, **weights)
    certify(str(path), certificate=str(tmp_path / "c.json"), **kw)
    return json.loads((tmp_path / "c.json").read_text())


@pytest.mark.parametrize("tau", ["1", "1000000000"])
def test_checker_refuses_tau_of_one_or_more(tmp_path, tau):
    """Before: a hand-edited radius tau = 1 with S = {} was 'VERIFIED: absorbable (tolerance)' for any weights."""
    rng = np.random.default_rng(0)
    doc = _cert(tmp_path, {"W_up": rng.standard_normal((8, 3)), "W_down": rng.standard_normal((3, 8))},
                activation="relu")
    assert doc["answer"] == "not_absorbable"
    doc.update(answer="absorbable", grade="tolerance", theorem=None, distance_lower_bound=None)
    doc["evidence"] = {"kind": "existence", "subset": [], "residual_squared": "3"}
    doc["question"]["radius"] = {"kind": "relative", "tau": tau, "u": None}
    with pytest.raises(checker.CertificateError, match="tau < 1"):
        checker.check(doc)


@pytest.mark.parametrize("up", [[[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[1.0, 2.0, 0.5], [0.0, 0.0, 0.0]],
                                [[0.0, 0.0, 0.0], [1.0, 2.0, 0.5], [3.0, -1.0, 2.0]]])
def test_zero_rows_hypotheses_agree_with_the_checker(tmp_path, up):
    """Before: W_up with a zero row got "G-line holds" (zero rows skipped), the checker found G-line failing and
    rejected the certificate (found by comparing auto with exhaustive on random instances)."""
    up = np.array(up)
    down = np.array([[-86.5, 332.5, 1.0], [22.5, -35.5, 2.0], [-28.0, -67.0, 3.0]])[:, :up.shape[0]]
    doc = _cert(tmp_path, {"W_up": up, "W_down": down})
    verdict = checker.check(doc)
    assert verdict.ok, verdict.message
    line = {h["name"]: h["holds"] for h in doc["hypotheses"]}
    assert line["G-line"] is False


@pytest.mark.parametrize("wrapper", [RuntimeError, SystemError])
def test_ctrl_c_wrapped_by_python_or_numba_is_an_interrupt(monkeypatch, capsys, wrapper):
    """Before: Ctrl-C during an import ('Error calling __set_name__' RuntimeError) or inside a Numba call
    (SystemError 'returned a result with an exception set') was reported as an internal error, exit 1."""
    import absorb.cmd_certify
    from absorb.cli import main

    def interrupted(args):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise wrapper("wrapped") from exc
    monkeypatch.setattr(absorb.cmd_certify, "run", interrupted)
    monkeypatch.setattr("absorb.cli.build_parser", lambda: _parser_running(interrupted))
    assert main(["certify", "x.npz"]) == 130
    assert capsys.readouterr().err == "absorb: interrupted\n"


def _parser_running(func):
    import argparse
    p = argparse.ArgumentParser()
    p.add_argument("cmd")
    p.add_argument("path")
    p.set_defaults(func=func)
    return p


def test_sigint_deferred_delivers_after_the_block():
    import os
    import signal
    from indexset.interrupt import sigint_deferred
    reached = []
    with pytest.raises(KeyboardInterrupt):
        with sigint_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            reached.append("after kill, inside the block")
    assert reached == ["after kill, inside the block"]


def _main(argv):
    from absorb.cli import main
    return main(argv)


@pytest.mark.parametrize("flag,name", [("--certificate", "w.npz"), ("--absorber", "w.safetensors")])
def test_output_naming_the_weights_file_is_refused(tmp_path, capsys, flag, name):
    """Before: `--certificate w.npz` overwrote the weights with the certificate JSON (exit 0)."""
    rng = np.random.default_rng(0)
    arrays = {"W_up": rng.standard_normal((6, 2)), "W_down": rng.standard_normal((2, 6))}
    path = tmp_path / name
    if name.endswith(".npz"):
        np.savez(path, **arrays)
    else:
        from safetensors.numpy import save_file
        save_file(arrays, str(path))
    before = path.read_bytes()
    assert _main(["certify", str(path), flag, str(path)]) == 2
    assert "weights file being read" in capsys.readouterr().err
    assert path.read_bytes() == before
    with pytest.raises(InputError, match="weights file being read"):
        from absorb import certify
        certify(str(path), **{flag.lstrip("-"): str(path)})
    assert path.read_bytes() == before


def test_certificate_and_absorber_on_one_path_refused(tmp_path, capsys):
    rng = np.random.default_rng(0)
    path = tmp_path / "w.npz"
    np.savez(path, W_up=rng.standard_normal((6, 2)), W_down=rng.standard_normal((2, 6)))
    out = str(tmp_path / "o.safetensors")
    assert _main(["certify", str(path), "--certificate", out, "--absorber", out]) == 2
    assert "same file" in capsys.readouterr().err


def test_relu_d1_counterexample_names_the_down_bias():
    """Before: with a down bias delta the answer said 'g(x) = p relu(x) + q relu(-x) equals f' (g(0) = 0 != delta)."""
    from indexset.api import certify_pair
    from indexset.api import render
    up, down = np.array([[1.0], [2.0], [-0.5]]), np.array([[0.25, -1.0, 3.0]])
    _, out = certify_pair(up, down, activation="relu", down_bias=np.array([0.5]))
    assert out["answer"] == "absorbable" and "relu(-x) + 0.5 equals f" in render(out)
    _, out = certify_pair(up, down, activation="relu")
    assert "relu(-x) equals f" in render(out)


def test_skip_projected_on_a_checkpoint_exits_2(tmp_path, capsys):
    from checkpoints.synthetic import write_checkpoint
    write_checkpoint(tmp_path, "bert", d=4, n=8, layers=1, dtype="F32", seed=0)
    assert _main(["certify", str(tmp_path), "--skip", "projected"]) == 2
    err = capsys.readouterr().err
    assert "--skip applies to one pair" in err and len(err.splitlines()) == 1


def test_huge_entries_leak_no_runtime_warning(tmp_path):
    """Before: an exact index set plus one entry 1e300 printed 'RuntimeWarning: overflow encountered in multiply'
    (numpy.linalg.norm inside meet-in-the-middle) next to a correct answer."""
    import warnings
    from absorb import certify
    rng = np.random.default_rng(0)
    up, down = rng.standard_normal((16, 3)), rng.standard_normal((3, 16))
    up[:3], down[:, :3] = -np.eye(3), np.eye(3)
    up[7, 1], down[2, 9] = 1e-314, 1e300
    path = tmp_path / "w.npz"
    np.savez(path, W_up=up, W_down=down)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        out = certify(str(path), activation="relu")
    assert out["answer"] == "absorbable" and out["grade"] == "exact" and out["checked"]["ok"]


def test_absorber_file_has_the_umask_mode(tmp_path):
    """Before: the absorber was left with mkstemp's 0600 while the certificate got the umask's mode."""
    import os
    from symbolic.io import _MODE
    rng = np.random.default_rng(0)
    path = tmp_path / "w.npz"
    np.savez(path, W_up=rng.standard_normal((6, 2)), W_down=rng.standard_normal((2, 6)))
    out = tmp_path / "g.safetensors"
    assert _main(["certify", str(path), "--activation", "relu", "--absorber", str(out)]) == 0
    assert os.stat(out).st_mode & 0o777 == _MODE


def test_certificate_in_a_missing_directory_is_refused_before_numerics(tmp_path):
    import subprocess
    import sys
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "w.npz", W_up=rng.standard_normal((5, 2)), W_down=rng.standard_normal((2, 5)))
    target = tmp_path / "missing" / "cert.json"
    proc = subprocess.run([sys.executable, "-m", "absorb.cli", "certify", str(tmp_path / "w.npz"), "--certificate",
                           str(target)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    assert not target.parent.exists()
