"""Biases and normalization (theorems sign-flip-bias, prenorm-impossible, postnorm-projected), derived in SymPy.

- sign_flip_bias: with an abstract sigma and sigma(-u) = sigma(u) - c u, flipping (b_i, beta_i) on S and correcting
  the output bias to delta' = delta + c sum_S a_i beta_i gives f - g = (A + c W_down D_S W_up) x exactly, which the
  index condition turns into 0; for several small (d, n, S).
- prenorm_invariances: LayerNorm with symbolic eps >= 0, gains and bias satisfies LN(x + t1) = LN(x); RMSNorm with
  eps = 0 satisfies N(tx) = N(x) for t > 0; hence f(x + t1) - f(x) = tA1 for f = Ax + h(LN(x)), h an undefined
  vector function, while g = h'(LN(x)) does not move.
- postnorm_projection: P1 = 0 and P^2 = P, LN_eps(p + s1) = LN_eps(p) (the solutions of Pq = Pp), the step
  lambda^2 eps = eps of the converse, and the d = 2 example P(I + sum a_i b_i^T) = 0 with sum a_i b_i^T = -I + 1v^T.
"""
import sympy as sp

from symbolic.certificate import make_step
from symbolic.derivations._common import apply_fn, derivation, matrix, matrix_equal, scalar_equal, vector
from symbolic.derivations.sign_flip import flip_matrix, use_odd_linear

SIGN_FLIP_CASES = ((1, 2, (0,)), (2, 3, (0, 2)), (3, 4, (0, 1, 3)))
NORM_DIMS = (2, 3)


# ------------------------------------------------------------------------------------------------ sign flip with biases
def derive_sign_flip_bias(d, n, S, claimed_factor=1) -> list:
    """claimed_factor != 1 states a deliberately wrong output-bias correction (tests)."""
    c = sp.Symbol("c", nonzero=True)
    sigma = sp.Function("sigma")
    x = vector("x", d)
    A, Wd, Wu = matrix("A", d, d), matrix("Wd", d, n), matrix("Wu", n, d)
    beta, delta = vector("beta", n), vector("delta", d)
    S = tuple(sorted(S))
    flip = flip_matrix(n, S)
    DS = sp.diag(*[1 if i in S else 0 for i in range(n)])
    delta_g = delta + claimed_factor * c * Wd * DS * beta
    f = A * x + Wd * apply_fn(sigma, Wu * x + beta) + delta
    g = Wd * apply_fn(sigma, flip * (Wu * x + beta)) + delta_g
    g_rewritten, count = use_odd_linear(g, sigma, c)
    s_tex = ",".join(str(i + 1) for i in S)
    where = rf"d={d},\ n={n},\ S=\{{{s_tex}\}}"
    steps = [make_step(count, len(S), "=", "count of sigma(arg) with arg.could_extract_minus_sign() in g",
                       count == len(S),
                       rf"\#\{{\sigma(\cdot)\text{{ terms of }} g\text{{ with a negated argument}}\}} = |S|,\ {where}")]
    linear = (A + c * Wd * DS * Wu) * x
    steps.append(matrix_equal(
        f - g_rewritten, linear,
        rf"f(x)-g(x) = \bigl(A + c\,W_{{down}}D_SW_{{up}}\bigr)x \text{{ with }} "
        rf"\delta' = \delta + c\sum_{{i\in S}} a_i\beta_i,\ {where}"))
    subs = {A[r, s]: -(c * Wd * DS * Wu)[r, s] for r in range(d) for s in range(d)}
    steps.append(matrix_equal(
        (f - g_rewritten).subs(subs), sp.zeros(d, 1),
        rf"A = -c\,W_{{down}}D_SW_{{up}} \Rightarrow f(x) - g(x) = 0,\ {where}"))
    return steps


def sign_flip_bias() -> dict:
    steps = []
    for d, n, S in SIGN_FLIP_CASES:
        steps += derive_sign_flip_bias(d, n, S)
    return derivation("Sign flip with biases: flipping (b_i, beta_i) on S with delta' = delta + c sum_S a_i beta_i "
                      "gives f - g = (A + c W_down D_S W_up) x, zero under the index condition",
                      "symbolic.derivations.bias_norm.sign_flip_bias", steps)


