"""Media rules: the images of the content (lead image and the rest)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .. import patterns
from ..article import Article, Field
from ..diagnostics import Finding, rule


def _images(article: Article) -> tuple[Field, ...]:
    images = article.field("images")
    return images.items if images is not None else ()


@rule("NC601", "empty-image-src", "error")
def empty_image_src(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """An ``<img>`` has an empty or missing ``src``.

    The image is lost: the feed had one, the writer dropped its address.

    Fail::

        <img src="" width="100%">

    Pass::

        <img src="https://images.weserv.nl?url=gdb.voanews.com/a.jpg" width="100%">
    """
    for image in _images(article):
        if image.value is None:
            yield image.span, "expected an image with a src attribute, found none"
        elif not image.value.strip():
            yield image.span, "expected an image address in src, found it empty"


@rule("NC602", "protocol-relative-src", "warning")
def protocol_relative_src(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """An image ``src`` is protocol-relative (``//host/path``).

    It works on the web but not in a file, an e-mail or a feed reader; real
    feeds produce it, so it is a warning.

    Fail::

        <img src="//static.example.com/a.jpg">

    Pass::

        <img src="https://static.example.com/a.jpg">
    """
    for image in _images(article):
        if image.value and image.value.startswith("//"):
            yield (
                image.span,
                f"expected an absolute image URL, found protocol-relative {image.value[:60]!r}",
            )


@rule(
    "NC603",
    "empty-proxy-target",
    "error",
    proxy=r"^(?:https?:)?//images\.weserv\.nl/?\?(?:[^#]*&)?url=",
)
def empty_proxy_target(article: Article, options: Mapping[str, Any]) -> Iterator[Finding]:
    """An image goes through an image proxy but the proxied ``url=`` is empty.

    Feed services route images through a proxy such as
    ``https://images.weserv.nl?url=HOST/PATH``; with an empty target the proxy
    returns an error image. ``proxy`` is a regular expression matching a
    proxied ``src`` up to the start of its target.

    Fail::

        <img src="https://images.weserv.nl?url=">

    Pass::

        <img src="https://images.weserv.nl?url=gdb.voanews.com/a.jpg">

    Options: ``proxy`` (regular expression).
    """
    proxy = patterns.compile(options["proxy"])  # a schema's pattern: RE2, linear time
    for image in _images(article):
        hit = proxy.match(image.value) if "url=" in (image.value or "") else None
        if hit and not image.value[hit.end() :].split("&", 1)[0].strip():
            yield (
                image.span,
                f"expected a target after the proxy's url=, found {image.value[:60]!r}",
            )
