"""The registry of `absorb mc` experiments: every module of this package that declares ID (a string literal) is one
experiment; ids are read from the sources without importing them.

An experiment module exposes ID (the name used on the command line, in build/mc/<ID>.json and in the theorem
registry's `mc` links), DEFAULT_SAMPLES, COLUMNS (its CSV columns) and either
- run(samples, seed) -> (payload, checks, columns, rows): the whole experiment as one cell, or
- cells(samples, scale) -> [(name, params)], run_cell(params, samples, rng, scale) -> JSON-able result, and
  combine(results, samples, scale) -> {"payload", "checks", "columns", "rows", "tables"}: independent cells that
  montecarlo.runner distributes (Dask) with one seed per cell; `tables` maps extra CSV file names to (columns, rows).
Optionally PAPER_SAMPLES: the experiment has a paper-scale configuration (`absorb mc ID --scale paper`).
Adding an experiment is adding one module; nothing else lists them.
"""
import ast
import importlib
import pkgutil
from functools import lru_cache
from pathlib import Path

from symbolic.errors import InputError


def _declared_id(path: Path):
    """The string assigned to ID at the top level of a module's source, or None: read without importing (the
    experiments import Numba and SciPy, which `absorb --help` must not wait for)."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "ID" for t in node.targets)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            return node.value.value
    return None


@lru_cache(maxsize=1)
def _registry() -> dict:
    """{experiment id: module name}, from the package's modules that declare ID."""
    found = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        exp_id = _declared_id(Path(__path__[0]) / f"{info.name}.py")
        if exp_id is None:
            continue
        if exp_id in found:
            raise RuntimeError(f"experiment id {exp_id!r} declared by two modules")
        found[exp_id] = info.name
    return found


def ids() -> list:
    """All experiment ids, sorted."""
    return sorted(_registry())


def get(exp_id: str):
    """The module of one experiment (imported now)."""
    try:
        name = _registry()[exp_id]
    except KeyError:
        raise InputError(f"unknown experiment {exp_id!r}: choose one of {', '.join(ids())}, or all") from None
    mod = importlib.import_module(f"{__name__}.{name}")
    if getattr(mod, "ID", None) != exp_id:
        raise RuntimeError(f"montecarlo/experiments/{name}.py: ID must be the string literal {exp_id!r}")
    return mod


def run_experiment(exp_id: str, samples=None, seed=0, scale="quick", workers=1, scheduler=None, cache=False) -> dict:
    """Run one experiment and write build/mc[/paper]/<id>.json and .csv; returns the JSON object written."""
    from montecarlo.runner import run_experiments
    return run_experiments([exp_id], samples=samples, seed=seed, scale=scale, workers=workers, scheduler=scheduler,
                           cache=cache)[0]
