"""The check engine: one file in, one FileResult out; many files in parallel.

The CLI, the pytest plugin and the Python API all call these functions.
"""

from __future__ import annotations

import collections
import contextlib
import errno
import fnmatch
import functools
import hashlib
import itertools
import json
import os
import re
import signal
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from . import corpus_run, suppress
from . import source as sources
from .article import Article, Status
from .budget import Budget, OverBudget, own_alarm
from .cache import Cache, Entry, decode, encode, schema_name
from .choice import apply_profile, choose, no_fit
from .facts import facts
from .registry import REGISTRY, Rule
from .rules import all_rules
from .schema import DEFAULT_SCHEMA, Schema, builtin_names, load_schema
from .source import Source, Unreadable
from .values import Diagnostic, FileResult, Severity, Span

if TYPE_CHECKING:
    from .parse import Layout
    from .runner import Task, Workers

SchemaLike = Schema | str | Path | None


def _schema(schema: SchemaLike) -> Schema:
    return schema if isinstance(schema, Schema) else load_schema(schema or DEFAULT_SCHEMA)


def _checker(schema: SchemaLike) -> Checker:
    """A checker for a schema, a schema's name or file, or ``"auto"`` (each
    file checked with the built-in schema whose layout fits it)."""
    if schema == "auto":
        names = [DEFAULT_SCHEMA, *(n for n in builtin_names() if n != DEFAULT_SCHEMA)]
        choices = tuple(load_schema(name) for name in names)
        return Checker(choices[0], choices=choices)
    return Checker(_schema(schema))


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


