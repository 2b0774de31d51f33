"""How a run finds results in the cache (:mod:`newscheck.cache` owns the
SQLite): a file by its status (path, size, time) or by its content, and a
whole run by its files' statuses or contents, in order.

The keys hold everything that decides a result: the newscheck version and
settings (the cache's ``run``), the working folder, the configuration's
folder, the per-file ignores, the schemas ``--schema auto`` chooses from.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from . import reading
from . import source as sources
from .cache import Cache, Entry, decode, encode, schema_name
from .runner import STORE_EVERY
from .source import Source
from .values import Diagnostic, FileResult

if TYPE_CHECKING:
    from .engine import Checker

Checked = tuple[FileResult, Entry | None]  # a result, and what the cache should learn from it


def cacheable(result: FileResult) -> bool:
    """Whether a result may be kept: not one that an internal error made, nor
    one of a check cut short by its time budget."""
    return not any(d.code in ("NC000", "NC012") for d in result.diagnostics)


def by_status(cache: Cache, paths: list[str]) -> dict[str, FileResult]:
    """Results the cache holds for ``paths`` whose size and time are unchanged."""
    if cache.holds_nothing:
        return {}
    stats: dict[str, tuple[int, int]] = {}
    absolute: dict[str, str] = {}
    here = os.getcwd()
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):
            absolute[path] = full = path if os.path.isabs(path) else os.path.join(here, path)
            stats[full] = (info.st_size, info.st_mtime_ns)
    stored = cache.by_stat(stats)
    found = {}
    for path, full in absolute.items():
        if full in stored:
            hit = decode(path, stored[full])
            if hit is not None:
                found[path] = hit
    return found


def by_content(checker: Checker, cache: Cache, path: str, here: str) -> Checked:
    """A file the cache does not know by its status: looked up by its
    content, else checked (``here``: the working folder)."""
    read = reading.read_file(path, checker.max_bytes)
    if isinstance(read, Source):  # unreadable: reported, never cached
        return checker.check_source(read), None
    data, info = read
    absolute = os.path.join(here, path)
    key = checker.content_key(path, data)
    hit = cache.by_key(path, key)
    if hit is not None:
        return hit, Entry(absolute, info.st_size, info.st_mtime_ns, key, None)
    result = checker.check_source(sources.from_bytes(data, path))
    if not cacheable(result):
        return result, None
    return result, Entry(absolute, info.st_size, info.st_mtime_ns, key, encode(result))


class ContentKey:
    """The key of a whole run by its files' paths and content keys, in order
    (None once a file had none: it could not be read, or was not checked)."""

    def __init__(self, digest: Any) -> None:
        self._digest: Any = digest
        self._digest.update(b"\0contents")

    def add(self, path: str, key: str | None) -> None:
        if key is None:
            self._digest = None
        elif self._digest is not None:
            self._digest.update(f"\0{path}\0{key}".encode(errors="surrogateescape"))

    def hexdigest(self) -> str | None:
        return None if self._digest is None else self._digest.hexdigest()


Check = Callable[[int, ContentKey | None], Iterator[FileResult]]


def whole_run(checker: Checker, paths: list[str], check: Check) -> Iterator[FileResult]:
    """The results of a run over ``paths``, replayed from the cache when it
    holds this very run, else ``check(total, contents)`` (the number of
    files, and the content key to fill as they are checked, if any), kept
    as a whole run once the last file is through.

    The run is found by its files' paths, sizes and times; failing that,
    when the cache holds a run of the same paths, each file is read once to
    hash it, and a run of the same contents (a fresh checkout) is replayed."""
    cache = checker.cache
    key, same_paths, total = _run_keys(checker, checker.discover(paths))
    if key is None or cache is None:
        return check(total, None)
    stored = cache.stored_run(key)
    contents = ContentKey(_key_digest(checker))
    filling: ContentKey | None = contents  # as the files are checked, unless known before
    if stored is None and cache.has_paths(same_paths):  # kept for these files: these bytes?
        for path in checker.discover(paths):
            data = reading.read_bytes(path, checker.max_bytes)
            contents.add(
                path, None if isinstance(data, Source) else checker.content_key(path, data)
            )
        filling, content = None, contents.hexdigest()
        stored = cache.stored_run(content) if content else None
        if stored is not None and content is not None:
            cache.also_run(key, content)  # the next run finds it by time
    if stored is not None:
        return _replay(checker, checker.discover(paths), stored)
    return _remembered(checker, key, same_paths, check(total, filling), contents)


def _run_keys(checker: Checker, files: Iterable[str]) -> tuple[str | None, str, int]:
    """The key of a whole run over ``files`` (None when it is not to be
    remembered: no cache, or a file that is not a regular file), the key
    of their paths alone, and their number. The files are walked for it,
    not kept: memory stays flat."""
    if checker.cache is None:
        return None, "", sum(1 for _ in files)
    digest, paths = _key_digest(checker), _key_digest(checker)
    paths.update(b"\0paths")
    total, regular = 0, True
    for path in files:
        total += 1
        regular = _add_to_key(digest, path) and regular
        paths.update(f"\0{path}".encode(errors="surrogateescape"))
    return (digest.hexdigest() if regular else None), paths.hexdigest(), total


def _key_digest(checker: Checker) -> Any:
    assert checker.cache is not None
    digest = hashlib.sha256(f"{checker.cache.run}\0{os.getcwd()}\0{checker.root}\0".encode())
    digest.update(repr((checker.per_file_ignores, [c.name for c in checker.choices])).encode())
    return digest


def _add_to_key(digest: Any, path: str) -> bool:
    """Add a file's path, size and time to a run's key; whether it is a regular file."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    digest.update(f"\0{path}\0{info.st_size}\0{info.st_mtime_ns}".encode(errors="surrogateescape"))
    return stat.S_ISREG(info.st_mode)


