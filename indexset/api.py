"""The entry points of `indexset` for callers that bring weights: validate once, certify one pair or many blocks,
and the documented JSON / human text of an answer. `absorb/` parses arguments, calls one of these, prints.

A block is anything with `.read()` returning an object with `w_up`, `w_down`, `up_bias` | None, `down_bias` | None,
`dtype` and `weights` (the certificate's provenance dict): so `indexset` never imports `checkpoints`.
"""
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from indexset.trusted import Block, certify_block
from indexset.inputs import check_activation, check_skip, check_tol, exact_float64, storage_dtype
from symbolic.errors import InputError

# the one-pair JSON of DESIGN.md ("Command-line contract"), plus what the checker said
DESIGN_FIELDS = ("d", "n", "c", "method", "answer", "grade", "index_set_exists", "subset", "distance",
                 "distance_lower_bound", "theorem", "hypotheses", "evidence", "certificate", "elapsed_s")


@dataclass(frozen=True)
class Problem:
    """A validated question about one block: the arrays (exact float64), and every option checked."""
    block: Block
    c: Fraction
    skip: str
    tol: object
    activation: object
    method: str
    force: bool


def _check_c(c) -> Fraction:
    from indexset.instance import check_c
    if isinstance(c, bool) or not isinstance(c, (int, float, str, Fraction)):
        raise InputError(f"c must be a rational number such as 1, 1.01 or '101/100', got {type(c).__name__}")
    try:
        val = Fraction(c.strip()) if isinstance(c, str) else Fraction(c)
    except (ValueError, ZeroDivisionError, OverflowError):
        raise InputError(f"c must be a nonzero rational number such as 1, 1.01 or 101/100, got {c!r}") from None
    return check_c(val)


def _bias(label: str, arr, length: int):
    if arr is None:
        return None
    vec, _ = exact_float64(label, arr, ndim=1)
    if vec.shape != (length,):
        raise InputError(f"{label} must have length {length}, got shape {tuple(vec.shape)}")
    return vec


def validate(w_up, w_down, *, c=None, skip="identity", tol=None, up_bias=None, down_bias=None, activation=None,
             dtype=None, method="auto", force=False, weights=None) -> Problem:
    """Every argument checked once (scipy `_milp_iv` style), each problem a one-line InputError naming it.
    dtype: the storage dtype when the arrays were widened from it (safetensors code or numpy name); by default the
    arrays' own dtype."""
    from indexset import methods
    up, up_dtype = exact_float64("w_up", w_up)
    down, down_dtype = exact_float64("w_down", w_down)
    n, d = up.shape
    if down.shape != (d, n):
        raise InputError(f"shape mismatch: w_up is {tuple(up.shape)} = (n, d), so w_down must be {(d, n)} = (d, n), "
                         f"got {tuple(down.shape)}")
    if n == 0 or d == 0:
        raise InputError(f"empty weights: d = {d}, n = {n}")
    if dtype is not None:
        store = storage_dtype(dtype)
    else:  # the coarser of the two arrays' formats (the larger unit roundoff)
        from indexset.inputs import UNIT_ROUNDOFF
        known = [t for t in (up_dtype, down_dtype) if t is not None]
        store = max(known, key=lambda t: UNIT_ROUNDOFF[t]) if known else None
    methods.get(method)
    block = Block(up, down, _bias("up_bias", up_bias, n), _bias("down_bias", down_bias, d), store, weights)
    act = check_activation(activation)
    return Problem(block, _resolve_c(c, act), check_skip(skip), check_tol(tol), act, method, bool(force))


