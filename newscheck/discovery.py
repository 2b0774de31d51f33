"""Which files a run checks: the walk below folders, and every glob that
picks files or silences rules for a path (``include``, ``exclude``,
``per-file-ignores``, the pytest plugin's ``newscheck_files``).

Pure path work: nothing here reads a file's content.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from . import snapshots

PerFileIgnores = tuple[tuple[str, frozenset[str]], ...]  # (glob, codes), as configured


def name_globs(patterns: Iterable[str]) -> re.Pattern[str]:
    """One compiled pattern matching a name against any of the globs."""
    return re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns) or "(?!)")


def path_globs(globs: Iterable[str]) -> re.Pattern[str]:
    """One pattern for path globs: ``*`` and ``?`` stay within a folder,
    ``**/`` spans any number of folders (none included)."""
    alternatives = []
    for glob in globs:
        pattern, index = "", 0
        while index < len(glob):
            if glob.startswith("**/", index):
                pattern, index = pattern + "(?:.*/)?", index + 3
            elif glob.startswith("**", index):
                pattern, index = pattern + ".*", index + 2
            elif glob[index] == "*":
                pattern, index = pattern + "[^/]*", index + 1
            elif glob[index] == "?":
                pattern, index = pattern + "[^/]", index + 1
            elif glob[index] == "[" and "]" in glob[index + 2 :]:
                end = glob.index("]", index + 2)
                members = glob[index + 1 : end]
                negate = members.startswith("!")
                members = re.escape(members[1:] if negate else members).replace("\\-", "-")
                pattern, index = pattern + f"[{'^' if negate else ''}{members}]", end + 1
            else:
                pattern, index = pattern + re.escape(glob[index]), index + 1
        alternatives.append(f"(?:{pattern})")
    return re.compile("|".join(alternatives))


_WILDCARD = re.compile(r"[*?\[]")


def glob_folder(glob: str) -> str:
    """The folder a path glob starts from, before its first wildcard
    (``corpus`` for ``corpus/**/*.md``; empty for ``*.md``)."""
    return _WILDCARD.split(glob, maxsplit=1)[0].rpartition("/")[0]


def ignored_codes(path: str, root: str, per_file_ignores: PerFileIgnores) -> frozenset[str]:
    """The codes ``per-file-ignores`` silences for ``path`` (its globs match
    the path relative to ``root``, the configuration's folder)."""
    if not per_file_ignores:
        return frozenset()
    relative = PurePath(os.path.relpath(os.path.abspath(path), root) if root else path)
    codes: set[str] = set()
    for pattern, ignored in per_file_ignores:
        if relative.match(pattern):
            codes |= ignored
    return frozenset(codes)


@dataclass(frozen=True)
class Discovery:
    """The files named and found below folders, for ``include`` and ``exclude``
    globs (relative to ``root``, the configuration's folder)."""

    root: str = ""
    include: tuple[str, ...] = ("*.md",)
    exclude: tuple[str, ...] = ()

    @functools.cached_property
    def _include(self) -> re.Pattern[str]:
        return name_globs(self.include)

    @functools.cached_property
    def _exclude_names(self) -> re.Pattern[str] | None:
        names = [p for p in self.exclude if "/" not in p]
        return name_globs(names) if names else None

    def wants(self, path: str) -> bool:
        """Whether discovery below a directory would check ``path``."""
        return self._include.match(os.path.basename(path)) is not None and not self.excluded(path)

    def excluded(self, path: str) -> bool:
        """Whether ``exclude`` leaves ``path`` out: a glob without ``/`` matches
        any one name on the path, a glob with ``/`` the path's end (relative to
        the configuration's folder)."""
        if not self.exclude:
            return False
        names = self._exclude_names
        if names is not None and any(names.match(part) for part in PurePath(path).parts):
            return True
        deep = [p for p in self.exclude if "/" in p]
        if not deep:
            return False
        relative = PurePath(os.path.relpath(os.path.abspath(path), self.root or "."))
        return any(relative.match(p) for p in deep)

    def discover(self, paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
        """Named files as given; directories walked in sorted order for the
        ``include`` globs, leaving out ``exclude`` globs and hidden directories."""
        named = list(dict.fromkeys(os.fspath(p) for p in paths))
        folders = [p for p in named if os.path.isdir(p)]
        named_files = {os.path.realpath(p) for p in named if p not in folders} if folders else set()
        include = self._include
        for path in named:
            if path not in folders:
                yield path
                continue
            for name, full in walk(path, self._descend):
                if not include.match(name):
                    continue
                if self.exclude and self.excluded(full):
                    continue
                if not named_files or os.path.realpath(full) not in named_files:
                    yield full  # a file also named on its own is checked once

    def _descend(self, name: str, path: str) -> bool:
        """Whether discovery goes into the folder ``path`` (named ``name``):
        not a hidden or excluded one, nor the pytest plugin's snapshots of a
        test module (named on the command line, they are checked)."""
        return (
            not name.startswith(".") and not self.excluded(path) and not snapshots.is_folder(path)
        )


def walk(top: str, descend: Callable[[str, str], bool]) -> Iterator[tuple[str, str]]:
    """The files below ``top`` (name, path), depth first in sorted order, as
    ``os.walk`` gives them but from the directory entries themselves: folders
    ``descend`` admits are entered; folders that cannot be read are not.
    Symbolic links are neither entered nor given (a link to a file may lead
    out of the tree, to ``/proc/self/environ`` or a secret: only a link named
    on its own is followed)."""
    folders = [top]
    while folders:
        try:
            with os.scandir(folders.pop()) as scan:
                entries = sorted(scan, key=_name)
        except OSError:
            continue
        below = []
        for entry in entries:
            try:
                if entry.is_symlink():
                    continue
                folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                folder = False
            if not folder:
                yield entry.name, entry.path
            elif descend(entry.name, entry.path):
                below.append(entry.path)
        folders.extend(reversed(below))


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name