# ------------------------------------------------------------------------------------------------ norms
def layer_norm(x, eps, gain, bias):
    d = x.shape[0]
    mu = sum(x) / d
    centred = [sp.expand(xi - mu) for xi in x]
    var = sp.expand(sum(ci ** 2 for ci in centred) / d)
    return sp.Matrix([gain[i] * centred[i] / sp.sqrt(var + eps) + bias[i] for i in range(d)])


def rms_norm(x, eps, gain):
    d = x.shape[0]
    ms = sp.expand(sum(xi ** 2 for xi in x) / d)
    return sp.Matrix([gain[i] * x[i] / sp.sqrt(ms + eps) for i in range(d)])


NORM_REDUCERS = (("Matrix equality after expand", sp.expand),
                 ("Matrix equality after simplify", sp.simplify),
                 ("Matrix equality after factor_terms + powsimp + simplify",
                  lambda e: sp.simplify(sp.powsimp(sp.factor_terms(e), force=False))))


def _rms_scale_step(d, x, t, gain):
    """N(tx) = N(x) for t > 0 with eps = 0: sqrt(sum (t x_i)^2 / d) = t sqrt(sum x_i^2 / d) because t > 0."""
    lhs = rms_norm(t * x, 0, gain)
    # write the argument of the square root as t^2 * (sum x_i^2 / d): SymPy splits sqrt(t^2 m) = t sqrt(m) for t > 0
    ms = sp.expand(sum(xi ** 2 for xi in x) / d)
    factored = sp.Matrix([gain[i] * t * x[i] / sp.sqrt(t ** 2 * ms) for i in range(d)])
    steps = [matrix_equal(lhs, factored, rf"\mathrm{{RMS}}_0(tx) = \gamma\odot tx/\sqrt{{t^2\,\overline{{x^2}}}},\ d={d}")]
    steps.append(matrix_equal(factored, rms_norm(x, 0, gain),
                              rf"\mathrm{{RMS}}_0(tx) = \mathrm{{RMS}}_0(x)\ (t>0),\ d={d}", reducers=NORM_REDUCERS))
    return steps


def derive_prenorm(d) -> list:
    eps = sp.Symbol("epsilon", nonnegative=True)
    t = sp.Symbol("t", real=True)
    tp = sp.Symbol("t", positive=True)
    x, gain, bias = vector("x", d, real=True), vector("gamma", d, real=True), vector("b", d, real=True)
    ones = sp.ones(d, 1)
    ln_x, ln_shift = layer_norm(x, eps, gain, bias), layer_norm(x + t * ones, eps, gain, bias)
    steps = [matrix_equal(ln_shift, ln_x,
                          rf"\mathrm{{LN}}_\epsilon(x+t\mathbf 1) = \mathrm{{LN}}_\epsilon(x)\ "
                          rf"(\epsilon\ge 0,\ \text{{gains and bias symbolic}}),\ d={d}")]
    steps += _rms_scale_step(d, x, tp, gain)
    # the consequence for f = A x + h(LN(x)) with h an undefined vector function of the normalised vector
    A = matrix("A", d, d)
    h = [sp.Function(f"h{i}") for i in range(d)]
    hp = [sp.Function(f"hp{i}") for i in range(d)]

    def f(z):
        n_z = list(layer_norm(z, eps, gain, bias))
        return A * z + sp.Matrix([h[i](*n_z) for i in range(d)])

    def g(z):
        n_z = list(layer_norm(z, eps, gain, bias))
        return sp.Matrix([hp[i](*n_z) for i in range(d)])
    steps.append(matrix_equal(f(x + t * ones) - f(x), t * A * ones,
                              rf"f(x+t\mathbf 1)-f(x) = tA\mathbf 1 \text{{ for }} f = Ax + h(\mathrm{{LN}}_\epsilon(x)),"
                              rf"\ h \text{{ arbitrary}},\ d={d}"))
    steps.append(matrix_equal(g(x + t * ones) - g(x), sp.zeros(d, 1),
                              rf"g(x+t\mathbf 1) = g(x) \text{{ for }} g = h'(\mathrm{{LN}}_\epsilon(x)),\ d={d}"))
    return steps


