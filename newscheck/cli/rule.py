"""``newscheck rule CODE|--all``: print a rule's documentation."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from ..registry import Rule
from ..rules import all_rules, lookup
from .common import EXIT_OK, UsageError


def register(commands: Any) -> None:
    rule = commands.add_parser("rule", help="print a rule's documentation")
    target = rule.add_mutually_exclusive_group(required=True)
    target.add_argument("code", nargs="?", help="rule code (NC101) or name (missing-timestamp)")
    target.add_argument("--all", action="store_true", help="every rule")
    rule.set_defaults(run=run)


def rule_doc(rule: Rule) -> str:
    """A rule's documentation as ``newscheck rule`` prints it: plain text."""
    from ..docs import plain_docstring, plain_options  # the docs' renderer: only for this command

    severity = str(rule.severity) if rule.severity else "off"
    lines = [f"{rule.code} {rule.name}", "", f"Default severity: {severity}", *plain_options(rule)]
    return "\n".join([*lines, "", plain_docstring(rule.doc), ""])


def run(args: argparse.Namespace, out: TextIO) -> int:
    if args.all:
        out.write("\n".join(rule_doc(r) for r in all_rules()))
        return EXIT_OK
    found = lookup(args.code)
    if found is None:
        raise UsageError(f"unknown rule {args.code!r} (see 'newscheck rule --all')")
    out.write(rule_doc(found))
    return EXIT_OK
