"""The cache folder: newscheck writes into, and deletes, only what it created.

A folder is newscheck's cache when it is a real folder (not a symbolic link)
holding a marker newscheck wrote: ``CACHEDIR.TAG`` (the cache directory tag
standard, so backup tools skip it) or, from older versions, ``.gitignore``,
each a regular file with newscheck's exact content. A missing folder is
created and marked; an empty one is marked; anything else (a link, a file, a
folder of someone else's) is never used as a cache and never cleaned.
``clean`` deletes newscheck's own files by name (the markers, the result
databases and their journals), then the folder if that left it empty.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from pathlib import Path

TAG = "CACHEDIR.TAG"
MARKERS = {
    TAG: "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder is newscheck's result cache; `newscheck clean` removes it.\n",
    ".gitignore": "# created by newscheck\n*\n",
}
_OWN_FILES = re.compile(r"results-v\d+\.sqlite3(?:-wal|-shm|-journal)?\Z")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class CacheDirError(Exception):
    """A cache folder that newscheck must not use or cannot clean."""


def problem(directory: str | os.PathLike[str]) -> str | None:
    """Why ``directory`` must not be used as a cache; None when it may (it
    does not exist yet, is empty, or is newscheck's)."""
    try:
        info = os.lstat(directory)
        if stat.S_ISLNK(info.st_mode):
            return "it is a symbolic link (newscheck never writes or deletes through one)"
        if not stat.S_ISDIR(info.st_mode):
            return "it is not a folder"
        names = os.listdir(directory)
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot read it: {error.strerror}"
    if not names:
        return None
    if not _marked(Path(directory)):
        return f"it is not a folder newscheck created (no {TAG} written by newscheck in it)"
    for name in names:
        if _OWN_FILES.match(name) and not _regular(Path(directory) / name):
            return f"{name} in it is not a regular file"
    return None


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except FileNotFoundError:  # gone since the folder was listed: SQLite removes its -shm
        return True  # and -wal files when another run's connection closes
    except OSError:
        return False


def _ours(path: Path) -> bool:
    """Whether ``path`` is a marker newscheck wrote (a regular file, not a link,
    with the marker's exact content)."""
    text = MARKERS.get(path.name)
    if text is None:
        return False
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW)
    except OSError:
        return False
    with open(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return False
        return handle.read(len(text) + 1) == text.encode()


def _marked(directory: Path) -> bool:
    return any(_ours(directory / name) for name in MARKERS)


def prepare(directory: str | os.PathLike[str]) -> bool:
    """Create the cache folder if needed and mark it; whether it may be used."""
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError:
        return False
    if problem(directory) is not None:
        return False
    for name, text in MARKERS.items():
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW
        try:
            descriptor = os.open(Path(directory) / name, flags, 0o644)
        except FileExistsError:
            continue
        except OSError:
            return False
        with open(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
    return True


def clean(directory: str | os.PathLike[str]) -> list[str] | None:
    """Delete newscheck's files from the cache folder ``directory``, and the
    folder once empty. None when there is no cache there; else the names left
    (not newscheck's). Raises CacheDirError for a folder that is not a cache
    newscheck created, or that cannot be cleaned."""
    path = Path(directory)
    if not os.path.lexists(path):
        return None
    reason = problem(path)
    if reason is not None:
        raise CacheDirError(f"{path} is not a newscheck cache: {reason}; nothing was removed")
    names = sorted(os.listdir(path))
    if not names:
        return None
    try:
        databases = [name for name in names if _OWN_FILES.match(name)]
        markers = [name for name in names if _ours(path / name)]
        for name in [*databases, *markers]:  # the markers last: a folder half cleaned stays marked
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path / name)
        left = sorted(os.listdir(path))
        if not left:
            os.rmdir(path)
    except OSError as error:
        raise CacheDirError(f"cannot remove the cache {path}: {error.strerror}") from None
    return left
