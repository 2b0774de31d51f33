"""Body rules: the visible text of the content, and damage to the text."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..article import Article, Status
from ..examples import BODY, DATE, Fail, Plant, article, examples, html
from ..mojibake import misreadings
from ..registry import rule
from ..values import Finding, Span
from ._util import shorten

_ENTITY_NAME = re.compile(r"#?[A-Za-z0-9]{1,10}")  # after '&': at most 11 characters


# A comic strip: media and a caption, no text.
_STRIP = '<figure><img src="https://example.com/strip.png"><figcaption>Part 1</figcaption></figure>'
# '中国国家副主席' and '韩正周三表示' in UTF-8 read as CP1252 (\xad: a soft hyphen)
_VICE_CHAIR = "ä¸\xadå›½å›½å®¶å‰¯ä¸»å¸\xad"
_HAN_ZHENG_SAID = "éŸ©æ\xad£å‘¨ä¸‰è¡¨ç¤º"


def _short_body(min_chars: int) -> Plant | tuple[()]:
    """A body one character shorter than ``min_chars`` (none when that is empty)."""
    short = "短" * (min_chars - 1)
    return html(needs="body", body=f"<p>{short}</p>") if short else ()


@rule("NC701", "empty-body", "error", reports=("content:missing",))
@examples(
    Fail(article(content=DATE + "<p> </p><p></p>"), [("NC701", "error", 5, 1)]),
    Fail(
        article(blank="", content=None),
        [("NC005", "warning", 4, 1), ("NC701", "error", 5, 1)],
        note="no content line",
    ),
    passing=[
        article(),
        article(content=DATE + _STRIP),
    ],
    plant=html(needs="body", media="", body="<p> </p>"),
)
def empty_body(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The article has no content, or its content has neither text nor media.

    Only markup (``<p></p>``, an empty ``<div>``) and whitespace is an
    article that failed to scrape. Content that is images or embedded media
    (``img``, ``picture``, ``video``, ``audio``, ``iframe``, ``svg``,
    ``embed``, ``object``), as comic strips and photo posts are, is not
    empty, with or without captions.
    """
    part = article.part("content")
    if part is not None and part.status is Status.MISSING and part.required:
        yield part.span, "expected the article's HTML content, found the end of the file"
        return
    schema = article.schema
    body_field = schema.roles.get("body") if schema is not None else None
    declared = schema is not None and any(f.name == body_field for f in schema.extract)
    if article.html_span is None or not declared:
        return
    body = article.role("body")
    if (body is None or not body.value) and not _has_media(article):
        yield (
            article.html_span,
            "expected visible text or media in the content, found only markup and whitespace",
        )


@rule("NC702", "short-body", "warning", min_chars=20)
@examples(
    Fail(article(content=DATE + "<p>点击阅读。</p>"), [("NC702", "warning", 5, 48)]),
    passing=[
        article(),
        article(content=DATE + _STRIP),
    ],
    plant=lambda schema: _short_body(int(schema.rules["NC702"].options["min_chars"])),
)
def short_body(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The body's visible text is shorter than ``min_chars`` characters.

    The shortest real body is 38 characters; a few characters usually mean a
    scraper that caught a teaser or an error page. Not reported when the
    content is media whose only text is their captions (``figcaption``), as
    in a photo post or a comic strip: a caption's length says nothing of a
    cut article. A teaser keeps paragraph text beside its image, so it is
    still reported.

    Options: ``min_chars`` (integer).
    """
    body = article.role("body")
    if body is None or not body.value or len(body.value) >= options["min_chars"]:
        return
    if _has_media(article) and not _outside_captions(article, body.value):
        return
    yield (
        body.span,
        (
            f"expected at least {options['min_chars']} characters of text, "
            f"found {len(body.value)}: {shorten(body.value)}"
        ),
    )


_MEDIA = ("img", "picture", "video", "audio", "iframe", "svg", "embed", "object")


def _has_media(article: Article) -> bool:
    return article.html is not None and next(article.html.iter(*_MEDIA), None) is not None


def _outside_captions(article: Article, text: str) -> str:
    """What of the body's ``text`` is not the text of a ``figcaption``."""
    assert article.html is not None
    for caption in article.html.iter("figcaption"):
        text = text.replace(" ".join(" ".join(caption.itertext()).split()), "", 1)
    return text.strip()


@rule("NC703", "truncated-body", "error")
@examples(
    Fail(
        article(content=DATE + BODY + '<img src="https://images.weserv.nl?url=gd'),
        [("NC703", "error", 5, 89)],
    ),
    Fail(article(content=DATE + BODY[:-4] + "&nbs"), [("NC703", "error", 5, 85)]),
    passing=[article()],
    plant=html('<img src="https://images.weserv.nl?url=gd'),
)
def truncated_body(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The content ends in the middle of a tag or an entity.

    A scraper or writer that stopped early leaves ``<img src="ht`` or
    ``&nbs`` at the end of the content.
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


@rule("NC704", "mojibake", "error")
@examples(
    Fail(
        article(content=DATE + "<p>" + _VICE_CHAIR + _HAN_ZHENG_SAID + "</p>" + BODY),
        [("NC704", "error", 5, 51)],
        note="'中国国家副主席韩正周三表示' in UTF-8 read as CP1252",
    ),
    Fail(
        article(content=DATE + "<p>缇庡浗鎬荤粺</p>" + BODY),
        [("NC704", "error", 5, 51)],
        note="'美国总统' in UTF-8 read as GBK",
    ),
    passing=[article(content=BODY.replace("两国关系", "H&M 与 Café naïve Ägypten"))],
    plant=html(f"<p>{_VICE_CHAIR}</p>"),
)
def mojibake(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The text holds UTF-8 that some program decoded with the wrong codec.

    Found by round trip for every common confusion: UTF-8 read as GBK/GB18030,
    Big5, Shift-JIS, EUC-KR, CP1252/Latin-1, and read as CP1252 twice
    (double-encoded). A run is mojibake when encoding it back with that codec
    and decoding the bytes as UTF-8 gives real text of the expected script,
    and that text is more plausible than the run (common characters of one
    writing system, not rare ones or a mix). The first run is reported with
    what it most likely was and the count of runs. Real CJK, Latin, Japanese
    and Korean text does not round-trip so; an original of one CJK character
    is too weak a sign and is not reported.
    """
    runs = misreadings(article.source.text)
    if runs:
        first = runs[0]
        yield (
            Span(first.start, first.end),
            (
                f"expected readable text, found mojibake: {first.found!r} is "
                f"{first.original!r} read as {first.codec} ({len(runs)} run(s) in the file)"
            ),
        )


@rule("NC705", "replacement-character", "warning")
@examples(
    Fail(
        article(content=DATE + "<p>另外，2018年首次颁奖的\ufffd</p>" + BODY),
        [("NC705", "warning", 5, 64)],
    ),
    passing=[article()],
    plant=html("<p>首次颁奖的\ufffd</p>"),
)
def replacement_character(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The text holds U+FFFD, the replacement character.

    Some upstream decoder met bytes it could not read and replaced them; the
    original characters are lost. Real feeds carry a few, so it is a warning.
    Not reported when the file itself is not UTF-8 (``invalid-utf8``).
    """
    if article.source.invalid_utf8 is not None:
        return
    text = article.source.text
    at = text.find("\ufffd")
    if at != -1:
        count = text.count("\ufffd")
        yield Span(at, at + 1), f"expected readable text, found U+FFFD ({count} in the file)"
