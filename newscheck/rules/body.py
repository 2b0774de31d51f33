"""Body rules: the visible text of the content, and damage to the text."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..article import Article, Status
from ..diagnostics import Finding, rule
from ..source import Span
from ._util import shorten

_ENTITY_NAME = re.compile(r"#?[A-Za-z0-9]{1,10}")  # after '&': at most 11 characters
# A character U+00C2..U+00F4 (a UTF-8 lead byte read as Latin-1/CP1252)
# followed by one or more characters that such a reading makes of a
# continuation byte (0x80..0xBF).
_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{_CONTINUATION}]{{1,3}}")


@rule("NC701", "empty-body", "error", reports=("content:missing",))
def empty_body(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The article has no content, or its content has no visible text.

    Only markup (``<p></p>``, an image) and whitespace is an article that
    failed to scrape.

    Fail::

        <div><i>Mon, 20 Jul 2020 19:22:03 GMT</i></div><p> </p>

    Pass::

        <div><i>Mon, 20 Jul 2020 19:22:03 GMT</i></div><p>Text.</p>
    """
    part = article.part("content")
    if part is not None and part.status is Status.MISSING and part.required:
        yield part.span, "expected the article's HTML content, found the end of the file"
        return
    declared = article.schema is not None and any(f.name == "body" for f in article.schema.extract)
    if article.html_span is None or not declared:
        return
    body = article.field("body")
    if body is None or not body.value:
        yield (
            article.html_span,
            "expected visible text in the content, found only markup and whitespace",
        )


@rule("NC702", "short-body", "warning", min_chars=20)
def short_body(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The body's visible text is shorter than ``min_chars`` characters.

    The shortest real body is 38 characters; a few characters usually mean a
    scraper that caught a teaser or an error page.

    Fail::

        <p>Read more.</p>

    Pass::

        <p>中国国家副主席韩正周三表示，中美双方进行高层对话有助于改善两国关系。</p>

    Options: ``min_chars`` (integer).
    """
    body = article.field("body")
    if body is not None and body.value and len(body.value) < options["min_chars"]:
        yield (
            body.span,
            (
                f"expected at least {options['min_chars']} characters of text, "
                f"found {len(body.value)}: {shorten(body.value)}"
            ),
        )


@rule("NC703", "truncated-body", "error")
def truncated_body(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The content ends in the middle of a tag or an entity.

    A scraper or writer that stopped early leaves ``<img src="ht`` or
    ``&nbs`` at the end of the content.

    Fail::

        <p>中国国家副主席韩正周三表示</p><img src="https://images.weserv.nl?url=gd

    Pass::

        <p>中国国家副主席韩正周三表示</p>
    """
    span = article.html_span
    if span is None:
        return
    cut = _cut(article.source.text, span.start, span.end)
    if cut is not None:
        at, what = cut
        yield (
            Span(at, span.end),
            (
                f"expected the content to end after a complete tag, found it cut inside "
                f"{what}: {shorten(article.source.text[at : span.end], 40)}"
            ),
        )


def _cut(text: str, start: int, end: int) -> tuple[int, str] | None:
    """Where ``text[start:end]`` ends inside a tag (a '<' with no '>' after
    it) or an entity (``&`` and a name or number up to the end), and which."""
    at = text.rfind("<", start, end)
    if at != -1 and text.find(">", at, end) == -1:
        return at, "a tag"
    at = text.rfind("&", max(start, end - 12), end)
    if at != -1 and _ENTITY_NAME.fullmatch(text, at + 1, end):
        return at, "an entity"
    return None


def _is_mojibake(run: str) -> bool:
    for encoding in ("cp1252", "latin-1"):
        try:
            run.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
        return True
    return False


@rule("NC704", "mojibake", "error")
def mojibake(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The text holds UTF-8 that was decoded as Latin-1 or CP1252.

    ``ä¸­å›½`` instead of ``中国``: each such run decodes back to real UTF-8,
    which is how it is told apart from real accented text. The first run is
    reported with the count of runs.

    Fail::

        <p>ä¸­å›½å›½å®¶å‰¯ä¸»å¸­</p>

    Pass::

        <p>中国国家副主席</p>
        <p>Café, naïve, Ägypten</p>
    """
    text = article.source.text
    runs = [m for m in _MOJIBAKE.finditer(text) if _is_mojibake(m.group())]
    if runs:
        first = runs[0]
        yield (
            Span(first.start(), first.end()),
            (
                f"expected readable text, found mojibake {first.group()!r} "
                f"(UTF-8 read as Latin-1/CP1252, {len(runs)} run(s) in the file)"
            ),
        )


@rule("NC705", "replacement-character", "warning")
def replacement_character(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The text holds U+FFFD, the replacement character.

    Some upstream decoder met bytes it could not read and replaced them; the
    original characters are lost. Real feeds carry a few, so it is a warning.
    Not reported when the file itself is not UTF-8 (``invalid-utf8``).

    Fail::

        <p>另外，2018年首次颁奖的�</p>

    Pass::

        <p>另外，2018年首次颁奖的金球奖</p>
    """
    if article.source.invalid_utf8 is not None:
        return
    text = article.source.text
    at = text.find("\ufffd")
    if at != -1:
        count = text.count("\ufffd")
        yield Span(at, at + 1), f"expected readable text, found U+FFFD ({count} in the file)"
