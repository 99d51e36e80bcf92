"""`absorb certify WEIGHTS`: decide or certify the index-set condition W_down[:, S] W_up[S, :] = -I/c for given weights."""
import json
import sys

from indexset.methods import NAMES, REGISTRY
from symbolic.errors import InputError

def register(subparsers) -> None:
    p = subparsers.add_parser("certify", help="decide or certify the index-set condition for MLP weights",
                              description="Reads W_up (n, d) and W_down (d, n) from .npz or .safetensors and decides "
                                          "whether some S gives W_down[:, S] W_up[S, :] = -I/c.")
    p.add_argument("weights", help=".npz (keys W_up, W_down), .safetensors file, or a Hugging Face checkpoint "
                                   "directory (every MLP block is certified)")
    p.add_argument("--up", default=None, help="key of W_up, shape (n, d) (default W_up)")
    p.add_argument("--down", default=None, help="key of W_down, shape (d, n) (default W_down)")
    p.add_argument("--c", default="1", help="the constant c of sigma(z) - sigma(-z) = c z, exact, "
                                            "1e-300 <= |c| <= 1e300 (default 1)")
    p.add_argument("--method", default="auto", choices=NAMES,
                   help="; ".join(f"{m.name}: {m.summary}" for m in REGISTRY.values()))
    p.add_argument("--tol", default=None, help="tau: an index set counts as found when ||A/c + sum_S a_i b_i^T||_F "
                                               "<= tau ||A/c||_F, the residual computed exactly (default 1e-9)")
    p.add_argument("--force", action="store_true", help="run past the time/memory guards (estimates are printed "
                                                        "when a run is refused) and without HiGHS's time limit")
    p.add_argument("--json", action="store_true", help="print the JSON object")
    p.add_argument("--layers", default=None, help="checkpoint: MLP blocks to certify, 0-based, e.g. 0,3-5")
    p.add_argument("--activation", default=None,
                   help="checkpoint: registry name overriding config.json's activation (see `absorb list`)")
    p.add_argument("--core", action="store_true",
                   help="checkpoint: also decide the bias-free core x + W_down sigma(W_up x) of every layer (the "
                        "paper's abstraction); by default each layer gets the verdict about the block the model "
                        "computes, biases and norm included")
    p.set_defaults(func=run)


def _human(res) -> str:
    d, n, c = res.d, res.n, res.c
    head = f"W_up {n}x{d}, W_down {d}x{n}, c = {c}, method {res.method} ({res.elapsed_s:.3f} s)"
    lines = [head]
    if res.index_set_exists is True:
        s = res.subset
        shown = ", ".join(map(str, s[:20])) + (", ..." if len(s) > 20 else "")
        lines.append(f"INDEX SET FOUND: |S| = {len(s)}, S = {{{shown}}}; residual ||A/c + sum_S a_i b_i^T||_F = "
                     f"{res.distance:.3g}.")
        lines.append(f"Evidence: {res.evidence}.")
        lines.append("Sign-flipping these rows of W_up absorbs the skip for any activation with "
                     "sigma(z) - sigma(-z) = c z.")
    elif res.index_set_exists is False:
        lines.append(f"NO INDEX SET: {res.evidence}; distance to the condition >= {res.distance_lower_bound:.6g}.")
        if res.certificate in ("farkas-ls", "farkas-box", "enumeration"):
            lines.append("So no sign flip absorbs the skip. Under the genericity conditions of Cor. 6.3 ((G0) and "
                         "(G-line) with d >= 2 for ReLU-type sigma, (G0) and (G-class) for GELU/SiLU-type sigma) no "
                         "residual-free block of width <= n absorbs it either.")
    else:
        lines.append(f"UNDECIDED: {res.evidence.removeprefix('undecided: ')}.")
    for key in ("r_ls", "r_box"):
        val = getattr(res, key, None)
        if val is not None:
            lines.append(f"  {key} = {val:.6g}")
    return "\n".join(lines)


def _parse_tol(text):
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        raise InputError(f"--tol must be a number such as 1e-9, got {text!r}") from None


def run(args) -> int:
    if is_checkpoint(args):
        return run_checkpoint(args)
    from checkpoints.weights import load_weights, parse_c  # numpy only: bad input fails fast

    c = parse_c(args.c)
    tol = _parse_tol(args.tol)
    w_up, w_down = load_weights(args.weights, args.up, args.down)
    from indexset.decide import decide

    try:
        res = decide(w_up, w_down, c=c, method=args.method, tol=tol, force=args.force)
    except KeyboardInterrupt:
        sys.stderr.write("absorb: error: interrupted (Ctrl-C); nothing was written\n")
        return 130
    if args.json:
        from indexset.result import result_json
        sys.stdout.write(json.dumps(result_json(res), sort_keys=True, indent=2, allow_nan=False) + "\n")
    else:
        sys.stdout.write(_human(res) + "\n")
    return 0


def is_checkpoint(args) -> bool:
    """A directory, or a .safetensors file without the one-pair keys (W_up/W_down or --up/--down), is a
    checkpoint; --layers/--activation make sense only for one."""
    from pathlib import Path

    from checkpoints.reader import detect_family, open_checkpoint, read_safetensors_header
    from checkpoints.weights import DEFAULT_DOWN, DEFAULT_UP
    path = Path(args.weights)
    pair_keys = args.up is not None or args.down is not None
    checkpoint_flags = (getattr(args, "layers", None) is not None or getattr(args, "activation", None) is not None
                        or getattr(args, "core", False))
    if path.is_dir():
        if pair_keys:
            raise InputError("--up/--down name one pair in a single file; a checkpoint directory is certified "
                             "layer by layer (select layers with --layers)")
        return True
    if path.is_file() and path.suffix.lower() == ".safetensors" and not pair_keys:
        if checkpoint_flags:
            return True
        header = read_safetensors_header(path)
        if DEFAULT_UP in header and DEFAULT_DOWN in header:
            return False
        try:
            detect_family(open_checkpoint(path))
        except InputError as exc:
            raise InputError(f"{path.name}: no tensor {DEFAULT_UP!r} (give one pair with --up/--down), and not a "
                             f"checkpoint either: {str(exc).split(': ', 1)[-1]}") from None
        return True
    if checkpoint_flags:
        raise InputError("--layers and --activation apply to a checkpoint (a directory or a .safetensors file "
                         "without --up/--down)")
    return False


def run_checkpoint(args) -> int:
    if str(getattr(args, "c", "1")).strip() not in ("1", "None"):
        raise InputError("--c applies to one pair; a checkpoint is certified with the registry's c of its "
                         "activation (choose the activation with --activation)")
    from checkpoints.certify import certify_checkpoint, render
    out = certify_checkpoint(args.weights, layers=getattr(args, "layers", None),
                             activation=getattr(args, "activation", None), method=args.method,
                             tol=getattr(args, "tol", None), force=getattr(args, "force", False), progress=True,
                             core=getattr(args, "core", False))
    if args.json:
        sys.stdout.write(json.dumps(out, sort_keys=True, indent=2) + "\n")
    else:
        sys.stdout.write(render(out) + "\n")
    return 0
