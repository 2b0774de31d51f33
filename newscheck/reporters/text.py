"""The default human-readable output: one line per diagnostic, then a summary."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from ..diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from ..engine import FileResult
    from . import Summary


def format_diagnostic(path: str, d: Diagnostic) -> str:
    return f"{path}:{d.line}:{d.column}: {d.code} {d.rule} [{d.severity}] {d.message}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summary_line(summary: Summary) -> str:
    counts = summary.counts
    found = ", ".join(
        (
            _plural(counts[Severity.ERROR], "error"),
            _plural(counts[Severity.WARNING], "warning"),
            f"{counts[Severity.INFO]} info",
        )
    )
    files = _plural(summary.files, "file")
    return f"Checked {files}: {found} ({summary.files_with_errors} with errors)."


class TextReporter:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def file(self, result: FileResult) -> None:
        for diagnostic in result.diagnostics:
            self.stream.write(format_diagnostic(result.path, diagnostic) + "\n")

    def finish(self, summary: Summary) -> None:
        self.stream.write(summary_line(summary) + "\n")
