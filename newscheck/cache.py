"""The result cache: re-checking an unchanged corpus does almost no work.

Results are stored in one SQLite file under the cache directory, keyed on the
*run* (newscheck's code, the resolved schema and every rule setting) and the
file's *content* (sha256 of its bytes and the rules ignored for its path).
A second table remembers each path's size and modification time, so an
unchanged file is not even read; a file whose time changed but whose bytes did
not (a fresh CI checkout) is read and hashed, never re-checked. A third one
remembers the last few whole runs (their files' diagnostics, the checks
across files included), keyed on the run and every file's path, size and
time: re-running an unchanged corpus replays it without looking at a file.

SQLite makes it safe for concurrent runs; every write is a transaction, so an
interrupted run leaves no partial entry; an entry that does not decode is
treated as missing; a cache file that is not a database is replaced.

The cache folder may sit in a tree that others write (a repository, a CI
workspace), so nothing read from it is trusted: every key derives from the
run key, which is an HMAC under a secret key of the user's kept outside any
tree (``$NEWSCHECK_KEY_FILE``, else ``$XDG_CACHE_HOME/newscheck/key``, else
``~/.cache/newscheck/key``; created on first use, mode 0600); every row
carries an HMAC of its fields (a whole run's rows one over all of them), and
a row whose HMAC does not match, or whose fields are not what newscheck
writes, is ignored: its file is checked again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cachedir import prepare
from .schema import builtin_names
from .values import Diagnostic, FileResult, Severity

DIRECTORY = ".newscheck_cache"
_FILE = "results-v6.sqlite3"
_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, data TEXT NOT NULL, mac TEXT);
CREATE TABLE IF NOT EXISTS files (
    path TEXT NOT NULL, run TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    key TEXT NOT NULL, mac TEXT, PRIMARY KEY (path, run)
);
CREATE TABLE IF NOT EXISTS whole_runs (
    key TEXT PRIMARY KEY, rows TEXT NOT NULL, digest TEXT NOT NULL, stored INTEGER, paths TEXT,
    mac TEXT
);
CREATE TABLE IF NOT EXISTS run_files (
    run TEXT NOT NULL, number INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (run, number)
);
"""
_RUNS_KEPT = 16  # keys of whole runs remembered (the newest; two for each run)


@dataclass(frozen=True)
class Entry:
    """What a check adds to the cache: the content key, the result, and the stat row."""

    path: str
    size: int
    mtime_ns: int
    key: str
    data: str | None  # None when the result was already stored under ``key``


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # built once, not on every call


def encode(result: FileResult) -> str:
    """A result as stored: ``[facts, [diagnostic fields...]..., schema?]`` (the
    schema's name ends the list when ``--schema auto`` chose one)."""
    rows = [list(d.as_row()) for d in result.diagnostics]
    chosen = [result.schema] if result.schema is not None else []
    return _ENCODE([dict(result.facts), *rows, *chosen])


def decode(path: str, data: str) -> FileResult | None:
    """A stored result, or None when the entry does not decode cleanly (each
    diagnostic checked field by field, see :meth:`Diagnostic.from_row`)."""
    try:
        known, *rows = json.loads(data)
        if not isinstance(known, dict) or not all(isinstance(k, str) for k in known):
            return None
        chosen = schema_name(rows.pop()) if rows and isinstance(rows[-1], str) else None
        diagnostics = [Diagnostic.from_row(row) for row in rows]
    except (ValueError, TypeError, RecursionError):
        return None
    return FileResult(path, tuple(diagnostics), known, chosen)


def schema_name(value: Any) -> str | None:
    """A stored choice of ``--schema auto``: None or a built-in schema's name
    (ValueError for anything else)."""
    if value is not None and value not in _builtin_names():
        raise ValueError(f"not a built-in schema: {value!r}")
    return value  # type: ignore[no-any-return]


@functools.cache
def _builtin_names() -> frozenset[str]:
    return frozenset(builtin_names())


KEY_FILE_VARIABLE = "NEWSCHECK_KEY_FILE"


