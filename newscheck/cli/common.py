"""What the subcommands share: exit codes, the error that means exit 2, the
options of the commands that go over files, and turning them into Settings.

Imports nothing heavy at module level: every subcommand module is imported
to build the parser, whichever command then runs.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ..config import Settings
    from ..reporters import Summary
    from ..values import FileResult

EXIT_OK, EXIT_DEFECTS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """A problem with the command line, a configuration or a schema: exit 2."""


class Interrupted(Exception):
    """Ctrl-C during a check, after ``checked`` files were checked."""

    def __init__(self, checked: Summary) -> None:
        super().__init__()
        self.checked = checked


@contextlib.contextmanager
def usage_errors(*also: type[Exception]) -> Iterator[None]:
    """Setting up a run: a broken schema or configuration, or a file that is
    not there (and the errors ``also`` names) becomes a UsageError."""
    # config and schema bring jsonschema and yaml: imported once a command sets up
    from ..config import ConfigError
    from ..schema import SchemaError

    caught: tuple[type[Exception], ...] = (SchemaError, FileNotFoundError, ConfigError, *also)
    try:
        yield
    except caught as error:
        raise UsageError(str(error)) from None


def add_config_options(target: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """``--config`` and ``--isolated``: which configuration file is read."""
    target.add_argument("--config", type=Path, help="configuration file (default: found upwards)")
    target.add_argument("--isolated", action="store_true", help="ignore every configuration file")


def add_cache_dir_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument(
        "--cache-dir", help="cache directory (default: .newscheck_cache beside the configuration)"
    )


def add_run_options(
    parser: argparse.ArgumentParser, schema_help: str, verb: str
) -> tuple[Any, Any]:
    """The options of every command that goes over files (``check``,
    ``stats``, ``report``): the paths, the configuration, the rule selection
    (rules ``verb``: run, count). Returns those two option groups."""
    parser.add_argument("paths", nargs="*", default=["."], help="files or directories (default: .)")
    where = parser.add_argument_group("configuration")
    add_config_options(where)
    where.add_argument("--schema", help=schema_help)
    where.add_argument(
        "--reference-time", help="'now' for timestamp rules: epoch seconds or ISO 8601"
    )
    files = parser.add_argument_group("file selection")
    files.add_argument(
        "--extend-exclude",
        action="append",
        metavar="GLOB",
        help="leave these files or folders out too, on top of exclude (.gitignore globs)",
    )
    files.add_argument(
        "--force-exclude",
        action="store_true",
        default=None,
        help="leave out files and folders named on the command line too when exclude matches",
    )
    files.add_argument(
        "--no-respect-gitignore",
        dest="respect_gitignore",
        action="store_false",
        default=None,
        help="walk the files .gitignore and .git/info/exclude leave out too",
    )
    rules = parser.add_argument_group("rule selection")
    for flag, text in (
        ("--select", f"{verb} only these rules: codes, prefixes (NC3), names or ALL"),
        ("--extend-select", f"{verb} these rules on top of the selection"),
        ("--ignore", f"do not {verb} these rules"),
    ):
        rules.add_argument(flag, action="append", metavar="RULES", help=text)
    rules.add_argument(
        "--no-inline-suppressions",
        action="store_true",
        help="ignore the articles' own <!-- newscheck: disable=... --> comments",
    )
    return where, rules


def add_output_file_option(
    target: argparse.ArgumentParser | argparse._ArgumentGroup, text: str, *aliases: str
) -> None:
    """``-o``/``--output-file`` (and older names, ``aliases``): where a command writes."""
    target.add_argument("-o", "--output-file", *aliases, metavar="PATH", help=text)


@contextlib.contextmanager
def output_file(path: str | None, out: TextIO) -> Iterator[TextIO]:
    """The file ``path`` opened to write (UTF-8), or ``out`` when None."""
    if path is None:
        yield out
        return
    try:
        handle = open(path, "w", encoding="utf-8", errors="surrogateescape", newline="\n")  # noqa: SIM115
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}") from None
    with handle:
        yield handle


def add_process_options(parser: argparse.ArgumentParser) -> None:
    """How a command that goes over files runs: workers, cache, progress."""
    parser.add_argument(
        "--jobs", "-j", type=int, default=None, help="worker processes (default: all cores)"
    )
    add_cache_dir_option(parser)
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument(
        "--progress",
        choices=("auto", "always", "never"),
        default="auto",
        help="progress on stderr (auto: when it is a terminal)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="on stderr: the configuration used, each file as its result comes, the time taken",
    )


def show_progress(args: argparse.Namespace) -> bool:
    """Whether ``--progress`` (of :func:`add_process_options`) asks for it now."""
    if args.verbose:  # its lines and a redrawn progress line would garble each other
        return False
    return args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())


def verbose(
    args: argparse.Namespace, settings: Settings, results: Iterator[FileResult]
) -> Iterator[FileResult]:
    """``results``; with ``--verbose``, each one's path said on stderr as it
    comes, after the configuration used, and the time taken once they are all through."""
    if not args.verbose:
        return results
    return _told(settings, results, time.perf_counter())


def _told(settings: Settings, results: Iterator[FileResult], start: float) -> Iterator[FileResult]:
    from ..reporters import printable  # as the settings: not imported to build the parser

    chosen = settings.origins.get("schema", "default")
    where = printable(settings.root) if settings.root else "none (defaults)"
    sys.stderr.write(
        f"newscheck: configuration folder: {where}; schema: {printable(settings.schema)} "
        f"({printable(chosen)})\n"
    )
    files = 0
    for result in results:
        files += 1
        sys.stderr.write(f"newscheck: checked {printable(result.path)}\n")
        yield result
    seconds = time.perf_counter() - start
    sys.stderr.write(f"newscheck: {files} file{'s' * (files != 1)} in {seconds:.2f} s\n")


def configuration(args: argparse.Namespace) -> Settings:
    """The settings of the configuration file that ``--config`` and
    ``--isolated`` choose, before the command line's options."""
    # config brings jsonschema and the schema loader: imported once a command runs
    from ..config import find_config, load_settings

    with usage_errors(ValueError):
        if args.isolated:
            return load_settings(None)
        if args.config is not None:
            return load_settings(args.config)
        # the project's: a configuration inside a checked folder is not asked
        return load_settings(find_config(Path.cwd()))


