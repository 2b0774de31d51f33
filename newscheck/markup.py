"""The HTML content as a browser builds it, for the HTML-safety rules (NC80x).

lxml (libxml2) extracts the parts and fields, but it does not parse the way a
browser does: it reads ``<noscript>`` as markup (a browser that runs scripts
reads it as raw text), and it knows nothing of SVG and MathML. Markup that is
harmless to libxml2 can run script in a browser, so the safety rules judge the
tree of an HTML5-conformant parser: lexbor (through selectolax), a C parser
that follows the WHATWG tree construction, foreign content included.

The content is parsed as a fragment in a ``<div>``, the way a page shows it,
with scripting on; and, when that parse holds a ``<noscript>`` element (a
``srcdoc`` document's included), once more with scripting off (a reader
without scripts sees its content as markup; the scripting flag changes
nothing else, so a parse without one is the same either way). Each element is
then matched with its start tag in the raw text, so that a finding points at
the line and column where the tag is written.
"""

from __future__ import annotations

import collections
import functools
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from selectolax.lexbor import LexborHTMLParser

from .values import Span

# Elements whose content the tokenizer reads as text, up to their end tag
# (with scripting on, <noscript> too); not so inside SVG or MathML.
_RAW = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title"})
_FOREIGN = frozenset({"svg", "math"})
_NAME = re.compile(r"[^\t\n\f\r />]+")
_SPACE = re.compile(r"[\t\n\f\r /]*")
_ATTRIBUTE = re.compile(r"[^\t\n\f\r />][^\t\n\f\r /=>]*")
_VALUE = re.compile(r"""[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"?|'([^']*)'?|([^\t\n\f\r >]*))""")
# a tag that may stay open (not a void element such as <img>), and an end tag
_TAGS = re.compile(
    r"<(/?)(?!(?:area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr)[\s/>])",
    re.IGNORECASE,
)
_STEP = {"": 1, "/": -1}
_ADJUSTED = {"attributename": "attributeName"}  # as the parser names it on SVG elements
_COMMENT_END = re.compile(r"--!?>")
_CLOSING = {  # the end tag of each raw-text element
    tag: re.compile(rf"</{tag}[\t\n\f\r />]", re.IGNORECASE) for tag in (*_RAW, "noscript")
}
_AHEAD = 64  # how far past the last match a tag is looked for (keeps the match linear)
_WORK = 50_000_000  # steps of the parser's quadratic checks it may take (about 0.1 s)
# elements kept without attributes: for NC801 and NC802, and <noscript> (a second parse)
_NAMED = frozenset({"script", "iframe", "embed", "object", "frame", "noscript"})
_SMALL = 10_000  # characters: markup this short cannot hold _WORK steps
_SRCDOC_DEPTH = 2  # documents in srcdoc within srcdoc, judged this deep
# Start tags whose attributes a page's parser adds to the page's own element
# (<html>, <body>; <frameset> replaces the body): a fragment parse drops them.
_MERGED = frozenset({"html", "body", "frameset"})
_MERGED_TAG = re.compile(r"<(?:html|body|frameset)[\t\n\f\r />]", re.IGNORECASE)


class _Places:
    """Where the elements of one parse are written: found on first use (only
    a finding needs it), by matching them in order with the raw start tags."""

    def __init__(self, text: str, span: Span, scripting: bool, names: list[str]) -> None:
        self.text, self.whole, self.scripting, self.names = text, span, scripting, names

    @functools.cached_property
    def spans(self) -> list[Span]:
        tags = start_tags(self.text, self.whole.start, self.whole.end, self.scripting)
        spans: list[Span] = []
        cursor = 0
        for name in self.names:
            ahead = cursor
            limit = min(len(tags), cursor + _AHEAD)
            while ahead < limit and tags[ahead].name != name:
                ahead += 1
            if ahead < limit:
                spans.append(tags[ahead].span)
                cursor = ahead + 1
            else:  # made by the parser (an implied or reopened element): no tag of its own
                spans.append(Span(self.whole.start, self.whole.start))
        return spans


