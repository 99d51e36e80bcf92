"""Lemma 8.1 (Gram/Hadamard identity, S3): G = M^T M = (W_down^T W_down) o (W_up W_up^T), q_i = a_i^T b_i."""
import sympy as sp

from symbolic.derivations._common import derivation, matrix, matrix_equal, scalar_equal, vector

D, N_HIDDEN = 2, 3


def _vec(Mat):
    """Column-stacking vec."""
    return sp.Matrix([Mat[i, j] for j in range(Mat.cols) for i in range(Mat.rows)])


def gram_hadamard() -> dict:
    d, n = D, N_HIDDEN
    Wd, Wu = matrix("Wd", d, n), matrix("Wu", n, d)
    a = [Wd[:, i] for i in range(n)]
    b = [Wu[i, :].T for i in range(n)]
    ai, aj, bi, bj = vector("ai", d), vector("aj", d), vector("bi", d), vector("bj", d)
    steps = [scalar_equal(
        ((ai * bi.T).T * (aj * bj.T)).trace(), (ai.T * aj)[0] * (bi.T * bj)[0],
        r"\langle a_ib_i^\top, a_jb_j^\top\rangle_F = \operatorname{tr}(b_ia_i^\top a_jb_j^\top) = "
        r"(a_i^\top a_j)(b_i^\top b_j)")]
    M = sp.Matrix.hstack(*[_vec(a[i] * b[i].T) for i in range(n)])
    G = (Wd.T * Wd).multiply_elementwise(Wu * Wu.T)
    steps.append(matrix_equal(M.T * M, G, rf"M^\top M = (W_{{down}}^\top W_{{down}})\circ(W_{{up}}W_{{up}}^\top)"
                                           rf"\quad(d={d},\ n={n},\ M=[\operatorname{{vec}}(a_ib_i^\top)]_i)"))
    vecI = _vec(sp.eye(d))
    q = sp.Matrix([(a[i].T * b[i])[0] for i in range(n)])
    steps.append(matrix_equal(M.T * vecI, q, r"M^\top\operatorname{vec}I = q,\quad q_i = a_i^\top b_i"))
    steps.append(scalar_equal((vecI.T * vecI)[0], d, rf"\lVert\operatorname{{vec}}I\rVert^2 = d = {d}"))
    s = vector("s", n, real=True)
    steps.append(matrix_equal(M * s, _vec(Wd * sp.diag(*s) * Wu),
                              r"Ms = \operatorname{vec}\bigl(W_{down}\operatorname{diag}(s)W_{up}\bigr)"))
    R = sp.eye(d) + Wd * sp.diag(*s) * Wu
    frob = sum(e**2 for e in R)
    steps.append(scalar_equal(frob, (s.T * G * s)[0] + 2 * (q.T * s)[0] + d,
                              r"\lVert I + W_{down}\operatorname{diag}(s)W_{up}\rVert_F^2 = "
                              r"\lVert Ms + \operatorname{vec}I\rVert^2 = s^\top Gs + 2q^\top s + d"))
    return derivation("Gram/Hadamard identity (Lemma 8.1): ||Ms + vec I||^2 = s^T G s + 2 q^T s + d with "
                      "G = (W_down^T W_down) o (W_up W_up^T) and q_i = a_i^T b_i",
                      "symbolic.derivations.gram_hadamard.gram_hadamard", steps)
