"""The JSON output contract, version 1 (see "Usage" in README.md).

``{"version": 1, "files": [{"path", "diagnostics": [...]}], "summary": {...}}``:
every checked file appears, also with no diagnostics. Written as it streams,
one file entry per line.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from ..values import Diagnostic
from . import json_safe, printable

if TYPE_CHECKING:
    from ..values import FileResult
    from . import ReportContext, Summary

VERSION = 1


def diagnostic_entry(d: Diagnostic) -> dict[str, Any]:
    """One diagnostic as the JSON contract (version 1) spells it."""
    return {
        "code": d.code,
        "rule": d.rule,
        "severity": str(d.severity),
        "message": printable(d.message, controls=False),
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
    }


def file_entry(result: FileResult) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": printable(result.path, controls=False)}
    if result.schema is not None:  # chosen by --schema auto
        entry["schema"] = result.schema
    entry["diagnostics"] = [diagnostic_entry(d) for d in result.diagnostics]
    return entry


class JsonReporter:
    def __init__(self, stream: TextIO, context: ReportContext) -> None:
        self.stream = stream
        self.first = True
        self.stream.write(f'{{"version": {VERSION}, "files": [')

    def file(self, result: FileResult) -> None:
        self.stream.write("\n" if self.first else ",\n")
        self.first = False
        if result.diagnostics or result.schema is not None:
            self.stream.write(json_safe(json.dumps(file_entry(result), ensure_ascii=False)))
        else:  # most files: no need to build and encode a whole entry
            path = json_safe(json.dumps(printable(result.path, controls=False), ensure_ascii=False))
            self.stream.write(f'{{"path": {path}, "diagnostics": []}}')

    def finish(self, summary: Summary) -> None:
        self.stream.write(f'\n], "summary": {json.dumps(summary.as_dict())}}}\n')


class JsonLinesReporter:
    """One JSON object per diagnostic, each with its file's path."""

    def __init__(self, stream: TextIO, context: ReportContext) -> None:
        self.stream = stream

    def file(self, result: FileResult) -> None:
        for d in result.diagnostics:
            entry = {"path": printable(result.path, controls=False), **diagnostic_entry(d)}
            self.stream.write(json_safe(json.dumps(entry, ensure_ascii=False)) + "\n")

    def finish(self, summary: Summary) -> None:
        pass
