"""`absorb certify PATH` on a whole checkpoint: detect the MLP family, map the config's activation onto the registry,
classify it, and (only for a `conditional` verdict) certify every selected layer with the registry's c.

Layers are read one at a time from memory-mapped files, so peak memory is about one layer in float64 plus the
solver's workspace, whatever the checkpoint's size.
"""
import sys
from fractions import Fraction

from checkpoints.reader import detect_family, has_norms, open_checkpoint, parse_layers
from symbolic.errors import InputError

# config strings (hidden_act / activation_function / feed_forward_proj) -> registry name, ungated blocks
UNGATED = {"gelu": "gelu", "gelu_python": "gelu", "gelu_accurate": "gelu_tanh", "gelu_new": "gelu_tanh",
           "gelu_pytorch_tanh": "gelu_tanh", "gelu_fast": "gelu_tanh", "quick_gelu": "quick_gelu",
           "relu": "relu", "silu": "silu", "swish": "silu", "tanh": "tanh", "sigmoid": "sigmoid", "elu": "elu",
           "mish": "mish", "leaky_relu": "leaky_relu", "relu2": "relu2", "squared_relu": "relu2",
           "softplus": "softplus", "hardswish": "hardswish"}
# the gate's sigma -> registry name of the gated block sigma(W_gate x) * (W_up x)
GATED = {"silu": "swiglu", "swish": "swiglu", "gelu": "geglu", "gelu_new": "geglu", "gelu_pytorch_tanh": "geglu",
         "gelu_python": "geglu", "relu": "reglu", "sigmoid": "glu"}
CONFIG_KEYS = ("hidden_act", "activation_function", "feed_forward_proj", "hidden_activation", "activation")

SCOPE_NOTE = ("what was decided is the bias-free core x + W_down sigma(W_up x) of each block, for the weights as "
              "stored; the checkpoint also has {what}. A negative answer (no index set, or an impossible verdict) "
              "means the core alone cannot absorb its skip; it does not settle the block with its biases and norms "
              "(a bias shifts the argument of sigma, a norm rescales the input), and a positive answer (index set "
              "found) does not extend to them either.")


def _config_activation(config: dict):
    for key in CONFIG_KEYS:
        value = config.get(key)
        if isinstance(value, str) and value.strip():
            return key, value.strip()
    return None, None


def resolve_activation(config: dict, gated: bool, override: str = None):
    """(registry Activation, how it was found). T5's feed_forward_proj 'gated-gelu' names a gated block."""
    from symbolic.activations import get_activation
    if override:
        act = get_activation(override)
        how = "--activation"
    else:
        key, value = _config_activation(config)
        if value is None:
            raise InputError("config.json names no activation (looked for " + ", ".join(CONFIG_KEYS)
                             + "); give one with --activation NAME (see `absorb list`)")
        raw = value.lower()
        if raw.startswith("gated-"):
            raw = raw[len("gated-"):]
        table = GATED if gated else UNGATED
        if raw in table:
            act = get_activation(table[raw])
        else:
            try:
                act = get_activation(raw)
            except InputError:
                raise InputError(f"config.json {key} = {value!r} has no entry in the activation registry; give "
                                 f"one with --activation NAME (see `absorb list`)") from None
        how = f"config.json {key} = {value!r}"
    if gated and act.kind != "gated":
        mapped = GATED.get(act.name)
        if mapped is None:
            raise InputError(f"this checkpoint's MLP is gated but activation {act.name!r} has no gated registry "
                             f"entry; give a gated one with --activation (e.g. swiglu, geglu, reglu)")
        act = get_activation(mapped)
    if not gated and act.kind == "gated":
        raise InputError(f"activation {act.name!r} is gated but this checkpoint's MLP blocks have no gate")
    return act, how


def _progress(label, total, enabled):
    from symbolic.progress import Progress

    class _Silent:
        def update(self, k=1):
            pass

        def close(self):
            pass
    return Progress(label, total) if enabled else _Silent()


