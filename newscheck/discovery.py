"""Which files a run checks: the walk below folders, and every glob that
picks files or silences rules for a path (``include``, ``exclude``,
``per-file-ignores``, the pytest plugin's ``newscheck_files``).

One glob dialect: git's ``.gitignore`` patterns, as ``pathspec`` reads them
(``*`` and ``?`` stay within a folder, ``**`` spans folders, a pattern
without ``/`` matches a name at any depth, one with ``/`` is anchored to the
project's root, a trailing ``/`` matches folders only, ``!`` re-includes).
Paths are matched relative to the root (the configuration's folder).

Pure path work: nothing here reads a file's content (``.gitignore`` files
and ``.git/info/exclude`` aside).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import snapshots

if TYPE_CHECKING:
    import pathspec

PerFileIgnores = tuple[tuple[str, frozenset[str]], ...]  # (glob, codes), as configured

# ruff's habit: folders no corpus lives in. Hidden folders (``.*/``: .git, .venv,
# .tox, tool caches) were always left out; the others name them for the reader.
DEFAULT_EXCLUDE = (".git", ".venv", "venv", "node_modules", "build", "dist", "__pycache__", ".*/")

_GITIGNORE_BYTES = 1 << 20  # a .gitignore read at most this far (a checked tree may be hostile)


@dataclass(frozen=True)
class Globs:
    """Globs in the ``.gitignore`` dialect, matched against relative paths
    (``a/b.md``; a folder with a trailing ``/``)."""

    patterns: tuple[str, ...]

    @functools.cached_property
    def spec(self) -> pathspec.GitIgnoreSpec:
        return _spec(self.patterns)

    @functools.cached_property
    def _patterns(self) -> tuple[tuple[re.Pattern[str], bool], ...]:
        return tuple(
            (p.regex, bool(p.include))
            for p in self.spec.patterns
            if p.include is not None and p.regex is not None
        )

    @functools.cached_property
    def _any(self) -> re.Pattern[str] | None:
        """All the patterns in one regex, when none re-includes (then any
        match decides, and one regex is much faster than one per glob)."""
        return _joined(self._patterns, "")

    @functools.cached_property
    def _own(self) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None] | None:
        """For :meth:`decides` when none re-includes: the patterns of a name
        at any depth (matched against the last name alone: much faster) and
        the others (against the whole path)."""
        if self._any is None:
            return None
        names = [(r, i) for r, i in self._patterns if r.pattern.startswith(_ANY_FOLDERS)]
        paths = [(r, i) for r, i in self._patterns if not r.pattern.startswith(_ANY_FOLDERS)]
        by_name = _joined(names, _ANY_FOLDERS) if names else None
        return by_name, _joined(paths, "") if paths else None

    def matches(self, path: str) -> bool:
        """Whether ``path`` or a folder above it matches (the last pattern
        that matches decides, ``!`` re-including)."""
        one = self._any
        if one is not None:  # pathspec's patterns match a path's start: its folders too
            return one.match(path) is not None
        return self.spec.match_file(path)

    def decides(self, path: str, name: str) -> bool | None:
        """What the patterns say of ``path`` itself (its last part ``name``,
        a folder's with its ``/``), not of the folders above it (a walk has
        judged those already, and never judges a folder it was told to
        walk): True matched, False re-included by ``!``, None unsaid."""
        own = self._own
        if own is not None:
            names, paths = own
            if names is not None and names.fullmatch(name) is not None:
                return True
            return True if paths is not None and paths.fullmatch(path) is not None else None
        decision = None
        for regex, include in self._patterns:
            if regex.fullmatch(path) is not None:
                decision = include
        return decision


_GROUP = re.compile(r"\(\?P<\w+>")  # a named group of pathspec's (names clash once joined)
_ANY_FOLDERS = "^(?:.+/)?"  # how pathspec starts the regex of a glob without a slash


def _joined(
    patterns: Iterable[tuple[re.Pattern[str], bool]], prefix: str
) -> re.Pattern[str] | None:
    """``patterns`` (none re-including) as one regex, each less ``prefix``."""
    if not all(include for _, include in patterns):
        return None
    alternatives = (_GROUP.sub("(?:", r.pattern).removeprefix(prefix) for r, _ in patterns)
    return re.compile("|".join(f"(?:{a})" for a in alternatives) or "(?!)")


def _spec(lines: Iterable[str]) -> pathspec.GitIgnoreSpec:
    """Globs as git reads them; ValueError for a line that is not one."""
    import pathspec  # here: a run over named files alone reads no glob (~20 ms of start-up)

    try:
        # Python's re: RE2 (which pathspec would pick) refuses the surrogates
        # that stand for a file name's bytes that are not UTF-8
        return pathspec.GitIgnoreSpec.from_lines(lines, backend="simple")
    except re.error as error:  # a range written backwards, '[z-a]': pathspec lets it through
        raise ValueError(f"Invalid git pattern: {error.msg}") from None


def check_globs(patterns: Iterable[str]) -> None:
    """Raise ValueError naming the first glob that is not one."""
    for pattern in patterns:
        try:
            _spec([pattern])
        except ValueError as error:
            raise ValueError(f"invalid glob {pattern!r}: {error}") from None


def relative(path: str, root: str) -> str:
    """``path`` as the globs see it: relative to ``root`` with ``/``; the
    absolute path for a path outside it (relative patterns then never match)."""
    full = os.path.abspath(path)
    base = os.path.abspath(root or ".")
    if full == base:
        return ""
    if full.startswith(base.rstrip(os.sep) + os.sep):
        return full[len(base.rstrip(os.sep)) + 1 :].replace(os.sep, "/")
    return full.replace(os.sep, "/")


def ignored_codes(path: str, root: str, per_file_ignores: PerFileIgnores) -> frozenset[str]:
    """The codes ``per-file-ignores`` silences for ``path`` (its globs match
    the path relative to ``root``, the configuration's folder; ``!glob``
    silences them for the paths the glob does not match, as in ruff)."""
    if not per_file_ignores:
        return frozenset()
    where = relative(path, root)
    codes: set[str] = set()
    for pattern, ignored in per_file_ignores:
        negated = pattern.startswith("!")
        if _globs(pattern[1:] if negated else pattern).matches(where) is not negated:
            codes |= ignored
    return frozenset(codes)


def matched(path: str, root: str, patterns: tuple[str, ...]) -> bool:
    """Whether one of the globs matches ``path`` (relative to ``root``)."""
    return _globs(patterns).matches(relative(path, root))


@functools.lru_cache(maxsize=256)
def _globs(patterns: str | tuple[str, ...]) -> Globs:
    return Globs((patterns,) if isinstance(patterns, str) else patterns)


@dataclass(frozen=True)
class Discovery:
    """The files named and found below folders: ``include`` and ``exclude``
    globs (relative to ``root``, the configuration's folder), the
    ``.gitignore`` files of a git work tree (``respect_gitignore``), and
    ``force_exclude``: files and folders named are left out too when an
    ``exclude`` glob matches them."""

    root: str = ""
    include: tuple[str, ...] = ("*.md",)
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    respect_gitignore: bool = True
    force_exclude: bool = False

    @functools.cached_property
    def _include(self) -> Globs:
        return Globs(self.include)

    @functools.cached_property
    def _exclude(self) -> Globs:
        return Globs(self.exclude)

    def wants(self, path: str) -> bool:
        """Whether discovery below a directory would check the file ``path``."""
        included = self._include.decides(relative(path, self.root), os.path.basename(path))
        return included is True and not self.excluded(path)

    def excluded(self, path: str) -> bool:
        """Whether ``exclude`` leaves ``path`` (or a folder above it) out."""
        return self._exclude.matches(relative(path, self.root))

    def discover(self, paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
        """Named files as given; directories walked in sorted order for the
        ``include`` globs, leaving out what ``exclude`` and the ``.gitignore``
        files leave out. A file named and found is given once."""
        named = list(dict.fromkeys(os.fspath(p) for p in paths))
        if self.force_exclude:
            named = [p for p in named if not self.excluded(p)]
        folders = [p for p in named if os.path.isdir(p)]
        named_files = {os.path.realpath(p) for p in named if p not in folders} if folders else set()
        for path in named:
            if path not in folders:
                yield path
                continue
            for full in self._walk(path):
                if not named_files or os.path.realpath(full) not in named_files:
                    yield full

    def named(self, top: str, names: Collection[str]) -> Iterator[str]:
        """The files called one of ``names`` below the folder ``top`` that
        ``exclude`` and the ``.gitignore`` files leave in."""
        return self._walk(top, lambda path, name: name in names)

    def _walk(self, top: str, wanted: Callable[[str, str], bool] | None = None) -> Iterator[str]:
        """The files below ``top`` that the globs and ``.gitignore`` files
        leave in and ``wanted`` wants (by their path below ``top`` and their
        name; by default those ``include`` matches), depth first in sorted
        order."""
        lead = relative(top, self.root)
        lead = f"{lead}/" if lead else ""
        include, exclude = self._include, self._exclude
        if wanted is None:
            wanted = lambda path, name: include.decides(lead + path, name) is True  # noqa: E731
        ignores = _outer_ignores(top) if self.respect_gitignore else ()
        folders: list[tuple[str, str, tuple[Ignore, ...]]] = [(top, "", ignores)]
        while folders:
            folder, below, ignores = folders.pop()
            entries = _scan(folder)
            if ignores and any(name == ".gitignore" for name, _, is_dir in entries if not is_dir):
                lines = _read_ignore(os.path.join(folder, ".gitignore"))
                if lines:
                    ignores = (*ignores, Ignore(Globs(tuple(lines)), "", len(below)))
            deeper = []
            for name, full, is_dir in entries:
                key = f"{name}/" if is_dir else name  # as the globs see it
                path = below + key
                if exclude.decides(lead + path, key) or (ignores and _ignored(ignores, path, key)):
                    continue
                if is_dir:
                    if not snapshots.is_folder(full):  # the plugin's; named, they are checked
                        deeper.append((full, path, ignores))
                elif wanted(path, key):
                    yield full
            folders.extend(reversed(deeper))


@dataclass(frozen=True)
class Ignore:
    """The patterns of one ``.gitignore`` (or ``.git/info/exclude``) and how
    a path below the walked folder is written relative to its folder:
    ``lead`` plus the path without its first ``cut`` characters."""

    globs: Globs
    lead: str
    cut: int


def _ignored(ignores: tuple[Ignore, ...], path: str, name: str) -> bool:
    """Whether git ignores ``path`` (called ``name``): the deepest
    ``.gitignore`` that says something of it decides."""
    for ignore in reversed(ignores):
        decision = ignore.globs.decides(ignore.lead + path[ignore.cut :], name)
        if decision is not None:
            return decision
    return False


def _outer_ignores(top: str) -> tuple[Ignore, ...]:
    """The ignore files of the git work tree ``top`` is in, from its root
    down to ``top``'s parent (``top``'s own is read by the walk), lowest
    precedence first; a marker (no patterns) when ``top`` is in a work tree,
    so the walk reads the ``.gitignore`` files below; none outside one."""
    folder = os.path.abspath(top)
    above = [folder]
    while not os.path.exists(os.path.join(above[-1], ".git")):
        parent = os.path.dirname(above[-1])
        if parent == above[-1]:
            return ()  # not in a git work tree: .gitignore files mean nothing
        above.append(parent)
    ignores = [Ignore(Globs(()), "", 0)]
    info = _read_ignore(os.path.join(above[-1], ".git", "info", "exclude"))
    for depth, outer in enumerate(reversed(above)):
        lines = info if depth == 0 and info else []
        if outer != folder:
            lines = [*lines, *_read_ignore(os.path.join(outer, ".gitignore"))]
        if lines:
            below = os.path.relpath(folder, outer).replace(os.sep, "/")
            ignores.append(Ignore(Globs(tuple(lines)), "" if below == "." else below + "/", 0))
    return tuple(ignores)


def _read_ignore(path: str) -> list[str]:
    """The patterns of an ignore file (none when it cannot be read); lines
    that are not patterns are left out, as git leaves them."""
    try:
        with open(path, "rb") as file:
            text = file.read(_GITIGNORE_BYTES).decode("utf-8", "replace")
    except OSError:
        return []
    lines = []
    for line in text.splitlines():
        try:
            _spec([line])
        except ValueError:
            continue
        lines.append(line)
    return lines


def _scan(folder: str) -> list[tuple[str, str, bool]]:
    """A folder's entries (name, path, is a folder) in sorted order, from the
    directory entries themselves; none when it cannot be read. Symbolic
    links are left out (a link to a file may lead out of the tree, to
    ``/proc/self/environ`` or a secret: only a link named on its own is
    followed)."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=_name)
    except OSError:
        return []
    found = []
    for entry in entries:
        try:
            if entry.is_symlink():
                continue
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        found.append((entry.name, entry.path, is_dir))
    return found


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


_WILDCARD = re.compile(r"[*?\[]")


def glob_folder(glob: str) -> str:
    """The folder a path glob starts from, before its first wildcard
    (``corpus`` for ``corpus/**/*.md``; empty for ``*.md``)."""
    return _WILDCARD.split(glob, maxsplit=1)[0].rpartition("/")[0]
