"""`absorb certify WEIGHTS`: decide or certify the index-set condition W_down[:, S] W_up[S, :] = -I/c for given weights."""
import json
import sys

from indexset.methods import METHODS, NAMES
from symbolic.errors import InputError

def register(subparsers) -> None:
    p = subparsers.add_parser("certify", help="decide or certify the index-set condition for MLP weights",
                              description="Reads W_up (n, d) and W_down (d, n) from .npz or .safetensors and decides "
                                          "whether some S gives W_down[:, S] W_up[S, :] = -I/c.")
    p.add_argument("weights", help=".npz (keys W_up, W_down), .safetensors file, or a Hugging Face checkpoint "
                                   "directory (every MLP block is certified)")
    p.add_argument("--up", default=None, help="key of W_up, shape (n, d) (default W_up)")
    p.add_argument("--down", default=None, help="key of W_down, shape (d, n) (default W_down)")
    p.add_argument("--c", default=None, help="the constant c of sigma(z) - sigma(-z) = c z, exact, "
                                             "1e-300 <= |c| <= 1e300 (default: the registry's c of --activation, "
                                             "else 1; a c contradicting --activation is refused)")
    p.add_argument("--method", default="auto", choices=NAMES,
                   help="; ".join(f"{m.name}: {m.summary}" for m in METHODS.values()))
    p.add_argument("--tol", default=None, help="tau: an index set counts as found when ||A/c + sum_S a_i b_i^T||_F "
                                               "<= tau ||A/c||_F, the residual computed exactly (default 1e-9)")
    p.add_argument("--force", action="store_true", help="run past the time/memory guards (estimates are printed "
                                                        "when a run is refused) and without HiGHS's time limit")
    p.add_argument("--json", action="store_true", help="print the JSON object")
    p.add_argument("--layers", default=None, help="checkpoint: MLP blocks to certify, 0-based, e.g. 0,3-5")
    p.add_argument("--activation", default=None,
                   help="registry name (see `absorb list`): for one pair, the block's activation (without it only the "
                        "index condition is decided, answer no_index_set at best); for a checkpoint, it overrides "
                        "config.json's")
    p.add_argument("--up-bias", default=None, help="one pair: key of the up bias beta (length n)")
    p.add_argument("--down-bias", default=None, help="one pair: key of the down bias delta (length d)")
    p.add_argument("--skip", default="identity", choices=("identity", "projected"),
                   help="identity: f(x) = x + ...; projected: the post-norm block of Prop. 6.8f (target -P/c, "
                        "columns P a_i, P = I - 11^T/d)")
    p.add_argument("--certificate", default=None, metavar="OUT.json",
                   help="write the certificate (docs/CERTIFICATE.md) to OUT.json, atomically, after the answer")
    p.add_argument("--absorber", default=None, metavar="OUT.safetensors|DIR",
                   help="one pair: write a residual-free block g = f (tensors W_up, W_down, b_up, b_down, float64): "
                        "the sign flip with the output bias corrected when an index set was found, else the "
                        "width-(n + d) block (needs rank W_up = d); checked (identity residual and measured error for "
                        "--activation, or a generic odd-linear sigma) before it is written, atomically")
    p.add_argument("--core", action="store_true",
                   help="checkpoint: also decide the bias-free core x + W_down sigma(W_up x) of every layer (the "
                        "paper's abstraction); by default each layer gets the verdict about the block the model "
                        "computes, biases and norm included")
    p.set_defaults(func=run)




