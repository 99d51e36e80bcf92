"""Constructive absorbers: explicit residual-free blocks g equal to a given block f, written out and checked.

The block is f(x) = A x + W_down sigma(W_up x + beta) + delta with the identity skip A = I (biases optional), and
sigma odd-linear: sigma(z) - sigma(-z) = c z. Two constructions, both exact identities in sigma:

- **Sign flip** (needs an index set S: sum_{i in S} a_i b_i^T = -A/c). Rows i in S of (W_up, beta) change sign,
  W_down stays, delta' = delta + c sum_{i in S} a_i beta_i. Then
  f - g = (A + c sum_S a_i b_i^T) x = c R_S x, zero exactly when S is an exact index set (and as small as the
  residual otherwise). Under a post-norm (LayerNorm with eps > 0) the same g works when only P R_S = 0, since the
  norm forgets the component along 1.
- **Width 2, d = 1** (Counterexample 6.4: a bias-free d = 1 block with a ReLU-type sigma = c z / 2 + kappa |z|):
  f(x) = alpha_+ x (x > 0), alpha_- x (x < 0), plus delta, equals g(x) = p sigma(x) + q sigma(-x) + delta with the
  slopes matched (`indexset.trusted.relu_d1_slopes`), padded with zero neurons to f's width n so the file is a drop-in
  replacement; the identity is exact in p and q, which are rounded once to float64.
- **Width n + d** (any weights with rank W_up = d): choose T, |T| = d, with B_T = W_up[T] invertible and
  V_T = A B_T^{-1} / c (columns v_k). Since sigma(z) - sigma(-z) = c z,
  sum_{k in T} v_k [sigma(z_k) - sigma(-z_k)] = c V_T (B_T x + beta_T) = A x + c V_T beta_T   (z_k = b_k^T x + beta_k),
  so g keeps every neuron, adds v_k to the output column of k in T, adds d neurons (-b_k, -beta_k) with columns
  -v_k, and corrects delta' = delta - c V_T beta_T. V_T is computed in floating point, so this g equals f up to the
  rounding of one d x d solve; the measured error is reported.

Both are checked twice: the algebraic identity they rest on (R_S, resp. c V_T B_T - A) and f(x) = g(x) at random
inputs, for a generic odd-linear sigma (c z / 2 + log cosh z, whose even part is no special function) and for the
named activation when one is given.
"""
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from symbolic.errors import InputError


@dataclass(frozen=True)
class Absorber:
    """A residual-free block g(x) = W_down sigma(W_up x + up_bias) + down_bias of width `width`."""
    kind: str  # "sign-flip" | "relu-d1-width-2" | "width-n+d"
    w_up: np.ndarray  # (width, d)
    w_down: np.ndarray  # (d, width)
    up_bias: np.ndarray  # (width,)
    down_bias: np.ndarray  # (d,)
    identity_residual: float  # ||c R_S||_F (sign flip) or ||c V_T B_T - A||_F (width n + d), relative to ||A||_F

    @property
    def width(self) -> int:
        return self.w_up.shape[0]

    def tensors(self) -> dict:
        """The safetensors payload (float64, so nothing is rounded on the way to the file)."""
        return {"W_up": np.ascontiguousarray(self.w_up), "W_down": np.ascontiguousarray(self.w_down),
                "b_up": np.ascontiguousarray(self.up_bias), "b_down": np.ascontiguousarray(self.down_bias)}


def _biases(w_up, w_down, up_bias, down_bias):
    n, d = w_up.shape
    beta = np.zeros(n) if up_bias is None else np.asarray(up_bias, dtype=np.float64).reshape(n)
    delta = np.zeros(d) if down_bias is None else np.asarray(down_bias, dtype=np.float64).reshape(d)
    return beta, delta


def sign_flip(w_up, w_down, subset, c, up_bias=None, down_bias=None, skip="identity") -> Absorber:
    """The sign-flip absorber for the index set `subset` (with the output-bias correction). skip="projected": the
    identity residual is ||P R_S|| (the post-norm block of Prop. 6.8f only needs P R_S = 0)."""
    n, d = w_up.shape
    beta, delta = _biases(w_up, w_down, up_bias, down_bias)
    s = np.zeros(n, dtype=bool)
    s[list(subset)] = True
    sign = np.where(s, -1.0, 1.0)
    cf = float(Fraction(c))
    residual = np.eye(d) + cf * (w_down[:, s] @ w_up[s, :])
    if skip == "projected":
        residual = residual - residual.mean(axis=0, keepdims=True)  # P R, P = I - 11^T/d
    return Absorber("sign-flip", sign[:, None] * w_up, np.array(w_down, dtype=np.float64), sign * beta,
                    delta + cf * (w_down[:, s] @ beta[s]),
                    float(np.linalg.norm(residual) / np.sqrt(d)))


