"""Shared helpers of the `absorb mc` experiments: registry access, blocks, deterministic output files."""
import io
import math
from fractions import Fraction

import numpy as np

from montecarlo.kernels import make_kernel
from symbolic.errors import InputError
from symbolic.expr import parse_expression
from symbolic.io import read_json, write_json_atomic, write_text_atomic
from symbolic.paths import build

SIG = 10  # significant digits written to JSON/CSV (byte-identical output across runs)


def rnd(x):
    """Round floats to SIG significant digits so BLAS last-bit noise never reaches the files."""
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, (int, np.integer)):
        return int(x)
    x = float(x)
    if not math.isfinite(x):
        return None
    return float(f"{x:.{SIG}g}")


def clean(obj):
    """Plain JSON data: numpy scalars unwrapped, floats rounded to SIG digits (byte-stable output)."""
    if isinstance(obj, dict):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean(v) for v in obj]
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    if isinstance(obj, (float, int, np.floating, np.integer)) and not isinstance(obj, bool):
        return rnd(obj)
    return obj


def registry() -> list:
    """build/symbolic/activations.json (the classified registry); an InputError when missing or malformed."""
    path = build().activations_json
    if not path.exists():
        raise InputError(f"{path} is missing: run `make symbolic` first")
    try:
        data = read_json(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a list of activation objects")
    return data


def kernel_for(entry: dict):
    """The numeric kernel (Numba where it compiles) of a classified registry entry."""
    return make_kernel(entry["name"], parse_expression(entry["expression"]))


def exact_c(entry) -> Fraction:
    """The entry's c of sigma(z) - sigma(-z) = c z, exactly."""
    return Fraction(str(entry["c"]))


def hidden(kernel, kind, w_up, x, w_gate=None):
    """Hidden map on inputs x (rows): ungated sigma(x W_up^T); gated gamma(x W_gate^T) * (x W_up^T)."""
    pre = x @ w_up.T
    if kind == "gated":
        return kernel(x @ w_gate.T) * pre
    return kernel(pre)


def block(kernel, kind, skip, w_up, w_down, x, w_gate=None):
    """The block on inputs x (rows): W_down h(x) plus the skip (None: residual-free)."""
    out = hidden(kernel, kind, w_up, x, w_gate) @ w_down.T
    return out if skip is None else out + x @ skip.T


def clopper_pearson_upper(k: int, n: int, alpha: float = 0.05) -> float:
    """Two-sided Clopper-Pearson upper bound on a probability after k successes in n draws."""
    from scipy.stats import beta
    return 1.0 if k >= n else float(beta.ppf(1 - alpha / 2, k + 1, n - k))


def check(passed, detail: str) -> dict:
    """One experiment check as written into build/mc/<experiment>.json."""
    return {"passed": bool(passed), "detail": detail}


def csv_text(columns: list, rows: list) -> str:
    """CSV with SIG significant digits, booleans as true/false, missing and non-finite values as empty cells."""
    buf = io.StringIO()
    buf.write(",".join(columns) + "\n")
    for row in rows:
        cells = []
        for col in columns:
            v = row.get(col)
            if v is None:
                cells.append("")
            elif isinstance(v, bool):
                cells.append("true" if v else "false")
            elif isinstance(v, (float, np.floating)):
                cells.append(f"{float(v):.{SIG}g}" if math.isfinite(v) else "")
            else:
                cells.append(str(v))
        buf.write(",".join(cells) + "\n")
    return buf.getvalue()


def write_outputs(exp_id: str, payload: dict, columns: list, rows: list, out_dir=None, tables=None) -> dict:
    """Write <out_dir>/<exp_id>.csv, any extra tables {file name: (columns, rows)}, then <exp_id>.json (last, so a
    present JSON means a complete set). out_dir defaults to build/mc."""
    out_dir = build().mc if out_dir is None else out_dir
    payload = clean(payload)
    write_text_atomic(out_dir / f"{exp_id}.csv", csv_text(columns, rows))
    for name, (cols, trows) in sorted((tables or {}).items()):
        write_text_atomic(out_dir / name, csv_text(cols, trows))
    payload["csv"] = f"{exp_id}.csv"
    payload["csv_columns"] = list(columns)
    if tables:
        payload["tables"] = sorted(tables)
    write_json_atomic(out_dir / f"{exp_id}.json", payload)
    return payload
