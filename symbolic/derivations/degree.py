"""Theorem 2 (degree obstruction): homogeneous hidden maps of degree k != 1 cannot absorb a linear skip."""
import sympy as sp

from symbolic.certificate import make_step
from symbolic.derivations._common import derivation, matrix, matrix_equal, vector

D, N_HIDDEN, M_HIDDEN = 2, 2, 3


def degree() -> dict:
    k = sp.Symbol("k", real=True)
    x = vector("x", D)
    A = matrix("A", D, D)
    W = matrix("W", D, N_HIDDEN)
    V = matrix("V", D, M_HIDDEN)
    # Abstract hidden maps: symbols for N(x), M(x); homogeneity of degree k gives N(2x) = 2^k N(x), M(2x) = 2^k M(x).
    Nx, Mx = vector("N", N_HIDDEN), vector("M", M_HIDDEN)
    N2x, M2x = 2**k * Nx, 2**k * Mx

    def Dmap(n_val, m_val):  # D(x) := V M(x) - W N(x)
        return V * m_val - W * n_val

    steps = []
    steps.append(matrix_equal(
        Dmap(N2x, M2x), 2**k * Dmap(Nx, Mx),
        r"D(2x) = V M(2x) - W N(2x) = 2^{k} D(x)\quad\text{when } N(2x)=2^kN(x),\ M(2x)=2^kM(x)"))
    # E(x) := A x - D(x) is identically 0 if f = g. Then (2 - 2^k) A x = E(2x) - 2^k E(x).
    E_x = A * x - Dmap(Nx, Mx)
    E_2x = A * (2 * x) - Dmap(N2x, M2x)
    steps.append(matrix_equal(
        (2 - 2**k) * A * x, E_2x - 2**k * E_x,
        r"(2-2^{k})\,A x = \bigl[2Ax - D(2x)\bigr] - 2^{k}\bigl[Ax - D(x)\bigr]"
        r"\quad(\text{both brackets vanish if } Ax + WN(x) = VM(x))"))
    sol = sp.solveset(2**k - 2, k, sp.S.Reals)
    steps.append(make_step(sol, sp.FiniteSet(1), "=", "sympy.solveset over Reals", sol == sp.FiniteSet(1),
                           r"\{k\in\mathbb R : 2^{k} = 2\} = \{1\}\quad\text{so } 2-2^{k}\neq 0 \text{ for } k\neq 1"))
    steps.append(matrix_equal(
        (A * x).jacobian(x), A,
        r"\tfrac{\partial}{\partial x}(Ax) = A\quad\text{so } Ax=0\ \forall x \Rightarrow A = 0"))
    return derivation("Degree obstruction (Thm 2): homogeneous hidden maps of degree k != 1 force A = 0",
                      "symbolic.derivations.degree.degree", steps)
