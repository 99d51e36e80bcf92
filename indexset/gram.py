"""The Hadamard Gram identity (BLUEPRINT Lemma 8.1), without ever forming the d^2 x n matrix M.

With a_i = W_down[:, i], b_i = W_up[i, :] and V = A/c:
    || sum_i s_i a_i b_i^T + V ||_F^2 = s^T G s + 2 q^T s + ||V||_F^2,
    G = (W_down^T W_down) o (W_up W_up^T),   q_i = a_i^T V b_i.
"""
import numpy as np


def skip_over_c(d: int, skip=None, c=1.0) -> np.ndarray:
    a = np.eye(d) if skip is None else np.asarray(skip, dtype=np.float64)
    return a / float(c)


def hadamard_gram(w_up: np.ndarray, w_down: np.ndarray) -> np.ndarray:
    return (w_down.T @ w_down) * (w_up @ w_up.T)


def linear_term(w_up: np.ndarray, w_down: np.ndarray, v: np.ndarray) -> np.ndarray:
    """q_i = a_i^T V b_i, computed as the row sums of (W_down^T V) o W_up: O(n d^2)."""
    return np.einsum("ij,ij->i", w_down.T @ v, w_up)


def quadratic_form(g, q, v, s) -> float:
    s = np.asarray(s, dtype=np.float64)
    return float(s @ g @ s + 2.0 * q @ s + np.sum(v * v))


def residual_matrix(w_up, w_down, v, s) -> np.ndarray:
    """R(s) = V + W_down diag(s) W_up (the d x d matrix whose Frobenius norm is the distance)."""
    return v + (w_down * np.asarray(s, dtype=np.float64)) @ w_up


def explicit_m(w_up, w_down) -> np.ndarray:
    """The d^2 x n matrix M itself: for tests on small instances only."""
    d, n = w_down.shape
    return np.stack([np.outer(w_down[:, i], w_up[i, :]).ravel() for i in range(n)], axis=1)
