"""``block: yaml``: a mapping read with a safe YAML loader.

The mapping is the field ``NAME`` (the part's name) and each key a field
``NAME.KEY``, each at its value in the source, so the record, the checks
and ``schema infer`` read it like any other field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import yaml

from ..article import Field, Part, Status
from ..values import Span
from ..yamlpos import YamlError, load_spans
from .base import BlockDrawer, BlockKind, Drawing, Parsed, Values, wrapped

if TYPE_CHECKING:
    from ..schema import PartSpec, Schema
    from ..source import Source


def parse(part: Part, span: Span, source: Source) -> Parsed:
    """The block's mapping as fields: ``NAME`` (the whole mapping) and
    ``NAME.KEY`` for each key, each at its value in the source."""
    try:
        data, spans = load_spans(source.slice(span))
    except YamlError as error:
        line = source.position(span.start).line - 1 + error.line - 1
        start = source.line_starts[min(line, len(source.line_starts) - 1)] + error.column - 1
        at = Span(min(start, span.end), min(start, span.end))
        malformed = dataclasses.replace(part, status=Status.MALFORMED)
        return Parsed(
            malformed, (at, f"expected YAML in part {part.name!r}, found an error: {error.message}")
        )
    if data is None:
        data = {}
    if not isinstance(data, dict):
        malformed = dataclasses.replace(part, status=Status.MALFORMED)
        kind = "a list" if isinstance(data, list) else f"{type(data).__name__} {data!r}"
        return Parsed(
            malformed, (span, f"expected a YAML mapping in part {part.name!r}, found {kind}")
        )
    base = span.start
    fields = {part.name: Field(part.name, data, span)}
    for key, value in data.items():
        name = f"{part.name}.{key}"
        start, end = spans[(key,)]
        items: tuple[Field, ...] = ()
        if isinstance(value, list):  # each item at its place, as a many field's
            items = tuple(
                Field(name, item, Span(base + spans[(key, i)][0], base + spans[(key, i)][1]))
                for i, item in enumerate(value)
            )
        fields[name] = Field(name, value, Span(base + start, base + end), items)
    return Parsed(dataclasses.replace(part, fields=MappingProxyType(fields)))


def block_record(schema: Schema, part: PartSpec) -> Any:
    """The record's JSON Schema for a block's value (a YAML block's mapping)."""
    record = schema.record if isinstance(schema.record, dict) else {}
    return record.get("properties", {}).get(part.name, {"type": "object"})


def _simplest(subschema: Any, name: str = "") -> Any:
    """The plainest value of a small JSON Schema: an object of its required
    keys, a string its key's name, an empty array, zero or false."""
    if not isinstance(subschema, dict):
        return name
    if "const" in subschema:
        return subschema["const"]
    if subschema.get("enum"):
        return subschema["enum"][0]
    kind = subschema.get("type", "string")
    if kind == "object":
        properties = subschema.get("properties", {})
        return {key: _simplest(properties.get(key), key) for key in subschema.get("required", ())}
    return {"array": [], "integer": 0, "number": 0, "boolean": False}.get(kind, name)


def write(
    schema: Schema,
    part: PartSpec,
    values: Values,
    milliseconds: int,
    data: Mapping[str, Any] | None = None,
) -> str:
    """A YAML block for ``part``: ``data`` (by default the plainest mapping the
    record allows), with the keys that the schema's checks tie to other fields
    (``equal``, ``same-time``, ``same-day``) set to match them."""
    mapping = dict(_simplest(block_record(schema, part)) if data is None else data)
    prefix = f"{part.name}."
    for check in schema.checks:
        first, *others = check.fields
        if not first.startswith(prefix) or not others:
            continue
        key = first[len(prefix) :]
        if check.kind == "equal" and values.get(others[0]) is not None:
            mapping[key] = values[others[0]]
        elif check.kind in ("same-time", "same-day"):
            when = datetime.fromtimestamp(milliseconds / 1000, UTC)
            mapping[key] = when.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    text = yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False, width=2**31)
    return wrapped(part, text.removesuffix("\n"))


def strategy(schema: Schema, part: PartSpec, drawing: Drawing) -> BlockDrawer:
    """A mapping drawn from the record's schema for the block (ValueError
    when it uses keywords no values are drawn for)."""
    data = drawing.values(block_record(schema, part), part.name)
    return lambda draw, values, milliseconds: write(schema, part, values, milliseconds, draw(data))


KIND = BlockKind("yaml", parse, mapping=True, write=write, strategy=strategy)
