"""`absorb mc` on Dask: byte-identical files whatever the workers, per-cell seeds, resume from the cell cache, and
one registry of experiments that agrees with the theorem registry's `mc` links."""
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from montecarlo import experiments, runner
from symbolic.paths import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "mc_activations.json"
ABSORB = str(Path(sys.executable).with_name("absorb"))
MZ_FILES = ("measure-zero.json", "measure-zero.csv", "measure-zero-distances.csv")


def _build(path: Path) -> Path:
    (path / "symbolic").mkdir(parents=True)
    (path / "symbolic" / "activations.json").write_bytes(FIXTURE.read_bytes())
    return path


def _mc(build: Path, *argv, timeout=300):
    env = dict(os.environ, ABSORB_BUILD=str(build), ABSORB_PROGRESS="1")
    return subprocess.run([ABSORB, "mc", *argv], capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout)


def test_one_and_two_workers_write_byte_identical_files(tmp_path):
    one, two = _build(tmp_path / "one"), _build(tmp_path / "two")
    r1 = _mc(one, "measure-zero", "--samples", "2", "--seed", "5", "--workers", "1")
    r2 = _mc(two, "measure-zero", "--samples", "2", "--seed", "5", "--workers", "2")
    assert r1.returncode == 0 and r2.returncode == 0, (r1.stderr, r2.stderr)
    for name in MZ_FILES:
        assert (one / "mc" / name).read_bytes() == (two / "mc" / name).read_bytes(), name
    # an existing scheduler (here a LocalCluster of this test process) gives the same bytes
    from distributed import LocalCluster
    ext = _build(tmp_path / "ext")
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None,
                      silence_logs=50) as cluster:
        r3 = _mc(ext, "measure-zero", "--samples", "2", "--seed", "5", "--scheduler", cluster.scheduler_address)
    assert r3.returncode == 0, r3.stderr
    for name in MZ_FILES:
        assert (one / "mc" / name).read_bytes() == (ext / "mc" / name).read_bytes(), name
    # stderr carries nothing but the progress bar (no Dask log lines, no warnings)
    for line in r2.stderr.splitlines():
        assert line.startswith("mc cells"), line
    data = json.loads((one / "mc" / "measure-zero.json").read_text())
    assert data["scale"] == "quick" and data["command"] == "absorb mc measure-zero --samples 2 --seed 5"
    header = (one / "mc" / "measure-zero.csv").read_text().splitlines()[0].split(",")
    assert {"dist_q25", "dist_q75"} <= set(header)
    dist = (one / "mc" / "measure-zero-distances.csv").read_text().splitlines()
    assert dist[0] == "ensemble,d,n,draw,distance"
    assert len(dist) - 1 == 2 * len(data["cells"])  # two draws per cell, all cells enumerated at the quick scale


def test_cells_have_independent_seeds_in_a_fixed_order():
    jobs = runner.plan("measure-zero", samples=3, seed=7)
    again = runner.plan("measure-zero", samples=3, seed=7)
    assert [j.name for j in jobs] == [j.name for j in again]
    states = [tuple(j.seed_seq.generate_state(2)) for j in jobs]
    assert states == [tuple(j.seed_seq.generate_state(2)) for j in again]
    assert len(set(states)) == len(jobs)  # every cell its own stream
    other = runner.plan("measure-zero", samples=3, seed=8)
    assert tuple(other[0].seed_seq.generate_state(2)) != states[0]


def test_cell_results_do_not_depend_on_which_other_cells_ran():
    jobs = runner.plan("measure-zero", samples=2, seed=1)
    k = 5
    alone = runner.run_job(jobs[k])["result"]
    for job in jobs[:3]:
        runner.run_job(job)
    assert runner.run_job(jobs[k])["result"] == alone


