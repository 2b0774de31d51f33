"""``block: html``: the article's HTML content, parsed once with lxml.

The fields of the schema's ``extract`` are read from its tree
(:mod:`newscheck.parse`); the factory and the strategies build it from
pieces (:mod:`newscheck.render`, :mod:`newscheck.strategies`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from .base import BlockKind, Parsed

if TYPE_CHECKING:
    from lxml import etree

    from ..article import Part
    from ..source import Source
    from ..values import Span


@functools.cache
def _lxml() -> tuple[Callable[[str], etree._Element], tuple[type[Exception], ...]]:
    """lxml's parse with one parser per process (no network, no DTD loading,
    bounded trees), and the errors it raises: looked up once, not per file."""
    from lxml import etree  # lxml is slow to import: loading a schema or a cached run needs none

    parser = etree.HTMLParser(
        recover=True, no_network=True, remove_comments=False, remove_pis=True, huge_tree=False
    )
    return functools.partial(etree.fromstring, parser=parser), (etree.ParserError, ValueError)


def _parse_html(text: str) -> etree._Element | None:
    if not text or text.isspace():
        return None
    fromstring, errors = _lxml()
    try:
        return fromstring(text)
    except errors:
        return None


def parse(part: Part, span: Span, source: Source) -> Parsed:
    """The block's HTML tree (None for a blank block)."""
    return Parsed(part, None, _parse_html(source.slice(span)))


KIND = BlockKind("html", parse, content=True)
