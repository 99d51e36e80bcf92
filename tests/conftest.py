"""Shared pytest fixtures (one place for what several test modules need)."""
import os

import pytest
from hypothesis import settings

from symbolic.paths import ROOT

# Property tests explore new examples on a developer's machine; in CI (CI=true) they replay a fixed derandomized set,
# so a run cannot pass or fail by the draw.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def pinned_git(monkeypatch):
    """Other work commits while the tests run: pin the commit and date shown on the title page so that only the
    data under test changes the generated LaTeX."""
    import generator.build as genbuild
    from generator.data import git_info, source_date_epoch
    info = git_info(ROOT)
    monkeypatch.setattr(genbuild, "git_info", lambda root: info)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(source_date_epoch(ROOT)))
    return info
