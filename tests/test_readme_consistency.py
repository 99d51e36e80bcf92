"""README.md and proofs/README.md list what is proved in Rocq and what is prose from the registry and
proofs/rocq_map.toml, in generated blocks: these tests fail when a block is stale or a link is dangling."""
import pytest

from symbolic import coverage, paths
from symbolic.errors import InputError
from symbolic.theorems import load_registry, load_rocq_map


def test_generated_blocks_are_fresh():
    stale = coverage.stale_readmes()
    assert not stale, f"{[p.name for p in stale]} stale: run `python -m symbolic.coverage --write-readme`"


def test_every_result_is_listed_exactly_once():
    lists = coverage.formal_lists()
    listed = [i for i, _ in lists["proved"]] + [i for i, _, _ in lists["partial"]] + lists["prose"] + \
        lists["conjectures"]
    results = [e["id"] for e in load_registry() if e["kind"] != "definition"]
    assert sorted(listed) == sorted(results)
    readme = paths.README.read_text(encoding="utf-8")
    block = readme.split(coverage.BEGIN, 1)[1].split(coverage.END, 1)[0].split("**Claim 5 per activation**")[0]
    for tid in results:
        assert block.count(f"`{tid}`") == 1, tid


def test_a_new_rocq_link_makes_the_readmes_stale():
    rocq_map = dict(load_rocq_map())
    prose = coverage.formal_lists()["prose"]
    rocq_map[prose[0]] = "SkipAbsorption.New.theorem"
    lists = coverage.formal_lists(rocq_map=rocq_map)
    assert set(coverage.stale_readmes(lists)) == {paths.README, paths.PROOFS_README}


def test_scoped_proofs_say_their_scope():
    entries = load_registry()
    rocq_map = {e["id"]: f"SkipAbsorption.X.{e['id']}" for e in entries if e["rocq_scope"]}
    block = coverage.proofs_readme_block(coverage.formal_lists(entries, rocq_map))
    for e in entries:
        if e["rocq_scope"]:
            assert f"| `{e['id']}` |" in block and "part: " + e["rocq_scope"][:40] in block


def test_unknown_id_in_the_rocq_map_is_an_error():
    with pytest.raises(InputError, match="unknown registry id"):
        coverage.formal_lists(rocq_map={"no-such-result": "SkipAbsorption.X.y"})


def test_missing_markers_are_an_error():
    with pytest.raises(InputError, match="one generated block"):
        coverage.replace_block("no markers here", "x", "README.md")


def test_cli_check_readme(capsys):
    assert coverage.main(["--check-readme"]) == 0
    assert "fresh" in capsys.readouterr().out


def test_claim5_per_activation_passes_status_along_the_uses():
    """GELU's claim 5 is machine-checked only when every result generic-iff uses for the analytic case is linked
    and GELU's own class-identifiability instance is; dropping one link makes it partial and names the step."""
    entries = load_registry()
    acts = coverage.classified_activations()
    gelu = next(a for a in acts if a.get("name") == "gelu")
    relu = next(a for a in acts if a.get("name") == "relu")
    everything = {e["id"]: "X" for e in entries if e["kind"] != "definition"}
    proved = {e["id"]: dict(e, rocq_scope=None) for e in entries}
    status_all = lambda e: "checked" if e["id"] in everything else "n/a"  # noqa: E731
    row = coverage.activation_claim5(relu, list(proved.values()), status_all)
    assert row["status"] == "machine-checked" and row["instance"]["how"] == "identity checked by SymPy"
    assert "odd-linear-characterization" not in [s["id"] for s in row["steps"]]
    row = coverage.activation_claim5(gelu, list(proved.values()), status_all)
    assert "relu-characterization" not in [s["id"] for s in row["steps"]]
    if coverage.instance_id("gelu") not in proved:
        assert row["status"] == "partial" and "instance" in row["gaps"]
    without = lambda e: "n/a" if e["id"] == "ridge-powers" else status_all(e)  # noqa: E731
    row = coverage.activation_claim5(gelu, list(proved.values()), without)
    if coverage.instance_id("gelu") not in proved:
        assert row["status"] == "partial" and "ridge-powers" in row["gaps"]
