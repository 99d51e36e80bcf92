"""Deciding the index-set condition A/c + sum_{i in S} a_i b_i^T = 0 for given weights (`absorb certify`).

Every method works on a prepared Instance (instance.py: rebalanced terms, A/c scaled to ~1, tolerance tau) and
every answer is verified: a found S by its residual computed exactly (found when ||R||_F <= tau ||A/c||_F, and
"exactly zero on the data as given" when it is); "no index set" by an exact Farkas certificate phi(Y) > 0, by the
enumeration of all 2^n subsets (its exact minimum distance), or by a complete search at tolerance tau
(meet-in-the-middle, or HiGHS reporting infeasibility) -- the last two said as such, never called certificates.

The `auto` portfolio, cheapest decisive step first (BLUEPRINT §8):
1. least squares on the Hadamard Gram matrix: when G is positive definite (generic for n <= d^2) s_LS decides --
   rounded to a verified S, or refuted by the exact certificate phi(R_LS);
2. tiny n: enumeration (the exact minimum distance, milliseconds); small d, n: meet-in-the-middle alone when its
   estimate is tiny, otherwise raced against HiGHS in a second thread (HiGHS answers planted and near-miss instances
   at d = 4 in milliseconds, meet-in-the-middle wins at d = 2); then HiGHS again up to its time limit;
   d <= 4, n > d^2 and the lattice estimate below meet-in-the-middle's (or meet-in-the-middle does not fit): the
   lattice engine (complete enumeration within the covering radius; "none" is a search), with a deadline, after a
   HiGHS slice of half its estimate;
3. larger n (meet-in-the-middle does not fit): HiGHS up to its time limit (only where d^2 n <= 2^16 unless
   forced), then the box relaxation and its certificate phi(R_box); else undecided, with the reason.
"""
import threading
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from indexset import certificate as cert
from indexset import lattice, methods, milp, mitm
from indexset.instance import DEFAULT_TOL, prepare, safe_norm
from indexset.outcome import Outcome
from indexset.result import FARKAS_THEOREM, CertifyResult
from indexset.search import exhaustive_search, numpy_enumeration

METHODS = methods.NAMES
ZERO_TOL = DEFAULT_TOL  # kept for callers that import it (measure-zero)
ROUND_TOL = 1e-6
AUTO_MILP_MAX_ENTRIES = 1 << 16  # d^2 n above this: auto does not start HiGHS (hopeless there unless planted)
MITM_FIRST_SECONDS = 0.01  # below this estimate meet-in-the-middle runs alone; above, it races HiGHS
AUTO_LATTICE_MAX_D = 4  # the lattice engine is measured for d <= 4 (bench_lattice); beyond, auto does not start it
LATTICE_HIGHS_SLICE = 0.5  # HiGHS's slice before the lattice step, as a fraction of the lattice estimate
AUTO_LATTICE_SECONDS = 20.0  # auto's deadline for the lattice step (at least 10x its estimate)
TINY_ENUMERATION = 1 << 18  # 2^n d^2 at most this: auto enumerates in NumPy (milliseconds, exact minimum distance)


@dataclass(frozen=True)
class _Report:
    """How `decide` reports one kind of solver Outcome: its line in res.steps (None: the step writes its own), who
    found S ({n} is n), the result's `certificate` key and evidence sentence for a `none`/`infeasible`, and the note
    for any other status (None: no note). The callables take (Instance, Outcome)."""
    step: object
    found_by: str
    none_key: str
    none_text: object
    note: object = None


def _farkas_text(label: str):
    return lambda inst, out: (f"exact Farkas certificate {label} > 0 (theorem {FARKAS_THEOREM}), checked in "
                              f"rational arithmetic")


MILP = _Report(
    step=lambda inst, out: f"milp: {out.status} ({out.elapsed:.3g} s)",
    found_by="HiGHS (MILP)",
    none_key="milp-infeasible",
    none_text=lambda inst, out: (f"infeasible per HiGHS at tolerance tau = {inst.tol:g} (no S with |R_rt| <= tau "
                                 f"||A/c||_F; not a certificate)"),
    note=lambda inst, out: out.message if out.status == "time_limit" else f"HiGHS: {out.message}")
MITM = _Report(
    step=lambda inst, out: f"meet-in-the-middle: {out.status} ({out.elapsed:.3g} s)",
    found_by="meet-in-the-middle",
    none_key="meet-in-the-middle",
    none_text=lambda inst, out: (f"complete meet-in-the-middle search of all 2^{inst.n} subsets: no S with "
                                 f"||R||_F <= tau ||A/c||_F, tau = {inst.tol:g} (not a certificate)"),
    note=lambda inst, out: out.message)
