"""The record rule: the schema's JSON Schema constraints on extracted fields."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..article import Article, Status
from ..blocks import kind_of
from ..examples import Fail, Plant, article, examples, field, longer_than
from ..registry import rule
from ..values import Finding, Span

if TYPE_CHECKING:
    from ..schema import Schema

_MESSAGE_MAX = 160
_REQUIRED = re.compile(r"^'(.+)' is a required property$")


def build_record(article: Article) -> dict[str, Any]:
    """The record of an article's fields, as the schema's JSON Schema sees it
    (a ``yaml`` block is one field holding its mapping; its ``NAME.KEY``
    fields are only where each value is)."""
    return {
        name: list(field.value) if isinstance(field.value, tuple) else field.value
        for name, field in article.fields.items()
        if "." not in name
    }


def _skipped_fields(article: Article) -> set[str]:
    """Fields that a missing or malformed part would have held (already
    reported): its groups, a mapping block's field (``yaml``), the content
    block's extracted fields (``html``)."""
    schema = article.schema
    if schema is None:
        return set()
    names: set[str] = set()
    for spec in schema.layout:
        part = article.part(spec.name)
        if part is None or part.status is Status.OK:
            continue
        kind = kind_of(spec)
        if spec.match is not None:
            names.update(spec.match.groupindex)
        elif kind is not None and kind.mapping:
            names.add(spec.name)
        elif kind is not None and kind.content:  # what would have been extracted from it
            names.update(field.name for field in schema.extract)
    return names


def _located(article: Article, path: list[Any]) -> Span | None:
    """Where a record path is: its field (``front/title`` at the
    ``front.title`` field of a ``yaml`` block), or that field's item."""
    if not path or not isinstance(path[0], str):
        return None
    field, rest = article.field(path[0]), path[1:]
    if rest and isinstance(rest[0], str):
        nested = article.field(f"{path[0]}.{rest[0]}")
        if nested is not None:
            field, rest = nested, rest[1:]
    if field is None:
        return None
    if rest and isinstance(rest[0], int) and rest[0] < len(field.items):
        return field.items[rest[0]].span
    return field.span


def _too_long(schema: Schema) -> list[Plant]:
    """A title or URL longer than the record allows, for each the record limits."""
    record = schema.record if isinstance(schema.record, dict) else {}
    properties = record.get("properties", {})
    return [
        field(name, longer_than(limit))
        for name in ("title", "url")
        if isinstance(limit := properties.get(name, {}).get("maxLength"), int)
    ]


@rule("NC901", "record-schema", "error")
@examples(
    Fail(article(), [("NC901", "error", 2, 2)], note="with title: {maxLength: 10} in the record"),
    passing=[article(title="[韩正表态](https://www.voachinese.com/a/7346550.html)")],
    schema="extends: feed-article\nrecord:\n  properties:\n    title: {maxLength: 10}\n",
    plant=_too_long,
)
def record_schema(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """An extracted field breaks a constraint of the schema's ``record``.

    The schema's ``record`` is a JSON Schema (draft 2020-12) over the fields
    taken from the layout's patterns and the HTML content. Each error is
    reported on the field it concerns; a field whose part is missing or
    malformed is not reported again here.
    """
    schema = article.schema
    if schema is None or schema.validator is None:
        return
    skipped = _skipped_fields(article)
    for error in schema.validator.iter_errors(build_record(article)):
        path = list(error.absolute_path)
        name = path[0] if path else None
        if error.validator == "required" and not path:
            missing = _REQUIRED.match(error.message)
            name = missing.group(1) if missing else None
        if name in skipped:
            continue
        span = _located(article, path) or article.html_span or Span(0, 0)
        where = "/".join(str(p) for p in path) or "record"
        message = (
            error.message
            if len(error.message) <= _MESSAGE_MAX
            else error.message[:_MESSAGE_MAX] + "…"
        )
        yield span, f"{where}: {message}"
