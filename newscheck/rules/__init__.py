"""The built-in rules, one module per part of the layout.

Importing this package registers every rule in
:data:`newscheck.diagnostics.REGISTRY`.
"""

from __future__ import annotations

from . import (
    body,
    checks,
    corpus,
    date,
    encoding,
    header,
    html,
    layout,
    media,
    meta,
    record,
    title,
    url,
)

__all__ = [
    "body",
    "checks",
    "corpus",
    "date",
    "encoding",
    "header",
    "html",
    "layout",
    "media",
    "meta",
    "record",
    "title",
    "url",
]
