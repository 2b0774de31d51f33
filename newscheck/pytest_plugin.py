"""The pytest plugin: article files as test items, and fixtures for scraper tests.

``pytest --newscheck [PATHS]`` collects every article file as one test item
(its node id is its path) that fails with the diagnostics as ``newscheck
check --show-source`` prints them. The fixtures ``newscheck``,
``article_factory`` and ``article_snapshot`` serve tests of the code that
writes articles. See docs/pytest.md.

pytest loads this module in every project that has newscheck installed, so it
imports nothing of newscheck until a hook or a fixture needs it. All state
lives in ``config.stash``.

Checks across files (duplicate URLs and the other corpus rules) need every
file's result at once: one more item, ``newscheck::corpus``, appended after
the article items, takes the results of the articles the session runs (from
the result cache when it knows them, else checked again) and fails with the
corpus diagnostics, file by file, as ``newscheck check`` prints them.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

# Every pytest run loads this plugin: the modules of newscheck (the engine, the
# configuration, the rules and so lxml, jsonschema and re2) are imported in
# the functions of a newscheck run, not here.
if TYPE_CHECKING:
    from .cache import Entry
    from .config import Settings
    from .engine import Checker
    from .render import ArticleFactory
    from .runner import BatchedWrites
    from .schema import Schema
    from .values import Diagnostic, FileResult

SNAPSHOT_USED = "newscheck-snapshot"  # user_properties that reach the controller under xdist
SNAPSHOT_WRITTEN = "newscheck-snapshot-written"
_DESELECTED = "newscheck_deselected"  # in an xdist worker's workeroutput
_LOOKUP_CHUNK = 500


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("newscheck", "newscheck: validate scraped article files")
    group.addoption(
        "--newscheck",
        action="store_true",
        help="collect article files (newscheck_files, else the configured include globs) as tests",
    )
    group.addoption(
        "--newscheck-schema", metavar="NAME|FILE", help="schema (default: the newscheck config's)"
    )
    group.addoption(
        "--newscheck-fail-on",
        choices=("error", "warning"),
        help="lowest severity that fails an article (default: error)",
    )
    group.addoption(
        "--newscheck-update-snapshots",
        action="store_true",
        help="rewrite article snapshots that differ, and delete unused ones after a full run",
    )
    group.addoption(
        "--newscheck-fail-unused-snapshots",
        action="store_true",
        help="fail the run when snapshots no test used remain (in the modules that ran in full)",
    )
    group.addoption(
        "--newscheck-no-cache", action="store_true", help="neither read nor write the result cache"
    )
    parser.addini(
        "newscheck_files",
        type="linelist",
        default=[],
        help="globs of article files relative to rootdir, e.g. corpus/**/*.md",
    )
    parser.addini(
        "newscheck_schema", default="", help="schema name or file (relative to the ini file)"
    )
    parser.addini("newscheck_fail_on", default="", help="error or warning")


@dataclasses.dataclass(frozen=True)
class Options:
    """The plugin's options, from the command line over the ini file."""

    collect: bool
    files: tuple[str, ...]
    schema: str | None
    fail_on: str | None
    update_snapshots: bool
    fail_unused_snapshots: bool
    cache: bool

    @classmethod
    def of(cls, config: pytest.Config) -> Options:
        schema = config.getoption("newscheck_schema") or _ini_schema(config)
        fail_on = config.getoption("newscheck_fail_on") or config.getini("newscheck_fail_on")
        if fail_on not in ("", "error", "warning"):
            raise pytest.UsageError(
                f"newscheck_fail_on: expected error or warning, found {fail_on!r}"
            )
        return cls(
            collect=bool(config.getoption("newscheck")),
            files=tuple(config.getini("newscheck_files")),
            schema=schema or None,
            fail_on=fail_on or None,
            update_snapshots=bool(config.getoption("newscheck_update_snapshots")),
            fail_unused_snapshots=bool(config.getoption("newscheck_fail_unused_snapshots")),
            cache=not config.getoption("newscheck_no_cache"),
        )