# "none" is a complete floating-point search, not a certificate: its evidence is "lattice-search" (a search) and its
# step line says what the enumeration covered (K, block size, vectors)
LATTICE = _Report(
    step=lambda inst, out: (f"lattice: {out.status} ({out.elapsed:.3g} s, K = 2^{out.covered.get('k')}, "
                            f"BKZ-{out.covered.get('block_size')}, {out.covered.get('vectors')} vectors)"),
    found_by="lattice enumeration",
    none_key="lattice-search",
    none_text=lambda inst, out: f"lattice search: {out.message}",
    note=lambda inst, out: f"lattice: {out.message}")
ENUMERATION = _Report(
    step=lambda inst, out: "exhaustive",
    found_by="enumeration of all 2^{n} subsets",
    none_key="enumeration",
    none_text=lambda inst, out: (f"enumeration of all 2^{inst.n} subsets: minimum distance "
                                 f"{inst.to_user(out.residual):.6g} (best S, residual computed exactly) > tau "
                                 f"||A/c||_F"))
LEAST_SQUARES = _Report(step=None, found_by="the full-rank decision (rounded s_LS)",
                        none_key="farkas-ls", none_text=_farkas_text("phi(R_LS)"))
BOX = _Report(step=None, found_by="the box relaxation (rounded)",
              none_key="farkas-box", none_text=_farkas_text("phi(R_box)"))


class _Run:
    """State of one decide() call: the instance, the result being filled in, and the exact checks. `apply` is the
    one place where a solver's Outcome becomes the answer."""

    def __init__(self, inst, res: CertifyResult, t0: float):
        self.inst, self.res, self.t0 = inst, res, t0

    def verify(self, subset):
        """(residual in scaled units, exact_zero, within tau) for a candidate S, the residual computed exactly."""
        r, exact_zero = cert.exact_residual(self.inst, subset)
        dist = safe_norm(r)
        return dist, exact_zero, bool(exact_zero) or dist <= self.inst.zero_radius

    def apply(self, out: Outcome, report: _Report) -> Outcome:
        """Record `out` (its step line; the answer when decisive, a note otherwise) and return it."""
        inst, res = self.inst, self.res
        if report.step is not None:
            res.steps.append(report.step(inst, out))
        if out.status == "found":
            self._found(out.subset, out.residual, out.exact_zero, report.found_by.format(n=inst.n))
        elif out.decisive:
            if out.residual is not None:  # an enumeration: the exact minimum distance
                res.distance = inst.to_user(out.residual)
            certified = out.farkas_y is not None
            if certified:
                res.farkas_y = out.farkas_y
            self._none(report.none_key, report.none_text(inst, out),
                       inst.zero_radius if out.lower_bound is None else out.lower_bound,
                       True if certified else None, FARKAS_THEOREM if certified else None)
        elif report.note is not None:
            res.notes.append(report.note(inst, out))
        return out

    def _found(self, subset, dist, exact_zero, how: str) -> None:
        inst, res = self.inst, self.res
        rel = dist / inst.v_norm
        if exact_zero:
            ev = f"index set verified by {how}: residual exactly zero on the data as given (rational arithmetic)"
        elif exact_zero is None:
            ev = (f"index set found by {how}: residual {rel:.2g} ||A/c||_F within tau = {inst.tol:g} "
                  f"(float64 check; too wide for exact arithmetic)")
        else:
            ev = (f"index set found by {how}: residual {rel:.2g} ||A/c||_F (computed exactly, not exactly zero), "
                  f"within tau = {inst.tol:g}")
        res.index_set_exists, res.subset = True, sorted(int(i) for i in subset)
        res.distance, res.distance_lower_bound = inst.to_user(dist), 0.0
        res.certificate, res.certificate_verified, res.exact_zero, res.evidence = "existence", exact_zero, \
            exact_zero, ev

    def _none(self, certificate: str, evidence: str, lower: float, verified=None, theorem=None) -> None:
        res = self.res
        res.index_set_exists, res.subset = False, None
        res.distance_lower_bound = max(res.distance_lower_bound, self.inst.to_user(lower))
        res.certificate, res.certificate_verified, res.evidence, res.theorem = certificate, verified, evidence, \
            theorem


