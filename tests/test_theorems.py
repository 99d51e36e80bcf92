"""Theorem registry: coverage of the blueprint ids, acyclicity, cycle reporting, and statuses computed from build
outputs (breaking a piece of evidence changes the status)."""
import json
import shutil

import pytest

from absorb.cli import main as absorb_main
from symbolic import paths, theorems
from symbolic.errors import InputError
from symbolic.graph import build_graph, dependency_closure, topological_order
from symbolic.io import write_json_atomic


@pytest.fixture(scope="module")
def registry():
    return theorems.load_registry()


def _by_id(entries):
    return {e["id"]: e for e in entries}


def test_every_blueprint_id_has_an_entry_with_a_lean_statement(registry):
    by_id = _by_id(registry)
    missing = [i for i in theorems.BLUEPRINT_IDS if i not in by_id]
    assert not missing, f"blueprint ids without a registry entry: {missing}"
    for tid in theorems.BLUEPRINT_IDS:
        assert by_id[tid]["lean"], f"{tid} has no Lean name"
        if by_id[tid]["kind"] != "definition":
            assert by_id[tid]["lean_prop"], f"{tid} has no Lean statement"


def test_blueprint_corrections_are_in_the_statements(registry):
    by_id = _by_id(registry)
    assert "d\\ge 2" in by_id["generic-iff"]["statement"]
    assert "absolutely continuous" in by_id["measure-zero"]["statement"]
    assert by_id["deep-relu-gelu"]["tag"] == "C" and by_id["deep-relu-gelu"]["kind"] == "conjecture"


def test_graph_is_acyclic_and_topological(registry):
    graph = build_graph(registry)
    order = topological_order(graph)
    pos = {tid: i for i, tid in enumerate(order)}
    assert len(order) == len(registry)
    for e in registry:
        for dep in e["uses"]:
            assert pos[dep] < pos[e["id"]], f"{dep} must come before {e['id']}"
    closure = dependency_closure(graph, "generic-iff")
    assert {"kinks", "sign-flip", "def-generic", "def-block"} <= set(closure)
    assert "generic-iff" not in closure


def _registry_copy(tmp_path, edit):
    text = theorems.REGISTRY_PATH.read_text(encoding="utf-8")
    new = edit(text)
    assert new != text
    path = tmp_path / "theorems.toml"
    path.write_text(new, encoding="utf-8")
    return path


def test_injected_cycle_is_reported_with_its_nodes(tmp_path):
    # def-block is the first entry and the first `uses = []`; make it use sign-flip, which depends on it.
    path = _registry_copy(tmp_path, lambda t: t.replace("uses = []", 'uses = ["sign-flip"]', 1))
    with pytest.raises(InputError) as exc:
        theorems.load_registry(path)
    msg = str(exc.value)
    assert msg.startswith("circular dependency: ")
    assert "def-block" in msg and "sign-flip" in msg
    nodes = msg.split(": ", 1)[1].split(" -> ")
    assert nodes[0] == nodes[-1] and len(nodes) >= 3


BROKEN_REGISTRIES = [  # (what is broken, old text, new text, the error message it must give)
    ("self use", "uses = []", 'uses = ["def-block"]', "circular dependency: def-block -> def-block"),
    ("unknown id", "uses = []", 'uses = ["no-such-result"]', "no-such-result"),
    ("duplicate id", 'id = "def-absorption"', 'id = "def-block"', "duplicate theorem id 'def-block'"),
    ("missing field", 'title = "Absorption at width m"\n', "", "missing field 'title'"),
    ("bad experiment id", 'mc = ["width"]', 'mc = ["Width!"]', "invalid Monte Carlo experiment id"),
    ("empty rocq_scope", 'rocq_scope = "', 'rocq_scope = "" # "', "rocq_scope"),
]


@pytest.mark.parametrize("what, old, new, message", BROKEN_REGISTRIES, ids=[b[0] for b in BROKEN_REGISTRIES])
def test_a_broken_registry_is_named(tmp_path, what, old, new, message):
    path = _registry_copy(tmp_path, lambda t: t.replace(old, new, 1))
    with pytest.raises(InputError, match=message):
        theorems.load_registry(path)


def _status(build, tid, **kw):
    return _by_id(theorems.build_registry(build, **kw))[tid]


