"""``newscheck check PATHS``: check article files, report in every output format."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from ..reporters import FORMATS, ReportContext, Reporter, Summary, get_reporter, printable
from ..values import Severity
from .common import (
    EXIT_DEFECTS,
    EXIT_ERROR,
    EXIT_OK,
    Interrupted,
    UsageError,
    add_output_file_option,
    add_process_options,
    add_run_options,
    command_line,
    counted,
    output_file,
    run_settings,
    show_progress,
    verbose,
)

if TYPE_CHECKING:
    from ..config import Settings
    from ..engine import Checker
    from ..values import FileResult


def register(commands: Any) -> None:
    check = commands.add_parser("check", help="check article files and directories")
    where, rules = add_run_options(
        check,
        "built-in schema name, schema file, or 'auto' (per file, the built-in "
        "schema whose layout fits) (default: feed-article)",
        "run",
    )
    where.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="with the path '-' (the article on standard input): the path it is reported "
        "under, and whose per-file-ignores apply (default: -)",
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
        help="text, concise, json, jsonl, github, junit, sarif or gitlab; repeatable "
        "(with :PATH, written to that file)",
    )
    add_output_file_option(out, "the file to write the output to, instead of standard output")
    out.add_argument(
        "--show-source",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show each diagnostic's line of the article, the span marked (text output)",
    )
    out.add_argument("--statistics", action="store_true", default=None, help="add per-rule counts")
    out.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text output (auto: on a terminal, unless NO_COLOR is set)",
    )
    out.add_argument(
        "-q",
        "--quiet",
        action="count",
        default=0,
        help="text output: the summary line only; -qq: nothing on standard output, no warnings",
    )
    out.add_argument("--fail-on", choices=("error", "warning"), help="lowest failing severity")
    out.add_argument("--exit-zero", action="store_true", help="exit 0 even when defects are found")
    add_process_options(check)
    check.set_defaults(run=run)


class SummaryOnly:
    """The text output with ``-q``: the summary line alone."""

    def __init__(self, stream: TextIO, context: ReportContext) -> None:
        self.stream = stream

    def file(self, result: FileResult) -> None:
        pass

    def finish(self, summary: Summary) -> None:
        from ..reporters.text import summary_line  # as _report: not imported to build the parser

        self.stream.write(summary_line(summary) + "\n")


class Output(NamedTuple):  # a NamedTuple: frozen, and quicker to define than a dataclass
    format: str
    path: str | None


def _outputs(specs: Sequence[str], quiet: int = 0) -> list[Output]:
    """The outputs ``--output-format`` asks for; with ``-qq`` (``quiet`` 2), none
    to standard output."""
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
    return [o for o in outputs if o.path is not None or quiet < 2]


def _settings(args: argparse.Namespace) -> Settings:
    """The run's settings with check's output options on top."""
    # config brings jsonschema and the schema loader: not imported to build the parser
    from ..config import override

    settings = run_settings(args)
    formats = args.output_format
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    if formats is None and settings.origins.get("output-format") == "default" and in_actions:
        formats = ["github"]
    return override(
        settings,
        output_format=tuple(formats) if formats else None,
        fail_on=args.fail_on,
        show_source=args.show_source,
        statistics=args.statistics,
    )


def _show_settings(settings: Settings, out: TextIO) -> None:
    """Each setting as a TOML line, and where it came from; one not set is a comment."""
    from ..config import FIELDS  # as in _settings: not imported to build the parser

    for key, attribute in FIELDS.items():
        value = getattr(settings, attribute)
        if key == "schemas":  # as a configuration writes them
            value = [{"schema": schema, "files": files} for schema, files in value]
        origin = printable(str(settings.origins.get(key, "default")))
        line = f"# {key} is not set" if value is None else f"{key} = {toml_value(value)}"
        out.write(f"{printable(line)}  # {origin}\n")


def toml_value(value: object) -> str:
    """``value`` written as TOML: ``true``, ``3``, ``"text"``, ``["a", "b"]``,
    ``{ NC102 = "off" }`` (a key that is not a bare key quoted)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # its escapes are TOML's too
    if isinstance(value, Mapping):
        items = [f"{_toml_key(str(k))} = {toml_value(v)}" for k, v in value.items()]
        return "{ " + ", ".join(items) + " }" if items else "{}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {type(value).__name__}")


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")  # a TOML key written without quotes


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def _color(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    return "NO_COLOR" not in os.environ and stream.isatty()


@contextlib.contextmanager
def _streams(outputs: list[Output], out: TextIO) -> Iterator[list[TextIO]]:
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(output_file(o.path, out)) for o in outputs]


