"""build/symbolic/coverage.json (contract C3): per-claim counts on each axis, ✓ only when every result of the claim is
checked; a per-result evidence table. Statuses come from fake build outputs in a temporary build directory."""
import json

import pytest

from symbolic import coverage, paths
from symbolic.errors import InputError
from symbolic.io import write_json_atomic
from symbolic.theorems import build_registry, load_claims, load_registry, load_rocq_map

CLAIM_KEYS = {"claim", "title", "verdict", "correction", "results", "axes"}
RESULT_KEYS = {"id", "claim", "kind", "title", "rocq", "sympy", "mc", "lean", "rocq_scope", "evidence", "rocq_closure",
               "mc_samples"}


def fake_proofs(build, ids):
    """axioms.json as `make proofs` writes it, for the given registry ids (library axioms only)."""
    rocq_map = load_rocq_map()
    write_json_atomic(paths.build(build).axioms_json,
                      {i: {"rocq": rocq_map.get(i, f"SkipAbsorption.X.{i}"), "statement": "...", "axioms": []}
                       for i in ids})
    write_json_atomic(paths.build(build).proof_status_json, {"ok": True})


def claim(doc, number):
    return next(c for c in doc["claims"] if c["claim"] == number)


@pytest.fixture(scope="module")
def all_proved(tmp_path_factory):
    build = tmp_path_factory.mktemp("build")
    fake_proofs(build, load_rocq_map())
    return build


def test_schema_is_the_contract(all_proved):
    doc = coverage.coverage(build_registry(all_proved), load_claims())
    assert set(doc) == {"claims", "results", "activations"}
    assert [c["claim"] for c in doc["claims"]] == list(range(1, 8))
    for c in doc["claims"]:
        assert set(c) == CLAIM_KEYS and c["verdict"] in ("agreed", "corrected", "strengthened", "open")
        assert set(c["axes"]) == {"rocq", "sympy", "mc", "lean"}
        assert set(c["axes"]["lean"]) == {"stated", "total"}
        assert {"checked", "total"} <= set(c["axes"]["rocq"])
    ids = [r["id"] for r in doc["results"]]
    assert all(set(r) == RESULT_KEYS for r in doc["results"])
    assert "def-block" not in ids and "deep-relu-gelu" in ids and "relu-d1-counterexample" in ids


def test_total_counts_every_result_not_only_the_linked_ones(tmp_path):
    fake_proofs(tmp_path, [i for i in load_rocq_map() if i != "generic-iff"])
    five = claim(coverage.coverage(build_registry(tmp_path), load_claims()), 5)
    rocq = five["axes"]["rocq"]
    assert rocq["total"] == len(five["results"]) > rocq["checked"]
    assert not coverage.complete(rocq)  # the headline unproved: claim 5 loses its check


def test_a_partial_rocq_proof_never_completes_a_claim(all_proved):
    """class-identifiable is proved for kink-type e only (its rocq_scope): claim 5 stays short of a check even when
    every linked proof compiles, and so does every result that uses it (the status passes along the uses)."""
    entries = build_registry(all_proved)
    scoped = [e["id"] for e in entries if e.get("claim") == 5 and e.get("rocq_scope")]
    doc = coverage.coverage(entries, load_claims())
    rocq = claim(doc, 5)["axes"]["rocq"]
    rows = {r["id"]: r for r in doc["results"]}
    assert scoped and rocq["checked"] <= rocq["total"] - len(scoped) and not coverage.complete(rocq)
    assert rows["generic-iff"]["rocq"] == "checked" and rows["generic-iff"]["rocq_closure"] == "partial"
    assert "Rocq (under unchecked uses)" in rows["generic-iff"]["evidence"]
    assert rows["sign-flip"]["rocq_closure"] == "checked"


def test_closure_is_checked_only_when_every_use_is():
    def entry(tid, uses, rocq):
        return {"id": tid, "kind": "theorem", "uses": uses, "status": {"rocq": rocq}}
    chain = [entry("a", [], "checked"), entry("b", ["a"], "checked"), entry("c", ["b"], "checked"),
             entry("d", ["c"], "n/a")]
    assert coverage.rocq_closures(chain) == {"a": "checked", "b": "checked", "c": "checked", "d": "n/a"}
    chain[0]["status"]["rocq"] = "n/a"
    assert coverage.rocq_closures(chain) == {"a": "n/a", "b": "partial", "c": "partial", "d": "n/a"}


def test_monte_carlo_evidence_says_sanity_check_with_its_samples():
    row = {"id": "x", "kind": "theorem", "status": {"rocq": "n/a", "sympy": "n/a", "mc": "checked"},
           "mc_runs": [{"samples": 4}, {"samples": 2000}]}
    assert coverage.evidence(row) == ["Monte Carlo sanity check (n = 4, 2000)"]


def test_breaking_one_piece_of_evidence_loses_the_check(all_proved, tmp_path):
    doc = coverage.coverage(build_registry(all_proved), load_claims())
    four = claim(doc, 4)["axes"]["rocq"]
    assert four["checked"] == four["total"] == 3 and coverage.complete(four)
    fake_proofs(tmp_path, [i for i in load_rocq_map() if i != "depth-bounded"])
    broken = coverage.coverage(build_registry(tmp_path), load_claims())
    four = claim(broken, 4)["axes"]["rocq"]
    assert (four["checked"], four["total"]) == (2, 3) and not coverage.complete(four)
    row = next(r for r in broken["results"] if r["id"] == "depth-bounded")
    assert row["rocq"] == "not checked" and "Rocq" not in row["evidence"]


