"""Per-file facts for checks across files and for corpus statistics.

A small, plain mapping computed once per parsed article and kept with its
result (and in the cache), so corpus-level checks never re-read or re-parse a
file: the normalised URL and its host, the title, the timestamp, which parts
are present, the body's length, two hashes of it, and where the timestamp,
title, URL and content are (``at``: ``[line, column, end_line, end_column]``),
so that a diagnostic across files still points at the part concerned. The
engine adds ``suppress`` when inline suppressions name corpus rules.

Every value is JSON-plain (str, int, bool, None, lists, dicts): facts are
stored in the cache. Change what they hold, and bump ``cache._FILE``.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import urlsplit

from .article import Article
from .values import Span


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


# A URL yarl leaves as it is: a lower-case http(s) scheme and host (no port, no
# trailing dot, no punycode), a path and a query of characters it keeps, escapes
# of a space and of non-ASCII bytes only; any fragment. Nearly every real one.
_KEPT = r"A-Za-z0-9._~!$&'()*+,;=:@/%-"
_NORMAL = re.compile(
    rf"(https?)://([a-z0-9-]+(?:\.[a-z0-9-]+)*)((?:/[{_KEPT}]*)?)(?:\?([{_KEPT}?]*))?(?:#.*)?",
    re.S,
)
_OTHER_ESCAPE = re.compile(r"%(?![89A-F][0-9A-F]|20)")
_DOT_SEGMENT = re.compile(r"/\.\.?(?:/|$)")


def normalise_url(url: str) -> tuple[str, str | None]:
    """The URL as de-duplication compares it, and its host.

    RFC 3986's normalisations as ``yarl`` (aiohttp's URL library) makes them:
    lower-case scheme and host, an IDN host as IDNA ASCII (punycode), upper-case
    percent escapes, unreserved characters unescaped (``%7E`` is ``~``), dot
    segments removed, no default port; then no user, no fragment, no trailing
    dot on the host and no trailing slash (``//`` runs are kept). The host is
    the one the link names, as Unicode. A URL that is not absolute, that holds
    white space or characters that are not printable (which ``yarl`` would
    drop), or that ``yarl`` cannot read, is itself (stripped). A URL already in
    yarl's normal form is read by a pattern instead (the tests prove the two
    equal on real and generated URLs)."""
    url = url.strip()
    if not url.isprintable() or " " in url:
        return url, _host(url)
    return _normal(url) or by_yarl(url)


def _normal(url: str) -> tuple[str, str] | None:
    """The URL as :func:`by_yarl` normalises it, when it is in its normal form already."""
    found = _NORMAL.fullmatch(url)
    if found is None:
        return None
    scheme, host, path, query = found.group(1, 2, 3, 4)
    if "xn--" in host or ("%" in url and _OTHER_ESCAPE.search(url)):
        return None
    if "/." in path and _DOT_SEGMENT.search(path):
        return None
    return _joined(scheme, host, path, query or ""), host


def by_yarl(url: str) -> tuple[str, str | None]:
    """The URL (stripped, printable) normalised by yarl, and its host."""
    from yarl import URL  # here: most URLs are normal already (~7 ms of start-up saved)

    try:
        parsed = URL(url)
        host = (parsed.raw_host or "").rstrip(".")
        shown = (parsed.host or "").rstrip(".")
    except (ValueError, IndexError):  # a port out of range, a punycode label that is not…
        return url, _host(url)
    if not parsed.absolute or not host:
        return url, _host(url)
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    if not parsed.is_default_port() and parsed.explicit_port is not None:
        host = f"{host}:{parsed.explicit_port}"
    return _joined(parsed.scheme, host, parsed.raw_path, parsed.raw_query_string), shown


def _joined(scheme: str, host: str, path: str, query: str) -> str:
    """The URL of these parts, with no trailing slash (``//`` runs are kept)."""
    return f"{scheme}://{host}{path.rstrip('/') or '/'}{'?' if query else ''}{query}"


def _host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:  # a malformed URL, such as an unclosed '[' before the host
        return None


def _at(article: Article, span: Span | None) -> list[int] | None:
    if span is None:
        return None
    start, end = article.source.position(span.start), article.source.position(span.end)
    return [start.line, start.column, end.line, end.column]


def _positions(article: Article) -> dict[str, list[int] | None]:
    """Where the parts that checks across files point at are."""
    at = {}
    for name in ("timestamp", "title", "url"):
        found = article.role(name)
        at[name] = _at(article, found.span if found is not None else None)
    at["content"] = _at(article, article.html_span)
    return at


def facts(article: Article) -> dict[str, Any]:
    """What corpus-level checks need to know of one article."""
    url = article.role_value("url")
    timestamp = article.role_value("timestamp")
    body = article.role_value("body") or ""
    date = article.role_value("date")
    normal, host = normalise_url(url) if isinstance(url, str) and url.strip() else (None, None)
    content = article.source.slice(article.html_span) if article.html_span else ""
    return {
        "url": normal,
        "host": host if normal else None,
        "title": article.role_value("title"),
        "timestamp": int(timestamp) if isinstance(timestamp, str) and timestamp.isdigit() else None,
        "date": "absent" if date is None else "empty" if not date else "present",
        "images": len(article.role_value("images") or ()),
        "caption": bool(article.role_value("caption")),
        "body_chars": len(body),
        "content_hash": _digest(content) if content and not content.isspace() else None,
        "body_hash": _digest("".join(body.split())) if body else None,
        "at": _positions(article),
    }
