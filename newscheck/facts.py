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
from urllib.parse import urlsplit, urlunsplit

from .article import Article
from .values import Span

_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
# The common shape of a URL, read without urllib to the same parts: a lower-case
# http(s) scheme and host (no user, port or IPv6 literal), a path, a query, a fragment.
_PLAIN = re.compile(r"(https?)://([a-z0-9.-]+)((?:/[^?#\s]*)?)(?:\?([^#\s]*))?(?:#.*)?", re.S)
_LOWER_ESCAPE = re.compile(r"%(?:[0-9A-Fa-f][a-f]|[a-f][0-9A-Fa-f])")


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def normalise_url(url: str) -> tuple[str, str | None]:
    """The URL as de-duplication should compare it: lower-case scheme and host,
    upper-case percent escapes, no default port, no fragment, no trailing
    slash, ``//`` runs kept; and its host."""
    url = url.strip()
    plain = _PLAIN.fullmatch(url)
    if plain is not None:
        scheme, host, path, query = plain.group(1, 2, 3, 4)
        query = query or ""
    else:
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return url, _host(url)
        host = (parts.hostname or "").lower()
        scheme = parts.scheme.lower()
        if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
            host = f"{host}:{port}"
        path, query = parts.path, parts.query
    path = path.rstrip("/") or "/"
    if "%" in url and _LOWER_ESCAPE.search(url):  # most escapes are upper-case already
        path, query = (_ESCAPE.sub(lambda m: m.group().upper(), p) for p in (path, query))
    normal = urlunsplit((scheme, host, path, query, ""))
    return normal, host if plain is not None else _host(normal)


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
