"""`absorb lean [--check]`: regenerate the Lean 4 statements in lean/ from the registries (idempotent), then run
`lake build` when a Lean toolchain is on the PATH; `--check` only compares a fresh regeneration with lean/."""
import shutil
import subprocess
import sys

from symbolic.errors import InputError
from symbolic.paths import LEAN_DIR


def render():
    """Every generated file of lean/ (relative path -> text), from the theorem and activation registries."""
    from symbolic.activations import load_activations
    from symbolic.lean.render import render_all
    from symbolic.theorems import load_registry

    return render_all(load_registry(), load_activations())


def run(args) -> int:
    from symbolic.lean.freshness import check, write_all

    files = render()
    if args.check:
        stale = check(LEAN_DIR, files)
        if stale is not None:
            raise InputError(f"lean/{stale} is stale: run `absorb lean` (or `make lean`) and commit the result")
        print(f"lean/ is fresh ({len(files)} generated files match the registries)")
        return 0
    changed = write_all(LEAN_DIR, files)
    print(f"lean/: {len(files)} generated files, {len(changed)} changed" + (f" ({', '.join(changed)})" if changed else ""))
    lake = shutil.which("lake")
    if lake is None:
        print("no Lean toolchain found (lake is not on PATH); statements regenerated but not typechecked")
        return 0
    sys.stdout.flush()
    proc = subprocess.run([lake, "build"], cwd=LEAN_DIR)
    if proc.returncode != 0:
        sys.stderr.write(f"absorb: error: lake build failed in lean/ (exit {proc.returncode})\n")
        return 1
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("lean", help="regenerate the Lean 4 statements (and typecheck them if lake is available)")
    p.add_argument("--check", action="store_true",
                   help="regenerate into a temporary directory and fail if any committed file in lean/ differs")
    p.set_defaults(func=run)
