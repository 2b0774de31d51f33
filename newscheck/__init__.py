"""newscheck: validate scraped news article files against a declared schema.

The public API::

    import newscheck
    result = newscheck.check_file("articles/1047747.md")
    for d in result.diagnostics:
        print(d.line, d.column, d.code, d.rule, d.message)
"""

from __future__ import annotations

__version__ = "0.1.0"

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import check_bytes, check_file, check_paths, check_text
    from .registry import Rule
    from .rules import all_rules
    from .schema import Schema, SchemaError, load_schema
    from .values import Diagnostic, FileResult, Severity

# Attributes are imported on first use, so `newscheck rule` or the pytest
# plugin's registration does not pay for lxml and jsonschema.
_LAZY = {
    "Diagnostic": "values",
    "Rule": "registry",
    "Severity": "values",
    "all_rules": "rules",
    "FileResult": "values",
    "check_bytes": "api",
    "check_file": "api",
    "check_paths": "api",
    "check_text": "api",
    "Schema": "schema",
    "SchemaError": "schema",
    "load_schema": "schema",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newscheck' has no attribute {name!r}")
    return getattr(importlib.import_module(f"newscheck.{module}"), name)


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