def _resolve_c(c, activation) -> Fraction:
    """c of the question: the registry's c of `activation` when c is not given (1 without an activation); a given
    c that contradicts the activation's sigma(z) - sigma(-z) = c z is refused. Why: a default c = 1 for LeakyReLU
    (c = 101/100) decided the wrong index condition, and the checker vouched "not absorbable" for a block that
    absorbs its skip."""
    registry_c = None
    if activation is not None:
        from symbolic.activations import get_activation
        from symbolic.classify import classify
        verdict = classify(get_activation(activation))
        verdict = verdict.to_json() if hasattr(verdict, "to_json") else verdict
        registry_c = Fraction(verdict["c"]) if verdict.get("c") is not None else None
    if c is None:
        return registry_c if registry_c is not None else Fraction(1)
    value = _check_c(c)
    if registry_c is not None and value != registry_c:
        raise InputError(f"c = {value} contradicts activation {activation}, whose sigma(z) - sigma(-z) = "
                         f"{registry_c} z (omit c to use it)")
    return value


def _finite(x):
    return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else x


def verdict_json(verdict) -> dict:
    if verdict is None:
        return {"status": "unavailable", "ok": False, "message": "the independent checker is not installed"}
    return {"status": verdict.status, "ok": bool(verdict.ok), "message": verdict.message}


def run_check(cert):
    """The checker's verdict, or None when the checker package is not installed (then nothing is called
    verified); unreadable input is a rejection with the checker's message."""
    try:
        import checker  # noqa: F401
    except ImportError:
        return None
    try:
        return cert.check()
    except ValueError as exc:  # checker.CertificateError
        from types import SimpleNamespace
        return SimpleNamespace(status="rejected", ok=False, message=f"REJECTED: {exc}".splitlines()[0])


def answer_json(cert, res, elapsed: float, verdict, method: str) -> dict:
    """The documented one-pair JSON object of an answer (DESIGN.md), with "checked": the checker's verdict."""
    d, n = cert.arrays[1].shape
    exists = {"absorbable": True if cert.evidence.kind == "existence" else None, "not_absorbable": False,
              "no_index_set": False if cert.evidence.is_certificate else None}.get(cert.answer)
    if cert.answer == "no_index_set" and not cert.evidence.is_certificate:
        exists = False if res is not None and res.index_set_exists is False else None
    subset = list(cert.evidence.subset) if cert.evidence.kind == "existence" else None
    distance = None
    if cert.evidence.kind == "existence":
        distance = math.sqrt(float(cert.evidence.residual_squared)) if cert.evidence.residual_squared else 0.0
    elif res is not None and res.certificate == "enumeration":
        distance = _finite(res.distance)
    lower = float(cert.distance_lower_bound) if cert.distance_lower_bound is not None else 0.0
    answer = cert.answer
    if answer == "not_absorbable" and not (verdict is not None and verdict.ok):
        answer = "no_index_set"  # "not absorbable" reaches a user only after the checker accepted
    out = {"d": d, "n": n, "c": str(cert.c), "method": method, "answer": answer, "grade": cert.grade,
           "index_set_exists": exists, "subset": subset, "distance": distance, "distance_lower_bound": lower,
           "theorem": cert.theorem, "hypotheses": [h.to_json() for h in cert.hypotheses],
           "evidence": cert.evidence.describe(), "certificate": cert.to_json(), "elapsed_s": round(elapsed, 4),
           "checked": verdict_json(verdict), "radius": cert.radius.describe(), "notes": list(cert.notes)}
    if res is not None:
        for key in ("r_ls", "r_box"):
            val = getattr(res, key, None)
            if val is not None:
                out[key] = _finite(val)
    return out


def certify_problem(problem: Problem, check: bool = True) -> tuple:
    """(Certificate, answer JSON) for a validated problem."""
    cert, res, elapsed = certify_block(problem.block, c=problem.c, activation=problem.activation, skip=problem.skip,
                                       tol=problem.tol, method=problem.method, force=problem.force)
    verdict = run_check(cert) if check else None
    return cert, answer_json(cert, res, elapsed, verdict, problem.method)


def certify_pair(w_up, w_down, **kwargs) -> tuple:
    """validate(...) then certify_problem: (Certificate, answer JSON)."""
    check = kwargs.pop("check", True)
    return certify_problem(validate(w_up, w_down, **kwargs), check=check)


