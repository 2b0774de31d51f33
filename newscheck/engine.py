"""The check engine: one file in, one FileResult out (source → article →
rules → diagnostics), and :class:`Checker`, the façade a run goes through.

The CLI, the pytest plugin and the Python API (:mod:`newscheck.api`) all run a Checker. The
rooms of a run: :mod:`newscheck.discovery` finds the files,
:mod:`newscheck.reading` reads one, :mod:`newscheck.cachekey` finds results
in the cache, :mod:`newscheck.runner` checks the others on worker processes.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import cachekey, corpus_run, reading, runner, suppress
from . import source as sources
from .article import Article, Status
from .budget import Budget, OverBudget
from .cache import Cache, Entry
from .cachekey import Checked, ContentKey
from .choice import apply_profile, choose, no_fit
from .discovery import Discovery, PerFileIgnores, ignored_codes, matched
from .facts import facts
from .registry import REGISTRY, Rule
from .rules import all_rules
from .schema import Schema
from .source import Source
from .values import Diagnostic, FileResult, Severity, Span

if TYPE_CHECKING:
    from .parse import Layout

_EXCERPT_BEFORE, _EXCERPT_AFTER = 40, 100
_FEW = 16  # named files fewer than this are checked on one worker


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


@dataclass(frozen=True)
class Checker:
    """Everything a run needs to check one file: built once, then applied to
    each; and the façade of a run (its files found, looked up in the cache,
    checked on workers, the checks across files merged in)."""

    schema: Schema
    per_file_ignores: PerFileIgnores = ()
    root: str = ""
    discovery: Discovery = field(default_factory=Discovery)  # the files a run over folders checks
    cache: Cache | None = None
    choices: tuple[Schema, ...] = ()  # --schema auto: the schemas to choose from, per file
    # --schema auto: the configuration's schemas that take the files their globs match
    assigned: tuple[tuple[tuple[str, ...], Schema], ...] = ()
    inline_suppressions: bool = True  # whether an article's own comments may silence rules
    unsuppressible: frozenset[str] = frozenset(suppress.UNSUPPRESSIBLE)  # codes none may

    def check_source(self, source: Source) -> FileResult:
        """Parse ``source``, run every enabled rule, apply the suppressions;
        stop where the time budget (NC012) runs out."""
        ignored = self.ignored(source.path)
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
            file_facts = facts(article) if article.parts and article.html_span else {}
        except Exception as error:  # a bug here must not stop the run either
            file_facts = {}
            failed = f"{type(error).__name__}: {error}"
            message = f"the facts for the checks across files failed: {failed}"
            internal = REGISTRY["NC000"]
            diagnostics.append(_diagnostic(source, internal, Severity.ERROR, Span(0, 0), message))
        if article.parts and sum(p.status is Status.OK for p in article.parts.values()) < 2:
            diagnostics = _first_line_only(diagnostics)
        diagnostics.sort(key=Diagnostic.sort_key)
        if file_facts and later:  # corpus rules run later: they need the file's suppressions
            deferred = suppress.deferred_codes(found, later, self.unsuppressible)
            if deferred:
                file_facts["suppress"] = deferred
        return FileResult(source.path, tuple(diagnostics), file_facts, chosen)

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

    def ignored(self, path: str) -> frozenset[str]:
        """The codes ``per-file-ignores`` silences for ``path``."""
        return ignored_codes(path, self.root, self.per_file_ignores)

    def _choose(self, source: Source) -> tuple[Schema, Layout, bool]:
        """The schema for a file under ``auto``, the layout it finds, and
        whether a configured glob chose it (rather than the layout's fit)."""
        from .parse import match_layout  # here: a result served from the cache needs no parser

        if self.assigned:
            for globs, schema in self.assigned:
                if matched(source.path, self.root, globs):
                    return schema, match_layout(source, schema), True
        return (*choose(source, self.choices), False)

    @property
    def max_bytes(self) -> int:
        return int(self.schema.rules["NC009"].options["max_bytes"])

    def check_file(self, path: str | os.PathLike[str]) -> FileResult:
        return self.check_source(reading.read_source(os.fspath(path), self.max_bytes))

    def schema_of(self, path: str) -> str | None:
        """The schema ``--schema auto`` would choose for the file (None without
        auto, or for a file that cannot be read)."""
        if not self.choices:
            return None
        source = reading.read_source(path, self.max_bytes)
        if source.unreadable is not None:
            return None
        return self._choose(source)[0].name

    # A run: the files found (discovery), their results through the cache
    # (cachekey), checked on worker processes (runner), the checks across files.

    def discover(self, paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
        """The files a run over ``paths`` checks (see :class:`Discovery`)."""
        return self.discovery.discover(paths)

    def content_key(self, path: str, data: bytes) -> str:
        """A file's content key in the cache: its bytes, and the rules ignored for its path."""
        assert self.cache is not None
        return self.cache.content_key(data, self.ignored(path))

    def cached(self, paths: list[str]) -> dict[str, FileResult]:
        """Results the cache holds for ``paths`` whose size and time are unchanged."""
        return {} if self.cache is None else cachekey.by_status(self.cache, paths)

    def check_uncached(self, paths: list[str]) -> list[Checked]:
        """Results of files the cache does not know by their time (all, without
        a cache), each with what the cache should learn from it."""
        cache = self.cache
        if cache is None:
            return [(self.check_file(path), None) for path in paths]
        here = os.getcwd()
        return [cachekey.by_content(self, cache, path, here) for path in paths]

    def check_paths(
        self,
        paths: Iterable[str | os.PathLike[str]],
        jobs: int | None = None,
        contents: ContentKey | None = None,
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

    def check_files(
        self, files: Iterable[str], jobs: int | None = None, contents: ContentKey | None = None
    ) -> Iterator[FileResult]:
        """Check these files (no discovery), in order, on ``jobs`` processes;
        ``contents`` learns each file's content key (from the cache's entries)."""
        jobs = jobs or os.cpu_count() or 1
        writes = runner.BatchedWrites(self._store)
        try:
            for result, entry in runner.in_order(files, self._cached, lambda: self._workers(jobs)):
                if contents is not None:
                    contents.add(result.path, entry.key if entry is not None else None)
                if entry is not None:
                    writes.add(entry)
                yield result
            writes.flush()
        finally:
            if self.cache is not None:
                self.cache.close()

    def check_run(
        self,
        paths: Iterable[str | os.PathLike[str]],
        jobs: int | None = None,
        watch: Callable[[Iterator[FileResult], int], Iterator[FileResult]] | None = None,
    ) -> Iterator[FileResult]:
        """What ``newscheck check`` reports: :meth:`check_paths` with the checks
        across files merged in, replayed whole from the cache when it holds
        this very run (:func:`newscheck.cachekey.whole_run`). ``watch`` sees
        the results (and the number of files) before the checks across files
        hold them back."""
        named = [os.fspath(p) for p in paths]

        def check(total: int, contents: ContentKey | None) -> Iterator[FileResult]:
            results = self.check_paths(named, jobs, contents)
            if watch is not None:
                results = watch(results, total)
            return self.with_corpus(results, facts=False)

        return cachekey.whole_run(self, named, check)

    def with_corpus(
        self, results: Iterable[FileResult], facts: bool = True
    ) -> Iterator[FileResult]:
        """``results`` with the diagnostics of the enabled corpus rules (checks
        across files, :mod:`newscheck.corpus_run`) merged in, in the same order.

        The corpus is complete only after the last file, so the results are
        held back (in a temporary file) until then; with no corpus rule
        enabled they pass straight through. Without ``facts`` the results
        come back without their facts (cheaper), as from a replayed run."""
        if not corpus_run.enabled(self.schema.rules):
            return iter(results)
        return corpus_run.merged(results, self.schema.rules, self.ignored, facts)

    def _store(self, entries: list[Entry]) -> None:
        if self.cache is not None:
            self.cache.store(entries)

    def _cached(self, paths: list[str]) -> dict[str, Checked]:
        return {path: (result, None) for path, result in self.cached(paths).items()}

    def _workers(self, jobs: int) -> runner.Workers:
        """Worker processes for this run; one past its file's deadline (the
        time budget and half as much again) is stopped, the file reported NC012."""
        limit = self.schema.rules["NC012"]
        seconds = float(limit.options["seconds"]) if limit.severity is not None else None
        deadline = None if seconds is None else seconds * 1.5 + 1
        return runner.Workers(jobs, self._check_one, self._abandoned, deadline, runner.start_worker)

    def _check_one(self, path: str) -> Checked:
        return self.check_uncached([path])[0]

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
