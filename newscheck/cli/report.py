"""``newscheck report PATHS -o FILE``: the corpus as one self-contained HTML
page (see :mod:`newscheck.corpus_page` and :mod:`newscheck.cli.stats`)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from ..reporters import Summary
from .common import EXIT_ERROR, EXIT_OK, UsageError, add_output_file_option, counted
from .stats import add_corpus_options, corpus_results, drift_settings, positive


def register(commands: Any) -> None:
    report = commands.add_parser("report", help="write a self-contained HTML corpus report")
    add_corpus_options(report)
    add_output_file_option(
        report,
        "the HTML file to write (default: newscheck-report.html; --output is the older name)",
        "--output",
    )
    report.set_defaults(output_file="newscheck-report.html")
    report.add_argument(
        "--max-findings",
        type=positive,
        default=20,
        metavar="N",
        help="diagnostics listed per rule, then 'N more' (default 20)",
    )
    report.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    # the page's builder; atomic brings secrets: not imported to build the parser
    from ..atomic import write_text
    from ..corpus_page import build

    settings, results = corpus_results(args)
    summary = Summary()
    page, collector, drifts = build(
        counted(results, summary),
        drift_settings(settings),
        args.output_file,
        cap=args.max_findings,
        schema=settings.schema,
    )
    try:
        write_text(args.output_file, page)
    except OSError as error:
        raise UsageError(f"cannot write {args.output_file}: {error.strerror}") from None
    out.write(
        f"Wrote {args.output_file}: {collector.files} files, {len(collector.sources())} sources, "
        f"{len(drifts)} drift findings.\n"
    )
    return EXIT_ERROR if summary.internal_errors else EXIT_OK