def test_interrupted_sweep_resumes_from_cached_cells(tmp_path, monkeypatch):
    build = _build(tmp_path / "b")
    monkeypatch.setenv("ABSORB_BUILD", str(build))
    monkeypatch.setenv("ABSORB_PROGRESS", "0")
    calls = []
    real = runner.run_job

    def dying(job):
        if len(calls) == 4:
            raise KeyboardInterrupt
        calls.append(job.index)
        return real(job)

    monkeypatch.setattr(runner, "run_job", dying)
    with pytest.raises(KeyboardInterrupt):
        runner.run_experiments(["measure-zero"], samples=2, seed=2, workers=1)
    assert not (build / "mc" / "measure-zero.json").exists()  # nothing half-written
    assert len(list((build / "mc" / "cells").rglob("*.json"))) == 4
    calls.clear()
    monkeypatch.setattr(runner, "run_job", lambda job: (calls.append(job.index), real(job))[1])
    runner.run_experiments(["measure-zero"], samples=2, seed=2, workers=1)
    assert 0 not in calls and min(calls) == 4  # the four finished cells were not recomputed
    resumed = {n: (build / "mc" / n).read_bytes() for n in MZ_FILES}
    fresh = _build(tmp_path / "fresh")
    monkeypatch.setenv("ABSORB_BUILD", str(fresh))
    runner.run_experiments(["measure-zero"], samples=2, seed=2, workers=1, cache=False)
    assert resumed == {n: (fresh / "mc" / n).read_bytes() for n in MZ_FILES}


def test_experiment_registry_is_discovered_and_matches_the_theorem_links():
    ids = experiments.ids()
    for exp_id in ids:
        mod = experiments.get(exp_id)
        assert mod.ID == exp_id and mod.DEFAULT_SAMPLES > 0 and mod.COLUMNS
        assert hasattr(mod, "run") or {"cells", "run_cell", "combine"} <= set(dir(mod))
    with open(ROOT / "symbolic" / "theorems.toml", "rb") as fh:
        linked = {e for t in tomllib.load(fh)["theorem"] for e in t.get("mc", [])}
    assert set(ids) == linked


def test_bad_mc_arguments_are_one_line_errors(tmp_path):
    build = _build(tmp_path / "b")
    for argv, needle in ((["width", "--workers", "0"], "--workers"),
                         (["width", "--scale", "paper"], "paper-scale"),
                         (["measure-zero", "--workers", "2", "--scheduler", "x:1"], "not allowed with")):
        r = _mc(build, *argv, timeout=120)
        assert r.returncode == 2, r.stderr
        assert "Traceback" not in r.stderr and needle in r.stderr


def test_a_dying_worker_loses_only_its_cell_which_is_rerun(tmp_path):
    ref, dying = _build(tmp_path / "ref"), _build(tmp_path / "dying")
    marker = tmp_path / "killed"
    r1 = _mc(ref, "measure-zero", "--samples", "1", "--workers", "1")
    env_extra = {"ABSORB_MC_KILL_WORKER_ONCE": str(marker)}
    env = dict(os.environ, ABSORB_BUILD=str(dying), ABSORB_PROGRESS="0", **env_extra)
    r2 = subprocess.run([ABSORB, "mc", "measure-zero", "--samples", "1", "--workers", "2"], capture_output=True,
                        text=True, env=env, cwd=ROOT, timeout=300)
    assert r1.returncode == 0 and r2.returncode == 0, r2.stderr
    assert marker.exists()  # a worker process did exit in the middle of cell 0
    assert "Traceback" not in r2.stderr and "distributed" not in r2.stderr, r2.stderr
    for name in MZ_FILES:
        assert (ref / "mc" / name).read_bytes() == (dying / "mc" / name).read_bytes(), name


def test_cache_is_invalidated_by_an_edited_registry(tmp_path, monkeypatch):
    build = _build(tmp_path / "b")
    monkeypatch.setenv("ABSORB_BUILD", str(build))
    monkeypatch.setenv("ABSORB_PROGRESS", "0")
    calls = []
    real = runner.run_job
    monkeypatch.setattr(runner, "run_job", lambda job: (calls.append(job.index), real(job))[1])
    runner.run_experiments(["measure-zero"], samples=1, seed=3, workers=1)
    first = len(calls)
    runner.run_experiments(["measure-zero"], samples=1, seed=3, workers=1)
    assert len(calls) == first  # everything from the cache
    reg = build / "symbolic" / "activations.json"
    data = json.loads(reg.read_text())
    data[0]["cite"] = "edited"
    reg.write_text(json.dumps(data))
    runner.run_experiments(["measure-zero"], samples=1, seed=3, workers=1)
    assert len(calls) == 2 * first  # an edited registry recomputes every cell
