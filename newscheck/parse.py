"""Source + Schema -> Article: match the layout's parts, parse HTML once, extract fields.

Parts are matched top to bottom from a line cursor. A part whose ``match``
pattern fits is OK and its named groups become fields; one that only fits its
looser ``recognise`` pattern is MALFORMED (and consumed, so the parts after it
are still checked); one that fits neither is MISSING and consumes nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from lxml import etree

from .article import Article, Field, Part, StartTags, Status
from .schema import FieldSpec, PartSpec, Schema
from .source import Source, Span

_FOUND_MAX = 60

# One parser per process: no network, no DTD loading, bounded trees.
_HTML_PARSER = etree.HTMLParser(
    recover=True, no_network=True, remove_comments=False, remove_pis=True, huge_tree=False
)


def _found(text: str) -> str:
    return text if len(text) <= _FOUND_MAX else text[: _FOUND_MAX - 1] + "…"


class _Lines:
    """The source's lines as spans, without a trailing CR and a leading BOM."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.count = source.line_count

    def span(self, first: int, last: int) -> Span:
        start = self.source.line_starts[first]
        if first == 0 and self.source.text.startswith("\ufeff"):
            start += 1
        end = self.source.line_span(last).end
        if end > start and self.source.text[end - 1] == "\r":
            end -= 1
        return Span(start, end)


def _match_line_part(spec: PartSpec, lines: _Lines, cursor: int) -> tuple[Part, int]:
    source = lines.source
    if cursor >= lines.count:
        at = len(source.text)
        return Part(spec.name, Status.MISSING, Span(at, at), spec.required), cursor
    first = lines.span(cursor, cursor)
    text = source.slice(first)
    recognised = spec.recognise is not None and spec.recognise.match(text) is not None
    assert spec.match is not None
    spans = max(1, spec.max_lines) if recognised or spec.recognise is None else 1
    for taken in range(1, min(spans, lines.count - cursor) + 1):
        span = lines.span(cursor, cursor + taken - 1)
        found = spec.match.fullmatch(source.text, span.start, span.end)
        if found:
            fields = {
                name: Field(name, value, Span(found.start(name), found.end(name)))
                for name, value in found.groupdict().items()
                if value is not None
            }
            part = Part(spec.name, Status.OK, span, spec.required, MappingProxyType(fields))
            return part, cursor + taken
    if recognised:
        return Part(
            spec.name, Status.MALFORMED, first, spec.required, found=_found(text)
        ), cursor + 1
    return Part(spec.name, Status.MISSING, first, spec.required, found=_found(text)), cursor


def _parse_html(text: str) -> etree._Element | None:
    if not text.strip():
        return None
    try:
        return etree.fromstring(text, _HTML_PARSER)
    except (etree.ParserError, ValueError):
        return None


def _text(node: Any) -> str:
    """Text with runs of whitespace folded to one space."""
    return " ".join((node if isinstance(node, str) else "".join(node.itertext())).split())


def _value(spec: FieldSpec, node: Any) -> Any:
    if spec.value == "text":
        return _text(node)
    if isinstance(node, str):
        return str(node)
    if spec.value == "last-text":
        pieces = [t.strip() for t in node.itertext() if t.strip()]
        return pieces[-1] if pieces else ""
    if spec.value == "html":
        return etree.tostring(node, encoding=str, method="html", with_tail=False)
    return node.get(spec.value[1:])


def _extract(spec: FieldSpec, tags: StartTags) -> Field | None:
    results = spec.query(tags.root)
    if not isinstance(results, list) or (
        results and not isinstance(results[0], str | etree._Element)
    ):
        # a string, number or boolean from an XPath function: its text, on the content
        return Field(spec.name, str(results), Span(tags.base, tags.base))

    def span(node: Any) -> Callable[[], Span]:
        is_text = isinstance(node, etree._ElementUnicodeResult)
        return functools.partial(tags.span, node.getparent() if is_text else node)

    if spec.many:
        items = tuple(Field(spec.name, _value(spec, n), span(n)) for n in results)
        where = items[0].where if items else span(tags.root)
        return Field(spec.name, tuple(i.value for i in items), where, items)
    if not results:
        return None
    if spec.value == "text" and isinstance(results[0], str):  # text nodes: all of them
        return Field(spec.name, " ".join(" ".join(results).split()), span(results[0]))
    return Field(spec.name, _value(spec, results[0]), span(results[0]))


def parse(source: Source, schema: Schema) -> Article:
    lines = _Lines(source)
    cursor = 0
    parts: dict[str, Part] = {}
    html_root = None
    html_span = None
    for spec in schema.layout:
        if spec.block is None:
            parts[spec.name], cursor = _match_line_part(spec, lines, cursor)
            continue
        last = lines.count if spec.max_lines == 0 else min(lines.count, cursor + spec.max_lines)
        if cursor >= last:
            at = len(source.text)
            parts[spec.name] = Part(spec.name, Status.MISSING, Span(at, at), spec.required)
            continue
        span = lines.span(cursor, last - 1)
        parts[spec.name] = Part(spec.name, Status.OK, span, spec.required)
        if spec.block == "html":
            html_root, html_span = _parse_html(source.slice(span)), span
        cursor = last
    trailing = None
    if cursor < lines.count:
        rest = lines.span(cursor, lines.count - 1)
        if source.slice(rest).strip():
            trailing = rest
    fields = {f.name: f for p in parts.values() for f in p.fields.values()}
    tags = None
    if html_root is not None and html_span is not None:
        tags = StartTags(html_root, html_span, source.text)
        for field_spec in schema.extract:
            extracted = _extract(field_spec, tags)
            if extracted is not None:
                fields[field_spec.name] = extracted
    return Article(
        source,
        schema,
        MappingProxyType(parts),
        MappingProxyType(fields),
        html_root,
        html_span,
        trailing,
        tags,
    )