def _ini_schema(config: pytest.Config) -> str:
    """The ini's schema: a file relative to the ini file's folder, or a name."""
    value = str(config.getini("newscheck_schema"))
    if not value:
        return ""
    folder = config.inipath.parent if config.inipath else config.rootpath
    candidate = folder / value
    return str(candidate) if candidate.is_file() else value


class Run:
    """One process's share of a pytest run: settings, checker, cache traffic,
    and what the snapshot report needs."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.options = Options.of(config)
        self.deselected: set[str] = set()  # test modules with a deselected test
        self._cached: dict[str, FileResult] | None = None

    @functools.cached_property
    def settings(self) -> Settings:
        """The project's newscheck config (found from rootdir), under the plugin's options."""
        from .config import ConfigError, find_config, load_settings, override  # here: see the top

        try:
            settings = load_settings(find_config(self.config.rootpath))
        except ConfigError as error:
            raise pytest.UsageError(f"newscheck: {error}") from None
        if not settings.root:  # no config file: the project is pytest's rootdir
            settings = dataclasses.replace(settings, root=str(self.config.rootpath))
        return override(
            settings,
            "pytest",
            schema=self.options.schema,
            fail_on=self.options.fail_on,
            cache=None if self.options.cache else False,
        )

    @functools.cached_property
    def checker(self) -> Checker:
        from .cli.common import UsageError  # here: see the top
        from .cli.wiring import build_checker  # here: see the top

        try:
            return build_checker(self.settings)
        except UsageError as error:
            raise pytest.UsageError(f"newscheck: {error}") from None

    @functools.cached_property
    def threshold(self) -> int:
        from .values import Severity  # here: see the top

        return Severity.parse(self.settings.fail_on)

    @functools.cached_property
    def _files(self) -> re.Pattern[str] | None:
        from .discovery import path_globs  # here: see the top

        return path_globs(self.options.files) if self.options.files else None

    @functools.cached_property
    def _named(self) -> frozenset[str]:
        """The paths named on pytest's command line, absolute."""
        here = self.config.invocation_params.dir
        return frozenset(
            os.path.abspath(os.path.join(here, arg.split("::")[0])) for arg in self.config.args
        )

    def collects(self, path: Path) -> bool:
        """Whether ``path`` is an article file to check: it matches
        ``newscheck_files`` (else the config's ``include``) and no ``exclude``;
        a symbolic link, or an ``article_snapshot`` golden file, only when
        named on pytest's command line (as ``newscheck check`` walks folders)."""
        from . import snapshots  # here: see the top

        hidden = path.is_symlink() or snapshots.is_folder(str(path.parent))
        if hidden and str(path) not in self._named:
            return False
        if self._files is None:
            return self.checker.discovery.wants(str(path))
        relative = os.path.relpath(path, self.config.rootpath).replace(os.sep, "/")
        excluded = self.checker.discovery.excluded(str(path))
        return self._files.fullmatch(relative) is not None and not excluded

    def result(self, path: str, session: pytest.Session) -> FileResult:
        """A file's result: from the cache when it knows the file, else checked
        (and remembered for the cache)."""
        if self._cached is None:
            self._cached = self._look_up(session)
        cached = self._cached.pop(path, None)
        if cached is not None:
            return cached
        ((result, entry),) = self.checker.check_uncached([path])
        if entry is not None:
            self._writes.add(entry)
        return result

    def _look_up(self, session: pytest.Session) -> dict[str, FileResult]:
        """What the cache knows of every collected article, in a few queries."""
        cached: dict[str, FileResult] = {}
        for chunk in _chunks(_article_paths(session)):
            cached.update(self.checker.cached(chunk))
        return cached

    def results(self, paths: list[str]) -> Iterator[FileResult]:
        """The results of ``paths`` in order: from the cache when it knows them
        (after storing what this process learned), else checked here."""
        self.store()
        for chunk in _chunks(paths):
            cached = self.checker.cached(chunk)
            checked = iter(self.checker.check_uncached([p for p in chunk if p not in cached]))
            for path in chunk:
                yield cached[path] if path in cached else next(checked)[0]

    @functools.cached_property
    def _writes(self) -> BatchedWrites[Entry]:
        """What the cache should learn from the files checked here, written in batches."""
        from .runner import BatchedWrites  # here: see the top

        cache = self.checker.cache
        assert cache is not None  # only a run with a cache learns anything
        return BatchedWrites(cache.store)

    def store(self) -> None:
        """Write what the cache should learn from the files checked so far."""
        writes = vars(self).get("_writes")  # a run that checked nothing did not make it
        if writes is not None:
            writes.flush()

    def close(self) -> None:
        self.store()
        built = vars(self).get("checker")  # a run that never needed it did not build it
        if built is not None and built.cache is not None:
            built.cache.close()


