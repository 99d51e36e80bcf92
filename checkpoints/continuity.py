"""Geometric continuity (seeds/geometric-continuity-review.txt): do the leading singular vectors of one projection
family point the same way in adjacent layers?

For a weight W (out, in) = U S V^T (PyTorch layout: y = W x), v1 lives in the input space and u1 in the output
space. Between layers l and l+1 of the same family we measure |<v1^l, v1^(l+1)>| and |<u1^l, u1^(l+1)>| (absolute:
singular vectors have no sign). The baseline is the same measurement on independent Gaussian matrices of the same
shapes, averaged over `draws` pairs from an explicit seed (one stream per shape: rng([seed, out, in])); its exact expectation E|<x, y>| for independent uniform
unit vectors in R^m is also given, since Gaussian singular vectors are uniformly distributed.

The seed's claim: Q, K, Gate, Up (which read the residual stream) show input-space continuity; O, Down (which write
to it) output-space continuity; V little. RULE: a pair of adjacent layers is aligned in a space when its alignment
exceeds RATIO x the exact baseline E|<x, y>| of that space; a family shows continuity in a space when more than half
of its adjacent pairs are aligned there; the pattern holds for Q/K/Gate/Up if they show input-space continuity, for
O/Down if they show output-space continuity, for V if it shows neither; it holds overall if it holds for every family
present. (The first version of the rule compared the mean over pairs with the Monte Carlo baseline; a mean can rest
on a minority of pairs, so the rule now counts pairs, and each family records its counts.)
"""
import math

import numpy as np

from checkpoints.reader import detect_family, open_checkpoint, read_tensor
from symbolic.errors import InputError

RATIO = 3.0
DEFAULT_DRAWS = 16
DEFAULT_SEED = 20260508
FAMILIES = ("Q", "K", "V", "O", "Gate", "Up", "Down")
EXPECTED = {"Q": "input", "K": "input", "Gate": "input", "Up": "input", "O": "output", "Down": "output", "V": "none"}
RULE = (f"a pair of adjacent layers is aligned in a space when its alignment exceeds {RATIO:g}x the exact baseline "
        f"of that space (independent uniform unit vectors); a family shows continuity in a space when more than half "
        f"of its pairs are aligned there; the seed's pattern holds when Q/K/Gate/Up show input-space continuity, "
        f"O/Down output-space continuity and V neither")
SVD_DENSE_MAX = 64  # above this (smaller dimension) the leading pair comes from ARPACK

# family id -> role -> (tensor name relative to the MLP block's prefix, Conv1D-transposed, slice of the output rows
# as (k, parts) for fused projections). T5 attention sits in the block's layer.0, its MLP in the last layer.
_BERT = {"Q": ("{p}.attention.self.query.weight",), "K": ("{p}.attention.self.key.weight",),
         "V": ("{p}.attention.self.value.weight",), "O": ("{p}.attention.output.dense.weight",),
         "Up": ("{p}.intermediate.dense.weight",), "Down": ("{p}.output.dense.weight",)}
ROLES = {
    "bert": _BERT, "vit": _BERT,
    "gpt2": {"Q": ("{p}.attn.c_attn.weight", True, (0, 3)), "K": ("{p}.attn.c_attn.weight", True, (1, 3)),
             "V": ("{p}.attn.c_attn.weight", True, (2, 3)), "O": ("{p}.attn.c_proj.weight", True),
             "Up": ("{p}.mlp.c_fc.weight", True), "Down": ("{p}.mlp.c_proj.weight", True)},
    "llama": {"Q": ("{p}.self_attn.q_proj.weight",), "K": ("{p}.self_attn.k_proj.weight",),
              "V": ("{p}.self_attn.v_proj.weight",), "O": ("{p}.self_attn.o_proj.weight",),
              "Gate": ("{p}.mlp.gate_proj.weight",), "Up": ("{p}.mlp.up_proj.weight",),
              "Down": ("{p}.mlp.down_proj.weight",)},
    "opt": {"Q": ("{p}.self_attn.q_proj.weight",), "K": ("{p}.self_attn.k_proj.weight",),
            "V": ("{p}.self_attn.v_proj.weight",), "O": ("{p}.self_attn.out_proj.weight",),
            "Up": ("{p}.fc1.weight",), "Down": ("{p}.fc2.weight",)},
    "t5": {"Q": ("{b}.layer.0.SelfAttention.q.weight",), "K": ("{b}.layer.0.SelfAttention.k.weight",),
           "V": ("{b}.layer.0.SelfAttention.v.weight",), "O": ("{b}.layer.0.SelfAttention.o.weight",),
           "Up": ("{p}.DenseReluDense.wi.weight",), "Down": ("{p}.DenseReluDense.wo.weight",)},
    "t5-gated": {"Q": ("{b}.layer.0.SelfAttention.q.weight",), "K": ("{b}.layer.0.SelfAttention.k.weight",),
                 "V": ("{b}.layer.0.SelfAttention.v.weight",), "O": ("{b}.layer.0.SelfAttention.o.weight",),
                 "Gate": ("{p}.DenseReluDense.wi_0.weight",), "Up": ("{p}.DenseReluDense.wi_1.weight",),
                 "Down": ("{p}.DenseReluDense.wo.weight",)},
}


