"""URL rules: the link target of the title line."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from ..article import Article, Field
from ..registry import rule
from ..values import Finding, Span
from ._util import shorten

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_SPACE = re.compile(r"\s")
_PLAIN = re.compile(r"https?://[a-z0-9.-]+(?:[/?#]|$)")
_UNNORMALISED = re.compile(r"[^\x21-\x7e]|[\"<>`{}]")


def _url(article: Article) -> Field | None:
    url = article.field("url")
    return url if url is not None and url.value.strip() else None


@rule("NC301", "empty-url", "error")
def empty_url(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The title link has no target: ``[Title]()``.

    Fail::

        [Title]()

    Pass::

        [Title](https://example.com/a)
    """
    url = article.field("url")
    if url is not None and not url.value.strip():
        yield (
            Span(url.span.start - 1, url.span.end + 1),
            "expected a URL inside '()', found nothing",
        )


@rule("NC302", "relative-url", "error")
def relative_url(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The article URL is relative (no scheme, or protocol-relative).

    An archive is read far from the site it came from; a relative URL points
    nowhere there.

    Fail::

        [Title](/a/7346455.html)
        [Title](//www.example.com/a)

    Pass::

        [Title](https://www.example.com/a/7346455.html)
    """
    url = _url(article)
    if url is not None and not _SCHEME.match(url.value):
        yield url.span, f"expected an absolute http(s) URL, found {shorten(url.value)}"


@rule("NC303", "unsupported-scheme", "error")
def unsupported_scheme(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The article URL's scheme is not http or https.

    ``javascript:``, ``data:`` and ``file:`` links are never a news article,
    and ``javascript:`` is dangerous to render.

    Fail::

        [Title](javascript:void%200)

    Pass::

        [Title](http://www.rfi.fr//cn/a)
    """
    url = _url(article)
    scheme = _SCHEME.match(url.value) if url is not None else None
    if url is not None and scheme and scheme.group(1).lower() not in ("http", "https"):
        yield (
            Span(url.span.start, url.span.start + scheme.end()),
            (f"expected an http or https URL, found scheme {scheme.group(1)!r}"),
        )


@rule("NC304", "url-whitespace", "error")
def url_whitespace(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The article URL holds raw whitespace.

    Normalised URLs encode a space as ``%20``; a raw one ends the link early
    in most markdown renderers.

    Fail::

        [Title](https://example.com/a b)

    Pass::

        [Title](https://example.com/a%20b)
    """
    url = _url(article)
    if url is None:
        return
    hit = _SPACE.search(url.value)
    if hit:
        at = url.span.start + hit.start()
        yield Span(at, at + 1), f"expected no whitespace in the URL, found {hit.group()!r}"


@rule("NC305", "unnormalised-url", "warning")
def unnormalised_url(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The article URL is not in normal form.

    Writers normalise URLs (WHATWG ``new URL(link).href``): non-ASCII is
    percent-encoded, the scheme and host are lower case, a default port is
    dropped. Unnormalised URLs defeat de-duplication by URL. A ``//`` in the
    path and mixed-case percent escapes are real and accepted.

    Fail::

        [Title](https://www.dw.com/zh/德语媒体/a-53985946)
        [Title](HTTPS://WWW.DW.COM/zh/a-53985946)

    Pass::

        [Title](https://www.dw.com/zh/%E5%BE%B7/a-53985946)
        [Title](http://www.rfi.fr//cn/a)
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
