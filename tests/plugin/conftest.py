"""The plugin's tests drive pytest inside pytest with ``pytester`` (loaded by
``-p pytester`` in the project's addopts), in-process unless a test needs
worker processes."""

from __future__ import annotations

import contextlib
import importlib
import io
import pkgutil
from pathlib import Path

import jsonschema  # noqa: F401
import pytest

import newscheck
from newscheck.cli import main

# An in-process run forgets the modules it imported, so a module imported
# there would be imported afresh by the next run, with new classes (a rule
# would then compare a part's status with another Status enum). Import them
# all here, once.
for _module in pkgutil.walk_packages(newscheck.__path__, "newscheck."):
    if not _module.name.endswith("__main__"):
        importlib.import_module(_module.name)


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    """Each test's runs share one result cache, and no other test's."""
    monkeypatch.setenv("NEWSCHECK_CACHE_DIR", str(tmp_path / "cache"))


def write(pytester: pytest.Pytester, path: str, text: str) -> Path:
    """Write a file of the scratch project (folders made as needed)."""
    target = pytester.path / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def cli_lines(*args: str) -> list[str]:
    """What ``newscheck check --show-source`` prints (without its summary)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["check", "--show-source", "--no-cache", *args])
    return out.getvalue().splitlines()[:-1]


def failure(result: pytest.RunResult, nodeid: str, domain: str = "newscheck") -> list[str]:
    """The lines pytest prints under an item's failure heading."""
    lines = result.stdout.lines
    start = next(i for i, line in enumerate(lines) if f" {nodeid} ({domain}) " in line)
    end = next(
        i for i in range(start + 1, len(lines)) if lines[i].startswith(("___", "===", "---"))
    )
    return lines[start + 1 : end]


def shows(result: pytest.RunResult, *expected: str) -> bool:
    """Whether pytest printed these lines, one after the other."""
    lines = result.stdout.lines
    return any(lines[at : at + len(expected)] == list(expected) for at in range(len(lines)))