def certify_blocks(blocks, *, c=None, activation=None, skip="identity", tol=None, method="auto", force=False,
                   check=True, progress=None) -> list:
    """[(Certificate, answer JSON)] for anything with `.read()` (module docstring); one block in memory at a time.
    `skip` is per call ('identity' or 'projected'); biases come with each block."""
    out = []
    for block in blocks:
        w = block.read()
        problem = validate(w.w_up, w.w_down, c=c, skip=skip, tol=tol, up_bias=w.up_bias, down_bias=w.down_bias,
                           activation=activation, dtype=w.dtype, method=method, force=force, weights=w.weights)
        del w
        out.append(certify_problem(problem, check=check))
        if progress is not None:
            progress.update()
    return out


def render(out: dict) -> str:
    """Human text of an answer JSON. "VERIFIED", "certificate", "not absorbable" only when the checker accepted."""
    verified = out["checked"]["ok"]
    head = (f"W_up {out['n']}x{out['d']}, W_down {out['d']}x{out['n']}, c = {out['c']}, method {out['method']} "
            f"({out['elapsed_s']:.3f} s); radius: {out['radius']}")
    lines = [head]
    ans, ev = out["answer"], out["evidence"]
    is_search = out["certificate"]["evidence"]["kind"] == "search"
    if ans == "absorbable":
        grade = f" ({out['grade']})" if out["grade"] else ""
        word = "INDEX SET FOUND" if out["subset"] is not None else "ABSORBABLE"
        tail = "VERIFIED by the independent checker" if verified else "not independently checked"
        lines.append(f"{word}{grade}: {ev} ({tail}).")
        if out["subset"] is not None:
            lines.append("Sign-flipping these rows of W_up absorbs the skip for any activation with "
                         "sigma(z) - sigma(-z) = c z.")
    elif ans == "not_absorbable":
        lines.append(f"VERIFIED: not absorbable at width <= {out['n']} (theorem {out['theorem']}): {ev}; "
                     f"distance to the index condition >= {out['distance_lower_bound']:.6g}.")
    elif ans in ("not_absorbable", "no_index_set") and not is_search:
        word = "VERIFIED: NO INDEX SET" if verified else "NO INDEX SET (not independently checked)"
        lines.append(f"{word}: {ev}; distance >= {out['distance_lower_bound']:.6g}.")
    elif ans == "no_index_set":
        lines.append(f"NO INDEX SET FOUND by a search: {ev}.")
    else:
        lines.append(f"UNDECIDED: {ev}.")
    lines.append("Hypotheses: " + ", ".join(f"{h['name']} {'holds' if h['holds'] else 'fails' + (' at ' + str(h['witness']) if h['witness'] else '')}" for h in out["hypotheses"]))
    for note in out["notes"]:
        lines.append(f"Note: {note}")
    relaxed = [f"{key} = {out[key]:.6g}" for key in ("r_ls", "r_box") if out.get(key) is not None]
    if relaxed:
        lines.append("Relaxations (floating point, not certificates): " + ", ".join(relaxed))
    lines.append(f"Checker: {out['checked']['message']}")
    if out.get("absorber"):
        a = out["absorber"]
        lines.append(f"Absorber: {a['kind']}, width {a['width']}, written to {a['path']} (sha256 {a['sha256'][:16]}...); "
                     f"identity residual {a['identity_residual']:.3g}, measured error {a['measured_error']:.3g} "
                     f"({a['compared']}, sigma = {a['activation']})")
    return "\n".join(lines)


def check_output_paths(inputs, outputs) -> None:
    """Refuse outputs (--certificate, --absorber) that name an input file or each other, before any numerics run.
    Why: `--certificate w.npz` replaced the user's weights with the certificate JSON (whose sha256 then named a
    file that no longer existed), and `--absorber w.safetensors` the weights with the absorber."""
    import os
    from pathlib import Path
    outs = [(flag, Path(p)) for flag, p in outputs if p is not None]
    for k, (flag, out) in enumerate(outs):
        resolved = out.resolve()
        for other_flag, other in outs[:k]:
            if other.resolve() == resolved:
                raise InputError(f"{flag} and {other_flag} name the same file {str(out)!r}")
        for inp in inputs:
            src = Path(inp)
            same = resolved == src.resolve() or (out.exists() and src.exists() and os.path.samefile(out, src))
            if same:
                raise InputError(f"{flag} {str(out)!r} is the weights file being read; choose another path")


