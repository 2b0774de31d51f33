"""HTML safety rules: active content and links that break off-site.

They judge the elements a browser builds from the content
(:attr:`Article.browser_elements`, see :mod:`newscheck.markup`), not lxml's tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..article import Article
from ..examples import BODY, CONTENT, DATE, Fail, article, examples, html
from ..registry import rule
from ..values import Finding

if TYPE_CHECKING:
    from ..markup import Element

# Attributes whose value a browser loads or follows as an address, on any
# element (HTML, SVG or MathML: SVG and MathML take ``href`` on any element).
_URL_ATTRIBUTES = frozenset(
    {
        "href", "xlink:href", "src", "action", "formaction", "poster", "data", "background",
        "cite", "codebase", "dynsrc", "lowsrc", "longdesc", "manifest", "icon", "archive",
        "classid", "xml:base", "profile", "usemap",
    }
)  # fmt: skip
# Attributes of an SVG animation (<animate>, <set>, ...) that give the
# animated attribute its values: an address when that attribute is one.
_ANIMATED = ("values", "to", "from", "by")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "livescript"})
# data: documents that hold no script wherever they are loaded
_INERT_DATA = re.compile(r"(?:image/(?!svg)|audio/|video/|font/|text/plain[;,])", re.I)
_C0_SPACE = "".join(map(chr, range(0x21)))
_URL_SPACE = str.maketrans("", "", "\t\n\r")
_REFRESH = re.compile(r"""^[\s\d.]*[;,]?\s*(?:url\s*=\s*)?["']?([^"']*)""", re.I)


def _url(value: str) -> str:
    """An address as a browser's URL parser reads it: control characters and
    spaces around it dropped, tabs and newlines removed anywhere."""
    url = value.strip(_C0_SPACE)
    if "\t" in url or "\n" in url or "\r" in url:  # seldom: a translation costs ~1 us
        url = url.translate(_URL_SPACE)
    return url


def _scheme(value: str) -> str | None:
    """The scheme of an address (case folded), if it is one that runs script."""
    url = _url(value)
    found = _SCHEME.match(url)
    if found is None:
        return None
    scheme = found.group()[:-1].lower()
    if scheme in _SCRIPT_SCHEMES:
        return scheme
    if scheme == "data" and not _INERT_DATA.match(url, found.end()):
        return scheme
    return None


def _addresses(element: Element) -> Iterator[tuple[str, str]]:
    """(attribute, address) for each address an element loads or follows."""
    attributes = element.attributes
    for name, value in attributes.items():
        if name.lower() in _URL_ATTRIBUTES:
            yield name, value
    animated = attributes.get("attributeName", attributes.get("attributename", ""))
    if animated.lower() in _URL_ATTRIBUTES:
        for name in _ANIMATED:
            for value in attributes.get(name, "").split(";" if name == "values" else None):
                yield name, value
    if element.tag == "meta" and attributes.get("http-equiv", "").strip().lower() == "refresh":
        yield "content", _REFRESH.match(attributes.get("content", "")).group(1)  # type: ignore[union-attr]


_FRAMES = frozenset({"iframe", "embed", "object", "frame"})
_LINKS = {"a": ("href", "xlink:href"), "img": ("src",)}


def _where(element: Element) -> str:
    return f" in the document of {element.within}" if element.within else ""


@rule("NC801", "script-element", "warning")
@examples(
    Fail(
        article(
            content=CONTENT + '<script src="https://platform.twitter.com/widgets.js"></script>'
        ),
        [("NC801", "warning", 5, 222)],
    ),
    passing=[article()],
    plant=html('<script src="https://platform.twitter.com/widgets.js"></script>'),
    message=r"expected no <script> in the content, found .+",
)
def script_element(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The content holds a ``<script>`` element.

    Scripts run wherever the archive is rendered. Real feeds embed widgets
    this way, so it is a warning; raise it for sites that render articles.
    """
    for element in article.browser_elements:
        if element.tag == "script":
            yield element.span, f"expected no <script> in the content, found one{_where(element)}"


@rule("NC802", "embedded-frame", "info")
@examples(
    Fail(
        article(content=CONTENT + '<iframe src="https://www.youtube.com/embed/x"></iframe>'),
        [("NC802", "info", 5, 222)],
    ),
    passing=[article(content=CONTENT + '<video src="https://example.com/a.mp4"></video>')],
    plant=html('<iframe src="https://www.youtube.com/embed/x"></iframe>'),
    message=r"expected no embedded page, found <(iframe|frame|object|embed)>",
)
def embedded_frame(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The content embeds another page: ``<iframe>``, ``<embed>``, ``<object>``.

    Real feeds embed videos this way (YouTube), so it is ``info``.
    """
    for element in article.browser_elements:
        if element.tag in _FRAMES:
            yield element.span, f"expected no embedded page, found <{element.tag}>{_where(element)}"


@rule("NC803", "event-handler-attribute", "error")
@examples(
    Fail(
        article(content=DATE + '<img src="https://a.example/a.jpg" onerror="alert(1)">' + BODY),
        [("NC803", "error", 5, 48)],
    ),
    passing=[article()],
    plant=html('<img src="https://example.com/a.jpg" onerror="alert(1)">'),
    message=r"expected no event handler attributes, found on[a-z]+ on <[a-z0-9]+>",
)
def event_handler_attribute(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """An element carries an ``on*=`` event handler attribute.

    Event handlers are script, run in the reader's page. Real feeds do carry
    some, from the site's own markup (a ``<source onerror=...>`` that swaps a
    video for its fallback, an ``onload=`` of lazy loading); they run all the
    same, with whatever the feed put in them, and one cannot be told from
    injected content, so each is reported (``per-file-ignores`` can leave
    out the files of a source known to carry its own).
    """
    for element in article.browser_elements:
        handlers = sorted(k for k in element.attributes if k.lower().startswith("on"))
        animated = element.attributes.get("attributeName", "")
        if animated.lower().startswith("on"):  # an animation that sets a handler
            handlers.append(f"attributeName={animated}")
        if handlers:
            yield (
                element.span,
                (
                    f"expected no event handler attributes, found {', '.join(handlers)} "
                    f"on <{element.tag}>{_where(element)}"
                ),
            )


@rule("NC804", "javascript-url", "error")
@examples(
    Fail(
        article(content=CONTENT + '<a href=" javascript:alert(1)">more</a>'),
        [("NC804", "error", 5, 222)],  # a URL parser strips the space: no relative link
    ),
    passing=[article(content=CONTENT + '<a href="https://example.com/more">more</a>')],
    plant=html('<p><a href="javascript:alert(1)">more</a></p>'),
    message=r"expected an http\(s\) address in [a-z]+ of <[a-z0-9]+>, found a javascript: URL",
)
def javascript_url(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """A link or resource address in the content runs script.

    Addresses are read where a browser reads them (``href``, ``src``,
    ``action``, ``formaction``, ``data`` and the like on HTML, SVG and MathML
    elements, ``xlink:href``, the values an SVG animation gives an address,
    a ``<meta>`` refresh, a frame's ``srcdoc`` document) and as its URL parser
    reads them: entities decoded, tabs and newlines dropped, case folded. The
    schemes that run script are ``javascript:``, ``vbscript:`` and ``data:``
    of any type but images, audio, video, fonts and plain text.
    """
    for element in article.browser_elements:
        for name, value in _addresses(element):
            scheme = _scheme(value)
            if scheme is not None:
                yield (
                    element.span,
                    (
                        f"expected an http(s) address in {name} of <{element.tag}>, "
                        f"found a {scheme}: URL{_where(element)}"
                    ),
                )


@rule("NC805", "relative-link", "warning")
@examples(
    Fail(
        article(content=CONTENT + '<a href="/a/7346455.html"></a>'),
        [("NC805", "warning", 5, 222)],
    ),
    passing=[
        article(
            content=DATE
            + BODY
            + '<a href="https://www.voachinese.com/a/1.html">x</a><a href="#top"></a>'
        )
    ],
    plant=html('<p><a href="/a/7346455.html">related</a></p>'),
    message=r"expected an absolute address in [a-z]+, found relative .+",
)
def relative_link(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """A link or image in the content has a relative address.

    ``href="/a/7346455.html"`` works on the source site and breaks everywhere
    the article is archived or re-published. Protocol-relative addresses
    (``//host/...``) and in-page anchors (``#x``) are not reported here.
    """
    for element in article.browser_elements:
        if element.within or element.tag not in _LINKS:
            continue
        for name in _LINKS[element.tag]:
            value = _url(element.attributes.get(name, ""))
            if not value or value.startswith(("//", "#")) or _SCHEME.match(value):
                continue
            yield (
                element.span,
                f"expected an absolute address in {name}, found relative {value[:60]!r}",
            )
