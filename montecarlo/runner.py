"""Runs experiments cell by cell, in this process or on a Dask cluster, with results independent of where they ran.

- Seeds: the cells of an experiment are listed in a fixed order and cell k gets SeedSequence(seed).spawn(K)[k], so a
  cell's draws depend only on (experiment, scale, samples, seed, k), never on the worker count or the scheduler.
- Every cell result passes through JSON (exact for floats) before it is combined, in cell order, in this process:
  the written files are byte-identical whether a cell ran here, on a worker, or came from the cache.
- Cache: each finished cell is written to build/mc/cells/<id>/<scale>-s<samples>-seed<seed>-<code hash>/<k>-<name>.json
  as soon as it arrives, so an interrupted sweep resumes from the cells already done; the hash covers the
  montecarlo sources and the activation registry, so an edit of either never reuses stale cells.
- Dask: an embedded LocalCluster (one single-threaded worker process per core by default) or an existing scheduler
  (whose workers must see this checkout and build directory). A worker that dies loses only its running cell, which
  the scheduler reruns; a cell that raises is retried twice. Logs are silenced; the only stderr output is one progress
  bar over all cells; Ctrl-C closes the client and the cluster.
"""
import hashlib
import json
import logging
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from montecarlo import experiments
from montecarlo.experiments.common import write_outputs
from symbolic.progress import Progress
from symbolic.errors import InputError
from symbolic.io import read_json, write_json_atomic
from symbolic.paths import build, build_dir

SCALES = ("quick", "paper")
_WORKER_ENV = {"NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
               "ABSORB_PROGRESS": "0"}


@dataclass(frozen=True)
class Job:
    """One cell: what a worker needs to compute it (picklable, no open resources)."""
    exp_id: str
    scale: str
    samples: int
    seed: int
    index: int
    name: str
    params: object
    seed_seq: np.random.SeedSequence
    build: str


def plain(obj):
    """numpy scalars and arrays to Python numbers and lists, tuples to lists: what JSON stores exactly."""
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return plain(obj.tolist())
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    return obj


def _roundtrip(obj):
    return json.loads(json.dumps(plain(obj), sort_keys=True))


