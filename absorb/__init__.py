"""The `absorb` command: thin wiring of symbolic/, montecarlo/ and generator/ — and a Python API for notebooks.

    >>> from absorb import classify, certify
    >>> classify("relu")["verdict"]
    'conditional'

`classify` and `certify` return exactly the objects that `absorb classify --json` and `absorb certify --json`
print; bad input raises symbolic.errors.InputError (a ValueError) with the CLI's one-line message. Imports are
lazy so that `absorb --help` stays fast.
"""

__all__ = ["classify", "certify"]


def _plain(result):
    """Typed results (dataclasses with to_json) and plain dicts alike become the documented JSON dict."""
    return result.to_json() if hasattr(result, "to_json") else result


def classify(name=None, *, expr=None, gate=None) -> dict:
    """Classify an activation given by registry name or alias (`classify("gelu")`), as an ungated expression
    sigma(z) (`classify(expr="z*sigmoid(z)")`) or as the gate of a GLU-style block (`classify(gate="sigmoid(z)")`).
    Exactly one of the three."""
    from symbolic.errors import InputError
    given = [x for x in (name, expr, gate) if x is not None]
    if len(given) != 1:
        raise InputError("give exactly one of name, expr= or gate=")
    for value in given:
        if not isinstance(value, str):
            raise InputError(f"activation must be given as a string, got {type(value).__name__}")
    from symbolic.classify import classify as classify_activation, classify_text
    if name is not None:
        from symbolic.activations import get_activation
        return _plain(classify_activation(get_activation(name)))
    return _plain(classify_text(expr if expr is not None else gate, kind="ungated" if expr is not None else "gated"))


def certify(weights, w_down=None, *, c="1", method="auto", up=None, down=None, layers=None, activation=None,
            tol=None, force=False, core=False) -> dict:
    """Decide the index-set condition W_down[:, S] W_up[S, :] = -I/c.

    - `certify(w_up, w_down, c="1")` with arrays: W_up (n, d), W_down (d, n) -> the one-pair JSON dict;
    - `certify("weights.npz")` (keys W_up/W_down, or up=/down=) -> the one-pair JSON dict;
    - `certify("checkpoint_dir")` or a .safetensors checkpoint -> {"source", "family", "activation", "verdict",
      "norm", "block_verdict", "layers": [...]} with the registry's c for the configured (or `activation=`)
      activation; `layers="0,3-5"`; every layer gets the verdict about the block the model computes (biases and
      norm included), and `core=True` also decides the bias-free core (the paper's abstraction).
    """
    from pathlib import Path

    from symbolic.errors import InputError
    if w_down is not None:
        import numpy as np

        from checkpoints.weights import validate_pair
        arrays = []
        for label, arr in (("w_up", weights), ("w_down", w_down)):
            try:
                arr = np.asarray(arr, dtype=np.float64)
            except (TypeError, ValueError):
                raise InputError(f"{label} must be a numeric 2-D array") from None
            if arr.ndim != 2:
                raise InputError(f"{label} must be 2-D, got shape {tuple(arr.shape)}")
            if not np.isfinite(arr).all():
                raise InputError(f"{label} has non-finite values (NaN/inf)")
            arrays.append(np.ascontiguousarray(arr))
        validate_pair(arrays[0], arrays[1], "w_up", "w_down")
        return _one_pair(arrays[0], arrays[1], c, method, tol, force)
    if not isinstance(weights, (str, Path)):
        raise InputError("give a path, or the two arrays certify(w_up, w_down)")
    from argparse import Namespace

    from absorb.cmd_certify import is_checkpoint
    from checkpoints.certify import certify_checkpoint
    args = Namespace(weights=str(weights), up=up, down=down, layers=layers, activation=activation)
    if is_checkpoint(args):
        return certify_checkpoint(weights, layers=layers, activation=activation, method=method, tol=tol,
                                  force=force, progress=False, core=core)
    from checkpoints.weights import load_weights
    w_up, w_down = load_weights(weights, up, down)
    return _one_pair(w_up, w_down, c, method, tol, force)


def _one_pair(w_up, w_down, c, method, tol, force) -> dict:
    from checkpoints.certify import _decide_kwargs
    from checkpoints.weights import parse_c
    from indexset.decide import decide
    from indexset.result import result_json
    return result_json(decide(w_up, w_down, c=parse_c(c), **_decide_kwargs(method, tol, force)))
