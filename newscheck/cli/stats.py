"""``newscheck stats PATHS``: per source and period, the parts present, body
lengths and diagnostics; and the drift found. ``newscheck report`` builds on it.

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

from ..reporters import Summary
from .common import (
    EXIT_ERROR,
    EXIT_OK,
    add_output_file_option,
    add_process_options,
    add_run_options,
    counted,
    output_file,
    run_settings,
    show_progress,
    verbose,
)

if TYPE_CHECKING:
    from ..config import Settings
    from ..stats import DriftSettings
    from ..values import FileResult


def register(commands: Any) -> None:
    stats = commands.add_parser(
        "stats", help="per source and period: parts present, body length, diagnostics; drift"
    )
    add_corpus_options(stats)
    out = stats.add_argument_group("output")
    out.add_argument(
        "--output-format",
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="table, json or csv (default: table; --format is the older name)",
    )
    add_output_file_option(out, "the file to write the statistics to, instead of standard output")
    stats.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from .. import stats  # statistics, csv: not imported to build the parser

    settings, results = corpus_results(args)
    summary = Summary()
    collector = stats.collect(counted(results, summary), settings.period)
    chosen = drift_settings(settings)
    drifts = stats.drift(collector, chosen)
    if args.output_format == "json":
        text = stats.as_json(collector, drifts, chosen)
    elif args.output_format == "csv":
        text = stats.as_csv(collector)
    else:
        text = stats.as_table(collector, drifts, chosen)
    with output_file(args.output_file, out) as stream:
        stream.write(text)
    return EXIT_ERROR if summary.internal_errors else EXIT_OK


def _fraction(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"expected a share in (0, 1], found {text}")
    return value


def positive(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer of at least 1, found {text}")
    return value


def add_corpus_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``check`` that say which files, which rules, how to
    run; and the periods and drift thresholds."""
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
        type=positive,
        metavar="N",
        help="periods pooled before and from a change (default 3)",
    )
    drift.add_argument(
        "--drift-min-files",
        type=positive,
        metavar="N",
        help="files needed on each side of a change (default 5)",
    )
    add_process_options(parser)


def drift_settings(settings: Settings) -> DriftSettings:
    from ..stats import DriftSettings  # the aggregation: not imported to build the parser

    return DriftSettings(
        period=settings.period,
        threshold=settings.drift_threshold,
        window=settings.drift_window,
        min_files=settings.drift_min_files,
    )


def corpus_results(args: argparse.Namespace) -> tuple[Settings, Iterator[FileResult]]:
    """The settings of the run, and every file's result with the checks
    across files merged in."""
    # config and the engine: not imported to build the parser
    from ..config import override
    from .wiring import build_checker

    settings = override(
        run_settings(args),
        period=args.period,
        drift_threshold=args.drift_threshold,
        drift_window=args.drift_window,
        drift_min_files=args.drift_min_files,
    )
    checker = build_checker(settings)
    if show_progress(args):
        from ..progress import track  # only when progress is shown: not on every start-up

        files = list(checker.discover(args.paths))
        results = track(checker.check_files(files, args.jobs), len(files), sys.stderr)
    else:
        results = checker.check_paths(args.paths, args.jobs)
    return settings, verbose(args, settings, checker.with_corpus(results))
