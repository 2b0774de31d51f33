"""The command line: parse options, build the parts, run, return an exit code.

Exit codes: 0 no failing diagnostics, 1 failing diagnostics found, 2 usage,
configuration, schema or internal error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__
from .registry import Rule
from .reporters import printable, printable_lines
from .rules import all_rules, lookup
from .values import Severity

if TYPE_CHECKING:
    from .config import Settings
    from .reporters import Summary
    from .values import FileResult

EXIT_OK, EXIT_DEFECTS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """A problem with the command line, a configuration or a schema: exit 2."""


class Interrupted(Exception):
    """Ctrl-C during a check, after ``checked`` files were checked."""

    def __init__(self, checked: Summary) -> None:
        super().__init__()
        self.checked = checked


def _split(values: list[str] | None) -> tuple[str, ...] | None:
    """``--select A,B --select C`` as ("A", "B", "C"); None when not given."""
    if values is None:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def add_run_options(
    parser: argparse.ArgumentParser, schema_help: str, verb: str
) -> tuple[Any, Any]:
    """The options of every command that goes over files (``check``,
    ``stats``, ``report``): the paths, the configuration, the rule selection
    (rules ``verb``: run, count). Returns those two option groups."""
    parser.add_argument("paths", nargs="*", default=["."], help="files or directories (default: .)")
    where = parser.add_argument_group("configuration")
    where.add_argument("--config", type=Path, help="configuration file (default: found upwards)")
    where.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    where.add_argument("--schema", help=schema_help)
    where.add_argument(
        "--reference-time", help="'now' for timestamp rules: epoch seconds or ISO 8601"
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newscheck",
        description="Validate scraped news article files against a declared schema.",
    )
    parser.add_argument("--version", action="version", version=f"newscheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="check article files and directories")
    where, rules = add_run_options(
        check,
        "built-in schema name, schema file, or 'auto' (per file, the built-in "
        "schema whose layout fits) (default: feed-article)",
        "run",
    )
    where.add_argument("--show-settings", action="store_true", help="print the resolved settings")
    where.add_argument(
        "--show-files",
        action="store_true",
        help="list the files that would be checked (with --schema auto: a tab, and the schema)",
    )
    rules.add_argument("--baseline", type=Path, help="report only diagnostics not in this baseline")
    rules.add_argument(
        "--write-baseline", type=Path, help="record today's diagnostics in a baseline"
    )
    out = check.add_argument_group("output")
    out.add_argument(
        "--output-format",
        action="append",
        metavar="FORMAT[:PATH]",
        help="text, concise, json, jsonl, github, junit, sarif or gitlab; repeatable",
    )
    out.add_argument("--show-source", action=argparse.BooleanOptionalAction, default=None)
    out.add_argument("--statistics", action="store_true", default=None, help="add per-rule counts")
    out.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    out.add_argument("--fail-on", choices=("error", "warning"), help="lowest failing severity")
    out.add_argument("--exit-zero", action="store_true", help="exit 0 even when defects are found")
    add_process_options(check)

    clean = commands.add_parser("clean", help="remove the result cache")
    clean.add_argument("--config", type=Path, help="configuration file (default: found upwards)")
    clean.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    _cache_options(clean)

    rule = commands.add_parser("rule", help="print a rule's documentation")
    target = rule.add_mutually_exclusive_group(required=True)
    target.add_argument("code", nargs="?", help="rule code (NC101) or name (missing-timestamp)")
    target.add_argument("--all", action="store_true", help="every rule")
    from .schema_cli import add_parser

    add_parser(commands)
    from .corpus_cli import add_parsers

    add_parsers(commands)  # stats, report
    return parser


def add_process_options(parser: argparse.ArgumentParser) -> None:
    """How a command that goes over files runs: workers, cache, progress."""
    parser.add_argument(
        "--jobs", "-j", type=int, default=None, help="worker processes (default: all cores)"
    )
    _cache_options(parser)
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument(
        "--progress",
        choices=("auto", "always", "never"),
        default="auto",
        help="progress on stderr (auto: when it is a terminal)",
    )


def _cache_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cache-dir", help="cache directory (default: .newscheck_cache beside the configuration)"
    )


def rule_doc(rule: Rule) -> str:
    """A rule's documentation as ``newscheck rule`` prints it: plain text."""
    from .docs import plain_docstring, plain_options

    severity = str(rule.severity) if rule.severity else "off"
    lines = [f"{rule.code} {rule.name}", "", f"Default severity: {severity}", *plain_options(rule)]
    return "\n".join([*lines, "", plain_docstring(rule.doc), ""])


