"""The JSON, JSON lines and GitLab reports of a result whose path and message
hold what a terminal would obey (ESC, a right-to-left override), a byte of a
file name that is not UTF-8, and Chinese (written as it is): the exact bytes."""

from __future__ import annotations

import hashlib
import io

import pytest

from newscheck.reporters import ReportContext, Summary, get_reporter
from newscheck.values import Diagnostic, FileResult, Severity

# ESC and U+202E are JSON \u escapes (the value is the text itself); the
# undecodable byte 0xFE of the name (a lone surrogate in Python) reads \xfe.
HOSTILE = FileResult(
    "d/e\x1b\u202e\udcfe.md",
    (
        Diagnostic(
            "NC999", "odd", Severity.WARNING, "a\x1bb\u202ec中", 3, 4, 3, 5, fingerprint="f"
        ),
        Diagnostic("NC998", "other", Severity.INFO, "m", 7, 1, 7, 2, fingerprint="f"),
    ),
)
CLEAN = FileResult("x\x1b\u202e.md", ())
PATH = '"d/e\\u001b\\u202e\\\\xfe.md"'
FIRST = (
    '"code": "NC999", "rule": "odd", "severity": "warning", "message": "a\\u001bb\\u202ec中", '
    '"line": 3, "column": 4, "end_line": 3, "end_column": 5}'
)
SECOND = (
    '"code": "NC998", "rule": "other", "severity": "info", "message": "m", '
    '"line": 7, "column": 1, "end_line": 7, "end_column": 2}'
)


def report(name: str, *results: FileResult) -> str:
    stream = io.StringIO()
    reporter = get_reporter(name)(stream, ReportContext())
    summary = Summary()
    for result in results:
        reporter.file(result)
        summary.add(result)
    reporter.finish(summary)
    return stream.getvalue()


def test_json():
    assert report("json", HOSTILE, CLEAN) == (
        '{"version": 1, "files": [\n'
        f'{{"path": {PATH}, "diagnostics": [{{{FIRST}, {{{SECOND}]}},\n'
        '{"path": "x\\u001b\\u202e.md", "diagnostics": []}\n'
        '], "summary": {"files": 2, "files_with_errors": 0, "errors": 0, "warnings": 1, '
        '"info": 1}}\n'
    )


def test_json_lines():
    assert report("jsonl", CLEAN, HOSTILE, CLEAN) == (
        f'{{"path": {PATH}, {FIRST}\n{{"path": {PATH}, {SECOND}\n'
    )


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def test_gitlab(cwd):
    # sha256 of path (its raw bytes), NUL, the diagnostic's fingerprint, NUL, occurrence
    first = hashlib.sha256(b"d/e\x1b\xe2\x80\xae\xfe.md\0f\x000").hexdigest()
    second = hashlib.sha256(b"d/e\x1b\xe2\x80\xae\xfe.md\0f\x001").hexdigest()
    location = f'"location": {{"path": {PATH}, "lines": {{"begin": '
    assert report("gitlab", CLEAN, HOSTILE, CLEAN) == (
        "[\n"
        '{"description": "NC999 odd: a\\u001bb\\u202ec中", "check_name": "NC999", '
        f'"fingerprint": "{first}", "severity": "minor", {location}3}}}}}},\n'
        '{"description": "NC998 other: m", "check_name": "NC998", '
        f'"fingerprint": "{second}", "severity": "info", {location}7}}}}}}\n'
        "]\n"
    )
