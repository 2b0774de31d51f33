"""The parsed article: plain frozen data that rules read and never change."""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .source import Source
from .values import Span

if TYPE_CHECKING:
    from lxml import etree

    from .markup import Element
    from .schema import Schema


_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9:-]*)")

# The roles a schema's fields play (``roles:``) and the value each reads: the
# built-in rules tied to a role read the field that plays it, whatever its
# name, when its value is of that kind (text; a list for ``images``).
ROLE_VALUES: Mapping[str, type | tuple[type, ...]] = MappingProxyType(
    {
        "timestamp": str,
        "title": str,
        "url": str,
        "date": str,
        "images": (tuple, list),
        "caption": str,
        "body": str,
    }
)
ROLES = tuple(ROLE_VALUES)


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
    where: Span | Callable[[], Span]  # a span, or how to find it when first asked
    items: tuple[Field, ...] = ()

    @property
    def span(self) -> Span:
        where = self.where
        return where if isinstance(where, Span) else self._found

    @functools.cached_property
    def _found(self) -> Span:
        """The span ``where`` finds, found once."""
        assert not isinstance(self.where, Span)
        return self.where()


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


class StartTags:
    """Where the HTML content's elements start in the source.

    The parsed elements are aligned, in document order, with the raw start
    tags; this is done on first use, since only a diagnostic on an element
    needs it.
    """

    def __init__(self, root: etree._Element, span: Span, text: str) -> None:
        self.root, self.base, self.text = root, span.start, text
        self.raw = text[span.start : span.end]

    @functools.cached_property
    def offsets(self) -> dict[Any, int]:
        tags = [(m.start() + self.base, m.group(1).lower()) for m in _TAG.finditer(self.raw)]
        offsets: dict[Any, int] = {}
        cursor = 0
        for element in self.root.iter():
            if not isinstance(element.tag, str):
                continue
            name = element.tag.lower()
            ahead = cursor
            while ahead < len(tags) and tags[ahead][1] != name:
                ahead += 1
            if ahead < len(tags):
                offsets[element] = tags[ahead][0]
                cursor = ahead + 1
        return offsets

    def span(self, element: etree._Element) -> Span:
        """The span of an element's start tag (the content's start if unknown)."""
        start = self.offsets.get(element)
        if start is None:
            return Span(self.base, self.base)
        end = self.text.find(">", start)
        return Span(start, end + 1 if end != -1 else len(self.text))


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
    trailing: Span | None = None
    tags: StartTags | None = None
    # what is wrong with a part, where its own message says more than its
    # status (a block's closing line, its YAML): part name -> (span, "expected ...")
    problems: Mapping[str, tuple[Span, str]] = field(default_factory=_empty)

    def part(self, name: str) -> Part | None:
        return self.parts.get(name)

    def field(self, name: str) -> Field | None:
        return self.fields.get(name)

    def value(self, name: str) -> Any:
        found = self.fields.get(name)
        return None if found is None else found.value

    def role(self, role: str) -> Field | None:
        """The field that plays ``role`` in the article's schema, if its value
        is of the role's kind (see ``ROLE_VALUES``); None otherwise."""
        name = role if self.schema is None else self.schema.roles.get(role)
        found = None if name is None else self.fields.get(name)
        return found if found is not None and isinstance(found.value, ROLE_VALUES[role]) else None

    def role_value(self, role: str) -> Any:
        found = self.role(role)
        return None if found is None else found.value

    def elements(self) -> Iterator[etree._Element]:
        """The HTML content's elements in document order (no comments)."""
        if self.html is not None:
            for element in self.html.iter():
                if isinstance(element.tag, str):
                    yield element

    @functools.cached_property
    def browser_elements(self) -> tuple[Element, ...]:
        """The HTML content's elements as a browser builds them (the HTML-safety
        rules judge these; see :mod:`newscheck.markup`)."""
        if self.html_span is None:
            return ()
        from .markup import elements  # here: most runs never ask for the browser's view

        return elements(self.source.text, self.html_span)

    def element_span(self, element: etree._Element) -> Span:
        """The span of an element's start tag (the content's start if unknown)."""
        if self.tags is None:
            return Span(0, 0)
        return self.tags.span(element)
