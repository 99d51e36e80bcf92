"""Where a checkpoint's normalization sits, and the verdict about the block the model actually computes.

Why: the bias-free core x + W_down sigma(W_up x) is the paper's abstraction; a real MLP sub-block has biases and a
norm, and the norm's placement decides which theorem answers (BLUEPRINT §6.8):
- pre-norm LayerNorm, x + MLP(LN(x)) (GPT-2, ViT, OPT with do_layer_norm_before, BLOOM): LN forgets shifts along 1
  and the skip does not, so the block never equals a block MLP'(LN(x)) of the same pre-norm form, for any sigma,
  width and weights (`prenorm-impossible`). Answered from the family and config alone: no MLP weight is read.
- pre-norm RMSNorm with eps > 0 (LLaMA, Mistral, Qwen, T5): impossible when some gain is 0 (`prenorm-impossible`,
  zero-gain case) or when sigma is flat (`flat` survives the composition with a C^1 norm with N(0) = 0); otherwise open.
- post-norm LayerNorm with eps > 0 and nonzero gains, LN(x + MLP(x)) (BERT, RoBERTa, MiniLM, OPT-350m): absorbable
  iff the projected index condition P(I/c + sum_S a_i b_i^T) = 0, P = I - 11^T/d (`postnorm-projected`), under
  (G0b) with P a_i and (G-line-b) (ReLU type, `relu-bias-characterization`) or (G-class-b) (GELU, `class-bias`);
  for SiLU/Softplus/GELU-tanh/... the "only if" rests on the open case of `class-bias`.
- no norm: the biased block x + W_down sigma(W_up x + beta) + delta has the plain index condition (sign flip with
  biases) under the same hypotheses.

The projected condition is computed by `projected_decide`, one small function, so that it can be switched to the
certificate API (skip="projected", biases) without touching the rest.
"""
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from symbolic.errors import InputError

PRENORM_THEOREM = "prenorm-impossible"
POSTNORM_THEOREM = "postnorm-projected"
ABSORBER_INPUTS, ABSORBER_SEED = 64, 0


@dataclass(frozen=True)
class NormSpec:
    """The norm acting on one MLP sub-block: placement ("pre" before the MLP, "post" after the residual add,
    "none"), kind ("layernorm" | "rmsnorm" | None), eps and where it came from, the gain tensor's name pattern
    ({prefix} = the block's name), the offset added to stored gains (Gemma stores gain - 1) and why."""
    placement: str
    kind: object
    eps: object
    eps_source: str
    gain: object
    gain_offset: float
    reason: str

    def to_json(self) -> dict:
        return {"placement": self.placement, "kind": self.kind, "eps": self.eps, "eps_source": self.eps_source,
                "gain_key": self.gain, "reason": self.reason}


def _eps(config: dict, keys, default: float):
    for key in keys:
        value = config.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value), f"config.json {key}"
    return default, f"default {default:g} of the model's implementation ({' / '.join(keys)} not in config.json)"


def norm_spec(family_id: str, config: dict) -> NormSpec:
    """Norm placement per family and config (family ids of checkpoints.reader.FAMILIES). Without a config (a lone
    .safetensors file) the family's default placement is used and the reason says so."""
    spec = _norm_spec(family_id, config)
    if not config and spec.placement != "none":
        return NormSpec(spec.placement, spec.kind, spec.eps, spec.eps_source, spec.gain, spec.gain_offset,
                        spec.reason + "; no config.json: the family's default placement is assumed")
    return spec


