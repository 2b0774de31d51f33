"""JUnit XML: one test case per checked file, failing when it has errors.

``<testsuites><testsuite name="newscheck"><testcase classname="newscheck"
name=PATH>``: a file with an error-severity diagnostic gets a ``<failure>``
listing all its diagnostics in the text format; warnings and info alone go to
the test case's ``<system-out>``. The counts sit in the opening tags, so each
file's entry is kept (as a small dict) until the end.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any, TextIO

from . import printable
from .text import format_diagnostic

if TYPE_CHECKING:
    from ..values import FileResult
    from . import ReportContext, Summary

NAME = "newscheck"
# What XML 1.0 does not allow at all: C0 controls other than tab, LF, CR; U+FFFE, U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` without what XML cannot hold: a name's bytes that are not
    UTF-8 (lone surrogates) written ``\\xNN``, control characters removed."""
    return _NOT_XML.sub("", printable(text, controls=False))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def testcase(entry: dict[str, Any]) -> ET.Element:
    case = ET.Element("testcase", classname=NAME, name=xml_text(printable(entry["path"])))
    if entry["failure"] is not None:
        failure = ET.SubElement(case, "failure", message=entry["failure"], type="error")
        failure.text = xml_text(entry["text"])
    elif entry["text"]:
        ET.SubElement(case, "system-out").text = xml_text(entry["text"])
    return case


class JunitReporter:
    def __init__(self, stream: TextIO, context: ReportContext) -> None:
        self.stream = stream
        self.entries: list[dict[str, Any]] = []

    def file(self, result: FileResult) -> None:
        text = "".join(format_diagnostic(result.path, d) + "\n" for d in result.diagnostics)
        failure = None if result.ok else _plural(len(result.diagnostics), "diagnostic")
        self.entries.append({"path": result.path, "failure": failure, "text": text})

    def finish(self, summary: Summary) -> None:
        tests = len(self.entries)
        failures = sum(entry["failure"] is not None for entry in self.entries)
        counts = f'tests="{tests}" failures="{failures}" errors="0"'
        self.stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.stream.write(f'<testsuites name="{NAME}" {counts}>\n')
        self.stream.write(f'  <testsuite name="{NAME}" {counts} skipped="0">\n')
        for entry in self.entries:
            case = testcase(entry)
            ET.indent(case, space="  ", level=2)
            self.stream.write("    " + ET.tostring(case, encoding="unicode") + "\n")
        self.stream.write("  </testsuite>\n</testsuites>\n")
