"""The Python API `from absorb import classify, certify`: the README's example runs (doctest), and the results are
the very objects that `--json` prints."""
import doctest
import json
import re

import numpy as np
import pytest

import absorb
from checkpoints.synthetic import write_checkpoint
from symbolic.errors import InputError
from symbolic.paths import ROOT


def _cli_json(capsys, *argv):
    from absorb.cli import main
    assert main([*map(str, argv), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _no_time(obj):
    if isinstance(obj, dict):
        return {k: _no_time(v) for k, v in obj.items() if k != "elapsed_s"}
    if isinstance(obj, list):
        return [_no_time(v) for v in obj]
    return obj


def test_readme_example_runs():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"## Your model\n(.*?)\n## ", text, re.S)
    assert m, "README has no 'Your model' section"
    test = doctest.DocTestParser().get_doctest(m.group(1), {}, "README.md#your-model", "README.md", 0)
    assert len(test.examples) >= 8
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


@pytest.mark.parametrize("argv,kwargs", [(["relu"], {"name": "relu"}),
                                         (["--expr", "z*sigmoid(z)"], {"expr": "z*sigmoid(z)"}),
                                         (["--gate", "sigmoid(z)"], {"gate": "sigmoid(z)"})])
def test_classify_equals_cli_json(capsys, argv, kwargs):
    assert absorb.classify(**kwargs) == _cli_json(capsys, "classify", *argv)


def test_certify_arrays_and_path_equal_cli_json(tmp_path, capsys):
    rng = np.random.default_rng(4)
    w_up, w_down = rng.standard_normal((10, 3)), rng.standard_normal((3, 10))
    np.savez(tmp_path / "w.npz", W_up=w_up, W_down=w_down)
    cli = _no_time(_cli_json(capsys, "certify", tmp_path / "w.npz", "--c", "3/2"))
    arrays = _no_time(absorb.certify(w_up, w_down, c="3/2"))
    # the in-memory arrays have no file provenance ("weights": null); everything else agrees
    assert arrays["certificate"].pop("weights") is None and cli["certificate"].pop("weights")["files"]
    assert arrays == cli
    path = _no_time(absorb.certify(tmp_path / "w.npz", c="3/2"))
    path["certificate"].pop("weights")
    assert path == cli


def test_certify_checkpoint_equals_cli_json(tmp_path, capsys):
    write_checkpoint(tmp_path, "t5", d=4, n=10, layers=3)
    cli = _no_time(_cli_json(capsys, "certify", tmp_path, "--layers", "1-2"))
    assert _no_time(absorb.certify(str(tmp_path), layers="1-2")) == cli


@pytest.mark.parametrize("call", [
    lambda: absorb.classify(),
    lambda: absorb.classify("relu", expr="z"),
    lambda: absorb.classify(3),
    lambda: absorb.classify("no_such_activation"),
    lambda: absorb.certify(np.ones((3, 2)), np.ones((3, 2))),
    lambda: absorb.certify(np.ones((3, 2)), np.full((2, 3), np.nan)),
    lambda: absorb.certify(np.ones(3), np.ones(3)),
    lambda: absorb.certify(42),
    lambda: absorb.certify("/no/such/file.npz"),
])
def test_bad_input_raises_input_error(call):
    with pytest.raises(InputError):
        call()
