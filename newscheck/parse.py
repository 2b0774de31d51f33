"""Source + Schema -> Article: match the layout's parts, parse HTML once, extract fields.

Parts are matched top to bottom from a line cursor. A part whose ``match``
pattern fits is OK and its named groups become fields; one that only fits its
looser ``recognise`` pattern is MALFORMED (and consumed, so the parts after it
are still checked); one that fits neither is MISSING and consumes nothing.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from lxml import etree

from .article import Article, Field, Part, StartTags, Status
from .blocks import KINDS, BlockKind
from .schema import FieldSpec, PartSpec, Schema
from .source import Source
from .values import Span

_FOUND_MAX = 60


def _found(text: str) -> str:
    return text if len(text) <= _FOUND_MAX else text[: _FOUND_MAX - 1] + "…"


class _Lines:
    """The source's lines as spans, without a trailing CR and a leading BOM."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.count = source.line_count
        self._starts = source.line_starts
        self._bom = source.text.startswith("\ufeff")

    def span(self, first: int, last: int) -> Span:
        starts, text = self._starts, self.source.text
        start = starts[first] + (first == 0 and self._bom)
        end = starts[last + 1] - 1 if last + 1 < len(starts) else len(text)
        if end > start and text[end - 1] == "\r":
            end -= 1
        return Span(start, end)


def _match_line_part(spec: PartSpec, lines: _Lines, cursor: int) -> tuple[Part, int]:
    source = lines.source
    if cursor >= lines.count:
        at = len(source.text)
        return Part(spec.name, Status.MISSING, Span(at, at), spec.required), cursor
    first = lines.span(cursor, cursor)
    assert spec.match is not None
    found = spec.match.fullmatch(source.text, first.start, first.end)
    if found:  # the part on one line (whether recognised or not)
        return _ok(spec, first, found), cursor + 1
    text = source.slice(first)
    recognised = spec.recognise is not None and spec.recognise.match(text) is not None
    spans = max(1, spec.max_lines) if recognised or spec.recognise is None else 1
    for taken in range(2, min(spans, lines.count - cursor) + 1):
        span = lines.span(cursor, cursor + taken - 1)
        found = spec.match.fullmatch(source.text, span.start, span.end)
        if found:
            return _ok(spec, span, found), cursor + taken
    if recognised:
        return Part(
            spec.name, Status.MALFORMED, first, spec.required, found=_found(text)
        ), cursor + 1
    return Part(spec.name, Status.MISSING, first, spec.required, found=_found(text)), cursor


def _ok(spec: PartSpec, span: Span, found: Any) -> Part:
    """A line part its pattern matched at ``span``, its named groups as fields."""
    fields = {
        name: Field(name, value, Span(found.start(name), found.end(name)))
        for name, value in found.groupdict().items()
        if value is not None
    }
    return Part(spec.name, Status.OK, span, spec.required, MappingProxyType(fields))


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


Problem = tuple[Span, str]


@dataclass(frozen=True)
class Layout:
    """The parts of a source as a layout finds them, before any block is
    parsed: what auto-detection compares, and what :func:`parse` goes on from."""

    parts: dict[str, Part]
    blocks: dict[str, tuple[BlockKind, Span]]  # each block to parse: its kind, its text's span
    problems: dict[str, Problem]
    trailing: Span | None  # non-blank lines after the last part

    @property
    def misfit(self) -> int:
        """How badly the layout fits: its malformed and missing required parts,
        plus one for trailing content."""
        bad = sum(
            1
            for part in self.parts.values()
            if part.status is Status.MALFORMED or (part.status is Status.MISSING and part.required)
        )
        return bad + (self.trailing is not None)


def _trailing(lines: _Lines, cursor: int) -> Span | None:
    if cursor < lines.count:
        rest = lines.span(cursor, lines.count - 1)
        if lines.source.slice(rest).strip():
            return rest
    return None


def _line_text(lines: _Lines, index: int) -> str:
    return lines.source.slice(lines.span(index, index))


def _empty_at(lines: _Lines, index: int) -> Span:
    """An empty span where line ``index`` starts (the end of the text past the last)."""
    at = lines.source.line_starts[index] if index < lines.count else len(lines.source.text)
    return Span(at, at)


