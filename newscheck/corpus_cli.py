"""``newscheck stats`` and ``newscheck report``: the corpus as a whole.

Both check the files as ``newscheck check`` does (same configuration, rule
selection, cache and jobs; the checks across files included), then aggregate
per source and period instead of listing diagnostics:

- ``stats PATHS`` prints a table (``--format json|csv`` for machines) and the
  drift found, with the thresholds used;
- ``report PATHS -o report.html`` writes one self-contained HTML page.

Exit codes: 0, or 2 on a usage, configuration or internal error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from .config import Settings
    from .stats import DriftSettings
    from .values import FileResult

EXIT_OK, EXIT_ERROR = 0, 2


def _fraction(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"expected a share in (0, 1], found {text}")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer of at least 1, found {text}")
    return value


def _common(parser: argparse.ArgumentParser) -> None:
    """Options shared with ``check``: which files, which rules, how to run."""
    from .cli import add_process_options, add_run_options

    add_run_options(parser, "built-in schema name or schema file", "count")
    drift = parser.add_argument_group("periods and drift")
    drift.add_argument("--period", choices=("day", "week"), help="group by UTC day or ISO week")
    drift.add_argument(
        "--drift-threshold",
        type=_fraction,
        metavar="SHARE",
        help="smallest change of a share that is drift (default 0.5)",
    )
    drift.add_argument(
        "--drift-window",
        type=_positive,
        metavar="N",
        help="periods pooled before and from a change (default 3)",
    )
    drift.add_argument(
        "--drift-min-files",
        type=_positive,
        metavar="N",
        help="files needed on each side of a change (default 5)",
    )
    add_process_options(parser)
    # check's output options, which these commands do not take
    parser.set_defaults(output_format=None, fail_on=None, show_source=None, statistics=None)


def add_parsers(commands: Any) -> None:
    """The ``stats`` and ``report`` commands."""
    stats = commands.add_parser(
        "stats", help="per source and period: parts present, body length, diagnostics; drift"
    )
    _common(stats)
    stats.add_argument(
        "--format", choices=("table", "json", "csv"), default="table", help="default: table"
    )
    report = commands.add_parser("report", help="write a self-contained HTML corpus report")
    _common(report)
    report.add_argument(
        "-o",
        "--output",
        default="newscheck-report.html",
        help="the HTML file to write (default: newscheck-report.html)",
    )
    report.add_argument(
        "--max-findings",
        type=_positive,
        default=20,
        metavar="N",
        help="diagnostics listed per rule, then 'N more' (default 20)",
    )


def drift_settings(settings: Settings) -> DriftSettings:
    from .stats import DriftSettings

    return DriftSettings(
        period=settings.period,
        threshold=settings.drift_threshold,
        window=settings.drift_window,
        min_files=settings.drift_min_files,
    )


def _results(args: argparse.Namespace) -> tuple[Settings, Iterator[FileResult]]:
    from .cli import UsageError, _settings
    from .config import ConfigError, build_checker, override
    from .schema import SchemaError

    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    settings = override(
        _settings(args),
        period=args.period,
        drift_threshold=args.drift_threshold,
        drift_window=args.drift_window,
        drift_min_files=args.drift_min_files,
    )
    try:
        checker = build_checker(settings)
    except (SchemaError, FileNotFoundError, ConfigError) as error:
        raise UsageError(str(error)) from None
    if args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty()):
        from .progress import track

        files = list(checker.discover(args.paths))
        results = track(checker.check_files(files, args.jobs), len(files), sys.stderr)
    else:
        results = checker.check_paths(args.paths, args.jobs)
    return settings, checker.with_corpus(results)


class _Internal:
    """Counts internal errors (NC000) as results go by."""

    def __init__(self, results: Iterator[FileResult]) -> None:
        self.results, self.count = results, 0

    def __iter__(self) -> Iterator[FileResult]:
        for result in self.results:
            self.count += any(d.code == "NC000" for d in result.diagnostics)
            yield result


def run(args: argparse.Namespace, out: TextIO) -> int:
    if args.command == "stats":
        return _stats(args, out)
    return _report(args, out)


def _stats(args: argparse.Namespace, out: TextIO) -> int:
    from . import stats

    settings, results = _results(args)
    counted = _Internal(results)
    collector = stats.collect(counted, settings.period)
    chosen = drift_settings(settings)
    drifts = stats.drift(collector, chosen)
    if args.format == "json":
        out.write(stats.as_json(collector, drifts, chosen))
    elif args.format == "csv":
        out.write(stats.as_csv(collector))
    else:
        out.write(stats.as_table(collector, drifts, chosen))
    return EXIT_ERROR if counted.count else EXIT_OK


def _report(args: argparse.Namespace, out: TextIO) -> int:
    from .atomic import write_text
    from .cli import UsageError
    from .report import build

    settings, results = _results(args)
    counted = _Internal(results)
    chosen = drift_settings(settings)
    page, collector, drifts = build(
        counted, chosen, args.output, cap=args.max_findings, schema=settings.schema
    )
    try:
        write_text(args.output, page)
    except OSError as error:
        raise UsageError(f"cannot write {args.output}: {error.strerror}") from None
    out.write(
        f"Wrote {args.output}: {collector.files} files, {len(collector.sources())} sources, "
        f"{len(drifts)} drift findings.\n"
    )
    return EXIT_ERROR if counted.count else EXIT_OK
