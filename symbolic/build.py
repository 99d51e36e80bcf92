"""`python -m symbolic.build`: classify every registry activation into build/symbolic/<name>.json.

Incremental: an activation is re-classified only when its entry or the classifier's code changed (content hash),
and files are rewritten only when their content changes, so `make` leaves downstream targets alone."""
import hashlib
import json
import sys
from pathlib import Path

from symbolic.activations import load_activations
from symbolic.classify import classify
from symbolic.errors import InputError
from symbolic.io import dumps, write_text_atomic
from symbolic.paths import build as build_paths

_CODE = [Path(__file__).parent / name for name in ("classify.py", "analysis.py", "certificate.py", "expr.py")]


def _code_hash() -> str:
    files = sorted(_CODE + list((Path(__file__).parent / "arguments").glob("*.py")))
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.read_bytes())
    return digest.hexdigest()


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        write_text_atomic(path, text)


def _key(act, code) -> str:
    return hashlib.sha256(f"{code}|{act.kind}|{act.expression}|{act.latex}|{act.cite}".encode()).hexdigest()


def classify_cached(act, out_dir=None) -> dict:
    """The classification of `act`: from build/symbolic when it is fresh for this code and entry, else computed."""
    out_dir = Path(out_dir or build_paths().symbolic)
    cache_path, target = out_dir / ".classify-cache.json", out_dir / f"{act.name}.json"
    if cache_path.exists() and target.exists():
        if json.loads(cache_path.read_text()).get(act.name) == _key(act, _code_hash()):
            return json.loads(target.read_text(encoding="utf-8"))
    return classify(act)


def build(out_dir=None, log=sys.stderr) -> list:
    out_dir = Path(out_dir or build_paths().symbolic)
    cache_path = out_dir / ".classify-cache.json"
    cache = json.loads(cache_path.read_text()) if cache_path.exists() else {}
    code = _code_hash()
    results, new_cache = [], {}
    for act in load_activations():
        key = _key(act, code)
        target = out_dir / f"{act.name}.json"
        if cache.get(act.name) == key and target.exists():
            result = json.loads(target.read_text(encoding="utf-8"))
        else:
            print(f"classify {act.name}", file=log)
            result = classify(act)
            _write_if_changed(target, dumps(result))
        results.append(result)
        new_cache[act.name] = key
    _write_if_changed(out_dir / "activations.json", dumps(results))
    write_text_atomic(cache_path, dumps(new_cache))
    return results


def main() -> int:
    try:
        build()
    except InputError as exc:
        print(f"symbolic.build: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
