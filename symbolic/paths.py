"""Every path of the repository and of its build outputs, named once (in the style of showyourwork's `paths.py`).

Source paths are constants. Build paths hang off the build directory, which is `<repo>/build` unless the environment
variable ABSORB_BUILD relocates it (tests do); `build()` reads the variable at call time and returns a `BuildPaths`:

>>> p = build(Path("/tmp/b"))
>>> str(p.theorems_json), str(p.mc_json("planted")), str(p.mc_paper_json("measure-zero"))
('/tmp/b/symbolic/theorems.json', '/tmp/b/mc/planted.json', '/tmp/b/mc/paper/measure-zero.json')
"""
import os
from dataclasses import dataclass
from pathlib import Path

from symbolic.errors import InputError

ROOT = Path(__file__).resolve().parent.parent

# Sources (committed).
SYMBOLIC = ROOT / "symbolic"
THEOREM_REGISTRY = SYMBOLIC / "theorems.toml"
ACTIVATION_REGISTRY = SYMBOLIC / "activations.toml"
LEAN_TEMPLATES = SYMBOLIC / "templates" / "lean"
PROOFS = ROOT / "proofs"
ROCQ_MAP = PROOFS / "rocq_map.toml"
PROOFS_README = PROOFS / "README.md"
README = ROOT / "README.md"
LEAN_DIR = ROOT / "lean"  # generated, but committed
MAKEFILE = ROOT / "Makefile"


@dataclass(frozen=True)
class BuildPaths:
    """The files `make` writes under one build directory (`base`)."""

    base: Path

    # build/symbolic: classifier results, derivations, the registry with statuses, coverage
    @property
    def symbolic(self) -> Path:
        return self.base / "symbolic"

    @property
    def activations_json(self) -> Path:
        return self.symbolic / "activations.json"

    @property
    def derivations_json(self) -> Path:
        return self.symbolic / "derivations.json"

    @property
    def theorems_json(self) -> Path:
        return self.symbolic / "theorems.json"

    @property
    def coverage_json(self) -> Path:
        return self.symbolic / "coverage.json"

    @property
    def classify_cache(self) -> Path:
        return self.symbolic / ".classify-cache.json"

    def activation_json(self, name: str) -> Path:
        return self.symbolic / f"{name}.json"

    # build/proofs: the Rocq audit
    @property
    def proofs(self) -> Path:
        return self.base / "proofs"

    @property
    def axioms_json(self) -> Path:
        return self.proofs / "axioms.json"

    @property
    def proof_status_json(self) -> Path:
        return self.proofs / "status.json"

    @property
    def coqchk_json(self) -> Path:
        """The kernel re-check of every compiled Rocq file (proofs/coqchk.py)."""
        return self.proofs / "coqchk.json"

    # build/mc (make's quick run) and build/mc/paper (make mc-paper)
    @property
    def mc(self) -> Path:
        return self.base / "mc"

    @property
    def mc_paper(self) -> Path:
        return self.mc / "paper"

    def mc_json(self, experiment: str) -> Path:
        return self.mc / f"{experiment}.json"

    def mc_csv(self, experiment: str) -> Path:
        return self.mc / f"{experiment}.csv"

    def mc_distances_csv(self, experiment: str) -> Path:
        return self.mc / f"{experiment}-distances.csv"

    @property
    def mc_cells(self) -> Path:
        """Finished Monte Carlo cells, so an interrupted sweep resumes (montecarlo/runner.py)."""
        return self.mc / "cells"

    def mc_paper_json(self, experiment: str) -> Path:
        return self.mc_paper / f"{experiment}.json"

    def mc_paper_csv(self, experiment: str) -> Path:
        return self.mc_paper / f"{experiment}.csv"

    def mc_paper_distances_csv(self, experiment: str) -> Path:
        return self.mc_paper / f"{experiment}-distances.csv"

    # build/trained: checks on trained checkpoints
    @property
    def trained(self) -> Path:
        return self.base / "trained"

    @property
    def minilm_json(self) -> Path:
        return self.trained / "minilm.json"

    @property
    def continuity_json(self) -> Path:
        return self.trained / "continuity.json"

    # caches and the document
    @property
    def kernel_cache(self) -> Path:
        return self.base / "cache" / "kernels"

    @property
    def appendix_pdf(self) -> Path:
        return self.base / "appendix.pdf"

    @property
    def supplement_pdf(self) -> Path:
        """The data supplement of the paper (certificates, derivations, Rocq statements, Monte Carlo tables)."""
        return self.base / "supplement.pdf"


def build_dir() -> Path:
    """The build directory: $ABSORB_BUILD if set, else <repo>/build. A set-but-empty variable, or one naming something
    that exists and is not a directory, is an InputError (one line), not a traceback later."""
    value = os.environ.get("ABSORB_BUILD")
    if value is None:
        return ROOT / "build"
    if not value.strip():
        raise InputError("ABSORB_BUILD is set but empty: unset it or name a directory")
    path = Path(value)
    if path.exists() and not path.is_dir():
        raise InputError(f"ABSORB_BUILD={value} is not a directory")
    return path


def build(base=None) -> BuildPaths:
    """The build paths under `base` (default: build_dir())."""
    return BuildPaths(Path(base) if base is not None else build_dir())
