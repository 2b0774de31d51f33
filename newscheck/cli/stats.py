"""``newscheck stats PATHS``: per source and period, the parts present, body
lengths and diagnostics; and the drift found (see :mod:`newscheck.cli.corpus`)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from ..reporters import Summary
from .common import EXIT_ERROR, EXIT_OK, counted
from .corpus import add_corpus_options, corpus_results, drift_settings


def register(commands: Any) -> None:
    stats = commands.add_parser(
        "stats", help="per source and period: parts present, body length, diagnostics; drift"
    )
    add_corpus_options(stats)
    stats.add_argument(
        "--format", choices=("table", "json", "csv"), default="table", help="default: table"
    )
    stats.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from .. import stats  # statistics, csv: not imported to build the parser

    settings, results = corpus_results(args)
    summary = Summary()
    collector = stats.collect(counted(results, summary), settings.period)
    chosen = drift_settings(settings)
    drifts = stats.drift(collector, chosen)
    if args.format == "json":
        out.write(stats.as_json(collector, drifts, chosen))
    elif args.format == "csv":
        out.write(stats.as_csv(collector))
    else:
        out.write(stats.as_table(collector, drifts, chosen))
    return EXIT_ERROR if summary.internal_errors else EXIT_OK