def test_sympy_status_follows_derivations_json(tmp_path, monkeypatch):
    build = tmp_path / "build"
    monkeypatch.setenv("ABSORB_BUILD", str(build))
    step = {"claim": "x", "lhs": "a", "rhs": "a", "relation": "=", "method": "simplify", "verified": True}
    deriv = paths.build(build).derivations_json
    write_json_atomic(deriv, {"sign-flip": {"title": "t", "function": "f", "verified": True, "steps": [step]}})
    # build_dir=None: the ABSORB_BUILD environment variable is honoured through symbolic.paths.build_dir()
    assert _by_id(theorems.build_registry())["sign-flip"]["status"]["sympy"] == "checked"
    broken = dict(step, verified=False)
    write_json_atomic(deriv, {"sign-flip": {"title": "t", "function": "f", "verified": True, "steps": [broken]}})
    assert _status(build, "sign-flip")["status"]["sympy"] == "failed"
    deriv.unlink()
    entry = _status(build, "sign-flip")
    assert entry["status"]["sympy"] == "not checked"
    assert entry["evidence"]["sympy"] == "sign-flip"
    assert _status(build, "kinks")["status"]["sympy"] == "n/a"


def test_rocq_status_follows_axioms_json_and_the_map(tmp_path):
    build = tmp_path / "build"
    rocq_map = tmp_path / "rocq_map.toml"
    rocq_map.write_text('sign-flip = "SkipAbsorption.SignFlip.sign_flip"\n', encoding="utf-8")
    entry = _status(build, "sign-flip", rocq_map_path=rocq_map)
    assert entry["status"]["rocq"] == "not checked" and entry["rocq"] == "SkipAbsorption.SignFlip.sign_flip"
    write_json_atomic(paths.build(build).axioms_json, {"sign-flip": {
        "rocq": "SkipAbsorption.SignFlip.sign_flip", "statement": "forall ...", "axioms": []}})
    entry = _status(build, "sign-flip", rocq_map_path=rocq_map)
    assert entry["status"]["rocq"] == "checked"
    assert entry["rocq_statement"] == "forall ..." and entry["rocq_axioms"] == []
    write_json_atomic(paths.build(build).proof_status_json, {"coqc": "x", "ok": False})
    assert _status(build, "sign-flip", rocq_map_path=rocq_map)["status"]["rocq"] == "not checked"
    assert _status(build, "kinks", rocq_map_path=rocq_map)["status"]["rocq"] == "n/a"
    assert _status(build, "kinks", rocq_map_path=tmp_path / "absent.toml")["status"]["rocq"] == "n/a"


def test_mc_status_follows_experiment_outputs(tmp_path):
    build = tmp_path / "build"
    assert _status(build, "sign-flip")["status"]["mc"] == "not checked"
    exp = paths.build(build).mc_json("planted")
    write_json_atomic(exp, {"experiment": "planted", "seed": 1, "samples": 10, "command": "c",
                            "checks": {"sign-flip": {"passed": True, "detail": "ok"}}})
    entry = _status(build, "sign-flip")
    assert entry["status"]["mc"] == "checked"
    assert entry["mc_runs"][0]["samples"] == 10 and entry["mc_runs"][0]["seed"] == 1
    write_json_atomic(exp, {"experiment": "planted", "checks": {"sign-flip": {"passed": False, "detail": "bad"}}})
    assert _status(build, "sign-flip")["status"]["mc"] == "failed"
    # no entry for this id: the experiment-level `passed` decides
    write_json_atomic(exp, {"experiment": "planted", "passed": True, "checks": {}})
    assert _status(build, "generic-iff")["status"]["mc"] == "checked"
    write_json_atomic(exp, {"experiment": "planted", "checks": {}})
    assert _status(build, "generic-iff")["status"]["mc"] == "not checked"
    assert _status(build, "kinks")["status"]["mc"] == "n/a"


def test_lean_status_is_stated_only_when_fresh(tmp_path):
    build = tmp_path / "build"
    entry = _status(build, "sign-flip")
    assert entry["status"]["lean"] == "stated"
    assert "def SignFlip : Prop" in entry["lean_statement"]
    assert _status(build, "def-block")["status"]["lean"] == "stated"
    lean = tmp_path / "lean"
    shutil.copytree(theorems.LEAN_DIR, lean)
    target = lean / "SkipAbsorption" / "Statements" / "SignFlip.lean"
    target.write_text(target.read_text(encoding="utf-8").replace("OddLinear σ c", "True"), encoding="utf-8")
    by_id = _by_id(theorems.build_registry(build, lean_dir=lean))
    assert by_id["sign-flip"]["status"]["lean"] == "n/a"
    assert by_id["degree"]["status"]["lean"] == "stated"