def _absorber_dir(path, core: bool):
    """--absorber for a checkpoint names an existing directory: every layer answered absorbable (block question)
    gets its checked absorber there as <layer>.safetensors."""
    if path is None:
        return None
    from pathlib import Path
    if core:
        raise InputError("--absorber with --core: absorbers are written for the block the model computes; drop --core")
    if not Path(path).is_dir():
        raise InputError(f"--absorber {str(path)!r}: for a checkpoint, --absorber names an existing directory "
                         f"(one <layer>.safetensors per absorbable layer)")
    return Path(path)


def plan(path, activation=None):
    """(checkpoint, family, blocks, registry activation, where it came from, classify result): everything
    before the numerics, from headers and config.json only."""
    from symbolic.classify import classify
    ckpt = open_checkpoint(path)
    family, blocks = detect_family(ckpt)
    act, how = resolve_activation(ckpt.config, gated=family.gate is not None, override=activation)
    return ckpt, family, blocks, act, how, classify(act)


def certify_checkpoint(path, layers=None, activation=None, method="auto", tol=None, force=False,
                       progress=True, skip="identity", core=False, absorber_dir=None) -> dict:
    """The `--json` object of DESIGN.md: {"source", "family", "activation", "verdict", "norm", "block_verdict",
    "layers": [...]} plus "family_label", "activation_source", "theorems", "c", "norm_detail", "question", "scope",
    "notes" and "summary". Every layer gets a "block_verdict" about the block the model computes (biases and norm
    included; checkpoints.norms). core=True also decides the bias-free core x + W_down sigma(W_up x) of every
    layer (the paper's abstraction; the layer rows then carry its fields, with certificates)."""
    from indexset.inputs import check_skip, check_tol
    tol, skip = check_tol(tol), check_skip(skip)  # bad values are refused even where no layer needs them
    decide_kwargs = {"method": method, "tol": tol, "force": force, "absorber_dir": _absorber_dir(absorber_dir, core)}
    if not core:
        return _certify_blocks(path, layers, activation, decide_kwargs, progress)
    ckpt, family, blocks, act, how, verdict = plan(path, activation)
    chosen = parse_layers(layers, len(blocks)) if layers not in (None, "") else list(range(len(blocks)))
    extras = []
    if any(b.biases for b in blocks):
        extras.append("MLP biases")
    if has_norms(ckpt):
        extras.append("normalisation layers")
    out = {"source": str(path), "family": family.id, "family_label": family.label, "activation": act.name,
           "activation_source": how, "verdict": verdict["verdict"], "theorems": verdict["theorems"],
           "c": verdict["c"], "scope": SCOPE_NOTE.format(what=" and ".join(extras)) if extras else None,
           "notes": list(ckpt.notes), "question": "core", "layers": []}
    _add_block_verdicts(out, ckpt, family, blocks, chosen, act, verdict, decide_kwargs)
    if verdict["verdict"] != "conditional":
        # impossible / always / not_covered / undecided: the verdict holds for every weight; no numerics
        out["layers"] = [{"name": blocks[i].name, "d": blocks[i].d, "n": blocks[i].n,
                          "block_verdict": out["_block"][k]}
                         for k, i in enumerate(chosen)]
        out.pop("_block")
        out["summary"] = _summary(out)
        return out
    from indexset import certify_blocks

    c = Fraction(verdict["c"])
    bar = _progress("certify", len(chosen), progress)
    try:
        answers = certify_blocks([blocks[i].core() for i in chosen], c=c, activation=act.name, skip=skip, tol=tol,
                                 method=method, force=force, progress=bar)
    finally:
        bar.close()
    out["layers"] = [{"name": blocks[i].name, **ans, "block_verdict": bv}
                     for i, (_, ans), bv in zip(chosen, answers, out.pop("_block"))]
    out["summary"] = _summary(out)
    return out


# ---------------------------------------------------------------------------------------------------------------
# The block the model computes (biases and norm included): checkpoints.norms
# ---------------------------------------------------------------------------------------------------------------
BLOCK_SCOPE = ("answers are about each MLP sub-block as the model computes it, biases and norm included ({form}), "
               "compared with a residual-free block of the same form with its own biases; the bias-free core "
               "x + W_down sigma(W_up x) is the paper's abstraction (--core). Attention sub-blocks are not considered.")