def _norm_spec(family_id: str, config: dict) -> NormSpec:
    model_type = str(config.get("model_type", "")).lower()
    if family_id == "bert":
        eps, src = _eps(config, ("layer_norm_eps",), 1e-12)
        return NormSpec("post", "layernorm", eps, src, "{prefix}.output.LayerNorm.weight", 0.0,
                        "BERT-style encoder layer: LayerNorm(x + MLP(x)) after the residual add (post-LN)")
    if family_id == "vit":
        eps, src = _eps(config, ("layer_norm_eps",), 1e-12)
        return NormSpec("pre", "layernorm", eps, src, "{prefix}.layernorm_after.weight", 0.0,
                        "ViT layer: x + MLP(LayerNorm(x)) (pre-LN; layernorm_after acts before the MLP)")
    if family_id == "gpt2":
        eps, src = _eps(config, ("layer_norm_epsilon",), 1e-5)
        return NormSpec("pre", "layernorm", eps, src, "{prefix}.ln_2.weight", 0.0,
                        "GPT-2 block: x + MLP(ln_2(x)) (pre-LN)")
    if family_id == "bloom":
        eps, src = _eps(config, ("layer_norm_epsilon",), 1e-5)
        return NormSpec("pre", "layernorm", eps, src, "{prefix}.post_attention_layernorm.weight", 0.0,
                        "BLOOM block: x + MLP(post_attention_layernorm(x)) (pre-LN)")
    if family_id == "opt":
        eps, src = _eps(config, ("layer_norm_eps",), 1e-5)
        before = config.get("do_layer_norm_before", True)
        if before is False:
            return NormSpec("post", "layernorm", eps, src, "{prefix}.final_layer_norm.weight", 0.0,
                            "OPT with do_layer_norm_before = false (OPT-350m): final_layer_norm(x + MLP(x)) (post-LN)")
        how = "config.json do_layer_norm_before = true" if before is True else \
            "do_layer_norm_before not in config.json (default true)"
        return NormSpec("pre", "layernorm", eps, src, "{prefix}.final_layer_norm.weight", 0.0,
                        f"OPT layer: x + MLP(final_layer_norm(x)) (pre-LN; {how})")
    if family_id == "llama":
        eps, src = _eps(config, ("rms_norm_eps",), 1e-6)
        offset = 1.0 if model_type.startswith("gemma") else 0.0
        return NormSpec("pre", "rmsnorm", eps, src, "{prefix}.post_attention_layernorm.weight", offset,
                        "LLaMA-style layer: x + MLP(RMSNorm(x)) (pre-RMSNorm)"
                        + ("; Gemma stores the gain minus 1" if offset else ""))
    if family_id in ("t5", "t5-gated"):
        eps, src = _eps(config, ("layer_norm_epsilon",), 1e-6)
        return NormSpec("pre", "rmsnorm", eps, src, "{prefix}.layer_norm.weight", 0.0,
                        "T5 feed-forward sub-layer: x + MLP(T5LayerNorm(x)) (pre-RMSNorm: no mean subtraction)")
    return NormSpec("none", None, None, "", None, 0.0, f"no norm placement known for family {family_id!r}")


# ------------------------------------------------------------------------------------------------ helpers
def _hyp(name, holds, witness=None) -> dict:
    return {"name": name, "holds": holds, "witness": witness}


def _up_bias_name(block) -> str:
    name = block.up.name
    return name[: -len("weight")] + "bias" if name.endswith(".weight") else None


def _down_bias_name(block) -> str:
    name = block.down.name
    return name[: -len("weight")] + "bias" if name.endswith(".weight") else None


def read_vector(ckpt, name, length: int):
    """A 1-D tensor of the checkpoint (a bias or a gain), or None when absent; wrong shapes are an InputError."""
    from checkpoints.reader import read_tensor
    if name is None or name not in ckpt.tensors:
        return None
    info = ckpt.tensors[name]
    if tuple(info.shape) != (length,):
        raise InputError(f"tensor {name!r} must have shape ({length},), got {list(info.shape)}")
    return read_tensor(info)


def activation_class(verdict: dict, act_name: str) -> str:
    """'relu-type' (Theorem relu-bias-characterization applies), 'gelu' (class-bias is proved), 'open-class'
    (odd-linear sigma whose affine class identifiability is open: SiLU, Softplus, GELU-tanh, ...), or 'other'."""
    if verdict.get("verdict") != "conditional" or verdict.get("argument") != "sign-flip":
        return "other"
    if "relu-characterization" in (verdict.get("theorems") or []):
        return "relu-type"
    if act_name == "gelu":
        return "gelu"
    return "open-class"


