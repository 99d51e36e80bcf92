"""Classifier speed: every registry entry (goal < 10 s each) and the whole registry (goal < 60 s) on 2 cores."""
import time

from symbolic.activations import load_activations
from symbolic.classify import classify


def main():
    rows, start = [], time.perf_counter()
    for act in load_activations():
        t0 = time.perf_counter()
        verdict = classify(act)["verdict"]
        rows.append((act.name, verdict, time.perf_counter() - t0))
    total = time.perf_counter() - start
    print("| activation | verdict | seconds |\n|---|---|---|")
    for name, verdict, seconds in rows:
        print(f"| {name} | {verdict} | {seconds:.2f} |")
    slowest = max(rows, key=lambda r: r[2])
    print(f"\nwhole registry: {total:.1f} s (goal < 60 s); slowest: {slowest[0]} {slowest[2]:.1f} s (goal < 10 s)")


if __name__ == "__main__":
    main()