FORMS = {"pre": "x + MLP(N(x)) against MLP'(N(x)), N the norm before the MLP",
         "post": "LN(x + MLP(x)) against LN(MLP'(x)), LN the norm after the residual add",
         "none": "x + MLP(x) against MLP'(x)"}


def _add_block_verdicts(out, ckpt, family, blocks, chosen, act, verdict, decide_kwargs, progress=False) -> None:
    """out["norm"], out["norm_detail"], out["block_verdict"] (summary) and out["_block"] (one per chosen layer)."""
    from checkpoints.norms import block_verdict, norm_spec, summarize
    norm = norm_spec(family.id, ckpt.config)
    bar = _progress("block", len(chosen), progress)
    verdicts = []
    try:
        for i in chosen:
            verdicts.append(block_verdict(ckpt, blocks[i], norm, act, verdict, decide_kwargs))
            bar.update()
    finally:
        bar.close()
    out["norm"] = norm.placement
    out["norm_detail"] = norm.to_json()
    out["block_verdict"] = summarize(verdicts)
    out["_block"] = verdicts


def _certify_blocks(path, layers, activation, decide_kwargs, progress) -> dict:
    """The default question: the block verdict of every chosen layer, with no bias-free core numerics (a pre-norm
    checkpoint is answered from its family and config; no MLP weight is read)."""
    from checkpoints.norms import norm_spec
    from symbolic.classify import classify
    ckpt = open_checkpoint(path)
    family, blocks = detect_family(ckpt)
    norm = norm_spec(family.id, ckpt.config)
    try:
        act, how = resolve_activation(ckpt.config, gated=family.gate is not None, override=activation)
        verdict = classify(act)
    except InputError:
        if not (norm.placement == "pre" and norm.kind == "layernorm" and ckpt.config):
            raise  # without config.json the placement is only the family's default: the activation is asked for
        act, how = None, "not needed: a pre-LayerNorm block never absorbs its skip, whatever the activation"
        verdict = {"verdict": None, "theorems": [], "c": None}
    chosen = parse_layers(layers, len(blocks)) if layers not in (None, "") else list(range(len(blocks)))
    out = {"source": str(path), "family": family.id, "family_label": family.label,
           "activation": act.name if act else None, "activation_source": how, "verdict": verdict["verdict"],
           "theorems": verdict["theorems"], "c": verdict["c"], "question": "block",
           "notes": list(getattr(ckpt, "notes", [])), "layers": []}
    _add_block_verdicts(out, ckpt, family, blocks, chosen, act, verdict, decide_kwargs, progress)
    out["scope"] = BLOCK_SCOPE.format(form=FORMS[out["norm"]])
    out["layers"] = [{"name": blocks[i].name, "d": blocks[i].d, "n": blocks[i].n, "block_verdict": v}
                     for i, v in zip(chosen, out.pop("_block"))]
    out["summary"] = _block_summary(out)
    return out


def _block_summary(out: dict) -> str:
    bv = out["block_verdict"]
    counts = ", ".join(f"{v} {k}" for k, v in bv["counts"].items())
    return (f"{len(out['layers'])} MLP block(s), norm {out['norm']}: {counts} (theorems: "
            f"{', '.join(bv['theorems']) or 'none'})")


def _summary(out: dict) -> str:
    k = len(out["layers"])
    if out["verdict"] != "conditional":
        thm = ", ".join(out["theorems"]) or "none"
        return (f"{out['activation']} is {out['verdict']} for every weight (theorems: {thm}); "
                f"{k} MLP block(s), no numerics needed")
    found = sum(1 for r in out["layers"] if r.get("index_set_exists") is True)
    refuted = sum(1 for r in out["layers"] if r.get("index_set_exists") is False)
    open_ = k - found - refuted
    return (f"{k} layer(s): {refuted} cannot absorb the skip by any sign flip (no index set), {found} can "
            f"(index set found), {open_} undecided")


