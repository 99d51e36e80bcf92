"""Typed evidence of a certificate (docs/CERTIFICATE.md, "Evidence kinds"): one small immutable class per kind, each
with `to_json` (exactly the documented object), `describe` (the sentence a user reads) and `is_certificate`
(False only for a search). A new kind of evidence is one new class here.
"""
from dataclasses import dataclass
from fractions import Fraction


def rat(x) -> str:
    """A rational as the format's JSON string "p/q" (or "p")."""
    if isinstance(x, int):
        return str(x)
    x = Fraction(x)
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def _short(x: Fraction) -> str:
    return f"{float(x):.6g}" if x else "0"


@dataclass(frozen=True)
class Existence:
    """An index set S with its exact squared residual ||R_S||_F^2."""
    subset: tuple
    residual_squared: Fraction
    kind = "existence"
    is_certificate = True

    def to_json(self) -> dict:
        return {"kind": self.kind, "subset": [int(i) for i in self.subset],
                "residual_squared": rat(self.residual_squared)}

    def describe(self) -> str:
        shown = ", ".join(map(str, self.subset[:20])) + (", ..." if len(self.subset) > 20 else "")
        res = "exactly zero" if self.residual_squared == 0 else \
            f"||R_S||_F = {float(self.residual_squared) ** 0.5:.3g}"
        return f"index set S = {{{shown}}} (|S| = {len(self.subset)}), residual {res} in rational arithmetic"


@dataclass(frozen=True)
class Farkas:
    """The root Lemma 8.2 leaf: a d x d rational Y with phi(Y) (no storage terms) stated exactly."""
    y: tuple  # d rows of d rationals (ints or Fractions)
    phi: Fraction
    kind = "farkas"
    is_certificate = True

    def to_json(self) -> dict:
        return {"kind": self.kind, "Y": [[rat(v) for v in row] for row in self.y], "phi": rat(self.phi)}

    def describe(self) -> str:
        return f"Farkas certificate phi(Y) = {_short(self.phi)} > 0 for a {len(self.y)} x {len(self.y)} rational Y"


@dataclass(frozen=True)
class Tree:
    """A branching tree of partial assignments (Lemma 8.2): `root` is the documented node dict."""
    root: dict
    leaves: int = 0
    kind = "tree"
    is_certificate = True

    def to_json(self) -> dict:
        return {"kind": self.kind, "root": self.root}

    def describe(self) -> str:
        return f"branch-and-bound tree (Lemma 8.2) with {self.leaves} leaves"


@dataclass(frozen=True)
class Enumeration:
    """All 2^n subsets (n <= 20): the format's tree whose root is one `enumerate` leaf."""
    n: int
    kind = "tree"
    is_certificate = True

    def to_json(self) -> dict:
        return {"kind": self.kind, "root": {"enumerate": True}}

    def describe(self) -> str:
        return f"enumeration of all 2^{self.n} subsets"


@dataclass(frozen=True)
class Lattice:
    """The checker's data: K = 2^k, head weight w, R^2 and the reduced basis B' (integer rows; fplll's node count
    is kept for the description only)."""
    k: int
    weight: int
    radius2: Fraction
    basis: tuple
    nodes: int = 0
    kind = "lattice"
    is_certificate = True

    def to_json(self) -> dict:
        return {"kind": self.kind, "k": self.k, "weight": self.weight, "radius2": rat(self.radius2),
                "basis": [list(row) for row in self.basis]}

    def describe(self) -> str:
        n = len(self.basis) - 1
        return (f"lattice enumeration (rank {n + 1}, K = 2^{self.k}, head weight {self.weight}, "
                f"R^2 = {float(self.radius2):.6g}): every S within the radius is a lattice vector within R, and the "
                f"checker enumerates the reduced basis exactly")


@dataclass(frozen=True)
class Search:
    """A search that found nothing (or did not finish): never a certificate."""
    method: str
    note: str
    kind = "search"
    is_certificate = False

    def to_json(self) -> dict:
        return {"kind": self.kind, "method": self.method, "note": self.note}

    def describe(self) -> str:
        note = self.note if "not a certificate" in self.note else f"{self.note} (not a certificate)"
        return f"search by {self.method}: {note}"


@dataclass(frozen=True)
class ReluD1:
    """Counterexample 6.4: a bias-free d = 1 ReLU-type block with n >= 2 is absorbable at width 2 by
    g(x) = p sigma(x) + q sigma(-x) with f's two slopes (alpha_+, alpha_-)."""
    alpha_plus: Fraction
    alpha_minus: Fraction
    p: Fraction = None
    q: Fraction = None
    activation: str = "relu"
    delta: Fraction = None  # the down bias (d = 1), carried by g as its output bias
    kind = "relu-d1"
    is_certificate = True

    def to_json(self) -> dict:
        return {"kind": self.kind}

    def describe(self) -> str:
        g = (f"g(x) = {_short(self.p)} {self.activation}(x) + {_short(self.q)} {self.activation}(-x)"
             if self.p is not None else "g(x) = alpha_+ relu(x) - alpha_- relu(-x)")
        if self.delta:  # before: "g(x) = p relu(x) + q relu(-x) equals f" was printed without f's constant delta
            g += f" + {_short(self.delta)}"
        return (f"Counterexample 6.4 (d = 1, no up bias): f has slopes alpha_+ = {_short(self.alpha_plus)} and "
                f"alpha_- = {_short(self.alpha_minus)}, and the width-2 block {g} equals f")


@dataclass(frozen=True)
class Prenorm:
    """Prop. 6.8e: a pre-norm block never absorbs its skip, whatever the weights."""
    norm: str
    kind = "prenorm"
    is_certificate = True

    def to_json(self) -> dict:
        return {"kind": self.kind, "norm": self.norm}

    def describe(self) -> str:
        return f"pre-norm block ({self.norm}): never absorbable, for any weights (Prop. 6.8e)"
