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


def certify(weights, w_down=None, *, c=None, method="auto", up=None, down=None, layers=None, activation=None,
            tol=None, force=False, skip="identity", up_bias=None, down_bias=None, certificate=None, core=False,
            absorber=None) -> dict:
    """Decide the index-set condition W_down[:, S] W_up[S, :] = -A/c and answer the absorption question.

    - `certify(w_up, w_down, c="1", activation="relu")` with arrays: W_up (n, d), W_down (d, n) -> the one-pair
      JSON dict (with "certificate" and "checked"); `up_bias=`/`down_bias=` arrays, `skip="projected"`;
    - `certify("weights.npz")` (keys W_up/W_down, or up=/down=; up_bias=/down_bias= are then keys) -> the same;
    - `certify("checkpoint_dir")` or a .safetensors checkpoint -> {"source", "family", "activation", "verdict",
      "layers": [...]} with the registry's c for the configured (or `activation=`) activation; `layers="0,3-5"`.
    `certificate="OUT.json"` writes the one-pair certificate atomically after the answer; `absorber="OUT.safetensors"`
      writes the checked residual-free block (sign flip, else width n + d) and fills the certificate's "absorber".
      Every checkpoint layer gets the verdict about the block the model computes (biases and norm included, field
      "block_verdict"); `core=True` also decides the bias-free core (the paper's abstraction).
    """
    from pathlib import Path

    from symbolic.errors import InputError
    if w_down is not None:
        from indexset.api import validate
        problem = validate(weights, w_down, c=c, skip=skip, tol=tol, up_bias=up_bias, down_bias=down_bias,
                           activation=activation, method=method, force=force)
        return _answer(problem, certificate, absorber)
    if not isinstance(weights, (str, Path)):
        raise InputError("give a path, or the two arrays certify(w_up, w_down)")
    from argparse import Namespace

    from absorb.cmd_certify import is_checkpoint
    from checkpoints.certify import certify_checkpoint
    args = Namespace(weights=str(weights), up=up, down=down, layers=layers, activation=activation)
    if is_checkpoint(args):
        if c is not None and str(c).strip() != "1":
            raise InputError("c applies to one pair; a checkpoint is certified with the registry's c of its "
                             "activation (choose the activation with activation=)")
        if certificate is not None or up_bias is not None or down_bias is not None:
            raise InputError("certificate=, up_bias= and down_bias= apply to one pair, not to a checkpoint")
        return certify_checkpoint(weights, layers=layers, activation=activation, method=method, tol=tol,
                                  force=force, progress=False, core=core, absorber_dir=absorber)
    from checkpoints.weights import load_pair, parse_c
    from indexset.api import check_output_paths
    check_output_paths([weights], [("certificate", certificate), ("absorber", absorber)])
    block = load_pair(weights, up, down, up_bias, down_bias)
    from indexset.api import validate
    problem = validate(block.w_up, block.w_down, c=parse_c(c) if c is not None else None, skip=skip, tol=tol, up_bias=block.up_bias,
                       down_bias=block.down_bias, activation=activation, dtype=block.dtype, method=method,
                       force=force, weights=block.weights)
    return _answer(problem, certificate, absorber)


def _answer(problem, certificate, absorber=None) -> dict:
    from indexset.api import certify_problem, check_absorber_path, check_certificate_path, write_absorber
    if absorber is not None:
        check_absorber_path(absorber)
    if certificate is not None:
        check_certificate_path(certificate)
    cert, out = certify_problem(problem)
    if absorber is not None:
        cert, out = write_absorber(problem, cert, out, absorber)
    if certificate is not None:
        from symbolic.io import write_json_atomic
        write_json_atomic(certificate, cert.to_json())
    return out