def leading_singular_vectors(w: np.ndarray):
    """(u1 (out,), v1 (in,)) of a float64 matrix w (out, in), unit length. Small matrices: dense SVD; otherwise
    ARPACK (Lanczos) for the leading pair only, at machine-precision tolerance, from a fixed start vector."""
    m = min(w.shape)
    if m <= SVD_DENSE_MAX:
        u, _, vt = np.linalg.svd(w, full_matrices=False)
        return u[:, 0], vt[0]
    from scipy.sparse.linalg import svds
    v0 = np.random.default_rng(0).standard_normal(m)
    u, _, vt = svds(w, k=1, v0=v0, tol=0)
    return u[:, 0], vt[0]


def expected_abs_inner(m: int) -> float:
    """E|<x, y>| for independent uniform unit vectors in R^m: Gamma(m/2) / (sqrt(pi) Gamma((m+1)/2))."""
    return math.exp(math.lgamma(m / 2) - math.lgamma((m + 1) / 2)) / math.sqrt(math.pi)


def _read_role(ckpt, block, spec):
    template, conv1d, part = (tuple(spec) + (False, None)[len(spec) - 1:])[:3]
    name = template.format(p=block.name, b=block.name.rsplit(".layer.", 1)[0])
    info = ckpt.tensors.get(name)
    if info is None:
        return None
    if len(info.shape) != 2:
        raise InputError(f"tensor {name!r} must be 2-D, got shape {list(info.shape)}")
    w = read_tensor(info)
    if conv1d:
        w = w.T  # Conv1D stores (in, out)
    if part is not None:
        k, parts = part
        rows = w.shape[0] // parts
        w = w[k * rows:(k + 1) * rows]
    return np.ascontiguousarray(w)


def _baseline(shape, draws: int, rng) -> tuple:
    """Mean |<v1, v1'>| and |<u1, u1'>| over `draws` pairs of independent Gaussian matrices of `shape`."""
    inp, out = [], []
    for _ in range(draws):
        u_a, v_a = leading_singular_vectors(rng.standard_normal(shape))
        u_b, v_b = leading_singular_vectors(rng.standard_normal(shape))
        inp.append(abs(float(v_a @ v_b)))
        out.append(abs(float(u_a @ u_b)))
    return float(np.mean(inp)), float(np.mean(out))


def aligned_pairs(values, baseline: float) -> int:
    """How many adjacent-layer pairs are aligned: alignment above RATIO x the baseline."""
    return sum(1 for v in values if v > RATIO * baseline)


def _shows(aligned: int, pairs: int) -> bool:
    """A family shows continuity in a space when more than half of its pairs are aligned there."""
    return 2 * aligned > pairs


def _holds(expected: str, aligned_in: int, aligned_out: int, pairs: int) -> bool:
    show_in, show_out = _shows(aligned_in, pairs), _shows(aligned_out, pairs)
    return {"input": show_in, "output": show_out, "none": not show_in and not show_out}[expected]


