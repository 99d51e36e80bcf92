"""Proposition 7.1 (S6): Sinkhorn iterates D_1 M D_2 are singular iff M is; the 2x2 Sinkhorn limit in closed form."""
import sympy as sp

from symbolic.derivations._common import derivation, matrix, matrix_equal, positive, scalar_equal


def sinkhorn_invertible() -> dict:
    M3 = matrix("m", 3, 3)
    D1 = sp.diag(*sp.symbols("r1:4"))
    D2 = sp.diag(*sp.symbols("s1:4"))
    steps = [scalar_equal((D1 * M3 * D2).det(), D1.det() * D2.det() * M3.det(),
                          r"\det(D_1MD_2) = \det D_1\,\det D_2\,\det M\quad(3\times3,\ D_1, D_2 \text{ diagonal})")]
    m11, m12, m21, m22 = sp.symbols("m11 m12 m21 m22", positive=True)
    M = sp.Matrix([[m11, m12], [m21, m22]])
    sa, sb = sp.sqrt(m11 * m22), sp.sqrt(m12 * m21)
    p = sa / (sa + sb)
    q = sb / (sa + sb)  # = 1 - p, written so that its sign is evident to SymPy
    S = sp.Matrix([[p, q], [q, p]])
    # Explicit positive scalings with D_1 M D_2 = S (c_1 = 1); Sinkhorn's theorem: the doubly stochastic scaling of a
    # positive matrix is unique, so S is the Sinkhorn limit.
    r1, r2 = p / m11, q / m21
    c1, c2 = sp.Integer(1), q * m11 / (p * m12)
    E1, E2 = sp.diag(r1, r2), sp.diag(c1, c2)
    steps.append(scalar_equal(q, 1 - p, r"1 - p = \frac{\sqrt{m_{12}m_{21}}}{\sqrt{m_{11}m_{22}}+\sqrt{m_{12}m_{21}}},"
                                        r"\quad p := \frac{\sqrt{m_{11}m_{22}}}{\sqrt{m_{11}m_{22}}+\sqrt{m_{12}m_{21}}}"))
    steps.append(matrix_equal(
        E1 * M * E2, S,
        r"\operatorname{diag}(r_1,r_2)\,M\,\operatorname{diag}(1,c_2) = S := "
        r"\Bigl(\genfrac{}{}{0pt}{}{p}{1-p}\;\;\genfrac{}{}{0pt}{}{1-p}{p}\Bigr),\quad M = "
        r"\Bigl(\genfrac{}{}{0pt}{}{m_{11}}{m_{21}}\;\;\genfrac{}{}{0pt}{}{m_{12}}{m_{22}}\Bigr) > 0"))
    for tex, val in ((r"r_1 = \frac{p}{m_{11}}", r1), (r"r_2 = \frac{1-p}{m_{21}}", r2),
                     (r"c_2 = \frac{(1-p)\,m_{11}}{p\,m_{12}}", c2)):
        steps.append(positive(val, rf"{tex} > 0\quad(\text{{positive diagonal scaling}})"))
    steps.append(matrix_equal(S * sp.ones(2, 1), sp.ones(2, 1), r"S\mathbf 1 = \mathbf 1\ \text{(row sums)}"))
    steps.append(matrix_equal(sp.ones(1, 2) * S, sp.ones(1, 2), r"\mathbf 1^\top S = \mathbf 1^\top\ \text{(column sums)}"))
    steps.append(scalar_equal(S.det(), 2 * p - 1, r"\det S = 2p-1"))
    steps.append(scalar_equal(S.det(), E1.det() * E2.det() * M.det(),
                              r"\det S = \det D_1\det D_2\det M \text{ for the explicit scalings}"))
    steps.append(scalar_equal(2 * p - 1, M.det() / (sa + sb) ** 2,
                              r"2p - 1 = \frac{m_{11}m_{22} - m_{12}m_{21}}{(\sqrt{m_{11}m_{22}}+\sqrt{m_{12}m_{21}})^2}"))
    steps.append(positive((sa + sb) ** 2, r"(\sqrt{m_{11}m_{22}}+\sqrt{m_{12}m_{21}})^2 > 0,\ \text{so } "
                                          r"2p-1 = 0 \iff m_{11}m_{22} = m_{12}m_{21} \iff \det M = 0"))
    return derivation("Sinkhorn iterates (Prop 7.1): det(D_1 M D_2) = det D_1 det D_2 det M; the 2x2 Sinkhorn limit "
                      "[[p,1-p],[1-p,p]] has det 2p - 1, zero iff det M = 0",
                      "symbolic.derivations.sinkhorn.sinkhorn_invertible", steps)
