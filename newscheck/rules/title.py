"""Title link rules: ``[TITLE](URL)`` on the line after the timestamp."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..article import Article
from ..examples import Fail, article, examples, field, longer_than
from ..registry import rule
from ..values import Finding, Span
from ._util import found, malformed, missing, shorten

_MARKUP = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);|</?[A-Za-z][^<>]*>")
_PAIRS = {"[": "]", "(": ")", "（": "）", "【": "】", "《": "》", "「": "」", "『": "』"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}


@rule("NC201", "missing-title-link", "error", reports=("title:missing",))
@examples(Fail(article(title=None), [("NC201", "error", 2, 1)]), passing=[article()])
def missing_title_link(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The title link line is missing.

    After the timestamp comes the title as a markdown link,
    ``[TITLE](URL)``; without it the article has neither title nor URL.
    """
    part = missing(article, "title")
    if part:
        yield part.span, f"expected a title link '[TITLE](URL)', {found(part)}"


@rule("NC202", "malformed-title-link", "error", reports=("title:malformed",))
@examples(
    Fail(article(title="[标题](https://www.voachinese.com/a/1.html"), [("NC202", "error", 2, 1)]),
    passing=[article(title="[标题](https://zh.wikipedia.org/wiki/A_(b))")],
)
def malformed_title_link(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The title line starts like a link but is not ``[TITLE](URL)``.

    Usually a closing ``]`` or ``)`` is missing, or text follows the link.
    The URL is read as CommonMark reads a link destination: parentheses in
    balanced pairs (nested up to three deep) or backslash-escaped; an
    unpaired parenthesis is reported where it is. (A destination written in
    ``<...>`` is not read as one: feed archivers write bare URLs.)
    """
    part = malformed(article, "title")
    if not part:
        return
    line = part.found or ""
    paren = _unbalanced_paren(line)
    if paren is None:
        yield part.span, f"expected a title link '[TITLE](URL)', {found(part)}"
        return
    at = part.span.start + paren
    yield (
        Span(at, at + 1),
        (
            f"expected a title link '[TITLE](URL)' whose URL has its parentheses in pairs, "
            f"found an unpaired {line[paren]!r} in {shorten(line)}"
        ),
    )


def _unbalanced_paren(line: str) -> int | None:
    """Where the link destination of ``[TITLE](URL)`` has an unpaired
    parenthesis, as CommonMark reads it (a backslash escapes one), if it has."""
    start = line.rfind("](")
    if start == -1 or not line.endswith(")"):
        return None
    opened: list[int] = []
    at = start + 2
    while at < len(line) - 1:
        char = line[at]
        if char == "\\":
            at += 1
        elif char == "(":
            opened.append(at)
        elif char == ")":
            if not opened:
                return at
            opened.pop()
        at += 1
    return opened[0] if opened else None


@rule("NC203", "empty-title", "error")
@examples(
    Fail(article(title="[](https://www.voachinese.com/a/1.html)"), [("NC203", "error", 2, 1)]),
    passing=[article()],
    plant=field("title", lambda _: ""),
)
def empty_title(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The title link has no text: ``[](URL)``."""
    title = article.role("title")
    if title is not None and not title.value.strip():
        shown = shorten(title.value) if title.value else "nothing"
        yield (
            Span(title.span.start - 1, title.span.end + 1),
            f"expected a title inside '[]', found {shown}",
        )