class _Written:
    """Where tags found by the tokenizer are written (their spans, known)."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = spans


class Element(NamedTuple):
    """An element as the browser builds it: lower-case ``tag``, its
    attributes (names as the parser gives them), ``within`` (``""``, or the
    attribute whose document holds it, such as ``srcdoc``), and where its
    start tag is written (:attr:`span`; a ``srcdoc`` document's elements are
    placed at their frame's tag)."""

    tag: str
    attributes: Mapping[str, str]
    places: _Places | _Written
    number: int  # in the parse's document order
    within: str = ""

    @property
    def span(self) -> Span:
        return self.places.spans[self.number]


@dataclass(frozen=True)
class _Tag:
    name: str
    span: Span
    attributes: dict[str, str]


def start_tags(text: str, start: int, end: int, scripting: bool) -> list[_Tag]:
    """The start tags written in ``text[start:end]``, as the HTML tokenizer
    finds them: not inside comments, quoted attribute values or raw text."""
    raw = _RAW | {"noscript"} if scripting else _RAW
    tags: list[_Tag] = []
    foreign = 0
    i = text.find("<", start, end)
    while i != -1:
        after = i + 1
        if text.startswith("!--", after, end):
            close = _COMMENT_END.search(text, i + 2, end)  # <!--> and <!---> end at once
            i = text.find("<", close.end() if close else end, end)
            continue
        if after < end and text[after] in "!?":
            gt = text.find(">", after, end)
            i = text.find("<", gt + 1 if gt != -1 else end, end)
            continue
        closing = text.startswith("/", after, end)
        name = _NAME.match(text, after + closing, end) if after + closing < end else None
        if name is None or not text[name.start()].isascii() or not text[name.start()].isalpha():
            i = text.find("<", after, end)
            continue
        tag = name.group().lower()
        gt, selfclosing, attributes = _tag_end(text, name.end(), end)
        if closing:
            foreign -= foreign > 0 and tag in _FOREIGN
        else:
            tags.append(_Tag(tag, Span(i, gt), attributes))
            if tag in _FOREIGN and not selfclosing:
                foreign += 1
            elif tag in raw and not foreign:
                gt = _raw_end(text, tag, gt, end)
        i = text.find("<", gt, end)
    return tags


def _tag_end(text: str, cursor: int, end: int) -> tuple[int, bool, dict[str, str]]:
    """Where a tag whose name ends at ``cursor`` ends (just past ``>``),
    whether it closes itself (``/>``), and its attributes (the first of a
    name wins, values with their character references decoded)."""
    attributes: dict[str, str] = {}
    if text.startswith(">", cursor, end):  # most tags: no attributes
        return cursor + 1, False, attributes
    from html import unescape  # here: most runs need no tokenizer (it places findings)

    while cursor < end:
        cursor = _SPACE.match(text, cursor, end).end()  # type: ignore[union-attr]
        if cursor >= end:
            break
        if text[cursor] == ">":
            return cursor + 1, text[cursor - 1] == "/", attributes
        name = _ATTRIBUTE.match(text, cursor, end)
        key = name.group().lower() if name else text[cursor]
        cursor = name.end() if name else cursor + 1
        value = _VALUE.match(text, cursor, end)
        written = ""
        if value:
            cursor = value.end()
            written = value.group(1) or value.group(2) or value.group(3) or ""
        attributes.setdefault(_ADJUSTED.get(key, key), unescape(written))
    return end, False, attributes


def _raw_end(text: str, tag: str, cursor: int, end: int) -> int:
    """Where the raw text of ``tag`` ends: at its end tag, else the end."""
    found = _CLOSING[tag].search(text, cursor, end)
    return found.start() if found else end


def elements(text: str, span: Span) -> tuple[Element, ...]:
    """The elements of the HTML content at ``span`` of ``text``, as a browser
    builds them, in document order (with scripting on, then off, without
    repeats), and the elements of any ``srcdoc`` document they hold."""
    first = _elements(text, span, True)
    if all(element.tag != "noscript" for element in first):  # scripting makes no difference
        return tuple(first)
    found: dict[tuple[Any, ...], Element] = {}
    for parsed in (first, _elements(text, span, False)):
        seen: collections.Counter[tuple[Any, ...]] = collections.Counter()
        for element in parsed:
            key = (element.tag, element.within, tuple(element.attributes.items()))
            seen[key] += 1
            found.setdefault((*key, seen[key]), element)
    return tuple(found.values())


def _elements(text: str, span: Span, scripting: bool, depth: int = 0) -> list[Element]:
    names: list[str] = []  # every element's tag, in order: where each is written (on demand)
    places = _Places(text, span, scripting, names)
    found: list[Element] = []
    srcdocs: list[tuple[int, str]] = []
    for tag, attributes in _tree(text, span, scripting):
        number = len(names)
        names.append(tag)
        if attributes:
            found.append(Element(tag, attributes, places, number))
            if attributes.get("srcdoc"):
                srcdocs.append((number, attributes["srcdoc"]))
        elif tag in _NAMED:  # an element without attributes matters to the rules by its name only
            found.append(Element(tag, attributes, places, number))
    if _MERGED_TAG.search(text, span.start, span.end):
        found.extend(_merged(text, span, scripting))
    if depth >= _SRCDOC_DEPTH:
        return found
    for index, srcdoc in srcdocs:
        for inner in _elements(srcdoc, Span(0, len(srcdoc)), scripting, depth + 1):
            found.append(Element(inner.tag, inner.attributes, places, index, "srcdoc"))
    return found


def _merged(text: str, span: Span, scripting: bool) -> list[Element]:
    """The ``<html>``, ``<body>`` and ``<frameset>`` tags written with
    attributes: a page that shows the content gives their attributes
    (``onload=…``) to its own element, though a fragment parse drops them."""
    tags = [
        tag
        for tag in start_tags(text, span.start, span.end, scripting)
        if tag.name in _MERGED and tag.attributes
    ]
    places = _Written([tag.span for tag in tags])
    return [Element(tag.name, tag.attributes, places, i) for i, tag in enumerate(tags)]


def _work(markup: str) -> int:
    """A bound of the steps of a parser's quadratic checks: the tags open at
    each tag, summed (a start tag of an element that is not void opens one, an
    end tag closes one), plus the
    square of the longest run between two tags (a tag's attributes)."""
    opened = itertools.accumulate(map(_STEP.__getitem__, _TAGS.findall(markup)), _open)
    return sum(opened) + (max(map(len, markup.split("<"))) // 2) ** 2


def _open(depth: int, step: int) -> int:
    return depth + step if depth + step > 0 else 0


def _tree(text: str, span: Span, scripting: bool) -> list[tuple[str, dict[str, str]]]:
    """(tag, attributes) of each element the parser builds, in document order.

    A tree builder checks the elements open at each start tag, and a
    tokenizer each attribute of a tag against the ones before it: deep nesting
    or a tag with very many attributes make that quadratic (10^5 nested
    ``<div>`` or attributes take lexbor minutes). When a bound of that work
    (:func:`_work`) is too large, the elements are the tokenizer's start tags instead:
    the same elements and attributes a browser builds, only not in a tree
    (browsers cap a tree's depth too)."""
    markup = text[span.start : span.end]
    if len(markup) > _SMALL and _work(markup) > _WORK:
        return [(t.name, t.attributes) for t in start_tags(text, span.start, span.end, scripting)]
    parser = LexborHTMLParser(markup, is_fragment=True, fragment_tag="div", scripting=scripting)
    root = parser.root
    found: list[tuple[str, dict[str, str]]] = []
    for node in root.traverse(include_text=False) if root is not None else ():
        if node.is_element_node:
            written = node.attributes  # a value written without "=" is None
            attributes = {k: v or "" for k, v in written.items()} if written else {}
            found.append(((node.tag or "").lower(), attributes))
    return found
