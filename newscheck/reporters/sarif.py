"""SARIF 2.1.0: one run, every rule in the driver, one result per diagnostic.

Paths under the working directory are relative URIs against ``%SRCROOT%``
(the working directory, given in ``originalUriBaseIds``), which is what code
scanning services expect; other paths are absolute ``file:`` URIs. Columns
count code points (``columnKind``). Results are written as they stream in.
"""

from __future__ import annotations

import json
import os
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
        self.first = True
        driver = {
            "name": "newscheck",
            "version": __version__,
            "informationUri": PROJECT_URL,
            "rules": [rule_entry(rule) for rule in rules],
        }
        bases = {SRCROOT: {"uri": root_uri(self.root)}}
        # The document is written around the results, which stream in.
        self.stream.write(
            f'{{"$schema": "{SCHEMA}", "version": "2.1.0", "runs": [{{\n'
            f'"tool": {json_safe(json.dumps({"driver": driver}, ensure_ascii=False))},\n'
            '"columnKind": "unicodeCodePoints",\n'
            f'"originalUriBaseIds": {json_safe(json.dumps(bases, ensure_ascii=False))},\n'
            '"results": ['
        )

    def result_entry(self, location: dict[str, str], d: Diagnostic) -> dict[str, Any]:
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
            entry["partialFingerprints"] = {FINGERPRINT: d.fingerprint}
        return entry

    def file(self, result: FileResult) -> None:
        if not result.diagnostics:
            return
        location = artifact_location(result.path, self.root)
        for d in result.diagnostics:
            self.stream.write("\n" if self.first else ",\n")
            self.first = False
            self.stream.write(
                json_safe(json.dumps(self.result_entry(location, d), ensure_ascii=False))
            )

    def finish(self, summary: Summary) -> None:
        self.stream.write("\n]}]}\n")
