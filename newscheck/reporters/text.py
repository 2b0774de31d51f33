"""Human-readable output: one line per diagnostic, then a summary.

``text`` can show the offending source line with a caret under the defect
(``--show-source``) and colours when the terminal takes them; ``concise`` is
one line per diagnostic and nothing else.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, TextIO

from ..values import Diagnostic, Severity
from . import printable

if TYPE_CHECKING:
    from ..values import FileResult
    from . import ReportContext, Summary

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def format_diagnostic(path: str, d: Diagnostic, color: bool = False) -> str:
    where = _paint(f"{printable(path)}:{d.line}:{d.column}:", "1", color)
    code = _paint(d.code, "1;" + _COLORS[d.severity], color)
    severity = _paint(f"[{d.severity}]", _COLORS[d.severity], color)
    return f"{where} {code} {d.rule} {severity} {printable(d.message)}"


def _width(text: str) -> int:
    """Terminal columns: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def source_lines(d: Diagnostic, color: bool = False) -> list[str]:
    """The excerpt of the source line and a caret line under the defect."""
    raw = d.excerpt.replace("\t", " ")
    gutter = f"{d.line} | "
    start = max(0, d.column - d.excerpt_column)
    length = d.end_column - d.column if d.end_line == d.line else len(raw) - start
    before, marked = printable(raw[:start]), printable(raw[start : start + max(1, length)])
    excerpt = before + marked + printable(raw[start + max(1, length) :])
    caret = " " * _width(before) + "^" * max(1, _width(marked))
    lead = "…" if d.excerpt_column > 1 else ""
    pad = " " * (len(gutter) + len(lead))
    return [f"{gutter}{lead}{excerpt}", pad + _paint(caret, _COLORS[d.severity], color)]


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
    line = f"Checked {files}: {found} ({summary.files_with_errors} with errors)."
    if summary.schemas:  # --schema auto: which schema the files got
        chosen = ", ".join(f"{name} {n}" for name, n in sorted(summary.schemas.items()))
        line += f"\nSchemas chosen by --schema auto: {chosen}."
    return line


def statistics_table(summary: Summary) -> str:
    """Per-rule counts, most frequent first."""
    rows = sorted(summary.by_rule.items(), key=lambda item: (-item[1], item[0]))
    if not rows:
        return ""
    width = max(len(str(count)) for _, count in rows)
    return "".join(f"{count:>{width}}  {code} {name}\n" for (code, name), count in rows)


class TextReporter:
    def __init__(self, stream: TextIO, context: ReportContext) -> None:
        self.stream = stream
        self.context = context

    def file(self, result: FileResult) -> None:
        color = self.context.color
        for d in result.diagnostics:
            self.stream.write(format_diagnostic(result.path, d, color) + "\n")
            if self.context.show_source and d.excerpt:
                self.stream.write("\n".join(source_lines(d, color)) + "\n")

    def finish(self, summary: Summary) -> None:
        if self.context.statistics:
            self.stream.write(statistics_table(summary))
        self.stream.write(summary_line(summary) + "\n")


class ConciseReporter:
    def __init__(self, stream: TextIO, context: ReportContext) -> None:
        self.stream = stream
        self.context = context

    def file(self, result: FileResult) -> None:
        for d in result.diagnostics:
            path, message = printable(result.path), printable(d.message)
            self.stream.write(f"{path}:{d.line}:{d.column}: {d.code} {message}\n")

    def finish(self, summary: Summary) -> None:
        if self.context.statistics:
            self.stream.write(statistics_table(summary))
