"""Theorem 2 (degree obstruction): homogeneous hidden maps of degree k != 1 cannot absorb a linear skip."""
import sympy as sp

from symbolic.activations import get_activation
from symbolic.certificate import make_step
from symbolic.derivations._common import derivation, matrix, matrix_equal, nonzero, scalar_equal, vector
from symbolic.expr import Z

D, N_HIDDEN, M_HIDDEN = 2, 2, 3
UNGATED_INSTANCES = ("relu2", "relu3")   # registry entries: positively homogeneous of degree k != 1
GATED_INSTANCES = ("reglu", "bilinear")  # gates whose hidden map gamma(Px) * (Qx) has degree 2


def instance_steps(name):
    """S5 (Euler ratio, both sides): k = p sigma'(p)/sigma(p) on the nonzero side(s), then the direct two-sided check
    sigma(t z) = t^k sigma(z) for t > 0 and z = +-p, and 2^k - 2 != 0."""
    p, t = sp.Symbol("p", positive=True), sp.Symbol("t", positive=True)
    sigma = get_activation(name).expr
    ks = [sp.simplify(p * sp.diff(sigma.subs(Z, sg * p), p) / sigma.subs(Z, sg * p))
          for sg in (1, -1) if sigma.subs(Z, sg * p) != 0]
    k = ks[0]
    label = name.replace("_", " ")
    steps = [make_step(sp.Tuple(*ks), sp.Tuple(*[k] * len(ks)), "=", "Euler ratio p*diff(sigma(+-p), p)/sigma(+-p), "
                       "sympy.simplify, on each side where sigma is not identically 0",
                       len(set(ks)) == 1 and not k.has(p),
                       rf"\frac{{p\,\sigma'(\pm p)}}{{\sigma(\pm p)}} = {sp.latex(k)}\quad(\sigma = \text{{{label}}})")]
    for sg in (1, -1):
        steps.append(scalar_equal(sigma.subs(Z, t * sg * p), t**k * sigma.subs(Z, sg * p),
                                  rf"\sigma({'' if sg > 0 else '-'}tp) = t^{{{sp.latex(k)}}}\,"
                                  rf"\sigma({'' if sg > 0 else '-'}p)\quad(t, p > 0,\ \sigma = \text{{{label}}})"))
    steps.append(nonzero(2**k - 2, rf"2^{{{sp.latex(k)}}} - 2 \neq 0\quad(\sigma = \text{{{label}}})"))
    return steps


def gated_instance_steps(name):
    """The gated hidden map gamma(Px) * (Qx) with a degree-1 gate: gamma(t u) (t v) = t^2 gamma(u) v for u = +-p."""
    p, t, v = sp.Symbol("p", positive=True), sp.Symbol("t", positive=True), sp.Symbol("v", real=True)
    gamma = get_activation(name).expr
    label = name.replace("_", " ")
    return [scalar_equal(gamma.subs(Z, t * sg * p) * (t * v), t**2 * gamma.subs(Z, sg * p) * v,
                         rf"\gamma({'' if sg > 0 else '-'}tp)\,(tv) = t^2\,\gamma({'' if sg > 0 else '-'}p)\,v"
                         rf"\quad(t, p > 0,\ \text{{hidden degree 2}},\ \gamma = \text{{{label}}})")
            for sg in (1, -1)]


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
    for name in UNGATED_INSTANCES:
        steps += instance_steps(name)
    for name in GATED_INSTANCES:
        steps += gated_instance_steps(name)
    return derivation("Degree obstruction (Thm 2): homogeneous hidden maps of degree k != 1 force A = 0",
                      "symbolic.derivations.degree.degree", steps)
