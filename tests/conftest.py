from __future__ import annotations

import pytest

from .helpers import CORPUS, missing
from .offline import sitecustomize as offline


def pytest_configure(config):
    """No test reaches the network (see tests/offline/sitecustomize.py)."""
    offline.install()


@pytest.fixture(autouse=True)
def _no_connection_attempted():
    """A test during which a connection was attempted fails, even when the
    code under test caught the refusal."""
    yield
    refused = offline.taken()
    if refused:
        pytest.fail(f"the test tried to reach the network: {'; '.join(refused)}")


@pytest.fixture
def corpus():
    if not CORPUS.is_dir():
        missing("the shared corpus (../shared/corpus) is not present")
    return CORPUS


@pytest.fixture(autouse=True)
def _cache_outside_the_project(tmp_path_factory, monkeypatch):
    """Runs of the CLI keep their result cache, and its secret key, in a temporary folder."""
    monkeypatch.setenv("NEWSCHECK_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.setenv("NEWSCHECK_KEY_FILE", str(tmp_path_factory.getbasetemp() / "key"))


@pytest.fixture(autouse=True)
def _terminal_run(monkeypatch):
    """Every run prints what a user sees at a terminal, also when the suite
    itself runs on CI: there pytest would not shorten its summary lines
    (``CI``, ``BUILD_NUMBER``) and newscheck would default to GitHub
    annotations (``GITHUB_ACTIONS``). Tests of those behaviours set them."""
    for name in ("CI", "BUILD_NUMBER", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def probe(monkeypatch):
    """Arm it and every file that is really checked shows an internal error
    (NC000): a file served from the cache does not."""
    from newscheck.registry import REGISTRY
    from newscheck.rules import lookup

    def arm():
        def boom(article, options):
            raise RuntimeError("checked")

        rule = lookup("NC207")  # registers the rules first
        monkeypatch.setitem(REGISTRY, "NC207", type(rule)(**{**rule.__dict__, "check": boom}))

    return arm
