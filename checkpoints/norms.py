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

Post-norm and no-norm blocks are answered by indexset.api (skip "projected" with the exact P, the block's biases),
so each verdict carries trust's answer, grade, hypotheses, theorem, distance bound and checked certificate; this
module adds only what is about the norm (placement, eps > 0, nonzero gains, the LN(f) vs LN(g) absorber check).
"""
import re
from dataclasses import dataclass

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


def read_vector(ckpt, name, length: int):
    """A 1-D tensor of the checkpoint (a bias or a gain), or None when absent; wrong shapes are an InputError."""
    from checkpoints.reader import read_tensor
    if name is None or name not in ckpt.tensors:
        return None
    info = ckpt.tensors[name]
    if tuple(info.shape) != (length,):
        raise InputError(f"tensor {name!r} must have shape ({length},), got {list(info.shape)}")
    return read_tensor(info)


def _layer_norm(eps, gain, bias):
    """LN_eps with the stored gain and bias, acting on columns (d, samples) as indexset.absorber.measured_error
    passes them."""
    def ln(y):
        centred = y - y.mean(axis=0, keepdims=True)
        return gain[:, None] * centred / np.sqrt((centred ** 2).mean(axis=0, keepdims=True) + eps) + bias[:, None]
    return ln


def absorber_check(w, subset, c, act_name, skip, norm: NormSpec, gain, ln_bias, write_to=None) -> dict:
    """The biased sign flip of indexset.absorber (output bias corrected) on S, checked on the block the model
    computes: its identity residual ||P R_S|| (or ||R_S||) and the measured error of LN(g) against LN(f) (post-norm;
    g against f without a norm) for the block's activation on ABSORBER_INPUTS Gaussian inputs."""
    from indexset import absorber as ab
    g = ab.sign_flip(w.w_up, w.w_down, subset, c, w.up_bias, w.down_bias, skip=skip)
    post = _layer_norm(norm.eps, gain, ln_bias) if norm.placement == "post" else None
    err = ab.measured_error(w.w_up, w.w_down, g, ab.activation_sigma(act_name), w.up_bias, w.down_bias,
                            samples=ABSORBER_INPUTS, seed=ABSORBER_SEED, post=post)
    out = {"kind": g.kind, "width": g.width, "activation": act_name, "inputs": ABSORBER_INPUTS,
           "seed": ABSORBER_SEED, "identity_residual": g.identity_residual, "measured_error": err,
           "compared": "LN(f) with LN(g)" if post is not None else "f with g",
           "passed": ab.passes(err, g), "path": None,
            "construction": "flip (b_i, beta_i) for i in S, keep W_down, delta' = delta + c sum_S a_i beta_i "
                            "(indexset.absorber.sign_flip)"}
    if write_to is not None and out["passed"]:  # written only after its check passed, atomically
        ab.write(write_to, g)
        from indexset.trusted import sha256_file
        out["path"], out["sha256"] = str(write_to), sha256_file(write_to)
    return out


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


def _postnorm_hypotheses(ckpt, block, norm: NormSpec):
    """(hypotheses, gain, LayerNorm bias, early verdict or None) of Prop. 6.8f that are not about the MLP: eps > 0
    and every LayerNorm gain nonzero, read from the checkpoint (norm gains only)."""
    gain_name = norm.gain.format(prefix=block.name)
    gain = read_vector(ckpt, gain_name, block.d)
    if gain is None:
        return [], None, None, {"answer": "undecided", "weights_read": False,
                                "hypotheses": [_hyp("all LayerNorm gains nonzero", None,
                                                    f"{gain_name} is not in the checkpoint")],
                                "statement": "the post-norm theorem needs the LayerNorm gains, which this checkpoint "
                                             "lacks"}
    gain = gain + norm.gain_offset
    ln_bias = read_vector(ckpt, gain_name[: -len("weight")] + "bias", block.d)
    ln_bias = np.zeros(block.d) if ln_bias is None else ln_bias
    zero = np.flatnonzero(gain == 0)
    hyps = [_hyp("eps > 0", bool(norm.eps is not None and norm.eps > 0), f"eps = {norm.eps} ({norm.eps_source})"),
            _hyp("all LayerNorm gains nonzero", bool(zero.size == 0),
                 f"gain[{int(zero[0])}] = 0 in {gain_name}" if zero.size else f"read from {gain_name}")]
    if not (norm.eps and norm.eps > 0):
        return hyps, gain, ln_bias, {"answer": "open", "weights_read": "norm gains only",
                                     "statement": "post-LayerNorm with eps = 0 is open"}
    return hyps, gain, ln_bias, None


def index_verdict(ckpt, block, norm: NormSpec, act, verdict: dict, decide_kwargs: dict) -> dict:
    """Post-LayerNorm (skip "projected", exact P = I - 11^T/d) or no norm (identity skip): the block with its biases
    answered by indexset.api (validate + certify_problem), so the verdict carries trust's answer, grade, hypotheses,
    theorem, distance lower bound and the certificate with the independent checker's verdict. The post-norm
    theorem also needs eps > 0 and nonzero gains (read here): when one fails, a checked "no index set" is not
    turned into "not absorbable"."""
    from indexset.api import certify_problem, validate
    from indexset.trusted import activation_type, theorem_for
    projected = norm.placement == "post"
    skip = "projected" if projected else "identity"
    base = {"question": "block", "norm": norm.placement, "weights_read": True, "skip": skip}
    if verdict.get("verdict") != "conditional" or verdict.get("argument") != "sign-flip":
        thm = [POSTNORM_THEOREM] if projected else []
        return {**base, "answer": "open", "theorem": thm[0] if thm else None, "theorems": thm, "weights_read": False,
                "hypotheses": [],
                "statement": f"the biased{' post-norm' if projected else ''} block is characterised only for "
                             f"odd-linear sigma (ReLU type, GELU); {act.name} is {verdict.get('verdict')}"}
    norm_hyps, gain, ln_bias = [], None, None
    if projected:
        norm_hyps, gain, ln_bias, early = _postnorm_hypotheses(ckpt, block, norm)
        if early is not None:
            return {**base, "theorem": POSTNORM_THEOREM, "theorems": [POSTNORM_THEOREM], "hypotheses": norm_hyps,
                    **early}
    w = block.read()
    problem = validate(w.w_up, w.w_down, c=verdict["c"], skip=skip, tol=decide_kwargs.get("tol"),
                       up_bias=w.up_bias, down_bias=w.down_bias, activation=act.name, dtype=w.dtype,
                       method=decide_kwargs.get("method", "auto"), force=decide_kwargs.get("force", False),
                       weights=w.weights)
    cert, ans = certify_problem(problem)
    blk = problem.block
    biased = any(v is not None and bool(np.any(v != 0.0)) for v in (blk.up_bias, blk.down_bias))
    thm, need = theorem_for(act.name, activation_type(act.name), biased, skip, cert.hypotheses)
    checked = ans["checked"]["ok"]
    norm_ok = all(h["holds"] is True for h in norm_hyps)
    # the biased theorem the post-norm one reduces to (relu-bias-characterization or class-bias), as trust chooses it
    core_thm = theorem_for(act.name, activation_type(act.name), True, "identity", cert.hypotheses)[0] \
        if projected and ans["answer"] != "absorbable" else None
    theorems = [t for t in dict.fromkeys((POSTNORM_THEOREM if projected else None, thm, core_thm, cert.theorem))
                if t]
    out = {**base, "answer": ans["answer"], "theorem": (POSTNORM_THEOREM if projected else thm) or cert.theorem,
           "theorems": theorems, "hypotheses": norm_hyps + ans["hypotheses"],
           "theorem_needs": [h["name"] for h in norm_hyps] + (list(need) if thm else []),
           "condition": ("P(I/c + sum_S a_i b_i^T) = 0, P = I - 11^T/d (projected index condition, P exact)"
                         if projected else "I/c + sum_S a_i b_i^T = 0 (index condition; biases only change the "
                                           "output bias)"),
           **{k: ans[k] for k in ("grade", "index_set_exists", "subset", "distance", "distance_lower_bound",
                                  "evidence", "certificate", "checked", "method", "elapsed_s", "notes")}}
    if ans["answer"] == "absorbable" and ans["subset"] is not None:
        target = decide_kwargs.get("absorber_dir")
        if target is not None:
            target = target / (re.sub(r"[^A-Za-z0-9_.-]", "_", block.name) + ".safetensors")
        out["absorber_check"] = absorber_check(blk, ans["subset"], problem.c, act.name, skip, norm, gain, ln_bias,
                                               write_to=target)
        out["statement"] = ("the sign flip on S with the output bias corrected absorbs the skip (the 'if' direction "
                            "needs no genericity)" + ("" if checked else "; not independently checked"))
    elif ans["answer"] == "absorbable":
        out["statement"] = f"absorbable by {cert.theorem}: {ans['evidence']}"
    elif ans["answer"] == "not_absorbable" and not norm_ok:  # trust checked the MLP part; the norm part fails
        out["answer"] = "no_index_set"
        out["notes"] = out["notes"] + ["the certificate's not_absorbable is about the biased block with the skip P; "
                                       "it speaks for LN(x + MLP(x)) only with eps > 0 and nonzero gains"]
        out["statement"] = ("no projected index set (checked), but the post-norm theorem needs eps > 0 and nonzero "
                            "gains, which fail here (see hypotheses): other absorbers are not excluded")
    elif ans["answer"] == "not_absorbable":
        out["statement"] = (f"by {out['theorem']}" + (f" with {core_thm}" if core_thm else "") +
                            ", with its hypotheses decided exactly on the stored weights and the certificate accepted "
                            f"by the independent checker, the block cannot absorb its skip at width <= {block.n}")
    elif ans["answer"] == "no_index_set":
        if thm is None and ans["certificate"]["evidence"]["kind"] != "search":
            out["rests_on"] = need
            out["statement"] = f"no index set; that this means 'not absorbable' rests on an open case: {need}"
        else:
            out["statement"] = "no index set; the theorem is not applied (see notes and hypotheses)"
    else:
        out["statement"] = "the index search did not settle this layer"
    out["theorem_applies"] = out["answer"] == "not_absorbable"
    del w
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

