"""The independent checker on a MiniLM-size float32 layer (d = 384, n = 1536): wall time of `checker.check`.

    .venv/bin/python benchmarks/bench_checker.py [--d 384] [--n 1536]

Rows: a root Farkas certificate (Y = the least-squares residual R_LS rounded to 20 bits) at the exact and at the
default radius (tau = 1e-9 and float32 storage, u = 2^-24), and an existence certificate for a planted exact index
set of size d. The times include re-reading and hashing the safetensors file. The certificate's phi is computed
here with checker.exact.rows_times_rows (tests/test_checker.py compares that routine with the plain triple loop);
the check itself recomputes it from the file.
"""
import argparse
import hashlib
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from checker import check  # noqa: E402
from checker.exact import rows_times_rows, to_integers  # noqa: E402
from checker_certgen import write_safetensors  # noqa: E402


def exact_phi(up, down, y):
    """tr(Y) + sum_i min(0, a_i^T Y b_i) exactly (c = 1, identity skip)."""
    d, n = down.shape
    yf, yden = to_integers([Fraction(x) for x in y.ravel().tolist()])
    bf, bden = to_integers(up.ravel().tolist())
    af, aden = to_integers(down.T.ravel().tolist())
    t = rows_times_rows([yf[j * d:(j + 1) * d] for j in range(d)], [bf[i * d:(i + 1) * d] for i in range(n)])
    ys = [sum(a * x for a, x in zip(af[i * d:(i + 1) * d], col)) for i, col in enumerate(zip(*t))]
    return Fraction(sum(yf[j * d + j] for j in range(d)), yden) + Fraction(sum(min(0, v) for v in ys),
                                                                         yden * aden * bden)


def certificate(path, n, d, evidence, answer, radius, grade=None):
    return {"format": "skip-absorption-certificate/1",
            "weights": {"root": str(path), "files": {"": hashlib.sha256(path.read_bytes()).hexdigest()},
                        "up": {"file": "", "key": "up", "layout": "nd"},
                        "down": {"file": "", "key": "down", "layout": "dn"},
                        "up_bias": None, "down_bias": None, "layer": None},
            "activation": "gelu", "c": "1", "skip": "identity", "question": {"width": n, "radius": radius},
            "answer": answer, "grade": grade, "theorem": None, "hypotheses": [], "evidence": evidence,
            "distance_lower_bound": None, "absorber": None}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--d", type=int, default=384)
    parser.add_argument("--n", type=int, default=1536)
    args = parser.parse_args()
    d, n = args.d, args.n
    rng = np.random.default_rng(0)
    up = (rng.standard_normal((n, d)) / np.sqrt(d)).astype(np.float32)
    down = (rng.standard_normal((d, n)) / np.sqrt(n)).astype(np.float32)
    a64, b64 = down.astype(np.float64), up.astype(np.float64)
    gram = (a64.T @ a64) * (b64 @ b64.T)
    lin = np.einsum("ji,ij->i", a64, b64)
    s = np.linalg.solve(gram, -lin)
    r_ls = np.eye(d) + (a64 * s) @ b64
    unit = 2.0 ** (np.frexp(np.max(np.abs(r_ls)))[1] - 20)
    y = np.round(r_ls / unit) * unit
    phi = exact_phi(up, down, y)
    y_text = [[str(Fraction(float(x))) for x in row] for row in y]
    print(f"| certificate (d = {d}, n = {n}, float32) | radius | verdict | check time (wall) | CPU |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "layer.safetensors"
        write_safetensors(path, {"up": up, "down": down})
        farkas = {"kind": "farkas", "Y": y_text, "phi": str(phi)}
        for radius in ({"kind": "exact", "tau": None, "u": None},
                       {"kind": "default", "tau": "1/1000000000", "u": f"1/{2 ** 24}"}):
            cert = certificate(path, n, d, farkas, "no_index_set", radius)
            start, cpu = time.perf_counter(), time.process_time()
            verdict = check(cert)
            print(f"| root Farkas, phi ~ {float(phi):.1f} | {radius['kind']} | {verdict.status} | "
                  f"{time.perf_counter() - start:.1f} s | {time.process_time() - cpu:.1f} s |", flush=True)
        up[:d], down[:, :d] = -np.eye(d, dtype=np.float32), np.eye(d, dtype=np.float32)
        write_safetensors(path, {"up": up, "down": down})
        cert = certificate(path, n, d, {"kind": "existence", "subset": list(range(d)), "residual_squared": "0"},
                           "absorbable", {"kind": "exact", "tau": None, "u": None}, grade="exact")
        start, cpu = time.perf_counter(), time.process_time()
        verdict = check(cert)
        print(f"| existence, planted S of size {d} | exact | {verdict.status} | "
              f"{time.perf_counter() - start:.1f} s | {time.process_time() - cpu:.1f} s |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
