"""The genericity hypotheses of the block, decided exactly on the stored weights (BLUEPRINT §8.2 point 1).

Inputs are integer vectors: rows b_i of W_up (or b~_i = (b_i, beta_i)) and columns a_i (P a_i for the projected
skip), each family scaled by one common positive factor, which changes none of the conditions. Rows are compared
by hashing a normal form: for the line conditions the primitive integer vector with a positive first nonzero entry
(equal iff parallel), for the class conditions the vector times the sign of its first nonzero entry (equal iff
b_i = +-b_j)."""
import math

NAMES = ("G0", "G-line", "G-class", "G0b", "G-line-b", "G-class-b", "d>=2")


def _sign_first(row) -> int:
    return next((1 if x > 0 else -1 for x in row if x), 0)


def line_key(row):
    """Primitive direction of row up to sign; None for the zero row (dependent on every row)."""
    sign = _sign_first(row)
    if not sign:
        return None
    g = math.gcd(*row)
    return tuple(sign * x // g for x in row)


def class_key(row):
    """row up to its sign: equal for b and -b, different for b and 2b."""
    sign = _sign_first(row)
    return tuple(sign * x for x in row)


def first_collision(keys, zero_collides: bool):
    """A pair [i, j], i < j, with equal keys; a None key (zero row) collides with any other row if zero_collides."""
    if zero_collides and None in keys and len(keys) > 1:
        z = keys.index(None)
        return [0, 1] if z == 0 else [0, z]
    seen = {}
    for j, key in enumerate(keys):
        if key in seen:
            return [seen[key], j]
        seen[key] = j
    return None


def decide(cols_a, rows_b, rows_b_tilde, d: int) -> dict:
    """name -> (holds, witness) for every hypothesis in NAMES (witness: one index for G0/G0b, a pair otherwise)."""
    zero = next(([i] for i, (a, b) in enumerate(zip(cols_a, rows_b)) if not any(a) or not any(b)), None)
    found = {"G0": zero, "G0b": zero,
             "G-line": first_collision([line_key(b) for b in rows_b], True),
             "G-class": first_collision([class_key(b) for b in rows_b], False),
             "G-line-b": first_collision([line_key(b) for b in rows_b_tilde], True),
             "G-class-b": first_collision([class_key(b) for b in rows_b_tilde], False)}
    out = {name: (w is None, w) for name, w in found.items()}
    out["d>=2"] = (d >= 2, None)
    return out


def breaks(name, witness, cols_a, rows_b, rows_b_tilde) -> bool:
    """Whether `witness` (from a certificate) really violates hypothesis `name`."""
    n = len(rows_b)
    if not isinstance(witness, list) or not all(type(i) is int and 0 <= i < n for i in witness):
        return False
    if name in ("G0", "G0b"):
        return len(witness) == 1 and (not any(cols_a[witness[0]]) or not any(rows_b[witness[0]]))
    if len(witness) != 2 or witness[0] == witness[1] or name == "d>=2":
        return False
    rows = rows_b if name in ("G-line", "G-class") else rows_b_tilde
    key = line_key if name.startswith("G-line") else class_key
    ki, kj = key(rows[witness[0]]), key(rows[witness[1]])
    return ki == kj or (name.startswith("G-line") and (ki is None or kj is None))