# ------------------------------------------------------------------------------------------------ the numerics
def centering(d: int) -> np.ndarray:
    """P = I - 11^T/d (float64; 1/d is rounded unless d is a power of two)."""
    return np.eye(d) - np.full((d, d), 1.0 / d)


def projected_decide(w_up, w_down, c, projected: bool, **kwargs) -> dict:
    """The index question of the block: projected (post-norm): some S with P(I/c + sum_S a_i b_i^T) = 0, decided as
    the index condition of the skip A = P with columns P a_i; plain (no norm): the index condition itself (biases do
    not enter it, `sign-flip-bias`). Returns indexset.result.result_json of the answer."""
    from indexset.decide import decide
    from indexset.result import result_json
    if not projected:
        return result_json(decide(w_up, w_down, c=c, **kwargs))
    p = centering(w_down.shape[0])
    return result_json(decide(w_up, p @ w_down, c=c, skip=p, **kwargs))


def rounding_margin(w_up, w_down, c, lower_bound) -> dict:
    """P = I - 11^T/d is rounded when d is not a power of two, and so are the columns P a_i: the certificate then
    bounds the rounded problem. For every S, ||P/c + sum_S (P a_i) b_i^T||_F >= (its rounded version) - E with
    E = ||dP||_F/|c| + sum_i (gamma_d || |P_f| |a_i| || + ||dP||_F ||a_i||) ||b_i||, where |dP_kk| <= 2u,
    |dP_kj| <= u/d (so ||dP||_F <= u sqrt(4d + 1)) and gamma_d = d u / (1 - d u) bounds the rounding of a length-d
    dot product, u = 2^-53. E is evaluated in float64 and inflated by 1% for that evaluation. lower_bound > E means
    the exact projected condition fails for every S as well."""
    d = w_down.shape[0]
    u = 2.0 ** -53
    if d & (d - 1) == 0:
        return {"exact_P": True, "bound": 0.0, "holds": True}
    dp = u * np.sqrt(4 * d + 1)
    gamma = d * u / (1 - d * u)
    p_abs = np.abs(centering(d))
    col = gamma * np.linalg.norm(p_abs @ np.abs(w_down), axis=0) + dp * np.linalg.norm(w_down, axis=0)
    bound = 1.01 * (dp / abs(float(c)) + float(np.sum(col * np.linalg.norm(w_up, axis=1))))
    holds = lower_bound is not None and float(lower_bound) > bound
    return {"exact_P": False, "bound": float(bound), "holds": bool(holds),
            "explanation": "distance lower bound of the rounded problem minus the rounding of P and P a_i; "
                           "positive means no S satisfies the exact projected condition either"}


def _sigma(act):
    import sympy as sp

    from symbolic.expr import Z
    return sp.lambdify(Z, act.expr, modules=["scipy", "numpy"])


def _layer_norm(y, eps, gain, bias):
    mu = y.mean(axis=1, keepdims=True)
    centred = y - mu
    return gain * centred / np.sqrt((centred ** 2).mean(axis=1, keepdims=True) + eps) + bias


def check_absorber(act, c, w_up, w_down, beta, delta, subset, norm: NormSpec, gain, ln_bias) -> dict:
    """Numerical check of the sign-flip absorber with biases (`sign-flip-bias`): flip (b_i, beta_i) on S, keep
    W_down, output bias delta' = delta + c sum_S a_i beta_i; compare the model's block (norm included) with it on
    ABSORBER_INPUTS Gaussian inputs (seed ABSORBER_SEED)."""
    sigma = _sigma(act)
    n, d = w_up.shape
    flip = np.ones(n)
    flip[subset] = -1.0
    delta_g = delta + float(c) * (w_down[:, subset] @ beta[subset])
    x = np.random.default_rng(ABSORBER_SEED).standard_normal((ABSORBER_INPUTS, d))
    f = x + sigma(x @ w_up.T + beta) @ w_down.T + delta
    g = sigma(x @ (flip[:, None] * w_up).T + flip * beta) @ w_down.T + delta_g
    if norm.placement == "post":
        f, g = _layer_norm(f, norm.eps, gain, ln_bias), _layer_norm(g, norm.eps, gain, ln_bias)
    err = float(np.max(np.abs(f - g)))
    scale = float(np.max(np.abs(f))) or 1.0
    return {"inputs": ABSORBER_INPUTS, "seed": ABSORBER_SEED, "max_abs_err": err, "max_rel_err": err / scale,
            "passed": bool(err <= 1e-8 * max(scale, 1.0)),
            "construction": "flip (b_i, beta_i) for i in S, keep W_down, delta' = delta + c sum_S a_i beta_i"}


