"""SARIF 2.1.0: one run, every rule in the driver, one result per diagnostic.

Paths under the working directory are relative URIs against ``%SRCROOT%``
(the working directory, given in ``originalUriBaseIds``), which is what code
scanning services expect; other paths are absolute ``file:`` URIs. Columns
count code points (``columnKind``). Results are written as they stream in.

Identical defects in one file (same fingerprint) are told apart by their
occurrence index: the second is ``FINGERPRINT:1``, the third ``FINGERPRINT:2``
(the first keeps the bare fingerprint). The report stays within what GitHub
code scanning accepts (:data:`MAX_RESULTS` results per run, :data:`MAX_GZIPPED`
bytes gzipped): past either limit the results that follow, in the report's
order, are left out, and the run's invocation carries a notification saying
how many.
"""

from __future__ import annotations

import collections
import json
import os
import zlib
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from .. import __version__
from ..docs import rule_markdown
from ..registry import PROJECT_URL, Rule
from ..rules import all_rules
from ..values import Diagnostic, Severity
from . import json_safe, printable

if TYPE_CHECKING:
    from ..values import FileResult
    from . import ReportContext, Summary

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT = "newscheckFingerprint/v1"
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub code scanning's limits on one upload: results per run, and bytes of the gzipped file.
MAX_RESULTS = 25_000
MAX_GZIPPED = 10 * 1024 * 1024
# Room kept below MAX_GZIPPED for the end of the document and a compressor that
# does less well than zlib's default; the size gzipped is counted exactly every
# FLUSH_EVERY bytes written (what was written since counts at its full size).
GZIP_MARGIN = 256 * 1024
FLUSH_EVERY = 64 * 1024


def rule_entry(rule: Rule) -> dict[str, Any]:
    level = LEVELS[rule.severity] if rule.severity is not None else "none"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc},
        "help": {"text": rule.doc, "markdown": rule_markdown(rule)},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": level},
    }


def artifact_location(path: str, root: str) -> dict[str, str]:
    """``path`` relative to ``root`` with ``/`` separators, percent-encoded;
    an absolute ``file:`` URI when it lies outside ``root``."""
    absolute = os.path.abspath(path)
    try:
        relative = PurePath(os.path.relpath(absolute, root))
    except ValueError:  # another drive
        relative = PurePath("..")
    if relative.parts and relative.parts[0] == "..":
        return {"uri": Path(absolute).as_uri()}
    # Encoded from the file name's bytes, so undecodable names survive too.
    return {"uri": quote(os.fsencode(relative.as_posix()), safe="/"), "uriBaseId": SRCROOT}


def root_uri(root: str) -> str:
    uri = Path(root).as_uri()
    return uri if uri.endswith("/") else uri + "/"


class SarifReporter:
    def __init__(self, stream: TextIO, context: ReportContext) -> None:
        self.stream = stream
        self.root = os.getcwd()
        rules = all_rules()
        self.rule_index = {rule.code: index for index, rule in enumerate(rules)}
        self.written = 0
        self.left_out = 0
        # The document as gzip compresses it, to know its size gzipped as it grows.
        self.gzip = zlib.compressobj(wbits=31)
        self.gzipped = 0  # bytes out of the compressor
        self.pending = 0  # bytes into it since it was last flushed
        driver = {
            "name": "newscheck",
            "version": __version__,
            "informationUri": PROJECT_URL,
            "rules": [rule_entry(rule) for rule in rules],
        }
        bases = {SRCROOT: {"uri": root_uri(self.root)}}
        # The document is written around the results, which stream in.
        self.write(
            f'{{"$schema": "{SCHEMA}", "version": "2.1.0", "runs": [{{\n'
            f'"tool": {json_safe(json.dumps({"driver": driver}, ensure_ascii=False))},\n'
            '"columnKind": "unicodeCodePoints",\n'
            f'"originalUriBaseIds": {json_safe(json.dumps(bases, ensure_ascii=False))},\n'
            '"results": ['
        )

    def write(self, text: str) -> None:
        self.stream.write(text)
        data = text.encode("utf-8", "surrogatepass")
        self.gzipped += len(self.gzip.compress(data))
        self.pending += len(data)
        if self.pending >= FLUSH_EVERY:
            self.gzipped += len(self.gzip.flush(zlib.Z_SYNC_FLUSH))
            self.pending = 0

    def fits(self, entry: str) -> bool:
        """Whether the report gzipped stays within the limit with ``entry``
        (at most its size) added."""
        bound = self.gzipped + self.pending + len(entry.encode("utf-8", "surrogatepass"))
        return bound <= MAX_GZIPPED - GZIP_MARGIN

    def result_entry(
        self, location: dict[str, str], d: Diagnostic, occurrence: int
    ) -> dict[str, Any]:
        entry: dict[str, Any] = {"ruleId": d.code}
        if d.code in self.rule_index:
            entry["ruleIndex"] = self.rule_index[d.code]
        region = {
            "startLine": d.line,
            "startColumn": d.column,
            "endLine": d.end_line,
            "endColumn": d.end_column,
        }
        entry["level"] = LEVELS[d.severity]
        entry["message"] = {"text": printable(d.message, controls=False)}
        entry["locations"] = [
            {"physicalLocation": {"artifactLocation": location, "region": region}}
        ]
        if d.fingerprint:
            shown = f"{d.fingerprint}:{occurrence}" if occurrence else d.fingerprint
            entry["partialFingerprints"] = {FINGERPRINT: shown}
        return entry

    def file(self, result: FileResult) -> None:
        if not result.diagnostics:
            return
        location = artifact_location(result.path, self.root)
        seen: collections.Counter[str] = collections.Counter()
        for d in result.diagnostics:
            occurrence = seen[d.fingerprint]
            seen[d.fingerprint] += 1
            if self.left_out or self.written == MAX_RESULTS:
                self.left_out += 1
                continue
            entry = json_safe(
                json.dumps(self.result_entry(location, d, occurrence), ensure_ascii=False)
            )
            if not self.fits(entry):
                self.left_out += 1
                continue
            self.write(("\n" if not self.written else ",\n") + entry)
            self.written += 1

    def finish(self, summary: Summary) -> None:
        self.stream.write("\n]" + self.invocations() + "}]}\n")

    def invocations(self) -> str:
        """The run's invocation, when results were left out: a notification
        that says how many (nothing otherwise)."""
        if not self.left_out:
            return ""
        total = self.written + self.left_out
        text = (
            f"{self.left_out} of {total} results were left out: GitHub code scanning takes"
            f" at most {MAX_RESULTS} results and {MAX_GZIPPED // (1024 * 1024)} MB gzipped"
            " per run. Run newscheck with another output format to see them all."
        )
        notification = {
            "level": "warning",
            "message": {"text": text},
            "properties": {"resultsLeftOut": self.left_out, "results": total},
        }
        invocation = {"executionSuccessful": True, "toolExecutionNotifications": [notification]}
        return f',\n"invocations": {json.dumps([invocation])}'
