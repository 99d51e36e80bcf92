"""Writing lean/ and telling whether it is fresh: the Lean status of each registry entry ("stated" only when the
generated def is present in lean/ and identical to what the registry renders now; never "checked"), and the activation
instance statements the appendix prints (read from the committed file by its generated layout, not by a Lean
parser)."""
import filecmp
import re
import tempfile
from pathlib import Path

from symbolic.io import write_text_atomic
from symbolic.lean.render import (ACTIVATIONS_FILE, DEFS_FILE, STATEMENTS_DIR, render_statements, short_name,
                                  statement_chunks)
from symbolic.paths import LEAN_DIR


def _stale_generated(lean_dir: Path, files: dict) -> list:
    """Generated-looking files on disk that the registry no longer produces (only under Statements/)."""
    sdir = lean_dir / STATEMENTS_DIR
    if not sdir.exists():
        return []
    wanted = {lean_dir / p for p in files}
    return sorted(p for p in sdir.glob("*.lean") if p not in wanted)


def write_all(lean_dir: Path, files: dict) -> list:
    """Write every generated file (atomically, only when its content changed); remove statement files that are no
    longer generated. Returns the relative paths that changed."""
    lean_dir = Path(lean_dir)
    changed = []
    for rel, text in files.items():
        target = lean_dir / rel
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        write_text_atomic(target, text)
        changed.append(rel)
    for old in _stale_generated(lean_dir, files):
        old.unlink()
        changed.append(str(old.relative_to(lean_dir)))
    return changed


def check(lean_dir: Path, files: dict):
    """Regenerate into a temporary directory and compare with lean_dir. Returns None if fresh, else the relative path
    of the first stale (differing, missing or extra) file."""
    lean_dir = Path(lean_dir)
    with tempfile.TemporaryDirectory(prefix="absorb-lean-") as tmp:
        write_all(Path(tmp), files)
        for rel in files:
            committed = lean_dir / rel
            if not committed.exists() or not filecmp.cmp(committed, Path(tmp) / rel, shallow=False):
                return rel
    extra = _stale_generated(lean_dir, files)
    if extra:
        return str(extra[0].relative_to(lean_dir))
    return None


def _def_block(text: str, short: str):
    """The docstring + def of `short` in a rendered Defs.lean (up to the next blank line after the def; the
    docstring may itself contain blank lines, so it is found backwards from the def)."""
    m = re.search(rf"^def {re.escape(short)}\b", text, re.M)
    if not m:
        return None
    start = text.rfind("/--", 0, m.start())
    if start < 0 or "\n\n" in text[text.find("-/", start):m.start()]:
        start = m.start()
    end = text.find("\n\n", m.start())
    return text[start:end if end >= 0 else len(text)].rstrip() + "\n"


def lean_statuses(entries, lean_dir: Path = LEAN_DIR) -> dict:
    """id -> (status, lean_text): "stated" when the generated def is present and fresh in lean_dir, else "n/a"."""
    lean_dir = Path(lean_dir)
    rendered = render_statements(entries)
    chunks = statement_chunks(entries)

    def disk(rel):
        try:
            return (lean_dir / rel).read_text(encoding="utf-8")
        except OSError:
            return None

    defs_fresh = disk(DEFS_FILE) == rendered[DEFS_FILE]
    out = {}
    for e in entries:
        if not e.get("lean"):
            out[e["id"]] = ("n/a", None)
        elif e["kind"] == "definition":
            block = _def_block(rendered[DEFS_FILE], short_name(e["lean"]))
            out[e["id"]] = ("stated", block) if (defs_fresh and block) else ("n/a", block)
        else:
            rel = f"{STATEMENTS_DIR}/{e['lean_group']}.lean"
            fresh = defs_fresh and disk(rel) == rendered[rel]
            out[e["id"]] = ("stated" if fresh else "n/a", chunks[e["id"]])
    return out


def activation_statements(lean_dir: Path = LEAN_DIR) -> dict:
    """name -> {"lean": the `act_<ident>` def and the `<ident>_statement` def (doc comments dropped: the appendix
    prints its own prose), "skip": the reason when there is no instance statement, else ""}, read from the committed
    Activations.lean. Its layout is fixed by Activations.lean.j2: blank-line separated blocks, each a doc comment
    opening `Activation `name`` followed by a def, or one skip comment `-- `name` (...): reason.`."""
    try:
        text = (Path(lean_dir) / ACTIVATIONS_FILE).read_text(encoding="utf-8")
    except OSError:
        return {}
    out = {}
    for block in text.split("\n\n"):
        block = block.strip("\n")
        if block.startswith("-- `") and "no instance statement" in block:
            name = block[4:block.index("`", 4)]
            out.setdefault(name, {"lean": "", "skip": ""})["skip"] = block.split("): ", 1)[-1].strip().rstrip(".")
        elif block.startswith("/-- Activation `") and "-/\n" in block:
            name = block[len("/-- Activation `"):block.index("`", len("/-- Activation `"))]
            entry = out.setdefault(name, {"lean": "", "skip": ""})
            entry["lean"] = (entry["lean"] + "\n\n" + block.split("-/\n", 1)[1]).strip("\n")
    return out