def _match_block(
    spec: PartSpec, lines: _Lines, cursor: int
) -> tuple[Part, int, Span | None, Problem | None]:
    """A block with wrapper lines (``open``, ``close``) or an end line
    (``until``): the part, the next cursor, the text to parse, and a problem."""
    source, count, name = lines.source, lines.count, spec.name
    if cursor >= count:
        at = len(source.text)
        return Part(name, Status.MISSING, Span(at, at), spec.required), cursor, None, None
    first = cursor
    if spec.open is not None:
        text = _line_text(lines, cursor)
        if spec.open.fullmatch(text) is None:
            line = lines.span(cursor, cursor)
            return (
                Part(name, Status.MISSING, line, spec.required, found=_found(text)),
                cursor,
                None,
                None,
            )
        first = cursor + 1
    if spec.close is not None:
        end = next(
            (i for i in range(first, count) if spec.close.fullmatch(_line_text(lines, i))), None
        )
        if end is None:
            expected = f"expected a line matching {spec.close.pattern!r} to close part {name!r}"
            problem = (
                Span(len(source.text), len(source.text)),
                f"{expected}, found the end of the file",
            )
            part = Part(name, Status.MALFORMED, lines.span(cursor, count - 1), spec.required)
            return part, count, None, problem
        inner = lines.span(first, end - 1) if end > first else _empty_at(lines, first)
        part = Part(name, Status.OK, lines.span(cursor, end), spec.required)
        if spec.max_lines and end - first > spec.max_lines:
            extra = first + spec.max_lines
            found = _found(_line_text(lines, extra))
            message = (
                f"expected at most {spec.max_lines} line(s) in part {name!r} before its closing "
                f"line, found {end - first}: {found!r}"
            )
            part = dataclasses.replace(part, status=Status.MALFORMED)
            return part, end + 1, inner, (lines.span(extra, extra), message)
        return part, end + 1, inner, None
    last = count if spec.max_lines == 0 else min(count, first + spec.max_lines)
    if spec.until is not None:
        last = next(
            (i for i in range(first, last) if spec.until.fullmatch(_line_text(lines, i))), last
        )
    if last <= first and spec.open is None:  # an 'until' line right away
        line = lines.span(cursor, cursor)
        missing = Part(name, Status.MISSING, line, spec.required, found=_found(source.slice(line)))
        return missing, cursor, None, None
    inner = lines.span(first, last - 1) if last > first else _empty_at(lines, first)
    return (
        Part(name, Status.OK, lines.span(cursor, max(cursor, last - 1)), spec.required),
        last,
        inner,
        None,
    )


def match_layout(source: Source, schema: Schema) -> Layout:
    """Match the layout's parts from the top, without parsing the blocks."""
    lines = _Lines(source)
    cursor = 0
    parts: dict[str, Part] = {}
    blocks: dict[str, tuple[BlockKind, Span]] = {}
    problems: dict[str, Problem] = {}
    for spec in schema.layout:
        if spec.block is None:
            parts[spec.name], cursor = _match_line_part(spec, lines, cursor)
            continue
        if spec.open is None and spec.close is None and spec.until is None:
            last = lines.count if spec.max_lines == 0 else min(lines.count, cursor + spec.max_lines)
            if cursor >= last:
                at = len(source.text)
                parts[spec.name] = Part(spec.name, Status.MISSING, Span(at, at), spec.required)
                continue
            span = lines.span(cursor, last - 1)
            parts[spec.name] = Part(spec.name, Status.OK, span, spec.required)
            blocks[spec.name] = (KINDS[spec.block], span)
            cursor = last
            continue
        part, cursor, inner, problem = _match_block(spec, lines, cursor)
        parts[spec.name] = part
        if inner is not None:
            blocks[spec.name] = (KINDS[spec.block], inner)
        if problem is not None:
            problems[spec.name] = problem
    return Layout(parts, blocks, problems, _trailing(lines, cursor))


def parse(source: Source, schema: Schema, layout: Layout | None = None) -> Article:
    """Match the layout (unless ``layout`` is the match already made), parse
    its blocks, and extract the fields."""
    if layout is None:
        layout = match_layout(source, schema)
    parts, problems = layout.parts, layout.problems
    html_root = None
    html_span = None
    for name, (kind, span) in layout.blocks.items():
        parsed = kind.parse(parts[name], span, source)
        if kind.content:
            html_root, html_span = parsed.root, span
        if parsed.part is not parts[name] or parsed.problem is not None:
            if parts is layout.parts:  # the layout found stays as it was found
                parts, problems = dict(parts), dict(problems)
            parts[name] = parsed.part
            if parsed.problem is not None:
                problems[name] = parsed.problem
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
        layout.trailing,
        tags,
        MappingProxyType(problems),
    )
