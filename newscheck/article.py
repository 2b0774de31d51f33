"""The parsed article: plain frozen data that rules read and never change."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .source import Source, Span

if TYPE_CHECKING:
    from lxml import etree

    from .schema import Schema


class Status(enum.Enum):
    OK = "ok"
    MALFORMED = "malformed"
    MISSING = "missing"


@dataclass(frozen=True)
class Field:
    """An extracted value and where it came from.

    ``value`` is a string (or None) for a single field and a tuple of the
    items' values for a ``many`` field, whose ``items`` carry their own spans.
    """

    name: str
    value: Any
    span: Span
    items: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Part:
    """A layout part as found: matched, recognised but malformed, or missing.

    For a missing or malformed part, ``span`` is where it was expected and
    ``found`` the text of the line there (None at the end of the file).
    """

    name: str
    status: Status
    span: Span
    required: bool
    fields: Mapping[str, Field] = field(default_factory=dict)
    found: str | None = None


def _empty() -> Mapping[Any, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Article:
    source: Source
    schema: Schema | None
    parts: Mapping[str, Part] = field(default_factory=_empty)
    fields: Mapping[str, Field] = field(default_factory=_empty)
    html: etree._Element | None = None
    html_span: Span | None = None
    element_offsets: Mapping[Any, int] = field(default_factory=_empty)
    trailing: Span | None = None

    def part(self, name: str) -> Part | None:
        return self.parts.get(name)

    def field(self, name: str) -> Field | None:
        return self.fields.get(name)

    def value(self, name: str) -> Any:
        found = self.fields.get(name)
        return None if found is None else found.value

    def elements(self) -> Iterator[etree._Element]:
        """The HTML content's elements in document order (no comments)."""
        if self.html is not None:
            for element in self.html.iter():
                if isinstance(element.tag, str):
                    yield element

    def element_span(self, element: etree._Element) -> Span:
        """The span of an element's start tag (the content's start if unknown)."""
        start = self.element_offsets.get(element)
        if start is None:
            span = self.html_span or Span(0, 0)
            return Span(span.start, span.start)
        end = self.source.text.find(">", start)
        return Span(start, end + 1 if end != -1 else len(self.source.text))
