"""The command line: parse options, build the parts, run, return an exit code.

Each subcommand is one module of this package named in :data:`COMMANDS`: its
``register(commands)`` adds its parser, with its options and its handler
(``set_defaults(run=handler)``); a handler takes the parsed arguments and
standard output and returns the exit code. Options several commands share,
exit codes and :class:`~newscheck.cli.common.UsageError` are in
:mod:`newscheck.cli.common`; building the checker of a run in
:mod:`newscheck.cli.wiring`.

Exit codes: 0 no failing diagnostics, 1 failing diagnostics found, 2 usage,
configuration, schema or internal error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from .. import __version__
from ..reporters import printable_lines
from .common import EXIT_ERROR, EXIT_INTERRUPTED, Interrupted, UsageError

# modules, in --help's order
COMMANDS = ("check", "clean", "rule", "schema", "record", "stats", "report")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newscheck",
        description="Validate scraped news article files against a declared schema.",
    )
    parser.add_argument("--version", action="version", version=f"newscheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args, sys.stdout)
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