def test_a_failed_rocq_build_checks_nothing(tmp_path):
    fake_proofs(tmp_path, load_rocq_map())
    write_json_atomic(paths.build(tmp_path).proof_status_json, {"ok": False})
    doc = coverage.coverage(build_registry(tmp_path), load_claims())
    assert all(c["axes"]["rocq"]["checked"] == 0 for c in doc["claims"])


def test_a_scoped_rocq_proof_is_partial_never_checked(tmp_path):
    rocq_map = tmp_path / "rocq_map.toml"
    rocq_map.write_text('np-complete = "SkipAbsorption.SubsetSum.subset_sum_reduction"\n', encoding="utf-8")
    fake_proofs(tmp_path, ["np-complete"])
    doc = coverage.coverage(build_registry(tmp_path, rocq_map_path=rocq_map), load_claims())
    row = next(r for r in doc["results"] if r["id"] == "np-complete")
    assert row["rocq"] == "partial" and row["rocq_scope"].startswith("the reduction only")
    assert row["evidence"][0] == "Rocq (part)"
    entry = next(e for e in load_registry() if e["id"] == "np-complete")
    assert entry["claim"] == 0  # beyond the paper: in the results table, in no claim row
    assert all("np-complete" not in c["results"] for c in doc["claims"])


def test_evidence_rules():
    def row(kind="theorem", **status):
        base = {"rocq": "n/a", "sympy": "n/a", "mc": "n/a", "lean": "stated"}
        return {"id": "x", "kind": kind, "status": {**base, **status}}

    assert coverage.evidence(row()) == ["human proof only"]
    assert coverage.evidence(row(kind="conjecture")) == []
    assert coverage.evidence(row(sympy="checked", mc="failed")) == ["SymPy identity"]
    assert coverage.evidence(row(rocq="partial", mc="checked")) == ["Rocq (part)", "Monte Carlo sanity check"]
    assert coverage.evidence(row(rocq="not checked")) == ["human proof only"]


def test_complete_needs_at_least_one_result():
    assert not coverage.complete({"checked": 0, "total": 0})
    assert coverage.complete({"stated": 2, "total": 2}) and not coverage.complete({"checked": 1, "total": 2})


def test_write_coverage_under_absorb_build(tmp_path, monkeypatch):
    fake_proofs(tmp_path, load_rocq_map())
    monkeypatch.setenv("ABSORB_BUILD", str(tmp_path))
    assert coverage.main([]) == 0
    doc = json.loads(paths.build(tmp_path).coverage_json.read_text(encoding="utf-8"))
    assert claim(doc, 7)["verdict"] == "open" and claim(doc, 7)["correction"] is None
    assert claim(doc, 5)["verdict"] == "corrected" and "d ≥ 2" in claim(doc, 5)["correction"]


@pytest.mark.parametrize("tables, message", [
    ("", "cover claims 1..7"),
    ('[[claim]]\nnumber = 8\ntitle = "x"\nverdict = "open"\n', "integer 1..7"),
    ('[[claim]]\nnumber = 1\ntitle = "x"\nverdict = "maybe"\n', "verdict must be one of"),
    ('[[claim]]\nnumber = 1\ntitle = "x"\nverdict = "corrected"\n', "one-line 'correction'"),
    ('[[claim]]\nnumber = 1\ntitle = "x"\nverdict = "agreed"\ncorrection = "y"\n', "only for corrected"),
])
def test_claim_tables_are_validated(tmp_path, tables, message):
    path = tmp_path / "theorems.toml"
    path.write_text(tables, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_claims(path)


def test_scope_is_reported_only_for_a_linked_rocq_proof(all_proved):
    doc = coverage.coverage(build_registry(all_proved), load_claims())
    scoped = {e["id"] for e in load_registry() if e["rocq_scope"]}
    for row in doc["results"]:
        if row["id"] in scoped and row["rocq"] == "n/a":
            assert row["rocq_scope"] is None


def test_closure_of_an_activation_instance_walks_its_case_only():
    """generic-iff-gelu uses generic-iff and gelu-class-identifiable: the instance replaces the general criterion
    (prose here) and the ReLU-type branch is left out; a ReLU-only result leaves out the class branch. Either
    counts as checked only when its own branch is, and generic-iff itself stays partial."""
    relu_char, class_char = "relu-characterization", "odd-linear-characterization"

    def entry(tid, uses, rocq, hyps=()):
        return {"id": tid, "kind": "theorem", "uses": uses, "status": {"rocq": rocq}, "hypotheses": list(hyps)}
    reg = [entry(relu_char, [], "checked"), entry("class-identifiable", [], "partial"),
           entry(class_char, ["class-identifiable"], "checked"),
           entry("generic-iff", [relu_char, class_char], "checked"),
           entry("gelu-class-identifiable", [], "checked"),
           entry("generic-iff-gelu", ["generic-iff", "gelu-class-identifiable"], "checked"),
           entry("relu-only", ["generic-iff"], "checked", ["ReLU type"]),
           entry("any-sigma", ["generic-iff"], "checked")]
    out = coverage.rocq_closures(reg)
    assert out["generic-iff"] == "partial" and out["any-sigma"] == "partial"
    assert out["generic-iff-gelu"] == "checked" and out["relu-only"] == "checked"
    reg[4]["status"]["rocq"] = "n/a"  # the instance unproved: the instance result is not checked either
    assert coverage.rocq_closures(reg)["generic-iff-gelu"] == "partial"
    reg[0]["status"]["rocq"] = "partial"  # the ReLU branch partial: the ReLU-only result follows it
    assert coverage.rocq_closures(reg)["relu-only"] == "partial"