def prenorm_invariances() -> dict:
    steps = []
    for d in NORM_DIMS:
        steps += derive_prenorm(d)
    return derivation("Pre-norm invariances: LN_eps(x + t1) = LN_eps(x) for eps >= 0 and any gains/bias, "
                      "RMS_0(tx) = RMS_0(x) for t > 0; hence f(x + t1) - f(x) = tA1 while g(x + t1) = g(x)",
                      "symbolic.derivations.bias_norm.prenorm_invariances", steps)


def derive_postnorm(d) -> list:
    eps = sp.Symbol("epsilon", positive=True)
    s = sp.Symbol("s", real=True)
    p, gain, bias = vector("p", d, real=True), vector("gamma", d, real=True), vector("b", d, real=True)
    ones = sp.ones(d, 1)
    P = sp.eye(d) - ones * ones.T / d
    steps = [matrix_equal(P * ones, sp.zeros(d, 1), rf"P\mathbf 1 = 0,\ P = I - \mathbf 1\mathbf 1^\top/d,\ d={d}"),
             matrix_equal(P * P, P, rf"P^2 = P,\ d={d}"),
             matrix_equal(P * (p + s * ones), P * p, rf"P(p + s\mathbf 1) = Pp \ (\text{{the solutions of }} Pq = Pp),"
                                                    rf"\ d={d}"),
             matrix_equal(layer_norm(p + s * ones, eps, gain, bias), layer_norm(p, eps, gain, bias),
                          rf"Pq = Pp \Rightarrow \mathrm{{LN}}_\epsilon(q) = \mathrm{{LN}}_\epsilon(p),\ d={d}")]
    return steps


def postnorm_projection() -> dict:
    steps = []
    for d in NORM_DIMS:
        steps += derive_postnorm(d)
    # converse: Pq = lambda Pp with lambda^2 = (|Pq|^2/d + eps)/(|Pp|^2/d + eps) forces lambda^2 eps = eps
    lam, r, eps, d = sp.symbols("lambda r epsilon d", positive=True)
    # |Pq|^2 = lambda^2 r (r = |Pp|^2); the defining equation lambda^2 (r/d + eps) = |Pq|^2/d + eps
    defining = lam ** 2 * (r / d + eps) - (lam ** 2 * r / d + eps)
    steps.append(scalar_equal(defining, (lam ** 2 - 1) * eps,
                              r"\lambda^2(\lVert Pp\rVert^2/d+\epsilon) - (\lVert Pq\rVert^2/d+\epsilon)"
                              r" = (\lambda^2-1)\epsilon \text{ when } \lVert Pq\rVert^2 = \lambda^2\lVert Pp\rVert^2"))
    sols = sp.solve(sp.Eq((lam ** 2 - 1) * eps, 0), lam)
    steps.append(make_step(sp.FiniteSet(*sols), sp.FiniteSet(1), "=", "sympy.solve with lambda > 0, epsilon > 0",
                           list(sols) == [1], r"(\lambda^2-1)\epsilon = 0,\ \lambda>0,\ \epsilon>0 \Rightarrow \lambda = 1"))
    # the d = 2 example: sum a_i b_i^T = -I + 1 v^T satisfies the projected condition, not the index condition
    v = vector("v", 2, real=True)
    ones = sp.ones(2, 1)
    P = sp.eye(2) - ones * ones.T / 2
    total = -sp.eye(2) + ones * v.T
    steps.append(matrix_equal(P * (sp.eye(2) + total), sp.zeros(2, 2),
                              r"\textstyle\sum_{[2]} a_ib_i^\top = -I + \mathbf 1v^\top \Rightarrow "
                              r"P\bigl(I + \sum_{[2]} a_ib_i^\top\bigr) = 0"))
    steps.append(matrix_equal(sp.eye(2) + total, ones * v.T,
                              r"I + \textstyle\sum_{[2]} a_ib_i^\top = \mathbf 1v^\top \ne 0 \text{ for } v \ne 0"))
    return derivation("Post-norm: LN_eps(p) = LN_eps(q) iff Pp = Pq (eps > 0): P1 = 0, P^2 = P, shift invariance, "
                      "lambda^2 eps = eps forces lambda = 1; the projected index condition is weaker (d = 2 example)",
                      "symbolic.derivations.bias_norm.postnorm_projection", steps)