def run(args: argparse.Namespace, out: TextIO) -> int:
    from .wiring import build_checker, build_runs  # the engine: not imported to build the parser

    settings = _settings(args)
    if args.show_settings:
        _show_settings(settings, out)
        return EXIT_OK
    if args.stdin_filename is not None and args.paths != ["-"]:
        raise UsageError("--stdin-filename names the article read with the path '-' alone")
    if "-" in args.paths and args.paths != ["-"]:
        raise UsageError("'-' (the article on standard input) cannot be checked with other paths")
    warn = [_silent] if args.quiet > 1 else []
    if args.paths == ["-"]:
        runs = [(build_checker(settings, *warn), ["-"])]
    else:
        runs = build_runs(settings, args.paths, lambda nested: command_line(nested, args), *warn)
    if args.show_files:
        for checker, paths in runs:
            for path in checker.discover(paths):
                chosen = checker.schema_of(path)  # None without --schema auto
                out.write(printable(path) + ("\n" if chosen is None else f"\t{chosen}\n"))
        return EXIT_OK
    checked = Summary()  # the files whose check finished, whatever is shown yet
    shown = show_progress(args)

    def watch(results: Iterator[FileResult], total: int) -> Iterator[FileResult]:
        if shown:
            from ..progress import track  # only when progress is shown: not on every start-up

            results = track(results, total, sys.stderr)
        return counted(results, checked)

    if args.paths == ["-"]:
        checker = runs[0][0]
        results = checker.with_corpus(watch(iter([_stdin(checker, args.stdin_filename)]), 1))
    else:
        results = _checked(runs, args.jobs, watch)
    try:
        with output_file(args.output_file, out) as stream:
            return _report(args, settings, verbose(args, settings, results), stream)
    except KeyboardInterrupt:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # stops the worker processes now; the cache keeps only finished batches
        raise Interrupted(checked) from None


def _checked(
    runs: list[tuple[Checker, list[str]]],
    jobs: int | None,
    watch: Callable[[Iterator[FileResult], int], Iterator[FileResult]],
) -> Iterator[FileResult]:
    """The results of each run in turn (one, without nested configurations)."""
    for checker, paths in runs:
        yield from checker.check_run(paths, jobs, watch)


def _silent(message: str) -> None:
    """Where warnings go with ``-qq``."""


def _stdin(checker: Checker, path: str | None) -> FileResult:
    """The result of the article on standard input, under ``path`` (``-`` when None)."""
    # the source's decoding: not imported to build the parser
    from ..source import Unreadable, from_bytes, unreadable

    name = path or "-"
    data = sys.stdin.buffer.read(checker.max_bytes + 1)
    if len(data) > checker.max_bytes:
        return checker.check_source(unreadable(name, Unreadable.TOO_LARGE, size=len(data)))
    return checker.check_source(from_bytes(data, name))


def _report(
    args: argparse.Namespace, settings: Settings, results: Iterator[FileResult], out: TextIO
) -> int:
    """Write the results in every output format; the exit code they make."""
    # baseline and atomic bring secrets and hashlib: only with --baseline or --write-baseline
    from .. import baseline as baselines

    if args.write_baseline is not None:
        summary = Summary()
        try:
            written = baselines.write(args.write_baseline, counted(results, summary))
        except OSError as error:
            raise UsageError(f"cannot write {args.write_baseline}: {error.strerror}") from None
        out.write(
            f"Wrote {written} diagnostics in {summary.files} files to "
            f"{printable(str(args.write_baseline))}.\n"
        )
        return EXIT_ERROR if summary.internal_errors else EXIT_OK
    baseline = None
    if args.baseline is not None:
        try:
            baseline = baselines.Baseline(args.baseline)
        except baselines.BaselineError as error:
            raise UsageError(str(error)) from None
    outputs = _outputs(settings.output_format, args.quiet)
    summary = Summary()
    with _streams(outputs, out) as streams:
        reporters = []
        for output, stream in zip(outputs, streams, strict=True):
            context = ReportContext(
                color=_color(args.color, stream) if output.path is None else args.color == "always",
                show_source=settings.show_source,
                statistics=settings.statistics and output.path is None,
            )
            kind: type[Reporter] = get_reporter(output.format)
            if args.quiet and output.path is None and output.format in ("text", "concise"):
                kind = SummaryOnly
            reporters.append(kind(stream, context))
        for result in results:
            if baseline is not None:
                result = baseline.filter(result)
            summary.add(result)
            for reporter in reporters:
                reporter.file(result)
        for reporter in reporters:
            reporter.finish(summary)
    text_out = any(o.format in ("text", "concise") and not o.path for o in outputs)
    if settings.statistics and not text_out and args.quiet < 2:
        from ..reporters.text import statistics_table  # the text reporter: not always in use

        sys.stderr.write(statistics_table(summary))
    if summary.internal_errors:
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_OK
    threshold = Severity.parse(settings.fail_on)
    return EXIT_DEFECTS if summary.at_least(threshold) else EXIT_OK