def _answer_word(r: dict) -> str:
    """The per-layer answer in words; "not absorbable" only when the independent checker accepted."""
    checked = (r.get("checked") or {}).get("ok")
    search = ((r.get("certificate") or {}).get("evidence") or {}).get("kind") == "search"
    if r.get("answer") == "absorbable":
        grade = {"storage_precision": " (storage)", "tolerance": " (tol)"}.get(r.get("grade"), "")
        return f"absorbable{grade}{'' if checked else '?'}"
    if r.get("answer") == "not_absorbable" and checked:
        return "NOT ABSORBABLE"
    if r.get("answer") in ("no_index_set", "not_absorbable"):
        return "none (search)" if search else ("no index set" if checked else "no index set?")
    return "undecided"


def _render_blocks(out: dict) -> list:
    nd = out["norm_detail"]
    lines = [f"norm: {out['norm']} ({nd['kind'] or 'none'}, eps = {nd['eps']}); {nd['reason']}",
             "question: the block the model computes (biases and norm included)"]
    head = (f"{'layer':<28} {'d':>6} {'n':>6} {'answer':<14} {'theorem':<27} {'hypotheses':<10} "
            f"{'checker':<10}")
    lines += [head, "-" * len(head)]
    extra = []
    for r in out["layers"]:
        v = r["block_verdict"]
        hyps = v.get("hypotheses") or []
        held = "all hold" if hyps and all(h["holds"] is True for h in hyps) else (
            "n/a" if not hyps else "see JSON")
        checked = v.get("checked")
        word = "n/a" if checked is None else ("VERIFIED" if checked["ok"] else checked["status"])
        lines.append(f"{r['name'][-28:]:<28} {r['d']:>6} {r['n']:>6} {v['answer']:<14} {str(v.get('theorem')):<27} "
                     f"{held:<10} {word:<10}")
        if v.get("absorber_check"):
            a = v["absorber_check"]
            extra.append(f"{r['name']}: S = {v['subset']} ({v['grade']}); {a['kind']} absorber, {a['compared']}: "
                         f"measured error {a['measured_error']:.3g} ({'passed' if a['passed'] else 'FAILED'})")
    lines += extra
    first = out["layers"][0]["block_verdict"] if out["layers"] else None
    if first is not None and first.get("statement"):
        lines.append("why: " + first["statement"])
    return lines


def render(out: dict) -> str:
    lines = [f"checkpoint: {out['source']}", f"family: {out['family_label']}",
             f"activation: {out['activation']} ({out['activation_source']}); verdict: {out['verdict']}"]
    if out.get("question") == "block":
        lines += _render_blocks(out)
        lines += ["note: " + note for note in out.get("notes", [])]
        lines.append("scope: " + out["scope"])
        lines.append(out["summary"])
        return "\n".join(lines)
    if out["verdict"] != "conditional":
        lines.append("theorems: " + (", ".join(out["theorems"]) or "none"))
        if out["verdict"] == "impossible":
            lines.append("No MLP block with this activation can absorb its skip, for any weights and any "
                         "residual-free width: nothing to compute.")
        else:
            lines.append("No per-layer numerics for this verdict (see `absorb classify "
                         f"{out['activation']}`).")
    else:
        lines.append(f"condition: some S with W_down[:,S] W_up[S,:] = -I/c, c = {out['c']}")
        head = f"{'layer':<28} {'d':>6} {'n':>6} {'method':<10} {'answer':<13} {'dist >=':>11} {'seconds':>8}"
        lines += [head, "-" * len(head)]
        for r in out["layers"]:
            answer = _answer_word(r)
            lines.append(f"{r['name'][-28:]:<28} {r['d']:>6} {r['n']:>6} {str(r.get('method')):<10} {answer:<13} "
                         f"{r.get('distance_lower_bound') or 0.0:>11.4f} {r.get('elapsed_s') or 0.0:>8.2f}")
    lines += ["note: " + note for note in out.get("notes", [])]
    if out["scope"]:
        lines.append("scope: " + out["scope"])
    if out.get("block_verdict"):
        bv = out["block_verdict"]
        lines.append("above: the bias-free core (the paper's abstraction, --core); the block the model computes "
                     f"(norm {out['norm']}, biases included): " + ", ".join(f"{v} {k}" for k, v in bv["counts"].items())
                     + f" (theorems: {', '.join(bv['theorems']) or 'none'})")
    lines.append(out["summary"])
    return "\n".join(lines)