def run(args) -> int:
    if is_checkpoint(args):
        return run_checkpoint(args)
    from checkpoints.weights import load_pair, parse_c  # numpy only: bad input fails fast

    c = parse_c(args.c) if args.c is not None else None
    from indexset.inputs import check_tol
    tol = check_tol(args.tol)
    absorber_path = getattr(args, "absorber", None)
    from indexset.api import check_output_paths
    check_output_paths([args.weights], [("--certificate", getattr(args, "certificate", None)),
                                        ("--absorber", absorber_path)])
    if absorber_path is not None:
        from indexset.api import check_absorber_path
        check_absorber_path(absorber_path)
    if getattr(args, "certificate", None) is not None:
        from indexset.api import check_certificate_path
        check_certificate_path(args.certificate)
    block = load_pair(args.weights, args.up, args.down, getattr(args, "up_bias", None),
                      getattr(args, "down_bias", None))
    from indexset.api import certify_problem, render, validate, write_absorber

    problem = validate(block.w_up, block.w_down, c=c, skip=getattr(args, "skip", "identity"), tol=tol,
                       up_bias=block.up_bias, down_bias=block.down_bias, activation=getattr(args, "activation", None),
                       dtype=block.dtype, method=args.method, force=args.force, weights=block.weights)
    try:
        cert, out = certify_problem(problem)
    except KeyboardInterrupt:
        sys.stderr.write("absorb: error: interrupted (Ctrl-C); nothing was written\n")
        return 130
    if absorber_path is not None:
        cert, out = write_absorber(problem, cert, out, absorber_path)
    if getattr(args, "certificate", None):
        from symbolic.io import write_json_atomic
        write_json_atomic(args.certificate, cert.to_json())
    if args.json:
        sys.stdout.write(json.dumps(out, sort_keys=True, indent=2, allow_nan=False) + "\n")
    else:
        sys.stdout.write(render(out) + "\n")
    return 0


def is_checkpoint(args) -> bool:
    """A directory, or a .safetensors file without the one-pair keys (W_up/W_down or --up/--down), is a
    checkpoint; --layers/--activation make sense only for one."""
    from pathlib import Path

    from checkpoints.reader import detect_family, open_checkpoint, read_safetensors_header
    from checkpoints.weights import DEFAULT_DOWN, DEFAULT_UP
    path = Path(args.weights)
    pair_keys = args.up is not None or args.down is not None
    checkpoint_flags = getattr(args, "layers", None) is not None or getattr(args, "core", False)
    if path.is_dir():
        if pair_keys:
            raise InputError("--up/--down name one pair in a single file; a checkpoint directory is certified "
                             "layer by layer (select layers with --layers)")
        return True
    if path.is_file() and path.suffix.lower() == ".safetensors" and not pair_keys:
        if checkpoint_flags:
            return True
        header = read_safetensors_header(path)
        if getattr(args, "activation", None) is not None and not (DEFAULT_UP in header and DEFAULT_DOWN in header):
            return True
        if DEFAULT_UP in header and DEFAULT_DOWN in header:
            return False
        try:
            detect_family(open_checkpoint(path))
        except InputError as exc:
            raise InputError(f"{path.name}: no tensor {DEFAULT_UP!r} (give one pair with --up/--down), and not a "
                             f"checkpoint either: {str(exc).split(': ', 1)[-1]}") from None
        return True
    if checkpoint_flags:
        raise InputError("--layers applies to a checkpoint (a directory or a .safetensors file without "
                         "--up/--down)")
    return False


def run_checkpoint(args) -> int:
    for flag, value in (("--certificate", getattr(args, "certificate", None)), ("--up-bias", getattr(args, "up_bias", None)),
                        ("--down-bias", getattr(args, "down_bias", None))):
        if value is not None:
            raise InputError(f"{flag} applies to one pair (a .npz/.safetensors file with --up/--down); a checkpoint "
                             f"is answered layer by layer in --json")
    if getattr(args, "skip", "identity") != "identity":  # before: silently ignored for a checkpoint
        raise InputError("--skip applies to one pair; a checkpoint block's skip follows its norm placement "
                         "(post-norm blocks are answered with the projected skip)")
    if str(getattr(args, "c", "1")).strip() not in ("1", "None"):
        raise InputError("--c applies to one pair; a checkpoint is certified with the registry's c of its "
                         "activation (choose the activation with --activation)")
    from checkpoints.certify import certify_checkpoint, render
    out = certify_checkpoint(args.weights, layers=getattr(args, "layers", None),
                             activation=getattr(args, "activation", None), method=args.method,
                             tol=getattr(args, "tol", None), force=getattr(args, "force", False), progress=True,
                             core=getattr(args, "core", False), absorber_dir=getattr(args, "absorber", None))
    if args.json:
        sys.stdout.write(json.dumps(out, sort_keys=True, indent=2) + "\n")
    else:
        sys.stdout.write(render(out) + "\n")
    return 0