def run_job(job: Job) -> dict:
    """Compute one cell (in a worker or here). Returns {"result": JSON-able, "elapsed_s": wall, "cpu_s": CPU}."""
    os.environ["ABSORB_BUILD"] = job.build  # registry files and kernel caches of the client's build directory
    marker = os.environ.get("ABSORB_MC_KILL_WORKER_ONCE")  # test hook: the first cell's worker dies once, mid-cell
    if marker and job.index == 0 and not os.path.exists(marker):
        Path(marker).touch()
        os._exit(1)
    mod = experiments.get(job.exp_id)
    t0, c0 = time.perf_counter(), time.process_time()
    if hasattr(mod, "run_cell"):
        result = mod.run_cell(job.params, job.samples, np.random.default_rng(job.seed_seq), job.scale)
    else:
        payload, checks, columns, rows = mod.run(samples=job.samples, seed=job.seed)
        result = {"payload": payload, "checks": checks, "columns": columns, "rows": rows, "tables": {}}
    return {"result": _roundtrip(result), "elapsed_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0}


def _inputs_hash() -> str:
    """Hash of what a cell's result depends on besides its Job: the montecarlo sources and the activation registry
    the experiments read (build/symbolic/activations.json), so editing either never reuses a stale cell."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    registry = build().activations_json
    h.update(registry.read_bytes() if registry.exists() else b"no registry")
    return h.hexdigest()[:12]


def plan(exp_id: str, samples=None, seed=0, scale="quick") -> list:
    """The cells of one experiment, in their fixed order, each with its own child seed."""
    mod = experiments.get(exp_id)
    if scale not in SCALES:
        raise InputError(f"--scale must be one of {', '.join(SCALES)}, got {scale!r}")
    if scale == "paper" and not hasattr(mod, "PAPER_SAMPLES"):
        raise InputError(f"experiment {exp_id!r} has no paper-scale configuration")
    default = mod.PAPER_SAMPLES if scale == "paper" else mod.DEFAULT_SAMPLES
    samples = int(samples or default)
    cells = mod.cells(samples, scale) if hasattr(mod, "cells") else [("all", None)]
    seeds = np.random.SeedSequence(seed).spawn(len(cells))
    build = str(build_dir())
    return [Job(exp_id, scale, samples, int(seed), k, name, params, seeds[k], build)
            for k, ((name, params), _) in enumerate(zip(cells, seeds))]


def _cache_path(job: Job, code: str) -> Path:
    return (build().mc_cells / job.exp_id / f"{job.scale}-s{job.samples}-seed{job.seed}-{code}"
            / f"{job.index:04d}-{job.name}.json")


def _combine(jobs: list, results: dict) -> dict:
    job0 = jobs[0]
    mod = experiments.get(job0.exp_id)
    ordered = [results[j.index] for j in jobs]
    if hasattr(mod, "combine"):
        out = mod.combine(ordered, job0.samples, job0.scale)
    else:
        out = ordered[0]
    cmd = f"absorb mc {job0.exp_id} --samples {job0.samples} --seed {job0.seed}"
    if job0.scale != "quick":
        cmd += f" --scale {job0.scale}"
    payload = {"experiment": job0.exp_id, "seed": job0.seed, "samples": job0.samples, "command": cmd,
               "checks": out["checks"]}
    if hasattr(mod, "cells"):
        payload["scale"] = job0.scale
    payload.update({k: v for k, v in out["payload"].items() if k not in payload})
    out_dir = build().mc_paper if job0.scale == "paper" else build().mc
    return write_outputs(job0.exp_id, payload, out["columns"], out["rows"], out_dir=out_dir,
                         tables=out.get("tables") or {})


def _in_process(todo, on_done):
    for job in todo:
        on_done(job, run_job(job))


WORKER_MEMORY_BYTES = 512 * 2**20  # one worker process with NumPy, Numba and SymPy loaded, measured ~0.4 GiB


def max_workers() -> tuple:
    """(the most worker processes this machine can host, why): 4 per core (cells are CPU-bound, more only queue)
    and one per WORKER_MEMORY_BYTES of physical memory, whichever is smaller."""
    cores = os.cpu_count() or 1
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        memory = 0
    by_memory = max(1, memory // WORKER_MEMORY_BYTES) if memory else 4 * cores
    bound = min(4 * cores, by_memory)
    return bound, (f"{cores} core(s) x 4, and {memory / 2**30:.0f} GiB at "
                   f"{WORKER_MEMORY_BYTES / 2**30:.1f} GiB per worker")


def check_scheduler_address(address: str) -> None:
    """A one-line InputError for an address Dask cannot even parse (unknown scheme, no port), checked before a
    Client exists: a half-built Client prints a traceback from its destructor after our error."""
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import get_backend
    try:
        scheme, location = parse_address(address)
        get_backend(scheme)
        if scheme in ("tcp", "tls", "ws", "wss"):
            parse_host_port(location)
    except (ValueError, TypeError) as exc:
        raise InputError(f"--scheduler {address!r} is not a Dask address such as tcp://host:8786 "
                         f"({str(exc).splitlines()[0]})") from None


def _on_dask(todo, on_done, workers, scheduler):
    import dask
    from distributed import Client, LocalCluster, as_completed

    for name in ("distributed", "tornado", "bokeh"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    cluster = client = None
    with dask.config.set({"distributed.worker.daemon": False, "distributed.admin.log-length": 0,
                          "distributed.scheduler.allowed-failures": 3}):
        try:
            if scheduler:
                try:
                    client = Client(scheduler, set_as_default=False, timeout="10s")
                except (OSError, TimeoutError, ValueError) as exc:
                    raise InputError(f"cannot connect to the Dask scheduler {scheduler!r}: {exc}") from None
            else:
                env = dict(_WORKER_ENV)
                # dashboard on a free port: a second run beside a first (port 8787 taken) prints no warning
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                       dashboard_address=":0", silence_logs=logging.CRITICAL, env=env)
                client = Client(cluster, set_as_default=False)
            run_id = uuid.uuid4().hex[:8]  # keys unique per run: a shared scheduler may serve other clients
            futures = {client.submit(run_job, job, key=f"mc-{job.exp_id}-{job.scale}-s{job.samples}-seed{job.seed}-"
                                                       f"{job.index}-{run_id}", pure=False, retries=2): job
                       for job in todo}
            for fut in as_completed(futures, loop=client.loop):
                on_done(futures[fut], fut.result())
        finally:
            if client is not None:
                client.close()
            if cluster is not None:
                cluster.close()


def run_experiments(exp_ids, samples=None, seed=0, scale="quick", workers=None, scheduler=None, cache=True,
                    on_finished=None) -> list:
    """Run the experiments' cells (cached cells skipped), write each experiment's files when its last cell is in.

    workers: worker processes of the embedded LocalCluster (default: the number of cores); 1 without a scheduler
    runs in this process. scheduler: address of an existing Dask scheduler (then workers is ignored).
    on_finished(exp_id, payload, seconds) is called as each experiment's files are written. Returns the payloads
    in the order of exp_ids.
    """
    workers = int(workers or os.cpu_count() or 1)
    if workers < 1:
        raise InputError(f"--workers must be a positive integer, got {workers}")
    plans = {exp_id: plan(exp_id, samples, seed, scale) for exp_id in exp_ids}
    code = _inputs_hash()
    results = {exp_id: {} for exp_id in exp_ids}
    written, started = {}, time.perf_counter()
    todo = []
    for exp_id, jobs in plans.items():
        for job in jobs:
            path = _cache_path(job, code)
            if cache and path.exists():
                try:
                    results[exp_id][job.index] = read_json(path)["result"]
                    continue
                except (OSError, ValueError, KeyError):
                    pass  # a damaged cache file: recompute the cell
            todo.append(job)
    bar = Progress("mc cells", len(todo))

    def finish_ready(exp_id):
        if exp_id not in written and len(results[exp_id]) == len(plans[exp_id]):
            written[exp_id] = _combine(plans[exp_id], results[exp_id])
            if on_finished:
                on_finished(exp_id, written[exp_id], time.perf_counter() - started)

    def on_done(job, out):
        if cache:
            write_json_atomic(_cache_path(job, code), out)
        results[job.exp_id][job.index] = out["result"]
        bar.update()
        finish_ready(job.exp_id)

    for exp_id in exp_ids:  # experiments entirely in the cache
        finish_ready(exp_id)
    try:
        if todo and workers == 1 and not scheduler:
            _in_process(todo, on_done)
        elif todo:
            _on_dask(todo, on_done, workers, scheduler)
    finally:
        bar.close()
    return [written[exp_id] for exp_id in exp_ids]


def estimate(exp_id: str, samples=None, seed=0, scale="quick", workers=None, pilot=20) -> dict:
    """Time a pilot run of every cell with `pilot` samples, here, single-threaded like a worker, and project the
    full run's wall time from the CPU time (which a shared machine's load does not inflate) spread over workers."""
    workers = int(workers or os.cpu_count() or 1)
    full = plan(exp_id, samples, seed, scale)
    pilot_jobs = plan(exp_id, min(pilot, full[0].samples), seed, scale)
    import numba
    before = numba.get_num_threads()
    numba.set_num_threads(1)  # a worker runs single-threaded
    try:
        per_cell = [run_job(job)["cpu_s"] for job in pilot_jobs]
    finally:
        numba.set_num_threads(before)
    factor = full[0].samples / pilot_jobs[0].samples
    cell_s = [t * factor for t in per_cell]
    return {"experiment": exp_id, "scale": scale, "samples": full[0].samples, "cells": len(full),
            "pilot_samples": pilot_jobs[0].samples, "cpu_s": sum(cell_s), "workers": workers,
            "wall_s_estimate": max(sum(cell_s) / workers, max(cell_s)),
            "slowest_cells": sorted(((round(t, 1), j.name) for t, j in zip(cell_s, full)), reverse=True)[:5],
            "cell_cpu_s": {j.name: round(t, 2) for t, j in zip(cell_s, full)}}
