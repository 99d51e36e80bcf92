"""Monte Carlo checks of the biased and normalised blocks (experiments bias-planted and prenorm): they pass, their
checks are the registry ids they are linked from, seeds and sample counts are recorded, and runs are reproducible."""
import json

import pytest

from symbolic import theorems


@pytest.fixture
def mc_env(tmp_path, monkeypatch):
    monkeypatch.setenv("ABSORB_BUILD", str(tmp_path))
    monkeypatch.setenv("ABSORB_PROGRESS", "0")
    return tmp_path


@pytest.mark.parametrize("exp_id", ["bias-planted", "prenorm"])
def test_experiment_passes_and_is_reproducible(mc_env, exp_id):
    from montecarlo.experiments import run_experiment
    res = run_experiment(exp_id, samples=1, seed=5)
    assert res["seed"] == 5 and res["samples"] == 1
    assert res["checks"] and all(v["passed"] for v in res["checks"].values()), res["checks"]
    linked = {e["id"] for e in theorems.load_registry() if exp_id in e["mc"]}
    assert set(res["checks"]) == linked
    first = (mc_env / "mc" / f"{exp_id}.json").read_bytes()
    run_experiment(exp_id, samples=1, seed=5)
    assert (mc_env / "mc" / f"{exp_id}.json").read_bytes() == first
    assert json.loads(first)["checks"] == res["checks"]


def test_negative_controls_are_far_from_rounding(mc_env):
    """The controls would pass vacuously if the flip without bias correction, or f against g before the norm,
    happened to agree: they must be many orders of magnitude above the absorber's error."""
    from montecarlo.experiments import bias_planted
    _, _, _, rows = bias_planted.run(samples=1, seed=2)
    for row in rows:
        assert row["control_min_rel_err"] > 1e6 * max(row["max_rel_err"], 1e-16), row
