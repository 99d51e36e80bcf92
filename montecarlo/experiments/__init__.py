"""The registry of `absorb mc` experiments: every module of this package that defines ID is one experiment.

An experiment module exposes ID (the name used on the command line, in build/mc/<ID>.json and in the theorem
registry's `mc` links), DEFAULT_SAMPLES, COLUMNS (its CSV columns) and either
- run(samples, seed) -> (payload, checks, columns, rows): the whole experiment as one cell, or
- cells(samples, scale) -> [(name, params)], run_cell(params, samples, rng, scale) -> JSON-able result, and
  combine(results, samples, scale) -> {"payload", "checks", "columns", "rows", "tables"}: independent cells that
  montecarlo.runner distributes (Dask) with one seed per cell; `tables` maps extra CSV file names to (columns, rows).
Optionally PAPER_SAMPLES: the experiment has a paper-scale configuration (`absorb mc ID --scale paper`).
Adding an experiment is adding one module; nothing else lists them.
"""
import importlib
import pkgutil
from functools import lru_cache

from symbolic.errors import InputError


@lru_cache(maxsize=1)
def _registry() -> dict:
    found = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        mod = importlib.import_module(f"{__name__}.{info.name}")
        exp_id = getattr(mod, "ID", None)
        if exp_id is None:
            continue
        if exp_id in found:
            raise RuntimeError(f"experiment id {exp_id!r} defined by two modules")
        found[exp_id] = mod
    return found


def ids() -> list:
    """All experiment ids, sorted."""
    return sorted(_registry())


def get(exp_id: str):
    try:
        return _registry()[exp_id]
    except KeyError:
        raise InputError(f"unknown experiment {exp_id!r}: choose one of {', '.join(ids())}, or all") from None


def run_experiment(exp_id: str, samples=None, seed=0, scale="quick", workers=1, scheduler=None, cache=False) -> dict:
    """Run one experiment and write build/mc[/paper]/<id>.json and .csv; returns the JSON object written."""
    from montecarlo.runner import run_experiments
    return run_experiments([exp_id], samples=samples, seed=seed, scale=scale, workers=workers, scheduler=scheduler,
                           cache=cache)[0]
