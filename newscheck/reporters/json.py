"""The JSON output contract, version 1 (see "Usage" in README.md).

``{"version": 1, "files": [{"path", "diagnostics": [...]}], "summary": {...}}``:
every checked file appears, also with no diagnostics. A file's entry is
``FileResult.to_dict()``, a diagnostic's ``Diagnostic.to_dict()`` (the API's
objects give exactly the report's). Written as it streams, one file entry per line.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, TextIO

from ..values import undecoded_shown
from . import json_safe

if TYPE_CHECKING:
    from ..values import FileResult
    from . import ReportContext, Summary

VERSION = 1


class JsonReporter:
    def __init__(self, stream: TextIO, context: ReportContext) -> None:
        self.stream = stream
        self.first = True
        self.stream.write(f'{{"version": {VERSION}, "files": [')

    def file(self, result: FileResult) -> None:
        self.stream.write("\n" if self.first else ",\n")
        self.first = False
        if result.diagnostics or result.schema is not None:
            self.stream.write(json_safe(json.dumps(result.to_dict(), ensure_ascii=False)))
        else:  # most files: no need to build and encode a whole entry
            path = json_safe(json.dumps(undecoded_shown(result.path), ensure_ascii=False))
            self.stream.write(f'{{"path": {path}, "diagnostics": []}}')

    def finish(self, summary: Summary) -> None:
        self.stream.write(f'\n], "summary": {json.dumps(summary.as_dict())}}}\n')


class JsonLinesReporter:
    """One JSON object per diagnostic, each with its file's path."""

    def __init__(self, stream: TextIO, context: ReportContext) -> None:
        self.stream = stream

    def file(self, result: FileResult) -> None:
        for d in result.diagnostics:
            entry = {"path": undecoded_shown(result.path), **d.to_dict()}
            self.stream.write(json_safe(json.dumps(entry, ensure_ascii=False)) + "\n")

    def finish(self, summary: Summary) -> None:
        pass
