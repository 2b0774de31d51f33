"""GitLab Code Quality: a JSON array of issues, written as they stream in.

Each issue's fingerprint is unique in the report and stable when lines shift:
the SHA-256 of the file's path, the diagnostic's fingerprint (rule plus
defective content) and its occurrence index among identical ones in the file.
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, TextIO

from ..values import Diagnostic, Severity
from . import json_safe, printable

if TYPE_CHECKING:
    from ..values import FileResult
    from . import ReportContext, Summary

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def relative_path(path: str, root: str) -> str:
    """``path`` relative to ``root`` with ``/`` separators (absolute on another drive)."""
    absolute = os.path.abspath(path)
    try:
        return PurePath(os.path.relpath(absolute, root)).as_posix()
    except ValueError:
        return PurePath(absolute).as_posix()


def fingerprint(path: str, d: Diagnostic, occurrence: int) -> str:
    key = f"{path}\0{d.fingerprint}\0{occurrence}"
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


def issue(path: str, d: Diagnostic, occurrence: int) -> dict[str, Any]:
    return {
        "description": f"{d.code} {d.rule}: {printable(d.message, controls=False)}",
        "check_name": d.code,
        "fingerprint": fingerprint(path, d, occurrence),
        "severity": SEVERITIES[d.severity],
        "location": {"path": printable(path, controls=False), "lines": {"begin": d.line}},
    }


class GitlabReporter:
    def __init__(self, stream: TextIO, context: ReportContext) -> None:
        self.stream = stream
        self.root = os.getcwd()
        self.first = True
        self.stream.write("[")

    def file(self, result: FileResult) -> None:
        path = relative_path(result.path, self.root)
        seen: collections.Counter[str] = collections.Counter()
        for d in result.diagnostics:
            self.stream.write("\n" if self.first else ",\n")
            self.first = False
            entry = issue(path, d, seen[d.fingerprint])
            seen[d.fingerprint] += 1
            self.stream.write(json_safe(json.dumps(entry, ensure_ascii=False)))

    def finish(self, summary: Summary) -> None:
        self.stream.write("\n]\n")
