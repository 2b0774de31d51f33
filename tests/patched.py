"""Rules replaced for a test: a rule that is slow, or that raises."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from newscheck.registry import REGISTRY
from newscheck.rules import lookup


def spin(seconds: float) -> None:
    """Busy for ``seconds``, in Python: the time budget's alarm can stop it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pass


def replace_rule(
    monkeypatch: pytest.MonkeyPatch, code: str, check: Callable[[Any, Any], Iterator[Any]]
) -> None:
    """Rule ``code`` runs ``check`` instead, until the test ends."""
    rule = lookup(code)  # registers the rules first
    assert rule is not None
    monkeypatch.setitem(REGISTRY, code, type(rule)(**{**rule.__dict__, "check": check}))
