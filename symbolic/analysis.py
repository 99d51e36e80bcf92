"""Shared real-analysis helpers for the classifier: the two sides sigma(+p), sigma(-p) with a positive symbol p
(BLUEPRINT §9: avoids spurious z = 0 branches), exact piecewise branch selection, one-sided limits, analyticity."""
import sympy as sp

from symbolic.expr import Z

P = sp.Symbol("p", positive=True)
T = sp.Symbol("t", positive=True)
_NONANALYTIC = (sp.Max, sp.Min, sp.Abs, sp.Heaviside, sp.Piecewise, sp.sign)


def side(expr, sign):
    """sigma(sign * p) with Max/Min/Abs/Heaviside rewritten as a folded Piecewise in p > 0.

    >>> from symbolic.expr import parse_expression
    >>> side(parse_expression("Max(z, 0)"), 1), side(parse_expression("Max(z, 0)"), -1)
    (p, 0)
    """
    value = expr.subs(Z, sign * P)
    if value.has(*_NONANALYTIC):
        value = sp.piecewise_fold(value.rewrite(sp.Piecewise))
    return value


def _condition_set(cond):
    """The set of p > 0 where a Piecewise condition holds, or None if SymPy cannot solve it."""
    if cond in (sp.true, True):
        return sp.Interval.open(0, sp.oo)
    if cond in (sp.false, False):
        return sp.EmptySet
    try:
        return sp.solveset(cond, P, sp.Interval.open(0, sp.oo))
    except Exception:  # unsolvable condition: caller treats as unknown
        return None


def breakpoints(expr):
    """Finite boundary points in (0, oo) of the Piecewise conditions of expr (a function of p), or None if unknown."""
    points = set()
    for pw in expr.atoms(sp.Piecewise):
        for _, cond in pw.args:
            cset = _condition_set(cond)
            if cset is None or not isinstance(cset, (sp.Interval, sp.Union, sp.FiniteSet)) and cset != sp.EmptySet:
                return None
            for b in cset.boundary:
                if b.is_number and b.is_finite and b > 0:
                    points.add(sp.nsimplify(b))
    return sorted(points, key=lambda b: float(b))


def branch_on(expr, lo, hi):
    """The closed form of expr (a function of p) on the open interval (lo, hi), or None if it changes inside."""
    interval = sp.Interval.open(lo, hi)
    if isinstance(expr, sp.Piecewise):
        for value, cond in expr.args:
            cset = _condition_set(cond)
            if cset is None:
                return None
            if interval.is_subset(cset):
                return branch_on(value, lo, hi)
            if interval.intersect(cset).measure != 0:
                return None
        return None
    if expr.has(sp.Piecewise):
        args = [branch_on(a, lo, hi) for a in expr.args]
        if any(a is None for a in args):
            return None
        return expr.func(*args)
    return expr


def pieces(expr):
    """[(lo, hi, closed form)] covering (0, oo), or None if the breakpoints cannot be determined.

    >>> from symbolic.expr import parse_expression
    >>> pieces(side(parse_expression("z*Min(Max(z + 3, 0), 6)/6"), 1))  # Hardswish: kink at p = 3
    [(0, 3, p*(p + 3)/6), (3, oo, p)]
    """
    points = breakpoints(expr)
    if points is None:
        return None
    edges = [sp.Integer(0), *points, sp.oo]
    out = []
    for lo, hi in zip(edges, edges[1:]):
        form = branch_on(expr, lo, hi)
        if form is None:
            return None
        out.append((lo, hi, form))
    return out


def limit_at_zero(expr):
    """lim_{p -> 0+} of a function of p (Piecewise allowed), or None if SymPy cannot decide.

    >>> from symbolic.expr import parse_expression
    >>> limit_at_zero(side(parse_expression("sigmoid(z)"), 1))
    1/2
    """
    parts = pieces(expr)
    if not parts:
        return None
    return _safe_limit(parts[0][2], 0)


def limit_at_infinity(expr):
    """lim_{p -> oo} of a function of p (the last piece of a Piecewise), or None if SymPy cannot decide.

    >>> from symbolic.expr import parse_expression
    >>> limit_at_infinity(side(parse_expression("tanh(z)"), -1))
    -1
    """
    parts = pieces(expr)
    if not parts:
        return None
    return _safe_limit(parts[-1][2], sp.oo)


def _safe_limit(expr, point):
    for form in (expr, expr.rewrite(sp.exp)):
        try:
            value = sp.limit(form, P, point, "+" if point == 0 else "-")
        except Exception:  # SymPy's limit raises on some forms; try the next rewrite
            continue
        if isinstance(value, sp.Limit):
            continue
        return sp.simplify(value)
    return None


def is_real_analytic(expr, var=Z):
    """True if expr is built from functions analytic on all of R with arguments where they are analytic;
    False is never returned (non-analyticity needs a separate witness); None means 'not established'.

    >>> from symbolic.expr import parse_expression
    >>> is_real_analytic(parse_expression("z*erfc(z) + atan(z)")), is_real_analytic(parse_expression("Abs(z)"))
    (True, None)
    """
    if not expr.has(var) or expr == var:
        return True
    if isinstance(expr, _NONANALYTIC):
        return None
    if isinstance(expr, (sp.Add, sp.Mul)):
        return True if all(is_real_analytic(a, var) for a in expr.args) else None
    if isinstance(expr, sp.Pow):
        base, exponent = expr.args
        if exponent.has(var) or not is_real_analytic(base, var):
            return None
        if exponent.is_Integer and exponent >= 0:
            return True
        if _positive_on_reals(base, var) or (exponent.is_Integer and _negative_on_reals(base, var)):
            return True
        return None
    if isinstance(expr, (sp.exp, sp.sin, sp.cos, sp.sinh, sp.cosh, sp.tanh, sp.erf, sp.erfc, sp.atan, sp.asinh)):
        return is_real_analytic(expr.args[0], var)
    if isinstance(expr, sp.log):
        return True if is_real_analytic(expr.args[0], var) and _positive_on_reals(expr.args[0], var) else None
    return None


def _positive_on_reals(expr, var):
    return expr.is_positive is True or expr.subs(var, sp.Symbol("r", real=True)).is_positive is True


def _negative_on_reals(expr, var):
    return expr.is_negative is True
