"""`absorb certify WEIGHTS`: decide or certify the index-set condition W_down[:, S] W_up[S, :] = -I/c for given weights."""
import json
import sys

from symbolic.errors import InputError

DESIGN_FIELDS = ("d", "n", "c", "method", "index_set_exists", "subset", "distance", "distance_lower_bound", "elapsed_s")
EXTRA_FIELDS = ("certificate_verified", "r_ls", "r_box")


def register(subparsers) -> None:
    p = subparsers.add_parser("certify", help="decide or certify the index-set condition for MLP weights",
                              description="Reads W_up (n, d) and W_down (d, n) from .npz or .safetensors and decides "
                                          "whether some S gives W_down[:, S] W_up[S, :] = -I/c.")
    p.add_argument("weights", help=".npz (keys W_up, W_down), .safetensors file, or a Hugging Face checkpoint "
                                   "directory (every MLP block is certified)")
    p.add_argument("--up", default=None, help="key of W_up, shape (n, d) (default W_up)")
    p.add_argument("--down", default=None, help="key of W_down, shape (d, n) (default W_down)")
    p.add_argument("--c", default="1", help="the constant c of sigma(z) - sigma(-z) = c z, exact (default 1)")
    p.add_argument("--method", default="auto", choices=["auto", "exhaustive", "relaxation", "box"])
    p.add_argument("--json", action="store_true", help="print the JSON object")
    p.add_argument("--layers", default=None, help="checkpoint: MLP blocks to certify, 0-based, e.g. 0,3-5")
    p.add_argument("--activation", default=None,
                   help="checkpoint: registry name overriding config.json's activation (see `absorb list`)")
    p.set_defaults(func=run)


def result_json(res: dict) -> dict:
    out = {k: res.get(k) for k in DESIGN_FIELDS}
    for k in EXTRA_FIELDS:
        if k in res:
            out[k] = res[k]
    return out


def _human(res: dict) -> str:
    d, n, c = res["d"], res["n"], res["c"]
    head = f"W_up {n}x{d}, W_down {d}x{n}, c = {c}, method {res['method']} ({res['elapsed_s']:.3f} s)"
    lines = [head]
    if res["index_set_exists"] is True:
        s = res["subset"]
        shown = ", ".join(map(str, s[:20])) + (", ..." if len(s) > 20 else "")
        exact = ("exactly zero in rational arithmetic" if res["certificate_verified"]
                 else "zero up to float64 rounding (not exactly zero)")
        lines.append(f"INDEX SET FOUND: |S| = {len(s)}, S = {{{shown}}}; residual ||I/c + sum_S a_i b_i^T||_F = "
                     f"{res['distance']:.3g}, {exact}.")
        lines.append("Sign-flipping these rows of W_up absorbs the skip for any activation with "
                     "sigma(z) - sigma(-z) = c z.")
    elif res["index_set_exists"] is False:
        how = {"farkas-ls": "exact Farkas certificate phi(R_LS) > 0", "farkas-box": "exact Farkas certificate "
               "phi(R_box) > 0", "enumeration": f"exhaustive search over all 2^{n} subsets"}[res["certificate"]]
        lines.append(f"NO INDEX SET: {how}; distance to the condition >= {res['distance_lower_bound']:.6g}.")
        lines.append("So no sign flip absorbs the skip. Under the genericity conditions of Cor. 6.3 ((G0) and "
                     "(G-line) with d >= 2 for ReLU-type sigma, (G0) and (G-class) for GELU/SiLU-type sigma) no "
                     "residual-free block of width <= n absorbs it either.")
    else:
        lines.append(f"UNDECIDED: no certificate found (box bound {res.get('r_box', float('nan')):.3g}); "
                     f"n = {n} is too large for exhaustive search.")
    for key in ("r_ls", "r_box"):
        if key in res:
            lines.append(f"  {key} = {res[key]:.6g}")
    return "\n".join(lines)


def run(args) -> int:
    from absorb.certify_checkpoint import is_checkpoint, run_checkpoint
    if is_checkpoint(args):
        return run_checkpoint(args)
    from montecarlo.weights import MAX_EXHAUSTIVE_N, load_weights, parse_c  # numpy only: bad input fails fast

    c = parse_c(args.c)
    w_up, w_down = load_weights(args.weights, args.up, args.down)
    if args.method == "exhaustive" and w_up.shape[0] > MAX_EXHAUSTIVE_N:
        raise InputError(f"--method exhaustive needs n <= {MAX_EXHAUSTIVE_N} (2^n subsets); this layer has "
                         f"n = {w_up.shape[0]}")
    from montecarlo.decide import decide

    res = decide(w_up, w_down, c=c, method=args.method)
    if args.json:
        sys.stdout.write(json.dumps(result_json(res), sort_keys=True, indent=2) + "\n")
    else:
        sys.stdout.write(_human(res) + "\n")
    return 0
