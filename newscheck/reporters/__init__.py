"""Reporters: turn a stream of FileResults into one output format.

A reporter is a class registered in :data:`FORMATS` by name. It is told of
each file as its result arrives (so output streams and memory stays flat) and
of the run's summary at the end; it never decides anything about the results.
"""

from __future__ import annotations

import collections
import importlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TextIO

from ..values import Severity, escaped, undecoded_shown

if TYPE_CHECKING:
    from ..values import FileResult


# What a terminal or a log viewer may obey or hide: control characters (ESC,
# BEL, CR, LF, C1), format characters (bidirectional overrides, zero-width
# characters), line and paragraph separators, lone surrogates, unassigned.
_ESCAPED = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Cn"})
# GitHub Actions reads a line that starts with "::" (after white space) as a workflow command.
_COMMAND = re.compile(r"^(\s*):(?=:)")


def printable(text: str, controls: bool = True) -> str:
    """``text`` (a path, a message, an excerpt: anything from a checked tree)
    safe to write out: a file name's bytes that are not UTF-8 (held as lone
    surrogates) as ``\\xNN``; with ``controls``, also every character a
    terminal or log viewer could obey or hide as a visible escape (``\\n``,
    ``\\x1b``, ``\\u202e``), and a leading ``::`` as ``\\x3a:``, so that a
    hostile name can neither break a line of output, reach the terminal, nor
    start a GitHub workflow command. Every text output goes through here."""
    if not controls:
        return undecoded_shown(text)
    if not text.isprintable():
        text = "".join(
            escaped(char) if unicodedata.category(char) in _ESCAPED else char for char in text
        )
    return _COMMAND.sub(r"\1\\x3a", text, count=1)


def printable_lines(text: str) -> str:
    """A message of several lines, each line :func:`printable`."""
    return "\n".join(printable(line) for line in text.split("\n"))


def json_safe(dumped: str) -> str:
    """JSON text (from ``json.dumps``) with what :func:`printable` escapes
    written as ``\\uXXXX`` escapes inside its strings: the same JSON values,
    and nothing a terminal that shows the file obeys."""
    if dumped.isprintable():
        return dumped
    return "".join(
        _json_escape(char) if char != "\n" and unicodedata.category(char) in _ESCAPED else char
        for char in dumped
    )


def _json_escape(char: str) -> str:
    units = char.encode("utf-16-be", "surrogatepass")
    return "".join(f"\\u{units[i]:02x}{units[i + 1]:02x}" for i in range(0, len(units), 2))


def csv_cell(value: object) -> object:
    """A spreadsheet cell: a string printable, and one a spreadsheet would
    read as a formula (``= + - @``, tab, CR first) prefixed with ``'`` (OWASP)."""
    if not isinstance(value, str):
        return value
    value = printable(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@dataclass(frozen=True)
class ReportContext:
    """What reporters may know of the run besides the results."""

    color: bool = False
    show_source: bool = False
    statistics: bool = False


@dataclass
class Summary:
    """Counts over a whole run, filled in as results stream by."""

    files: int = 0
    files_with_errors: int = 0
    counts: dict[Severity, int] = field(default_factory=lambda: dict.fromkeys(Severity, 0))
    by_rule: collections.Counter[tuple[str, str]] = field(default_factory=collections.Counter)
    internal_errors: int = 0
    schemas: collections.Counter[str] = field(default_factory=collections.Counter)  # auto's picks

    def add(self, result: FileResult) -> None:
        self.files += 1
        if result.schema is not None:
            self.schemas[result.schema] += 1
        if not result.diagnostics:
            return
        for diagnostic in result.diagnostics:
            self.counts[diagnostic.severity] += 1
            self.by_rule[(diagnostic.code, diagnostic.rule)] += 1
            self.internal_errors += diagnostic.code == "NC000"
        self.files_with_errors += not result.ok

    def at_least(self, severity: Severity) -> int:
        """Diagnostics of ``severity`` or worse."""
        return sum(count for level, count in self.counts.items() if level >= severity)

    def as_dict(self) -> dict[str, int]:
        return {
            "files": self.files,
            "files_with_errors": self.files_with_errors,
            "errors": self.counts[Severity.ERROR],
            "warnings": self.counts[Severity.WARNING],
            "info": self.counts[Severity.INFO],
        }


class Reporter(Protocol):
    def __init__(self, stream: TextIO, context: ReportContext) -> None: ...
    def file(self, result: FileResult) -> None: ...
    def finish(self, summary: Summary) -> None: ...


FORMATS = {
    "text": "newscheck.reporters.text:TextReporter",
    "concise": "newscheck.reporters.text:ConciseReporter",
    "json": "newscheck.reporters.json:JsonReporter",
    "jsonl": "newscheck.reporters.json:JsonLinesReporter",
    "github": "newscheck.reporters.github:GithubReporter",
    "junit": "newscheck.reporters.junit:JunitReporter",
    "sarif": "newscheck.reporters.sarif:SarifReporter",
    "gitlab": "newscheck.reporters.gitlab:GitlabReporter",
}


def get_reporter(name: str) -> type[Reporter]:
    """The reporter class for an output format name (imported on demand)."""
    module, _, attribute = FORMATS[name].partition(":")
    return getattr(importlib.import_module(module), attribute)  # type: ignore[no-any-return]