def _rule(code: str | None, out: TextIO) -> int:
    if code is None:
        out.write("\n".join(rule_doc(r) for r in all_rules()))
        return EXIT_OK
    found = lookup(code)
    if found is None:
        raise UsageError(f"unknown rule {code!r} (see 'newscheck rule --all')")
    out.write(rule_doc(found))
    return EXIT_OK


@dataclass(frozen=True)
class Output:
    format: str
    path: str | None


def _outputs(specs: Sequence[str]) -> list[Output]:
    from .reporters import FORMATS

    outputs = []
    for spec in specs:
        name, _, path = spec.partition(":")
        if name not in FORMATS:
            raise UsageError(f"unknown output format {name!r} (choose from {', '.join(FORMATS)})")
        outputs.append(Output(name, path or None))
    if sum(o.path is None for o in outputs) > 1:
        raise UsageError(
            "only one output format can go to standard output; give the others a :PATH"
        )
    return outputs


def _settings(args: argparse.Namespace) -> Settings:
    from .config import ConfigError, find_config, load_settings, override, parse_reference_time

    try:
        if args.isolated:
            config = None
        elif args.config is not None:
            config = args.config
        else:  # the project's: a configuration inside a checked folder is not asked
            config = find_config(Path.cwd())
        settings = load_settings(config)
        if args.command == "clean":
            return override(settings, cache_dir=args.cache_dir)
        reference = parse_reference_time(args.reference_time) if args.reference_time else None
    except (ConfigError, ValueError) as error:
        raise UsageError(str(error)) from None
    formats = args.output_format
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    if formats is None and settings.origins.get("output-format") == "default" and in_actions:
        formats = ["github"]
    return override(
        settings,
        schema=args.schema,
        select=_split(args.select),
        extend_select=_split(args.extend_select),
        ignore=_split(args.ignore),
        output_format=tuple(formats) if formats else None,
        reference_time=reference,
        fail_on=args.fail_on,
        show_source=args.show_source,
        statistics=args.statistics,
        cache=False if args.no_cache else None,
        cache_dir=args.cache_dir,
        inline_suppressions=False if args.no_inline_suppressions else None,
    )


def _show_settings(settings: Settings, out: TextIO) -> None:
    from .config import FIELDS

    for key, attribute in FIELDS.items():
        value = getattr(settings, attribute)
        if isinstance(value, tuple):
            value = list(value)
        elif hasattr(value, "items"):
            value = dict(value)
        origin = printable(str(settings.origins.get(key, "default")))
        out.write(f"{key} = {printable(repr(value))}  # {origin}\n")


def _color(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    return "NO_COLOR" not in os.environ and stream.isatty()


@contextlib.contextmanager
def _streams(outputs: list[Output], out: TextIO) -> Iterator[list[TextIO]]:
    with contextlib.ExitStack() as stack:
        streams = []
        for output in outputs:
            if output.path is None:
                streams.append(out)
            else:
                try:
                    handle = open(  # noqa: SIM115 - closed by the exit stack
                        output.path, "w", encoding="utf-8", errors="surrogateescape", newline="\n"
                    )
                except OSError as error:
                    raise UsageError(f"cannot write {output.path}: {error.strerror}") from None
                streams.append(stack.enter_context(handle))
        yield streams


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from .config import ConfigError, build_checker
    from .reporters import Summary
    from .schema import SchemaError

    settings = _settings(args)
    if args.show_settings:
        _show_settings(settings, out)
        return EXIT_OK
    try:
        checker = build_checker(settings)
    except (SchemaError, FileNotFoundError, ConfigError) as error:
        raise UsageError(str(error)) from None
    if args.show_files:
        for path in checker.discover(args.paths):
            chosen = checker.schema_of(path)  # None without --schema auto
            out.write(printable(path) + ("\n" if chosen is None else f"\t{chosen}\n"))
        return EXIT_OK
    checked = Summary()  # the files whose check finished, whatever is shown yet
    shown = args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())

    def watch(results: Iterator[FileResult], total: int) -> Iterator[FileResult]:
        if shown:
            from .progress import track

            results = track(results, total, sys.stderr)
        return _counted(results, checked)

    results = checker.check_run(args.paths, args.jobs, watch)
    try:
        return _report(args, settings, results, out)
    except KeyboardInterrupt:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # stops the worker processes now; the cache keeps only finished batches
        raise Interrupted(checked) from None


