"""Wiring: Settings → the Checker of a run, for the commands and the pytest
plugin: :func:`newscheck.api.build` with a broken schema or configuration
met while setting up turned into a UsageError, and warnings on stderr."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable

from ..api import build
from ..config import Settings
from ..engine import Checker
from ..reporters import printable
from .common import usage_errors


def _warn(message: str) -> None:
    sys.stderr.write(f"newscheck: {printable(message)}\n")


def build_checker(settings: Settings, warn: Callable[[str], object] = _warn) -> Checker:
    """The run's checker (:func:`newscheck.api.build`), with its cache; ``warn``
    hears why the cache is not used, if it is not. Raises UsageError when a
    schema or the configuration cannot be used."""
    with usage_errors():
        return build(settings, warn)


def build_runs(
    settings: Settings,
    paths: Iterable[str],
    again: Callable[[Settings], Settings],
    warn: Callable[[str], object] = _warn,
) -> list[tuple[Checker, list[str]]]:
    """The checker of each run over ``paths``: the project's, and with
    ``nested-configs = true`` one per nested configuration (see
    :mod:`newscheck.nesting`; ``again`` puts the command line on its settings)."""
    from ..nesting import runs

    with usage_errors():
        chosen = runs(settings, paths, again)
    return [(build_checker(s, warn), p) for s, p in chosen]
