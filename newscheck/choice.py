"""Which schema applies to a file: auto-detection, and per-source profiles.

``--schema auto`` checks each file with the built-in schema whose layout fits
it best, decided by line matching alone (:func:`newscheck.parse.match_layout`:
no HTML or YAML is parsed, no rule runs), so detection costs a few regular
expressions per candidate. A schema's ``sources`` profiles then apply by the
key its ``sources_by`` names: by default the host of the file's link (the
field playing the ``url`` role).
"""

from __future__ import annotations

import dataclasses
from types import MappingProxyType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .values import Span

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


def no_fit(
    source: Source, closest: Schema, layout: Layout, schemas: tuple[Schema, ...]
) -> tuple[Span, str] | None:
    """For a file that none of ``schemas`` fits, and whose closest layout
    finds fewer than half of its required parts: where and why (the layout's
    first part that did not fit); None for a file that fits, or that is a
    file of the closest layout with a defect (its own rules say which)."""
    from .article import Status  # here: as for match_layout in choose

    if layout.misfit == 0:
        return None
    required = [part for part in layout.parts.values() if part.required]
    ok = sum(part.status is Status.OK for part in required)
    if 2 * ok >= len(required):
        return None
    names = ", ".join(schema.name for schema in schemas)
    expected = f"expected a file in one of the layouts {names}, found a file none of them fits"
    said = f"the closest, {closest.name}, finds {ok} of its {len(required)} parts"
    bad = next((p for p in required if p.status is not Status.OK), None)
    if bad is None:
        return layout.trailing or Span(0, 0), f"{expected}: {said}"
    where = f"line {source.position(bad.span.start).line}"
    found = "the end of the file" if bad.found is None else repr(bad.found)
    return bad.span, (
        f"{expected}: {said}; its part {bad.name!r} is {bad.status.value} at {where}, found {found}"
    )


def host_of(article: Article) -> str | None:
    """The host of the article's link (the field playing the ``url`` role), lower case."""
    url = article.role_value("url")
    return link_host(url) if isinstance(url, str) else None


def link_host(url: str) -> str | None:
    """The host of a link, lower case (None when it names none)."""
    try:
        return urlsplit(url.strip()).hostname
    except ValueError:
        return None


def source_keys(article: Article) -> tuple[str, ...]:
    """What the schema's ``sources`` globs are matched with for this file
    (``sources_by``): the host of its link (the ``url`` role) or of another
    URL-valued field, or a field's value (each item of a list)."""
    schema = article.schema
    if schema is None:
        return ()
    how, name = schema.sources_by
    found = article.role("url") if name is None else article.field(name)
    value = None if found is None else found.value
    values = value if isinstance(value, list | tuple) else (value,)
    if how == "host":
        return tuple(h for v in values if isinstance(v, str) and (h := link_host(v)))
    return tuple(str(v) for v in values if isinstance(v, str | int | float) and str(v))


def apply_profile(article: Article) -> Article:
    """The article as its source's profile sees it: the profile's schema
    (rules, record, checks) and its parts' ``required`` flags."""
    schema = article.schema
    if schema is None or not schema.profiles:
        return article
    profile = schema.profile_for(*source_keys(article))
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
