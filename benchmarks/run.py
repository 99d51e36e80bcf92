"""`make bench`: run every benchmarks/bench_*.py in turn; each prints a markdown table (figures go to the README)."""
import runpy
import sys
from pathlib import Path


def main() -> int:
    for script in sorted(Path(__file__).parent.glob("bench_*.py")):
        print(f"\n## {script.stem}\n", flush=True)
        sys.argv = [str(script)]
        runpy.run_path(str(script), run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