def run_settings(args: argparse.Namespace) -> Settings:
    """The settings of a command that goes over files: the configuration
    with the options of :func:`add_run_options` and
    :func:`add_process_options` on top."""
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    return command_line(configuration(args), args)


def command_line(settings: Settings, args: argparse.Namespace) -> Settings:
    """``settings`` with the options of :func:`add_run_options` and
    :func:`add_process_options` on top (a nested configuration's too)."""
    # config brings jsonschema and the schema loader: imported once a command runs
    from ..config import override, parse_reference_time

    with usage_errors(ValueError):
        reference = parse_reference_time(args.reference_time) if args.reference_time else None
    chosen = {
        flag: _selectors(flag, values)
        for flag, values in (
            ("--select", args.select),
            ("--extend-select", args.extend_select),
            ("--ignore", args.ignore),
        )
    }
    return override(
        settings,
        schema=args.schema,
        select=chosen["--select"],
        extend_select=chosen["--extend-select"],
        ignore=chosen["--ignore"],
        extend_exclude=(*settings.extend_exclude, *args.extend_exclude)
        if args.extend_exclude
        else None,
        force_exclude=args.force_exclude,
        respect_gitignore=args.respect_gitignore,
        reference_time=reference,
        cache=False if args.no_cache else None,
        cache_dir=args.cache_dir,
        inline_suppressions=False if args.no_inline_suppressions else None,
    )


def _selectors(flag: str, values: list[str] | None) -> tuple[str, ...] | None:
    """``--select A,B --select C`` as ("A", "B", "C"); None when not given.
    A selector that names no rule is a UsageError naming the option."""
    # the rules' registry: not imported to build the parser
    from ..selection import UnknownSelector, union

    if values is None:
        return None
    selectors = tuple(part.strip() for value in values for part in value.split(",") if part.strip())
    try:
        union(selectors)
    except UnknownSelector as error:
        raise UsageError(f"{flag}: {error}") from None
    return selectors


def counted(results: Iterator[FileResult], summary: Summary) -> Iterator[FileResult]:
    """``results``, each added to ``summary`` as it goes by."""
    for result in results:
        summary.add(result)
        yield result
