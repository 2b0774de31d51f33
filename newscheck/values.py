"""The values every part of newscheck passes around: severities, spans,
findings, diagnostics and a file's result.

This module imports nothing of newscheck, so anything may import it: the
rules, the registry, the engine, the cache and the reporters.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]


SEVERITY_NAMES = ("error", "warning", "info", "off")


class Span(NamedTuple):
    """A half-open range of character offsets into a Source's text (a named
    tuple: made for every part, field and finding, so made cheaply)."""

    start: int
    end: int


# What a rule's check yields: where, and the message; a third item, when given,
# is the finding's own severity (a schema check's ``severity``) over the rule's.
Finding = tuple[Span, str] | tuple[Span, str, Severity]

_CODE = re.compile(r"NC[0-9]{3}")
_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LARGEST = 2**31  # no line or column of a file newscheck reads comes near it
_UNDECODED = re.compile("[\ud800-\udfff]")


def undecoded_shown(text: str) -> str:
    """``text`` with what could not be decoded (a file name's bytes that are
    not UTF-8, held as lone surrogates) written out as ``\\xNN``: text that
    any encoder takes, as every report writes paths and messages."""
    if text.isascii():
        return text
    return _UNDECODED.sub(lambda found: escaped(found.group()), text)


def escaped(char: str) -> str:
    """One character as a visible escape: ``\\xNN`` for a byte that is not
    UTF-8 (as Python decodes a name), else as Python writes it (``\\n``, ``\\u202e``)."""
    if "\udc80" <= char <= "\udcff":
        return f"\\x{ord(char) - 0xDC00:02x}"
    return repr(char)[1:-1]


@dataclass(frozen=True)
class Diagnostic:
    """One defect at one place.

    ``fingerprint`` identifies the defect by its rule and the defective
    content, not by its position, so it survives edits that shift lines;
    ``excerpt`` is the start of the source line from ``excerpt_column``.
    """

    code: str
    rule: str
    severity: Severity
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    fingerprint: str = field(default="", compare=False, repr=False)
    excerpt: str = field(default="", compare=False, repr=False)
    excerpt_column: int = field(default=1, compare=False, repr=False)
    # the other files a check across files relates this one to (newscheck.corpus_run)
    related: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def as_row(self) -> tuple[Any, ...]:
        """The fields as a plain tuple, for the cache and the corpus spill file."""
        return (
            self.code,
            self.rule,
            int(self.severity),
            self.message,
            self.line,
            self.column,
            self.end_line,
            self.end_column,
            self.fingerprint,
            self.excerpt,
            self.excerpt_column,
        )

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Diagnostic:
        """The inverse of :meth:`as_row`; raises ValueError or TypeError on a
        row that is not one newscheck writes: every field is checked (a row
        may come from a cache file someone else wrote)."""
        code, rule, severity, message, line, column, end_line, end_column, *extra = row
        fingerprint, excerpt, excerpt_column = extra
        if not (isinstance(code, str) and _CODE.fullmatch(code)):
            raise ValueError(f"not a rule's code: {code!r}")
        if not (isinstance(rule, str) and _NAME.fullmatch(rule)):
            raise ValueError(f"not a rule's name: {rule!r}")
        if type(severity) is not int:
            raise TypeError(f"not a severity: {severity!r}")
        for text in (message, fingerprint, excerpt):
            if not isinstance(text, str):
                raise TypeError(f"not text: {text!r}")
        for number in (line, column, end_line, end_column, excerpt_column):
            if type(number) is not int or not 1 <= number <= _LARGEST:
                raise ValueError(f"not a line or column: {number!r}")
        return cls(
            code,
            rule,
            Severity(severity),
            message,
            line,
            column,
            end_line,
            end_column,
            fingerprint=fingerprint,
            excerpt=excerpt,
            excerpt_column=excerpt_column,
        )

    def sort_key(self) -> tuple[int, int, str]:
        return (self.line, self.column, self.code)

    def to_dict(self) -> dict[str, Any]:
        """The diagnostic as the JSON report (version 1) writes it:
        ``{"code", "rule", "severity": "error", "message", "line", "column",
        "end_line", "end_column"}``."""
        return {
            "code": self.code,
            "rule": self.rule,
            "severity": str(self.severity),
            "message": undecoded_shown(self.message),
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
        }


@dataclass(frozen=True)
class FileResult:
    """Every diagnostic of one file, sorted by position, and the file's facts
    (see :mod:`newscheck.facts`; empty when the file could not be parsed);
    ``schema`` names the schema that ``--schema auto`` chose for the file."""

    path: str
    diagnostics: tuple[Diagnostic, ...]
    facts: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    schema: str | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    @property
    def ok(self) -> bool:
        return self.count(Severity.ERROR) == 0

    def to_dict(self) -> dict[str, Any]:
        """The file as the JSON report (version 1) writes it: ``{"path",
        "schema" (only when ``--schema auto`` chose it), "diagnostics": [...]}``."""
        entry: dict[str, Any] = {"path": undecoded_shown(self.path)}
        if self.schema is not None:
            entry["schema"] = self.schema
        entry["diagnostics"] = [d.to_dict() for d in self.diagnostics]
        return entry