def _first_line_only(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics of a file in which at most one part of the layout was
    found (not an article: a file named by mistake, a secret; any text passes
    for a body): the source shown of its first line only, never of the others."""
    return [d if d.line == 1 else replace(d, excerpt="") for d in diagnostics]


@functools.cache
def _corpus_codes() -> frozenset[str]:
    return frozenset(r.code for r in all_rules() if r.corpus)


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
Checked = tuple[FileResult, Entry | None]  # a result, and what the cache should learn from it
_FEW = 16


def _globs(patterns: Iterable[str]) -> re.Pattern[str]:
    """One compiled pattern matching a name against any of the globs."""
    return re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns) or "(?!)")


@dataclass(frozen=True)
class Checker:
    """Everything a run needs to check one file: built once, then applied to each."""

    schema: Schema
    per_file_ignores: PerFileIgnores = ()
    root: str = ""
    include: tuple[str, ...] = ("*.md",)
    exclude: tuple[str, ...] = ()
    cache: Cache | None = None
    choices: tuple[Schema, ...] = ()  # --schema auto: the schemas to choose from, per file
    # --schema auto: the configuration's schemas that take the files their globs match
    assigned: tuple[tuple[tuple[str, ...], Schema], ...] = ()
    inline_suppressions: bool = True  # whether an article's own comments may silence rules
    unsuppressible: frozenset[str] = frozenset(suppress.UNSUPPRESSIBLE)  # codes none may

    def check_source(self, source: Source) -> FileResult:
        """Parse ``source``, run every enabled rule, apply the suppressions;
        stop where the time budget (NC012) runs out."""
        ignored = _ignored(source.path, self.root, self.per_file_ignores)
        diagnostics: list[Diagnostic] = []
        chosen, schema = None, self.schema
        limit = self.schema.rules["NC012"]
        on = limit.severity is not None and "NC012" not in ignored
        seconds = float(limit.options["seconds"]) if on else None
        with Budget(seconds) as budget:
            try:
                schema, chosen, article = self._parse(source, budget, diagnostics)
                self._rules(article, schema, ignored, budget, diagnostics)
                budget.finish()
            except OverBudget as over:
                assert limit.severity is not None
                message = (
                    f"expected the check to finish within {seconds:g} s, found it still in "
                    f"{over.stage}; the rest of the file was not checked"
                )
                rule = REGISTRY["NC012"]
                diagnostics.append(_diagnostic(source, rule, limit.severity, Span(0, 0), message))
                article = Article(source, schema)  # no facts from a check cut short
        found = suppress.directives(source) if self.inline_suppressions else []
        later = _corpus_codes() if found else frozenset()
        if found:
            diagnostics, unused = suppress.apply(diagnostics, found, later, self.unsuppressible)
            setting = schema.rules["NC011"]
            if setting.severity is not None and "NC011" not in ignored:
                rule = REGISTRY["NC011"]
                diagnostics.extend(
                    _diagnostic(source, rule, setting.severity, s, m) for s, m in unused
                )
        try:
            known = facts(article) if article.parts and article.html_span else {}
        except Exception as error:  # a bug here must not stop the run either
            known = {}
            failed = f"{type(error).__name__}: {error}"
            message = f"the facts for the checks across files failed: {failed}"
            internal = REGISTRY["NC000"]
            diagnostics.append(_diagnostic(source, internal, Severity.ERROR, Span(0, 0), message))
        if article.parts and sum(p.status is Status.OK for p in article.parts.values()) < 2:
            diagnostics = _first_line_only(diagnostics)
        diagnostics.sort(key=Diagnostic.sort_key)
        if known and later:  # corpus rules run later: they need the file's suppressions
            deferred = suppress.deferred_codes(found, later, self.unsuppressible)
            if deferred:
                known["suppress"] = deferred
        return FileResult(source.path, tuple(diagnostics), known, chosen)

    def _parse(
        self, source: Source, budget: Budget, diagnostics: list[Diagnostic]
    ) -> tuple[Schema, str | None, Article]:
        """The schema that applies, the one ``--schema auto`` chose, and the article."""
        schema, chosen = self.schema, None
        article = Article(source, schema)
        if source.unreadable is None:
            from .parse import parse  # here: a result served from the cache needs no parser

            budget.enter("the parser")
            try:
                if self.choices:
                    schema, layout, by_glob = self._choose(source)
                    chosen = schema.name
                    unfit = None if by_glob else no_fit(source, schema, layout, self.choices)
                    if unfit is None:
                        article = parse(source, schema, layout)
                    else:  # one diagnostic for a file in none of the layouts, no others
                        article = Article(source, schema)
                        rule = REGISTRY["NC013"]
                        setting = schema.rules["NC013"]
                        if setting.severity is not None:
                            diagnostics.append(_diagnostic(source, rule, setting.severity, *unfit))
                else:
                    article = parse(source, schema)
                if schema.profiles:
                    article = apply_profile(article)
                    schema = article.schema or schema
            except Exception as error:  # a parser bug must not stop the run
                message = f"the parser failed: {type(error).__name__}: {error}"
                internal = REGISTRY["NC000"]
                diagnostics.append(
                    _diagnostic(source, internal, Severity.ERROR, Span(0, 0), message)
                )
        return schema, chosen, article

    def _rules(
        self,
        article: Article,
        schema: Schema,
        ignored: frozenset[str],
        budget: Budget,
        diagnostics: list[Diagnostic],
    ) -> None:
        """Run every enabled rule on the article, each a stage of the budget."""
        source, internal = article.source, REGISTRY["NC000"]
        parsed = bool(article.parts)
        for rule, severity, options, stage in self._enabled(schema):
            if rule.code in ignored or (rule.needs_parse and not parsed):
                continue
            budget.enter(stage)
            try:
                for span, message, *own in rule.check(article, options):
                    graded = own[0] if own else severity
                    diagnostics.append(_diagnostic(source, rule, graded, span, message))
            except Exception as error:  # one broken rule must not hide the others
                message = f"rule {rule.code} {rule.name} failed: {type(error).__name__}: {error}"
                diagnostics.append(
                    _diagnostic(source, internal, Severity.ERROR, Span(0, 0), message)
                )

    def _enabled(self, schema: Schema) -> list[tuple[Rule, Severity, Any, str]]:
        """The rules a file's check runs for ``schema`` (not the corpus ones),
        with their severity, options and stage name: worked out once per run."""
        plans = self._plans
        if id(schema) not in plans:
            plan = []
            for rule in all_rules():
                setting = schema.rules[rule.code]
                if setting.severity is not None and not rule.corpus:
                    stage = f"rule {rule.code} {rule.name}"
                    plan.append((rule, setting.severity, setting.options, stage))
            plans[id(schema)] = (schema, plan)  # the schema kept: its id stays its own
        return plans[id(schema)][1]

    @functools.cached_property
    def _plans(self) -> dict[int, tuple[Schema, list[tuple[Rule, Severity, Any, str]]]]:
        return {}

    def _choose(self, source: Source) -> tuple[Schema, Layout, bool]:
        """The schema for a file under ``auto``, the layout it finds, and
        whether a configured glob chose it (rather than the layout's fit)."""
        from .parse import match_layout  # here: a result served from the cache needs no parser

        if self.assigned:
            relative = PurePath(os.path.relpath(os.path.abspath(source.path), self.root or "."))
            for globs, schema in self.assigned:
                if any(relative.match(glob) for glob in globs):
                    return schema, match_layout(source, schema), True
        return (*choose(source, self.choices), False)

    def schema_of(self, path: str) -> str | None:
        """The schema ``--schema auto`` would choose for the file (None without
        auto, or for a file that cannot be read)."""
        if not self.choices:
            return None
        source = read_source(path, self.max_bytes)
        if source.unreadable is not None:
            return None
        return self._choose(source)[0].name

    @property
    def max_bytes(self) -> int:
        return int(self.schema.rules["NC009"].options["max_bytes"])

    def check_file(self, path: str | os.PathLike[str]) -> FileResult:
        return self.check_source(read_source(os.fspath(path), self.max_bytes))

    def known(self, paths: list[str]) -> dict[str, FileResult]:
        """Results the cache holds for ``paths`` whose size and time are unchanged."""
        if self.cache is None or self.cache.holds_nothing:
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
        stored = self.cache.by_stat(stats)
        found = {}
        for path, full in absolute.items():
            if full in stored:
                hit = decode(path, stored[full])
                if hit is not None:
                    found[path] = hit
        return found

    def check_unknown(self, paths: list[str]) -> list[Checked]:
        """Results of files the cache does not know by their time (all, without a cache)."""
        cache = self.cache
        if cache is None:
            return [(self.check_file(path), None) for path in paths]
        here = os.getcwd()
        return [self._check_through(path, here, cache) for path in paths]

    def _check_through(self, path: str, here: str, cache: Cache) -> Checked:
        """A file the cache does not know by its time: look it up by content, else check it."""
        read = _read(path, self.max_bytes)
        if isinstance(read, Source):  # unreadable: reported, never cached
            return self.check_source(read), None
        data, info = read
        absolute = os.path.join(here, path)
        key = self._key(path, data)
        hit = cache.by_key(path, key)
        if hit is not None:
            return hit, Entry(absolute, info.st_size, info.st_mtime_ns, key, None)
        result = self.check_source(sources.from_bytes(data, path))
        if not cacheable(result):
            return result, None
        return result, Entry(absolute, info.st_size, info.st_mtime_ns, key, encode(result))

    def _key(self, path: str, data: bytes) -> str:
        """A file's content key in the cache: its bytes, and the rules ignored for its path."""
        assert self.cache is not None
        return self.cache.content_key(data, _ignored(path, self.root, self.per_file_ignores))

    @functools.cached_property
    def _include(self) -> re.Pattern[str]:
        return _globs(self.include)

    @functools.cached_property
    def _exclude_names(self) -> re.Pattern[str] | None:
        names = [p for p in self.exclude if "/" not in p]
        return _globs(names) if names else None

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
            for name, full in _walk(path, self._descend):
                if not include.match(name):
                    continue
                if self.exclude and self.excluded(full):
                    continue
                if not named_files or os.path.realpath(full) not in named_files:
                    yield full  # a file also named on its own is checked once

    def _descend(self, name: str, path: str) -> bool:
        """Whether discovery goes into the folder ``path`` (named ``name``)."""
        return not name.startswith(".") and not self.excluded(path)

    def check_paths(
        self,
        paths: Iterable[str | os.PathLike[str]],
        jobs: int | None = None,
        contents: _ContentKey | None = None,
    ) -> Iterator[FileResult]:
        """Check every file under ``paths``, in discovery order, on ``jobs`` processes.

        Workers are forked with this checker, so patterns and validators are
        compiled once; results come back in discovery order. ``contents``
        learns each file's content key.
        """
        paths = [os.fspath(p) for p in paths]
        if len(paths) < _FEW and not any(os.path.isdir(p) for p in paths):
            jobs = 1  # a few named files: starting workers costs more than it saves
        return self.check_files(self.discover(paths), jobs, contents)

    def check_run(
        self,
        paths: Iterable[str | os.PathLike[str]],
        jobs: int | None = None,
        watch: Callable[[Iterator[FileResult], int], Iterator[FileResult]] | None = None,
    ) -> Iterator[FileResult]:
        """What ``newscheck check`` reports: :meth:`check_paths` with the checks
        across files merged in. ``watch`` sees the results (and the number of
        files) before those checks hold them back.

        The cache remembers the last few whole runs: when it holds this very
        run (newscheck and every setting, and each file's path, size and
        modification time, in order), the results are replayed from it and no
        file is read; failing that, when it holds a run of the same paths,
        each file is read once to hash it, and a run of the same contents (a
        fresh checkout) is replayed. Otherwise (new files, or none kept) the
        files are checked, those the cache knows by time or content taken from it.
        """
        named = [os.fspath(p) for p in paths]
        key, same_paths, total = self._run_key(self.discover(named))
        cache = self.cache
        if key is None or cache is None:
            return self._checked(named, jobs, watch, total)
        stored = cache.stored_run(key)
        contents = _ContentKey(self._key_digest())
        filling: _ContentKey | None = contents  # as the files are checked, unless known before
        if stored is None and cache.has_paths(same_paths):  # kept for these files: these bytes?
            for path in self.discover(named):
                data = _read_bytes(path, self.max_bytes)
                contents.add(path, None if isinstance(data, Source) else self._key(path, data))
            filling, by_content = None, contents.hexdigest()
            stored = cache.stored_run(by_content) if by_content else None
            if stored is not None and by_content is not None:
                cache.also_run(key, by_content)  # the next run finds it by time
        if stored is not None:
            return self._replay(self.discover(named), stored)
        results = self._checked(named, jobs, watch, total, filling)
        return self._remembered(key, same_paths, results, contents)

    def _checked(
        self,
        paths: list[str],
        jobs: int | None,
        watch: Callable[[Iterator[FileResult], int], Iterator[FileResult]] | None,
        total: int,
        contents: _ContentKey | None = None,
    ) -> Iterator[FileResult]:
        results = self.check_paths(paths, jobs, contents)
        if watch is not None:
            results = watch(results, total)
        return self.with_corpus(results, facts=False)

    def _run_key(self, files: Iterable[str]) -> tuple[str | None, str, int]:
        """The key of a whole run over ``files`` (None when it is not to be
        remembered: no cache, or a file that is not a regular file), the key
        of their paths alone, and their number. The files are walked for it,
        not kept: memory stays flat."""
        if self.cache is None:
            return None, "", sum(1 for _ in files)
        digest, paths = self._key_digest(), self._key_digest()
        paths.update(b"\0paths")
        total, regular = 0, True
        for path in files:
            total += 1
            regular = _add_to_key(digest, path) and regular
            paths.update(f"\0{path}".encode(errors="surrogateescape"))
        return (digest.hexdigest() if regular else None), paths.hexdigest(), total

    def _key_digest(self) -> Any:
        assert self.cache is not None
        digest = hashlib.sha256(f"{self.cache.run}\0{os.getcwd()}\0{self.root}\0".encode())
        digest.update(repr((self.per_file_ignores, [c.name for c in self.choices])).encode())
        return digest

    def _remembered(
        self, key: str, same_paths: str, results: Iterator[FileResult], contents: _ContentKey
    ) -> Iterator[FileResult]:
        """``results``, kept in the cache as they go by (the files with
        diagnostics), and made a whole run once the last one is through, if
        the files checked are the ones of ``key`` (as they are now): never a
        run cut short, nor one with a result not to cache. The run is found
        by ``key`` and by the key of the same files' ``contents``; the key of
        its paths alone (``same_paths``) tells a later run that looking for it
        by content is worth reading the files."""
        cache = self.cache
        assert cache is not None
        cache.begin_run(key)
        kept: list[tuple[int, str]] | None = []
        again, regular = self._key_digest(), True  # the key of the files as checked
        for number, result in enumerate(results):
            regular = _add_to_key(again, result.path) and regular
            if kept is not None and not cacheable(result):
                kept = None  # this run is not kept
            elif kept is not None and (result.diagnostics or result.schema is not None):
                rows = [list(d.as_row()) for d in result.diagnostics]
                row = [result.path, rows, result.schema]
                kept.append((number, json.dumps(row)))  # escaped: a path may not be UTF-8
                if len(kept) >= _STORE_EVERY:
                    cache.add_run_files(key, kept)
                    kept = []
            yield result
        if kept is not None and regular and again.hexdigest() == key:
            cache.add_run_files(key, kept)
            by_content = contents.hexdigest()
            cache.finish_run(key, same_paths, *([by_content] if by_content else []))
        cache.close()

    def _replay(
        self, files: Iterable[str], stored: Iterator[tuple[int, str]]
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
                yield self.check_file(path)
            number, data = next(stored, (-1, ""))

    def check_files(
        self, files: Iterable[str], jobs: int | None = None, contents: _ContentKey | None = None
    ) -> Iterator[FileResult]:
        """Check these files (no discovery), in order, on ``jobs`` processes;
        ``contents`` learns each file's content key (from the cache's entries)."""
        jobs = jobs or os.cpu_count() or 1
        pending: list[Entry] = []
        try:
            for result, entry in self._results(iter(files), jobs):
                if contents is not None:
                    contents.add(result.path, entry.key if entry is not None else None)
                if entry is not None:
                    pending.append(entry)
                    if len(pending) >= _STORE_EVERY:
                        self._store(pending)
                yield result
            self._store(pending)
        finally:
            if self.cache is not None:
                self.cache.close()

    def with_corpus(
        self, results: Iterable[FileResult], facts: bool = True
    ) -> Iterator[FileResult]:
        """``results`` with the diagnostics of the enabled corpus rules (checks
        across files, :mod:`newscheck.corpus_run`) merged in, in the same order.

        The corpus is complete only after the last file, so the results are
        held back (in a temporary file) until then; with no corpus rule
        enabled they pass straight through. Without ``facts`` the results
        keep only the facts that place corpus diagnostics (cheaper)."""
        if not corpus_run.enabled(self.schema.rules):
            return iter(results)
        root, per_file = self.root, self.per_file_ignores
        return corpus_run.merged(
            results, self.schema.rules, lambda path: _ignored(path, root, per_file), facts
        )

    def _store(self, pending: list[Entry]) -> None:
        if self.cache is not None:
            self.cache.store(pending)
        pending.clear()

    def _results(self, files: Iterator[str], jobs: int) -> Iterator[Checked]:
        """Results in order: known ones from the cache right here, the others
        checked on ``jobs`` worker processes (started only when needed)."""
        groups = iter(lambda: list(itertools.islice(files, _GROUP)), [])
        with contextlib.ExitStack() as stack:
            workers: Workers | None = None
            pending: collections.deque[tuple[list[str], dict[str, FileResult], Task | None]] = (
                collections.deque()
            )
            for group in groups:
                known = self.known(group)
                unknown = [path for path in group if path not in known]
                task = None
                if unknown:
                    if workers is None:
                        workers = stack.enter_context(self._workers(jobs))
                    task = workers.submit(unknown)
                pending.append((group, known, task))
                while pending and (len(pending) > _AHEAD or _ready(workers, pending[0][2])):
                    yield from _in_order(workers, *pending.popleft())
            while pending:
                yield from _in_order(workers, *pending.popleft())

    def _workers(self, jobs: int) -> Workers:
        """Worker processes for this run; one past its file's deadline (the
        time budget and half as much again) is stopped, the file reported NC012."""
        limit = self.schema.rules["NC012"]
        seconds = float(limit.options["seconds"]) if limit.severity is not None else None
        deadline = None if seconds is None else seconds * 1.5 + 1
        from .runner import Workers  # here: a run in one process starts no worker

        return Workers(jobs, self._check_one, self._abandoned, deadline, _start_worker)

    def _check_one(self, path: str) -> Checked:
        return self.check_unknown([path])[0]

    def _abandoned(self, path: str) -> Checked:
        """The result of a file whose worker was stopped past its deadline (or died)."""
        limit = self.schema.rules["NC012"]
        severity = limit.severity or Severity.ERROR
        message = (
            f"expected the check to finish within {float(limit.options['seconds']):g} s, "
            "found it still running well past that; its worker process was stopped and "
            "the file was not checked"
        )
        source = sources.from_text("", path)
        diagnostic = _diagnostic(source, REGISTRY["NC012"], severity, Span(0, 0), message)
        return FileResult(path, (diagnostic,)), None


def _start_worker() -> None:
    """Ctrl-C reaches every process of the terminal's group: a worker leaves it
    to the parent, which stops the pool (no traceback from each worker). The
    worker owns its alarm, for the time budget of each check."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    own_alarm()


def _walk(top: str, descend: Callable[[str, str], bool]) -> Iterator[tuple[str, str]]:
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


class _ContentKey:
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


def _add_to_key(digest: Any, path: str) -> bool:
    """Add a file's path, size and time to a run's key; whether it is a regular file."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    digest.update(f"\0{path}\0{info.st_size}\0{info.st_mtime_ns}".encode(errors="surrogateescape"))
    return stat.S_ISREG(info.st_mode)


def cacheable(result: FileResult) -> bool:
    """Whether a result may be kept: not one that an internal error made, nor
    one of a check cut short by its time budget."""
    return not any(d.code in ("NC000", "NC012") for d in result.diagnostics)


def _ready(workers: Workers | None, task: Task | None) -> bool:
    return task is None or (workers is not None and workers.ready(task))


def _in_order(
    workers: Workers | None, group: list[str], known: dict[str, FileResult], task: Task | None
) -> Iterator[Checked]:
    checked = iter(workers.get(task) if workers is not None and task is not None else ())
    for path in group:
        yield (known[path], None) if path in known else next(checked)


_GROUP, _AHEAD, _STORE_EVERY = 64, 32, 512  # files per task, tasks in flight, entries per write


def check_source(source: Source, schema: SchemaLike = None) -> FileResult:
    """Parse ``source`` against ``schema`` and run every enabled rule."""
    return _checker(schema).check_source(source)


def check_text(text: str, path: str = "<text>", schema: SchemaLike = None) -> FileResult:
    """Check an article given as text."""
    return check_source(sources.from_text(text, path), schema)


def check_bytes(data: bytes, path: str = "<bytes>", schema: SchemaLike = None) -> FileResult:
    """Check an article given as raw bytes (decoded as strict UTF-8)."""
    return check_source(sources.from_bytes(data, path), schema)


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


# A file whose bytes are not as many as its size says is made up by the kernel
# as it is read (/proc/self/environ: size 0; /sys: 4096), or was cut short
# while read: its content is not an article and may be a secret, none is shown.
_GENERATED = (
    "its content is not the size it has on disk (a file the kernel makes up, as in /proc "
    "or /sys, or one changed while read)"
)


def _not_regular(mode: int) -> str:
    kind = next((name for test, name in _KINDS if test(mode)), "a special file")
    return f"it is {kind}, not a regular file"


def _read_bytes(path: str, max_bytes: int) -> bytes | Source:
    """A file's bytes, or an unreadable Source saying why not (see :func:`_read`)."""
    read = _read(path, max_bytes)
    return read if isinstance(read, Source) else read[0]


def _read(path: str, max_bytes: int) -> tuple[bytes, os.stat_result] | Source:
    """A file's bytes and status, or an unreadable Source saying why not: never
    blocking on special files and never reading a huge one.

    A special file is told by its status and never opened; the file is opened
    without blocking and its descriptor checked again, so one that turned into
    a pipe between the two cannot block the read either. A file whose bytes are
    not as many as its size says (``/proc``, ``/sys``) is not shown."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return sources.unreadable(path, Unreadable.IO_ERROR, _not_regular(info.st_mode))
        if info.st_size > max_bytes:
            return sources.unreadable(path, Unreadable.TOO_LARGE, "", info.st_size)
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        with open(descriptor, "rb", closefd=True) as handle:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                return sources.unreadable(path, Unreadable.IO_ERROR, _not_regular(info.st_mode))
            size = min(info.st_size, max_bytes)
            data = handle.read(size + 1)  # a buffer of the file's size, not of the limit
            if len(data) < size or (data and not size):  # not the bytes its size says
                return sources.unreadable(path, Unreadable.IO_ERROR, _GENERATED)
            if len(data) > size:  # it grew since: read on, up to the limit
                data += handle.read(max_bytes + 1 - len(data))
    except OSError as error:
        detail = error.strerror or str(error)
        if error.errno == errno.ENOENT and os.path.islink(path):
            detail = "it is a symbolic link to a file that does not exist"
        return sources.unreadable(path, Unreadable.IO_ERROR, detail)
    if len(data) > max_bytes:
        return sources.unreadable(path, Unreadable.TOO_LARGE, "", len(data))
    return data, info


def read_source(path: str, max_bytes: int) -> Source:
    """Read and decode one file (see :func:`_read_bytes`)."""
    data = _read_bytes(path, max_bytes)
    return data if isinstance(data, Source) else sources.from_bytes(data, path)


def check_file(path: str | os.PathLike[str], schema: SchemaLike = None) -> FileResult:
    """Check one article file."""
    return _checker(schema).check_file(path)


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """The files ``check_paths`` would check: named files, and ``*.md`` below directories."""
    return Checker(_schema(None)).discover(paths)


def check_paths(
    paths: Iterable[str | os.PathLike[str]],
    schema: SchemaLike = None,
    jobs: int | None = None,
    corpus: bool = False,
) -> Iterator[FileResult]:
    """Check every file under ``paths`` (directories: ``*.md``) on ``jobs`` processes.

    Results stream in discovery order. With ``corpus``, the checks across
    files (NC95x: duplicates, ids and order) are merged in too, as
    ``newscheck check`` does; results then come once the last file is checked.
    """
    checker = _checker(schema)
    results = checker.check_paths(paths, jobs)
    return checker.with_corpus(results) if corpus else results
