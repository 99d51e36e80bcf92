"""`absorb mc` experiments: each module exposes ID, DEFAULT_SAMPLES, COLUMNS and run(samples, seed)
-> (payload, checks, columns, rows); run_experiment writes build/mc/<id>.json and .csv."""
import importlib

from montecarlo.experiments.common import write_outputs

MODULES = {"measure-zero": "measure_zero", "planted": "planted", "sinkhorn": "sinkhorn",
           "obstructions": "obstructions", "width": "width"}


def get(exp_id: str):
    return importlib.import_module(f"montecarlo.experiments.{MODULES[exp_id]}")


def run_experiment(exp_id: str, samples=None, seed=0) -> dict:
    mod = get(exp_id)
    samples = samples or mod.DEFAULT_SAMPLES
    payload, checks, columns, rows = mod.run(samples=samples, seed=seed)
    cmd = f"absorb mc {exp_id} --samples {samples} --seed {seed}"
    out = {"experiment": exp_id, "seed": seed, "samples": samples, "command": cmd, "checks": checks}
    out.update({k: v for k, v in payload.items() if k not in out})
    return write_outputs(exp_id, out, columns, rows)
