"""`absorb mc EXPERIMENT|all`: run Monte Carlo experiments (cells on Dask), writing build/mc/<id>.json and .csv."""
import json
import os
import sys

from symbolic.errors import InputError


def _experiment_ids() -> list:
    from montecarlo import experiments
    return experiments.ids()


def register(subparsers) -> None:
    ids = _experiment_ids()
    p = subparsers.add_parser("mc", help="run Monte Carlo experiments (build/mc/<id>.json and .csv)",
                              description=f"Experiments: {', '.join(ids)}, or all. Cells run on a Dask LocalCluster "
                                          f"(or an existing scheduler); the files are byte-identical whatever the "
                                          f"workers.")
    p.add_argument("experiment", help=f"one of {', '.join(ids)}, or all")
    p.add_argument("--samples", type=int, default=None, help="draws per cell (default: per experiment and scale)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=None,
                       help=f"worker processes of the embedded Dask LocalCluster (default: cores = {os.cpu_count()}); "
                            f"1 runs in this process")
    where.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="address of an existing Dask scheduler (its workers must see this checkout and build/)")
    p.add_argument("--scale", choices=("quick", "paper"), default="quick",
                   help="paper: the paper-scale configuration (measure-zero: 10^4 draws per cell, n up to 40), "
                        "written to build/mc/paper/")
    p.add_argument("--no-cache", action="store_true",
                   help="recompute every cell (default: reuse finished cells under build/mc/cells/, so an "
                        "interrupted sweep resumes)")
    p.add_argument("--estimate", action="store_true",
                   help="time a 20-draw pilot of every cell and print the projected wall time (with --json: every "
                        "cell's projected CPU seconds); writes nothing")
    p.add_argument("--force", action="store_true",
                   help="start a run whose projected time (from a pilot, for a large --samples) exceeds an hour")
    p.add_argument("--json", action="store_true", help="print the written JSON objects")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 when a check fails (default: report it; the files record passed: false and the "
                        "theorem registry shows the check as failed)")
    p.set_defaults(func=run)


def _validate(args) -> list:
    ids = _experiment_ids()
    if args.experiment != "all" and args.experiment not in ids:
        raise InputError(f"unknown experiment {args.experiment!r}: choose one of {', '.join(ids)}, or all")
    if args.samples is not None and args.samples < 1:
        raise InputError(f"--samples must be a positive integer, got {args.samples}")
    if args.seed < 0:
        raise InputError(f"--seed must be a non-negative integer, got {args.seed}")
    if args.workers is not None and args.workers < 1:
        raise InputError(f"--workers must be a positive integer, got {args.workers}")
    if args.workers is not None:
        from montecarlo.runner import max_workers
        bound, why = max_workers()
        if args.workers > bound:
            raise InputError(f"--workers {args.workers} exceeds this machine's bound of {bound} ({why})")
    if args.scheduler is not None:
        from montecarlo.runner import check_scheduler_address
        check_scheduler_address(args.scheduler)
    if args.experiment != "all":
        return [args.experiment]
    if args.scale == "paper":
        from montecarlo import experiments
        return [i for i in ids if hasattr(experiments.get(i), "PAPER_SAMPLES")]
    return ids


GUARD_DRAWS = 10**6  # below this many draws in all, a run starts without a pilot
GUARD_SECONDS = 3600.0  # a projected wall time above this is refused unless --force


def _guard_samples(args, ids) -> None:
    """A run with a huge --samples is projected from a short pilot first (as `--estimate` does) and refused with
    the projection when it would take more than an hour: a mistyped 10^12 must not start silently."""
    from montecarlo.runner import estimate, plan
    draws = sum(sum(job.samples for job in plan(i, args.samples, args.seed, args.scale)) for i in ids)
    if draws <= GUARD_DRAWS:
        return
    wall = sum(estimate(i, args.samples, args.seed, args.scale, args.workers)["wall_s_estimate"] for i in ids)
    if wall > GUARD_SECONDS:
        raise InputError(f"--samples {args.samples}: {draws:.3g} draws in all, projected from a pilot at about "
                         f"{wall / 3600:.3g} hours on {args.workers or os.cpu_count()} worker(s); rerun with "
                         f"--force to start it anyway")


def _estimate(args, ids) -> int:
    from montecarlo.runner import estimate
    for exp_id in ids:
        est = estimate(exp_id, args.samples, args.seed, args.scale, args.workers)
        if args.json:
            sys.stdout.write(json.dumps(est, sort_keys=True, indent=2) + "\n")
            continue
        sys.stdout.write(f"{exp_id}: {est['cells']} cells x {est['samples']} draws, projected from a "
                         f"{est['pilot_samples']}-draw pilot: {est['cpu_s'] / 60:.1f} core-minutes, about "
                         f"{est['wall_s_estimate'] / 60:.1f} minutes on {est['workers']} worker(s); slowest cells "
                         f"{', '.join(f'{name} {t:.0f} s' for t, name in est['slowest_cells'])}\n")
    return 0


def run(args) -> int:
    from montecarlo.runner import run_experiments

    ids = _validate(args)
    if args.estimate:
        return _estimate(args, ids)
    if args.samples is not None and not args.force:
        _guard_samples(args, ids)
    failed = []

    def report(exp_id, res, seconds):
        bad = [k for k, v in res["checks"].items() if not v["passed"]]
        failed.extend(f"{exp_id}:{k}" for k in bad)
        if not args.json:
            marks = " ".join(f"{k}={'ok' if v['passed'] else 'FAILED'}" for k, v in sorted(res["checks"].items()))
            sys.stdout.write(f"{exp_id:<13} {seconds:6.1f} s  {marks}\n")
            sys.stdout.flush()

    try:
        results = run_experiments(ids, samples=args.samples, seed=args.seed, scale=args.scale, workers=args.workers,
                                  scheduler=args.scheduler, cache=not args.no_cache, on_finished=report)
    except KeyboardInterrupt:
        sys.stderr.write("absorb mc: interrupted; finished cells are kept under build/mc/cells/ and a rerun resumes "
                         "from them\n")
        return 130
    if args.json:
        sys.stdout.write(json.dumps(results if len(results) > 1 else results[0], sort_keys=True, indent=2) + "\n")
    if failed:
        sys.stderr.write(f"absorb mc: checks failed: {', '.join(failed)}\n")
        return 1 if args.strict else 0
    return 0
