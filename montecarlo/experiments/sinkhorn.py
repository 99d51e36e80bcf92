"""sinkhorn: mHC-style residual mixing. Sinkhorn-Knopp iterates D1 M D2 of random positive M are singular iff M is
(Prop 7.1: det = prod(r) prod(c) det M at every iteration), the doubly-stochastic defect after k iterations, the
reduction of an invertible skip to the identity (Thm 1, depth 1 and 2), and static Hyper-Connections (Cor 1.1)."""
import numpy as np

from montecarlo.experiments.common import block, check, kernel_for, registry
from symbolic.progress import Progress
from indexset.search import exhaustive_search

ID = "sinkhorn"
DEFAULT_SAMPLES = 2000
STREAMS = [2, 4, 8]
ITERATIONS = 20
COLUMNS = ["n_s", "k", "defect_median", "defect_max", "samples", "singular", "median_abs_det",
           "det_identity_max_rel_err"]


def sinkhorn(m, iterations):
    """Batch Sinkhorn-Knopp (rows, then columns); returns iterates' defects, final matrices and log-scalings."""
    x = m.copy()
    log_r = np.zeros(m.shape[:2])
    log_c = np.zeros((m.shape[0], m.shape[2]))
    defects = []
    for _ in range(iterations):
        rs = x.sum(axis=2)
        x = x / rs[:, :, None]
        log_r -= np.log(rs)
        cs = x.sum(axis=1)
        x = x / cs[:, None, :]
        log_c -= np.log(cs)
        defects.append(np.max(np.abs(x.sum(axis=2) - 1.0), axis=1))
    return x, log_r, log_c, np.array(defects)


