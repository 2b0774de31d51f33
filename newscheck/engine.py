"""The check engine: one file in, one FileResult out; many files in parallel.

The CLI, the pytest plugin and the Python API all call these functions.
"""

from __future__ import annotations

import multiprocessing
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import source as sources
from .article import Article
from .diagnostics import REGISTRY, Diagnostic, Rule, Severity, all_rules
from .parse import parse
from .schema import DEFAULT_SCHEMA, Schema, load_schema
from .source import Source, Span, Unreadable

SchemaLike = Schema | str | Path | None


@dataclass(frozen=True)
class FileResult:
    """Every diagnostic of one file, sorted by position."""

    path: str
    diagnostics: tuple[Diagnostic, ...]

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    @property
    def ok(self) -> bool:
        return self.count(Severity.ERROR) == 0


def _schema(schema: SchemaLike) -> Schema:
    return schema if isinstance(schema, Schema) else load_schema(schema or DEFAULT_SCHEMA)


def _diagnostic(
    source: Source, rule: Rule, severity: Severity, span: Span, message: str
) -> Diagnostic:
    start, end = source.position(span.start), source.position(span.end)
    return Diagnostic(
        rule.code, rule.name, severity, message, start.line, start.column, end.line, end.column
    )


def check_source(source: Source, schema: SchemaLike = None) -> FileResult:
    """Parse ``source`` against ``schema`` and run every enabled rule."""
    schema = _schema(schema)
    diagnostics: list[Diagnostic] = []
    internal = REGISTRY["NC000"]
    article = Article(source, schema)
    if source.unreadable is None:
        try:
            article = parse(source, schema)
        except Exception as error:
            message = f"the parser failed: {type(error).__name__}: {error}"
            diagnostics.append(_diagnostic(source, internal, Severity.ERROR, Span(0, 0), message))
    parsed = article.parts or source.unreadable is not None
    for rule in all_rules():
        setting = schema.rules[rule.code]
        if setting.severity is None or (rule.needs_parse and (source.unreadable or not parsed)):
            continue
        try:
            for span, message in rule.check(article, setting.options):
                diagnostics.append(_diagnostic(source, rule, setting.severity, span, message))
        except Exception as error:
            message = f"rule {rule.code} {rule.name} failed: {type(error).__name__}: {error}"
            diagnostics.append(_diagnostic(source, internal, Severity.ERROR, Span(0, 0), message))
    diagnostics.sort(key=Diagnostic.sort_key)
    return FileResult(source.path, tuple(diagnostics))


def check_text(text: str, path: str = "<text>", schema: SchemaLike = None) -> FileResult:
    """Check an article given as text."""
    return check_source(sources.from_text(text, path), schema)


def check_bytes(data: bytes, path: str = "<bytes>", schema: SchemaLike = None) -> FileResult:
    """Check an article given as raw bytes (decoded as strict UTF-8)."""
    return check_source(sources.from_bytes(data, path), schema)


def read_source(path: str, max_bytes: int) -> Source:
    """Read one file, never blocking on special files and never reading a huge one."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            return sources.unreadable(path, Unreadable.IO_ERROR, kind)
        if info.st_size > max_bytes:
            return sources.unreadable(path, Unreadable.TOO_LARGE, "", info.st_size)
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        return sources.unreadable(path, Unreadable.IO_ERROR, error.strerror or str(error))
    if len(data) > max_bytes:
        return sources.unreadable(path, Unreadable.TOO_LARGE, "", len(data))
    return sources.from_bytes(data, path)


def check_file(path: str | os.PathLike[str], schema: SchemaLike = None) -> FileResult:
    """Check one article file."""
    schema = _schema(schema)
    max_bytes = schema.rules["NC009"].options["max_bytes"]
    return check_source(read_source(os.fspath(path), max_bytes), schema)


def discover(paths: Iterable[str | os.PathLike[str]], pattern: str = "*.md") -> Iterator[str]:
    """Named files as given; directories walked in sorted order for ``pattern``.

    Hidden directories (``.git``) below a named directory are not entered.
    """
    for given in paths:
        path = os.fspath(given)
        if not os.path.isdir(path):
            yield path
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if Path(name).match(pattern):
                    yield os.path.join(root, name)


_WORKER_SCHEMA: Schema | None = None


def _check_in_worker(path: str) -> FileResult:
    return check_file(path, _WORKER_SCHEMA)


def check_paths(
    paths: Iterable[str | os.PathLike[str]],
    schema: SchemaLike = None,
    jobs: int | None = None,
) -> Iterator[FileResult]:
    """Check every file under ``paths``, in discovery order, on ``jobs`` processes.

    Workers are forked with the loaded schema, so patterns and validators are
    compiled once; results come back in discovery order.
    """
    global _WORKER_SCHEMA
    schema = _schema(schema)
    files = discover(paths)
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1:
        for path in files:
            yield check_file(path, schema)
        return
    _WORKER_SCHEMA = schema
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from pool.imap(_check_in_worker, files, chunksize=64)
