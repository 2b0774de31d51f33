"""What the subcommands share: exit codes, the error that means exit 2, the
options of the commands that go over files, and turning them into Settings.

Imports nothing heavy at module level: every subcommand module is imported
to build the parser, whichever command then runs.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

    try:
        yield
    except (SchemaError, FileNotFoundError, ConfigError, *also) as error:
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


def show_progress(args: argparse.Namespace) -> bool:
    """Whether ``--progress`` (of :func:`add_process_options`) asks for it now."""
    return args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())


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
    return override(
        settings,
        schema=args.schema,
        select=_split(args.select),
        extend_select=_split(args.extend_select),
        ignore=_split(args.ignore),
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


def _split(values: list[str] | None) -> tuple[str, ...] | None:
    """``--select A,B --select C`` as ("A", "B", "C"); None when not given."""
    if values is None:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def counted(results: Iterator[FileResult], summary: Summary) -> Iterator[FileResult]:
    """``results``, each added to ``summary`` as it goes by."""
    for result in results:
        summary.add(result)
        yield result