def decide(w_up, w_down, c=Fraction(1), method="auto", skip=None, tol=None, force=False) -> CertifyResult:
    """The `absorb certify` answer (contract C1). w_up (n, d), w_down (d, n) float arrays; skip is A (default I);
    tol is tau (default DEFAULT_TOL, relative to ||A/c||_F); force lifts the time/memory guards of methods.py."""
    t0 = time.perf_counter()
    inst = prepare(w_up, w_down, c, skip, tol)
    d, n = inst.d, inst.n
    solve = methods.check(method, n, d, force).solver()
    res = CertifyResult(d=d, n=n, c=str(inst.c), method=method, tol=inst.tol)
    run = _Run(inst, res, t0)
    solve(run, force)
    res.notes.extend(inst.notes)
    res.elapsed_s = round(time.perf_counter() - t0, 4)
    return res


def _factor(run: _Run):
    """The Gram factorisation, or None (with a note) when the terms are so large relative to A/c that G would
    overflow float64 (|a_i b_i^T| ~ 1e150 ||A/c|| and beyond): the relaxations say nothing there."""
    inst = run.inst
    top = float(np.max(np.abs(inst.w_down)) * np.max(np.abs(inst.w_up))) * max(inst.d, inst.n)
    if not top * np.sqrt(inst.n) < 1e150:
        run.res.notes.append("relaxations skipped: the terms a_i b_i^T exceed ||A/c||_F by more than 1e150, beyond "
                             "the float64 range of the Gram matrix")
        return None
    try:
        return cert.factor_gram(inst.w_up, inst.w_down, inst.v)
    except np.linalg.LinAlgError as exc:
        run.res.notes.append(f"relaxations skipped: {exc}")
        return None


def _enumerate(run: _Run, tiny: bool) -> Outcome:
    """All 2^n subsets: `found` (the best S within tau) or `none` with the exact minimum distance, its lower bound
    widened by the kernel's measured drift."""
    inst, t0 = run.inst, time.perf_counter()
    if tiny:  # no Numba start-up for a few thousand subsets; the reference enumeration has no incremental drift
        ex = numpy_enumeration(inst.w_up, inst.w_down, inst.v)
        ex.update(max_drift_rel=0.0, scale=float(inst.v_norm + np.sum(np.linalg.norm(inst.w_down, axis=0)
                                                                     * np.linalg.norm(inst.w_up, axis=1))))
    else:
        ex = exhaustive_search(inst.w_up, inst.w_down, inst.v)
    dist, exact_zero, within = run.verify(ex["subset"])
    covered = {"subsets": 1 << inst.n, "max_drift_rel": ex["max_drift_rel"]}
    if within:
        return Outcome("found", tuple(ex["subset"]), dist, exact_zero, time.perf_counter() - t0, covered=covered)
    # the minimum over floats may differ from the exact minimum by the kernel's rounding: widen by the drift
    margin = 4.0 * ex["max_drift_rel"] * ex["scale"] + 8 * inst.n * np.finfo(float).eps * ex["scale"]
    return Outcome("none", tuple(ex["subset"]), dist, exact_zero, time.perf_counter() - t0, covered=covered,
                   lower_bound=max(dist - margin, 0.0))


def _exhaustive(run: _Run, force, tiny=False) -> Outcome:
    out = _enumerate(run, tiny)
    run.res.max_drift_rel = out.covered["max_drift_rel"]
    return run.apply(out, ENUMERATION)


def _farkas(run: _Run, y, name: str, t0: float, relaxation: float, covered: dict) -> Outcome:
    """The exact certificate phi(Y) > 0 for Y rounded to Y_BITS bits: `none` carrying Y when it verifies,
    `inconclusive` otherwise."""
    inst = run.inst
    chk = cert.verify_certificate(inst.w_up, inst.w_down, y, inst.skip, inst.c * Fraction(2) ** inst.g)
    run.res.steps.append(f"{name}: {'verified' if chk['verified'] else 'not verified'}")
    if chk["verified"]:
        return Outcome("none", elapsed=time.perf_counter() - t0, lower_bound=chk["lower_bound"],
                       relaxation=relaxation, farkas_y=chk["y_int"], covered=covered)
    return Outcome("inconclusive", elapsed=time.perf_counter() - t0, relaxation=relaxation, covered=covered,
                   message=f"the certificate {name} did not verify")


def _rounded(run: _Run, s, t0: float, relaxation: float, covered: dict, require_binary: bool):
    """`found` when s rounds to a nonempty S (entries within ROUND_TOL of 0/1 when require_binary, of an integer
    otherwise) whose exact residual is within tau; (None, whether a candidate was tried) otherwise."""
    s_hat = np.rint(s)
    binary = np.all((s_hat == 0) | (s_hat == 1)) if require_binary else True
    if not (binary and np.max(np.abs(s - s_hat)) <= ROUND_TOL and s_hat.any()):
        return None, False
    subset = [int(i) for i in np.flatnonzero(s_hat)]
    dist, exact_zero, within = run.verify(subset)
    if not within:
        return None, True
    return Outcome("found", tuple(subset), dist, exact_zero, time.perf_counter() - t0, relaxation=relaxation,
                   covered=covered), True


