"""``block: html``: the article's HTML content, parsed once with lxml.

The fields of the schema's ``extract`` are read from its tree
(:mod:`newscheck.parse`); the factory and the strategies build it from
pieces (:mod:`newscheck.render`, :mod:`newscheck.strategies`).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from .base import BlockKind, Parsed

if TYPE_CHECKING:
    from lxml import etree

    from ..article import Part
    from ..source import Source, Span


@functools.cache
def _parser() -> etree.HTMLParser:
    """One parser per process: no network, no DTD loading, bounded trees."""
    from lxml import etree  # lxml is slow to import: loading a schema or a cached run needs none

    return etree.HTMLParser(
        recover=True, no_network=True, remove_comments=False, remove_pis=True, huge_tree=False
    )


def _parse_html(text: str) -> etree._Element | None:
    from lxml import etree  # lxml is slow to import: loading a schema or a cached run needs none

    if not text or text.isspace():
        return None
    try:
        return etree.fromstring(text, _parser())
    except (etree.ParserError, ValueError):
        return None


def parse(part: Part, span: Span, source: Source) -> Parsed:
    """The block's HTML tree (None for a blank block)."""
    return Parsed(part, None, _parse_html(source.slice(span)))


KIND = BlockKind("html", parse, content=True)
