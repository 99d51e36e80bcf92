"""The one registry of certify methods: names, what each does, its hard n-limit and its cost estimate.

`absorb certify --method` takes its choices from here, and `decide` checks the guard here, so a method and its
limits are written once. Estimates are measured constants of the 2-core build machine (README, Benchmarks); a run
whose estimate exceeds GUARD_SECONDS or GUARD_BYTES is refused with one line naming the estimate unless force=True.
"""
from dataclasses import dataclass

from symbolic.errors import InputError

MAX_EXHAUSTIVE_N = 40  # the Gray-code kernel keeps subsets as int64 bit masks

# no numpy at import: absorb's parser takes --method's choices from NAMES at start-up

GUARD_SECONDS = 60.0
GUARD_BYTES = 1.5 * 2 ** 30
MILP_TIME_LIMIT = 120.0  # seconds HiGHS may run without --force (its time cannot be estimated in advance)
MITM_MAX_N = 56
ENUM_RATE = 4.0e9  # entry updates/s of the Gray-code kernel (measured 1.3e10-1.6e10 on 2 idle threads; 3x margin for load): 2^n (d^2 + 8) / ENUM_RATE seconds
GRAM_FLOPS = 5e9


@dataclass(frozen=True)
class Method:
    """One certify method, declared once (pynndescent's `named_distances` style): a one-line summary (the CLI's
    help), its hard limit on n (an int, a function returning it, or None), its cost `estimate(n, d) -> {"seconds",
    "bytes"}`, and `solve`, the name of the step in indexset.decide that runs it alone (resolved lazily, so this
    table imports nothing heavy)."""
    name: str
    summary: str
    max_n: object
    estimator: object
    solve: str

    def limit(self):
        """The hard limit on n (read lazily where it lives in another module), or None."""
        return self.max_n() if callable(self.max_n) else self.max_n

    def estimate(self, n: int, d: int) -> dict:
        """{"seconds", "bytes"}: what the method alone costs on an (n, d) instance (0 where negligible)."""
        return self.estimator(n, d)

    def solver(self):
        """The decide step `(run, force) -> None` that answers with this method alone."""
        from indexset import decide
        return getattr(decide, self.solve)


def _gram(n, d):
    return {"seconds": (2.0 * n * n * d + n ** 3 / 3.0) / GRAM_FLOPS, "bytes": 4 * 8.0 * n * n}


def _box(n, d):
    est = _gram(n, d)
    est["seconds"] += 400 * 2.0 * n * n / GRAM_FLOPS + 400 * 2e-5  # typical FISTA iterations (<= 20000)
    return est


def _exhaustive_max_n() -> int:
    return MAX_EXHAUSTIVE_N


def _exhaustive(n, d):
    return {"seconds": 2.0 ** n * (d * d + 8) / ENUM_RATE, "bytes": 0.0}


def _mitm(n, d):
    from indexset import mitm
    return mitm.estimate(n, d)


def _milp(n, d):
    return {"seconds": 0.0, "bytes": 8.0 * n * d * d * 4}


def _lattice(n, d):
    """LLL + BKZ-20 dominate (measured 2-core machine, shared: (4, 80) 0.5-1.4 s, (4, 96) 2.2-3.7 s, (3, 64) 0.6 s)."""
    return {"seconds": 1.5e-6 * (n + 1) ** 3 * max(1.0, d * d / 16.0) + 0.05, "bytes": 8.0 * (n + 1 + d * d) ** 2 * 4}


METHODS = {m.name: m for m in (
    Method("auto", "portfolio: full-rank decision and Farkas certificate phi(R_LS); meet-in-the-middle, HiGHS "
                   "and the lattice engine for small d and n; box certificate phi(R_box); the first answer wins",
           None, _gram, "_auto"),
    Method("exhaustive", "Gray-code enumeration of all 2^n subsets: the exact minimum distance",
           _exhaustive_max_n, _exhaustive, "_exhaustive"),
    Method("milp", "HiGHS (scipy.optimize.milp) on the 0/1 feasibility problem at tolerance tau", None, _milp,
           "_milp_only"),
    Method("mitm", "meet-in-the-middle (Horowitz-Sahni) on the d^2-dim half-sums at tolerance tau", MITM_MAX_N, _mitm,
           "_mitm_only"),
    Method("relaxation", "least squares r_LS: full-rank decision and exact Farkas certificate phi(R_LS)", None,
           _gram, "_relaxation"),
    Method("box", "box relaxation r_box and exact Farkas certificate phi(R_box)", None, _box, "_box"),
    Method("lattice", "lattice (fpylll LLL + BKZ-20, complete enumeration within the covering radius) at tolerance "
                      "tau: found S verified exactly; 'none' is a search", None, _lattice, "_lattice_only"),
)}
NAMES = tuple(METHODS)


def get(name: str) -> Method:
    """The method called `name`; an InputError naming the choices otherwise."""
    if not isinstance(name, str) or name not in METHODS:
        raise InputError(f"unknown method {name!r}: choose one of {', '.join(NAMES)}")
    return METHODS[name]


def format_seconds(sec: float) -> str:
    """Seconds as s, min or h, 3 significant digits (for one-line guard messages)."""
    return f"{sec:.3g} s" if sec < 120 else (f"{sec / 60:.3g} min" if sec < 7200 else f"{sec / 3600:.3g} h")


def describe(est: dict) -> str:
    """An estimate {"seconds", "bytes"} in words: 'about 110 min and 0 GiB'."""
    return f"about {format_seconds(est['seconds'])} and {est['bytes'] / 2 ** 30:.2g} GiB"


def within_guard(est: dict) -> bool:
    """True when the estimate stays under the guards (GUARD_SECONDS, GUARD_BYTES) that --force lifts."""
    return est["seconds"] <= GUARD_SECONDS and est["bytes"] <= GUARD_BYTES


def check(name: str, n: int, d: int, force: bool = False) -> Method:
    """The method, after its hard n-limit and (unless force) its time/memory guard; one-line InputError otherwise."""
    method = get(name)
    max_n = method.limit()
    if max_n is not None and n > max_n:
        raise InputError(f"--method {name} needs n <= {max_n}; got n = {n} (use --method auto, milp or "
                         f"relaxation)")
    est = method.estimate(n, d)
    if not force and not within_guard(est):
        what = "the n x n Gram matrix" if name in ("auto", "relaxation", "box") else f"--method {name}"
        raise InputError(f"{what} at (d, n) = ({d}, {n}) would take {describe(est)} (limits {GUARD_SECONDS:g} s, "
                         f"{GUARD_BYTES / 2 ** 30:g} GiB); rerun with --force to run it anyway")
    return method
