"""URL rules: the link target of the title line."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from ..article import Article, Field
from ..examples import Fail, article, examples, field
from ..registry import rule
from ..values import Finding, Span
from ._util import shorten

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_SPACE = re.compile(r"\s")
_PLAIN = re.compile(r"https?://[a-z0-9.-]+(?:[/?#]|$)")
_UNNORMALISED = re.compile(r"[^\x21-\x7e]|[\"<>`{}]")


def _url(article: Article) -> Field | None:
    url = article.role("url")
    return url if url is not None and url.value.strip() else None


@rule("NC301", "empty-url", "error")
@examples(
    Fail(article(title="[标题]()"), [("NC301", "error", 2, 5)]),
    passing=[article()],
    plant=field("url", lambda _: ""),
)
def empty_url(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The title link has no target: ``[Title]()``."""
    url = article.role("url")
    if url is not None and not url.value.strip():
        yield (
            Span(url.span.start - 1, url.span.end + 1),
            "expected a URL inside '()', found nothing",
        )


@rule("NC302", "relative-url", "error")
@examples(
    Fail(article(title="[标题](/a/7346455.html)"), [("NC302", "error", 2, 6)]),
    Fail(article(title="[标题](//www.voachinese.com/a/1.html)"), [("NC302", "error", 2, 6)]),
    passing=[article()],
    plant=field("url", lambda _: "/a/7346455.html"),
)
def relative_url(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The article URL is relative (no scheme, or protocol-relative).

    An archive is read far from the site it came from; a relative URL points
    nowhere there.
    """
    url = _url(article)
    if url is not None and not _SCHEME.match(url.value):
        yield url.span, f"expected an absolute http(s) URL, found {shorten(url.value)}"


@rule("NC303", "unsupported-scheme", "error")
@examples(
    Fail(article(title="[标题](javascript:void%200)"), [("NC303", "error", 2, 6)]),
    passing=[article(title="[标题](http://www.voachinese.com/a/1.html)")],
    plant=field("url", lambda _: "javascript:void%200"),
)
def unsupported_scheme(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The article URL's scheme is not http or https.

    ``javascript:``, ``data:`` and ``file:`` links are never a news article,
    and ``javascript:`` is dangerous to render.
    """
    url = _url(article)
    scheme = _SCHEME.match(url.value) if url is not None else None
    if url is not None and scheme and scheme.group(1).lower() not in ("http", "https"):
        yield (
            Span(url.span.start, url.span.start + scheme.end()),
            (f"expected an http or https URL, found scheme {scheme.group(1)!r}"),
        )


@rule("NC304", "url-whitespace", "error")
@examples(
    Fail(article(title="[标题](https://a.example/a b)"), [("NC304", "error", 2, 25)]),
    passing=[article(title="[标题](https://a.example/a%20b)")],
    plant=field("url", lambda url: url + " x"),
)
def url_whitespace(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The article URL holds raw whitespace.

    Normalised URLs encode a space as ``%20``; a raw one ends the link early
    in most markdown renderers.
    """
    url = _url(article)
    if url is None:
        return
    hit = _SPACE.search(url.value)
    if hit:
        at = url.span.start + hit.start()
        yield Span(at, at + 1), f"expected no whitespace in the URL, found {hit.group()!r}"


@rule("NC305", "unnormalised-url", "warning")
@examples(
    Fail(article(title="[标题](https://www.dw.com/zh/德语/a-1)"), [("NC305", "warning", 2, 28)]),
    Fail(article(title="[标题](HTTPS://WWW.DW.COM/zh/a-1)"), [("NC305", "warning", 2, 6)]),
    passing=[article(title="[标题](http://www.rfi.fr//cn/%e4%b8%AD-20200720)")],
    plant=field("url", lambda url: url.rstrip("/") + "/新闻"),
)
def unnormalised_url(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The article URL is not in normal form.

    Writers normalise URLs (WHATWG ``new URL(link).href``): non-ASCII is
    percent-encoded, the scheme and host are lower case, a default port is
    dropped. Unnormalised URLs defeat de-duplication by URL. A ``//`` in the
    path and mixed-case percent escapes are real and accepted.
    """
    url = _url(article)
    if url is None or not _SCHEME.match(url.value) or _SPACE.search(url.value):
        return
    value = url.value
    hit = _UNNORMALISED.search(value)
    if hit:
        at = url.span.start + hit.start()
        yield Span(at, at + 1), f"expected a percent-encoded URL, found {hit.group()!r} unencoded"
        return
    if _PLAIN.match(value):  # the usual case: lower-case http(s) host, no port, no user
        return
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as error:
        yield url.span, f"expected a valid URL, found {shorten(value)} ({error})"
        return
    netloc = parts.netloc.rsplit("@", 1)[-1]
    if parts.scheme != parts.scheme.lower() or netloc != netloc.lower():
        yield url.span, f"expected a lower-case scheme and host, found {shorten(value)}"
    elif (parts.scheme.lower(), port) in (("http", 80), ("https", 443)):
        yield url.span, f"expected no default port, found {shorten(value)}"
    elif parts.scheme.lower() in ("http", "https") and not parts.hostname:
        yield url.span, f"expected a host in the URL, found {shorten(value)}"
