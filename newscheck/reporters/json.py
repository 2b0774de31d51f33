"""The JSON output contract, version 1 (see docs/output.md).

``{"version": 1, "files": [{"path", "diagnostics": [...]}], "summary": {...}}``:
every checked file appears, also with no diagnostics. Written as it streams,
one file entry per line.
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ..engine import FileResult
    from . import Summary

VERSION = 1


def file_entry(result: FileResult) -> dict[str, Any]:
    diagnostics = []
    for diagnostic in result.diagnostics:
        entry = dataclasses.asdict(diagnostic)
        entry["severity"] = str(diagnostic.severity)
        diagnostics.append(entry)
    return {"path": result.path, "diagnostics": diagnostics}


class JsonReporter:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.first = True
        self.stream.write(f'{{"version": {VERSION}, "files": [')

    def file(self, result: FileResult) -> None:
        self.stream.write("\n" if self.first else ",\n")
        self.first = False
        self.stream.write(json.dumps(file_entry(result), ensure_ascii=False))

    def finish(self, summary: Summary) -> None:
        self.stream.write(f'\n], "summary": {json.dumps(summary.as_dict())}}}\n')
