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
import gc
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from .. import __version__
from ..reporters import printable_lines
from .common import EXIT_ERROR, EXIT_INTERRUPTED, Interrupted, UsageError

# modules, in --help's order
COMMANDS = ("check", "clean", "rule", "schema", "record", "stats", "report")


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of the command line; with ``command`` (a name of
    :data:`COMMANDS`), of that subcommand alone: the others need not be
    imported and built (about 7 ms of each start-up), and no message of the
    subcommand's parser names them."""
    parser = argparse.ArgumentParser(
        prog="newscheck",
        description="Validate scraped news article files against a declared schema.",
    )
    parser.add_argument(
        "-V",
        "--version",
        action="version",
        version=f"newscheck {__version__}",
        help="print the version",
    )
    commands = parser.add_subparsers(dest="command", required=True, help="the command to run")
    for name in (command,) if command in COMMANDS else COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(commands)
    for each in commands_of(parser):
        each.set_defaults(command_parser=each)  # its usage, for a usage error
    return parser


def commands_of(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """The parsers of ``parser``'s subcommands and theirs (``schema show``), outer first."""
    found = []
    for action in parser._actions:  # argparse has no public way to list its subparsers
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                found += [command, *commands_of(command)]
    return found


def run() -> NoReturn:
    """The ``newscheck`` command: :func:`main`, then its exit code without the
    interpreter's teardown, which frees every module and object one by one
    (~10 ms, a tenth of a one-file check; mypy exits the same way). By then
    everything newscheck writes is closed: output files, the cache's
    transactions, the temporary file of results; the workers are stopped.
    Under a profiler or a tracer (coverage), which write what they found at
    exit, the interpreter exits as usual."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # the reader went away: as main does for a broken pipe
        code = EXIT_ERROR
    if sys.getprofile() is None and sys.gettrace() is None:
        os._exit(code)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    # The command's process makes its long-lived objects (modules, rules,
    # schemas) and then only passes results along, which hold no reference
    # cycles: measured, the same ~1,000 cyclic objects are left after one file
    # and after 3,617. So it runs without the cyclic collector, which would
    # only walk those objects again and again (2-3 % of a one-file check);
    # the forked workers, which parse, turn it back on (Python's advice for a
    # process that forks workers: disable early, freeze before the fork).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if collecting:
            gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    named = next((arg for arg in argv if not arg.startswith("-")), None)  # the subcommand
    args, unknown = _parser(named).parse_known_args(argv)
    if unknown:  # argparse's own message, with the usage of the command they were given to
        args.command_parser.error(f"unrecognized arguments: {' '.join(unknown)}")
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
