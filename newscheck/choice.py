"""Which schema applies to a file: auto-detection, and per-source profiles.

``--schema auto`` checks each file with the built-in schema whose layout fits
it best, decided by line matching alone (:func:`newscheck.parse.match_layout`:
no HTML or YAML is parsed, no rule runs), so detection costs a few regular
expressions per candidate. A schema's ``sources`` profiles then apply by the
host of the file's ``url`` field.
"""

from __future__ import annotations

import dataclasses
from types import MappingProxyType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from .article import Article
    from .parse import Layout
    from .schema import Schema
    from .source import Source

AUTO = "auto"


def choose(source: Source, schemas: tuple[Schema, ...]) -> tuple[Schema, Layout]:
    """The first schema whose layout fits ``source`` with no missing or
    malformed part and no trailing content; else the one that fits best (the
    earliest on a tie), with the layout it found."""
    from .parse import match_layout  # here: configurations read AUTO at start-up, before any parse

    best: tuple[int, Schema, Layout] | None = None
    for schema in schemas:
        layout = match_layout(source, schema)
        misfit = layout.misfit
        if misfit == 0:
            return schema, layout
        if best is None or misfit < best[0]:
            best = (misfit, schema, layout)
    assert best is not None, "no schema to choose from"
    return best[1], best[2]


def host_of(article: Article) -> str | None:
    """The host of the article's link (its ``url`` field), lower case."""
    url = article.value("url")
    return link_host(url) if isinstance(url, str) else None


def link_host(url: str) -> str | None:
    """The host of a link, lower case (None when it names none)."""
    try:
        return urlsplit(url.strip()).hostname
    except ValueError:
        return None


def apply_profile(article: Article) -> Article:
    """The article as its source's profile sees it: the profile's schema
    (rules, record, checks) and its parts' ``required`` flags."""
    schema = article.schema
    if schema is None or not schema.profiles:
        return article
    profile = schema.profile_for(host_of(article))
    if profile is None:
        return article
    parts = article.parts
    if profile.required:
        parts = MappingProxyType(
            {
                name: dataclasses.replace(part, required=profile.required[name])
                if name in profile.required
                else part
                for name, part in parts.items()
            }
        )
    return dataclasses.replace(article, schema=profile.schema, parts=parts)
