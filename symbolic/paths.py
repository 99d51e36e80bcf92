"""Where the repository and its build outputs live; ABSORB_BUILD relocates build/ (used by tests)."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_dir() -> Path:
    return Path(os.environ.get("ABSORB_BUILD", ROOT / "build"))