def run(samples=None, seed=0):
    samples = samples or DEFAULT_SAMPLES
    rng = np.random.default_rng(seed)
    rows, summary = [], {}
    det_err_all, singular_all = 0.0, 0
    bar = Progress(ID, len(STREAMS) + 2)
    for ns in STREAMS:
        n_here = samples if ns < 8 else max(samples // 4, 1)
        m = np.exp(rng.standard_normal((n_here, ns, ns)))  # log-normal entries: a density on (0, inf)
        x, log_r, log_c, defects = sinkhorn(m, ITERATIONS)
        sign_x, logdet_x = np.linalg.slogdet(x)
        sign_m, logdet_m = np.linalg.slogdet(m)
        pred = logdet_m + log_r.sum(axis=1) + log_c.sum(axis=1)
        rel = np.abs(np.expm1(logdet_x - pred))
        rel = np.where(sign_x == sign_m, rel, np.inf)
        singular = int(np.sum(np.linalg.matrix_rank(x) < ns))
        det_err = float(rel.max())
        det_err_all = max(det_err_all, det_err)
        singular_all += singular
        med_det = float(np.median(np.abs(sign_x * np.exp(logdet_x))))
        summary[str(ns)] = {"samples": n_here, "singular": singular, "median_abs_det": med_det,
                            "det_identity_max_rel_err": det_err, "defect_after_20_max": float(defects[-1].max())}
        for k in range(ITERATIONS):
            rows.append({"n_s": ns, "k": k + 1, "defect_median": float(np.median(defects[k])),
                         "defect_max": float(defects[k].max()), "samples": n_here, "singular": singular,
                         "median_abs_det": med_det, "det_identity_max_rel_err": det_err})
        bar.update()

    # 2x2 closed form of the limit: p = sqrt(m11 m22) / (sqrt(m11 m22) + sqrt(m12 m21)), det = 2p - 1
    m2 = np.exp(rng.standard_normal((200, 2, 2)))
    x2, *_ = sinkhorn(m2, 200)
    a, b = np.sqrt(m2[:, 0, 0] * m2[:, 1, 1]), np.sqrt(m2[:, 0, 1] * m2[:, 1, 0])
    closed_err = float(np.max(np.abs(x2[:, 0, 0] - a / (a + b))))
    # a singular positive M gives a singular iterate (the converse direction of "iff")
    u = np.exp(rng.standard_normal((50, 4, 1)))
    w = np.exp(rng.standard_normal((50, 1, 4)))
    xs, *_ = sinkhorn(u @ w, ITERATIONS)
    rank1_singular = int(np.sum(np.linalg.matrix_rank(xs) < 4))

    # reduction (Thm 1) with an invertible Sinkhorn skip, depth 1 and 2, ReLU/GELU kernels from the registry
    acts = {a["name"]: a for a in registry()}
    names = [nm for nm in ("relu", "gelu") if nm in acts]
    red_err = red2_err = 0.0
    d, n = 6, 24
    backends = {}
    for nm in names:
        kern = kernel_for(acts[nm])
        backends[nm] = kern.backend
        for _ in range(max(samples // 200, 5)):
            a_skip, *_ = sinkhorn(np.exp(rng.standard_normal((1, d, d))), ITERATIONS)
            a_skip = a_skip[0]
            w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
            x = rng.standard_normal((256, d))
            f = block(kern, "ungated", a_skip, w_up, w_down, x)
            ft = block(kern, "ungated", np.eye(d), w_up, np.linalg.solve(a_skip, w_down), x)
            red_err = max(red_err, float(np.max(np.abs(f - ft @ a_skip.T)) / np.max(np.abs(f))))
            # depth 2: f2 o f1 = P2 o ft2 o ft1, ft_l(y) = y + P_l^{-1} W_l sigma(U_l P_{l-1} y)
            a2 = sinkhorn(np.exp(rng.standard_normal((1, d, d))), ITERATIONS)[0][0]
            u2, w2 = rng.standard_normal((n, d)), rng.standard_normal((d, n))
            f2 = block(kern, "ungated", a2, u2, w2, f)
            p1, p2 = a_skip, a2 @ a_skip
            y1 = block(kern, "ungated", np.eye(d), w_up, np.linalg.solve(p1, w_down), x)
            y2 = block(kern, "ungated", np.eye(d), u2 @ p1, np.linalg.solve(p2, w2), y1)
            red2_err = max(red2_err, float(np.max(np.abs(f2 - y2 @ p2.T)) / np.max(np.abs(f2))))
    bar.update()

    # static HC: lifted weights a'_i = beta (x) a_i, b'_i = alpha (x) b_i, skip H (x) I_d
    hc_rank_max, hc_dmin, hc_cases = 0, np.inf, 0
    d, n = 2, 8
    for ns in (2, 3, 4):
        for _ in range(max(samples // 400, 3)):
            h = sinkhorn(np.exp(rng.standard_normal((1, ns, ns))), ITERATIONS)[0][0]
            alpha, beta = rng.standard_normal(ns), rng.standard_normal(ns)
            w_up, w_down = rng.standard_normal((n, d)), rng.standard_normal((d, n))
            up_l = np.kron(w_up, alpha[None, :])  # rows alpha (x) b_i
            down_l = np.kron(beta[:, None], w_down)  # columns beta (x) a_i
            skip = np.kron(h, np.eye(d))
            sub = rng.random(n) < 0.5
            hc_rank_max = max(hc_rank_max, int(np.linalg.matrix_rank(down_l[:, sub] @ up_l[sub, :])))
            res = exhaustive_search(up_l, down_l, skip)
            hc_dmin = min(hc_dmin, res["distance"])
            hc_cases += 1
    bar.update()
    bar.close()

    checks = {
        "sinkhorn-invertible": check(
            singular_all == 0 and det_err_all <= 1e-10 and closed_err <= 1e-10 and rank1_singular == 50,
            f"{singular_all} singular Sinkhorn iterates among log-normal samples for n_s in {STREAMS} "
            f"({', '.join(str(v['samples']) for v in summary.values())} samples, {ITERATIONS} iterations); "
            f"det(D1 M D2) = prod r prod c det M to max relative error {det_err_all:.1e}; 2x2 closed form of the limit "
            f"to {closed_err:.1e}; {rank1_singular}/50 iterates of rank-one positive M are singular"),
        "reduction": check(red_err <= 1e-10 and names,
                           f"A x + W sigma(U x) = A (x + A^-1 W sigma(U x)) for invertible Sinkhorn skips A, "
                           f"{', '.join(names)}: max relative error {red_err:.1e}"),
        "reduction-depth": check(red2_err <= 1e-10 and names,
                                 f"depth 2: f2 o f1 = P2 o ft2 o ft1 with ft_l(y) = y + P_l^-1 W_l sigma(U_l P_(l-1) "
                                 f"y): max relative error {red2_err:.1e}"),
        "hc-static": check(hc_rank_max <= d and hc_dmin > 1e-6,
                           f"static HC with n_s in (2, 3, 4), d = {d}, n = {n}, {hc_cases} draws: rank of "
                           f"sum_S a'_i b'_i^T is at most {hc_rank_max} <= d < n_s d = rank of the skip, and the "
                           f"exhaustive minimum distance to -H (x) I over all 2^{n} subsets is >= {hc_dmin:.3g}"),
    }
    payload = {"streams": STREAMS, "iterations": ITERATIONS, "by_streams": summary,
               "closed_form_2x2_max_abs_err": closed_err, "rank_one_singular": rank1_singular,
               "reduction_max_rel_err": red_err, "kernel_backends": backends, "reduction_depth2_max_rel_err": red2_err,
               "hc_rank_max": hc_rank_max, "hc_min_distance": hc_dmin}
    return payload, checks, COLUMNS, rows
