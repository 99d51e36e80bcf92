"""Peak memory of `absorb certify` on a large synthetic checkpoint (bf16, BERT layout, written tensor by tensor so
the benchmark itself never holds it): reading every MLP layer through the memory-mapped reader, and certifying a
few layers end to end. Each measurement runs in a fresh process; peak = its maximum resident set size.

    .venv/bin/python -m benchmarks.bench_checkpoint [--layers 24 --d 1024 --n 4096 --certify 2]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

READ_ALL = """
import sys
from checkpoints.reader import detect_family, open_checkpoint
_, blocks = detect_family(open_checkpoint(sys.argv[1]))
total = 0.0
for b in blocks:
    w_up, w_down = b.read()
    total += float((w_up * w_up).sum() + (w_down * w_down).sum())
    del w_up, w_down
print(len(blocks), total)
"""


def _peak_rss_mib(cmd) -> tuple:
    """(peak RSS in MiB, wall seconds) of a child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=dict(os.environ, ABSORB_PROGRESS="0"))
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}: {proc.stderr.read().decode()[-500:]}")
    return usage.ru_maxrss / 1024, wall


def main(argv=None) -> int:
    from checkpoints.synthetic import write_checkpoint
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--layers", type=int, default=24)
    p.add_argument("--d", type=int, default=1024)
    p.add_argument("--n", type=int, default=4096)
    p.add_argument("--certify", type=int, default=2, help="layers certified end to end")
    args = p.parse_args(argv)
    absorb = str(Path(sys.executable).with_name("absorb"))
    with tempfile.TemporaryDirectory(prefix="bench-ckpt-") as tmp:
        t0 = time.perf_counter()
        write_checkpoint(tmp, "bert", d=args.d, n=args.n, layers=args.layers, dtype="BF16", seed=0)
        size = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 2 ** 20
        write_s = time.perf_counter() - t0
        layer_f64 = 2 * args.d * args.n * 8 / 2 ** 20
        base, _ = _peak_rss_mib([sys.executable, "-c", "import numpy, scipy, checkpoints.reader"])
        read_peak, read_s = _peak_rss_mib([sys.executable, "-c", READ_ALL, tmp])
        sel = f"0-{args.certify - 1}"
        cert_peak, cert_s = _peak_rss_mib([absorb, "certify", tmp, "--layers", sel, "--json"])
    print(f"synthetic BERT-layout checkpoint: {args.layers} layers, d = {args.d}, n = {args.n}, bf16, "
          f"{size:.0f} MiB on disk (written in {write_s:.0f} s); one MLP layer in float64 = {layer_f64:.0f} MiB; "
          f"whole file in float64 = {size * 4:.0f} MiB\n")
    print("| run | peak RSS (MiB) | wall (s) |")
    print("|---|---:|---:|")
    print(f"| interpreter + numpy/scipy imports only | {base:.0f} | |")
    print(f"| read all {args.layers} MLP layers (widen to float64, one at a time) | {read_peak:.0f} | {read_s:.1f} |")
    print(f"| `absorb certify DIR --layers {sel}` (auto) | {cert_peak:.0f} | {cert_s:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
