"""Appendix build times: full (clean LaTeX work dir) vs incremental (one activation entry edited) vs no-op, and the
black-link print copy; prints the page count.

Uses a copy of the real build/ when build/symbolic/theorems.json exists, else the small test fixture.
Run: python benchmarks/bench_appendix.py [--repeat N]
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import generator.build as genbuild  # noqa: E402
from generator.build import build_appendix  # noqa: E402
from generator.data import git_info, source_date_epoch  # noqa: E402

# Other work may commit while the benchmark runs; pin the commit shown on the title page so that only the edit
# under test changes the generated LaTeX.
_GIT = git_info(ROOT)
genbuild.git_info = lambda root: _GIT
os.environ.setdefault("SOURCE_DATE_EPOCH", str(source_date_epoch(ROOT)))


def _edit_one_activation(build: Path, round_: int):
    from symbolic.paths import build as build_paths
    path = build_paths(build).activations_json
    acts = json.loads(path.read_text(encoding="utf-8"))
    if acts:
        acts[0]["notes"] = list(acts[0].get("notes") or [])[:1] + [f"benchmark edit {round_}"]
    path.write_text(json.dumps(acts, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _timed(build: Path, **kw):
    t0 = time.perf_counter()
    result = build_appendix(build=build, log=lambda *_: None, **kw)
    return time.perf_counter() - t0, result["compiled"]


def _pages(pdf: Path) -> str:
    """Page count from pdfinfo (poppler-utils), or "?" when it is not installed."""
    import subprocess
    try:
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60).stdout
    except OSError:
        return "?"
    return next((ln.split()[-1] for ln in out.splitlines() if ln.startswith("Pages:")), "?")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    from symbolic.paths import build, build_dir
    source = build_dir()  # the real build/ (or $ABSORB_BUILD)
    real = build(source).theorems_json
    rows = {"full (clean work dir)": [], "incremental (one activation edited)": [], "no-op (nothing changed)": [],
            "print copy (black links, own work dir)": []}
    pages = "?"
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.repeat):
            build = Path(tmp) / f"b{r}"
            if real.exists():
                shutil.copytree(source, build,
                                ignore=shutil.ignore_patterns("appendix*", "cache"))
            else:
                from generator.fixture import make_fixture
                make_fixture(build)
            rows["full (clean work dir)"].append(_timed(build))
            _edit_one_activation(build, r)
            rows["incremental (one activation edited)"].append(_timed(build))
            rows["no-op (nothing changed)"].append(_timed(build))
            rows["print copy (black links, own work dir)"].append(_timed(build, print_mode=True))
            pages = _pages(build / "appendix.pdf")
    what = f"copy of {source}" if real.exists() else "test fixture (build/ missing)"
    print(f"appendix build times, {args.repeat} run(s), data: {what}; {pages} pages")
    print(f"{'build':38s} {'median s':>9s} {'min s':>7s}  latexmk ran")
    for name, runs in rows.items():
        times = sorted(t for t, _ in runs)
        median = times[len(times) // 2]
        print(f"{name:38s} {median:9.2f} {times[0]:7.2f}  {'yes' if all(c for _, c in runs) else 'no'}")


if __name__ == "__main__":
    main()
