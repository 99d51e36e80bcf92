"""Shared pytest fixtures (one place for what several test modules need)."""
import pytest

from symbolic.paths import ROOT


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
