"""Per-file facts for checks across files and for corpus statistics.

A small, plain mapping computed once per parsed article and kept with its
result (and in the cache), so corpus-level checks never re-read or re-parse a
file: the normalised URL and its host, the title, the timestamp, which parts
are present, the body's length and two hashes of it.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .article import Article


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def normalise_url(url: str) -> str:
    """The URL as de-duplication should compare it: lower-case scheme and host,
    no default port, no fragment, no trailing slash, ``//`` runs kept."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").lower()
    scheme = parts.scheme.lower()
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path.rstrip("/") or "/", parts.query, ""))


def facts(article: Article) -> dict[str, Any]:
    """What corpus-level checks need to know of one article."""
    url = article.value("url")
    timestamp = article.value("timestamp")
    body = article.value("body") or ""
    date = article.value("date")
    normal = normalise_url(url) if isinstance(url, str) and url.strip() else None
    content = article.source.slice(article.html_span) if article.html_span else ""
    return {
        "url": normal,
        "host": urlsplit(normal).hostname if normal else None,
        "title": article.value("title"),
        "timestamp": int(timestamp) if isinstance(timestamp, str) and timestamp.isdigit() else None,
        "date": "absent" if date is None else "empty" if not date else "present",
        "images": len(article.value("images") or ()),
        "caption": bool(article.value("caption")),
        "body_chars": len(body),
        "content_hash": _digest(content) if content.strip() else None,
        "body_hash": _digest("".join(body.split())) if body else None,
    }
