"""The record rule: the schema's JSON Schema constraints on extracted fields."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..article import Article, Status
from ..diagnostics import Finding, rule
from ..source import Span

_MESSAGE_MAX = 160
_REQUIRED = re.compile(r"^'(.+)' is a required property$")


def build_record(article: Article) -> dict[str, Any]:
    """The record of an article's fields, as the schema's JSON Schema sees it."""
    return {
        name: list(field.value) if isinstance(field.value, tuple) else field.value
        for name, field in article.fields.items()
    }


def _skipped_fields(article: Article) -> set[str]:
    """Fields that a missing or malformed part would have held (already reported)."""
    schema = article.schema
    if schema is None:
        return set()
    names: set[str] = set()
    for spec in schema.layout:
        part = article.part(spec.name)
        if spec.match is not None and part is not None and part.status is not Status.OK:
            names.update(spec.match.groupindex)
    return names


@rule("NC901", "record-schema", "error")
def record_schema(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """An extracted field breaks a constraint of the schema's ``record``.

    The schema's ``record`` is a JSON Schema (draft 2020-12) over the fields
    taken from the layout's patterns and the HTML content. Each error is
    reported on the field it concerns; a field whose part is missing or
    malformed is not reported again here.

    Fail (with ``title: {maxLength: 10}`` in the record)::

        [A title that is far too long](https://example.com/a)

    Pass::

        [Short](https://example.com/a)
    """
    schema = article.schema
    if schema is None or schema.validator is None:
        return
    skipped = _skipped_fields(article)
    for error in schema.validator.iter_errors(build_record(article)):
        path = list(error.absolute_path)
        name = path[0] if path else None
        if error.validator == "required":
            missing = _REQUIRED.match(error.message)
            name = missing.group(1) if missing else None
        if name in skipped:
            continue
        field = article.field(name) if isinstance(name, str) else None
        span = field.span if field is not None else article.html_span or Span(0, 0)
        if (
            field is not None
            and len(path) > 1
            and isinstance(path[1], int)
            and path[1] < len(field.items)
        ):
            span = field.items[path[1]].span
        where = "/".join(str(p) for p in path) or "record"
        message = (
            error.message
            if len(error.message) <= _MESSAGE_MAX
            else error.message[:_MESSAGE_MAX] + "…"
        )
        yield span, f"{where}: {message}"
