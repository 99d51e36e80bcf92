"""Shared helpers for the symbolic derivations: every recorded step is an equation or inequality that SymPy
actually checked; a step SymPy cannot finish is recorded with verified=False (never a guess)."""
import sympy as sp

from symbolic.certificate import certificate_verified, is_zero, make_step

# (method name, per-entry reducer) tried in order; cheap ones first.
MATRIX_REDUCERS = (
    ("Matrix equality after expand", sp.expand),
    ("Matrix equality after cancel", lambda e: sp.cancel(sp.expand(e))),
    ("Matrix equality after simplify", sp.simplify),
)


def derivation(title: str, function: str, steps) -> dict:
    """The JSON object of one derivation (docs/ARCHITECTURE.md: build/symbolic/derivations.json)."""
    return {
        "title": title,
        "function": function,
        "verified": certificate_verified(steps),
        "steps": [s.to_dict() for s in steps],
    }


def _one_line(step):
    """sstr prints matrices over several lines; keep lhs/rhs on one line (still valid SymPy input)."""
    step.lhs, step.rhs = step.lhs.replace("\n", ""), step.rhs.replace("\n", "")
    return step


def matrix_equal(lhs, rhs, claim: str, reducers=MATRIX_REDUCERS):
    """Step lhs = rhs for matrices (or vectors): every entry of lhs - rhs must reduce to exactly 0."""
    lhs, rhs = sp.Matrix(lhs), sp.Matrix(rhs)
    if lhs.shape != rhs.shape:
        return _one_line(make_step(lhs, rhs, "=", f"shape mismatch {lhs.shape} vs {rhs.shape}", False, claim))
    diff = lhs - rhs
    for method, reduce in reducers:
        if all(reduce(entry) == 0 for entry in diff):
            return _one_line(make_step(lhs, rhs, "=", method, True, claim))
    names = ", ".join(m for m, _ in reducers)
    return _one_line(make_step(lhs, rhs, "=", f"not verified: SymPy could not reduce the difference to 0 ({names})",
                               False, claim))


def scalar_equal(lhs, rhs, claim: str, reducers=None):
    """Step lhs = rhs for scalars. Default: structural, expand, then symbolic.certificate.is_zero (simplify chain)."""
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    diff = lhs - rhs
    if reducers is None:
        if sp.expand(diff) == 0:
            return make_step(lhs, rhs, "=", "sympy.expand", True, claim)
        proven, method = is_zero(diff)
        if proven:
            return make_step(lhs, rhs, "=", method, True, claim)
        return make_step(lhs, rhs, "=", f"not verified: {method}", False, claim)
    for method, reduce in reducers:
        try:
            if reduce(diff) == 0:
                return make_step(lhs, rhs, "=", method, True, claim)
        except Exception:  # a reducer SymPy cannot apply simply does not decide
            continue
    return make_step(lhs, rhs, "=", "not verified: SymPy could not reduce the difference to 0", False, claim)


def nonzero(expr, claim: str):
    """Step expr != 0, verified only if SymPy's assumptions (or exact evaluation) decide it."""
    expr = sp.sympify(expr)
    if expr.is_zero is False:
        method = "exact SymPy evaluation" if expr.is_number else "SymPy assumptions (is_zero is False)"
        return make_step(expr, 0, "!=", method, True, claim)
    return make_step(expr, 0, "!=", "not verified: SymPy could not decide expr != 0", False, claim)


def positive(expr, claim: str):
    """Step expr > 0, verified only if SymPy's assumptions decide it."""
    expr = sp.sympify(expr)
    if expr.is_positive is True:
        return make_step(expr, 0, ">", "SymPy assumptions (is_positive is True)", True, claim)
    return make_step(expr, 0, ">", "not verified: SymPy could not decide expr > 0", False, claim)


def limit_step(expr, var, point, expected, claim: str, direction="+"):
    """Step lim_{var -> point} expr = expected, checked by sympy.limit."""
    try:
        value = sp.limit(expr, var, point, direction)
    except Exception as exc:  # SymPy may raise on exotic forms
        return make_step(sp.Limit(expr, var, point, direction), expected, "=",
                         f"not verified: sympy.limit raised {type(exc).__name__}", False, claim)
    ok = sp.simplify(value - expected) == 0
    method = "sympy.limit" + (f" (direction {direction})" if point not in (sp.oo, -sp.oo) else "")
    if not ok:
        method = f"not verified: sympy.limit gave {sp.sstr(value)}"
    return make_step(sp.Limit(expr, var, point, direction), expected, "=", method, ok, claim)


def vector(name: str, size: int, **assumptions):
    return sp.Matrix(size, 1, lambda i, _: sp.Symbol(f"{name}{i}", **assumptions))


def matrix(name: str, rows: int, cols: int, **assumptions):
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}{i}{j}", **assumptions))


def apply_fn(fn, vec):
    """Coordinatewise fn(arg) with each argument expanded, so equal arguments are built identically."""
    return sp.Matrix([fn(sp.expand(e)) for e in vec])


def replace_derivatives_at_zero(expr, fn, order_symbols):
    """Replace fn(0) and the unevaluated fn^(k)(0) = Subs(Derivative(fn(xi), xi, k), xi, 0) by the named symbols in
    order_symbols[k] (k = 0, 1, ...), so no Dummy appears in the printed result."""
    def is_deriv_at_zero(e):
        return (isinstance(e, sp.Subs) and e.point == (0,) and isinstance(e.expr, sp.Derivative)
                and e.expr.expr.func == fn)

    def to_symbol(e):
        return order_symbols[e.expr.derivative_count]

    expr = expr.replace(is_deriv_at_zero, to_symbol)
    return expr.subs(fn(0), order_symbols[0])
