"""Nested configurations: which settings check which of the paths named.

A run takes the project's configuration (the nearest one at or above the
working directory) for every path named. A configuration file in a folder
below it is not read (a checked tree must not override its project) unless
the project's configuration says ``nested-configs = true``: then each such
folder is checked as a project of its own, with its own configuration (the
nearest configuration at or above a file decides, as in ruff; a nested one
takes the project's settings only through ``extend``), and the folders
around it are walked without it. The command line's options apply to every
one of them; the results keep the project's cache folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from .config import CONFIG_NAMES, Settings, cache_directory, config_in, discovery, load_settings

Run = tuple[Settings, list[str]]  # settings, and the paths to check with them

_GLOB_SPECIAL = re.compile(r"([\\*?\[\]!# ])")


def runs(
    settings: Settings, paths: Iterable[str], again: Callable[[Settings], Settings]
) -> list[Run]:
    """The runs that check ``paths``: the project's first, then one per
    nested configuration (in order of their folders); ``again`` puts the
    command line's options on a nested configuration's settings."""
    named = list(paths)
    if not settings.nested_configs or not settings.root:
        return [(settings, named)]
    root = os.path.abspath(settings.root)
    owned: dict[str, list[str]] = {root: []}  # a configuration's folder: its paths
    walker = discovery(settings)
    for path in named:
        owned.setdefault(_owner(os.path.abspath(path), root), []).append(path)
        if os.path.isdir(path):
            for found in walker.named(path, CONFIG_NAMES):
                folder = os.path.dirname(os.path.abspath(found))
                if _below(folder, root) and config_in(Path(folder)) is not None:
                    below = os.path.relpath(folder, os.path.abspath(path))
                    owned.setdefault(folder, []).append(os.path.join(path, below))
    folders = sorted(owned)
    done = []
    for folder in folders:
        if folder == root:
            chosen = settings
        else:
            chosen = load_settings(config_in(Path(folder)))
            if chosen.cache_dir is None:
                chosen = replace(chosen, cache_dir=str(cache_directory(settings)))
            chosen = again(chosen)
        inner = [f for f in folders if _below(f, folder)]
        if inner:  # walked as projects of their own
            left_out = tuple("/" + _literal(os.path.relpath(f, folder)) + "/" for f in inner)
            chosen = replace(chosen, extend_exclude=(*chosen.extend_exclude, *left_out))
        if owned[folder]:
            done.append((chosen, _unique(owned[folder])))
    return done


def _owner(path: str, root: str) -> str:
    """The folder of the configuration that checks ``path``: the nearest
    one at or above it below ``root``, else ``root``."""
    if not _below(path, root):
        return root
    folder = path if os.path.isdir(path) else os.path.dirname(path)
    while folder != root:
        if config_in(Path(folder)) is not None:
            return folder
        folder = os.path.dirname(folder)
    return root


def _unique(paths: list[str]) -> list[str]:
    """``paths`` without a path met before (``sub`` named, ``./sub`` found)."""
    seen: dict[str, str] = {}
    for path in paths:
        seen.setdefault(os.path.normpath(path), path)
    return list(seen.values())


def _below(path: str, folder: str) -> bool:
    """Whether ``path`` is inside ``folder`` (and not ``folder`` itself)."""
    return path.startswith(folder.rstrip(os.sep) + os.sep)


def _literal(path: str) -> str:
    """A relative path as a glob that matches it alone."""
    return _GLOB_SPECIAL.sub(r"\\\1", path.replace(os.sep, "/"))
