"""`python -m symbolic.derivations [ID ...]`: write build/symbolic/derivations.json (all ids unless some are named).
Exit status 1 if any derivation has an unverified step (the file is still written, with verified=false)."""
import sys
import time

from symbolic.derivations import DERIVATIONS, run_all
from symbolic.io import write_json_atomic
from symbolic.paths import build_dir


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    unknown = [a for a in argv if a not in DERIVATIONS]
    if unknown:
        print(f"symbolic.derivations: error: unknown derivation id(s) {', '.join(unknown)} "
              f"(known: {', '.join(DERIVATIONS)})", file=sys.stderr)
        return 2
    start = time.perf_counter()
    results = run_all(argv or None)
    path = build_dir() / "symbolic" / "derivations.json"
    write_json_atomic(path, results)
    failed = sorted(tid for tid, r in results.items() if not r["verified"])
    print(f"wrote {path}: {len(results)} derivations, "
          f"{sum(len(r['steps']) for r in results.values())} steps, {time.perf_counter() - start:.1f} s"
          + (f"; NOT verified: {', '.join(failed)}" if failed else "; all verified"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
