"""`absorb mc EXPERIMENT|all`: run the Monte Carlo experiments, writing build/mc/<id>.json and .csv."""
import json
import sys
import time

from symbolic.errors import InputError

ORDER = ["measure-zero", "planted", "sinkhorn", "obstructions", "width"]


def register(subparsers) -> None:
    p = subparsers.add_parser("mc", help="run Monte Carlo experiments (build/mc/<id>.json and .csv)",
                              description=f"Experiments: {', '.join(ORDER)}, or all.")
    p.add_argument("experiment", help=f"one of {', '.join(ORDER)}, or all")
    p.add_argument("--samples", type=int, default=None, help="draws per cell (default: per experiment)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--json", action="store_true", help="print the written JSON objects")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 when a check fails (default: report it; the files record passed: false and the "
                        "theorem registry shows the check as failed)")
    p.set_defaults(func=run)


def run(args) -> int:
    from montecarlo.experiments import run_experiment

    if args.experiment != "all" and args.experiment not in ORDER:
        raise InputError(f"unknown experiment {args.experiment!r}: choose one of {', '.join(ORDER)}, or all")
    if args.samples is not None and args.samples < 1:
        raise InputError(f"--samples must be a positive integer, got {args.samples}")
    if args.seed < 0:
        raise InputError(f"--seed must be a non-negative integer, got {args.seed}")
    ids = ORDER if args.experiment == "all" else [args.experiment]
    results, failed = [], []
    for exp_id in ids:
        t0 = time.perf_counter()
        res = run_experiment(exp_id, samples=args.samples, seed=args.seed)
        results.append(res)
        bad = [k for k, v in res["checks"].items() if not v["passed"]]
        failed += [f"{exp_id}:{k}" for k in bad]
        if not args.json:
            marks = " ".join(f"{k}={'ok' if v['passed'] else 'FAILED'}" for k, v in sorted(res["checks"].items()))
            sys.stdout.write(f"{exp_id:<13} {time.perf_counter() - t0:6.1f} s  {marks}\n")
    if args.json:
        sys.stdout.write(json.dumps(results if len(results) > 1 else results[0], sort_keys=True, indent=2) + "\n")
    if failed:
        sys.stderr.write(f"absorb mc: checks failed: {', '.join(failed)}\n")
        return 1 if args.strict else 0
    return 0
