"""`python -m symbolic.derivations`: write build/symbolic/derivations.json (ABSORB_BUILD relocates build/).
Exit status 1 if any derivation has an unverified step (the file is still written, with verified=false there)."""
import sys
import time

from symbolic.derivations import run_all
from symbolic.io import write_json_atomic
from symbolic.paths import build


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv:
        print("usage: python -m symbolic.derivations   (takes no arguments; writes build/symbolic/derivations.json)",
              file=sys.stderr)
        return 2
    start = time.perf_counter()
    results = run_all()
    path = build().derivations_json
    write_json_atomic(path, results)
    failed = sorted(tid for tid, r in results.items() if not r["verified"])
    print(f"wrote {path}: {len(results)} derivations, "
          f"{sum(len(r['steps']) for r in results.values())} steps, {time.perf_counter() - start:.1f} s"
          + (f"; NOT verified: {', '.join(failed)}" if failed else "; all verified"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
