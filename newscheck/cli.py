"""The command line: parse options, build the parts, run, return an exit code.

Exit codes: 0 no errors, 1 errors found, 2 usage, schema or internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from . import __version__
from .diagnostics import Rule, all_rules, lookup

EXIT_OK, EXIT_DEFECTS, EXIT_ERROR = 0, 1, 2


@dataclass(frozen=True)
class CheckOptions:
    paths: tuple[str, ...]
    schema: str
    output_format: str
    jobs: int | None


def _parser() -> argparse.ArgumentParser:
    from .reporters import FORMATS

    parser = argparse.ArgumentParser(
        prog="newscheck",
        description="Validate scraped news article files against a declared schema.",
    )
    parser.add_argument("--version", action="version", version=f"newscheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="check article files and directories")
    check.add_argument("paths", nargs="*", default=["."], help="files or directories (default: .)")
    check.add_argument(
        "--schema",
        default="feed-article",
        help="built-in schema name or schema file (default: feed-article)",
    )
    check.add_argument(
        "--output-format",
        choices=sorted(FORMATS),
        default="text",
        help="output format (default: text)",
    )
    check.add_argument(
        "--jobs", "-j", type=int, default=None, help="worker processes (default: all cores)"
    )

    rule = commands.add_parser("rule", help="print a rule's documentation")
    target = rule.add_mutually_exclusive_group(required=True)
    target.add_argument("code", nargs="?", help="rule code (NC101) or name (missing-timestamp)")
    target.add_argument("--all", action="store_true", help="every rule")
    return parser


def rule_doc(rule: Rule) -> str:
    """A rule's documentation as ``newscheck rule`` prints it."""
    severity = str(rule.severity) if rule.severity else "off"
    lines = [f"{rule.code} {rule.name}", "", f"Default severity: {severity}"]
    if rule.options:
        options = ", ".join(
            f"{k}={v!r}" for k, v in rule.options.items() if not isinstance(v, list)
        )
        lists = [k for k, v in rule.options.items() if isinstance(v, list)]
        shown = ", ".join(filter(None, [options, *(f"{k}=[...]" for k in lists)]))
        lines.append(f"Options: {shown}")
    return "\n".join([*lines, "", rule.doc, ""])


def _rule(code: str | None, out: TextIO) -> int:
    if code is None:
        out.write("\n".join(rule_doc(r) for r in all_rules()))
        return EXIT_OK
    found = lookup(code)
    if found is None:
        sys.stderr.write(f"newscheck: unknown rule {code!r} (see 'newscheck rule --all')\n")
        return EXIT_ERROR
    out.write(rule_doc(found))
    return EXIT_OK


def _check(options: CheckOptions, out: TextIO) -> int:
    from .engine import check_paths
    from .reporters import Summary, get_reporter
    from .schema import SchemaError, load_schema

    try:
        schema = load_schema(options.schema)
    except (SchemaError, FileNotFoundError) as error:
        sys.stderr.write(f"newscheck: {error}\n")
        return EXIT_ERROR
    reporter = get_reporter(options.output_format)(out)
    summary = Summary()
    for result in check_paths(options.paths, schema, options.jobs):
        summary.add(result)
        reporter.file(result)
    reporter.finish(summary)
    if summary.internal_errors:
        return EXIT_ERROR
    return EXIT_DEFECTS if summary.files_with_errors else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    out = sys.stdout
    try:
        if args.command == "rule":
            return _rule(None if args.all else args.code, out)
        if args.jobs is not None and args.jobs < 1:
            sys.stderr.write("newscheck: --jobs must be at least 1\n")
            return EXIT_ERROR
        options = CheckOptions(tuple(args.paths), args.schema, args.output_format, args.jobs)
        return _check(options, out)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