_RUN = pytest.StashKey[Run]()
_CONFIGURED: list[pytest.Config] = []  # sessions configured in this process, innermost last


def project_schema() -> Schema:
    """The schema the project's newscheck configuration gives, with its rule
    settings: in a pytest session, as the plugin reads it (found from the
    rootdir, under the ``newscheck_schema`` and ``--newscheck-schema``
    options); elsewhere, from the configuration found from the working folder."""
    if _CONFIGURED:
        return _run(_CONFIGURED[-1]).checker.schema
    from .cli.wiring import build_checker  # here: see the top
    from .config import find_config, load_settings, override  # here: see the top

    settings = load_settings(find_config(Path.cwd()))
    return build_checker(override(settings, cache=False)).schema


def _article_paths(session: pytest.Session) -> list[str]:
    return [str(item.path) for item in session.items if isinstance(item, ArticleItem)]


def _chunks(paths: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(paths), _LOOKUP_CHUNK):
        yield paths[start : start + _LOOKUP_CHUNK]


def _run(config: pytest.Config) -> Run:
    return config.stash[_RUN]


def pytest_configure(config: pytest.Config) -> None:
    run = config.stash[_RUN] = Run(config)
    _CONFIGURED.append(config)
    if not hasattr(config, "workerinput"):  # the controller, or a run without xdist
        config.pluginmanager.register(SnapshotLedger(config), "newscheck-snapshots")
    if run.options.collect:
        run.checker  # noqa: B018 - a broken config or schema stops the run here, once
        _add_file_roots(config, run.options.files)


def _add_file_roots(config: pytest.Config, globs: tuple[str, ...]) -> None:
    """With no paths on the command line, also walk the folders that
    ``newscheck_files`` globs start from (``corpus`` for ``corpus/**/*.md``)."""
    if not globs or config.args_source is pytest.Config.ArgsSource.ARGS:
        return
    from .discovery import glob_folder  # here: see the top

    walked = [Path(arg).resolve() for arg in config.args]
    for glob in globs:
        root = (config.rootpath / glob_folder(glob)).resolve()
        if root.is_dir() and not any(root.is_relative_to(w) for w in walked):
            config.args.append(str(root))
            walked.append(root)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> ArticleItem | None:
    run = parent.config.stash.get(_RUN, None)
    if run is None or not run.options.collect or not run.collects(file_path):
        return None
    from .reporters import printable  # here: see the top

    name = printable(file_path.name)  # pytest prints the node id as it is
    nodeid = f"{parent.nodeid}/{name}" if parent.nodeid else name
    return ArticleItem.from_parent(parent, name=name, path=file_path, nodeid=nodeid)


CORPUS_NODEID = "newscheck::corpus"


def pytest_collection_modifyitems(session: pytest.Session, items: list[pytest.Item]) -> None:
    """One corpus item after the article items, when any corpus rule is on."""
    run = session.config.stash.get(_RUN, None)
    if run is None or not run.options.collect:
        return
    if not any(isinstance(item, ArticleItem) for item in items):
        return
    from .corpus_run import enabled  # here: see the top

    if enabled(run.checker.schema.rules):
        items.append(CorpusItem.from_parent(session, name="corpus", nodeid=CORPUS_NODEID))


def pytest_deselected(items: list[pytest.Item]) -> None:
    if not items:
        return
    config = items[0].config
    deselected = config.stash[_RUN].deselected
    deselected.update(str(item.path) for item in items)
    if hasattr(config, "workeroutput"):
        config.workeroutput[_DESELECTED] = sorted(deselected)