# ------------------------------------------------------------------------------------------------ verdicts
def prenorm_verdict(norm: NormSpec) -> dict:
    """Pre-LayerNorm: impossible for any sigma, width and weights; nothing is read."""
    return {"question": "block", "norm": "pre", "answer": "impossible", "theorem": PRENORM_THEOREM,
            "theorems": [PRENORM_THEOREM], "weights_read": False,
            "hypotheses": [_hyp("the norm before the MLP is LayerNorm (eps >= 0, any gains and bias): "
                                "N(x + t1) = N(x)", True, norm.reason),
                           _hyp("identity skip, so A1 = 1 != 0", True)],
            "statement": "x + MLP(LN(x)) equals no block MLP'(LN(x)) of the same pre-norm form, for any activation, "
                         "gated or not, any width and any weights: f(x + t1) - f(x) = t1 while the comparator does "
                         "not change"}


def rmsnorm_verdict(ckpt, block, norm: NormSpec, verdict: dict) -> dict:
    """Pre-RMSNorm with eps (T5, LLaMA): settled by a flat sigma or a zero gain; otherwise open."""
    base = {"question": "block", "norm": "pre", "weights_read": False}
    if verdict.get("verdict") == "impossible" and verdict.get("argument") == "flat":
        return {**base, "answer": "impossible", "theorem": "flat", "theorems": ["flat", PRENORM_THEOREM],
                "hypotheses": [_hyp("sigma (or the gate) is flat at 0", True, "the activation's verdict"),
                               _hyp("RMSNorm with eps > 0 is C^1 with N(0) = 0", norm.eps is not None and norm.eps > 0,
                                    f"eps = {norm.eps} ({norm.eps_source})")],
                "statement": "the hidden map sigma(W N(x)) stays o(|x|) at 0 after an RMSNorm with eps > 0, so the "
                             "flatness obstruction holds for the block the model computes"}
    if norm.eps is None or norm.eps <= 0:
        return {**base, "answer": "impossible", "theorem": PRENORM_THEOREM, "theorems": [PRENORM_THEOREM],
                "hypotheses": [_hyp("RMSNorm with eps = 0 is scale-invariant: N(tx) = N(x), t > 0", True,
                                    f"eps = {norm.eps} ({norm.eps_source})"), _hyp("skip A = I != 0", True)],
                "statement": "f(tx) - f(x) = (t - 1)x while the comparator does not change"}
    gain_name = norm.gain.format(prefix=block.name)
    gain = read_vector(ckpt, gain_name, block.d)
    if gain is None:
        return {**base, "answer": "open", "theorem": PRENORM_THEOREM, "theorems": [PRENORM_THEOREM],
                "hypotheses": [_hyp("some RMSNorm gain is zero", None, f"{gain_name} is not in the checkpoint")],
                "statement": "pre-RMSNorm with eps > 0: impossible if a gain is 0; with all gains nonzero the norm "
                             "is injective and the question is open"}
    base["weights_read"] = "norm gains only"
    zero = [int(k) for k in np.flatnonzero(gain + norm.gain_offset == 0)]
    if zero:
        return {**base, "answer": "impossible", "theorem": PRENORM_THEOREM, "theorems": [PRENORM_THEOREM],
                "hypotheses": [_hyp("some RMSNorm gain is zero (N invariant under x_k -> -x_k)", True,
                                    f"gain[{zero[0]}] = 0 in {gain_name}"), _hyp("A e_k = e_k != 0", True)],
                "statement": f"f(x) - f(R_k x) = 2 x_k e_k with R_k the reflection of coordinate {zero[0]}, while "
                             f"the comparator does not change"}
    return {**base, "answer": "open", "theorem": PRENORM_THEOREM, "theorems": [PRENORM_THEOREM],
            "hypotheses": [_hyp("some RMSNorm gain is zero", False, f"all {block.d} gains of {gain_name} nonzero")],
            "statement": "pre-RMSNorm with eps > 0 and nonzero gains: the norm is injective and whether the block "
                         "absorbs its skip (into an MLP after the same norm) is open"}