@rule("NC204", "multiline-title", "error")
@examples(
    Fail(
        article(title="[德语媒体：北京的快速回应\n\n](https://www.dw.com/zh/a-1)"),
        [("NC204", "error", 2, 2)],
    ),
    passing=[article(title="[德语媒体：北京的快速回应](https://www.dw.com/zh/a-1)")],
    plant=field(
        "title", lambda title: f"{title[: len(title) // 2]}\n{title[len(title) // 2 :]}", lines=2
    ),
)
def multiline_title(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The title holds a line break, so the link spans several lines.

    Older writers did not strip the feed title; markdown renderers then show
    the raw brackets. The link is still recognised, so the rest is checked.
    """
    title = article.role("title")
    if title is not None and "\n" in title.value:
        lines = title.value.count("\n") + 1
        yield title.span, f"expected the title on one line, found it spread over {lines} lines"


@rule("NC205", "unbalanced-brackets", "warning")
@examples(
    Fail(article(title="[美国大选（更新](https://a.example/x)"), [("NC205", "warning", 2, 6)]),
    passing=[
        article(title="[美国大选（更新）](https://a.example/x)"),
        article(title="[[视频]北京（更新）｜ 说明 【快讯】](https://www.dw.com/zh/a-1?x=1)"),
    ],
    plant=field("title", lambda title: title + "（"),
)
def unbalanced_brackets(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """A bracket or parenthesis in the title is not closed (or not opened).

    Titles legitimately hold ``[视频]``, ``（）`` and ``【】``; an unpaired one
    usually means the title was cut, and it can break markdown link parsing.
    """
    title = article.role("title")
    if title is None:
        return
    stack: list[tuple[str, int]] = []
    for index, char in enumerate(title.value):
        if char in _PAIRS:
            stack.append((char, index))
        elif char in _CLOSERS:
            if stack and stack[-1][0] == _CLOSERS[char]:
                stack.pop()
            else:
                at = title.span.start + index
                yield (
                    Span(at, at + 1),
                    f"expected an opening {_CLOSERS[char]!r} before {char!r}, found none",
                )
                return
    if stack:
        char, index = stack[-1]
        at = title.span.start + index
        yield (
            Span(at, at + 1),
            f"expected {_PAIRS[char]!r} to close {char!r}, found the end of the title",
        )


@rule("NC206", "markup-in-title", "error")
@examples(
    Fail(article(title="[中方&quot;反制&quot;](https://a.example/x)"), [("NC206", "error", 2, 4)]),
    passing=[article(title='[中方"反制"](https://a.example/x)')],
    plant=field("title", lambda title: title + "&quot;"),
)
def markup_in_title(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The title holds an HTML entity or tag.

    The generator writes the feed title as plain text; ``&quot;`` or ``<b>``
    in it are double-escaped markup that readers see raw.
    """
    title = article.role("title")
    if title is None:
        return
    hit = _MARKUP.search(title.value)
    if hit:
        start = title.span.start + hit.start()
        yield (
            Span(start, start + len(hit.group())),
            (f"expected plain text in the title, found markup {shorten(hit.group())}"),
        )


@rule("NC207", "title-whitespace", "warning")
@examples(
    Fail(article(title="[标题 ](https://a.example/x)"), [("NC207", "warning", 2, 4)]),
    passing=[article(title="[标题](https://a.example/x)")],
    plant=field("title", lambda title: " " + title),
)
def title_whitespace(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The title starts or ends with whitespace.

    Current writers strip the title; older ones left a trailing space.
    """
    title = article.role("title")
    if title is None or not title.value.strip() or "\n" in title.value:
        return
    value = title.value
    lead = len(value) - len(value.lstrip())
    trail = len(value) - len(value.rstrip())
    if lead:
        yield (
            Span(title.span.start, title.span.start + lead),
            "expected no whitespace before the title, found some",
        )
    if trail:
        yield (
            Span(title.span.end - trail, title.span.end),
            "expected no whitespace after the title, found some",
        )


@rule("NC208", "title-too-long", "warning", max_chars=200)
@examples(
    Fail(article(), [("NC208", "warning", 2, 2)], note="with max_chars = 10"),
    passing=[article(title="[韩正表态](https://www.voachinese.com/a/7346550.html)")],
    schema="extends: feed-article\nrules:\n  NC208: {max_chars: 10}\n",
    plant=lambda schema: field("title", longer_than(schema.rules["NC208"].options["max_chars"])),
)
def title_too_long(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The title is longer than ``max_chars`` characters (default 200).

    Real feed titles stay under about 60 characters; a very long one is
    usually the body or a summary glued into the title by a broken scraper.

    Options: ``max_chars`` (integer).
    """
    title = article.role("title")
    if title is not None and len(title.value) > options["max_chars"]:
        yield (
            title.span,
            (
                f"expected at most {options['max_chars']} characters in the title, "
                f"found {len(title.value)}"
            ),
        )