def pytest_sessionfinish(session: pytest.Session) -> None:
    run = session.config.stash.get(_RUN, None)
    if run is not None:
        run.close()


def pytest_unconfigure(config: pytest.Config) -> None:
    if config in _CONFIGURED:
        _CONFIGURED.remove(config)


class ArticleFailed(Exception):
    """An article with diagnostics at or above ``fail-on``; the text is the report."""


class _Reporting(pytest.Item):
    """An item whose outcome is a set of results, shown as the CLI shows them."""

    def report(self, results: list[FileResult]) -> None:
        """Fail with ``results`` (paths as :meth:`display` gives them) if a
        diagnostic is at or above ``fail-on``, leading with what failed them
        (those diagnostics first, in the files that have them first: the
        summary line shows the first); else keep them as a report section
        (shown with ``-rP``)."""
        threshold = _run(self.config).threshold

        def passes(diagnostic: Diagnostic) -> bool:
            return diagnostic.severity < threshold

        ordered = [
            dataclasses.replace(r, diagnostics=tuple(sorted(r.diagnostics, key=passes)))
            for r in results
            if r.diagnostics
        ]
        ordered.sort(key=lambda result: passes(result.diagnostics[0]))  # stable: found order
        report = "\n".join(cli_text(result) for result in ordered)
        if ordered and not passes(ordered[0].diagnostics[0]):
            raise ArticleFailed(report)
        if report:
            self.add_report_section("call", "newscheck", report)

    def display(self, path: str | os.PathLike[str]) -> str:
        """A path as ``newscheck check`` prints it when run from the same folder."""
        return os.path.relpath(path, self.config.invocation_params.dir)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> Any:
        if isinstance(excinfo.value, ArticleFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)


class ArticleItem(_Reporting):
    """One article file, checked against the project's schema."""

    def runtest(self) -> None:
        result = _run(self.config).result(str(self.path), self.session)
        self.report([dataclasses.replace(result, path=self.display(self.path))])

    def reportinfo(self) -> tuple[Path, None, str]:
        # the failure's heading; pytest rewrites a domain that ends the node id
        return self.path, None, f"{self.nodeid} (newscheck)"


class CorpusItem(_Reporting):
    """The checks across the session's article files (duplicates, ids, order):
    it fails with each file's corpus diagnostics."""

    def runtest(self) -> None:
        from .registry import REGISTRY  # here: see the top

        run = _run(self.config)
        results = (
            dataclasses.replace(result, path=self.display(result.path))
            for result in run.results(_article_paths(self.session))
        )
        found = []
        for result in run.checker.with_corpus(results, facts=False):
            across = tuple(d for d in result.diagnostics if REGISTRY[d.code].corpus)
            if across:
                found.append(dataclasses.replace(result, diagnostics=across))
        self.report(found)

    def reportinfo(self) -> tuple[str, None, str]:
        return "newscheck", None, f"{self.nodeid} (across files)"


def cli_text(result: FileResult) -> str:
    """The diagnostics exactly as ``newscheck check --show-source`` prints them."""
    from .reporters import ReportContext  # here: see the top
    from .reporters.text import TextReporter  # here: see the top

    stream = io.StringIO()
    TextReporter(stream, ReportContext(color=False, show_source=True, statistics=False)).file(
        result
    )
    return stream.getvalue().rstrip("\n")


# --- fixtures ------------------------------------------------------------------


