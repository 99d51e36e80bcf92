"""Registry entries of the biases-and-norms results, the certificates about given weights and the class
identifiability of GELU/Hardswish: present with Lean statements, honest scope (class-bias is proved for GELU only),
links that resolve, and appendix-ready LaTeX (no blueprint numbering, cross-references by id)."""
import re

import pytest

from montecarlo.experiments import ids as experiment_ids
from symbolic.derivations import DERIVATIONS
from symbolic.theorems import load_registry

NEW = ("sign-flip-bias", "kinks-affine", "relu-bias-characterization", "relu-bias-d1", "class-bias",
       "prenorm-impossible", "postnorm-projected", "partial-farkas", "storage-precision", "derivative-criterion",
       "gelu-class-identifiable", "hardswish-class-identifiable")


@pytest.fixture(scope="module")
def by_id():
    return {e["id"]: e for e in load_registry()}


@pytest.mark.parametrize("tid", NEW)
def test_entry_is_complete_and_appendix_ready(by_id, tid):
    e = by_id[tid]
    assert e["lean"] and e["lean_group"] and e["lean_prop"] and "sorry" not in e["lean_prop"]
    for field in ("statement", "proof"):
        text = e[field]
        assert not re.search(r"§|\b(Thm|Prop|Cor|Lemma)\.? ?\d|BLUEPRINT|blueprint", text), (tid, field)
        for ref in re.findall(r"\\cref\{([^}]*)\}", text):
            assert ref in by_id, (tid, ref)
    if e["sympy"]:
        assert e["sympy"] in DERIVATIONS
    assert set(e["mc"]) <= set(experiment_ids())


def test_cross_references_are_dependencies(by_id):
    """Every \\cref in a proof names a result the entry depends on (so the appendix states it first)."""
    from symbolic.graph import build_graph, dependency_closure
    graph = build_graph(list(by_id.values()))
    for tid in NEW:
        refs = set(re.findall(r"\\cref\{([^}]*)\}", by_id[tid]["proof"]))
        assert refs <= set(dependency_closure(graph, tid)), (tid, refs)


def test_class_bias_is_proved_for_gelu_only(by_id):
    e = by_id["class-bias"]
    assert "GELU only" in e["statement"] and "SiLU" in e["statement"] and "open" in e["statement"]
    assert "SiLU/Softplus open" in " ".join(e["hypotheses"])
    assert "open case" in by_id["postnorm-projected"]["statement"]


def test_the_dependency_chain_of_the_post_norm_verdict(by_id):
    assert {"relu-bias-characterization", "class-bias"} <= set(by_id["postnorm-projected"]["uses"])
    assert "kinks-affine" in by_id["relu-bias-characterization"]["uses"]
    assert "derivative-criterion" in by_id["gelu-class-identifiable"]["uses"]
    assert "partial-farkas" in by_id["storage-precision"]["uses"]