def _least_squares_outcome(run: _Run, fac) -> Outcome:
    """Full-rank decision (s_LS rounded to a verified S), else the certificate phi(R_LS)."""
    inst, t0 = run.inst, time.perf_counter()
    ls = cert.least_squares(inst.w_up, inst.w_down, inst.v, fac)
    run.res.steps.append("least-squares")
    covered = {"gram_full_rank": ls["full_rank"]}
    if ls["full_rank"]:
        out, tried = _rounded(run, ls["s"], t0, ls["r"], covered, require_binary=True)
        if tried:
            run.res.steps.append(f"round: {'verified' if out is not None else 'outside tau'}")
        if out is not None:
            return out
    return _farkas(run, ls["residual"], "farkas-ls", t0, ls["r"], covered)


def _box_outcome(run: _Run, fac) -> Outcome:
    """The certificate phi(R_box), else s_box rounded to a verified S."""
    inst, t0 = run.inst, time.perf_counter()
    bx = cert.box(inst.w_up, inst.w_down, inst.v, fac)
    run.res.steps.append("box")
    out = _farkas(run, bx["residual"], "farkas-box", t0, bx["r"], {})
    if out.decisive:
        return out
    found, _ = _rounded(run, bx["s"], t0, bx["r"], {}, require_binary=False)
    return out if found is None else found


def _relaxation_applied(run: _Run, out: Outcome, report: _Report) -> Outcome:
    """A Farkas step that did not verify leaves certificate_verified False (tried and failed) until a later step
    answers."""
    run.apply(out, report)
    if out.status == "inconclusive" and run.res.certificate_verified is None:
        run.res.certificate_verified = False
    return out


def _least_squares(run: _Run, fac) -> Outcome:
    out = _least_squares_outcome(run, fac)
    run.res.r_ls, run.res.gram_full_rank = run.inst.to_user(out.relaxation), out.covered["gram_full_rank"]
    return _relaxation_applied(run, out, LEAST_SQUARES)


def _box_step(run: _Run, fac) -> Outcome:
    out = _box_outcome(run, fac)
    run.res.r_box = run.inst.to_user(out.relaxation)
    return _relaxation_applied(run, out, BOX)


