"""newscheck: validate scraped news article files against a declared schema.

The public API::

    import newscheck
    result = newscheck.check_file("articles/1047747.md")
    for d in result.diagnostics:
        print(d.line, d.column, d.code, d.rule, d.message)
"""

from __future__ import annotations

__version__ = "0.1.0"

from .diagnostics import Diagnostic, Rule, Severity, all_rules
from .engine import FileResult, check_bytes, check_file, check_paths, check_text
from .schema import Schema, SchemaError, load_schema

__all__ = [
    "Diagnostic",
    "FileResult",
    "Rule",
    "Schema",
    "SchemaError",
    "Severity",
    "__version__",
    "all_rules",
    "check_bytes",
    "check_file",
    "check_paths",
    "check_text",
    "load_schema",
]
