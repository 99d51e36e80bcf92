"""Branch-and-bound certificates (BLUEPRINT Lemma 8.2): a tree of partial assignments (I in S, O out of S, F free)
whose leaves are closed by phi_{I,O}(Y) > 0 with a usable distance bound, or by enumerating at most ENUM_MAX free
indices. Where n > d^2 the root Farkas certificate cannot exist (least squares reaches zero), yet the exact minimum
distance is often far from zero (issue 17 point 5: d = 3, n = 18 random has min ~0.89); the tree certifies a lower
bound within a small factor of it.

Y at a node is the residual of the box relaxation restricted to the node: min ||V_I + sum_F s_i T_i|| over s in
[0, 1]^F with V_I = A/c + sum_I T_i. At the box optimum phi_{I,O}(R) = ||R||^2 (KKT), so the leaf bound phi/||Y|| is
the node's box residual: as strong as the relaxation allows. Every leaf is then re-derived exactly (phi in Fractions,
||Y|| bounded by a rational); the float work only proposes.

Bound strategy: keep the best distance `ub` of any S seen (enumeration leaves and rounded box points) and close a
node once its bound reaches TARGET * ub; a bound proved earlier for a larger target stays valid, so the final claim
L is the minimum over the leaves. A node limit bounds the work; past it the tree is abandoned (None), never partial.
"""
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from indexset import radius as rad
from indexset.certificate import box_qp

ENUM_MAX = 12  # free indices enumerated at a leaf (the checker enumerates them exactly: keep it cheap)
NODE_LIMIT = 4000
TIME_LIMIT_S = 10.0  # a tree that has not closed by then rarely does (n >> d^2): the search's answer stands
TARGET = 0.5  # close a node when its bound >= TARGET * (best distance seen)
Y_BITS = 24


class Found(Exception):
    """An S within the radius turned up while building the tree: the answer is existence, not a tree."""

    def __init__(self, subset):
        super().__init__(subset)
        self.subset = subset


@dataclass
class TreeResult:
    root: dict
    lower: Fraction  # the claimed distance lower bound L
    leaves: int
    nodes: int


