"""`absorb continuity PATH [--json]`: alignment of leading singular vectors between adjacent layers, per projection
family, against a Gaussian baseline of the same shapes (checkpoints/continuity.py states the rule)."""
import json
import sys

from symbolic.errors import InputError


def register(subparsers) -> None:
    p = subparsers.add_parser("continuity", help="geometric continuity of a checkpoint's projections",
                              description="Between adjacent layers: |<v1, v1'>| (input space) and |<u1, u1'>| "
                                          "(output space) for Q, K, V, O, Gate, Up, Down, with a random baseline.")
    p.add_argument("path", help="Hugging Face checkpoint directory or .safetensors file")
    p.add_argument("--draws", default="16", help="Gaussian matrix pairs per shape for the baseline (default 16)")
    p.add_argument("--seed", default=None, help="seed of the baseline (default fixed)")
    p.add_argument("--json", action="store_true", help="print the JSON object")
    p.set_defaults(func=run)


def _int(text, flag) -> int:
    try:
        return int(str(text), 10)
    except ValueError:
        raise InputError(f"{flag} must be an integer, got {text!r}") from None


def run(args) -> int:
    from checkpoints.continuity import DEFAULT_SEED, continuity, render
    from symbolic.progress import Progress
    draws = _int(args.draws, "--draws")
    seed = DEFAULT_SEED if args.seed is None else _int(args.seed, "--seed")
    if not 0 <= seed < 2 ** 63:
        raise InputError(f"--seed must be between 0 and 2^63 - 1, got {seed}")
    bar = Progress("continuity", 1)
    try:
        res = continuity(args.path, draws=draws, seed=seed, progress=bar)
    finally:
        bar.close()
    sys.stdout.write((json.dumps(res, sort_keys=True, indent=2) if args.json else render(res)) + "\n")
    return 0
