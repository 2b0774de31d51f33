"""GitHub Actions workflow commands: one annotation per diagnostic.

``::error file=PATH,line=L,col=C,endLine=L,endColumn=C,title=CODE rule::message``
(``warning`` for warnings, ``notice`` for info). GitHub shows only the first
10 annotations of each kind in a step, so past 10 a diagnostic is printed as a
plain text line instead, and a line says how many were not annotated: in the
job's step summary (the file ``$GITHUB_STEP_SUMMARY`` names) when there is one,
else as the last line of the output (an 11th notice would not be shown).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TextIO

from ..values import Diagnostic, Severity
from . import printable
from .text import format_diagnostic, summary_line

if TYPE_CHECKING:
    from ..values import FileResult
    from . import ReportContext, Summary

# GitHub shows at most this many annotations of each kind per step.
ANNOTATION_LIMIT = 10
COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as the runner decodes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: data escapes plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(path: str, d: Diagnostic) -> str:
    properties = {
        "file": printable(path),
        "line": d.line,
        "col": d.column,
        "endLine": d.end_line,
        "endColumn": d.end_column,
        "title": f"{d.code} {d.rule}",
    }
    shown = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{COMMANDS[d.severity]} {shown}::{escape_data(printable(d.message))}"


def plain(path: str, d: Diagnostic) -> str:
    """The text format's line (its path and message escaped by :func:`printable`,
    so it stays one line that never reads as a command)."""
    return format_diagnostic(path, d)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class GithubReporter:
    def __init__(self, stream: TextIO, context: ReportContext) -> None:
        self.stream = stream
        self.annotated = dict.fromkeys(Severity, 0)
        self.not_annotated = dict.fromkeys(Severity, 0)

    def file(self, result: FileResult) -> None:
        for d in result.diagnostics:
            if self.annotated[d.severity] < ANNOTATION_LIMIT:
                self.annotated[d.severity] += 1
                self.stream.write(annotation(result.path, d) + "\n")
            else:
                self.not_annotated[d.severity] += 1
                self.stream.write(plain(result.path, d) + "\n")

    def finish(self, summary: Summary) -> None:
        self.stream.write(summary_line(summary) + "\n")
        if not any(self.not_annotated.values()):
            return
        errors, warnings, notices = (
            _plural(self.not_annotated[s], COMMANDS[s])
            for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        )
        note = (
            f"{errors}, {warnings} and {notices} were not annotated"
            f" (GitHub shows {ANNOTATION_LIMIT} of each kind per step);"
            " they are listed as plain lines in the log"
        )
        if not step_summary(f"newscheck: {note}.\n"):
            self.stream.write(note + "\n")


def step_summary(markdown: str) -> bool:
    """Add ``markdown`` to the job's step summary; False when there is none
    (not run by GitHub Actions) or it cannot be written."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    try:
        with open(path, "a", encoding="utf-8") as summary:
            summary.write(markdown)
    except OSError:
        return False
    return True