def index_verdict(ckpt, block, norm: NormSpec, act, verdict: dict, decide_kwargs: dict) -> dict:
    """Post-LayerNorm (projected condition) or no norm (plain condition with biases): numerics on this layer."""
    projected = norm.placement == "post"
    theorem = POSTNORM_THEOREM if projected else None
    base = {"question": "block", "norm": norm.placement, "weights_read": True}
    cls = activation_class(verdict, act.name)
    if cls == "other":
        return {**base, "answer": "open", "theorem": theorem, "theorems": [t for t in (theorem,) if t],
                "weights_read": False, "hypotheses": [],
                "statement": f"the biased{' post-norm' if projected else ''} block is characterised only for "
                             f"odd-linear sigma (ReLU type, GELU); {act.name} is {verdict.get('verdict')}"}
    gain = ln_bias = None
    hyps = []
    if projected:
        gain_name = norm.gain.format(prefix=block.name)
        gain = read_vector(ckpt, gain_name, block.d)
        if gain is None:
            return {**base, "answer": "undecided", "theorem": theorem, "theorems": [theorem], "weights_read": False,
                    "hypotheses": [_hyp("all LayerNorm gains nonzero", None, f"{gain_name} is not in the checkpoint")],
                    "statement": "the post-norm theorem needs the LayerNorm gains, which this checkpoint lacks"}
        gain = gain + norm.gain_offset
        ln_bias = read_vector(ckpt, gain_name[: -len("weight")] + "bias", block.d)
        ln_bias = np.zeros(block.d) if ln_bias is None else ln_bias
        zero = np.flatnonzero(gain == 0)
        hyps.append(_hyp("eps > 0", norm.eps is not None and norm.eps > 0, f"eps = {norm.eps} ({norm.eps_source})"))
        hyps.append(_hyp("all LayerNorm gains nonzero", zero.size == 0,
                         f"gain[{int(zero[0])}] = 0 in {gain_name}" if zero.size else f"read from {gain_name}"))
        if not (norm.eps and norm.eps > 0):
            return {**base, "answer": "open", "theorem": theorem, "theorems": [theorem], "hypotheses": hyps,
                    "weights_read": False, "statement": "post-LayerNorm with eps = 0 is open"}
    from checkpoints.block_hypotheses import g0b, g_class_b, g_line_b
    w_up, w_down = block.read()
    beta = read_vector(ckpt, _up_bias_name(block), block.n)
    delta = read_vector(ckpt, _down_bias_name(block), block.d)
    hyps.append(_hyp("hidden biases beta read", beta is not None,
                     _up_bias_name(block) if beta is not None else "no bias tensor: beta = 0"))
    beta = np.zeros(block.n) if beta is None else beta
    delta = np.zeros(block.d) if delta is None else delta
    hyps.append(g0b(w_up, w_down, projected))
    if cls == "relu-type":
        hyps.append(g_line_b(w_up, beta))
        proved_by = "relu-bias-characterization"
    else:
        hyps.append(g_class_b(w_up, beta))
        proved_by = "class-bias"
    c = Fraction(verdict["c"])
    res = projected_decide(w_up, w_down, c, projected, **decide_kwargs)
    theorems = [t for t in (theorem, proved_by, "sign-flip-bias") if t]
    out = {**base, "theorem": theorem or proved_by, "theorems": theorems, "hypotheses": hyps,
           "condition": ("P(I/c + sum_S a_i b_i^T) = 0, P = I - 11^T/d (projected index condition)" if projected
                         else "I/c + sum_S a_i b_i^T = 0 (index condition; biases only change the output bias)"),
           **{k: res.get(k) for k in ("index_set_exists", "subset", "distance", "distance_lower_bound", "evidence",
                                      "certificate_verified", "method", "elapsed_s")}}
    if projected:
        out["note"] = ("P is formed in float64 (exact when d is a power of two); the index search answers for the rounded "
                       "P, and a negative answer carries rounding_margin, which transfers it to the exact P")
    hyps_hold = all(h["holds"] is True for h in hyps if h["name"] != "hidden biases beta read")
    if projected and res.get("index_set_exists") is False:
        out["rounding_margin"] = rounding_margin(w_up, w_down, c, res.get("distance_lower_bound"))
        hyps_hold = hyps_hold and out["rounding_margin"]["holds"]
    if res.get("index_set_exists") is True:
        out["answer"] = "absorbable"
        out["absorber_check"] = check_absorber(act, c, w_up, w_down, beta, delta, res["subset"], norm, gain, ln_bias)
        out["statement"] = ("the sign flip on S with the output bias corrected absorbs the skip (the 'if' direction "
                            "needs no genericity)")
    elif res.get("index_set_exists") is False:
        out["answer"] = "no_index_set"
        if cls == "open-class":
            out["theorem_applies"] = False
            out["rests_on"] = f"class-bias for {act.name} (open: affine class identifiability is proved for GELU only)"
            out["statement"] = (f"no index set; that this means 'not absorbable' rests on the open case of class-bias "
                                f"for {act.name}")
        else:
            out["theorem_applies"] = bool(hyps_hold and res.get("certificate_verified"))
            if out["theorem_applies"]:
                out["statement"] = (f"by {theorem or proved_by} ({proved_by}), with its hypotheses checked exactly on "
                                    f"the stored weights and the no-index-set answer verified exactly, the block "
                                    f"cannot absorb its skip at width <= n")
            elif projected and not out["rounding_margin"]["holds"]:
                out["statement"] = ("no index set for the rounded P, but the distance does not exceed the rounding "
                                    "of P: the exact projected condition is not settled")
            elif not hyps_hold:
                out["statement"] = ("no index set; the theorem's hypotheses do not all hold (see hypotheses), so "
                                    "other absorbers are not excluded")
            else:
                out["statement"] = ("no index set found by a search whose answer is not an exactly verified "
                                    "certificate; the theorem is not applied")
    else:
        out["answer"] = "undecided"
        out["statement"] = "the index search did not settle this layer"
    del w_up, w_down
    return out


def block_verdict(ckpt, block, norm: NormSpec, act, verdict: dict, decide_kwargs: dict) -> dict:
    """The verdict about the block the model computes (biases and norm included) for one layer."""
    if norm.placement == "pre":
        if norm.kind == "layernorm":
            return prenorm_verdict(norm)
        return rmsnorm_verdict(ckpt, block, norm, verdict)
    return index_verdict(ckpt, block, norm, act, verdict, decide_kwargs)


def summarize(verdicts: list) -> dict:
    """The checkpoint-level block verdict: the common answer (or "mixed") with counts and the theorems cited."""
    answers = [v["answer"] for v in verdicts]
    counts = {a: answers.count(a) for a in sorted(set(answers))}
    theorems = []
    for v in verdicts:
        theorems += [t for t in v.get("theorems", []) if t not in theorems]
    common = answers[0] if answers and len(counts) == 1 else ("mixed" if answers else None)
    return {"answer": common, "counts": counts, "theorems": theorems,
            "question": "the block the model computes (biases and norm included); the bias-free core is the paper's "
                        "abstraction (--core)"}