class Newscheck:
    """newscheck configured as the project configures it (the ``newscheck`` fixture)."""

    def __init__(self, checker: Checker, fail_on: str) -> None:
        self.checker = checker
        self.fail_on = fail_on

    def check_text(self, text: str | bytes, path: str = "<text>") -> FileResult:
        """Check an article given as text (or bytes, decoded as strict UTF-8)."""
        from . import source  # here: see the top

        if isinstance(text, bytes):
            return self.checker.check_source(source.from_bytes(text, path))
        return self.checker.check_source(source.from_text(text, path))

    def check_file(self, path: str | os.PathLike[str]) -> FileResult:
        return self.checker.check_file(path)

    def assert_valid(
        self, text_or_path: str | bytes | os.PathLike[str], allow: str | Iterable[str] = ()
    ) -> FileResult:
        """Fail unless the article has no diagnostic at or above ``fail-on``.

        A ``str`` (or ``bytes``) is the article's text, a path-like object
        names a file. ``allow`` takes codes, code prefixes or rule names whose
        diagnostics do not count. The failure lists every other diagnostic as
        ``newscheck check --show-source`` prints it.
        """
        __tracebackhide__ = True
        from .reporters import printable  # here: see the top
        from .selection import union  # here: see the top
        from .values import Severity  # here: see the top

        if isinstance(text_or_path, os.PathLike):
            result = self.check_file(text_or_path)
        else:
            result = self.check_text(text_or_path)
        allowed = union((allow,) if isinstance(allow, str) else allow)
        counted = tuple(d for d in result.diagnostics if d.code not in allowed)
        threshold = Severity.parse(self.fail_on)
        failing = [d for d in counted if d.severity >= threshold]
        if failing:
            raise AssertionError(
                f"{printable(result.path)}: {len(failing)} diagnostic(s) at or above "
                f"{self.fail_on}:\n" + cli_text(dataclasses.replace(result, diagnostics=counted))
            )
        return result


@pytest.fixture(scope="session")
def newscheck(pytestconfig: pytest.Config) -> Newscheck:
    """Check articles as the project's newscheck configuration says."""
    run = _run(pytestconfig)
    return Newscheck(run.checker, run.settings.fail_on)


@pytest.fixture(scope="session")
def article_factory(pytestconfig: pytest.Config) -> ArticleFactory:
    """``article_factory(**fields)``: sound article text for the project's
    schema, any field overridden; the text always reads back as given."""
    from .render import ArticleFactory  # here: see the top

    return ArticleFactory(_run(pytestconfig).checker.schema)


class ArticleSnapshot:
    """Golden files for rendered articles (the ``article_snapshot`` fixture).

    The snapshots of ``tests/test_render.py`` live in
    ``tests/snapshots/test_render/``, named after each test's node id within
    its module (:mod:`newscheck.snapshots`).
    """

    def __init__(self, request: pytest.FixtureRequest, newscheck: Newscheck) -> None:
        from . import snapshots  # here: see the top

        self._node = request.node
        self._newscheck = newscheck
        self._update = _run(request.config).options.update_snapshots
        self._root = request.config.rootpath
        self.directory = snapshots.folder(request.node.path)
        self._names: set[str] = set()

    def path(self, name: str | None = None) -> Path:
        from . import snapshots  # here: see the top

        return self.directory / snapshots.name_of(self._node.nodeid, name or None)

    def assert_match(self, text: str, name: str | None = None) -> None:
        """Compare ``text`` with the stored snapshot; ``--newscheck-update-snapshots``
        (re)writes it. A text that does not validate is refused either way."""
        __tracebackhide__ = True
        path = self.path(name)
        shown = os.path.relpath(path, self._root)
        if path.name in self._names:
            raise ValueError(f"snapshot {shown} is used twice in this test: give each a name")
        self._names.add(path.name)
        self._node.user_properties.append((SNAPSHOT_USED, str(path)))
        try:
            self._newscheck.assert_valid(text)
        except AssertionError as error:
            raise AssertionError(
                f"refusing snapshot {shown}: the article does not validate\n{error}"
            ) from None
        stored = path.read_bytes().decode("utf-8") if path.is_file() else None
        if stored == text:
            return
        if self._update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            self._node.user_properties.append((SNAPSHOT_WRITTEN, str(path)))
            return
        if stored is None:
            raise AssertionError(
                f"no snapshot {shown}: run pytest with --newscheck-update-snapshots to write it"
            )
        import difflib  # here: only for a mismatch

        diff = difflib.unified_diff(
            stored.splitlines(keepends=True), text.splitlines(keepends=True), shown, "rendered"
        )
        raise AssertionError(
            f"the article differs from snapshot {shown} "
            "(--newscheck-update-snapshots rewrites it):\n" + "".join(_visible(diff))
        )


def _visible(lines: Iterator[str]) -> Iterator[str]:
    """Diff lines with their line ends shown, so a lost newline is seen."""
    for line in lines:
        yield line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"


