"""What newscheck extracted from a file, the way the rules see it.

:func:`record_of` parses one source with the schema that applies to it (the
one ``--schema auto`` chooses, then its ``sources`` profile) and returns the
parts and fields with their positions as plain JSON-ready data; ``newscheck
record`` prints it (:mod:`newscheck.cli.record`). A schema author reads it to
see which part matched where and what each field holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .choice import apply_profile, choose, source_keys

if TYPE_CHECKING:
    from .article import Field
    from .schema import Schema
    from .source import Source
    from .values import Span


def _where(source: Source, span: Span) -> dict[str, Any]:
    start, end = source.position(span.start), source.position(span.end)
    return {
        "start": {"line": start.line, "column": start.column},
        "end": {"line": end.line, "column": end.column},
    }


def _field(source: Source, field: Field) -> dict[str, Any]:
    value = field.value
    entry: dict[str, Any] = {
        "name": field.name,
        "value": list(value) if isinstance(value, tuple) else value,
        **_where(source, field.span),
    }
    if field.items:
        entry["items"] = [_field(source, item) for item in field.items]
    return entry


def record_of(source: Source, schemas: tuple[Schema, ...]) -> dict[str, Any]:
    """The parts and fields of ``source`` as the first fitting of ``schemas``
    (or the one fitting best) finds them, with its profile applied."""
    from .parse import parse  # lxml: imported when a file is parsed

    entry: dict[str, Any] = {"path": source.path}
    if source.unreadable is not None:
        entry["unreadable"] = source.unreadable.value
        entry["detail"] = source.detail
        return entry
    schema, layout = choose(source, schemas)
    article = parse(source, schema, layout)
    entry["schema"] = schema.name
    if schema.profiles:
        profile = schema.profile_for(*source_keys(article))
        if profile is not None:
            article = apply_profile(article)
            entry["profile"] = profile.glob
    entry["parts"] = [
        {
            "name": part.name,
            "status": part.status.value,
            "required": part.required,
            **_where(source, part.span),
            **({"found": part.found} if part.found is not None else {}),
            **(
                {"problem": article.problems[part.name][1]} if part.name in article.problems else {}
            ),
        }
        for part in article.parts.values()
    ]
    entry["fields"] = [_field(source, f) for f in article.fields.values()]
    if article.trailing is not None:
        entry["trailing"] = _where(source, article.trailing)
    return entry