def _interruptible(fn):
    """fn() in a daemon thread, waited for in short slices: HiGHS (C++) does not look at signals, so without this
    Ctrl-C would wait for its time limit; with it, KeyboardInterrupt reaches the caller at once."""
    box = {}

    def work():
        try:
            box["out"] = fn()
        except Exception as exc:  # noqa: BLE001 -- re-raised in the caller's thread below
            box["exc"] = exc

    thread = threading.Thread(target=work, name="absorb-highs", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(timeout=0.1)
    if "exc" in box:
        raise box["exc"]
    return box["out"]


def _milp_step(run: _Run, time_limit) -> Outcome:
    return run.apply(_interruptible(lambda: milp.solve(run.inst, time_limit=time_limit, verify=run.verify)), MILP)


def _mitm_step(run: _Run, deadline=None) -> Outcome:
    return run.apply(mitm.solve(run.inst, run.verify, deadline=deadline), MITM)


def _race(run: _Run, mitm_est: dict, milp_limit) -> bool:
    """HiGHS in a daemon thread (scipy's HiGHS releases the GIL). It runs alone for the meet-in-the-middle estimate
    T (so where HiGHS is faster than T, auto costs what HiGHS costs), then meet-in-the-middle joins here and the
    first decisive, verified answer wins. HiGHS is limited to max(0.2 s, 1.5 T) in the race and always waited for
    (a C++ thread still running at interpreter exit aborts the process), so auto costs about max(T + t_MITM, 1.5 T)
    where meet-in-the-middle wins. True when settled."""
    decided = threading.Event()
    box = {}
    limit = max(0.2, 1.5 * mitm_est["seconds"])
    limit = limit if milp_limit is None else min(limit, milp_limit)

    def work():
        try:
            box["out"] = milp.solve(run.inst, time_limit=limit, verify=run.verify)
        except Exception as exc:  # noqa: BLE001 -- a thread's exception would be lost: report it as a note
            box["out"] = Outcome("error", message=f"{type(exc).__name__}: {exc}")
        if box["out"].decisive:
            decided.set()

    thread = threading.Thread(target=work, name="absorb-highs", daemon=True)
    thread.start()
    m_out = None
    if not decided.wait(timeout=mitm_est["seconds"]):
        m_out = mitm.solve(run.inst, run.verify, stop=decided)
    while thread.is_alive():  # short slices: Ctrl-C stays responsive
        thread.join(timeout=0.1)
    if m_out is not None and m_out.decisive:
        run.apply(m_out, MITM)
        run.res.steps.append(f"milp: {box['out'].status} in the race (meet-in-the-middle answered first)")
        return True
    if box["out"].decisive:
        run.apply(box["out"], MILP)
        return True
    if m_out is not None:
        run.apply(m_out, MITM)
    run.apply(box["out"], MILP)
    return False


def _lattice_step(run: _Run, seconds=None) -> Outcome:
    """The lattice engine (indexset/lattice.py) with a deadline `seconds` from now (None: none)."""
    deadline = None if seconds is None else time.perf_counter() + seconds
    return run.apply(lattice.solve(run.inst, deadline=deadline, verify=run.verify), LATTICE)


def _lattice_only(run: _Run, force) -> None:
    _lattice_step(run, None if force else methods.GUARD_SECONDS)
    _undecided_if_open(run)


def _milp_only(run: _Run, force) -> None:
    _milp_step(run, None if force else methods.MILP_TIME_LIMIT)
    _undecided_if_open(run)


def _mitm_only(run: _Run, force) -> None:
    _mitm_step(run)
    _undecided_if_open(run)


def _one_relaxation(run: _Run, step, certificate: str) -> None:
    """`--method relaxation` / `box` alone: one relaxation and its Farkas certificate, or undecided saying so."""
    fac = _factor(run)
    if fac is None:
        _undecided_if_open(run)
    elif not step(run, fac).decisive:
        _undecided_if_open(run, f"the certificate {certificate} did not verify (try --method auto, milp or exhaustive)")


def _relaxation(run: _Run, force) -> None:
    _one_relaxation(run, _least_squares, "phi(R_LS)")


def _box(run: _Run, force) -> None:
    _one_relaxation(run, _box_step, "phi(R_box)")


def _auto(run: _Run, force) -> None:
    inst, res = run.inst, run.res
    n, d = inst.n, inst.d
    fac = _factor(run)
    if fac is not None and _least_squares(run, fac).decisive:
        return
    if (1 << n) * d * d <= TINY_ENUMERATION:
        _exhaustive(run, force, tiny=True)
        return
    mitm_est = methods.METHODS["mitm"].estimate(n, d)
    mitm_ok = n <= methods.MITM_MAX_N and (force or methods.within_guard(mitm_est))
    lat_est = methods.METHODS["lattice"].estimate(n, d)["seconds"]
    if d <= AUTO_LATTICE_MAX_D and n > d * d and (not mitm_ok or lat_est < mitm_est["seconds"]):
        # measured (README, bench_lattice): a HiGHS slice of half the lattice estimate first (it settles planted and
        # near-miss instances up to n ~ 64 in milliseconds), then the lattice engine, before meet-in-the-middle
        if _milp_step(run, LATTICE_HIGHS_SLICE * lat_est).decisive:
            return
        if _lattice_step(run, max(AUTO_LATTICE_SECONDS, 10 * lat_est)).decisive:
            return
    milp_limit = None if force else methods.MILP_TIME_LIMIT
    if mitm_ok:
        if mitm_est["seconds"] <= MITM_FIRST_SECONDS:
            if _mitm_step(run).decisive:
                return
        elif _race(run, mitm_est, milp_limit):
            return
        if _milp_step(run, milp_limit).decisive:
            return
    else:
        if n <= methods.MITM_MAX_N:
            res.notes.append(f"meet-in-the-middle skipped: it would take {methods.describe(mitm_est)}")
        use_milp = d * d * n <= AUTO_MILP_MAX_ENTRIES or force
        # HiGHS first: it settles planted and near-miss instances in milliseconds, and a slice restarted later would
        # pay its work twice; the box certificate is for what HiGHS leaves open
        if use_milp and _milp_step(run, milp_limit).decisive:
            return
        if fac is not None and (force or methods.within_guard(methods.METHODS["box"].estimate(n, d))):
            if _box_step(run, fac).decisive:
                return
        if not use_milp:
            res.notes.append(f"HiGHS skipped: {d * d} equality rows x {n} binaries is beyond what it settles within "
                             f"its time limit (--method milp or --force runs it)")
    _undecided_if_open(run)


def _undecided_if_open(run: _Run, why: str = None) -> None:
    res = run.res
    if res.index_set_exists is not None:
        return
    reasons = ([why] if why else []) + list(res.notes)
    res.evidence = "undecided: " + ("; ".join(reasons) if reasons else "no method settled the question")