def test_theorems_json_entries(tmp_path):
    build = tmp_path / "build"
    path = theorems.write_theorems_json(build)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [e["id"] for e in data] == [e["id"] for e in theorems.build_registry(build)]
    keys = {"id", "kind", "title", "tag", "claim", "statement", "proof", "hypotheses", "uses", "depth", "lean",
            "rocq", "evidence", "status", "rocq_statement", "rocq_axioms", "lean_statement"}
    for e in data:
        assert keys <= set(e)
        assert set(e["status"]) == {"human", "sympy", "rocq", "lean", "mc"}
        assert e["status"]["lean"] in ("stated", "n/a")
        assert e["depth"] == (1 + max(x["depth"] for x in data if x["id"] in e["uses"]) if e["uses"] else 0)


def test_absorb_graph_cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ABSORB_BUILD", str(tmp_path / "build"))
    assert absorb_main(["graph"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(theorems.load_registry())
    assert any(line.startswith("sign-flip  [theorem]  human=P sympy=") for line in lines)
    assert absorb_main(["graph", "--json", "generic-iff"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["id"] == "generic-iff" and "kinks" in [d["id"] for d in payload["dependencies"]]
    assert absorb_main(["graph", "no-such-id"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "absorb: error: unknown theorem id 'no-such-id' (see `absorb graph`)"


def test_graph_reads_theorems_json_only_when_fresh(tmp_path):
    import os

    build = tmp_path / "build"
    path = theorems.write_theorems_json(build)
    data = json.loads(path.read_text(encoding="utf-8"))
    data[0]["title"] = "marker"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert theorems.load_or_build(build)[0]["title"] == "marker"  # fresh: read from the file
    deriv = paths.build(build).derivations_json
    write_json_atomic(deriv, {})
    newer = path.stat().st_mtime + 10
    os.utime(deriv, (newer, newer))
    assert theorems.load_or_build(build)[0]["title"] != "marker"  # stale: computed live


def test_experiment_ids_come_from_the_registry_and_match_the_experiments(registry):
    from montecarlo import experiments

    ids = theorems.experiment_ids(registry)
    assert len(ids) == len(set(ids)) and set(ids) == set(experiments.ids())
    assert ids[0] == next(e["mc"][0] for e in registry if e["mc"])  # registry order


def test_claim_tables(registry):
    claims = theorems.load_claims()
    assert [c["number"] for c in claims] == list(range(1, 8))
    verdicts = {c["number"]: c["verdict"] for c in claims}
    assert verdicts[5] == "corrected" and verdicts[6] == "corrected" and verdicts[7] == "open"
    assert all(c["correction"] and "\n" not in c["correction"] for c in claims if c["verdict"] != "open")


def test_corrections_of_the_review_are_in_the_lean_statements(registry):
    by_id = _by_id(registry)
    assert "GRank Wu" in by_id["minimal-width"]["lean_prop"] and "(G-rank)" in by_id["minimal-width"]["statement"]
    assert "1 ≤ d" in by_id["hc-static"]["lean_prop"]
    assert "Generically" not in by_id["deep-relu-gelu"]["lean_prop"]
    assert "G0 (Wd l) (Wu l)" in by_id["deep-relu-gelu"]["lean_prop"]
    for tid in ("farkas-certificate", "full-rank-decision"):
        assert "c ≠ 0" in by_id[tid]["lean_prop"] and "IndexCondC A Wd Wu c" in by_id[tid]["lean_prop"]
    assert "BLUEPRINT" not in "".join(e["statement"] + e["proof"] + e["title"] for e in registry)


@pytest.mark.parametrize("value, message", [("", "empty"), ("FILE", "not a directory")])
def test_absorb_build_must_name_a_directory(tmp_path, monkeypatch, capsys, value, message):
    if value == "FILE":
        value = str(tmp_path / "a-file")
        (tmp_path / "a-file").write_text("x", encoding="utf-8")
    monkeypatch.setenv("ABSORB_BUILD", value)
    with pytest.raises(InputError, match=message):
        paths.build_dir()
    assert absorb_main(["graph"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("absorb: error: ABSORB_BUILD") and message in err[0]