def _counted(results: Iterator[FileResult], summary: Summary) -> Iterator[FileResult]:
    for result in results:
        summary.add(result)
        yield result


def _report(
    args: argparse.Namespace, settings: Settings, results: Iterator[FileResult], out: TextIO
) -> int:
    """Write the results in every output format; the exit code they make."""
    from .reporters import ReportContext, Summary, get_reporter
    from .reporters.text import statistics_table

    if args.write_baseline is not None:
        from . import baseline as baselines

        summary = Summary()

        def counted() -> Iterator[FileResult]:
            for result in results:
                summary.add(result)
                yield result

        try:
            written = baselines.write(args.write_baseline, counted())
        except OSError as error:
            raise UsageError(f"cannot write {args.write_baseline}: {error.strerror}") from None
        out.write(
            f"Wrote {written} diagnostics in {summary.files} files to "
            f"{printable(str(args.write_baseline))}.\n"
        )
        return EXIT_ERROR if summary.internal_errors else EXIT_OK
    baseline = None
    if args.baseline is not None:
        from . import baseline as baselines

        try:
            baseline = baselines.Baseline(args.baseline)
        except baselines.BaselineError as error:
            raise UsageError(str(error)) from None
    outputs = _outputs(settings.output_format)
    summary = Summary()
    with _streams(outputs, out) as streams:
        reporters = []
        for output, stream in zip(outputs, streams, strict=True):
            context = ReportContext(
                color=_color(args.color, stream) if output.path is None else args.color == "always",
                show_source=settings.show_source,
                statistics=settings.statistics and output.path is None,
            )
            reporters.append(get_reporter(output.format)(stream, context))
        for result in results:
            if baseline is not None:
                result = baseline.filter(result)
            summary.add(result)
            for reporter in reporters:
                reporter.file(result)
        for reporter in reporters:
            reporter.finish(summary)
    if settings.statistics and all(o.format not in ("text", "concise") or o.path for o in outputs):
        sys.stderr.write(statistics_table(summary))
    if summary.internal_errors:
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_OK
    threshold = Severity.parse(settings.fail_on)
    return EXIT_DEFECTS if summary.at_least(threshold) else EXIT_OK


def _clean(args: argparse.Namespace, out: TextIO) -> int:
    from .cachedir import CacheDirError, clean
    from .config import cache_directory
    from .reporters import printable

    directory = cache_directory(_settings(args))
    shown = printable(str(directory))
    try:
        left = clean(directory)
    except CacheDirError as error:
        raise UsageError(printable(str(error))) from None
    if left is None:
        out.write(f"No cache at {shown}.\n")
    elif left:
        names = ", ".join(printable(name) for name in left[:5]) + ", …" * (len(left) > 5)
        out.write(
            f"Removed newscheck's files from {shown}; kept the folder, which holds {names}.\n"
        )
    else:
        out.write(f"Removed {shown}.\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    out = sys.stdout
    try:
        if args.command == "rule":
            return _rule(None if args.all else args.code, out)
        if args.command == "clean":
            return _clean(args, out)
        if args.command == "schema":
            from .schema_cli import run

            return run(args, out)
        if args.command in ("stats", "report"):
            from . import corpus_cli

            return corpus_cli.run(args, out)
        if args.jobs is not None and args.jobs < 1:
            raise UsageError("--jobs must be at least 1")
        return _check(args, out)
    except UsageError as error:
        sys.stderr.write(f"newscheck: {printable_lines(str(error))}\n")
        return EXIT_ERROR
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except Interrupted as interrupted:
        files, failing = interrupted.checked.files, interrupted.checked.files_with_errors
        sys.stderr.write(
            f"newscheck: interrupted after checking {files:,} file{'s' * (files != 1)} "
            f"({failing:,} with errors); no partial result was cached\n"
        )
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        sys.stderr.write("newscheck: interrupted\n")
        return EXIT_INTERRUPTED
