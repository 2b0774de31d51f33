"""Small helpers shared by rule modules."""

from __future__ import annotations

from ..article import Article, Part, Status
from ..values import Span

FOUND_MAX = 60


def shorten(text: str, limit: int = FOUND_MAX) -> str:
    """``text`` quoted for a message, cut to ``limit`` characters."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(text)


def found(part: Part) -> str:
    """What stood where ``part`` was expected, for a message."""
    if part.found is None:
        return "found the end of the file"
    return f"found {shorten(part.found)}" if part.found else "found an empty line"


def missing(article: Article, name: str) -> Part | None:
    """The part ``name`` if it is required and missing."""
    part = article.part(name)
    if part is not None and part.status is Status.MISSING and part.required:
        return part
    return None


def malformed(article: Article, name: str) -> Part | None:
    part = article.part(name)
    return part if part is not None and part.status is Status.MALFORMED else None


def first_char(offset: int) -> Span:
    return Span(offset, offset + 1)