@pytest.fixture
def article_snapshot(request: pytest.FixtureRequest, newscheck: Newscheck) -> ArticleSnapshot:
    """Compare rendered articles with golden files under ``snapshots/``."""
    return ArticleSnapshot(request, newscheck)


class SnapshotLedger:
    """Which snapshots the run used and wrote, reported at the end.

    Two tests that use one snapshot file (the same ``name`` given twice, or
    names that differ only in case) fail the run. Unused snapshots are
    looked for only in the modules that ran in full: no test deselected,
    skipped or failed, none named alone (``file.py::test``), so a snapshot
    of a test that did not run is never called unused. They are reported;
    ``--newscheck-fail-unused-snapshots`` fails the run on them, and a
    passing run with ``--newscheck-update-snapshots`` deletes them.

    Registered on the xdist controller (or the only process): snapshot use
    comes with each test report, so workers need no channel of their own.
    """

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.used: set[str] = set()
        self.owners: dict[str, tuple[str, str]] = {}  # file-system key -> (path, first test)
        self.shared: dict[str, set[str]] = {}  # path -> the tests that used it
        self.written: list[Path] = []
        self.modules: set[str] = set()
        self.partial: set[str] = set()  # modules with a skipped or failed test
        self.unused: list[Path] = []
        self.deleted: list[Path] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for key, value in report.user_properties:
            if key == SNAPSHOT_USED:
                self._claim(str(value), report.nodeid)
            elif key == SNAPSHOT_WRITTEN and report.when == "call":
                self.written.append(Path(str(value)))
        if report.location[0].endswith(".py"):
            module = os.path.normpath(self.config.rootpath / report.location[0])
            self.modules.add(module)
            if report.skipped or report.failed:
                self.partial.add(module)

    def _claim(self, path: str, nodeid: str) -> None:
        """Note that test ``nodeid`` used the snapshot ``path``."""
        self.used.add(path)
        key = unicodedata.normalize("NFC", path).casefold()  # one file where case is not told
        first, owner = self.owners.setdefault(key, (path, nodeid))
        if owner != nodeid:
            self.shared.setdefault(first, {owner}).add(nodeid)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """xdist: a worker that deselected tests says which when it ends."""
        _run(self.config).deselected.update(getattr(node, "workeroutput", {}).get(_DESELECTED, ()))

    def _named_alone(self) -> set[str]:
        """The modules one of whose tests pytest's command line names."""
        here = self.config.invocation_params.dir
        return {
            os.path.normpath(here / arg.split("::")[0]) for arg in self.config.args if "::" in arg
        }

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        from . import snapshots  # here: see the top

        run = _run(self.config)
        judged = self.modules - self.partial - run.deselected - self._named_alone()
        delete = run.options.update_snapshots and exitstatus == 0 and not self.shared
        for module in sorted(judged):
            for path in sorted(snapshots.folder(Path(module)).glob("*" + snapshots.SUFFIX)):
                if str(path) in self.used:
                    continue
                if delete:
                    path.unlink()
                    self.deleted.append(path)
                else:
                    self.unused.append(path)
        failing = self.shared or (self.unused and run.options.fail_unused_snapshots)
        if failing and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not (self.written or self.deleted or self.unused or self.shared):
            return
        terminalreporter.section("newscheck snapshots")
        shown = functools.partial(os.path.relpath, start=self.config.rootpath)
        for shared, tests in sorted(self.shared.items()):
            terminalreporter.write_line(
                f"ERROR: {len(tests)} tests use snapshot {shown(shared)} (give each its own name):",
                red=True,
            )
            for nodeid in sorted(tests):
                terminalreporter.write_line(f"  {nodeid}")
        for title, paths in (
            ("written", self.written),
            ("deleted (no test used them)", self.deleted),
            ("unused (no test used them)", self.unused),
        ):
            if paths:
                terminalreporter.write_line(f"{len(paths)} {title}:")
                for path in paths:
                    terminalreporter.write_line(f"  {shown(path)}")
        if self.unused:
            terminalreporter.write_line(
                "a passing run with --newscheck-update-snapshots deletes unused snapshots"
            )
