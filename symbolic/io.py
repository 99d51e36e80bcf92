"""Deterministic, atomic writes: a failed run never leaves a half-written or overwritten output."""
import json
import os
import tempfile
from pathlib import Path

_UMASK = os.umask(0)
os.umask(_UMASK)
_MODE = 0o666 & ~_UMASK  # what open() would give; mkstemp alone would leave 0600


def write_text_atomic(path, text: str) -> None:
    """Write `text` (UTF-8, LF) to a temp file beside `path`, then os.replace: a reader never sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, _MODE)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_bytes_atomic(path, data: bytes) -> None:
    """The bytes version of write_text_atomic (PDFs, archives)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, _MODE)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def dumps(obj) -> str:
    """The one JSON form of every build file: sorted keys, 2-space indent, a final newline (byte-stable)."""
    return json.dumps(obj, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def write_json_atomic(path, obj) -> None:
    """`dumps(obj)` written atomically."""
    write_text_atomic(path, dumps(obj))


def read_json(path):
    """A JSON file as Python data (UTF-8)."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