class _Builder:
    def __init__(self, block, c, skip, radius, norms_hi, within, node_limit, time_limit=TIME_LIMIT_S):
        self.block, self.c, self.skip, self.radius = block, Fraction(c), skip, radius
        self.norms_hi, self.within, self.node_limit = norms_hi, within, node_limit
        self.deadline = time.perf_counter() + time_limit
        d = block.d
        w_down = block.w_down
        a = np.eye(d)
        if skip == "projected":
            p = np.eye(d) - np.ones((d, d)) / d
            w_down, a = p @ w_down, p
        self.terms = np.einsum("ri,is->irs", w_down, block.w_up).reshape(block.n, d * d)  # (n, d^2) floats
        self.v = (a / float(self.c)).ravel()
        self.gram = self.terms @ self.terms.T
        self.ub = np.inf
        self.nodes = 0
        self.leaves = 0
        self.lower = None
        self.k = rad.k_of_u(radius.u) if radius.has_storage else Fraction(0)
        self.tau_bar = (radius.tau * rad.sqrt_bounds(rad.target_norm_squared(d, self.c, skip))[1]
                        if radius.has_relative else Fraction(0))

    def _claim(self, bound: Fraction) -> None:
        self.lower = bound if self.lower is None else min(self.lower, bound)

    def _enumerate(self, inc, free):
        """Exact-checkable leaf: every S in the cylinder. Float minimum (for the claim and `ub`); an S within the
        radius raises Found."""
        base = self.v + self.terms[inc].sum(axis=0) if inc else self.v.copy()
        sums = base[None, :]
        for i in free:
            sums = np.concatenate([sums, sums + self.terms[i][None, :]])
        top = np.max(np.abs(sums), axis=1)
        safe = np.where(top > 0, top, 1.0)
        dist = top * np.sqrt(np.sum((sums / safe[:, None]) ** 2, axis=1))  # no overflow of the squares
        if not np.all(np.isfinite(dist)):
            raise OverflowError("distances beyond the float64 range")
        order = np.argsort(dist)[:4]
        for pos in order.tolist():
            subset = sorted(inc + [free[j] for j in range(len(free)) if pos >> j & 1])
            if self.within(subset):
                raise Found(subset)
        best = float(dist[order[0]])
        self.ub = min(self.ub, best)
        scale = float(np.abs(base).sum() + np.abs(self.terms[free]).sum()) if free else float(np.abs(base).sum())
        claim = max(0.0, best * (1 - 1e-9) - 1e-12 * scale)
        self._claim(Fraction(claim))
        self.leaves += 1
        return {"enumerate": True}

    def _y_leaf(self, inc, free, r_vec):
        """phi_{I,O}(Y) for Y = the rounded residual, exactly; the node dict and its bound, or None."""
        from indexset.trusted import leaf_phi
        top = float(np.max(np.abs(r_vec)))
        if top == 0.0 or not np.isfinite(top):
            return None
        d = self.block.d
        y_int = np.rint(np.ldexp(r_vec, Y_BITS - int(np.frexp(top)[1]))).reshape(d, d)
        phi, phi_w, q = leaf_phi(self.block, y_int, inc, free, self.c, self.skip, self.k, self.norms_hi)
        if not (phi > 0 and phi_w - q * self.tau_bar > 0):
            return None
        bound = phi / q
        return {"Y": [[str(int(v)) for v in row] for row in y_int], "phi": _rat(phi)}, bound

    def build(self, inc, out, free, depth=0):
        self.nodes += 1
        if self.nodes > self.node_limit or time.perf_counter() > self.deadline:
            raise OverflowError("node or time limit")
        if len(free) <= ENUM_MAX:
            return self._enumerate(inc, free)
        base = self.v + self.terms[inc].sum(axis=0) if inc else self.v.copy()
        g = self.gram[np.ix_(free, free)]
        q = self.terms[free] @ base
        s, _ = box_qp(g, q, np.full(len(free), 0.5), max_iter=3000, tol=1e-10)
        r_vec = base + s @ self.terms[free]
        r_box = float(np.linalg.norm(r_vec))
        rounded = sorted(inc + [free[j] for j in np.flatnonzero(s > 0.5)])
        dist_round = float(np.linalg.norm(self.v + self.terms[rounded].sum(axis=0))) if rounded else \
            float(np.linalg.norm(self.v))
        if dist_round < self.ub:
            if self.within(rounded):
                raise Found(rounded)
            self.ub = dist_round
        if r_box >= TARGET * self.ub:
            leaf = self._y_leaf(inc, free, r_vec)
            if leaf is not None:
                node, bound = leaf
                self._claim(bound)
                self.leaves += 1
                return node
        j = int(np.argmin(np.abs(s - 0.5)))  # the most fractional free index
        i = free[j]
        rest = free[:j] + free[j + 1:]
        first_in = s[j] >= 0.5
        branches = {}
        for side in (("in", "out") if first_in else ("out", "in")):
            branches[side] = (self.build(inc + [i], out, rest, depth + 1) if side == "in"
                              else self.build(inc, out + [i], rest, depth + 1))
        return {"branch": i, "out": branches["out"], "in": branches["in"]}


def _rat(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def build_tree(block, c, skip, radius, norms_hi, within, node_limit=NODE_LIMIT):
    """TreeResult, or None past the node or time limit (or where the floats overflow). Raises Found(subset) when an S within the radius turns up.
    `within(subset) -> bool` is the exact test of an S against the radius."""
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        b = _Builder(block, c, skip, radius, norms_hi, within, node_limit)
        if not (np.all(np.isfinite(b.gram)) and np.all(np.isfinite(b.terms))):
            return None  # terms beyond the float64 range of the Gram matrix: no tree (the search stands)
        try:
            root = b.build([], [], list(range(block.n)))
        except OverflowError:
            return None
    lower = b.lower if b.lower is not None else Fraction(0)
    lower = Fraction(int(lower * 2 ** 60), 2 ** 60) if lower < 2 ** 900 else lower  # short digits, rounded down
    return TreeResult(root, lower, b.leaves, b.nodes)
