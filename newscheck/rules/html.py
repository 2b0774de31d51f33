"""HTML safety rules: active content and links that break off-site."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..article import Article
from ..diagnostics import Finding, rule

_URL_QUERY = " | ".join(
    f"//@{a}" for a in ("href", "src", "action", "formaction", "poster", "data")
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_JAVASCRIPT = re.compile(
    r"^[\x00-\x20]*j[\s]*a[\s]*v[\s]*a[\s]*s[\s]*c[\s]*r[\s]*i[\s]*p[\s]*t[\s]*:", re.I
)


def _tag(element: Any) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


@functools.cache
def _query(expression: str) -> Any:
    from lxml import etree

    return etree.XPath(expression)


def _select(article: Article, expression: str) -> list[Any]:
    """Nodes of the HTML content (the HTML parser lower-cases names)."""
    return [] if article.html is None else _query(expression)(article.html)


@rule("NC801", "script-element", "warning")
def script_element(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The content holds a ``<script>`` element.

    Scripts run wherever the archive is rendered. Real feeds embed widgets
    this way, so it is a warning; raise it for sites that render articles.

    Fail::

        <p>text</p><script src="https://platform.twitter.com/widgets.js"></script>

    Pass::

        <p>text</p>
    """
    for element in _select(article, "//script"):
        yield article.element_span(element), "expected no <script> in the content, found one"


@rule("NC802", "embedded-frame", "info")
def embedded_frame(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The content embeds another page: ``<iframe>``, ``<embed>``, ``<object>``.

    Real feeds embed videos this way (YouTube), so it is ``info``.

    Fail::

        <iframe src="https://www.youtube.com/embed/x"></iframe>

    Pass::

        <video src="https://example.com/a.mp4"></video>
    """
    for element in _select(article, "//iframe | //embed | //object | //frame"):
        yield article.element_span(element), f"expected no embedded page, found <{_tag(element)}>"


@rule("NC803", "event-handler-attribute", "error")
def event_handler_attribute(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """An element carries an ``on*=`` event handler attribute.

    Event handlers are script, run in the reader's page. Real feeds do carry
    some, from the site's own markup (a ``<source onerror=...>`` that swaps a
    video for its fallback, an ``onload=`` of lazy loading); they run all the
    same, with whatever the feed put in them, and one cannot be told from
    injected content, so each is reported (``per-file-ignores`` can leave
    out the files of a source known to carry its own).

    Fail::

        <img src="a.jpg" onerror="alert(1)">

    Pass::

        <img src="https://example.com/a.jpg">
    """
    for element in _select(article, "//*[@*[starts-with(name(), 'on')]]"):
        handlers = sorted(k for k in element.attrib if str(k).lower().startswith("on"))
        if handlers:
            yield (
                article.element_span(element),
                (
                    f"expected no event handler attributes, found {', '.join(handlers)} "
                    f"on <{_tag(element)}>"
                ),
            )


@rule("NC804", "javascript-url", "error")
def javascript_url(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """A link or resource address in the content uses ``javascript:``.

    Fail::

        <a href="javascript:alert(1)">more</a>

    Pass::

        <a href="https://example.com/more">more</a>
    """
    for value in _select(article, _URL_QUERY):
        if "script" in value.lower() and _JAVASCRIPT.match(value):
            yield (
                article.element_span(value.getparent()),
                f"expected an http(s) address in {value.attrname}, found a javascript: URL",
            )


@rule("NC805", "relative-link", "warning")
def relative_link(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """A link or image in the content has a relative address.

    ``href="/a/7346455.html"`` works on the source site and breaks everywhere
    the article is archived or re-published. Protocol-relative addresses
    (``//host/...``) and in-page anchors (``#x``) are not reported here.

    Fail::

        <a href="/a/7346455.html">related</a>

    Pass::

        <a href="https://www.voachinese.com/a/7346455.html">related</a>
    """
    for value in _select(article, "//a/@href | //img/@src"):
        if not value or value.startswith(("//", "#")) or _SCHEME.match(value):
            continue
        yield (
            article.element_span(value.getparent()),
            f"expected an absolute address in {value.attrname}, found relative {value[:60]!r}",
        )