def check_absorber_path(path) -> None:
    """Refuse an --absorber destination that cannot be written, before any numerics run."""
    from pathlib import Path
    p = Path(path)
    if p.suffix.lower() != ".safetensors":
        raise InputError(f"--absorber must name a .safetensors file, got {str(path)!r}")
    if not p.parent.is_dir():
        raise InputError(f"--absorber {str(path)!r}: directory {str(p.parent)!r} does not exist")
    if p.is_dir():
        raise InputError(f"--absorber {str(path)!r} is a directory")


def check_certificate_path(path) -> None:
    """Refuse a --certificate destination in a directory that does not exist (nothing is created on the way)."""
    from pathlib import Path
    p = Path(path)
    if p.is_dir():
        raise InputError(f"--certificate {str(path)!r} is a directory")
    if not p.parent.is_dir():
        raise InputError(f"--certificate {str(path)!r}: directory {str(p.parent)!r} does not exist")


def write_absorber(problem: Problem, cert, out: dict, path) -> tuple:
    """Construct, check, then write a residual-free block g equal to the problem's block (indexset.absorber):
    the sign flip (output bias corrected) when the answer found an index set (exact or within its grade), the width-2
    block of Counterexample 6.4 (zero-padded to width n) for a bias-free d = 1 ReLU-type block, else the
    width-(n + d) block (needs rank W_up = d; a one-line InputError otherwise). Checked by its identity residual and
    its measured error against f for the named activation (generic_sigma(c) when none is given); for the projected
    skip the sign flip is compared after P = I - 11^T/d, which is what a post-norm LayerNorm sees. The file is
    written atomically only after the check passed. Returns (certificate with its "absorber" field, answer JSON
    with "absorber" and the updated "certificate")."""
    import dataclasses
    from pathlib import Path

    from indexset import absorber as ab
    from indexset.trusted import sha256_file
    blk = problem.block
    d = blk.d
    if out.get("subset") is not None and out["answer"] == "absorbable":
        g = ab.sign_flip(blk.w_up, blk.w_down, out["subset"], problem.c, blk.up_bias, blk.down_bias,
                         skip=problem.skip)
        post = (lambda y: y - y.mean(axis=0, keepdims=True)) if problem.skip == "projected" else None
    elif cert.evidence.kind == "relu-d1":
        g = ab.relu_d1(cert.evidence.p, cert.evidence.q, blk.n, blk.down_bias)
        post = None
    else:
        g = ab.width_n_plus_d(blk.w_up, blk.w_down, problem.c, blk.up_bias, blk.down_bias)
        post = None
    sigma_name = problem.activation or f"generic_sigma(c) = c z / 2 + log cosh z, c = {problem.c}"
    sigma = ab.activation_sigma(problem.activation) if problem.activation else ab.generic_sigma(problem.c)
    err = ab.measured_error(blk.w_up, blk.w_down, g, sigma, blk.up_bias, blk.down_bias, post=post)
    if not ab.passes(err, g):
        allowed = ab.MEASURED_TOL + d * g.identity_residual
        raise InputError(f"the {g.kind} absorber was not written: its measured error {err:.3g} exceeds "
                         f"{allowed:.3g} (identity residual {g.identity_residual:.3g})")
    ab.write(path, g)
    field = {"path": str(Path(path).resolve()), "sha256": sha256_file(path), "width": int(g.width), "kind": g.kind}
    cert = dataclasses.replace(cert, absorber=field)
    out = dict(out, certificate=cert.to_json(),
               absorber={**field, "identity_residual": g.identity_residual, "measured_error": err,
                         "activation": sigma_name, "compared": "P f with P g" if post is not None else "f with g"})
    return cert, out

