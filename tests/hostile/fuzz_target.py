"""What "never crash" means for one input, as one function for the property
tests, the in-suite fuzz run and the coverage-guided fuzz script
(``fuzz/check_bytes.py``).

:func:`check` runs the input through every built-in schema and through
``--schema auto``'s choice among them, and raises :class:`Finding` when
newscheck fails on it: an exception escapes, a diagnostic is an internal error
(NC000, how the engine reports a failing parser or rule), a diagnostic points
outside the file, or the text or JSON reporter cannot render the result.
"""

from __future__ import annotations

import functools
import io
import json
import traceback

from newscheck.engine import Checker
from newscheck.reporters import ReportContext, Summary
from newscheck.reporters.json import JsonReporter
from newscheck.reporters.text import TextReporter
from newscheck.schema import builtin_names, load_schema
from newscheck.source import Source, from_bytes, from_text
from newscheck.values import FileResult

PATH = "fuzzed.md"


class Finding(AssertionError):
    """newscheck failed on an input."""


@functools.cache
def checkers() -> tuple[tuple[str, Checker], ...]:
    """A checker per built-in schema, and one that chooses among them."""
    schemas = tuple(load_schema(name) for name in builtin_names())
    named = tuple((schema.name, Checker(schema)) for schema in schemas)
    return (*named, ("auto", Checker(schemas[0], choices=schemas)))


def check(data: bytes | str) -> list[FileResult]:
    """Check ``data`` (bytes, or text) with every checker; raise :class:`Finding`
    on a failure. The results, one per checker."""
    source = from_bytes(data, PATH) if isinstance(data, bytes) else from_text(data, PATH)
    results = []
    for name, checker in checkers():
        try:
            result = checker.check_source(source)
        except Exception as error:
            frame = traceback.extract_tb(error.__traceback__)[-1]
            where = f"{frame.filename}:{frame.lineno}"
            raise Finding(f"{name}: {type(error).__name__}: {error} (in {where})") from error
        verify(result, source, name)
        results.append(result)
    return results


def verify(result: FileResult, source: Source, name: str) -> None:
    """Raise :class:`Finding` for an internal error, a position outside the
    file, or a result the reporters cannot render."""
    last_line = len(source.line_starts)  # one past the editor's count after a final newline
    for d in result.diagnostics:
        where = f"{name}: {d.code} at {d.line}:{d.column}-{d.end_line}:{d.end_column}"
        if d.code == "NC000":
            raise Finding(f"{name}: internal error: {d.message}")
        if not (1 <= d.line <= d.end_line <= last_line and d.column >= 1 and d.end_column >= 1):
            raise Finding(f"{where} lies outside the file's {source.line_count} lines")
        if d.line == d.end_line and d.end_column < d.column:
            raise Finding(f"{where} ends before it starts")
        if d.column > _length(source, d.line) + 1 or d.end_column > _length(source, d.end_line) + 1:
            raise Finding(f"{where} lies past the end of its line")
    try:
        rendered = render(result)
    except Exception as error:
        raise Finding(f"{name}: a reporter failed: {type(error).__name__}: {error}") from error
    if json.loads(rendered["json"])["summary"]["files"] != 1:
        raise Finding(f"{name}: the JSON report does not count the file")


def _length(source: Source, line: int) -> int:
    """Characters on 1-based ``line``, its line break included."""
    starts = source.line_starts
    end = starts[line] if line < len(starts) else len(source.text)
    return end - starts[line - 1]


def render(result: FileResult) -> dict[str, str]:
    """The result as the text (with source lines and colours) and JSON
    reporters write it."""
    outputs = {}
    reporters = {
        "text": (TextReporter, ReportContext(color=True, show_source=True, statistics=True)),
        "json": (JsonReporter, ReportContext()),
    }
    for format_name, (reporter_class, context) in reporters.items():
        stream = io.StringIO()
        summary = Summary()
        reporter = reporter_class(stream, context)
        reporter.file(result)
        summary.add(result)
        reporter.finish(summary)
        outputs[format_name] = stream.getvalue()
        outputs[format_name].encode("utf-8")  # what the CLI writes out
    return outputs