def relu_d1(p, q, n: int, down_bias=None) -> Absorber:
    """Counterexample 6.4's g(x) = p sigma(x) + q sigma(-x) + delta, padded with zero neurons to width n >= 2."""
    w_up = np.zeros((n, 1))
    w_down = np.zeros((1, n))
    w_up[0, 0], w_up[1, 0] = 1.0, -1.0
    w_down[0, 0], w_down[0, 1] = float(Fraction(p)), float(Fraction(q))
    delta = np.zeros(1) if down_bias is None else np.asarray(down_bias, dtype=np.float64).reshape(1)
    return Absorber("relu-d1-width-2", w_up, w_down, np.zeros(n), delta.copy(), 0.0)


def width_n_plus_d(w_up, w_down, c, up_bias=None, down_bias=None) -> Absorber:
    """The width-(n + d) absorber; needs rank W_up = d (an InputError names the rank otherwise)."""
    import scipy.linalg as sla
    n, d = w_up.shape
    if n < d:
        raise InputError(f"the width-(n + d) construction needs rank W_up = d, but n = {n} < d = {d}")
    beta, delta = _biases(w_up, w_down, up_bias, down_bias)
    perm, _, _ = sla.lu(w_up, p_indices=True)  # partial pivoting: the first d pivot rows span R^d when rank = d
    t = np.sort(np.argsort(perm)[:d])
    b_t = w_up[t, :]
    rank = np.linalg.matrix_rank(b_t)
    if rank < d:
        raise InputError(f"the width-(n + d) construction needs rank W_up = d, but W_up has rank {rank} < d = {d}")
    cf = float(Fraction(c))
    v_t = np.linalg.solve(b_t.T, np.eye(d)).T / cf  # A B_T^{-1} / c with A = I
    out_down = np.array(w_down, dtype=np.float64)
    out_down[:, t] += v_t
    new_up = np.vstack([w_up, -b_t])
    new_down = np.hstack([out_down, -v_t])
    new_beta = np.concatenate([beta, -beta[t]])
    new_delta = delta - cf * (v_t @ beta[t])
    residual = cf * (v_t @ b_t) - np.eye(d)
    return Absorber("width-n+d", new_up, new_down, new_beta, new_delta, float(np.linalg.norm(residual) / np.sqrt(d)))


def generic_sigma(c):
    """An odd-linear test activation sigma(z) = c z / 2 + log cosh z (so sigma(z) - sigma(-z) = c z)."""
    cf = float(Fraction(c))
    return lambda z: 0.5 * cf * z + np.logaddexp(z, -z) - np.log(2.0)


def activation_sigma(name: str):
    """NumPy sigma of a registry activation (lambdified from its SymPy expression; SciPy supplies erf)."""
    import sympy as sp

    from symbolic.activations import get_activation
    from symbolic.expr import Z
    act = get_activation(name)
    if act.kind != "ungated":
        raise InputError(f"activation {name!r} is gated; the absorbers here are for ungated blocks")
    return sp.lambdify(Z, act.expr, modules=["scipy", "numpy"])


def measured_error(w_up, w_down, absorber: Absorber, sigma, up_bias=None, down_bias=None, samples=16, seed=0,
                   post=None):
    """max_x ||f(x) - g(x)||_inf / max_x ||f(x)||_inf over `samples` Gaussian inputs of norm ~ sqrt(d).
    post: a map applied to both outputs first (columns are samples), e.g. the post-norm LayerNorm of a checkpoint
    block, so that LN(f) is compared with LN(g)."""
    n, d = w_up.shape
    beta, delta = _biases(w_up, w_down, up_bias, down_bias)
    x = np.random.default_rng(seed).standard_normal((d, samples))
    f = x + w_down @ sigma(w_up @ x + beta[:, None]) + delta[:, None]
    g = absorber.w_down @ sigma(absorber.w_up @ x + absorber.up_bias[:, None]) + absorber.down_bias[:, None]
    if post is not None:
        f, g = post(f), post(g)
    return float(np.max(np.abs(f - g)) / max(np.max(np.abs(f)), np.finfo(float).tiny))


# a checked absorber may differ from f by this much (relative, measured) beyond d times its identity residual
MEASURED_TOL = 1e-9


def passes(err: float, absorber: Absorber) -> bool:
    """The acceptance rule for a measured error: f - g = c R x with R the identity residual, so on inputs of norm
    ~ sqrt(d) the relative error is at most about d * identity_residual, plus rounding (MEASURED_TOL)."""
    d = absorber.w_up.shape[1]
    return bool(np.isfinite(err) and err <= MEASURED_TOL + d * absorber.identity_residual)


def write(path, absorber: Absorber) -> None:
    """Write the absorber as safetensors atomically (a failed run leaves no file)."""
    import os
    import tempfile
    from pathlib import Path

    from safetensors.numpy import save_file
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        save_file(absorber.tensors(), tmp, metadata={"kind": absorber.kind, "width": str(absorber.width)})
        from symbolic.io import _MODE
        os.chmod(tmp, _MODE)  # what open() would give; mkstemp alone left the absorber 0600
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