def _remembered(
    checker: Checker,
    key: str,
    same_paths: str,
    results: Iterator[FileResult],
    contents: ContentKey,
) -> Iterator[FileResult]:
    """``results``, kept in the cache as they go by (the files with
    diagnostics), and made a whole run once the last one is through, if
    the files checked are the ones of ``key`` (as they are now): never a
    run cut short, nor one with a result not to cache. The run is found
    by ``key`` and by the key of the same files' ``contents``; the key of
    its paths alone (``same_paths``) tells a later run that looking for it
    by content is worth reading the files."""
    cache = checker.cache
    assert cache is not None
    cache.begin_run(key)
    kept: list[tuple[int, str]] | None = []
    again, regular = _key_digest(checker), True  # the key of the files as checked
    for number, result in enumerate(results):
        regular = _add_to_key(again, result.path) and regular
        if kept is not None and not cacheable(result):
            kept = None  # this run is not kept
        elif kept is not None and (result.diagnostics or result.schema is not None):
            rows = [list(d.as_row()) for d in result.diagnostics]
            row = [result.path, rows, result.schema]
            kept.append((number, json.dumps(row)))  # escaped: a path may not be UTF-8
            if len(kept) >= STORE_EVERY:
                cache.add_run_files(key, kept)
                kept = []
        yield result
    if kept is not None and regular and again.hexdigest() == key:
        cache.add_run_files(key, kept)
        content = contents.hexdigest()
        cache.finish_run(key, same_paths, *([content] if content else []))
    cache.close()


def _replay(
    checker: Checker, files: Iterable[str], stored: Iterator[tuple[int, str]]
) -> Iterator[FileResult]:
    """A whole run's results for ``files``, from the cache. A file whose row
    names another path (the folder changed since the run's key was taken)
    or does not decode is checked again."""
    number, data = next(stored, (-1, ""))
    for index, path in enumerate(files):
        if index != number:
            yield FileResult(path, ())
            continue
        try:
            named, rows, chosen = json.loads(data)
            if named != path:
                raise ValueError(named)
            diagnostics = tuple(map(Diagnostic.from_row, rows))
            yield FileResult(path, diagnostics, {}, schema_name(chosen))
        except (ValueError, TypeError, RecursionError):
            yield checker.check_file(path)
        number, data = next(stored, (-1, ""))