def key_file() -> Path:
    """Where the user's secret key of the cache is kept: never in a checked tree."""
    given = os.environ.get(KEY_FILE_VARIABLE)
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "newscheck" / "key"


@functools.cache
def secret(path: Path) -> bytes:
    """The key in ``path``, made (random, mode 0600, atomically) if missing;
    read once per process. Raises OSError when it can be neither read nor made."""
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with open(os.open(temporary, flags, 0o600), "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    try:
        os.link(temporary, path)  # all or nothing; a key made meanwhile by another run wins
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    with open(path, "rb") as handle:
        key = handle.read(1024).strip()
    if len(key) < 32:
        raise OSError(0, f"the key file {path} holds fewer than 32 characters")
    return key


def code_version() -> str:
    """newscheck's own code, as sizes and times of its modules (changes on upgrade or edit)."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for folder in (package, package / "rules"):
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.endswith(".py"):
                info = entry.stat()
                digest.update(
                    f"{folder.name}/{entry.name}:{info.st_size}:{info.st_mtime_ns}\n".encode()
                )
    return digest.hexdigest()


class Cache:
    """One cache directory; opened lazily in each process that uses it."""

    def __init__(
        self, directory: str | os.PathLike[str], run: str, key: bytes | None = None
    ) -> None:
        """``key``: the secret (by default the user's, see :func:`secret`,
        which raises OSError when it cannot be had)."""
        self.directory = Path(directory)
        self._key = secret(key_file()) if key is None else key
        self.run = self.mac(run)  # what a tree cannot forge: every key derives from it
        self._connection: sqlite3.Connection | None = None
        self._pid = -1
        self._runs: dict[str, _RunDigest] = {}  # whole runs being kept

    def _connect(self) -> sqlite3.Connection | None:
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        self._pid = os.getpid()
        self._connection = None
        if not prepare(self.directory):
            return None
        try:
            connection = self._open()
        except (OSError, sqlite3.Error):
            return None
        self._connection = connection
        return connection

    def _open(self) -> sqlite3.Connection:
        path = self.directory / _FILE
        for attempt in (1, 2):
            connection = sqlite3.connect(path, timeout=5, isolation_level=None)
            try:
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
                connection.executescript(_SCHEMA_SQL)
                return connection
            except sqlite3.DatabaseError:
                connection.close()
                if attempt == 2:
                    raise
                for suffix in ("", "-wal", "-shm"):  # not a database: start afresh
                    with contextlib.suppress(FileNotFoundError):
                        os.remove(f"{path}{suffix}")
        raise AssertionError("unreachable")

    def mac(self, *fields: object) -> str:
        """The HMAC of a row's fields (under the secret key)."""
        text = "\0".join(map(str, fields)).encode("utf-8", "surrogateescape")
        return hmac.digest(self._key, text, "sha256").hex()

    # Each table's rows, each with its table's name: no row's HMAC fits another table.

    def _result_mac(self, key: str, data: str) -> str:
        return self.mac("results", key, data)

    def _file_mac(self, path: str, size: int, mtime_ns: int, key: str) -> str:
        return self.mac("files", path, self.run, size, mtime_ns, key)

    def _run_mac(self, key: str, rows: str, digest: str, paths: str) -> str:
        return self.mac("whole_runs", key, rows, digest, paths)

    @functools.cached_property
    def holds_nothing(self) -> bool:
        """Whether the cache had no entry at all when first asked: a first run
        then skips every lookup (what it writes itself it never needs to read)."""
        connection = self._connect()
        if connection is None:
            return True
        try:
            return connection.execute("SELECT 1 FROM results LIMIT 1").fetchone() is None
        except sqlite3.Error:
            return True

    def by_stat(self, stats: Mapping[str, tuple[int, int]]) -> dict[str, str]:
        """Stored results (still encoded) of the absolute paths whose size and
        modification time, given as ``{path: (size, mtime_ns)}``, are unchanged."""
        stats = {path: stat for path, stat in stats.items() if _storable(path)}
        if not stats or self.holds_nothing:
            return {}
        connection = self._connect()
        if connection is None:
            return {}
        marks = ",".join("?" * len(stats))
        try:
            rows = connection.execute(
                "SELECT files.path, files.size, files.mtime_ns, files.key, files.mac, "
                "results.data, results.mac FROM files JOIN results ON results.key = files.key "
                f"WHERE files.run = ? AND files.path IN ({marks})",
                (self.run, *stats),
            ).fetchall()
        except sqlite3.Error:
            return {}
        return {
            path: data
            for path, size, mtime_ns, key, row_mac, data, data_mac in rows
            if stats.get(path) == (size, mtime_ns)
            and row_mac == self._file_mac(path, size, mtime_ns, key)
            and data_mac == self._result_mac(key, data)
        }

    def by_key(self, path: str, key: str) -> FileResult | None:
        row = self._row("SELECT data, mac FROM results WHERE key = ?", key)
        if row is None or row[1] != self._result_mac(key, row[0]):
            return None
        return decode(path, row[0])

    def stored_run(self, key: str) -> Iterator[tuple[int, str]] | None:
        """A whole run's files (by number) and what :meth:`add_run_files` kept
        of them, in order; None unless the run was finished and its rows are
        intact (their digest is read through first)."""
        found = self._whole_run(key)
        connection = self._connect()
        if found is None or connection is None:
            return None
        rows, digest, _ = found
        query = "SELECT number, data FROM run_files WHERE run = ? ORDER BY number"
        try:
            check = _RunDigest(self._key)
            for number, data in connection.execute(query, (rows,)):
                check.add(number, data)
            if check.hexdigest() != digest:
                return None
            return iter(connection.execute(query, (rows,)))
        except (sqlite3.Error, TypeError):
            return None

    def _whole_run(self, key: str) -> tuple[str, str, str] | None:
        """The ``(rows, digest, paths)`` of the whole run kept as ``key``, if
        its HMAC matches."""
        found = self._row("SELECT rows, digest, paths, mac FROM whole_runs WHERE key = ?", key)
        if found is None or found[3] != self._run_mac(key, *found[:3]):
            return None
        rows, digest, paths, _ = found
        return rows, digest, paths

    def also_run(self, key: str, known: str) -> None:
        """Make ``key`` name the whole run that ``known`` names."""
        found = self._whole_run(known)
        if found is None:
            return
        self._write(
            lambda cursor: cursor.execute(
                "INSERT OR REPLACE INTO whole_runs (key, rows, digest, stored, paths, mac) "
                "VALUES (?, ?, ?, (SELECT MAX(stored) + 1 FROM whole_runs), ?, ?)",
                (key, *found, self._run_mac(key, *found)),
            )
        )

    def has_paths(self, paths: str) -> bool:
        """Whether a whole run kept is one of these ``paths`` (the key of the
        run's settings and file paths, as :meth:`finish_run` got it)."""
        return self._row("SELECT 1 FROM whole_runs WHERE paths = ? LIMIT 1", paths) is not None

    def _row(self, query: str, key: str) -> tuple[Any, ...] | None:
        """The row ``query`` selects for ``key`` (None: none, or no cache)."""
        if self.holds_nothing:
            return None
        connection = self._connect()
        if connection is None:
            return None
        try:
            row = connection.execute(query, (key,)).fetchone()
        except sqlite3.Error:
            return None
        return tuple(row) if row else None

    def begin_run(self, key: str) -> None:
        """Start keeping a whole run: what was kept under ``key`` is dropped."""
        self._runs[key] = _RunDigest(self._key)

        def write(cursor: sqlite3.Cursor) -> None:
            cursor.execute("DELETE FROM whole_runs WHERE key = ? OR rows = ?", (key, key))
            cursor.execute("DELETE FROM run_files WHERE run = ?", (key,))

        self._write(write)

    def add_run_files(self, key: str, rows: list[tuple[int, str]]) -> None:
        """Keep ``(number, data)`` of some files of a run begun, in order."""
        for number, data in rows:
            self._runs[key].add(number, data)

        def write(cursor: sqlite3.Cursor) -> None:
            cursor.executemany(
                "INSERT OR REPLACE INTO run_files (run, number, data) VALUES (?, ?, ?)",
                [(key, number, data) for number, data in rows],
            )

        if rows:
            self._write(write)

    def finish_run(self, key: str, paths: str, *others: str) -> None:
        """The run of ``paths`` is whole: it may be replayed, by ``key`` and by
        the ``others`` keys. Only the newest runs are kept."""
        digest = self._runs.pop(key).hexdigest()

        def write(cursor: sqlite3.Cursor) -> None:
            cursor.executemany(
                "INSERT OR REPLACE INTO whole_runs (key, rows, digest, stored, paths, mac) "
                "VALUES (?, ?, ?, (SELECT COALESCE(MAX(stored), 0) + 1 FROM whole_runs), ?, ?)",
                [
                    (name, key, digest, paths, self._run_mac(name, key, digest, paths))
                    for name in (key, *others)
                ],
            )
            cursor.execute(
                "DELETE FROM whole_runs WHERE key NOT IN "
                "(SELECT key FROM whole_runs ORDER BY stored DESC LIMIT ?)",
                (_RUNS_KEPT,),
            )
            # rows of runs dropped, or cut short (a run being kept now may lose
            # some: its digest will not match, and it is never replayed)
            cursor.execute("DELETE FROM run_files WHERE run NOT IN (SELECT rows FROM whole_runs)")

        self._write(write)

    def content_key(self, data: bytes, ignored: frozenset[str]) -> str:
        digest = hashlib.sha256(f"{self.run}\0{','.join(sorted(ignored))}\0".encode())
        digest.update(data)
        return digest.hexdigest()

    def store(self, entries: Iterable[Entry]) -> None:
        """Write entries in one transaction (leaving out a path that SQLite
        cannot hold: one whose name is not UTF-8)."""
        entries = [e for e in entries if _storable(e.path)]

        def write(cursor: sqlite3.Cursor) -> None:
            cursor.executemany(
                "INSERT OR REPLACE INTO results (key, data, mac) VALUES (?, ?, ?)",
                [
                    (e.key, e.data, self._result_mac(e.key, e.data))
                    for e in entries
                    if e.data is not None
                ],
            )
            mac = self._file_mac
            cursor.executemany(
                "INSERT OR REPLACE INTO files (path, run, size, mtime_ns, key, mac) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        e.path,
                        self.run,
                        e.size,
                        e.mtime_ns,
                        e.key,
                        mac(e.path, e.size, e.mtime_ns, e.key),
                    )
                    for e in entries
                ],
            )

        if entries:
            self._write(write)

    def _write(self, write: Callable[[sqlite3.Cursor], object]) -> None:
        """Run ``write`` in one transaction, all or nothing (an interrupt rolls
        it back); a cache that cannot be written is skipped."""
        connection = self._connect()
        if connection is None:
            return
        try:
            with contextlib.closing(connection.cursor()) as cursor:
                cursor.execute("BEGIN IMMEDIATE")
                try:
                    write(cursor)
                    cursor.execute("COMMIT")
                except BaseException:
                    cursor.execute("ROLLBACK")
                    raise
        except sqlite3.Error:
            return

    def close(self) -> None:
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None


def _storable(path: str) -> bool:
    """Whether SQLite can hold the path: not a name with bytes that are not
    UTF-8 (decoded by Python as lone surrogates)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _RunDigest:
    """The HMAC of a whole run's kept rows, in order."""

    def __init__(self, key: bytes) -> None:
        self._digest = hmac.new(key, digestmod="sha256")

    def add(self, number: int, data: str) -> None:
        self._digest.update(f"{number}\0{data}\0".encode())

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


def run_key(document: Any) -> str:
    """The key of everything besides a file's content that decides its result."""
    text = json.dumps(document, sort_keys=True, default=_plain, ensure_ascii=False)
    return hashlib.sha256(f"{code_version()}\0{text}".encode()).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, Severity):
        return str(value)
    if hasattr(value, "items"):
        return dict(value.items())
    if isinstance(value, tuple | frozenset | set):
        return sorted(value) if isinstance(value, frozenset | set) else list(value)
    if hasattr(value, "__dataclass_fields__"):
        return {name: getattr(value, name) for name in value.__dataclass_fields__}
    return str(value)
