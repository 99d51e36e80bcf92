"""Certificates about given weights (theorems partial-farkas and storage-precision), derived in SymPy.

- partial_farkas: for disjoint I, O and S with I <= S <= I u F, <Y, A/c + sum_S a_i b_i^T> splits as
  <Y, A/c + sum_I a_i b_i^T> + sum_{S n F} a_i^T Y b_i (symbolic d = 2, n = 4).
- storage_precision: the rank-one rounding identity a b^T - a^ b^T^ = -e_a b^^T - a^ e_b^T + e_a e_b^T, the constant
  2u' + u'^2 = (2u - u^2)/(1 - u)^2 for u' = u/(1 - u), its gap 2u^2/(1 - u)^2 to the radius constant
  (2u + u^2)/(1 - u)^2, and the certificate step y = min(0, y - q w) + q w + max(0, y - q w).
"""
import sympy as sp

from symbolic.derivations._common import derivation, matrix, matrix_equal, scalar_equal, vector


def _frobenius(Y, M):
    return sum(Y[r, s] * M[r, s] for r in range(Y.shape[0]) for s in range(Y.shape[1]))


def partial_farkas(d=2, n=4, I=(0,), O=(3,), S=(0, 2)) -> dict:
    c = sp.Symbol("c", nonzero=True)
    A, Y, Wd, Wu = matrix("A", d, d), matrix("Y", d, d), matrix("Wd", d, n), matrix("Wu", n, d)
    F = [i for i in range(n) if i not in I and i not in O]
    term = lambda idx: sum((Wd[:, i] * Wu[i, :] for i in idx), sp.zeros(d, d))  # noqa: E731
    lhs = _frobenius(Y, A / c + term(S))
    rhs = _frobenius(Y, A / c + term(I)) + sum((Wd[:, i].T * Y * Wu[i, :].T)[0, 0] for i in S if i in F)
    steps = [scalar_equal(lhs, rhs, r"\bigl\langle Y,\tfrac1cA+\textstyle\sum_{S}a_ib_i^\top\bigr\rangle = "
                                    r"\bigl\langle Y,\tfrac1cA+\sum_{I}a_ib_i^\top\bigr\rangle + \sum_{S\cap F}"
                                    r"a_i^\top Yb_i,\ I=\{1\},\ O=\{4\},\ S=\{1,3\}")]
    return derivation("Partial assignments: the Frobenius pairing with the residual of any S in the cylinder of (I, O) "
                      "splits into the fixed part and the free terms a_i^T Y b_i",
                      "symbolic.derivations.radius.partial_farkas", steps)


def storage_precision(d=2) -> dict:
    u = sp.Symbol("u", positive=True)
    ahat, bhat, ea, eb = vector("ah", d), vector("bh", d), vector("ea", d), vector("eb", d)
    a, b = ahat - ea, bhat - eb
    steps = [matrix_equal(a * b.T - ahat * bhat.T, -ea * bhat.T - ahat * eb.T + ea * eb.T,
                          r"ab^\top - \hat a\hat b^\top = -e_a\hat b^\top - \hat ae_b^\top + e_ae_b^\top,\ "
                          r"\hat a = a + e_a,\ \hat b = b + e_b")]
    up = u / (1 - u)
    steps.append(scalar_equal(2 * up + up ** 2, (2 * u - u ** 2) / (1 - u) ** 2,
                              r"2u'+u'^2 = \frac{2u-u^2}{(1-u)^2},\ u' = \frac{u}{1-u}"))
    steps.append(scalar_equal((2 * u + u ** 2) / (1 - u) ** 2 - (2 * u - u ** 2) / (1 - u) ** 2,
                              2 * u ** 2 / (1 - u) ** 2,
                              r"\frac{2u+u^2}{(1-u)^2} - \frac{2u-u^2}{(1-u)^2} = \frac{2u^2}{(1-u)^2} \ge 0"))
    y, q, w = sp.symbols("y q w", real=True)
    steps.append(scalar_equal(sp.Min(0, y - q * w) + q * w + sp.Max(0, y - q * w), y,
                              r"y = \min(0, y - qw) + qw + \max(0, y - qw) \ge \min(0, y - qw) + qw"))
    return derivation("Storage precision: the rank-one rounding identity and the radius constant "
                      "(2u + u^2)/(1 - u)^2 >= 2u' + u'^2; the certificate's termwise lower bound",
                      "symbolic.derivations.radius.storage_precision", steps)
