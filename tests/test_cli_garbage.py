"""No traceback reaches a user (issue 13): every `absorb` subcommand, run on garbage arguments, files and
environment, exits 2 with exactly one `absorb: error:` line on stderr; unexpected exceptions become one line too
(exit 1), with the traceback only under ABSORB_DEBUG=1."""
import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest

ABSORB = [sys.executable, "-m", "absorb.cli"]
HAS_CONTINUITY = importlib.util.find_spec("absorb.cmd_continuity") is not None


def run(args, cwd, env=None, timeout=120):
    return subprocess.run(ABSORB + list(args), capture_output=True, text=True, timeout=timeout, cwd=cwd,
                          env={**os.environ, "PYTHONHASHSEED": "0", **(env or {})})


@pytest.fixture(scope="module")
def garbage(tmp_path_factory):
    """Garbage files every reading subcommand is fed."""
    root = tmp_path_factory.mktemp("garbage")
    (root / "text.npz").write_text("this is not numpy\n")
    (root / "random.safetensors").write_bytes(bytes(range(256)) * 3)
    (root / "empty.npz").write_bytes(b"")
    (root / "adir.npz").mkdir()
    (root / "a_file").write_text("x\n")
    np.savez(root / "wrongkeys.npz", a=np.ones((2, 2)))
    np.savez(root / "nan.npz", W_up=np.full((3, 2), np.nan), W_down=np.ones((2, 3)))
    np.savez(root / "cube.npz", W_up=np.ones((3, 2, 1)), W_down=np.ones((2, 3)))
    np.savez(root / "mismatch.npz", W_up=np.ones((3, 2)), W_down=np.ones((4, 3)))
    return root


CASES = [
    ["list", "--bogus"], ["list", "extra"],
    ["classify", "--expr", "1e99999999*z"], ["classify", "--expr", "1e5000*z"],
    ["classify", "--expr", "exp(exp(100))*z"], ["classify", "--expr", "((2**64)**64)**64*z"],
    ["classify", "--expr", "sqrt(-1)*z"], ["classify", "--expr", "log(z)"], ["classify", "--expr", "z\x01"],
    ["classify", "--expr", "-"], ["classify", "--expr", "--json"], ["classify", "--gate", "-(" * 500],
    ["classify", "no_such_activation"], ["classify", "x" * 10000], ["classify", "--expr", "z", "--gate", "z"],
    ["certify", "/nonexistent/w.npz"], ["certify", "text.npz"], ["certify", "random.safetensors"],
    ["certify", "empty.npz"], ["certify", "adir.npz"], ["certify", "wrongkeys.npz"], ["certify", "nan.npz"],
    ["certify", "cube.npz"], ["certify", "mismatch.npz"], ["certify", "mismatch.npz", "--c", "abc"],
    ["certify", "mismatch.npz", "--method", "nope"], ["certify", "--up"],
    ["mc", "no-such-experiment"], ["mc", "planted", "--samples", "abc"], ["mc"],
    ["graph", "no-such-id"], ["graph", "--bogus"],
    ["lean", "--bogus"], ["appendix", "--bogus"],
    ["nonsense-command"], [],
]
if HAS_CONTINUITY:
    CASES += [["continuity", "/nonexistent/model"], ["continuity", "text.npz"], ["continuity", "adir.npz"]]


def _assert_one_line_exit_2(out):
    assert "Traceback" not in out.stderr, out.stderr
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2, (out.returncode, out.stderr)
    assert len(lines) == 1 and lines[0].startswith("absorb: error: "), out.stderr


@pytest.mark.parametrize("args", CASES, ids=lambda a: " ".join(a)[:50] or "no-arguments")
def test_garbage_gives_one_line_and_exit_2(args, garbage):
    _assert_one_line_exit_2(run(args, cwd=garbage))


@pytest.mark.parametrize("args", [["list"], ["classify", "relu"], ["graph"], ["certify", "nan.npz"]])
def test_absorb_build_pointing_at_a_file(args, garbage):
    """ABSORB_BUILD=<a file> used to end in a NotADirectoryError traceback."""
    out = run(args, cwd=garbage, env={"ABSORB_BUILD": str(garbage / "a_file")})
    _assert_one_line_exit_2(out)
    assert "ABSORB_BUILD" in out.stderr


def test_leading_minus_expression_needs_no_equals_sign(garbage):
    out = run(["classify", "--expr", "-log(1+exp(-z))", "--json"], cwd=garbage)
    assert out.returncode == 0, out.stderr
    assert '"verdict": "conditional"' in out.stdout
    gate = run(["classify", "--gate", "-sigmoid(z)"], cwd=garbage)
    assert gate.returncode == 0 and "gated" in gate.stdout


def test_linear_sigma_cli_verdict_always(garbage):
    out = run(["classify", "--expr", "z"], cwd=garbage)
    assert out.returncode == 0, out.stderr
    assert "verdict: always" in out.stdout and "n >= d" in out.stdout and "theorems: linear" in out.stdout


def test_unexpected_exception_is_one_line_unless_debugging(monkeypatch, capsys):
    """A bug of ours (here: a subcommand raising ZeroDivisionError) is one line with exit 1; ABSORB_DEBUG=1 raises."""
    import absorb.cli as cli
    import absorb.cmd_list as cmd_list

    def boom(args):
        raise ZeroDivisionError("boom\nsecond line")

    monkeypatch.setattr(cmd_list, "run", boom)
    monkeypatch.delenv("ABSORB_DEBUG", raising=False)
    monkeypatch.delenv("ABSORB_BUILD", raising=False)
    assert cli.main(["list"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error (ZeroDivisionError: boom second line)" in err
    monkeypatch.setenv("ABSORB_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        cli.main(["list"])


def test_os_errors_are_user_errors(monkeypatch, capsys):
    import absorb.cli as cli
    import absorb.cmd_list as cmd_list

    def unreadable(args):
        raise PermissionError(13, "Permission denied", "/root/secret")

    monkeypatch.setattr(cmd_list, "run", unreadable)
    monkeypatch.delenv("ABSORB_DEBUG", raising=False)
    monkeypatch.delenv("ABSORB_BUILD", raising=False)
    assert cli.main(["list"]) == 2
    assert capsys.readouterr().err == "absorb: error: cannot access /root/secret: Permission denied\n"


def test_classify_time_limit_bounds_sympy(garbage):
    """exp(exp(exp(exp(z)))) kept SymPy busy for minutes; with --time-limit the answer is 'undecided' in seconds."""
    import time

    start = time.perf_counter()
    out = run(["classify", "--expr", "exp(exp(exp(exp(z))))", "--time-limit", "2", "--json"], cwd=garbage)
    assert out.returncode == 0, out.stderr
    assert '"verdict": "undecided"' in out.stdout and "time budget of 2 s" in out.stdout
    assert time.perf_counter() - start < 30
    _assert_one_line_exit_2(run(["classify", "relu", "--time-limit", "-1"], cwd=garbage))
