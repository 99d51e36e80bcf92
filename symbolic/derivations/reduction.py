"""Theorem 1 (invertible linear skip reduces to the identity skip) and its depth-2 form (Section 2)."""
import sympy as sp

from symbolic.derivations._common import apply_fn, derivation, matrix, matrix_equal, scalar_equal, vector

D, N_HIDDEN = 2, 2


def _inverse(A):
    """A^{-1} = adj(A)/det(A) for a symbolic matrix with det(A) != 0 (hypothesis of Thm 1)."""
    return A.adjugate() / A.det()


def reduction() -> dict:
    d, n = D, N_HIDDEN
    sigma = sp.Function("sigma")
    x, y = vector("x", d), vector("y", d)
    A, W, U = matrix("A", d, d), matrix("W", d, n), matrix("U", n, d)
    V, Uc = matrix("V", d, n), matrix("Ug", n, d)
    Ainv = _inverse(A)
    steps = [matrix_equal(Ainv * A, sp.eye(d), r"A^{-1}A = I\quad(A^{-1} = \operatorname{adj}(A)/\det A,\ \det A\neq0)"),
             matrix_equal(A * Ainv, sp.eye(d), r"AA^{-1} = I")]
    sx = apply_fn(sigma, U * x)
    steps.append(matrix_equal(
        Ainv * (A * x + W * sx), x + (Ainv * W) * sx,
        r"A^{-1}\bigl(Ax + W\sigma(Ux)\bigr) = x + (A^{-1}W)\sigma(Ux)\quad\text{identically}"))
    gamma = sp.Function("gamma")
    P, Q = matrix("P", n, d), matrix("Q", n, d)
    hx = apply_fn(gamma, P * x).multiply_elementwise(Q * x)
    steps.append(matrix_equal(
        Ainv * (A * x + W * hx), x + (Ainv * W) * hx,
        r"A^{-1}\bigl(Ax + W(\gamma(Px)\odot Qx)\bigr) = x + (A^{-1}W)(\gamma(Px)\odot Qx)\quad\text{(gated)}"))
    # f = V sigma(U'.)  iff  A^{-1} f = (A^{-1} V) sigma(U'.): the difference is mapped by the bijection A^{-1}.
    gx = V * apply_fn(sigma, Uc * x)
    fx = A * x + W * sx
    steps.append(matrix_equal(
        Ainv * (fx - gx), (x + Ainv * W * sx) - (Ainv * V) * apply_fn(sigma, Uc * x),
        r"A^{-1}\bigl(f(x) - V\sigma(U'x)\bigr) = \tilde f(x) - (A^{-1}V)\sigma(U'x),\ "
        r"\tilde f(x) = x + A^{-1}W\sigma(Ux)"))
    steps.append(matrix_equal(
        A * (Ainv * (fx - gx)), fx - gx,
        r"A\bigl[A^{-1}(f - V\sigma(U'\cdot))\bigr] = f - V\sigma(U'\cdot)\ \text{so } f = V\sigma(U'\cdot) \iff "
        r"\tilde f = (A^{-1}V)\sigma(U'\cdot)"))
    # Transformed index condition.
    c = sp.Symbol("c", nonzero=True)
    DS = sp.diag(1, 0)
    lhs_t = Ainv * W * DS * U + sp.eye(d) / c
    steps.append(matrix_equal(
        A * lhs_t, W * DS * U + A / c,
        r"A\bigl(A^{-1}W D_S U + I/c\bigr) = W D_S U + A/c\ \text{so the transformed index condition is IC}_c"))
    # Depth 2: f_l(x) = A_l x + W_l sigma(U_l x), P_1 = A_1, P_2 = A_2 A_1,
    # f~_l(y) = y + P_l^{-1} W_l sigma(U_l P_{l-1} y); claim f_l(P_{l-1} y) = P_l f~_l(y).
    A1, A2 = matrix("A1_", d, d), matrix("A2_", d, d)
    W1, W2 = matrix("W1_", d, n), matrix("W2_", d, n)
    U1, U2 = matrix("U1_", n, d), matrix("U2_", n, d)
    P1, P2 = A1, A2 * A1

    def f_layer(Al, Wl, Ul, z):
        return Al * z + Wl * apply_fn(sigma, Ul * z)

    def f_tilde(Pl, Pprev, Wl, Ul, z):
        return z + _inverse(Pl) * Wl * apply_fn(sigma, Ul * (Pprev * z))

    steps.append(matrix_equal(
        f_layer(A1, W1, U1, y), P1 * f_tilde(P1, sp.eye(d), W1, U1, y),
        r"f_1(y) = P_1\tilde f_1(y),\quad \tilde f_1(y) = y + P_1^{-1}W_1\sigma(U_1y)"))
    steps.append(matrix_equal(
        f_layer(A2, W2, U2, P1 * y), P2 * f_tilde(P2, P1, W2, U2, y),
        r"f_2(P_1y) = P_2\tilde f_2(y),\quad P_2 = A_2A_1,\ \tilde f_2(y) = y + P_2^{-1}W_2\sigma(U_2P_1y)"))
    steps.append(scalar_equal(P2.det(), A2.det() * A1.det(),
                              r"\det P_2 = \det A_2\det A_1\ \text{(nonzero, so } P_2^{-1}\text{ exists, when }"
                              r"A_1, A_2 \text{ are invertible)}"))
    return derivation("Invertible-skip reduction (Thm 1): A^{-1}(Ax + W sigma(Ux)) = x + A^{-1}W sigma(Ux), so f is "
                      "absorbable iff the identity-skip block with A^{-1}W is; depth-2 form f_2(P_1 y) = P_2 f~_2(y)",
                      "symbolic.derivations.reduction.reduction", steps)
