"""The check engine: one file in, one FileResult out; many files in parallel.

The CLI, the pytest plugin and the Python API all call these functions.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

from . import source as sources
from . import suppress
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


_EXCERPT_BEFORE, _EXCERPT_AFTER = 40, 100


def _diagnostic(
    source: Source, rule: Rule, severity: Severity, span: Span, message: str
) -> Diagnostic:
    start, end = source.position(span.start), source.position(span.end)
    content = source.text[span.start : min(span.end, span.start + 4096)] or message
    digest = hashlib.sha256(f"{rule.code}\0{content}".encode("utf-8", "surrogatepass"))
    line = source.line_span(start.line - 1) if source.text else Span(0, 0)
    first = max(line.start, span.start - _EXCERPT_BEFORE)
    excerpt = source.text[first : min(line.end, span.start + _EXCERPT_AFTER)]
    return Diagnostic(
        rule.code,
        rule.name,
        severity,
        message,
        start.line,
        start.column,
        end.line,
        end.column,
        fingerprint=digest.hexdigest()[:16],
        excerpt=excerpt,
        excerpt_column=first - line.start + 1,
    )


def _ignored(path: str, root: str, per_file_ignores: PerFileIgnores) -> frozenset[str]:
    if not per_file_ignores:
        return frozenset()
    relative = PurePath(os.path.relpath(os.path.abspath(path), root) if root else path)
    codes: set[str] = set()
    for pattern, ignored in per_file_ignores:
        if relative.match(pattern):
            codes |= ignored
    return frozenset(codes)


PerFileIgnores = tuple[tuple[str, frozenset[str]], ...]
_FEW = 16


@dataclass(frozen=True)
class Checker:
    """Everything a run needs to check one file: built once, then applied to each."""

    schema: Schema
    per_file_ignores: PerFileIgnores = ()
    root: str = ""
    include: tuple[str, ...] = ("*.md",)
    exclude: tuple[str, ...] = ()

    def check_source(self, source: Source) -> FileResult:
        """Parse ``source``, run every enabled rule, apply the suppressions."""
        schema = self.schema
        ignored = _ignored(source.path, self.root, self.per_file_ignores)
        diagnostics: list[Diagnostic] = []
        internal = REGISTRY["NC000"]
        article = Article(source, schema)
        if source.unreadable is None:
            try:
                article = parse(source, schema)
            except Exception as error:  # a parser bug must not stop the run
                message = f"the parser failed: {type(error).__name__}: {error}"
                diagnostics.append(
                    _diagnostic(source, internal, Severity.ERROR, Span(0, 0), message)
                )
        parsed = bool(article.parts)
        for rule in all_rules():
            setting = schema.rules[rule.code]
            if setting.severity is None or rule.code in ignored:
                continue
            if rule.needs_parse and not parsed:
                continue
            try:
                for span, message in rule.check(article, setting.options):
                    diagnostics.append(_diagnostic(source, rule, setting.severity, span, message))
            except Exception as error:  # one broken rule must not hide the others
                message = f"rule {rule.code} {rule.name} failed: {type(error).__name__}: {error}"
                diagnostics.append(
                    _diagnostic(source, internal, Severity.ERROR, Span(0, 0), message)
                )
        found = suppress.directives(source)
        if found:
            diagnostics, unused = suppress.apply(diagnostics, found)
            setting = schema.rules["NC011"]
            if setting.severity is not None and "NC011" not in ignored:
                rule = REGISTRY["NC011"]
                diagnostics.extend(
                    _diagnostic(source, rule, setting.severity, s, m) for s, m in unused
                )
        diagnostics.sort(key=Diagnostic.sort_key)
        return FileResult(source.path, tuple(diagnostics))

    def check_file(self, path: str | os.PathLike[str]) -> FileResult:
        max_bytes = self.schema.rules["NC009"].options["max_bytes"]
        return self.check_source(read_source(os.fspath(path), max_bytes))

    def excluded(self, path: str) -> bool:
        if not self.exclude:
            return False
        relative = PurePath(
            os.path.relpath(os.path.abspath(path), self.root) if self.root else path
        )
        return any(
            relative.match(p) or any(PurePath(part).match(p) for part in relative.parts)
            for p in self.exclude
        )

    def discover(self, paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
        """Named files as given; directories walked in sorted order for the
        ``include`` globs, leaving out ``exclude`` globs and hidden directories."""
        named = list(dict.fromkeys(os.fspath(p) for p in paths))
        named_files = {os.path.realpath(p) for p in named if not os.path.isdir(p)}
        for path in named:
            if not os.path.isdir(path):
                yield path
                continue
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(
                    d
                    for d in dirs
                    if not d.startswith(".") and not self.excluded(os.path.join(root, d))
                )
                for name in sorted(files):
                    full = os.path.join(root, name)
                    if not any(PurePath(name).match(p) for p in self.include) or self.excluded(
                        full
                    ):
                        continue
                    if not named_files or os.path.realpath(full) not in named_files:
                        yield full  # a file also named on its own is checked once

    def check_paths(
        self, paths: Iterable[str | os.PathLike[str]], jobs: int | None = None
    ) -> Iterator[FileResult]:
        """Check every file under ``paths``, in discovery order, on ``jobs`` processes.

        Workers are forked with this checker, so patterns and validators are
        compiled once; results come back in discovery order.
        """
        global _WORKER
        paths = [os.fspath(p) for p in paths]
        files = self.discover(paths)
        jobs = jobs or os.cpu_count() or 1
        if len(paths) < _FEW and not any(os.path.isdir(p) for p in paths):
            jobs = 1  # a few named files: starting workers costs more than it saves
        if jobs == 1:
            for path in files:
                yield self.check_file(path)
            return
        import multiprocessing

        _WORKER = self
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            yield from pool.imap(_check_in_worker, files, chunksize=64)


_WORKER: Checker | None = None


def _check_in_worker(path: str) -> FileResult:
    assert _WORKER is not None
    return _WORKER.check_file(path)


def check_source(source: Source, schema: SchemaLike = None) -> FileResult:
    """Parse ``source`` against ``schema`` and run every enabled rule."""
    return Checker(_schema(schema)).check_source(source)


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
    return Checker(_schema(schema)).check_file(path)


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """The files ``check_paths`` would check: named files, and ``*.md`` below directories."""
    return Checker(_schema(None)).discover(paths)


def check_paths(
    paths: Iterable[str | os.PathLike[str]],
    schema: SchemaLike = None,
    jobs: int | None = None,
) -> Iterator[FileResult]:
    """Check every file under ``paths`` (directories: ``*.md``) on ``jobs`` processes."""
    return Checker(_schema(schema)).check_paths(paths, jobs)