def continuity(path, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, progress=None) -> dict:
    """The `absorb continuity --json` object: per family the adjacent-layer alignments, baselines, the expected
    space and whether the seed's pattern holds; overall `pattern_holds` and a one-sentence `summary`."""
    if not isinstance(draws, int) or not 1 <= draws <= 1000:
        raise InputError(f"--draws must be an integer between 1 and 1000, got {draws!r}")
    ckpt = open_checkpoint(path)
    family, blocks = detect_family(ckpt)
    if len(blocks) < 2:
        raise InputError(f"{ckpt.source.name}: continuity needs at least two layers, found {len(blocks)}")
    roles = ROLES[family.id]
    if progress is not None:  # a symbolic.progress.Progress: one step per matrix read
        progress.total = max(len(blocks) * sum(r in roles for r in FAMILIES), 1)
    baselines = {}  # shape -> (input, output): families of one shape share one baseline, seeded by the shape
    families = {}
    for role in FAMILIES:
        if role not in roles:
            continue
        vecs, shapes = [], set()
        for block in blocks:
            w = _read_role(ckpt, block, roles[role])
            if w is None:
                break
            shapes.add(w.shape)
            vecs.append(leading_singular_vectors(w))
            del w
            if progress:
                progress.update()
        if len(vecs) != len(blocks):
            continue  # this checkpoint lacks the projection (e.g. no attention weights saved)
        if len(shapes) != 1:
            raise InputError(f"{role} projections change shape across layers ({sorted(shapes)}); cannot compare")
        shape = shapes.pop()
        if shape not in baselines:
            baselines[shape] = _baseline(shape, draws, np.random.default_rng([seed, *shape]))
        base_in, base_out = baselines[shape]
        inp = [abs(float(vecs[i][1] @ vecs[i + 1][1])) for i in range(len(vecs) - 1)]
        out = [abs(float(vecs[i][0] @ vecs[i + 1][0])) for i in range(len(vecs) - 1)]
        mean_in, mean_out = float(np.mean(inp)), float(np.mean(out))
        exact_in, exact_out = expected_abs_inner(shape[1]), expected_abs_inner(shape[0])
        k_in, k_out = aligned_pairs(inp, exact_in), aligned_pairs(out, exact_out)
        families[role] = {
            "input": inp, "output": out, "mean_input": mean_in, "mean_output": mean_out,
            "baseline_input": base_in, "baseline_output": base_out,
            "baseline_input_exact": exact_in, "baseline_output_exact": exact_out,
            "aligned_input": k_in, "aligned_output": k_out, "pairs": len(inp),
            "shape": list(shape), "expected": EXPECTED[role],
            "pattern_holds": _holds(EXPECTED[role], k_in, k_out, len(inp))}
    if not families:
        raise InputError(f"{ckpt.source.name}: no projection family found for continuity")
    holds = all(f["pattern_holds"] for f in families.values())
    summary = _summary(families, holds)
    return {"source": str(path), "family": family.id, "n_layers": len(blocks), "families": families,
            "pattern_holds": holds, "summary": summary, "rule": RULE, "ratio": RATIO, "baseline_draws": draws,
            "seed": seed}


def _summary(families: dict, holds: bool) -> str:
    """One plain sentence per verdict: which families behave as the seed says, with their ratio to baseline."""
    def count(f, space):
        return f"{f[f'aligned_{space}']} of {f['pairs']} pairs aligned"
    parts = []
    for role, f in families.items():
        if f["expected"] == "none":
            parts.append(f"{role} {'shows neither' if f['pattern_holds'] else 'shows continuity'} "
                         f"(input {count(f, 'input')}, output {count(f, 'output')})")
        else:
            parts.append(f"{role} {'shows' if f['pattern_holds'] else 'lacks'} {f['expected']}-space continuity "
                         f"({count(f, f['expected'])})")
    failing = [r for r, f in families.items() if not f["pattern_holds"]]
    head = ("The seed's pattern holds for every family" if holds
            else f"The seed's pattern does not hold for {', '.join(failing)}")
    return f"{head}: " + "; ".join(parts) + "."


def render(res: dict) -> str:
    lines = [f"checkpoint: {res['source']} ({res['family']}, {res['n_layers']} layers)",
             f"adjacent-layer alignment of leading singular vectors (mean over pairs); baseline: exact E|<x,y>| for "
             f"uniform unit vectors (Monte Carlo cross-check in --json: {res['baseline_draws']} draws, seed "
             f"{res['seed']}); aligned: pairs above {RATIO:g}x the baseline",
             f"{'family':<6} {'shape':>11} {'input |<v1,v1>|':>17} {'baseline':>9} {'aligned':>8} "
             f"{'output |<u1,u1>|':>17} {'baseline':>9} {'aligned':>8}  expected  holds"]
    for role, f in res["families"].items():
        shape = "x".join(map(str, f["shape"]))
        pairs = f["pairs"]
        lines.append(f"{role:<6} {shape:>11} {f['mean_input']:>17.3f} {f['baseline_input_exact']:>9.3f} "
                     f"{str(f['aligned_input']) + '/' + str(pairs):>8} {f['mean_output']:>17.3f} "
                     f"{f['baseline_output_exact']:>9.3f} {str(f['aligned_output']) + '/' + str(pairs):>8}  "
                     f"{f['expected']:<8}  {'yes' if f['pattern_holds'] else 'no'}")
    lines.append("rule: " + res["rule"])
    lines.append(res["summary"])
    return "\n".join(lines)
