"""``newscheck check PATHS``: check article files, report in every output format."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from ..reporters import FORMATS, ReportContext, Summary, get_reporter, printable
from ..values import Severity
from .common import (
    EXIT_DEFECTS,
    EXIT_ERROR,
    EXIT_OK,
    Interrupted,
    UsageError,
    add_process_options,
    add_run_options,
    command_line,
    counted,
    run_settings,
    show_progress,
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
    check.set_defaults(run=run)


class Output(NamedTuple):  # a NamedTuple: frozen, and quicker to define than a dataclass
    format: str
    path: str | None


def _outputs(specs: Sequence[str]) -> list[Output]:
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
    from ..config import FIELDS  # as in _settings: not imported to build the parser

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


def run(args: argparse.Namespace, out: TextIO) -> int:
    from .wiring import build_runs  # the engine, its parsers: not imported to build the parser

    settings = _settings(args)
    if args.show_settings:
        _show_settings(settings, out)
        return EXIT_OK
    runs = build_runs(settings, args.paths, lambda nested: command_line(nested, args))
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

    results = _checked(runs, args.jobs, watch)
    try:
        return _report(args, settings, results, out)
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
        from ..reporters.text import statistics_table  # the text reporter: not always in use

        sys.stderr.write(statistics_table(summary))
    if summary.internal_errors:
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_OK
    threshold = Severity.parse(settings.fail_on)
    return EXIT_DEFECTS if summary.at_least(threshold) else EXIT_OK
