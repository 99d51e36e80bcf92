"""prenorm: pre-norm blocks measured (`prenorm-impossible`). For random pre-LN blocks
f(x) = x + W_down sigma(W_up LN(x) + beta) + delta (ungated and SwiGLU-gated, LayerNorm with eps = 0 and eps = 1e-5,
random gains and bias) the shift along 1 is measured: f(x + t1) - f(x) = t1 to rounding, while the residual-free
pre-LN block g(x) = W_down sigma(W_up LN(x) + beta) + delta does not move. With RMSNorm and eps = 0:
f(tx) - f(x) = (t - 1)x and g(tx) = g(x) for t > 0. Negative control: RMSNorm with eps > 0 is not scale-invariant."""
import numpy as np

from montecarlo.experiments.common import check
from montecarlo.kernels import make_kernel
from symbolic.activations import get_activation
from symbolic.expr import parse_expression

ID = "prenorm"
DEFAULT_SAMPLES = 4
ACTIVATIONS = ("relu", "gelu", "swiglu")
DIMS = [(4, 16), (16, 64), (64, 256)]
EPS = (0.0, 1e-5)
INPUTS = 256
COLUMNS = ["norm", "eps", "activation", "d", "n", "trials", "f_shift_err", "g_shift_change", "rms_eps_change"]


def _kernel(name):
    act = get_activation(name)
    return act.kind, make_kernel(act.name, parse_expression(act.expression))


def _layer_norm(x, eps, gain, bias):
    centred = x - x.mean(axis=1, keepdims=True)
    return gain * centred / np.sqrt((centred ** 2).mean(axis=1, keepdims=True) + eps) + bias


def _rms_norm(x, eps, gain):
    return gain * x / np.sqrt((x ** 2).mean(axis=1, keepdims=True) + eps)


class _MLP:
    def __init__(self, rng, kind, kern, d, n):
        self.kind, self.kern = kind, kern
        self.w_up = rng.standard_normal((n, d)) / np.sqrt(d)
        self.w_gate = rng.standard_normal((n, d)) / np.sqrt(d) if kind == "gated" else None
        self.w_down = rng.standard_normal((d, n)) / np.sqrt(n)
        self.beta, self.delta = rng.standard_normal(n), rng.standard_normal(d)

    def __call__(self, z):
        pre = z @ self.w_up.T + self.beta
        hidden = self.kern(z @ self.w_gate.T) * pre if self.kind == "gated" else self.kern(pre)
        return hidden @ self.w_down.T + self.delta


def run(samples=None, seed=0):
    samples = samples or DEFAULT_SAMPLES
    rng = np.random.default_rng(seed)
    rows = []
    for name in ACTIVATIONS:
        kind, kern = _kernel(name)
        for d, n in DIMS:
            for eps in EPS:
                f_err = g_move = 0.0
                rms_f = rms_g = 0.0
                rms_eps_change = np.inf
                for _ in range(samples):
                    mlp = _MLP(rng, kind, kern, d, n)
                    gain, bias = 1.0 + 0.1 * rng.standard_normal(d), rng.standard_normal(d)
                    x = 2.0 * rng.standard_normal((INPUTS, d))
                    t = 4.0 * rng.standard_normal((INPUTS, 1))
                    ln = lambda z: _layer_norm(z, eps, gain, bias)  # noqa: E731
                    shifted = x + t
                    f_x, f_s = x + mlp(ln(x)), shifted + mlp(ln(shifted))
                    scale = max(float(np.max(np.abs(f_x))), 1.0)
                    f_err = max(f_err, float(np.max(np.abs((f_s - f_x) - t))) / scale)
                    g_move = max(g_move, float(np.max(np.abs(mlp(ln(shifted)) - mlp(ln(x))))) / scale)
                    # RMSNorm, eps = 0: scale invariance; f(tx) - f(x) = (t - 1) x
                    s = np.exp(rng.uniform(-2.0, 2.0, (INPUTS, 1)))
                    rms = lambda z, e=0.0: _rms_norm(z, e, gain)  # noqa: E731
                    rms_f = max(rms_f, float(np.max(np.abs((s * x + mlp(rms(s * x))) - (x + mlp(rms(x)))
                                                           - (s - 1.0) * x))) / scale)
                    rms_g = max(rms_g, float(np.max(np.abs(mlp(rms(s * x)) - mlp(rms(x))))) / scale)
                    small = 1e-3 * x  # eps > 0 matters where the mean square is comparable to eps
                    rms_eps_change = min(rms_eps_change, float(np.max(np.abs(
                        mlp(rms(100.0 * small, 1e-5)) - mlp(rms(small, 1e-5))))) / scale)
                rows.append({"norm": "layernorm", "eps": eps, "activation": name, "d": d, "n": n, "trials": samples,
                             "f_shift_err": f_err, "g_shift_change": g_move, "rms_eps_change": None})
                rows.append({"norm": "rmsnorm", "eps": 0.0, "activation": name, "d": d, "n": n, "trials": samples,
                             "f_shift_err": rms_f, "g_shift_change": rms_g, "rms_eps_change": rms_eps_change})
    ln_rows = [r for r in rows if r["norm"] == "layernorm"]
    rms_rows = [r for r in rows if r["norm"] == "rmsnorm"]
    worst_f = max(r["f_shift_err"] for r in ln_rows)
    worst_g = max(r["g_shift_change"] for r in ln_rows)
    worst_rf = max(r["f_shift_err"] for r in rms_rows)
    worst_rg = max(r["g_shift_change"] for r in rms_rows)
    control = min(r["rms_eps_change"] for r in rms_rows)
    ok = max(worst_f, worst_g, worst_rf, worst_rg) <= 1e-12 and control > 1e-6
    draws = len(ln_rows) * samples
    checks = {"prenorm-impossible": check(
        ok, f"{draws} random pre-LN blocks ({', '.join(ACTIVATIONS)}; (d, n) in {DIMS}; eps in {list(EPS)}; random "
            f"gains, biases; {INPUTS} inputs and shifts t ~ N(0, 16) each): |f(x + t1) - f(x) - t1| <= "
            f"{worst_f:.2e} and the residual-free pre-LN block moves by <= {worst_g:.2e} (relative to max |f|); "
            f"RMSNorm with eps = 0: |f(sx) - f(x) - (s - 1)x| <= {worst_rf:.2e}, residual-free block moves by <= "
            f"{worst_rg:.2e}; control: RMSNorm with eps = 1e-5 near 0 is not scale-invariant (change >= "
            f"{control:.2e})")}
    payload = {"activations": list(ACTIVATIONS), "dims": [list(x) for x in DIMS], "eps": list(EPS), "inputs": INPUTS,
               "rows": rows}
    return payload, checks, COLUMNS, rows
